/*
 * host.cc - the system-call table's instance for the host's own kernel
 * (os.h): each entry is the host's call of the same name, and the facts
 * about the host's kernel. The instance's other files: host_thread.cc (a
 * worker thread's isolation), host_settle.cc (Linux's TCP settle rule),
 * errnos.cc (errno names).
 */
#include "os.h"

#include <cerrno>
#include <cstdlib>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

#include <csignal>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#ifdef PM_HAVE_LINUX_FDS
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sched.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#endif
#ifdef HAVE_IO_URING
#include <sys/mman.h>
#include <sys/syscall.h>
#ifndef __NR_io_uring_setup
#error "these kernel headers predate io_uring (Linux 5.1): no __NR_io_uring_setup"
#endif
#endif

namespace pollmatrix {
namespace os {

namespace {

/* getrlimit()'s resource is an int, or an enum (glibc with _GNU_SOURCE). */
template <typename Resource>
int call_getrlimit(int (*host)(Resource, struct rlimit *), int resource, struct rlimit *limit)
{
	return host((Resource)resource, limit);
}

} // namespace

int close(int fd)
{
	return ::close(fd);
}

int fcntl(int fd, int cmd, int arg)
{
	return ::fcntl(fd, cmd, arg);
}

int ioctl(int fd, unsigned long request, void *arg)
{
	return ::ioctl(fd, request, arg);
}

ssize_t read(int fd, void *buf, size_t len)
{
	return ::read(fd, buf, len);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	return ::write(fd, buf, len);
}

int getrlimit(int resource, struct rlimit *limit)
{
	return call_getrlimit(::getrlimit, resource, limit);
}

/* Linux 5.9's close_range(); else the numbers /proc/thread-self/fd lists;
 * else every number below 65536. */
void closefrom(int lowest)
{
#if defined(__linux__) && defined(SYS_close_range)
	if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0U) == 0)
		return;
#endif
#ifdef __linux__
	std::vector<int> fds;
	DIR *dir = opendir("/proc/thread-self/fd");
	if (dir) {
		int own = dirfd(dir);
		while (struct dirent *de = readdir(dir)) {
			int fd = atoi(de->d_name);
			if (fd >= lowest && fd != own)
				fds.push_back(fd);
		}
		closedir(dir);
		for (int fd : fds)
			::close(fd);
		return;
	}
#endif
	for (int fd = lowest; fd < 65536; fd++)
		::close(fd);
}

int fork_child(void (*body)(void *), void *arg)
{
#ifdef __linux__
	long parent = syscall(SYS_getpid);
	long pid = syscall(SYS_clone, 0UL, nullptr, nullptr, nullptr, nullptr);
	if (pid == 0) {
		/* The parent may have died before prctl: then nobody is left
		 * to send the signal (prctl(2) PR_SET_PDEATHSIG). */
		syscall(SYS_prctl, PR_SET_PDEATHSIG, (unsigned long)SIGKILL, 0UL, 0UL, 0UL);
		if (syscall(SYS_getppid) == parent)
			body(arg);
		syscall(SYS_exit_group, 0);
	}
	return (int)pid;
#else
	pid_t pid = ::fork();
	if (pid == 0) {
		body(arg);
		::_exit(0);
	}
	return (int)pid;
#endif
}

int reap_child(int pid)
{
	if (::kill(pid, SIGKILL) < 0)
		return -1;
#ifdef __linux__
	siginfo_t info;
	int r;
	while ((r = (int)syscall(SYS_waitid, P_PID, pid, &info, WEXITED | __WALL, nullptr)) < 0 && errno == EINTR)
		;
	return r;
#else
	int status;
	pid_t r;
	while ((r = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return r < 0 ? -1 : 0;
#endif
}

void close_range(unsigned first, unsigned last)
{
	if (first > last)
		return;
#if defined(__linux__) && defined(SYS_close_range)
	if (syscall(SYS_close_range, first, last, 0U) == 0)
		return;
#endif
	struct rlimit limit;
	unsigned end = 65536;
	if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < end)
		end = (unsigned)limit.rlim_cur;
	for (unsigned fd = first; fd <= last && fd < end; fd++)
		::close((int)fd);
}

extern const char *const holders_unavailable = nullptr;

int socket(int family, int type, int protocol)
{
	return ::socket(family, type, protocol);
}

int socketpair(int family, int type, int protocol, int sv[2])
{
	return ::socketpair(family, type, protocol, sv);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return ::bind(fd, addr, len);
}

int listen(int fd, int backlog)
{
	return ::listen(fd, backlog);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return ::connect(fd, addr, len);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return ::accept(fd, addr, len);
}

#ifdef SOCK_CLOEXEC
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	return ::accept4(fd, addr, len, flags);
}
#endif

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return ::getsockname(fd, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return ::getpeername(fd, addr, len);
}

int getsockopt(int fd, int level, int option, void *value, socklen_t *len)
{
	return ::getsockopt(fd, level, option, value, len);
}

int setsockopt(int fd, int level, int option, const void *value, socklen_t len)
{
	return ::setsockopt(fd, level, option, value, len);
}

int shutdown(int fd, int how)
{
	return ::shutdown(fd, how);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return ::send(fd, buf, len, flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t addr_len)
{
	return ::sendto(fd, buf, len, flags, addr, addr_len);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return ::recv(fd, buf, len, flags);
}

int sockatmark(int fd)
{
	return ::sockatmark(fd);
}

int pipe(int fds[2])
{
	return ::pipe(fds);
}

#ifdef PM_HAVE_PIPE2
int pipe2(int fds[2], int flags)
{
	return ::pipe2(fds, flags);
}
#endif

int open(const char *path, int flags, mode_t mode)
{
	return ::open(path, flags, mode);
}

int mkfifo(const char *path, mode_t mode)
{
	return ::mkfifo(path, mode);
}

#ifdef PM_HAVE_LINUX_FDS
int eventfd(unsigned initial, int flags)
{
	return ::eventfd(initial, flags);
}

int inotify_init1(int flags)
{
	return ::inotify_init1(flags);
}

int inotify_add_watch(int fd, const char *path, uint32_t mask)
{
	return ::inotify_add_watch(fd, path, mask);
}

int timerfd_create(int clock, int flags)
{
	return ::timerfd_create(clock, flags);
}

int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old)
{
	return ::timerfd_settime(fd, flags, value, old);
}

int signalfd(int fd, const sigset_t *mask, int flags)
{
	return ::signalfd(fd, mask, flags);
}

int clone_waiting_child()
{
	long pid = syscall(SYS_clone, (unsigned long)CLONE_FILES, nullptr, nullptr, nullptr, nullptr);
	if (pid == 0) {
		/* The child: system calls only, until SIGKILL (its signal mask,
		 * the worker's, blocks every other signal). */
		for (;;)
			syscall(SYS_ppoll, nullptr, 0, nullptr, nullptr, 0);
	}
	return (int)pid;
}

int pidfd_open(int pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

int pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0);
}

int kill(int pid, int sig)
{
	return ::kill(pid, sig);
}

int waitid(int idtype, int id, siginfo_t *info, int options)
{
	return (int)syscall(SYS_waitid, idtype, id, info, options, nullptr);
}
#endif

int unlink(const char *path)
{
	return ::unlink(path);
}

int rmdir(const char *path)
{
	return ::rmdir(path);
}

char *mkdtemp(char *path_template)
{
	return ::mkdtemp(path_template);
}

int posix_openpt(int flags)
{
	return ::posix_openpt(flags);
}

int grantpt(int fd)
{
	return ::grantpt(fd);
}

int unlockpt(int fd)
{
	return ::unlockpt(fd);
}

char *ptsname(int fd)
{
	return ::ptsname(fd);
}

#ifdef __linux__
int ptsname_r(int fd, char *buf, size_t len)
{
	return ::ptsname_r(fd, buf, len);
}
#endif

int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	return ::poll(fds, n, timeout_ms);
}

int select(int nfds, fd_set *readable, fd_set *writable, fd_set *except, struct timeval *timeout)
{
	return ::select(nfds, readable, writable, except, timeout);
}

extern const int fd_setsize = FD_SETSIZE;

#ifdef HAVE_EPOLL
int epoll_create1(int flags)
{
	return ::epoll_create1(flags);
}

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	return ::epoll_ctl(epfd, op, fd, event);
}

int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout_ms)
{
	return ::epoll_wait(epfd, events, max, timeout_ms);
}
#endif

#ifdef HAVE_IO_URING
/* Raw system calls: no liburing (backends/io_uring.cc). */
int io_uring_setup(unsigned entries, struct io_uring_params *params)
{
	return (int)syscall(__NR_io_uring_setup, entries, params);
}

int io_uring_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags)
{
	return (int)syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags, nullptr, 0);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	return ::mmap(addr, len, prot, flags, fd, offset);
}

int munmap(void *addr, size_t len)
{
	return ::munmap(addr, len);
}
#endif

#ifdef HAVE_KQUEUE
int kqueue()
{
	return ::kqueue();
}

#ifdef KQUEUE_CLOEXEC
int kqueuex(unsigned flags)
{
	return ::kqueuex(flags);
}
#endif

#if defined(__NetBSD__) || defined(PM_KQUEUE1)
int kqueue1(int flags)
{
	return ::kqueue1(flags);
}
#endif

int kevent(int kq, const struct kevent *changes, int nchanges, struct kevent *events, int nevents,
           const struct timespec *timeout)
{
	return ::kevent(kq, changes, nchanges, events, nevents, timeout);
}
#endif

/* What uname(2) and the C library say about this machine; os is left to
 * TypeScript (Node's process.platform). */
KernelFacts kernel_facts()
{
	KernelFacts k;
	struct utsname u;
	if (uname(&u) == 0) {
		k.sysname = u.sysname;
		k.release = u.release;
		k.version = u.version;
		k.machine = u.machine;
	}
#if defined(__GLIBC__)
	k.libc = std::string("glibc ") + gnu_get_libc_version();
#elif defined(__APPLE__)
	k.libc = "libSystem";
#elif defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || defined(__DragonFly__)
	k.libc = "BSD libc";
#endif
	return k;
}

/* The host's own objects are what is measured: nothing stands in for one. */
const char *transport_unavailable(const char *)
{
	return nullptr;
}

#ifdef __linux__
extern const bool abstract_unix_names = true;
#else
extern const bool abstract_unix_names = false;
#endif

extern const char *const send_dontwait_ignored = nullptr;

#ifdef MSG_MORE
extern const bool has_msg_more = true;
#else
extern const bool has_msg_more = false;
#endif

#ifdef TCP_DEFER_ACCEPT
extern const bool has_defer_accept = true;
#else
extern const bool has_defer_accept = false;
#endif

#ifdef IP_RECVERR
extern const bool has_ip_recverr = true;
#else
extern const bool has_ip_recverr = false;
#endif

} // namespace os
} // namespace pollmatrix
