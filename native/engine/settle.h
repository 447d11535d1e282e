/*
 * settle.h - let loopback traffic that is still in flight arrive before a
 * `pol` looks, so a FIN or data the scenario already sent is seen the same
 * way on an idle machine and a loaded one.
 *
 * On loopback a segment is handed to the receiving socket by the network
 * softirq, which normally runs before send()/shutdown()/close() returns. On a
 * busy CPU the kernel defers it to ksoftirqd instead, and a `pol` can then run
 * while the peer's FIN is still queued (issue 8: seed-accept-close-shutw on
 * select gave `W` once in 1,000 runs instead of `R W`).
 *
 * The rule is read from kernel state, not a sleep: a TCP endpoint of the
 * scenario that has packets unacknowledged (TCP_INFO, tcp(7)) is unsettled
 * while it waits for its SYN or FIN to be acknowledged (SYN_SENT, SYN_RECV,
 * FIN_WAIT1, CLOSING,
 * LAST_ACK) and its open peer has not reached a state only a received FIN
 * leads to, or while it has unacknowledged data that its open peer has not
 * received yet (tcpi_bytes_sent less tcpi_bytes_retrans against the peer's
 * tcpi_bytes_received) although the peer's window is open (tcpi_snd_wnd).
 * Without an open peer, anything unacknowledged counts, unless the peer is
 * still in the scenario's listener's accept queue. While anything is
 * unsettled the thread yields
 * the CPU (so ksoftirqd runs) and looks again, for at most a bound; a step
 * that reached the bound says so (StepRecord::settle_bound). Segments are
 * delivered in order, so once what an endpoint sent last is acknowledged,
 * what an already closed endpoint sent before it (its FIN) has arrived too.
 * Only Linux exposes these fields; elsewhere nothing waits.
 *
 * A transport with its own kind of traffic in flight has its own rule
 * behind TransportSession::settle (transports/transport.h), run before
 * every step: the pty's waits for the tty layer's flip-buffer work
 * (transports/pty.cc).
 */
#pragma once

#include <vector>

namespace pollmatrix {

/* Waits until the TCP sockets among `fds` are settled, for at most
 * `bound_ms`. Returns false when the bound ran out first. */
bool settle(const std::vector<int> &fds, int bound_ms);

/* POLLMATRIX_NO_SETTLE is set: no settle rule waits, the TCP one here nor a
 * transport's own (TransportSession::settle), to see what they prevent
 * (test/settle.test.ts). */
bool settle_disabled();

/* The settle bound of a scenario whose steps are bounded by `timeout_ms`:
 * 50 ms, or the step bound if that is shorter. Loopback delivers in
 * microseconds even on a loaded machine, but a connection still in the
 * listener's accept queue may take its time to acknowledge a FIN (measured
 * here: about 5 ms), and only the acknowledgement shows it arrived. */
inline int settle_bound_ms(int timeout_ms)
{
	return timeout_ms < 50 ? timeout_ms : 50;
}

} // namespace pollmatrix
