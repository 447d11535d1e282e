/*
 * host_thread.cc - the host instance's isolation of a worker thread (os.h
 * isolate_thread, refresh_network; why: workers/worker.h). On Linux a
 * private descriptor table (unshare(CLONE_FILES)) and, where allowed
 * (CAP_SYS_ADMIN), a network namespace of the thread's own with `lo` up;
 * elsewhere the process's shared table and network.
 */
#include "os.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#ifdef __linux__
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#endif

namespace pollmatrix {
namespace os {

#ifdef __linux__

namespace {

/* A namespace whose TIME_WAIT entries reach this many is left for a fresh
 * one: far below the point where bind() and connect() slow down (a few
 * thousand per port range), far above what one scenario leaves. */
constexpr long time_wait_limit = 4096;

/* ifconfig lo up: a new network namespace has only `lo`, and it is down
 * (network_namespaces(7)). */
bool loopback_up(std::string *why)
{
	int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*why = std::string("socket() for lo failed: ") + strerror(errno);
		return false;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
	bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
	if (ok) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		ok = ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
	}
	if (!ok)
		*why = std::string("bringing lo up failed: ") + strerror(errno);
	::close(fd);
	return ok;
}

/* TIME_WAIT entries in this thread's network namespace, from
 * /proc/thread-self/net/sockstat ("TCP: inuse N orphan N tw N ..."); -1 if
 * it cannot be read. */
long time_wait_count()
{
	int fd = ::open("/proc/thread-self/net/sockstat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char text[1024];
	ssize_t n = ::read(fd, text, sizeof(text) - 1);
	::close(fd);
	if (n <= 0)
		return -1;
	text[n] = 0;
	const char *tw = strstr(text, " tw ");
	return tw ? strtol(tw + 4, nullptr, 10) : -1;
}

} // namespace

ThreadIsolation isolate_thread()
{
	ThreadIsolation got;
	if (unshare(CLONE_FILES) != 0) {
		got.why_shared = std::string("unshare(CLONE_FILES) failed: ") + strerror(errno);
		got.why_host_network = "no private descriptor table, so no private network either";
		return got;
	}
	got.private_table = true;
	std::string why;
	if (unshare(CLONE_NEWNET) != 0)
		why = std::string("unshare(CLONE_NEWNET) failed: ") + strerror(errno);
	else
		loopback_up(&why);
	got.network = why.empty() ? "private" : "host";
	got.why_host_network = why;
	return got;
}

bool refresh_network(std::string *why)
{
	if (time_wait_count() < time_wait_limit)
		return true;
	/* Merely crowded when unshare() is refused: still the old namespace. */
	if (unshare(CLONE_NEWNET) != 0)
		return true;
	return loopback_up(why);
}

#else

ThreadIsolation isolate_thread()
{
	ThreadIsolation got;
	got.why_shared = "no private descriptor table on this OS (unshare(CLONE_FILES) is Linux-only)";
	got.why_host_network = "no private network namespace on this OS";
	return got;
}

bool refresh_network(std::string *)
{
	return true;
}

#endif

} // namespace os
} // namespace pollmatrix
