/*
 * descriptors.cc - private descriptor table on Linux, shared table elsewhere.
 * See descriptors.h for why.
 */
#include "descriptors.h"

#include <cerrno>
#include <climits>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/resource.h>

#include "../os/errnos.h"
#include "../os/os.h"

namespace pollmatrix {

namespace {

bool is_open(int fd)
{
	return os::fcntl(fd, F_GETFD) != -1 || errno != err::badf;
}

/* The lowest number the kernel refuses to allocate: RLIMIT_NOFILE's soft
 * limit. Nothing can be open there unless the limit was lowered later, so the
 * search goes on upwards if it is. */
int never_allocated_number()
{
	struct rlimit rl;
	long n = 1L << 20;

	if (os::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)INT_MAX)
		n = (long)rl.rlim_cur;
	while (n < INT_MAX && is_open((int)n))
		n++;
	return (int)n;
}

} // namespace

int DescriptorTable::closed_number(int original) const
{
	if (!private_)
		return never_allocated_number();
	if (original >= 0 && !is_open(original))
		return original;
	int n = 3;
	while (is_open(n))
		n++;
	return n;
}

std::vector<int> DescriptorTable::open_descriptors() const
{
	std::vector<int> fds;
	if (!private_)
		return fds;
	/* Only this thread allocates here and it allocates lowest-first, so a
	 * number at or above `scan_end` could only be open if every number
	 * from 3 up to it had been open at once: far more than a scenario ever
	 * holds (a handful of endpoints and observers). One poll() asks about
	 * all of them: POLLNVAL marks a closed number (poll(2)). */
	constexpr int scan_end = 64;
	struct pollfd probe[scan_end - 3];
	for (int fd = 3; fd < scan_end; fd++)
		probe[fd - 3] = {fd, 0, 0};
	if (os::poll(probe, scan_end - 3, 0) < 0) {
		for (int fd = 3; fd < scan_end; fd++)
			if (is_open(fd))
				fds.push_back(fd);
		return fds;
	}
	for (const struct pollfd &p : probe)
		if (!(p.revents & POLLNVAL))
			fds.push_back(p.fd);
	return fds;
}

namespace {

/* A stream socket of the internet families, the only kind that can enter
 * TIME_WAIT. */
bool is_tcp(int fd)
{
#ifdef SO_PROTOCOL
	/* Linux, FreeBSD: one call says whether this is TCP. A kernel under
	 * test that lacks the option (the rump instance's NetBSD) fails it and
	 * is asked the other way. */
	int protocol = 0;
	socklen_t len = sizeof(protocol);
	if (os::getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) == 0)
		return protocol == IPPROTO_TCP;
#endif
	int type = 0;
	socklen_t len_type = sizeof(type);
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	return os::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len_type) == 0 && type == SOCK_STREAM &&
	       os::getsockname(fd, (struct sockaddr *)&ss, &slen) == 0 &&
	       (ss.ss_family == AF_INET || ss.ss_family == AF_INET6);
}

} // namespace

void DescriptorTable::discard(int fd)
{
	struct linger reset = {1, 0};
	if (is_tcp(fd))
		os::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
	os::close(fd);
}

void DescriptorTable::clear() const
{
	if (private_)
		os::closefrom(3);
}

} // namespace pollmatrix
