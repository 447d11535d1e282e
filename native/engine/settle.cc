/*
 * settle.cc - see settle.h for the rule and why.
 */
#include "settle.h"

#ifdef __linux__
#include <chrono>
#include <cstring>

#include <cstddef>
#include <cstdlib>

#include <linux/tcp.h> /* the kernel's struct tcp_info: glibc's lacks the byte counts */
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>

#include "../os/os.h"

namespace pollmatrix {

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
bool in_flight(Seen &sender, std::vector<Seen> &all)
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
		if (sends(s.info.tcpi_state) && s.info.tcpi_unacked > 0 && in_flight(s, seen))
			return false;
	return true;
}

} // namespace

bool settle_disabled()
{
	static const bool off = getenv("POLLMATRIX_NO_SETTLE") != nullptr;
	return off;
}

bool settle(const std::vector<int> &fds, int bound_ms)
{
	if (settle_disabled())
		return true;
	std::vector<Seen> seen;
	seen.reserve(fds.size());
	if (settled(fds, seen))
		return true;
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(bound_ms);
	while (std::chrono::steady_clock::now() < deadline) {
		sched_yield();
		if (settled(fds, seen))
			return true;
	}
	return false;
}

} // namespace pollmatrix

#else

#include <cstdlib>

namespace pollmatrix {

bool settle_disabled()
{
	return getenv("POLLMATRIX_NO_SETTLE") != nullptr;
}

bool settle(const std::vector<int> &, int)
{
	return true;
}

} // namespace pollmatrix

#endif
