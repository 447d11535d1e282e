/*
 * rump_settle.cc - the rump instance's settle rule (os.h in_flight; how the
 * engine waits with it: engine/settle.h).
 *
 * Why this kernel needs one before every step. NetBSD's loopback output
 * (net/if_loop.c looutput) queues each packet for the IP input softint
 * (pktq_enqueue: ip_pktq, ip6_pktq). A NetBSD machine runs that softint when
 * the sending CPU lowers its priority, before the call returns to the
 * program; a rump kernel runs softints on threads of their own (rump's
 * intr.c: softint_schedule puts the handler on a list, sithread runs it),
 * so a peer's data, FIN, RST or ICMP error arrives some time after the call
 * that sent it returned. Without a wait a `rcv` right after the peer's
 * `snd`, or a kevent right after a nonblocking connect, sees the packet or
 * not by chance.
 *
 * The rule, from the kernel's own counters rather than a sleep: every IP
 * packet the kernel generated (ip_output: IP_STAT_LOCALOUT; ip6_output:
 * IP6_STAT_LOCALOUT) has entered IP input (ip_input: IP_STAT_TOTAL;
 * ip6_input: IP6_STAT_TOTAL), and the input that was under way then has
 * finished. On loopback every packet sent is received, so while the two
 * counts differ a packet is queued. Equal counts leave one case: a packet
 * counted in but still being processed (tcp_input, which may answer with
 * an ACK or an RST). The IP input softint holds softnet_lock while it
 * drains its queue (netinet/ip_input.c ipintr, netinet6/ip6_input.c
 * ip6intr), and so does every call on an internet socket
 * (kern/uipc_socket2.c sosetlock: softnet_lock is their lock), so a
 * getsockname() on one of the scenario's internet sockets returns only
 * after that processing; if the counts read again are the same, nothing
 * was under way or it generated nothing. Traffic only goes between
 * internet sockets, so without one open nothing in flight can reach what
 * the scenario observes (UNIX sockets, pipes: those deliver inside the
 * writing call, kern/uipc_usrreq.c, kern/sys_pipe.c).
 *
 * A packet a timer sends (a delayed ACK, a retransmission) counts once it
 * is generated, like any other. The counters are the whole kernel's: with
 * several workers, one waits for the others' traffic too, which costs time
 * and never a wrong answer.
 */
#include "os.h"

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <sys/socket.h>

extern "C" {
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
}

#include "netbsd-abi.h"

namespace pollmatrix {
namespace os {

namespace {

struct Counts {
	uint64_t out4 = 0, in4 = 0, out6 = 0, in6 = 0;
	bool operator==(const Counts &o) const
	{
		return out4 == o.out4 && in4 == o.in4 && out6 == o.out6 && in6 == o.in6;
	}
	bool quiet() const
	{
		return out4 == in4 && out6 == in6;
	}
};

/* net.inet.ip.stats and net.inet6.ip6.stats: false if either cannot be read. */
bool read_counts(Counts *c)
{
	uint64_t ip[netbsd::ip_nstats];
	thread_local uint64_t ip6_local[netbsd::ip6_nstats]; /* 3 KiB: off the stack */
	const int mib4[] = {netbsd::ctl_net, netbsd::af_inet, netbsd::ipproto_ip, netbsd::ipctl_stats};
	const int mib6[] = {netbsd::ctl_net, netbsd::af_inet6, netbsd::ipproto_ipv6, netbsd::ipv6ctl_stats};
	size_t len4 = sizeof(ip), len6 = sizeof(ip6_local);
	if (rump_sys___sysctl(mib4, 4, ip, &len4, nullptr, 0) != 0 || len4 != sizeof(ip))
		return false;
	if (rump_sys___sysctl(mib6, 4, ip6_local, &len6, nullptr, 0) != 0 || len6 != sizeof(ip6_local))
		return false;
	c->out4 = ip[netbsd::ip_stat_localout];
	c->in4 = ip[netbsd::ip_stat_total];
	c->out6 = ip6_local[netbsd::ip6_stat_localout];
	c->in6 = ip6_local[netbsd::ip6_stat_total];
	return true;
}

/* An internet socket among `fds`; the call that finds it takes
 * softnet_lock (do_sys_getname: solock). -1 if there is none. */
int internet_socket(const std::vector<int> &fds)
{
	for (int fd : fds) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		if (os::getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
		    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
			return fd;
	}
	return -1;
}

} // namespace

bool in_flight(const std::vector<int> &fds)
{
	Counts before, after;
	if (!read_counts(&before))
		return false;
	if (!before.quiet())
		return true;
	int fd = internet_socket(fds);
	if (fd < 0)
		return false;
	if (!read_counts(&after))
		return false;
	return !(after == before);
}

extern const bool settle_every_step = true;

} // namespace os
} // namespace pollmatrix
