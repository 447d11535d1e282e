/*
 * portability.h - the few socket constants that differ between Linux, macOS
 * and the BSDs, and the descriptor-making calls every transport uses.
 */
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "os.h"

namespace pollmatrix {

/* Linux and FreeBSD have MSG_NOSIGNAL; macOS has only the SO_NOSIGPIPE socket
 * option (setsockopt(2) on macOS), which the engine sets on every socket it
 * makes or accepts. Node ignores SIGPIPE too, but the engine must not rely on
 * its host for that. */
#ifdef MSG_NOSIGNAL
#define PM_MSG_NOSIGNAL MSG_NOSIGNAL
#else
#define PM_MSG_NOSIGNAL 0
#endif

/* MSG_MORE is Linux-only. Like haproxy's tool (which defines it to 0), `mor`
 * then sends without it, and the step says so in its note. */
#ifdef MSG_MORE
#define PM_MSG_MORE MSG_MORE
#define PM_HAVE_MSG_MORE 1
#else
#define PM_MSG_MORE 0
#define PM_HAVE_MSG_MORE 0
#endif

/* SIGPIPE must never kill the host: SO_NOSIGPIPE where that is the way. */
inline void pm_no_sigpipe(int fd)
{
#ifdef SO_NOSIGPIPE
	int one = 1;
	os::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#else
	(void)fd;
#endif
}

/* fcntl(FD_CLOEXEC) and, when asked, O_NONBLOCK on a descriptor made
 * without them. */
inline void pm_set_flags(int fd, bool nonblocking)
{
	os::fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (nonblocking)
		os::fcntl(fd, F_SETFL, os::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Every descriptor a scenario makes is close-on-exec: a child that the host
 * forks meanwhile must not hold a scenario's socket open, or a `clo` would
 * send no FIN. Where SOCK_CLOEXEC exists so does accept4() (Linux, FreeBSD 10,
 * NetBSD 8, OpenBSD 5.7, DragonFly: their socket(2)/accept(2)); macOS has
 * neither, so fcntl(FD_CLOEXEC) follows at once there, leaving a window of
 * one syscall. Neither flag changes what the socket reports. Every socket
 * gets SO_NOSIGPIPE where that exists. */
inline int pm_socket(int family, int type, int protocol)
{
#ifdef SOCK_CLOEXEC
	int fd = os::socket(family, type | SOCK_CLOEXEC, protocol);
#else
	int fd = os::socket(family, type, protocol);
	if (fd >= 0)
		pm_set_flags(fd, false);
#endif
	if (fd >= 0)
		pm_no_sigpipe(fd);
	return fd;
}

inline int pm_socketpair(int type, int sv[2])
{
#ifdef SOCK_CLOEXEC
	int r = os::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv);
#else
	int r = os::socketpair(AF_UNIX, type, 0, sv);
	if (r == 0) {
		pm_set_flags(sv[0], false);
		pm_set_flags(sv[1], false);
	}
#endif
	if (r == 0) {
		pm_no_sigpipe(sv[0]);
		pm_no_sigpipe(sv[1]);
	}
	return r;
}

inline int pm_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
#ifdef SOCK_CLOEXEC
	int s = os::accept4(fd, addr, len, SOCK_CLOEXEC);
#else
	int s = os::accept(fd, addr, len);
	if (s >= 0)
		pm_set_flags(s, false);
#endif
	if (s >= 0)
		pm_no_sigpipe(s);
	return s;
}

} // namespace pollmatrix
