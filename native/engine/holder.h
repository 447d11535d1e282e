/*
 * holder.h - `frk` and `fcl`: a forked holder, a child process that keeps a
 * copy of one endpoint's descriptor after the scenario's own is closed.
 *
 * Why: epoll registers the open file description, not the number, and after
 * fork(2) the child's copy keeps the description alive: a connection (no FIN
 * when the parent closes), a pipe's write end (no HUP for the reader) and an
 * epoll registration (epoll(7) Q6: events still reported for a closed
 * number). dup shows the same inside one process; a holder shows it as an
 * event loop meets it, through a child.
 *
 * frk makes the child (os::fork_child: its own copy of the descriptor table).
 * The child closes every descriptor but the held one and its end of a
 * control socket, says it is ready, and waits for one command byte: on it
 * it closes the copy, answers, and exits. End of file on the control socket
 * (the scenario's end gone) ends it too, as does the death of the thread
 * that made it (Linux). frk returns when the child is ready, so no other
 * descriptor of the scenario is held by the child when the next step runs.
 * ret is 0, never the pid: a trace carries nothing that differs between
 * runs. Both waits are bounded by the step timeout, but never shorter than
 * limits::holder_wait_min_ms: the child waits on nothing but the scheduler.
 *
 * One holder per endpoint at a time: a second frk before fcl is refused with
 * a note (fcl first); after fcl the endpoint may fork a holder again.
 *
 * end_all(), which the engine's clean-up runs on every path (a timeout, an
 * error, a scenario that never asked fcl), kills each child still there
 * (SIGKILL, which no signal mask blocks), reaps it and closes its control
 * socket: no zombie and no descriptor is left.
 *
 * In a shared descriptor table (macOS, the BSDs, --descriptor-table shared)
 * the child starts with a copy of every descriptor of the process, other
 * scenarios' included, until it closes them: another scenario's `clo` in
 * that moment would send no FIN (measured: 23 cells of fork-* unstable in
 * 30 runs with four workers). So each step of a scenario in a shared table
 * runs under steady_step(), and frk there forks under the same lock held
 * exclusively, until its child is ready: no step ever overlaps another
 * scenario's copy. In a private table (Linux) the child copies only its own
 * scenario's table, and nothing is locked.
 */
#pragma once

#include <map>
#include <shared_mutex>

#include "step.h"

namespace pollmatrix {

/* Held by a step of a scenario in a shared table (engine.cc). */
std::shared_lock<std::shared_mutex> steady_step();

class Holders {
public:
	Holders() = default;
	Holders(const Holders &) = delete;
	Holders &operator=(const Holders &) = delete;
	~Holders() { end_all(); }

	/* `frk` on `slot`, whose descriptor (or closed number) is `fd`;
	 * `shared_table`: the scenario runs in the process's table. */
	void fork(int slot, int fd, StepRecord &rec, int timeout_ms, bool shared_table);
	/* `fcl` on `slot`: the holder closes its copy and exits; waits for its
	 * answer (bounded as above; past the bound, rec.timed_out). */
	void close_copy(int slot, StepRecord &rec, int timeout_ms);
	/* Kills and reaps every holder, closes every control socket. */
	void end_all();

private:
	struct Holder {
		int pid = -1;
		/* The parent's end of the control socket. */
		int control = -1;
	};
	std::map<int, Holder> by_slot_;

	static void end(Holder &holder);
};

} // namespace pollmatrix
