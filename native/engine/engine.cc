/*
 * engine.cc - the step executor. One Run object holds a scenario's state (its
 * transport's session and endpoints, the lazily opened observers) and one
 * function executes any step. What the endpoints are and the implicit steps
 * come from the transport (transports/transport.h); the executor knows no
 * transport by name; the system calls of its own actions are io.h's.
 * Semantics follow haproxy's dev/poll/poll; where that tool blocks forever, a
 * step here waits at most timeout_ms.
 */
#include "engine.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>

#include <sys/socket.h>

#include "../os/errnos.h"
#include "../os/os.h"
#include "../workers/descriptors.h"
#include "holder.h"
#include "io.h"
#include "settle.h"

/* Every action is a case of step()'s switch, which has no default: an
 * action added to actions.def without its case is a compile error, whatever
 * flags the build passes (binding.gyp also says -Werror=switch). */
#pragma GCC diagnostic error "-Wswitch"

namespace pollmatrix {

namespace {

class Run : public StepContext {
public:
	Run(const Scenario &scenario, DescriptorTable &table, RunResult &out)
		: sc_(scenario), table_(table), out_(out), endpoints_(strlen(scenario.transport->letters)) {}

	void execute()
	{
		session_ = sc_.transport->open();
		std::string error;
		if (session_->setup(*this, &error)) {
			for (const Command &command : sc_.commands)
				if (!run_command(command))
					break;
		} else {
			out_.setup_error = error;
		}
		cleanup();
	}

	/* StepContext */
	Endpoint &endpoint(int slot) override
	{
		return endpoints_[slot];
	}

	/* The number a step acts on: the endpoint's own while it is open, else
	 * one that is certainly closed (workers/descriptors.h). */
	int target(int slot, StepRecord &rec) override
	{
		Endpoint &e = endpoints_[slot];
		if (e.open)
			return rec.acted_fd = e.fd;
		rec.endpoint_closed = true;
		return rec.acted_fd = table_.closed_number(e.fd);
	}

	StepRecord &implicit_step(Action action, int slot) override
	{
		return step(action, slot, true);
	}

	int timeout_ms() const override
	{
		return sc_.timeout_ms;
	}

	void keep_until_end(int fd) override
	{
		extra_.push_back(fd);
	}

private:
	const Scenario &sc_;
	DescriptorTable &table_;
	RunResult &out_;
	std::unique_ptr<TransportSession> session_;
	std::vector<Endpoint> endpoints_;
	std::vector<int> extra_;
	/* Per slot, the descriptor `dup` made or `swp` set aside (held_copy). */
	std::map<int, int> held_;
	/* The children frk made (holder.h). */
	Holders holders_;
	const Command *command_ = nullptr;
	int cmd_ = 0;
	int stp_ = 0;
	std::map<const Backend *, std::unique_ptr<Observer>> observers_;
	/* Steps under way on this thread: an implicit step may run inside one. */
	int steps_running_ = 0;

	/* The transport's own settle rule (TransportSession::settle); false
	 * when it reached the bound. */
	bool settle_transport()
	{
		return settle_disabled() || session_->settle(*this, settle_bound_ms(sc_.timeout_ms));
	}

	/* The endpoints still open, for settle(). */
	std::vector<int> open_fds() const
	{
		std::vector<int> fds;
		for (const Endpoint &e : endpoints_)
			if (e.open)
				fds.push_back(e.fd);
		return fds;
	}

	void cleanup()
	{
		/* The holders first: each endpoint's discard is then the last
		 * reference, and resets a TCP socket rather than leave a FIN. */
		holders_.end_all();
		for (size_t i = endpoints_.size(); i-- > 0;)
			if (endpoints_[i].open) {
				DescriptorTable::discard(endpoints_[i].fd);
				endpoints_[i].open = false;
			}
		for (int fd : extra_)
			DescriptorTable::discard(fd);
		extra_.clear();
		for (auto &entry : held_)
			DescriptorTable::discard(entry.second);
		held_.clear();
		observers_.clear();
		if (session_)
			session_->teardown();
		out_.leaked = table_.open_descriptors();
	}

	/* Returns false when the scenario must stop here. */
	bool run_command(const Command &command)
	{
		cmd_++;
		stp_ = 0;
		command_ = &command;
		if (!session_->before_command(cmd_, command, *this, &out_.stopped))
			return false;
		for (const ActionStep &action : command.actions) {
			stp_++;
			step(action.action, command.slot, false, action.value);
			if (!out_.stopped.empty())
				return false;
		}
		return true;
	}

	Observer &observer(const Backend *backend)
	{
		std::unique_ptr<Observer> &slot = observers_[backend];
		if (!slot)
			slot = backend->open(sc_.interest);
		return *slot;
	}

	/* The observer's descriptors first (observer() and prepare() make
	 * them): they may take a closed endpoint's number, which target() must
	 * then not hand to them. */
	PolTarget pol_target(Observer &mechanism, int slot, StepRecord &rec)
	{
		mechanism.prepare(slot);
		Endpoint &e = endpoints_[slot];
		bool open = e.open;
		PolTarget t{target(slot, rec), slot, open, e.generation};
		t.acts_on = [](const void *run, int number) { return static_cast<const Run *>(run)->acts_on(number); };
		t.scenario = this;
		return t;
	}

	/* A number this scenario was given: itself while the scenario holds
	 * it open (an endpoint, a copy set aside, one kept until the end),
	 * else one certain to be closed (PolTarget::acts_on). */
	int acts_on(int number) const
	{
		for (const Endpoint &e : endpoints_)
			if (e.open && e.fd == number)
				return number;
		for (const auto &held : held_)
			if (held.second == number)
				return number;
		for (int fd : extra_)
			if (fd == number)
				return number;
		return table_.closed_number(number);
	}

	/* `dup`: the copy is held aside for the slot; a copy held before (never
	 * swapped in) stays open until the end, so numbers are not reused. */
	void hold_copy(int slot, StepRecord &rec)
	{
		int copy = duplicate(target(slot, rec), rec);
		if (copy < 0)
			return;
		auto held = held_.find(slot);
		if (held != held_.end())
			keep_until_end(held->second);
		held_[slot] = copy;
	}

	/* `swp`: the letter names the held descriptor. Both refer to one open
	 * file description, so the endpoint keeps its generation: a persistent
	 * registration made through either number is the same one (epoll(7)
	 * Q6), and is not made again. ret is the number now named. */
	void swap_copy(int slot, StepRecord &rec)
	{
		Endpoint &e = endpoints_[slot];
		auto held = held_.find(slot);
		rec.acted_fd = e.fd;
		if (held == held_.end()) {
			rec.ret = -1;
			rec.note = "no descriptor held: dup first";
			return;
		}
		int copy = held->second;
		if (e.open)
			held->second = e.fd;
		else
			held_.erase(held);
		e.fd = copy;
		e.open = true;
		rec.ret = copy;
	}

	/* One step, run by run_step(). */
	StepRecord &step(Action action, int slot, bool implicit, long value = -1)
	{
		/* Another scenario's holder must not be copying this one's
		 * descriptors meanwhile (holder.h); frk takes the lock itself,
		 * exclusively, and a step run inside a step holds it already. */
		std::shared_lock<std::shared_mutex> steady;
		if (shared_table() && action != Action::frk && steps_running_ == 0)
			steady = steady_step();
		steps_running_++;
		StepRecord &rec = run_step(action, slot, implicit, value);
		steps_running_--;
		return rec;
	}

	bool shared_table() const
	{
		return !table_.is_private();
	}

	/* The one step executor: one case per action (actions.def). `slot` is
	 * the command's endpoint, which labels the step; the transport may act
	 * on another (haproxy's `con` always connects the client). */
	StepRecord &run_step(Action action, int slot, bool implicit, long value)
	{
		out_.steps.emplace_back();
		StepRecord &rec = out_.steps.back();
		Endpoint &labelled = endpoints_[slot];
		Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(sc_.timeout_ms);

		rec.cmd = cmd_;
		rec.stp = stp_;
		rec.action = action;
		rec.value = value;
		rec.slot = slot;
		rec.fd = labelled.fd;
		rec.implicit = implicit;
		rec.settle_bound = !settle_transport();
		/* A kernel that delivers loopback traffic after the sending call
		 * returns is settled before every step (settle.h). */
		if (os::settle_every_step && !settle(open_fds(), settle_bound_ms(sc_.timeout_ms)))
			rec.settle_bound = true;

		/* What the transport does its own way (TransportSession::act):
		 * its own actions (con, acc, nbc, opn), and a generic action on
		 * a descriptor whose meaning is the transport's (an eventfd's
		 * `snd` adds 1 to a counter). pol and arm are the backend's. */
		if (action != Action::pol && action != Action::arm && session_->act(action, slot, rec, *this)) {
			session_->stepped(action, slot, rec);
			return rec;
		}

		switch (action) {
		case Action::pol: {
			rec.backend = command_->backend;
			/* A bit the mechanism cannot ask is never dropped: the step
			 * is not measured, and no mechanism is made for it. */
			if (const InterestMapping *refused = interest_refused(command_->backend, sc_.interest)) {
				rec.observation.not_measured = refused->note;
				break;
			}
			Observer &mechanism = observer(command_->backend);
			if (!os::settle_every_step && !settle(open_fds(), settle_bound_ms(sc_.timeout_ms)))
				rec.settle_bound = true;
			rec.observation = mechanism.observe(pol_target(mechanism, slot, rec));
			rec.ret = rec.observation.ret;
			rec.err = rec.observation.err;
			rec.note = rec.observation.note;
			/* What the mechanism's mapping changed in what was asked. */
			if (std::string asked = interest_note(command_->backend, sc_.interest); !asked.empty())
				rec.note += (rec.note.empty() ? "" : "; ") + asked;
			break;
		}
		case Action::arm: {
			Observer &mechanism = observer(command_->backend);
			rec.backend = command_->backend;
			Observation o = mechanism.rearm(pol_target(mechanism, slot, rec));
			rec.ret = o.ret;
			rec.err = o.err;
			if (o.failed_call)
				rec.note = std::string(o.failed_call) + " failed";
			if (!o.note.empty())
				rec.note = o.note;
			break;
		}
		case Action::snd:
			send_foo(target(slot, rec), labelled.socket, rec);
			break;
		case Action::mor:
			send_more(target(slot, rec), rec);
			break;
		case Action::rcv:
			receive(target(slot, rec), labelled.socket, rec);
			break;
		case Action::drn:
			drain(target(slot, rec), labelled.socket, rec, deadline);
			break;
		case Action::shr:
			shut(target(slot, rec), SHUT_RD, rec);
			break;
		case Action::shw:
			shut(target(slot, rec), SHUT_WR, rec);
			break;
		case Action::shb:
			shut(target(slot, rec), SHUT_RDWR, rec);
			break;
		case Action::lin:
			linger_reset(target(slot, rec), rec);
			break;
		case Action::clo:
			close_descriptor(target(slot, rec), rec);
			/* close() releases the number even when it reports an
			 * error (close(2)), so the endpoint is closed either way. */
			labelled.open = false;
			break;
		case Action::ful: {
			std::function<void()> deliver;
			if (os::settle_every_step)
				deliver = [&] {
					if (!settle(open_fds(), settle_bound_ms(sc_.timeout_ms)))
						rec.settle_bound = true;
				};
			fill(target(slot, rec), labelled.socket, rec, deliver);
			break;
		}
		case Action::oob:
			send_urgent(target(slot, rec), rec);
			break;
		case Action::soe:
			read_so_error(target(slot, rec), rec);
			break;
		case Action::oil:
			oob_inline(target(slot, rec), rec);
			break;
		case Action::rve:
			receive_errors(target(slot, rec), rec);
			break;
		case Action::lwm:
			set_option(target(slot, rec), SocketOption::receive_low_water, value, rec);
			break;
		case Action::sbf:
			set_option(target(slot, rec), SocketOption::send_buffer, value, rec);
			break;
		case Action::rbf:
			set_option(target(slot, rec), SocketOption::receive_buffer, value, rec);
			break;
		case Action::dfr:
			set_option(target(slot, rec), SocketOption::defer_accept, value, rec);
			break;
		case Action::dup:
			hold_copy(slot, rec);
			break;
		case Action::swp:
			swap_copy(slot, rec);
			break;
		case Action::frk:
			holders_.fork(slot, target(slot, rec), rec, sc_.timeout_ms, shared_table());
			/* Where no holder can be made, what follows would be the
			 * scenario without its holder: the run stops here, so its
			 * later cells read "not reached", never a wrong answer. */
			if (os::holders_unavailable)
				out_.stopped = std::string("frk: ") + os::holders_unavailable;
			break;
		case Action::fcl:
			rec.acted_fd = labelled.fd;
			holders_.close_copy(slot, rec, sc_.timeout_ms);
			break;
		case Action::con:
		case Action::acc:
		case Action::nbc:
		case Action::opn:
		case Action::far:
		case Action::dis:
		case Action::sto:
		case Action::lop:
			/* The transport did not take it above. The addon
			 * refuses an action the transport does not list; this
			 * is only the last guard. */
			rec.ret = -1;
			rec.err = err::opnotsupp;
			rec.note = "not an action of this transport";
			break;
		}
		session_->stepped(action, slot, rec);
		return rec;
	}
};

/* A write to a pipe whose reader is gone raises SIGPIPE at the writing thread
 * (pipe(7)); with every signal blocked during the run it stays pending. It is
 * taken here, before the mask is restored, so it can never be delivered. */
void discard_pending_sigpipe()
{
	sigset_t pending, only;
	int sig;
	sigemptyset(&only);
	sigaddset(&only, SIGPIPE);
	while (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE))
		sigwait(&only, &sig);
}

} // namespace

void run_scenario_on(const Scenario &scenario, DescriptorTable &table, RunResult &out)
{
	out.descriptor_table = table.mode();
	out.why_shared = table.why_shared();
	out.network = table.network();
	out.why_host_network = table.why_host_network();
	/* Signals are blocked here (workers/worker.cc). */
	Run(scenario, table, out).execute();
	discard_pending_sigpipe();
}

} // namespace pollmatrix
