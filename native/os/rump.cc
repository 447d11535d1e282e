/*
 * rump.cc - the system-call table's instance for NetBSD's kernel code of
 * 2016-07-28 (NetBSD-current 7.99.34, rumpkernel/src-netbsd 82f3a69) run
 * as a rump kernel: the kernel's own socket layer, TCP/IP, pipes, poll,
 * select and kqueue, built as libraries (scripts/build-rump.sh) and linked
 * into a second addon (scripts/rump-addon.mk), called through rump_sys_*.
 * The instance's other files: rump_settle.cc (when loopback traffic has
 * arrived), rump_errnos.cc (NetBSD's errno names and texts).
 *
 * Where the translation happens (os.h, "Vocabulary"): here, and only here.
 * - Requests arrive in the host's words (Linux's AF_INET6 10, SOL_SOCKET 1,
 *   SO_ERROR 4, MSG_DONTWAIT 0x40, O_NONBLOCK 0x800, a sockaddr without
 *   sin_len...) and leave in NetBSD's (24, 0xffff, 0x1007, 0x80, 0x4, a
 *   sockaddr that starts with its length); a sockaddr, an F_GETFL result, a
 *   timeval or an fd_set coming back is turned into the host's form. A
 *   constant NetBSD has no counterpart for fails the call with NetBSD's
 *   errno for it (ENOPROTOOPT for an option, EAFNOSUPPORT for a family,
 *   EINVAL else) without reaching the kernel.
 * - Observations pass untouched: errno (the rump kernel leaves NetBSD's
 *   number there: librumpuser's rumpuser_seterrno), the errno SO_ERROR
 *   reads, pollfd events and revents (NetBSD's bits: the rump build
 *   compiles everything above against os/netbsd/poll.h) and whole struct
 *   kevents (os/netbsd/sys/event.h). So a document records NetBSD's own
 *   ECONNREFUSED 61, POLLWRBAND 0x100 and EV_EOF with fflags 61, named with
 *   NetBSD's tables (errnos.h, backends/poll_flags.h, backends/kqueue.h).
 *
 * The kernel boots at the first call (kernel()): signals are ignored by the
 * kernel's model (RUMP_SIGMODEL_IGNORE: a write to a widowed pipe must not
 * raise SIGPIPE on the host), the rate limits of RSTs, ICMP errors and
 * the ACKs that answer unacceptable segments are lifted
 * (net.inet.tcp.rstppslimit, net.inet.icmp.errppslimit and
 * net.inet.tcp.ackdropppslimit to -1: no limit, kern/kern_rate.c
 * ppsratecheck; 100 a second each by default, which a run exceeds), and
 * /tmp is made on the
 * kernel's own file system (rumpfs) for UNIX socket paths. One kernel per
 * process: its state is global, and a kernel panic aborts the process
 * (librumpuser's rumpuser_exit), so the rump addon runs in a child process
 * of its own (src/native/rump.ts). The kernel's console is the host's
 * standard output (rumpuser_putchar), made unbuffered so that a panic's
 * last line survives the abort.
 *
 * Each worker thread (workers/worker.h) gets a rump process of its own
 * (rump_pub_lwproc_rfork, a copy of the first process's descriptor table,
 * where 0-2 are the console: a scenario's descriptors start at 3, as in
 * haproxy's tool), so its descriptor table is private.
 */
#include "os.h"

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

extern "C" {
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumperr.h>
}

#include "errnos.h"
#include "netbsd-abi.h"

/* The kernel's own variable behind net.inet.tcp.ackdropppslimit
 * (netinet/tcp_subr.c:210), under the rump build's symbol prefix. */
extern "C" int rumpns_tcp_ackdrop_ppslim;

namespace pollmatrix {
namespace os {

namespace {

/* The date of the kernel source (rumpkernel/src-netbsd 82f3a69, the
 * revision buildrump.sh 6cccd46 pins): the kernel reports only its release
 * and its build time. */
const char *const source_date = "2016-07-28";

/* A call fails here, before the kernel, with NetBSD's `error`. */
int refuse(int error)
{
	errno = error;
	return -1;
}

int sysctl_write_int(const int *mib, unsigned len, int value)
{
	return rump_sys___sysctl(mib, len, nullptr, nullptr, &value, sizeof(value));
}

[[noreturn]] void boot_failed(const char *what, int error)
{
	fprintf(stderr, "pollmatrix: the NetBSD rump kernel did not boot: %s: %s\n", what, rump_strerror(error));
	fflush(stderr);
	_exit(70);
}

bool boot()
{
	setvbuf(stdout, nullptr, _IONBF, 0);
	rump_boot_setsigmodel(RUMP_SIGMODEL_IGNORE);
	int error = rump_init();
	if (error != 0)
		boot_failed("rump_init()", error);
	/* The 101st refused connect (or UDP send to a closed port) in a
	 * second would get no RST (no ICMP error) otherwise: 100 a second is
	 * the default of both (netinet/tcp_subr.c, netinet/ip_icmp.c). */
	const int rst[] = {netbsd::ctl_net, netbsd::af_inet, netbsd::ipproto_tcp, netbsd::tcpctl_rstppslimit};
	if (sysctl_write_int(rst, 4, -1) != 0)
		boot_failed("sysctl net.inet.tcp.rstppslimit=-1", errno);
	const int icmp[] = {netbsd::ctl_net, netbsd::af_inet, netbsd::ipproto_icmp, netbsd::icmpctl_errppslimit};
	if (sysctl_write_int(icmp, 4, -1) != 0)
		boot_failed("sysctl net.inet.icmp.errppslimit=-1", errno);
	/* The same for the ACK that answers an unacceptable segment: the
	 * 101st in a second is dropped otherwise (tcp_input.c:3044-3050).
	 * This kernel has no sysctl node for it (TCPCTL_ACKDROPRATELIMIT is
	 * numbered in tcp_var.h, never created in tcp_usrreq.c), so its own
	 * variable is set, as the sysctl would (tcp_subr.c:210). */
	rumpns_tcp_ackdrop_ppslim = -1;
	if (rump_sys_mkdir("/tmp", 01777) != 0 && errno != RUMP_EEXIST)
		boot_failed("mkdir /tmp", errno);
	return true;
}

/* Every entry calls this first: the kernel boots once, at the first call. */
inline void kernel()
{
	static const bool booted = boot();
	(void)booted;
}

/* Host AF_* -> NetBSD's, -1 for one NetBSD has not. */
int family_in(int family)
{
	switch (family) {
	case AF_UNSPEC:
		return 0;
	case AF_UNIX:
		return netbsd::af_local;
	case AF_INET:
		return netbsd::af_inet;
	case AF_INET6:
		return netbsd::af_inet6;
	default:
		return -1;
	}
}

int family_out(int family)
{
	switch (family) {
	case netbsd::af_local:
		return AF_UNIX;
	case netbsd::af_inet:
		return AF_INET;
	case netbsd::af_inet6:
		return AF_INET6;
	default:
		return AF_UNSPEC;
	}
}

/* SOCK_* with SOCK_CLOEXEC and SOCK_NONBLOCK; -1 for what NetBSD has not. */
int type_in(int type)
{
	int flags = 0;
	if (type & SOCK_CLOEXEC)
		flags |= netbsd::sock_cloexec;
	if (type & SOCK_NONBLOCK)
		flags |= netbsd::sock_nonblock;
	switch (type & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) {
	case SOCK_STREAM:
		return netbsd::sock_stream | flags;
	case SOCK_DGRAM:
		return netbsd::sock_dgram | flags;
	case SOCK_SEQPACKET:
		return netbsd::sock_seqpacket | flags;
	case 0: /* paccept() flags alone */
		return flags;
	default:
		return -1;
	}
}

int type_out(int type)
{
	switch (type) {
	case netbsd::sock_stream:
		return SOCK_STREAM;
	case netbsd::sock_dgram:
		return SOCK_DGRAM;
	case netbsd::sock_seqpacket:
		return SOCK_SEQPACKET;
	default:
		return type;
	}
}

/* O_* for open(), pipe2(), kqueue1() and F_SETFL; -1 for a bit NetBSD has
 * no counterpart of. */
int oflags_in(int flags)
{
	struct Bit {
		int host, netbsd;
	};
	static const Bit bits[] = {
		{O_NONBLOCK, netbsd::o_nonblock}, {O_APPEND, netbsd::o_append},     {O_ASYNC, netbsd::o_async},
		{O_NOFOLLOW, netbsd::o_nofollow}, {O_CREAT, netbsd::o_creat},       {O_TRUNC, netbsd::o_trunc},
		{O_EXCL, netbsd::o_excl},         {O_NOCTTY, netbsd::o_noctty},     {O_DIRECTORY, netbsd::o_directory},
		{O_CLOEXEC, netbsd::o_cloexec},
	};
	int out = flags & O_ACCMODE; /* 0, 1, 2 on both */
	int rest = flags & ~O_ACCMODE;
	for (const Bit &b : bits)
		if (rest & b.host) {
			out |= b.netbsd;
			rest &= ~b.host;
		}
	return rest ? -1 : out;
}

/* F_GETFL's flags back in the host's words (the ones F_SETFL can change,
 * and the access mode). */
int oflags_out(int flags)
{
	int out = flags & netbsd::o_accmode;
	if (flags & netbsd::o_nonblock)
		out |= O_NONBLOCK;
	if (flags & netbsd::o_append)
		out |= O_APPEND;
	if (flags & netbsd::o_async)
		out |= O_ASYNC;
	return out;
}

/* MSG_*; -1 for a flag NetBSD has not (MSG_MORE). */
int msg_in(int flags)
{
	struct Bit {
		int host, netbsd;
	};
	static const Bit bits[] = {
		{MSG_OOB, netbsd::msg_oob},         {MSG_PEEK, netbsd::msg_peek},   {MSG_DONTROUTE, netbsd::msg_dontroute},
		{MSG_EOR, netbsd::msg_eor},         {MSG_TRUNC, netbsd::msg_trunc}, {MSG_CTRUNC, netbsd::msg_ctrunc},
		{MSG_WAITALL, netbsd::msg_waitall}, {MSG_DONTWAIT, netbsd::msg_dontwait},
		{MSG_NOSIGNAL, netbsd::msg_nosignal},
	};
	int out = 0;
	for (const Bit &b : bits)
		if (flags & b.host) {
			out |= b.netbsd;
			flags &= ~b.host;
		}
	return flags ? -1 : out;
}

/* A socket option: its level and name in NetBSD's words, and how its value
 * is laid out. */
enum class Value { plain, timeval };
struct Option {
	int level;
	int name;
	Value value;
};

bool option_in(int level, int name, Option *out)
{
	if (level == SOL_SOCKET) {
		struct Name {
			int host, netbsd;
			Value value;
		};
		static const Name names[] = {
			{SO_DEBUG, netbsd::so_debug, Value::plain},         {SO_ACCEPTCONN, netbsd::so_acceptconn, Value::plain},
			{SO_REUSEADDR, netbsd::so_reuseaddr, Value::plain}, {SO_KEEPALIVE, netbsd::so_keepalive, Value::plain},
			{SO_DONTROUTE, netbsd::so_dontroute, Value::plain}, {SO_BROADCAST, netbsd::so_broadcast, Value::plain},
			{SO_LINGER, netbsd::so_linger, Value::plain},       {SO_OOBINLINE, netbsd::so_oobinline, Value::plain},
			{SO_REUSEPORT, netbsd::so_reuseport, Value::plain}, {SO_SNDBUF, netbsd::so_sndbuf, Value::plain},
			{SO_RCVBUF, netbsd::so_rcvbuf, Value::plain},       {SO_SNDLOWAT, netbsd::so_sndlowat, Value::plain},
			{SO_RCVLOWAT, netbsd::so_rcvlowat, Value::plain},   {SO_ERROR, netbsd::so_error, Value::plain},
			{SO_TYPE, netbsd::so_type, Value::plain},           {SO_SNDTIMEO, netbsd::so_sndtimeo, Value::timeval},
			{SO_RCVTIMEO, netbsd::so_rcvtimeo, Value::timeval},
		};
		for (const Name &n : names)
			if (n.host == name) {
				*out = {netbsd::sol_socket, n.netbsd, n.value};
				return true;
			}
		return false;
	}
	/* TCP_NODELAY is 1 on both; Linux's TCP_INFO (11) is another struct
	 * under another number (NetBSD: 9), so it is not passed. */
	if (level == IPPROTO_TCP && name == TCP_NODELAY) {
		*out = {netbsd::ipproto_tcp, 1, Value::plain};
		return true;
	}
	return false;
}

/* A sockaddr in NetBSD's form: its length first. */
union NetbsdSockaddr {
	netbsd::sockaddr sa;
	netbsd::sockaddr_in in;
	netbsd::sockaddr_in6 in6;
	netbsd::sockaddr_un un;
	uint8_t bytes[128];
};

/* Host sockaddr -> NetBSD's; false (errno set) when it cannot be. */
bool sockaddr_in_(const struct sockaddr *addr, socklen_t len, NetbsdSockaddr *out, socklen_t *out_len)
{
	memset(out, 0, sizeof(*out));
	if (!addr || len < (socklen_t)sizeof(sa_family_t)) {
		errno = RUMP_EINVAL;
		return false;
	}
	switch (addr->sa_family) {
	case AF_INET: {
		if (len < (socklen_t)sizeof(struct sockaddr_in))
			break;
		const struct sockaddr_in *a = (const struct sockaddr_in *)addr;
		out->in.sin_len = sizeof(out->in);
		out->in.sin_family = netbsd::af_inet;
		out->in.sin_port = a->sin_port;
		out->in.sin_addr = a->sin_addr.s_addr;
		*out_len = sizeof(out->in);
		return true;
	}
	case AF_INET6: {
		if (len < (socklen_t)sizeof(struct sockaddr_in6))
			break;
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)addr;
		out->in6.sin6_len = sizeof(out->in6);
		out->in6.sin6_family = netbsd::af_inet6;
		out->in6.sin6_port = a->sin6_port;
		out->in6.sin6_flowinfo = a->sin6_flowinfo;
		memcpy(out->in6.sin6_addr, &a->sin6_addr, 16);
		out->in6.sin6_scope_id = a->sin6_scope_id;
		*out_len = sizeof(out->in6);
		return true;
	}
	case AF_UNIX: {
		/* A path; NetBSD has no abstract names (os::abstract_unix_names
		 * is false here, so none is asked for). */
		const struct sockaddr_un *a = (const struct sockaddr_un *)addr;
		size_t room = len - offsetof(struct sockaddr_un, sun_path);
		size_t path = strnlen(a->sun_path, room < sizeof(a->sun_path) ? room : sizeof(a->sun_path));
		if (path == 0 || path >= sizeof(out->un.sun_path))
			break;
		memcpy(out->un.sun_path, a->sun_path, path);
		/* SUN_LEN(3) with the terminating NUL, as NetBSD's libc passes it. */
		out->un.sun_len = (uint8_t)(2 + path + 1);
		out->un.sun_family = netbsd::af_local;
		*out_len = out->un.sun_len;
		return true;
	}
	default:
		errno = RUMP_EAFNOSUPPORT;
		return false;
	}
	errno = RUMP_EINVAL;
	return false;
}

/* NetBSD sockaddr -> host's, into addr/len as the caller sized them. */
void sockaddr_out(const NetbsdSockaddr &in, socklen_t in_len, struct sockaddr *addr, socklen_t *len)
{
	if (!addr || !len)
		return;
	struct sockaddr_storage host;
	socklen_t host_len = 0;
	memset(&host, 0, sizeof(host));
	switch (in.sa.sa_family) {
	case netbsd::af_inet: {
		struct sockaddr_in *a = (struct sockaddr_in *)&host;
		a->sin_family = AF_INET;
		a->sin_port = in.in.sin_port;
		a->sin_addr.s_addr = in.in.sin_addr;
		host_len = sizeof(*a);
		break;
	}
	case netbsd::af_inet6: {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&host;
		a->sin6_family = AF_INET6;
		a->sin6_port = in.in6.sin6_port;
		a->sin6_flowinfo = in.in6.sin6_flowinfo;
		memcpy(&a->sin6_addr, in.in6.sin6_addr, 16);
		a->sin6_scope_id = in.in6.sin6_scope_id;
		host_len = sizeof(*a);
		break;
	}
	case netbsd::af_local: {
		struct sockaddr_un *a = (struct sockaddr_un *)&host;
		a->sun_family = AF_UNIX;
		size_t path = in_len > 2 ? in_len - 2 : 0;
		if (path > sizeof(a->sun_path))
			path = sizeof(a->sun_path);
		memcpy(a->sun_path, in.un.sun_path, path);
		host_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path);
		break;
	}
	default:
		host.ss_family = (sa_family_t)family_out(in.sa.sa_family);
		host_len = sizeof(sa_family_t);
		break;
	}
	memcpy(addr, &host, host_len < *len ? host_len : *len);
	*len = host_len;
}

struct ::sockaddr *netbsd_sa(NetbsdSockaddr *a)
{
	return reinterpret_cast<struct ::sockaddr *>(a);
}

/* A process of this thread's own in the kernel, with a copy of the first
 * process's descriptor table (0-2: the console). */
int own_process()
{
	return rump_pub_lwproc_rfork(RUMP_RFFDG);
}

std::string sysctl_string(int top, int second)
{
	int mib[2] = {top, second};
	char text[256] = {};
	size_t len = sizeof(text) - 1;
	if (rump_sys___sysctl(mib, 2, text, &len, nullptr, 0) != 0)
		return "";
	return text;
}

} // namespace

/* Descriptors. */

int close(int fd)
{
	kernel();
	return rump_sys_close(fd);
}

int fcntl(int fd, int cmd, int arg)
{
	kernel();
	switch (cmd) {
	case F_GETFD:
		return rump_sys_fcntl(fd, netbsd::f_getfd);
	case F_SETFD:
		return rump_sys_fcntl(fd, netbsd::f_setfd, (arg & FD_CLOEXEC) ? netbsd::fd_cloexec : 0);
	case F_DUPFD_CLOEXEC:
		return rump_sys_fcntl(fd, netbsd::f_dupfd_cloexec, arg);
	case F_GETFL: {
		int flags = rump_sys_fcntl(fd, netbsd::f_getfl);
		return flags < 0 ? flags : oflags_out(flags);
	}
	case F_SETFL: {
		int flags = oflags_in(arg & ~O_ACCMODE);
		if (flags < 0)
			return refuse(RUMP_EINVAL);
		return rump_sys_fcntl(fd, netbsd::f_setfl, flags);
	}
	default:
		return refuse(RUMP_EINVAL);
	}
}

int ioctl(int fd, unsigned long request, void *arg)
{
	kernel();
	switch (request) {
	case FIONREAD:
		return rump_sys_ioctl(fd, netbsd::fionread, arg);
	case FIONBIO:
		return rump_sys_ioctl(fd, netbsd::fionbio, arg);
	default:
		return refuse(RUMP_ENOTTY);
	}
}

ssize_t read(int fd, void *buf, size_t len)
{
	kernel();
	return rump_sys_read(fd, buf, len);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	kernel();
	return rump_sys_write(fd, buf, len);
}

int getrlimit(int resource, struct rlimit *limit)
{
	kernel();
	if (resource != RLIMIT_NOFILE)
		return refuse(RUMP_EINVAL);
	netbsd::rlimit nb;
	if (rump_sys_getrlimit(netbsd::rlimit_nofile, reinterpret_cast<struct ::rlimit *>(&nb)) != 0)
		return -1;
	limit->rlim_cur = nb.rlim_cur == netbsd::rlim_infinity ? RLIM_INFINITY : (rlim_t)nb.rlim_cur;
	limit->rlim_max = nb.rlim_max == netbsd::rlim_infinity ? RLIM_INFINITY : (rlim_t)nb.rlim_max;
	return 0;
}

/* fcntl(F_CLOSEM): NetBSD's closefrom(3). */
void closefrom(int lowest)
{
	kernel();
	rump_sys_fcntl(lowest, netbsd::f_closem);
}

/* Sockets. */

int socket(int family, int type, int protocol)
{
	kernel();
	int f = family_in(family), t = type_in(type);
	if (f < 0)
		return refuse(RUMP_EAFNOSUPPORT);
	if (t < 0)
		return refuse(RUMP_EINVAL);
	/* IPPROTO_TCP 6 and IPPROTO_UDP 17 on both. */
	return rump_sys_socket(f, t, protocol);
}

int socketpair(int family, int type, int protocol, int sv[2])
{
	kernel();
	int f = family_in(family), t = type_in(type);
	if (f < 0)
		return refuse(RUMP_EAFNOSUPPORT);
	if (t < 0)
		return refuse(RUMP_EINVAL);
	return rump_sys_socketpair(f, t, protocol, sv);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	kernel();
	NetbsdSockaddr nb;
	socklen_t nb_len;
	if (!sockaddr_in_(addr, len, &nb, &nb_len))
		return -1;
	return rump_sys_bind(fd, netbsd_sa(&nb), nb_len);
}

int listen(int fd, int backlog)
{
	kernel();
	return rump_sys_listen(fd, backlog);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	kernel();
	NetbsdSockaddr nb;
	socklen_t nb_len;
	if (!sockaddr_in_(addr, len, &nb, &nb_len))
		return -1;
	return rump_sys_connect(fd, netbsd_sa(&nb), nb_len);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return os::accept4(fd, addr, len, 0);
}

/* NetBSD's paccept(2), with no signal mask (its sigset_t is not the host's). */
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	kernel();
	int f = type_in(flags);
	if (f < 0)
		return refuse(RUMP_EINVAL);
	NetbsdSockaddr nb;
	socklen_t nb_len = sizeof(nb);
	memset(&nb, 0, sizeof(nb));
	int s = rump_sys_paccept(fd, netbsd_sa(&nb), &nb_len, nullptr, f);
	if (s >= 0)
		sockaddr_out(nb, nb_len, addr, len);
	return s;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	kernel();
	NetbsdSockaddr nb;
	socklen_t nb_len = sizeof(nb);
	memset(&nb, 0, sizeof(nb));
	if (rump_sys_getsockname(fd, netbsd_sa(&nb), &nb_len) != 0)
		return -1;
	sockaddr_out(nb, nb_len, addr, len);
	return 0;
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	kernel();
	NetbsdSockaddr nb;
	socklen_t nb_len = sizeof(nb);
	memset(&nb, 0, sizeof(nb));
	if (rump_sys_getpeername(fd, netbsd_sa(&nb), &nb_len) != 0)
		return -1;
	sockaddr_out(nb, nb_len, addr, len);
	return 0;
}

/* SO_TYPE comes back in the host's SOCK_* words; SO_ERROR is an errno, so
 * NetBSD's number (os.h); timeouts are NetBSD timevals. */
int getsockopt(int fd, int level, int option, void *value, socklen_t *len)
{
	kernel();
	Option o;
	if (!option_in(level, option, &o))
		return refuse(RUMP_ENOPROTOOPT);
	if (o.value == Value::timeval) {
		netbsd::timeval nb = {};
		socklen_t nb_len = sizeof(nb);
		if (!value || !len || *len < (socklen_t)sizeof(struct timeval))
			return refuse(RUMP_EINVAL);
		if (rump_sys_getsockopt(fd, o.level, o.name, &nb, &nb_len) != 0)
			return -1;
		struct timeval tv = {(time_t)nb.tv_sec, (suseconds_t)nb.tv_usec};
		memcpy(value, &tv, sizeof(tv));
		*len = sizeof(tv);
		return 0;
	}
	if (rump_sys_getsockopt(fd, o.level, o.name, value, len) != 0)
		return -1;
	if (level == SOL_SOCKET && option == SO_TYPE && value && *len >= (socklen_t)sizeof(int))
		*(int *)value = type_out(*(int *)value);
	return 0;
}

int setsockopt(int fd, int level, int option, const void *value, socklen_t len)
{
	kernel();
	Option o;
	if (!option_in(level, option, &o))
		return refuse(RUMP_ENOPROTOOPT);
	if (o.value == Value::timeval) {
		if (!value || len < (socklen_t)sizeof(struct timeval))
			return refuse(RUMP_EINVAL);
		const struct timeval *tv = (const struct timeval *)value;
		netbsd::timeval nb = {(int64_t)tv->tv_sec, (int32_t)tv->tv_usec};
		return rump_sys_setsockopt(fd, o.level, o.name, &nb, sizeof(nb));
	}
	/* int options and struct linger ({int, int} on both) pass as they are. */
	return rump_sys_setsockopt(fd, o.level, o.name, value, len);
}

int shutdown(int fd, int how)
{
	kernel();
	/* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 on both. */
	return rump_sys_shutdown(fd, how);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	kernel();
	int f = msg_in(flags);
	if (f < 0)
		return refuse(RUMP_EINVAL);
	return rump_sys_sendto(fd, buf, len, f, nullptr, 0);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t addr_len)
{
	kernel();
	int f = msg_in(flags);
	if (f < 0)
		return refuse(RUMP_EINVAL);
	NetbsdSockaddr nb;
	socklen_t nb_len;
	if (!sockaddr_in_(addr, addr_len, &nb, &nb_len))
		return -1;
	return rump_sys_sendto(fd, buf, len, f, netbsd_sa(&nb), nb_len);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	kernel();
	int f = msg_in(flags);
	if (f < 0)
		return refuse(RUMP_EINVAL);
	return rump_sys_recvfrom(fd, buf, len, f, nullptr, nullptr);
}

/* sockatmark(3) is ioctl(SIOCATMARK) on NetBSD. */
int sockatmark(int fd)
{
	kernel();
	int at = 0;
	if (rump_sys_ioctl(fd, netbsd::siocatmark, &at) != 0)
		return -1;
	return at;
}

/* Pipes, files, FIFOs, pseudoterminals. */

int pipe(int fds[2])
{
	kernel();
	return rump_sys_pipe2(fds, 0);
}

int pipe2(int fds[2], int flags)
{
	kernel();
	int f = oflags_in(flags);
	if (f < 0)
		return refuse(RUMP_EINVAL);
	return rump_sys_pipe2(fds, f);
}

int open(const char *path, int flags, mode_t mode)
{
	kernel();
	int f = oflags_in(flags);
	if (f < 0)
		return refuse(RUMP_EINVAL);
	return rump_sys_open(path, f, mode);
}

int mkfifo(const char *path, mode_t mode)
{
	kernel();
	return rump_sys_mkfifo(path, mode);
}

int unlink(const char *path)
{
	kernel();
	return rump_sys_unlink(path);
}

int rmdir(const char *path)
{
	kernel();
	return rump_sys_rmdir(path);
}

/* mkdtemp(3) on the kernel's file system: the X's become a number no
 * other call of this process used, so that the first mkdir succeeds. */
char *mkdtemp(char *path_template)
{
	kernel();
	static std::atomic<unsigned> counter{0};
	size_t n = strlen(path_template), xs = 0;
	while (xs < n && path_template[n - 1 - xs] == 'X')
		xs++;
	if (xs < 6) {
		errno = RUMP_EINVAL;
		return nullptr;
	}
	for (int attempt = 0; attempt < 100; attempt++) {
		char digits[32];
		snprintf(digits, sizeof(digits), "%0*u", (int)xs, counter++);
		memcpy(path_template + n - xs, digits + strlen(digits) - xs, xs);
		if (rump_sys_mkdir(path_template, 0700) == 0)
			return path_template;
		if (errno != RUMP_EEXIST)
			return nullptr;
	}
	return nullptr;
}

/* No pty in this rump kernel (no ptyfs, no tty component): each fails as
 * open("/dev/ptmx") does there. transport_unavailable() keeps the pty
 * transport from asking. */
int posix_openpt(int)
{
	return refuse(RUMP_ENOENT);
}

int grantpt(int)
{
	return refuse(RUMP_ENOENT);
}

int unlockpt(int)
{
	return refuse(RUMP_ENOENT);
}

char *ptsname(int)
{
	errno = RUMP_ENOENT;
	return nullptr;
}

int ptsname_r(int, char *, size_t)
{
	return refuse(RUMP_ENOENT);
}

/* Linux's own descriptor kinds: the NetBSD kernel of 2016 has no eventfd,
 * inotify, timerfd, signalfd or pidfd (and pollmatrix forks no process in a
 * rump kernel) (NetBSD 10 added eventfd and timerfd, in 2023). transport_unavailable() keeps their
 * transports from asking. */
int eventfd(unsigned, int)
{
	return refuse(RUMP_ENOSYS);
}

int inotify_init1(int)
{
	return refuse(RUMP_ENOSYS);
}

int inotify_add_watch(int, const char *, uint32_t)
{
	return refuse(RUMP_ENOSYS);
}

int timerfd_create(int, int)
{
	return refuse(RUMP_ENOSYS);
}

int timerfd_settime(int, int, const struct itimerspec *, struct itimerspec *)
{
	return refuse(RUMP_ENOSYS);
}

int signalfd(int, const sigset_t *, int)
{
	return refuse(RUMP_ENOSYS);
}

int clone_waiting_child()
{
	return refuse(RUMP_ENOSYS);
}

int pidfd_open(int, unsigned)
{
	return refuse(RUMP_ENOSYS);
}

int pidfd_send_signal(int, int)
{
	return refuse(RUMP_ENOSYS);
}

int kill(int, int)
{
	return refuse(RUMP_ENOSYS);
}

int waitid(int, int, siginfo_t *, int)
{
	return refuse(RUMP_ENOSYS);
}

/* Holders: a rump kernel's processes are not host processes, and a host
 * fork would copy the host's table, not the rump kernel's. */
int fork_child(void (*)(void *), void *)
{
	return refuse(RUMP_ENOSYS);
}

int reap_child(int)
{
	return refuse(RUMP_ENOSYS);
}

void close_range(unsigned, unsigned) {}

extern const char *const holders_unavailable =
	"a rump kernel's processes are not host processes: a host fork() would copy none of its descriptors";

/* Readiness. */

/* struct pollfd and its bits are NetBSD's here (os/netbsd/poll.h). */
int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	kernel();
	return rump_sys_poll(fds, n, timeout_ms);
}

extern const int fd_setsize = netbsd::fd_setsize;

namespace {

/* The first `nfds` descriptors of a host fd_set into NetBSD's 32-bit
 * words, and back. */
void fd_set_in(const fd_set *host, int nfds, netbsd::fd_set *out)
{
	netbsd::fd_zero(out);
	if (host)
		for (int fd = 0; fd < nfds; fd++)
			if (FD_ISSET(fd, host))
				netbsd::fd_set_bit(fd, out);
}

void fd_set_out(const netbsd::fd_set &in, int nfds, fd_set *host)
{
	if (!host)
		return;
	FD_ZERO(host);
	for (int fd = 0; fd < nfds; fd++)
		if (netbsd::fd_isset(fd, &in))
			FD_SET(fd, host);
}

} // namespace

int select(int nfds, fd_set *readable, fd_set *writable, fd_set *except, struct timeval *timeout)
{
	kernel();
	if (nfds < 0 || nfds > netbsd::fd_setsize)
		return refuse(RUMP_EINVAL);
	netbsd::fd_set r, w, x;
	fd_set_in(readable, nfds, &r);
	fd_set_in(writable, nfds, &w);
	fd_set_in(except, nfds, &x);
	netbsd::timeval tv = {};
	if (timeout)
		tv = {(int64_t)timeout->tv_sec, (int32_t)timeout->tv_usec};
	int n = rump_sys_select(nfds, readable ? reinterpret_cast<::fd_set *>(&r) : nullptr,
	                        writable ? reinterpret_cast<::fd_set *>(&w) : nullptr,
	                        except ? reinterpret_cast<::fd_set *>(&x) : nullptr,
	                        timeout ? reinterpret_cast<struct ::timeval *>(&tv) : nullptr);
	if (n < 0)
		return n;
	fd_set_out(r, nfds, readable);
	fd_set_out(w, nfds, writable);
	fd_set_out(x, nfds, except);
	return n;
}

/* kqueue: NetBSD's struct kevent on both sides (os/netbsd/sys/event.h). */
int kqueue()
{
	kernel();
	return rump_sys_kqueue();
}

int kqueue1(int flags)
{
	kernel();
	int f = oflags_in(flags);
	if (f < 0)
		return refuse(RUMP_EINVAL);
	return rump_sys_kqueue1(f);
}

int kevent(int kq, const struct kevent *changes, int nchanges, struct kevent *events, int nevents,
           const struct timespec *timeout)
{
	kernel();
	netbsd::timespec ts = {};
	if (timeout)
		ts = {(int64_t)timeout->tv_sec, (long)timeout->tv_nsec};
	return rump_sys_kevent(kq, changes, (size_t)nchanges, events, (size_t)nevents,
	                       timeout ? reinterpret_cast<const struct ::timespec *>(&ts) : nullptr);
}

/* What the kernel is. */

/* The kernel's own answers (kern.ostype, kern.osrelease, kern.version,
 * hw.machine_arch), and how it ran: in this process on the host. */
KernelFacts kernel_facts()
{
	kernel();
	KernelFacts k;
	k.os = "netbsd";
	k.sysname = sysctl_string(netbsd::ctl_kern, netbsd::kern_ostype);
	k.release = sysctl_string(netbsd::ctl_kern, netbsd::kern_osrelease);
	k.version = sysctl_string(netbsd::ctl_kern, netbsd::kern_version);
	while (!k.version.empty() && (k.version.back() == '\n' || k.version.back() == ' '))
		k.version.pop_back();
	k.machine = sysctl_string(netbsd::ctl_hw, netbsd::hw_machine_arch);
	/* No C library between the engine and this kernel: rump_sys_* are
	 * its system calls. */
	k.libc = "none (rump_sys_* calls)";
	/* "linux 6.18.44": the host as uname(2) names it, lower-case as Node
	 * spells it. */
	struct utsname u;
	std::string host = "an unknown host";
	if (uname(&u) == 0) {
		std::string name = u.sysname;
		for (char &c : name)
			c = (char)tolower((unsigned char)c);
		host = name + " " + u.release;
	}
	k.measured_in = std::string("rump kernel: NetBSD kernel code of ") + source_date + ", in a process on " + host;
	return k;
}

/* The reasons come from running them (issue 15's findings, measured with
 * scripts/rump-smoke.cc) and from the source of that date. */
const char *transport_unavailable(const char *transport)
{
	if (strcmp(transport, "fifo") == 0)
		return "this rump kernel's file system (rumpfs of 2016) makes a FIFO a plain vnode without fifofs "
		       "(rumpfs.c: rumpfs_loadvnode gives every type but VCHR and VBLK rump_vnodeop_p): poll() answers "
		       "EOPNOTSUPP (45) as if it were revents (0x2d: IN OUT ERR NVAL), and a write panics the kernel "
		       "(genfs_io.c:139 KASSERT)";
	if (strcmp(transport, "file") == 0 || strcmp(transport, "dir") == 0)
		return "this rump kernel's file system (rumpfs of 2016) has no VOP_POLL: poll() answers EOPNOTSUPP (45) "
		       "as if it were revents (0x2d: IN OUT ERR NVAL, vfs_vnops.c vn_poll) and kevent EVFILT_READ fails "
		       "with EV_ERROR 45, where a NetBSD machine's FFS or tmpfs answers through genfs_poll";
	if (strncmp(transport, "eventfd", 7) == 0 || strcmp(transport, "inotify") == 0 ||
	    strcmp(transport, "timerfd") == 0 || strcmp(transport, "signalfd") == 0 || strcmp(transport, "pidfd") == 0)
		return "the NetBSD kernel of 2016 has no eventfd, inotify, timerfd, signalfd or pidfd (eventfd and "
		       "timerfd came with NetBSD 10): the call fails with ENOSYS";
	if (strcmp(transport, "epoll") == 0)
		return "NetBSD has no epoll (epoll(7) is Linux's own; NetBSD's kqueue can hold a kqueue instead)";
	if (strcmp(transport, "netlink") == 0)
		return "NetBSD has no netlink (AF_NETLINK is Linux's own; NetBSD's route(4) socket is its counterpart)";
	if (strcmp(transport, "chardev") == 0)
		return "NetBSD has no /dev/full (its mem(4) has /dev/null and /dev/zero; full(4) is Linux's and "
		       "FreeBSD's), and the transport needs all three";
	if (strcmp(transport, "pty") == 0)
		return "no pty in a rump kernel (no ptyfs and no tty component: open(\"/dev/ptmx\") fails with ENOENT)";
	return nullptr;
}

extern const bool abstract_unix_names = false;
extern const bool has_msg_more = false;
/* NetBSD has neither (its listeners defer with an accept filter, and ICMP
 * errors reach only connected sockets). */
extern const bool has_defer_accept = false;
extern const bool has_ip_recverr = false;

/* sys/socket.h:522 says MSG_DONTWAIT means "this message should be
 * nonblocking", and soreceive() honours it, but sosend() waits for room
 * unless the socket is nonblocking or the call says MSG_NBIO
 * (kern/uipc_socket.c:968). */
extern const char *const send_dontwait_ignored =
	"this kernel's send() waits for room despite MSG_DONTWAIT (kern/uipc_socket.c:968 sosend checks only "
	"SS_NBIO and MSG_NBIO): sent with O_NONBLOCK set around the call";

ThreadIsolation isolate_thread()
{
	kernel();
	ThreadIsolation got;
	int error = own_process();
	if (error != 0) {
		got.why_shared = std::string("rump_pub_lwproc_rfork(RUMP_RFFDG) failed: ") + rump_strerror(error);
		got.why_host_network = "the rump kernel's own network, shared by every thread of this process";
		return got;
	}
	got.private_table = true;
	/* The rump kernel's network is this process's alone: loopback only,
	 * nothing reaches the host's. */
	got.network = "private";
	return got;
}

/* Sockets are reset when discarded (workers/descriptors.h), and the whole
 * kernel goes with its process: nothing piles up. */
bool refresh_network(std::string *)
{
	return true;
}

} // namespace os
} // namespace pollmatrix
