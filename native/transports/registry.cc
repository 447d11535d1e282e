/*
 * registry.cc - the one list of transports, in display order. Adding one is
 * its own file in transports/ (binding.gyp compiles every file there) plus
 * one line in PM_TRANSPORTS.
 */
#include <cerrno>
#include <cstring>

#include "../os/errnos.h"
#include "../os/os.h"
#include "transport.h"

namespace pollmatrix {

/* One line per transport, in display order. */
#define PM_TRANSPORTS(X)                                                       \
	X(tcp)                                                                 \
	X(tcp6)                                                                \
	X(unix)                                                                \
	X(unix_dgram)                                                          \
	X(udp)                                                                 \
	X(socketpair)                                                          \
	X(socketpair_dgram)                                                    \
	X(socketpair_seqpacket)                                                \
	X(pipe)                                                                \
	X(fifo)                                                                \
	X(pty)                                                                 \
	X(file)                                                                \
	X(eventfd)                                                             \
	X(eventfd_semaphore)                                                   \
	X(chardev)                                                             \
	X(dir)                                                                 \
	X(inotify)                                                             \
	X(timerfd)                                                             \
	X(signalfd)                                                            \
	X(pidfd)                                                               \
	X(epoll)                                                               \
	X(netlink)

#define PM_DECLARE(name) extern const Transport transport_##name;
PM_TRANSPORTS(PM_DECLARE)

const std::vector<const Transport *> &transport_registry()
{
#define PM_ENTRY(name) &transport_##name,
	static const std::vector<const Transport *> all = {PM_TRANSPORTS(PM_ENTRY)};
	return all;
}

const Transport *find_transport(const std::string &name)
{
	for (const Transport *t : transport_registry())
		if (name == t->name)
			return t;
	return nullptr;
}

const char *transport_unavailable(const Transport *t)
{
	const char *why = os::transport_unavailable(t->name);
	return why ? why : t->unavailable();
}

bool setup_failed(std::string *error, const char *call)
{
	*error = std::string(call) + ": " + errno_message(errno);
	return false;
}

int transport_slot(const Transport *t, char letter)
{
	const char *at = strchr(t->letters, letter);
	return letter != '\0' && at ? (int)(at - t->letters) : -1;
}

} // namespace pollmatrix
