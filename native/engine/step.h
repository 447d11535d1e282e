/*
 * step.h - what one command asks and what one step did. Shared by the step
 * executor (engine.cc), the transports (transports/) and napi/.
 */
#pragma once

#include <string>
#include <vector>

#include "actions.h"
#include "../backends/backend.h"

namespace pollmatrix {

/* One `-<letter> <actions>` of the command line. `slot` is the letter's index
 * in the transport's letters ("lcsu" for tcp: -c is slot 1). */
struct Command {
	int slot = 0;
	std::vector<ActionStep> actions;
	/* The mechanism this command's `pol` and `arm` steps ask (haproxy's -e
	 * switches to epoll for the commands after it). */
	const Backend *backend = nullptr;
};

struct StepRecord {
	int cmd = 0;
	int stp = 0;
	Action action = Action::pol;
	long value = -1;      /* the value an action takes (`lwm=5`), else -1 */
	int slot = 0;         /* the letter haproxy prints, as a slot */
	int fd = -1;          /* the number haproxy prints */
	bool implicit = false;
	long ret = 0;
	int err = 0;          /* errno when the call failed, else 0 */
	/* The endpoint was closed earlier (or, for a FIFO end, never opened):
	 * the call went to acted_fd, a number certain to be closed, so it
	 * reports what the OS says for a closed descriptor (workers/descriptors.h). */
	bool endpoint_closed = false;
	int acted_fd = -1;
	/* The bounded wait ran out: the call would have blocked for good. */
	bool timed_out = false;
	/* pol: loopback traffic was still in flight when the settle bound ran
	 * out (settle.h); any step: the transport's own settle rule ran out of
	 * it (TransportSession::settle, before the step or, for a pty's `ful`,
	 * inside it). What the step saw may still have been changing. */
	bool settle_bound = false;
	/* `soe`: the SO_ERROR value read (and cleared), -1 when not read. */
	int so_error = -1;
	std::string note;
	const Backend *backend = nullptr; /* pol and arm only */
	Observation observation;          /* pol only */
};

} // namespace pollmatrix
