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
 * The rule is read from kernel state, not a sleep, and it is the kernel
 * under test's (os.h in_flight): on Linux, a TCP endpoint of the scenario
 * with something unacknowledged that its open peer has not received
 * (TCP_INFO; os/host_settle.cc); in a NetBSD rump kernel, any packet the
 * kernel generated that its IP input has not finished with (its own
 * counters; os/rump_settle.cc). While anything is in flight the thread
 * yields the CPU (so ksoftirqd, or the rump kernel's softint thread, runs)
 * and looks again, for at most a bound; a step that reached the bound says
 * so (StepRecord::settle_bound). The engine asks before each `pol`, and
 * before every step where the kernel delivers later than the call that
 * sent (os::settle_every_step: a rump kernel).
 *
 * A transport with its own kind of traffic in flight has its own rule
 * behind TransportSession::settle (transports/transport.h), run before
 * every step: the pty's waits for the tty layer's flip-buffer work
 * (transports/pty.cc).
 */
#pragma once

#include <vector>

namespace pollmatrix {

/* Waits until nothing the scenario's open endpoints `fds` sent is in flight
 * (os::in_flight), for at most `bound_ms`. Returns false when the bound ran
 * out first. */
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
