/*
 * host_settle.cc - the host instance's settle rule (os.h in_flight; why a
 * rule is needed at all, and how engine/settle.cc waits with it:
 * engine/settle.h). Linux: loopback TCP traffic still in flight, read from
 * kernel state, not a sleep.
 *
 * A TCP endpoint of the scenario that has packets unacknowledged (TCP_INFO,
 * tcp(7)) is unsettled while it waits for its SYN or FIN to be acknowledged
 * (SYN_SENT, SYN_RECV, FIN_WAIT1, CLOSING, LAST_ACK) and its open peer has
 * not reached a state only a received FIN leads to, or while it has
 * unacknowledged data that its open peer has not received yet
 * (tcpi_bytes_sent less tcpi_bytes_retrans against the peer's
 * tcpi_bytes_received) although the peer's window is open (tcpi_snd_wnd).
 * Without an open peer, anything unacknowledged counts, unless the peer is
 * still in the scenario's listener's accept queue. Segments are delivered in
 * order, so once what an endpoint sent last is acknowledged, what an already
 * closed endpoint sent before it (its FIN) has arrived too. Only Linux
 * exposes these fields; elsewhere nothing is in flight as far as this rule
 * can tell. Asked before each `pol` (settle_every_step is false): on
 * loopback the network softirq normally delivers inside the sending call,
 * and only a busy CPU defers it to ksoftirqd.
 */
#include "os.h"

#ifdef __linux__
#include <cstring>

#include <cstddef>

#include <linux/tcp.h> /* the kernel's struct tcp_info: glibc's lacks the byte counts */
#include <netinet/in.h>
#include <sys/socket.h>

namespace pollmatrix {
namespace os {

namespace {

struct Seen {
	int fd;
	struct tcp_info info;
	/* The kernel filled tcpi_bytes_sent, _retrans (Linux 4.19) and
	 * _received (4.1); tcpi_snd_wnd (6.2). */
	bool has_bytes = false;
	bool has_window = false;
	bool have_peer_name = false;
	struct sockaddr_storage self, peer;
	socklen_t self_len = 0, peer_len = 0;
};

/* tcpi_state values (the kernel's include/net/tcp_states.h; no uapi header
 * names them): waiting for a SYN or a FIN to be acknowledged. */
bool waiting_for_ack(uint8_t state)
{
	enum { syn_sent = 2, syn_recv = 3, fin_wait1 = 4, last_ack = 9, closing = 11 };
	return state == syn_sent || state == syn_recv || state == fin_wait1 || state == closing || state == last_ack;
}

/* A listener's tcpi_unacked is its accept queue's length (tcp_get_info()),
 * and a closed socket sends nothing: only the other states can have
 * segments in flight. */
const uint8_t listen_state = 10;

bool sends(uint8_t state)
{
	enum { close = 7 };
	return state != close && state != listen_state;
}

/* CLOSE_WAIT, LAST_ACK, CLOSING, TIME_WAIT: states only a received FIN leads
 * to. */
bool fin_received(uint8_t state)
{
	enum { time_wait = 6, close_wait = 8, last_ack = 9, closing = 11 };
	return state == close_wait || state == last_ack || state == closing || state == time_wait;
}

void names(Seen &s)
{
	if (s.have_peer_name)
		return;
	s.have_peer_name = true;
	s.self_len = sizeof(s.self);
	s.peer_len = sizeof(s.peer);
	if (os::getsockname(s.fd, (struct sockaddr *)&s.self, &s.self_len) != 0)
		s.self_len = 0;
	if (os::getpeername(s.fd, (struct sockaddr *)&s.peer, &s.peer_len) != 0)
		s.peer_len = 0;
}

/* What `sender` sent (data, or a FIN after it) that its open peer among `all`
 * has not received; with no open peer (closed, or not accepted yet), anything
 * unacknowledged counts as in flight. */
bool sent_in_flight(Seen &sender, std::vector<Seen> &all)
{
	names(sender);
	for (Seen &other : all) {
		if (&other == &sender)
			continue;
		names(other);
		/* Each other's peer: a listener has the accepted socket's
		 * own address but no peer. */
		if (other.self_len && other.self_len == sender.peer_len && memcmp(&other.self, &sender.peer, other.self_len) == 0 &&
		    other.peer_len && other.peer_len == sender.self_len && memcmp(&other.peer, &sender.self, other.peer_len) == 0) {
			if (!sender.has_bytes || !other.has_bytes)
				return true;
			/* Bytes sent once (retransmissions counted once) that
			 * the peer has not received are in flight, unless the
			 * peer's window is shut: then they wait for it to read,
			 * which no wait here would see. */
			bool shut = sender.has_window && sender.info.tcpi_snd_wnd == 0;
			if (other.info.tcpi_bytes_received < sender.info.tcpi_bytes_sent - sender.info.tcpi_bytes_retrans)
				return !shut;
			/* All data sent arrived. A FIN goes out behind the last
			 * byte queued (tcpi_notsent_bytes), so with bytes still
			 * queued it was not sent; else it has arrived once the
			 * peer is in a state only a received FIN leads to. (The
			 * peer may delay its ACK by 40 ms: the ACK is not what
			 * to wait for.) */
			if (sender.info.tcpi_notsent_bytes > 0 || shut)
				return false;
			return waiting_for_ack(sender.info.tcpi_state) && !fin_received(other.info.tcpi_state);
		}
	}
	/* No open peer. If the scenario's listener on the peer's address has
	 * connections waiting to be accepted, the peer is one of them: alive
	 * but not yet the scenario's. What it has not acknowledged may wait for
	 * room in its buffer or for its delayed ACK, which this wait cannot see
	 * end, and nothing it does changes what a `pol` on the sender sees
	 * (only an RST would, and a queued connection sends none); once
	 * accepted it is an open peer and the rule above applies. A closed
	 * peer answers with an RST at once, so that is waited for. */
	for (Seen &other : all)
		if (other.info.tcpi_state == listen_state && other.info.tcpi_unacked > 0 && other.self_len == sender.peer_len &&
		    memcmp(&other.self, &sender.peer, other.self_len) == 0)
			return false;
	return true;
}

bool settled(const std::vector<int> &fds, std::vector<Seen> &seen)
{
	seen.clear();
	for (int fd : fds) {
		Seen s;
		s.fd = fd;
		socklen_t len = sizeof(s.info);
		memset(&s.info, 0, sizeof(s.info));
		/* Fails (EOPNOTSUPP, ENOPROTOOPT, EBADF) on anything not TCP. */
		if (os::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &s.info, &len) == 0) {
			s.has_bytes = len >= offsetof(struct tcp_info, tcpi_bytes_retrans) + sizeof(s.info.tcpi_bytes_retrans);
			s.has_window = len >= offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof(s.info.tcpi_snd_wnd);
			seen.push_back(s);
		}
	}
	/* Only what was sent and not yet acknowledged is in flight: a FIN
	 * queued behind data the peer has no room for is not (tcpi_unacked is
	 * the packets sent, SYN and FIN included, not yet acknowledged). */
	for (Seen &s : seen)
		if (sends(s.info.tcpi_state) && s.info.tcpi_unacked > 0 && sent_in_flight(s, seen))
			return false;
	return true;
}

} // namespace

bool in_flight(const std::vector<int> &fds)
{
	std::vector<Seen> seen;
	seen.reserve(fds.size());
	return !settled(fds, seen);
}

extern const bool settle_every_step = false;

} // namespace os
} // namespace pollmatrix

#else

namespace pollmatrix {
namespace os {

bool in_flight(const std::vector<int> &)
{
	return false;
}

extern const bool settle_every_step = false;

} // namespace os
} // namespace pollmatrix

#endif
