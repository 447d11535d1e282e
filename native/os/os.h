/*
 * os.h - the system-call table. Every call that the engine, the transports,
 * the backends and the descriptor table make to the kernel under test goes
 * through os::, so that kernel can be another one than the host's.
 *
 * Contract:
 * - Each entry has the name, the signature and the meaning of the POSIX,
 *   Linux or BSD call of the same name, in the host's vocabulary: the host's
 *   constants (AF_*, SOCK_*, SOL_SOCKET and SO_*, MSG_*, O_*, F_*, POLL*,
 *   EPOLL*, EV_*, errno numbers) and the host's structs (sockaddr, pollfd,
 *   fd_set, timeval, linger, rlimit, epoll_event, kevent). A call fails as
 *   the host's does: -1 (mmap: MAP_FAILED) with errno set.
 * - One instance per kernel, chosen at link time: a build links exactly one
 *   file that defines every entry. host.cc is today's only instance: each
 *   entry is the host's own call, one direct call deep, so the table costs
 *   nothing measurable (npm run bench).
 * - The next instance will call NetBSD's rump_sys_* (a rump kernel: NetBSD's
 *   kernel code as libraries in a Linux process) and translate at this one
 *   border, both ways: constants on the way in (O_NONBLOCK, SOL_SOCKET =
 *   0xffff, ...), structs both ways (a sockaddr with sin_len, an fd_set of
 *   32-bit words with FD_SETSIZE 256 - hence fd_setsize below is the
 *   instance's -, NetBSD's struct kevent), and results on the way out (POLL*
 *   bits in revents, errno numbers). Above the border nothing changes: what
 *   comes back is decoded with the host's tables, which is right once the
 *   instance has translated it.
 * - An entry exists where the host has the call: epoll_* with HAVE_EPOLL,
 *   io_uring_* (and mmap, for its rings) with HAVE_IO_URING, kqueue and
 *   kevent with HAVE_KQUEUE (kqueuex and kqueue1 where the header says the
 *   host has them, as kqueue.h asks), accept4 where SOCK_CLOEXEC exists,
 *   pipe2 where PM_HAVE_PIPE2, ptsname_r on Linux.
 * - Not in the table, because they belong to the host process rather than
 *   to the kernel under test: threads, signal masks and sched_yield(),
 *   unshare() and the worker's network-namespace set-up (workers/worker.cc),
 *   uname() for the platform facts (napi/platform.cc), getpid(). Code above
 *   the border that asks `#ifdef __linux__` (abstract socket names, the TCP
 *   and pty settle rules) asks about the host; an instance for another
 *   kernel needs those answered for that kernel too.
 */
#pragma once

#include <cstddef>

#include <poll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#ifdef HAVE_EPOLL
#include <sys/epoll.h>
#endif
#ifdef HAVE_KQUEUE
#include <sys/event.h>
#endif
#ifdef HAVE_IO_URING
struct io_uring_params;
#endif

#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || \
	defined(__DragonFly__)
/* pipe2() with O_CLOEXEC|O_NONBLOCK; macOS has only pipe(). */
#define PM_HAVE_PIPE2 1
#endif

namespace pollmatrix {
namespace os {

/* Descriptors. */
int close(int fd);
int fcntl(int fd, int cmd, int arg = 0);
int ioctl(int fd, unsigned long request, void *arg);
ssize_t read(int fd, void *buf, size_t len);
ssize_t write(int fd, const void *buf, size_t len);
int getrlimit(int resource, struct rlimit *limit);
/* Closes every descriptor from `lowest` up (closefrom(2) on the BSDs). */
void closefrom(int lowest);

/* Sockets. */
int socket(int family, int type, int protocol);
int socketpair(int family, int type, int protocol, int sv[2]);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
#ifdef SOCK_CLOEXEC
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
#endif
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int getsockopt(int fd, int level, int option, void *value, socklen_t *len);
int setsockopt(int fd, int level, int option, const void *value, socklen_t len);
int shutdown(int fd, int how);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
int sockatmark(int fd);

/* Pipes, files, FIFOs, pseudoterminals. */
int pipe(int fds[2]);
#ifdef PM_HAVE_PIPE2
int pipe2(int fds[2], int flags);
#endif
int open(const char *path, int flags, mode_t mode = 0);
int mkfifo(const char *path, mode_t mode);
int unlink(const char *path);
int rmdir(const char *path);
char *mkdtemp(char *path_template);
int posix_openpt(int flags);
int grantpt(int fd);
int unlockpt(int fd);
char *ptsname(int fd);
#ifdef __linux__
int ptsname_r(int fd, char *buf, size_t len);
#endif

/* Readiness. */
int poll(struct pollfd *fds, nfds_t n, int timeout_ms);
int select(int nfds, fd_set *readable, fd_set *writable, fd_set *except, struct timeval *timeout);
/* The descriptors an fd_set of this kernel can hold: select() is not asked
 * about one at or above it. */
extern const int fd_setsize;
#ifdef HAVE_EPOLL
int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout_ms);
#endif
#ifdef HAVE_IO_URING
int io_uring_setup(unsigned entries, struct io_uring_params *params);
/* With no signal mask (io_uring_enter(2)'s sig NULL, sz 0). */
int io_uring_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t len);
#endif
#ifdef HAVE_KQUEUE
int kqueue();
#ifdef KQUEUE_CLOEXEC
int kqueuex(unsigned flags);
#endif
#if defined(__NetBSD__) || defined(PM_KQUEUE1)
int kqueue1(int flags);
#endif
int kevent(int kq, const struct kevent *changes, int nchanges, struct kevent *events, int nevents,
           const struct timespec *timeout);
#endif

} // namespace os
} // namespace pollmatrix
