/*
 * portability.h - the few socket constants that differ between Linux, macOS
 * and the BSDs. Only the step executor includes it; nothing else needs to know.
 */
#pragma once

#include <sys/socket.h>

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

#include <fcntl.h>
#include <netinet/in.h>

/* Every descriptor a scenario makes is close-on-exec: a child that the host
 * forks meanwhile must not hold a scenario's socket open, or a `clo` would
 * send no FIN. Where SOCK_CLOEXEC exists so does accept4() (Linux, FreeBSD 10,
 * NetBSD 8, OpenBSD 5.7, DragonFly: their socket(2)/accept(2)); macOS has
 * neither, so fcntl(FD_CLOEXEC) follows at once there, leaving a window of
 * one syscall. Neither flag changes what the socket reports. */
inline int pm_tcp_socket()
{
#ifdef SOCK_CLOEXEC
	return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
#else
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
#endif
}

inline int pm_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
#ifdef SOCK_CLOEXEC
	return accept4(fd, addr, len, SOCK_CLOEXEC);
#else
	int s = accept(fd, addr, len);
	if (s >= 0)
		fcntl(s, F_SETFD, FD_CLOEXEC);
	return s;
#endif
}
