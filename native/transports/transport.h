/*
 * transport.h - what the endpoints of a scenario are and how they are set up.
 *
 * One Transport record per transport (ARCHITECTURE.md "Concepts"): its name, its
 * endpoint letters, the actions it can do, and a session that sets the
 * endpoints up, runs the implicit steps and gives the few actions whose
 * meaning is the transport's own (con, acc, nbc, opn). Every other action
 * (snd, rcv, shw, clo, pol...) is generic and runs in the step executor on
 * the endpoint's descriptor; the executor knows no transport by name. Adding
 * a transport is one file here plus one line in transports/registry.cc.
 */
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../engine/actions.h"
#include "../engine/step.h"
#include "../os/os.h"

namespace pollmatrix {

/* One descriptor a scenario acts on, named by its transport's letter. */
struct Endpoint {
	int fd = -1;
	bool open = false;
	/* send()/recv()/shutdown() apply; otherwise write()/read(). */
	bool socket = true;
	/* How many descriptors this endpoint has had (PolTarget::generation). */
	unsigned generation = 0;

	/* The endpoint now holds `descriptor` (just made, opened or accepted). */
	void opened(int descriptor, bool is_socket)
	{
		fd = descriptor;
		open = true;
		socket = is_socket;
		generation++;
	}
};

/* What a transport's session may ask of the step executor. */
class StepContext {
public:
	virtual ~StepContext() = default;
	virtual Endpoint &endpoint(int slot) = 0;
	/* The number a step on `slot` acts on: the endpoint's own while it is
	 * open, else one certainly closed. Records both in `rec`. */
	virtual int target(int slot, StepRecord &rec) = 0;
	/* Runs an implicit step (haproxy's con/acc before a command), labelled
	 * with `slot`, with the command's backend. */
	virtual StepRecord &implicit_step(Action action, int slot) = 0;
	virtual int timeout_ms() const = 0;
	/* A descriptor the scenario made that is no endpoint (an accept after
	 * the first): closed at the end. */
	virtual void keep_until_end(int fd) = 0;
};

class TransportSession {
public:
	virtual ~TransportSession() = default;
	/* Makes the endpoints that exist before the first command. On failure
	 * returns false with `error` saying which call failed; no step runs. */
	virtual bool setup(StepContext &ctx, std::string *error) = 0;
	/* Runs before command number `cmd` (its steps not yet taken): the
	 * implicit steps. Returns false with `stopped` set when the scenario
	 * must stop here (haproxy's tool gives up when the implicit accept
	 * fails). */
	virtual bool before_command(int cmd, const Command &command, StepContext &ctx, std::string *stopped)
	{
		(void)cmd, (void)command, (void)ctx, (void)stopped;
		return true;
	}
	/* Lets what the scenario's endpoints already wrote reach the other
	 * side before a step looks (engine/settle.h does this for TCP, whatever the
	 * transport). Runs before every step; returns false
	 * when `bound_ms` ran out first (the step then carries settle_bound).
	 * The default has nothing to wait for: a pipe, a socketpair or a UNIX
	 * socket hands data over inside the write. */
	virtual bool settle(StepContext &ctx, int bound_ms)
	{
		(void)ctx, (void)bound_ms;
		return true;
	}
	/* What a step did (after it ran), for a settle rule that counts what
	 * is in flight. */
	virtual void stepped(Action action, int slot, const StepRecord &rec)
	{
		(void)action, (void)slot, (void)rec;
	}
	/* An action whose meaning is this transport's own (con, acc, nbc,
	 * opn), or a generic action the transport does its own way (a pty's
	 * `ful`, an eventfd's `snd`). The executor asks this first for every
	 * action but pol and arm (the backend's). Returns false when the
	 * executor runs the action itself. */
	virtual bool act(Action action, int slot, StepRecord &rec, StepContext &ctx)
	{
		(void)action, (void)slot, (void)rec, (void)ctx;
		return false;
	}
	/* After every endpoint is closed: remove what the set-up left on the
	 * file system (a FIFO, a socket path). */
	virtual void teardown() {}
};

struct Transport {
	const char *name;
	/* One line: what the endpoints are. */
	const char *describes;
	/* One letter per endpoint, in slot order ("lcsu"). */
	const char *letters;
	/* What each letter is, in slot order ("listener", "client", ...). */
	const char *const *roles;
	/* The actions a scenario of this transport may use on any endpoint. */
	ActionSet actions;
	/* nullptr when the transport can run here, else why not. Cheap. */
	const char *(*unavailable)(void);
	std::unique_ptr<TransportSession> (*open)(void);
};

/* Every transport pollmatrix knows, in display order (transports/registry.cc). */
const std::vector<const Transport *> &transport_registry();
const Transport *find_transport(const std::string &name);
/* The slot of `letter` in `t`, or -1. */
int transport_slot(const Transport *t, char letter);

/* Why `t` cannot be measured here, or nullptr: the kernel under test's
 * answer (os::transport_unavailable: no pty in a rump kernel), else the
 * transport's own (Transport::unavailable). */
const char *transport_unavailable(const Transport *t);

/* Transport::unavailable for a transport every POSIX system has. */
inline const char *transport_always_available()
{
	return nullptr;
}

/* The `unavailable` and `open` of a transport whose descriptor kind is
 * Linux's own (eventfd, inotify, timerfd, signalfd: os.h PM_HAVE_LINUX_FDS): its
 * session where the kind exists; elsewhere the reason, and no session
 * (`Session` is then never named, so it may be left undefined). */
inline const char *transport_linux_only()
{
	return "a descriptor kind of Linux's own: this OS has none";
}
inline std::unique_ptr<TransportSession> open_no_session()
{
	return nullptr;
}
#ifdef PM_HAVE_LINUX_FDS
#define PM_LINUX_ONLY(Session) transport_always_available, open_session<Session>
#else
#define PM_LINUX_ONLY(Session) transport_linux_only, open_no_session
#endif

/* A failed set-up call: `error` names it with its errno text; returns false. */
bool setup_failed(std::string *error, const char *call);

template <typename T>
std::unique_ptr<TransportSession> open_session()
{
	return std::unique_ptr<TransportSession>(new T());
}

} // namespace pollmatrix
