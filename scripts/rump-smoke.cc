/*
 * rump-smoke.cc - the recipe for calling NetBSD's kernel code (a rump
 * kernel, built by scripts/build-rump.sh) from C++, proved by measuring the
 * cases issue 15 names. Built and run by scripts/rump-smoke.sh, as a program
 * and as a Node addon (-DRUMP_SMOKE_NODE: exports run(), no node-addon-api).
 *
 * The recipe:
 *  - include the host's <sys/types.h>, <sys/select.h>, <sys/socket.h>,
 *    <poll.h> and <signal.h> first: rump_syscalls.h's prototypes name the
 *    host's fd_set, pollfd, timeval, sockaddr and sigset_t (pointers only);
 *  - include the rump headers inside extern "C" (rump.h's _BEGIN_DECLS is
 *    NetBSD's spelling, unknown to glibc);
 *  - pass NetBSD's structs (netbsd-abi.h) through one reinterpret_cast at
 *    the call (the nb_* wrappers below); never a host constant;
 *  - on failure rump_sys_* returns -1 and leaves NetBSD's errno number in
 *    the host's errno (librumpuser: rumpuser_seterrno); 61 is ECONNREFUSED,
 *    which Linux would read as ENODATA. rump_strerror() has the message;
 *  - rump_boot_setsigmodel(RUMP_SIGMODEL_IGNORE) before rump_init(): the
 *    default re-raises SIGPIPE on the host.
 *
 * Every result is printed raw (hex) and decoded with NetBSD's names. Exit 0
 * when every call the recipe needs worked; the measured values are reported,
 * not judged, except the refused-connect count, which proves the
 * rstppslimit raise.
 */
#include <cerrno>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>

extern "C" {
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumperr.h>
}

#include "netbsd-abi.h"

/* netbsd-abi.h against the values rumpdefs.h also has (RUMP_*). The rest
 * is checked against NetBSD's headers by scripts/netbsd-abi-check.cc. */
static_assert(netbsd::o_nonblock == RUMP_O_NONBLOCK, "O_NONBLOCK");
static_assert(netbsd::o_rdwr == RUMP_O_RDWR && netbsd::o_creat == RUMP_O_CREAT, "O_*");
static_assert(netbsd::o_cloexec == RUMP_O_CLOEXEC, "O_CLOEXEC");
static_assert(netbsd::ebadf == RUMP_EBADF && netbsd::epipe == RUMP_EPIPE, "errno");
static_assert(netbsd::eagain == RUMP_EAGAIN && netbsd::einprogress == RUMP_EINPROGRESS, "errno");
static_assert(netbsd::econnrefused == RUMP_ECONNREFUSED && netbsd::econnreset == RUMP_ECONNRESET, "errno");
static_assert(netbsd::enotconn == RUMP_ENOTCONN && netbsd::etimedout == RUMP_ETIMEDOUT, "errno");
static_assert(netbsd::af_local == RUMP_AF_LOCAL && netbsd::af_inet == RUMP_AF_INET, "AF_*");
static_assert(netbsd::af_inet6 == RUMP_AF_INET6, "AF_INET6");
static_assert(netbsd::sock_stream == RUMP_SOCK_STREAM && netbsd::sock_dgram == RUMP_SOCK_DGRAM, "SOCK_*");
static_assert(netbsd::sock_seqpacket == RUMP_SOCK_SEQPACKET, "SOCK_SEQPACKET");
static_assert(netbsd::sock_nonblock == RUMP_SOCK_NONBLOCK, "SOCK_NONBLOCK");
static_assert(netbsd::sol_socket == RUMP_SOL_SOCKET, "SOL_SOCKET");
static_assert(netbsd::so_error == RUMP_SO_ERROR && netbsd::so_oobinline == RUMP_SO_OOBINLINE, "SO_*");
static_assert(netbsd::msg_nosignal == RUMP_MSG_NOSIGNAL && netbsd::msg_oob == RUMP_MSG_OOB, "MSG_*");
static_assert(netbsd::ipproto_tcp == RUMP_IPPROTO_TCP, "IPPROTO_TCP");

namespace {

/* The border: NetBSD structs in, one cast each, rump_sys_* out. The host
 * types in these casts are only what rump_syscalls.h's prototypes name. */
int nb_poll(netbsd::pollfd *fds, unsigned nfds, int timeout_ms)
{
	return rump_sys_poll(reinterpret_cast<struct ::pollfd *>(fds), nfds, timeout_ms);
}
int nb_select(int nfds, netbsd::fd_set *r, netbsd::fd_set *w, netbsd::fd_set *x, netbsd::timeval *tv)
{
	return rump_sys_select(nfds, reinterpret_cast<::fd_set *>(r), reinterpret_cast<::fd_set *>(w),
			       reinterpret_cast<::fd_set *>(x), reinterpret_cast<struct ::timeval *>(tv));
}
int nb_kevent(int kq, const netbsd::kevent *changes, size_t nchanges, netbsd::kevent *events, size_t nevents,
	      const netbsd::timespec *timeout)
{
	return rump_sys_kevent(kq, reinterpret_cast<const struct ::kevent *>(changes), nchanges,
			       reinterpret_cast<struct ::kevent *>(events), nevents,
			       reinterpret_cast<const struct ::timespec *>(timeout));
}
template <typename Sockaddr> int nb_bind(int s, const Sockaddr &sa)
{
	return rump_sys_bind(s, reinterpret_cast<const struct ::sockaddr *>(&sa), sizeof sa);
}
template <typename Sockaddr> int nb_connect(int s, const Sockaddr &sa)
{
	return rump_sys_connect(s, reinterpret_cast<const struct ::sockaddr *>(&sa), sizeof sa);
}
template <typename Sockaddr> int nb_getsockname(int s, Sockaddr *sa)
{
	socklen_t len = sizeof *sa;
	return rump_sys_getsockname(s, reinterpret_cast<struct ::sockaddr *>(sa), &len);
}

struct FlagName {
	uint32_t value;
	const char *name;
};
const FlagName poll_names[] = {
	{uint32_t(netbsd::pollin), "IN"},	  {uint32_t(netbsd::pollpri), "PRI"},
	{uint32_t(netbsd::pollout), "OUT"},	  {uint32_t(netbsd::pollerr), "ERR"},
	{uint32_t(netbsd::pollhup), "HUP"},	  {uint32_t(netbsd::pollnval), "NVAL"},
	{uint32_t(netbsd::pollrdnorm), "RDNORM"}, {uint32_t(netbsd::pollrdband), "RDBAND"},
	{uint32_t(netbsd::pollwrband), "WRBAND"},
};
/* EV_SYSFLAGS (0xf000) is a mask, so it is not a name here: EV_EOF and
 * EV_ERROR inside it are. */
const FlagName ev_names[] = {
	{netbsd::ev_add, "ADD"},	   {netbsd::ev_delete, "DELETE"}, {netbsd::ev_enable, "ENABLE"},
	{netbsd::ev_disable, "DISABLE"},   {netbsd::ev_oneshot, "ONESHOT"}, {netbsd::ev_clear, "CLEAR"},
	{netbsd::ev_receipt, "RECEIPT"},   {netbsd::ev_dispatch, "DISPATCH"}, {netbsd::ev_flag1, "FLAG1"},
	{netbsd::ev_error, "ERROR"},	   {netbsd::ev_eof, "EOF"},
};

template <size_t N> std::string names(uint32_t bits, const FlagName (&table)[N])
{
	std::string out;
	for (const FlagName &f : table) {
		if (bits & f.value) {
			out += out.empty() ? "" : " ";
			out += f.name;
			bits &= ~f.value;
		}
	}
	if (bits) {
		char hex[16];
		snprintf(hex, sizeof hex, "0x%x", bits);
		out += out.empty() ? "" : " ";
		out += hex;
	}
	return out.empty() ? "0" : out;
}

const char *filter_name(uint32_t filter)
{
	switch (filter) {
	case netbsd::evfilt_read: return "READ";
	case netbsd::evfilt_write: return "WRITE";
	case netbsd::evfilt_aio: return "AIO";
	case netbsd::evfilt_vnode: return "VNODE";
	case netbsd::evfilt_proc: return "PROC";
	case netbsd::evfilt_signal: return "SIGNAL";
	case netbsd::evfilt_timer: return "TIMER";
	default: return "?";
	}
}

/* NetBSD errno names for the numbers this program can meet. The full list
 * is rumpdefs.h's RUMP_E*. */
const char *errno_name(int e)
{
	switch (e) {
	case 0: return "0";
	case netbsd::enoent: return "ENOENT";
	case netbsd::eintr: return "EINTR";
	case netbsd::ebadf: return "EBADF";
	case netbsd::einval: return "EINVAL";
	case netbsd::epipe: return "EPIPE";
	case netbsd::eagain: return "EAGAIN";
	case netbsd::einprogress: return "EINPROGRESS";
	case netbsd::ealready: return "EALREADY";
	case netbsd::eopnotsupp: return "EOPNOTSUPP";
	case netbsd::eaddrinuse: return "EADDRINUSE";
	case netbsd::econnreset: return "ECONNRESET";
	case netbsd::eisconn: return "EISCONN";
	case netbsd::enotconn: return "ENOTCONN";
	case netbsd::etimedout: return "ETIMEDOUT";
	case netbsd::econnrefused: return "ECONNREFUSED";
	default: return "E?";
	}
}

/* "ret=-1 errno=61 ECONNREFUSED (Connection refused)" or "ret=N". */
std::string ret_text(long ret, int err)
{
	char buf[160];
	if (ret < 0)
		snprintf(buf, sizeof buf, "ret=%ld errno=%d %s (%s)", ret, err, errno_name(err), rump_strerror(err));
	else
		snprintf(buf, sizeof buf, "ret=%ld", ret);
	return buf;
}

double now_ms()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int host_threads()
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	int threads = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Threads: %d", &threads) == 1)
			break;
	fclose(f);
	return threads;
}

void sleep_ms(int ms)
{
	timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, nullptr);
}

int failures = 0;
void fail(const char *what, int err)
{
	printf("FAILED: %s: errno=%d %s (%s)\n", what, err, errno_name(err), rump_strerror(err));
	failures++;
}

/* sysctlnametomib(3) done by hand: NetBSD's MIB is a tree of nodes that
 * lists its children on a CTL_QUERY. Returns the depth, or -1. */
int sysctl_name_to_mib(const char *dotted, int *mib)
{
	static netbsd::sysctlnode nodes[512];
	int depth = 0;
	std::string rest = dotted;
	while (!rest.empty()) {
		size_t dot = rest.find('.');
		std::string part = rest.substr(0, dot);
		rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
		if (depth + 1 >= netbsd::ctl_maxname)
			return -1;
		mib[depth] = netbsd::ctl_query;
		netbsd::sysctlnode query = {};
		query.sysctl_flags = netbsd::sysctl_version;
		size_t len = sizeof nodes;
		if (rump_sys___sysctl(mib, depth + 1, nodes, &len, &query, sizeof query) == -1)
			return -1;
		bool found = false;
		for (size_t i = 0; i < len / sizeof nodes[0]; i++) {
			if (strncmp(nodes[i].sysctl_name, part.c_str(), netbsd::sysctl_namelen) == 0) {
				mib[depth++] = nodes[i].sysctl_num;
				found = true;
				break;
			}
		}
		if (!found) {
			errno = netbsd::enoent;
			return -1;
		}
	}
	return depth;
}

std::string mib_text(const int *mib, int depth)
{
	std::string out = "{";
	for (int i = 0; i < depth; i++)
		out += (i ? "," : "") + std::to_string(mib[i]);
	return out + "}";
}

netbsd::sockaddr_in loopback4(uint16_t port)
{
	netbsd::sockaddr_in sin = {};
	sin.sin_len = sizeof sin;
	sin.sin_family = netbsd::af_inet;
	sin.sin_port = htons(port);
	sin.sin_addr = htonl(netbsd::inaddr_loopback);
	return sin;
}

/* A port nothing listens on: bind an ephemeral one, note it, close it. */
uint16_t closed_port()
{
	int s = rump_sys_socket(netbsd::af_inet, netbsd::sock_stream, 0);
	netbsd::sockaddr_in sin = loopback4(0);
	nb_bind(s, sin);
	nb_getsockname(s, &sin);
	rump_sys_close(s);
	return ntohs(sin.sin_port);
}

/* A nonblocking connect to a closed port, waited for with poll. Returns
 * the SO_ERROR (ECONNREFUSED when the RST came), or 0 when nothing came
 * within wait_ms. */
int refused_connect(uint16_t port, int wait_ms)
{
	int s = rump_sys_socket(netbsd::af_inet, netbsd::sock_stream | netbsd::sock_nonblock, 0);
	if (s == -1)
		return -1;
	int result = 0;
	if (nb_connect(s, loopback4(port)) == -1 && errno != netbsd::einprogress) {
		result = errno;
	} else {
		netbsd::pollfd p = {s, netbsd::pollout, 0};
		if (nb_poll(&p, 1, wait_ms) == 1) {
			socklen_t len = sizeof result;
			rump_sys_getsockopt(s, netbsd::sol_socket, netbsd::so_error, &result, &len);
		}
	}
	rump_sys_close(s);
	return result;
}

/* 150 refused connects in a row; prints how many got ECONNREFUSED. */
int refused_burst(const char *label, uint16_t port, int wait_ms)
{
	int refused = 0, silent = 0, other = 0;
	double t0 = now_ms();
	for (int i = 0; i < 150; i++) {
		int r = refused_connect(port, wait_ms);
		if (r == netbsd::econnrefused)
			refused++;
		else if (r == 0)
			silent++;
		else
			other++;
	}
	printf("%s: 150 nonblocking connects to 127.0.0.1:%u in %.0f ms: %d ECONNREFUSED, %d no answer within %d ms, %d other\n",
	       label, port, now_ms() - t0, refused, silent, wait_ms, other);
	return refused;
}

void print_kevents(const netbsd::kevent *ev, int n)
{
	for (int i = 0; i < n; i++) {
		const char *fname = errno_name(int(ev[i].fflags));
		printf("    kevent ident=%" PRIuPTR " filter=%u (%s) flags=0x%x (%s) fflags=%u%s%s data=%" PRId64 "\n",
		       ev[i].ident, ev[i].filter, filter_name(ev[i].filter), ev[i].flags,
		       names(ev[i].flags, ev_names).c_str(), ev[i].fflags, ev[i].fflags ? " " : "",
		       ev[i].fflags ? fname : "", ev[i].data);
	}
}

void pipe_cases()
{
	int fds[2];
	/* a pipe whose reader closed: poll the write end */
	if (rump_sys_pipe2(fds, 0) == -1)
		return fail("pipe2", errno);
	rump_sys_close(fds[0]);
	for (short events : {short(netbsd::pollin | netbsd::pollout), netbsd::pollout}) {
		netbsd::pollfd p = {fds[1], events, 0};
		int ret = nb_poll(&p, 1, 0);
		int err = errno;
		printf("pipe, reader closed: poll(w, events=0x%x %s): %s revents=0x%04x (%s)\n", events,
		       names(uint16_t(events), poll_names).c_str(), ret_text(ret, err).c_str(), uint16_t(p.revents),
		       names(uint16_t(p.revents), poll_names).c_str());
	}
	/* and kevent EVFILT_WRITE on that write end */
	int kq = rump_sys_kqueue1(netbsd::o_cloexec);
	netbsd::kevent change = {uintptr_t(fds[1]), netbsd::evfilt_write, netbsd::ev_add, 0, 0, 0};
	netbsd::kevent out[4] = {};
	netbsd::timespec zero = {0, 0};
	int ret = nb_kevent(kq, &change, 1, out, 4, &zero);
	int err = errno;
	printf("pipe, reader closed: kevent(EV_ADD EVFILT_WRITE on w, room for 4 events): %s\n", ret_text(ret, err).c_str());
	print_kevents(out, ret > 0 ? ret : 0);
	/* with no room for events, a failed change is the call's error */
	ret = nb_kevent(kq, &change, 1, nullptr, 0, &zero);
	err = errno;
	printf("pipe, reader closed: kevent(EV_ADD EVFILT_WRITE on w, no event list): %s\n", ret_text(ret, err).c_str());
	rump_sys_close(kq);
	rump_sys_close(fds[1]);

	/* a pipe whose writer closed: select the read end for R, W and X */
	if (rump_sys_pipe2(fds, 0) == -1)
		return fail("pipe2", errno);
	rump_sys_close(fds[1]);
	netbsd::fd_set r, w, x;
	netbsd::fd_zero(&r), netbsd::fd_zero(&w), netbsd::fd_zero(&x);
	netbsd::fd_set_bit(fds[0], &r), netbsd::fd_set_bit(fds[0], &w), netbsd::fd_set_bit(fds[0], &x);
	netbsd::timeval tv = {0, 0};
	ret = nb_select(fds[0] + 1, &r, &w, &x, &tv);
	err = errno;
	printf("pipe, writer closed: select(r in R,W,X): %s readable=%d writable=%d exceptional=%d (words 0x%08x 0x%08x 0x%08x)\n",
	       ret_text(ret, err).c_str(), netbsd::fd_isset(fds[0], &r), netbsd::fd_isset(fds[0], &w),
	       netbsd::fd_isset(fds[0], &x), r.fds_bits[0], w.fds_bits[0], x.fds_bits[0]);
	netbsd::pollfd p = {fds[0], short(netbsd::pollin | netbsd::pollout), 0};
	ret = nb_poll(&p, 1, 0);
	err = errno;
	printf("pipe, writer closed: poll(r, events=0x5 IN OUT): %s revents=0x%04x (%s)\n", ret_text(ret, err).c_str(),
	       uint16_t(p.revents), names(uint16_t(p.revents), poll_names).c_str());
	rump_sys_close(fds[0]);
}

void tcp_refused_cases(uint16_t port)
{
	for (const char *how : {"poll", "kevent"}) {
		int s = rump_sys_socket(netbsd::af_inet, netbsd::sock_stream | netbsd::sock_nonblock, 0);
		if (s == -1)
			return fail("socket", errno);
		int ret = nb_connect(s, loopback4(port));
		int err = errno;
		printf("tcp, nonblocking connect to closed 127.0.0.1:%u (for %s): %s\n", port, how,
		       ret_text(ret, err).c_str());
		sleep_ms(50); /* settle: let the RST arrive and be processed */
		if (strcmp(how, "poll") == 0) {
			netbsd::pollfd p = {s, short(netbsd::pollin | netbsd::pollout), 0};
			ret = nb_poll(&p, 1, 0);
			err = errno;
			printf("  poll(events=0x5 IN OUT) 50 ms later: %s revents=0x%04x (%s)\n", ret_text(ret, err).c_str(),
			       uint16_t(p.revents), names(uint16_t(p.revents), poll_names).c_str());
		} else {
			int kq = rump_sys_kqueue();
			netbsd::kevent changes[2] = {
				{uintptr_t(s), netbsd::evfilt_read, netbsd::ev_add, 0, 0, 0},
				{uintptr_t(s), netbsd::evfilt_write, netbsd::ev_add, 0, 0, 0},
			};
			netbsd::kevent out[4] = {};
			netbsd::timespec zero = {0, 0};
			ret = nb_kevent(kq, changes, 2, out, 4, &zero);
			err = errno;
			printf("  kevent(EV_ADD READ + EV_ADD WRITE) 50 ms later: %s\n", ret_text(ret, err).c_str());
			print_kevents(out, ret > 0 ? ret : 0);
			rump_sys_close(kq);
		}
		int so_error = -1;
		socklen_t len = sizeof so_error;
		ret = rump_sys_getsockopt(s, netbsd::sol_socket, netbsd::so_error, &so_error, &len);
		printf("  getsockopt(SO_ERROR): %s so_error=%d %s\n", ret_text(ret, errno).c_str(), so_error,
		       errno_name(so_error));
		rump_sys_close(s);
	}
}

/* Which transports can exist in this kernel; one line each. */
void transport_cases()
{
	int fds[2];
	/* AF_LOCAL needs a file system for its names: rumpvfs's rumpfs is "/" */
	int l = rump_sys_socket(netbsd::af_local, netbsd::sock_stream, 0);
	netbsd::sockaddr_un sun = {};
	sun.sun_len = sizeof sun;
	sun.sun_family = netbsd::af_local;
	strcpy(sun.sun_path, "/smoke.sock");
	int ret = nb_bind(l, sun);
	int err = errno;
	int lret = rump_sys_listen(l, 8);
	int c = rump_sys_socket(netbsd::af_local, netbsd::sock_stream, 0);
	int cret = nb_connect(c, sun);
	int cerr = errno;
	int a = rump_sys_accept(l, nullptr, nullptr);
	printf("unix stream on rumpfs /smoke.sock: bind %s, listen ret=%d, connect %s, accept ret=%d\n",
	       ret_text(ret, err).c_str(), lret, ret_text(cret, cerr).c_str(), a);
	rump_sys_close(a), rump_sys_close(c), rump_sys_close(l);
	rump_sys_unlink("/smoke.sock");

	l = rump_sys_socket(netbsd::af_local, netbsd::sock_stream, 0);
	netbsd::sockaddr_un abstract = {};
	abstract.sun_len = sizeof abstract;
	abstract.sun_family = netbsd::af_local;
	strcpy(abstract.sun_path + 1, "abstract");
	ret = nb_bind(l, abstract);
	printf("unix, Linux-style abstract name (leading NUL): bind %s\n", ret_text(ret, errno).c_str());
	rump_sys_close(l);

	for (int type : {netbsd::sock_stream, netbsd::sock_dgram, netbsd::sock_seqpacket}) {
		ret = rump_sys_socketpair(netbsd::af_local, type, 0, fds);
		err = errno;
		const char *tname = type == netbsd::sock_stream ? "STREAM" : type == netbsd::sock_dgram ? "DGRAM" : "SEQPACKET";
		if (ret == 0 && type == netbsd::sock_stream) {
			rump_sys_write(fds[0], "hello", 5);
			int pending = -1;
			int iret = rump_sys_ioctl(fds[1], netbsd::fionread, &pending);
			printf("socketpair %s: %s fds %d %d; after 5 bytes, ioctl(FIONREAD) %s pending=%d\n", tname,
			       ret_text(ret, err).c_str(), fds[0], fds[1], ret_text(iret, errno).c_str(), pending);
		} else {
			printf("socketpair %s: %s\n", tname, ret_text(ret, err).c_str());
		}
		if (ret == 0)
			rump_sys_close(fds[0]), rump_sys_close(fds[1]);
	}

	ret = rump_sys_mkfifo("/smoke.fifo", 0600);
	err = errno;
	int r = rump_sys_open("/smoke.fifo", netbsd::o_rdonly | netbsd::o_nonblock);
	int rerr = errno;
	int w = rump_sys_open("/smoke.fifo", netbsd::o_wronly | netbsd::o_nonblock);
	printf("fifo on rumpfs: mkfifo %s, open(O_RDONLY|O_NONBLOCK) ret=%d%s, open(O_WRONLY|O_NONBLOCK) %s\n",
	       ret_text(ret, err).c_str(), r, r < 0 ? ret_text(r, rerr).c_str() : "", ret_text(w, errno).c_str());
	if (r >= 0 && w >= 0) {
		/* A FIFO on this rumpfs is a plain rumpfs vnode: rumpfs_loadvnode
		 * gives every type but VCHR and VBLK rump_vnodeop_p, and rumpfs's
		 * own fifo ops are vn_default_error. So no fifofs: VOP_POLL is
		 * vn_default_error's EOPNOTSUPP (45 = 0x2d) read as revents, a
		 * read returns 0, and a write panics the kernel (DIAGNOSTIC,
		 * genfs_io.c: "vp->v_type == VREG || ..."), so none is done here. */
		netbsd::pollfd pr = {r, short(netbsd::pollin | netbsd::pollout), 0};
		int pret = nb_poll(&pr, 1, 0);
		printf("  poll(r, IN OUT) %s revents=0x%04x (%s)\n", ret_text(pret, errno).c_str(), uint16_t(pr.revents),
		       names(uint16_t(pr.revents), poll_names).c_str());
		char buf[8];
		long rret = rump_sys_read(r, buf, sizeof buf);
		printf("  read(r, no writer has written) %s\n", ret_text(rret, errno).c_str());
	}
	rump_sys_close(w), rump_sys_close(r);
	rump_sys_unlink("/smoke.fifo");

	int f = rump_sys_open("/smoke.file", netbsd::o_rdwr | netbsd::o_creat, 0600);
	netbsd::pollfd p = {f, short(netbsd::pollin | netbsd::pollout), 0};
	ret = nb_poll(&p, 1, 0);
	printf("regular file on rumpfs: open ret=%d; poll(IN OUT) %s revents=0x%04x (%s)\n", f, ret_text(ret, errno).c_str(),
	       uint16_t(p.revents), names(uint16_t(p.revents), poll_names).c_str());
	int kq = rump_sys_kqueue();
	netbsd::kevent change = {uintptr_t(f), netbsd::evfilt_read, netbsd::ev_add, 0, 0, 0};
	netbsd::kevent out[2] = {};
	netbsd::timespec zero = {0, 0};
	ret = nb_kevent(kq, &change, 1, out, 2, &zero);
	printf("  kevent(EV_ADD READ on the file) %s\n", ret_text(ret, errno).c_str());
	print_kevents(out, ret > 0 ? ret : 0);
	rump_sys_close(kq);
	rump_sys_close(f);
	rump_sys_unlink("/smoke.file");

	int u = rump_sys_socket(netbsd::af_inet, netbsd::sock_dgram, 0);
	printf("udp socket: %s\n", ret_text(u, errno).c_str());
	rump_sys_close(u);

	/* tcp over ::1: the netinet6 component, and lo0's ::1 */
	int l6 = rump_sys_socket(netbsd::af_inet6, netbsd::sock_stream, 0);
	netbsd::sockaddr_in6 sin6 = {};
	sin6.sin6_len = sizeof sin6;
	sin6.sin6_family = netbsd::af_inet6;
	sin6.sin6_addr[15] = 1;
	ret = nb_bind(l6, sin6);
	err = errno;
	rump_sys_listen(l6, 8);
	nb_getsockname(l6, &sin6);
	int c6 = rump_sys_socket(netbsd::af_inet6, netbsd::sock_stream, 0);
	cret = nb_connect(c6, sin6);
	cerr = errno;
	printf("tcp6 on [::1]:%u: socket ret=%d, bind %s, connect %s\n", ntohs(sin6.sin6_port), l6,
	       ret_text(ret, err).c_str(), ret_text(cret, cerr).c_str());
	rump_sys_close(c6), rump_sys_close(l6);

	f = rump_sys_open("/dev/ptmx", netbsd::o_rdwr);
	printf("pty: open(/dev/ptmx) %s\n", ret_text(f, errno).c_str());
	if (f >= 0)
		rump_sys_close(f);

	netbsd::rlimit rl = {};
	ret = rump_sys_getrlimit(netbsd::rlimit_nofile, reinterpret_cast<struct ::rlimit *>(&rl));
	printf("descriptors: getrlimit(RLIMIT_NOFILE) %s cur=%" PRIu64 " max=%" PRIu64 "\n", ret_text(ret, errno).c_str(),
	       rl.rlim_cur, rl.rlim_max);
}

} // namespace

extern "C" int rump_smoke(void)
{
	setvbuf(stdout, nullptr, _IOLBF, 0);
	int threads_before = host_threads();
	double t0 = now_ms();
	rump_boot_setsigmodel(RUMP_SIGMODEL_IGNORE);
	int ret = rump_init();
	double init_ms = now_ms() - t0;
	if (ret != 0) {
		printf("FAILED: rump_init returned %d (%s)\n", ret, rump_strerror(ret));
		return 1;
	}
	char release[64] = "?";
	int mib[netbsd::ctl_maxname];
	int depth = sysctl_name_to_mib("kern.osrelease", mib);
	size_t len = sizeof release;
	if (depth > 0)
		rump_sys___sysctl(mib, depth, release, &len, nullptr, 0);
	printf("rump_init: ret=0 in %.1f ms; NetBSD %s (rump_getversion %d); host threads %d before, %d after\n", init_ms,
	       release, rump_getversion(), threads_before, host_threads());

	/* the first descriptor this kernel hands out */
	int probe = rump_sys_socket(netbsd::af_inet, netbsd::sock_stream, 0);
	printf("first descriptor: %d\n", probe);
	rump_sys_close(probe);

	uint16_t port = closed_port();

	/* net.inet.tcp.rstppslimit: found by name, compared with tcp_var.h */
	depth = sysctl_name_to_mib("net.inet.tcp.rstppslimit", mib);
	if (depth != 4)
		return fail("sysctl lookup net.inet.tcp.rstppslimit", errno), 1;
	const int expected[4] = {netbsd::ctl_net, netbsd::af_inet, netbsd::ipproto_tcp, netbsd::tcpctl_rstppslimit};
	bool same = memcmp(mib, expected, sizeof expected) == 0;
	int old_limit = 0;
	len = sizeof old_limit;
	if (rump_sys___sysctl(mib, 4, &old_limit, &len, nullptr, 0) == -1)
		return fail("sysctl read net.inet.tcp.rstppslimit", errno), 1;

	/* control: with the default limit, a burst of refused connects loses
	 * its RSTs after the 100th in a second */
	refused_burst("control, rstppslimit 100 (default)", port, 20);
	sleep_ms(1100); /* a fresh ppsratecheck second */

	/* -1 is "no limit": ppsratecheck(), kern/kern_rate.c, maxpps < 0 */
	int new_limit = -1;
	if (rump_sys___sysctl(mib, 4, nullptr, nullptr, &new_limit, sizeof new_limit) == -1)
		return fail("sysctl write net.inet.tcp.rstppslimit", errno), 1;
	int now_limit = 0;
	len = sizeof now_limit;
	rump_sys___sysctl(mib, 4, &now_limit, &len, nullptr, 0);
	printf("sysctl net.inet.tcp.rstppslimit: mib %s by name (%s netinet/tcp_var.h's numbers), was %d, now %d\n",
	       mib_text(mib, 4).c_str(), same ? "same as" : "DIFFERENT from", old_limit, now_limit);

	pipe_cases();
	tcp_refused_cases(port);
	int refused = refused_burst("after the raise", port, 200);
	if (refused != 150) {
		printf("FAILED: %d of 150 refused connects got ECONNREFUSED after raising rstppslimit\n", refused);
		failures++;
	}
	transport_cases();

	printf("host threads at the end: %d\n", host_threads());
	printf("rump-smoke: %s\n", failures ? "FAILED" : "OK");
	return failures ? 1 : 0;
}

#ifdef RUMP_SMOKE_NODE
/* The same, as a Node addon through plain N-API: run() returns the exit
 * code. It shows the rump kernel starting inside a Node process. */
#include <node_api.h>

static napi_value run(napi_env env, napi_callback_info)
{
	napi_value result;
	napi_create_int32(env, rump_smoke(), &result);
	return result;
}

NAPI_MODULE_INIT()
{
	napi_value fn;
	napi_create_function(env, "run", NAPI_AUTO_LENGTH, run, nullptr, &fn);
	napi_set_named_property(env, exports, "run", fn);
	return exports;
}
#else
int main()
{
	return rump_smoke();
}
#endif
