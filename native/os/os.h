/*
 * os.h - the system-call table. Every call that the engine, the transports,
 * the backends and the descriptor table make to the kernel under test goes
 * through os::, so that kernel can be another one than the host's. With it
 * come the facts about that kernel the code above needs (below: "What the
 * kernel is"), so that no code above asks the host's headers about it.
 *
 * One instance per kernel, chosen at link time: a build links exactly one
 * set of files that defines every entry.
 *   host.cc (+ host_thread.cc, host_settle.cc, errnos.cc): the host's own
 *     kernel, each call one direct call deep, so the table costs nothing
 *     measurable (npm run bench). binding.gyp builds it.
 *   rump.cc (+ rump_settle.cc, rump_errnos.cc): NetBSD's kernel code of
 *     2016-07-28 built as a rump kernel (libraries in this process), through
 *     rump_sys_*. scripts/rump-addon.mk builds it into a second addon.
 *
 * Vocabulary. What the code above the border hands in and gets back is in
 * one of two vocabularies, and each entry says which:
 * - Requests in the host's words. Descriptor and socket plumbing takes the
 *   host's constants and structs: AF_*, SOCK_* (with SOCK_CLOEXEC), SOL_SOCKET
 *   and SO_*, IPPROTO_*, MSG_*, O_* and F_*, SHUT_*, FIONREAD, RLIMIT_*, and
 *   struct sockaddr (in, in6, un), linger, timeval, rlimit, fd_set; what such
 *   a call gives back in them (a sockaddr from getsockname, F_GETFL's flags,
 *   SO_TYPE's type, an fd_set) is in the host's words too. An instance for
 *   another kernel translates both ways; a constant that kernel lacks makes
 *   the call fail with err::inval (the engine never relies on one: the facts
 *   below say what exists).
 * - Observations in the kernel's own words. What a result document records
 *   is never translated, so that a bit or a number can never be mistaken for
 *   the host's:
 *     errno after a failed call, and the errno SO_ERROR reads: the kernel's
 *       numbers (ECONNREFUSED is 111 on Linux, 61 on NetBSD), named and
 *       described by errnos.h, which also gives the few numbers the engine
 *       tests itself (err::again, ...);
 *     poll(): events and revents are the kernel's POLL* bits. The rump build
 *       compiles everything above the border against NetBSD's <poll.h>
 *       (os/netbsd/poll.h), so POLLIN there is NetBSD's and poll_flags.h
 *       names NetBSD's bits (POLLWRBAND 0x100, no POLLRDHUP);
 *     kevent(): struct kevent, EV_*, EVFILT_* and every field are the
 *       kernel's: the rump build compiles the kqueue backends against
 *       NetBSD's <sys/event.h> (os/netbsd/sys/event.h).
 *   select() is the exception that needs neither: its sets say only which
 *   descriptors, so they are translated (fd_set of 32-bit words on NetBSD,
 *   hence fd_setsize below is the instance's).
 * - A call fails as the kernel's does: -1 (mmap: MAP_FAILED) with errno.
 *
 * An entry exists where the kernel has the call: epoll_* with HAVE_EPOLL,
 * io_uring_* (and mmap, for its rings) with HAVE_IO_URING, kqueue and kevent
 * with HAVE_KQUEUE (kqueuex and kqueue1 where the header says the kernel has
 * them, as kqueue.h asks), accept4 where SOCK_CLOEXEC exists, pipe2 where
 * PM_HAVE_PIPE2, ptsname_r on Linux hosts (the rump instance fails it),
 * eventfd, inotify_*, timerfd_*, signalfd and the pidfd calls with
 * PM_HAVE_LINUX_FDS (likewise).
 *
 * Not in the table, because they belong to the host process rather than to
 * the kernel under test: threads, signal masks and sched_yield(), uname() of
 * the host, getpid(). Code above the border asks no `#ifdef __linux__` about
 * the kernel under test: it asks the facts below. (The pty transport's
 * settle rule is the host's: the pty transport exists only there.)
 */
#pragma once

#include <cstddef>
#include <string>
#include <vector>

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

#ifdef __linux__
/* Linux's own descriptor kinds: eventfd(2), inotify(7), timerfd_create(2),
 * signalfd(2), pidfd_open(2). Their transports exist only where this is
 * defined. */
#define PM_HAVE_LINUX_FDS 1
#include <signal.h>
#include <stdint.h>
#include <time.h>
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
ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t addr_len);
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

/* Linux's own descriptor kinds (PM_HAVE_LINUX_FDS), flags in the host's
 * words (EFD_*, IN_*, TFD_*, SFD_*, sigset_t). The rump instance fails each with ENOSYS: the NetBSD
 * kernel of 2016 has none of them. */
#ifdef PM_HAVE_LINUX_FDS
int eventfd(unsigned initial, int flags);
int inotify_init1(int flags);
int inotify_add_watch(int fd, const char *path, uint32_t mask);
int timerfd_create(int clock, int flags);
int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old);
int signalfd(int fd, const sigset_t *mask, int flags);
/* A child process that only waits to be killed: a raw clone (no atfork
 * handler runs in Node's process), sharing the caller's descriptor table
 * (CLONE_FILES: it holds no copy of a scenario's descriptors) and with no
 * exit signal (no SIGCHLD reaches Node's handler; waitid needs __WALL).
 * Returns its pid, or -1 with errno. */
int clone_waiting_child();
int pidfd_open(int pid, unsigned flags);
int pidfd_send_signal(int pidfd, int sig);
int kill(int pid, int sig);
/* waitid(2) by the raw call, so P_PIDFD (3) works whatever the libc. */
int waitid(int idtype, int id, siginfo_t *info, int options);
#endif

/* Holders (engine/holder.h): a child process with a copy of a scenario's
 * descriptor. Not Linux's alone: every host kernel forks.
 * fork_child() makes a child as fork(2) does: its own copy of the caller's
 * descriptor table (no CLONE_FILES: it holds references of its own) and of
 * its memory. On Linux a raw clone (no atfork handler runs in Node's
 * process) with no exit signal (no SIGCHLD reaches Node's handler;
 * reap_child waits with __WALL), whose parent's death kills it
 * (PR_SET_PDEATHSIG SIGKILL, prctl(2)); elsewhere fork(2). The child keeps
 * the caller's signal mask (a worker's blocks all but SIGKILL and SIGSTOP),
 * runs body(arg), which may make system calls only (the caller's process is
 * multi-threaded: no allocation, no lock), and exits. Returns the child's
 * pid, or -1 with errno. */
int fork_child(void (*body)(void *), void *arg);
/* SIGKILL to `pid`, then wait until it is reaped; EINTR is retried. */
int reap_child(int pid);
/* Closes every descriptor from `first` to `last` included: Linux 5.9's
 * close_range(2), else one close() per number below RLIMIT_NOFILE. Only
 * system calls, so a fork_child body may call it. */
void close_range(unsigned first, unsigned last);
/* nullptr where fork_child() makes a holder of the kernel under test's
 * descriptors; else why not, as the note of the step that asked. */
extern const char *const holders_unavailable;

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

/* What the kernel is. */

/* The facts a result document carries about the kernel under test
 * (napi/platform.cc): its name (os: Node's spelling, "netbsd"; empty for
 * the host, which TypeScript names itself), release and version as the
 * kernel reports them, machine, C library, and, for a kernel that is not
 * the machine's own, how it was measured. */
struct KernelFacts {
	std::string os;
	std::string sysname;
	std::string release;
	std::string version;
	std::string machine;
	std::string libc;
	std::string measured_in;
};
KernelFacts kernel_facts();

/* Why `transport` (a transports/ name) cannot be measured in this kernel,
 * or nullptr: a call exists but what it would report is an artefact of
 * the instance (a FIFO on a rump kernel's file system), or the kernel has
 * no such object at all (no pty in a rump kernel). The transport's own
 * Transport::unavailable() is asked besides. */
const char *transport_unavailable(const char *transport);

/* UNIX sockets can be bound to abstract names (Linux, unix(7)); else they
 * need a path (transports/local_address.cc). */
extern const bool abstract_unix_names;
/* send() knows MSG_MORE (Linux): `mor` sends with it; else it sends without
 * and says so (engine/io.cc). */
extern const bool has_msg_more;
/* The kernel has TCP_DEFER_ACCEPT (Linux, tcp(7)) and IP_RECVERR (Linux,
 * ip(7)): `dfr` and `rve` ask them; else those steps ask nothing and say
 * so, rather than report an errno the kernel never gave (engine/io.cc). */
extern const bool has_defer_accept;
extern const bool has_ip_recverr;

/* nullptr where send() with MSG_DONTWAIT never waits for room (Linux,
 * send(2)); else why it may, as the note of a step it concerns: the engine
 * then also sets O_NONBLOCK around such a send (engine/io.cc), as a program
 * on that kernel would have to. */
extern const char *const send_dontwait_ignored;

/* A worker thread's isolation (workers/worker.h), decided once at its
 * start: whether it got a descriptor table of its own in this kernel (on
 * Linux unshare(CLONE_FILES); in a rump kernel a process of its own), and
 * a network of its own (a Linux network namespace, where allowed; a rump
 * kernel's network is the process's own anyway). The why_* strings say why
 * not. */
struct ThreadIsolation {
	bool private_table = false;
	std::string why_shared;
	/* "private" or "host". */
	const char *network = "host";
	std::string why_host_network;
};
ThreadIsolation isolate_thread();
/* Called on a worker every so many scenarios: a network whose TIME_WAIT
 * entries pile up is left for a fresh one. Returns false, with `why`, when
 * the worker now runs in the host's network. */
bool refresh_network(std::string *why);

/* Traffic the scenario's endpoints (`fds`) sent that this kernel has not
 * delivered yet (engine/settle.h waits while it is true, within a bound).
 * Host: Linux's TCP rule (host_settle.cc), asked before each `pol`; no wait
 * elsewhere. Rump: the kernel's own counters (rump_settle.cc), before every
 * step: a rump kernel hands loopback packets to a thread of its own, so
 * even a `rcv` right after the peer's `snd` could come too early. */
bool in_flight(const std::vector<int> &fds);
/* in_flight() is asked before every step, not only before a `pol`. */
extern const bool settle_every_step;

} // namespace os
} // namespace pollmatrix
