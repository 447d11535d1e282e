/*
 * netbsd-abi.h - the NetBSD system-call interface that rump_sys_* speaks,
 * for a program compiled against Linux's headers (issue 15): os/rump.cc
 * translates with it, and the shims in os/netbsd/ (NetBSD's <poll.h> and
 * <sys/event.h> for the rump build) are checked against it.
 *
 * A rump kernel's system calls take NetBSD's constants and structs, not the
 * host's: O_NONBLOCK is 4, SOL_SOCKET 0xffff, ECONNREFUSED 61, a sockaddr
 * starts with its length, an fd_set is 256 bits in 32-bit words, and struct
 * kevent has NetBSD's layout. NetBSD's and Linux's headers cannot be included
 * together, so the values live here, in namespace netbsd, lower-case (the
 * host's upper-case macros would rewrite POLLIN and friends), each with the
 * NetBSD header it comes from: NetBSD-current 7.99.34 of 2016-07-28,
 * rumpkernel/src-netbsd 82f3a6905f6a3a65ceb3a21046de62437f61e7dd.
 *
 * The rump build installs <rump/rumpdefs.h>, which has RUMP_-prefixed O_*,
 * errno, SOCK_*, SO_*, SOL_SOCKET, MSG_*, AF_* and IPPROTO_* values, and
 * <rump/rumperr.h> with rump_strerror(). It has none of what is below the
 * first line of each group marked "(not in rumpdefs.h)": poll, kqueue,
 * fd_set, sockaddr structs, SHUT_*, F_GETFL/F_SETFL, FIONREAD, rlimits, sysctl.
 *
 * Checked twice:
 *  - scripts/netbsd-abi-check.cc compiles this header next to NetBSD's own
 *    headers of the pinned tree (g++ -nostdinc) and static_asserts every
 *    value, size and offset; scripts/build-rump.sh runs it on each build;
 *  - scripts/rump-smoke.cc static_asserts the values rumpdefs.h also has.
 *
 * Layouts are those of an LP64 NetBSD (amd64, aarch64), the ones a rump
 * kernel built for an x86_64 or arm64 Linux host uses.
 *
 * Include <stdint.h> and <stddef.h> (or their C++ forms) first: this header
 * includes nothing, so that the check can put it next to NetBSD's headers.
 */
#pragma once

namespace netbsd {

/* sys/fcntl.h (the O_* values are in rumpdefs.h; F_GETFL and F_SETFL are
 * not: makerumpdefs.sh copies only the F_ values written in hex) */
constexpr int o_rdonly = 0x00000000;
constexpr int o_wronly = 0x00000001;
constexpr int o_rdwr = 0x00000002;
constexpr int o_accmode = 0x00000003;
constexpr int o_nonblock = 0x00000004;
constexpr int o_append = 0x00000008;
constexpr int o_async = 0x00000040;
constexpr int o_nofollow = 0x00000100;
constexpr int o_creat = 0x00000200;
constexpr int o_trunc = 0x00000400;
constexpr int o_excl = 0x00000800;
constexpr int o_noctty = 0x00008000;
constexpr int o_directory = 0x00200000;
constexpr int o_cloexec = 0x00400000;
constexpr int f_getfd = 1;
constexpr int f_setfd = 2;
constexpr int f_getfl = 3;
constexpr int f_setfl = 4;
constexpr int f_closem = 10; /* closefrom(3) is fcntl(fd, F_CLOSEM) */
constexpr int f_dupfd_cloexec = 12;
constexpr int fd_cloexec = 1;

/* sys/errno.h: the ones the smoke program meets; the full list is
 * rumpdefs.h's RUMP_E*, and rump_strerror() (rumperr.h) has the messages. */
constexpr int enoent = 2;
constexpr int eintr = 4;
constexpr int ebadf = 9;
constexpr int einval = 22;
constexpr int epipe = 32;
constexpr int eagain = 35;
constexpr int einprogress = 36;
constexpr int ealready = 37;
constexpr int emsgsize = 40;
constexpr int enoprotoopt = 42;
constexpr int eopnotsupp = 45;
constexpr int eafnosupport = 47;
constexpr int eaddrinuse = 48;
constexpr int econnreset = 54;
constexpr int eisconn = 56;
constexpr int enotconn = 57;
constexpr int etimedout = 60;
constexpr int econnrefused = 61;

/* sys/socket.h, netinet/in.h, netinet/tcp.h (in rumpdefs.h as RUMP_*) */
constexpr int af_local = 1;
constexpr int af_inet = 2;
constexpr int af_inet6 = 24;
constexpr int sock_stream = 1;
constexpr int sock_dgram = 2;
constexpr int sock_seqpacket = 5;
constexpr int sock_cloexec = 0x10000000;
constexpr int sock_nonblock = 0x20000000;
constexpr int sock_nosigpipe = 0x40000000;
constexpr int sol_socket = 0xffff;
constexpr int so_debug = 0x0001;
constexpr int so_acceptconn = 0x0002;
constexpr int so_reuseaddr = 0x0004;
constexpr int so_keepalive = 0x0008;
constexpr int so_dontroute = 0x0010;
constexpr int so_broadcast = 0x0020;
constexpr int so_linger = 0x0080;
constexpr int so_oobinline = 0x0100;
constexpr int so_reuseport = 0x0200;
constexpr int so_nosigpipe = 0x0800;
constexpr int so_sndbuf = 0x1001;
constexpr int so_rcvbuf = 0x1002;
constexpr int so_sndlowat = 0x1003;
constexpr int so_rcvlowat = 0x1004;
constexpr int so_error = 0x1007;
constexpr int so_type = 0x1008;
constexpr int so_sndtimeo = 0x100b;
constexpr int so_rcvtimeo = 0x100c;
constexpr int msg_oob = 0x0001;
constexpr int msg_peek = 0x0002;
constexpr int msg_dontroute = 0x0004;
constexpr int msg_eor = 0x0008;
constexpr int msg_trunc = 0x0010;
constexpr int msg_ctrunc = 0x0020;
constexpr int msg_waitall = 0x0040;
constexpr int msg_dontwait = 0x0080;
constexpr int msg_nosignal = 0x0400;
constexpr int ipproto_tcp = 6;
constexpr int ipproto_udp = 17;
constexpr int ipproto_ipv6 = 41;
constexpr int tcp_nodelay = 1;
/* (not in rumpdefs.h) */
constexpr int shut_rd = 0;
constexpr int shut_wr = 1;
constexpr int shut_rdwr = 2;
constexpr int ipv6_v6only = 27; /* netinet6/in6.h */
constexpr uint32_t inaddr_loopback = 0x7f000001; /* host order */

/* sys/filio.h: _IOR('f', 127, int) and _IOW('f', 126, int) (sys/ioccom.h).
 * rump_sys_ioctl's request is an unsigned long, as on NetBSD. */
constexpr unsigned long fionread = 0x4004667fUL;
constexpr unsigned long fionbio = 0x8004667eUL;
/* sys/sockio.h: _IOR('s', 7, int); sockatmark(3) is this ioctl. */
constexpr unsigned long siocatmark = 0x40047307UL;

/* sys/poll.h. POLLWRBAND is 0x100 (Linux: 0x200); there is no POLLRDHUP. */
constexpr short pollin = 0x0001;
constexpr short pollpri = 0x0002;
constexpr short pollout = 0x0004;
constexpr short pollerr = 0x0008;
constexpr short pollhup = 0x0010;
constexpr short pollnval = 0x0020;
constexpr short pollrdnorm = 0x0040;
constexpr short pollrdband = 0x0080;
constexpr short pollwrband = 0x0100;
constexpr short pollwrnorm = pollout;

struct pollfd {
	int fd;
	short events;
	short revents;
};

/* sys/event.h. filter and flags are 32-bit unsigned (FreeBSD and macOS: a
 * 16-bit signed filter, 16-bit flags). No EVFILT_USER and no EVFILT_EXCEPT
 * in this kernel. EV_SYSFLAGS is a mask (EV_EOF and EV_ERROR are in it),
 * never a flag. */
constexpr uint32_t evfilt_read = 0;
constexpr uint32_t evfilt_write = 1;
constexpr uint32_t evfilt_aio = 2;
constexpr uint32_t evfilt_vnode = 3;
constexpr uint32_t evfilt_proc = 4;
constexpr uint32_t evfilt_signal = 5;
constexpr uint32_t evfilt_timer = 6;
constexpr uint32_t evfilt_syscount = 7;
constexpr uint32_t ev_add = 0x0001;
constexpr uint32_t ev_delete = 0x0002;
constexpr uint32_t ev_enable = 0x0004;
constexpr uint32_t ev_disable = 0x0008;
constexpr uint32_t ev_oneshot = 0x0010;
constexpr uint32_t ev_clear = 0x0020;
constexpr uint32_t ev_receipt = 0x0040;
constexpr uint32_t ev_dispatch = 0x0080;
constexpr uint32_t ev_sysflags = 0xf000; /* mask */
constexpr uint32_t ev_flag1 = 0x2000;
constexpr uint32_t ev_error = 0x4000;
constexpr uint32_t ev_eof = 0x8000;
constexpr uint32_t note_lowat = 0x0001;

/* 40 bytes on LP64: ident 0, filter 8, flags 12, fflags 16, data 24 (after
 * 4 bytes of padding), udata 32. */
struct kevent {
	uintptr_t ident;
	uint32_t filter;
	uint32_t flags;
	uint32_t fflags;
	int64_t data;
	intptr_t udata;
};

/* sys/fd_set.h: 32-bit words, FD_SETSIZE 256 (Linux: 64-bit words, 1024).
 * The kernel reads howmany(nfds, 32) words, so a descriptor at or above
 * fd_setsize cannot be asked with this set. */
constexpr int fd_setsize = 256;
constexpr int nfdbits = 32;
struct fd_set {
	uint32_t fds_bits[fd_setsize / nfdbits];
};
inline void fd_zero(fd_set *set)
{
	for (uint32_t &word : set->fds_bits)
		word = 0;
}
inline void fd_set_bit(int fd, fd_set *set)
{
	set->fds_bits[unsigned(fd) / nfdbits] |= uint32_t(1) << (unsigned(fd) % nfdbits);
}
inline bool fd_isset(int fd, const fd_set *set)
{
	return set->fds_bits[unsigned(fd) / nfdbits] & (uint32_t(1) << (unsigned(fd) % nfdbits));
}

/* sys/time.h, sys/timespec.h: time_t is 64-bit; suseconds_t is int. */
struct timeval {
	int64_t tv_sec;
	int32_t tv_usec;
};
struct timespec {
	int64_t tv_sec;
	long tv_nsec;
};

/* sys/socket.h, netinet/in.h, netinet6/in6.h, sys/un.h: every sockaddr
 * starts with its own length (sa_len), then an 8-bit family. The in6
 * address is a plain array here: glibc makes s6_addr a macro. */
struct sockaddr {
	uint8_t sa_len;
	uint8_t sa_family;
	char sa_data[14];
};
struct sockaddr_in {
	uint8_t sin_len;
	uint8_t sin_family;
	uint16_t sin_port; /* network order */
	uint32_t sin_addr; /* network order */
	int8_t sin_zero[8];
};
struct sockaddr_in6 {
	uint8_t sin6_len;
	uint8_t sin6_family;
	uint16_t sin6_port;
	uint32_t sin6_flowinfo;
	uint8_t sin6_addr[16];
	uint32_t sin6_scope_id;
};
struct sockaddr_un {
	uint8_t sun_len;
	uint8_t sun_family;
	char sun_path[104]; /* no abstract names on NetBSD */
};
struct linger {
	int l_onoff;
	int l_linger;
};

/* sys/resource.h: RLIMIT_NOFILE is 8 (Linux: 7); rlim_t is uint64_t. */
constexpr int rlimit_nofile = 8;
constexpr uint64_t rlim_infinity = ~(uint64_t(1) << 63);
struct rlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

/* sys/sysctl.h. NetBSD's MIB is dynamic: a name is found by asking a node
 * for its children (CTL_QUERY), as sysctlnametomib(3) does. Only the fields
 * that lookup reads are named; the rest is padding to NetBSD's 96 bytes. */
constexpr int ctl_kern = 1;
constexpr int kern_ostype = 1;
constexpr int kern_osrelease = 2;
constexpr int kern_version = 4;
constexpr int ctl_net = 4;
constexpr int ctl_hw = 6;
constexpr int hw_machine = 1;
constexpr int hw_machine_arch = 10;
constexpr int ctl_query = -2;
constexpr int ctl_maxname = 12;
constexpr uint32_t sysctl_version = 0x01000000; /* SYSCTL_VERS_1 */
constexpr uint32_t sysctl_typemask = 0x0000000f;
constexpr uint32_t ctltype_node = 1;
constexpr uint32_t ctltype_int = 2;
constexpr int sysctl_namelen = 32;
struct sysctlnode {
	uint32_t sysctl_flags; /* version | flags | type */
	int32_t sysctl_num;
	char sysctl_name[sysctl_namelen];
	uint32_t sysctl_ver;
	uint32_t rsvd;
	uint64_t sysctl_un[2];
	uint64_t size_func_parent_desc[4];
};
/* net.inet.tcp.rstppslimit, numbered in netinet/tcp_var.h: {CTL_NET,
 * PF_INET, IPPROTO_TCP, TCPCTL_RSTPPSLIMIT}. Default 100 (tcp_subr.c). */
constexpr int tcpctl_rstppslimit = 24;
/* net.inet.tcp.ackdropppslimit, netinet/tcp_var.h: the ACKs answering an
 * unacceptable segment (an RST out of sequence, tcp_input.c
 * dropafterack_ratelim). Default 100 a second (tcp_subr.c). */
constexpr int tcpctl_ackdropratelimit = 28;
/* net.inet.icmp.errppslimit, netinet/icmp_var.h: {CTL_NET, PF_INET,
 * IPPROTO_ICMP, ICMPCTL_ERRPPSLIMIT}. Default 100 (ip_icmp.c): a UDP send
 * to a closed port is answered with an ICMP error it limits. */
constexpr int ipproto_icmp = 1;
constexpr int icmpctl_errppslimit = 4;
/* net.inet.ip.stats and net.inet6.ip6.stats: arrays of uint64_t counters
 * (netinet/ip_var.h, netinet6/ip6_var.h), read by os/rump_settle.cc. */
constexpr int ipproto_ip = 0;
constexpr int ipctl_stats = 24;
constexpr int ip_nstats = 30;
constexpr int ip_stat_total = 0;     /* packets received (ip_input) */
constexpr int ip_stat_localout = 15; /* packets generated here (ip_output) */
constexpr int ipv6ctl_stats = 6;
constexpr int ip6_nstats = 402;
constexpr int ip6_stat_total = 0;
constexpr int ip6_stat_localout = 11;
/* net/if.h: an interface's counters, read with SIOCGIFDATA (sys/sockio.h:
 * _IOWR('i', 133, struct ifdatareq)). os/rump_settle.cc reads lo0's
 * ifi_ipackets: the packets looutput() queued for IP input. */
struct if_data {
	uint8_t ifi_type;
	uint8_t ifi_addrlen;
	uint8_t ifi_hdrlen;
	int ifi_link_state;
	uint64_t ifi_mtu;
	uint64_t ifi_metric;
	uint64_t ifi_baudrate;
	uint64_t ifi_ipackets;
	uint64_t ifi_ierrors;
	uint64_t ifi_opackets;
	uint64_t ifi_oerrors;
	uint64_t ifi_collisions;
	uint64_t ifi_ibytes;
	uint64_t ifi_obytes;
	uint64_t ifi_imcasts;
	uint64_t ifi_omcasts;
	uint64_t ifi_iqdrops;
	uint64_t ifi_noproto;
	timespec ifi_lastchange;
};
constexpr int ifnamsiz = 16;
struct ifdatareq {
	char ifdr_name[ifnamsiz];
	if_data ifdr_data;
};
constexpr unsigned long siocgifdata = 0xc0000000UL | ((unsigned long)sizeof(ifdatareq) << 16) | ('i' << 8) | 133;

} // namespace netbsd
