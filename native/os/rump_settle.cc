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
 * The rule, from the kernel's own counters rather than a sleep:
 * - every packet the loopback queued for IP input (lo0's ifi_ipackets,
 *   counted by looutput only when pktq_enqueue succeeded) has entered IP
 *   input (ip_input: IP_STAT_TOTAL, ip6_input: IP6_STAT_TOTAL); while the
 *   two differ a packet waits in the queue;
 * - and the input that was under way then has finished: the IP input
 *   softint holds softnet_lock while it drains its queue
 *   (netinet/ip_input.c ipintr, netinet6/ip6_input.c ip6intr), and so does
 *   every call on an internet socket (kern/uipc_socket2.c sosetlock:
 *   softnet_lock is their lock), so a getsockname() on one of the
 *   scenario's internet sockets returns only after it; if the counters read
 *   again are the same, nothing was under way, or it sent nothing (an ACK,
 *   an RST, an ICMP error would have been queued, and counted, under the
 *   lock).
 * Packets that never reach the queue do not count, so they cannot hold the
 * rule up for good: one dropped at a full queue (a UDP `ful` floods it), or
 * IPv6's own unsolicited packet a few seconds after boot, which this kernel
 * counts as sent (IP6_STAT_LOCALOUT) but never loops back. (A first rule
 * compared what IP output generated with what IP input took, and each of
 * those left a difference for good: every later step of that kernel then
 * waited for the settle bound.)
 *
 * Traffic only goes between internet sockets, so without one open nothing
 * in flight can reach what the scenario observes (UNIX sockets, pipes:
 * those deliver inside the writing call, kern/uipc_usrreq.c,
 * kern/sys_pipe.c). A packet a timer sends (a delayed ACK, a
 * retransmission) counts once it is queued, like any other. The counters
 * are the whole kernel's: with several workers, one waits for the others'
 * traffic too, which costs time and never a wrong answer.
 */
#include "os.h"

#include <cstdint>
#include <cstring>

#include <unistd.h>

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
	uint64_t queued = 0; /* lo0: packets queued for IP input */
	uint64_t in4 = 0, in6 = 0;
	bool operator==(const Counts &o) const
	{
		return queued == o.queued && in4 == o.in4 && in6 == o.in6;
	}
	bool waiting() const
	{
		return queued > in4 + in6;
	}
};

/* lo0's counters and IP input's, through the internet socket `fd`. */
bool read_counts(int fd, Counts *c)
{
	netbsd::ifdatareq lo0;
	memset(&lo0, 0, sizeof(lo0));
	strcpy(lo0.ifdr_name, "lo0");
	if (rump_sys_ioctl(fd, netbsd::siocgifdata, &lo0) != 0)
		return false;
	uint64_t ip[netbsd::ip_nstats];
	thread_local uint64_t ip6[netbsd::ip6_nstats]; /* 3 KiB: off the stack */
	const int mib4[] = {netbsd::ctl_net, netbsd::af_inet, netbsd::ipproto_ip, netbsd::ipctl_stats};
	const int mib6[] = {netbsd::ctl_net, netbsd::af_inet6, netbsd::ipproto_ipv6, netbsd::ipv6ctl_stats};
	size_t len4 = sizeof(ip), len6 = sizeof(ip6);
	if (rump_sys___sysctl(mib4, 4, ip, &len4, nullptr, 0) != 0 || len4 != sizeof(ip))
		return false;
	if (rump_sys___sysctl(mib6, 4, ip6, &len6, nullptr, 0) != 0 || len6 != sizeof(ip6))
		return false;
	c->queued = lo0.ifdr_data.ifi_ipackets;
	c->in4 = ip[netbsd::ip_stat_total];
	c->in6 = ip6[netbsd::ip6_stat_total];
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

/* The counters rule once: a packet queued, or IP input under way. */
bool counted_in_flight(int fd, Counts *seen)
{
	Counts before, after;
	if (!read_counts(fd, &before))
		return false;
	*seen = before;
	if (before.waiting())
		return true;
	internet_socket({fd});
	if (!read_counts(fd, &after))
		return false;
	*seen = after;
	return !(after == before);
}

/* lo0's queued count when this thread last found the kernel quiet. */
thread_local uint64_t quiet_at = 0;

} // namespace

bool in_flight(const std::vector<int> &fds)
{
	int fd = internet_socket(fds);
	if (fd < 0)
		return false;
	Counts seen;
	if (counted_in_flight(fd, &seen))
		return true;
	/* Quiet now, but packets went through since the last quiet look: look
	 * again after a millisecond. Measured: the counters alone let an RST
	 * answering a `snd` to a closed peer arrive after the wait in about 1
	 * run in 50 with two workers (send-after-peer-close), a window they do
	 * not show and whose cause was not found; with this second look, 0 in
	 * 1,500. */
	if (seen.queued != quiet_at) {
		usleep(1000);
		if (counted_in_flight(fd, &seen))
			return true;
	}
	quiet_at = seen.queued;
	return false;
}

extern const bool settle_every_step = true;

} // namespace os
} // namespace pollmatrix
