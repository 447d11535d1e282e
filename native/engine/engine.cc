/*
 * engine.cc - the step executor. One Run object holds a scenario's state (its
 * transport's session and endpoints, the lazily opened observers) and one
 * function executes any step. What the endpoints are and the implicit steps
 * come from the transport (transports/transport.h); the executor knows no
 * transport by name. Semantics follow haproxy's dev/poll/poll; where that tool
 * blocks forever, a step here waits at most timeout_ms.
 */
#include "engine.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>

#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "../workers/descriptors.h"
#include "settle.h"
#include "../os/errnos.h"
#include "../os/portability.h"
#include "socket_timeout.h"

namespace pollmatrix {

namespace {

/* Record a syscall's result: ret, and errno when it failed. */
void result(StepRecord &rec, long ret)
{
	rec.ret = ret;
	rec.err = ret < 0 ? errno : 0;
}

bool is_datagram(int fd)
{
	int type = 0;
	socklen_t len = sizeof(type);
	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM;
}

/* `rcv` on a socket asks again once when recv() said EAGAIN at the urgent
 * mark. There, and only there, a nonblocking TCP recv() looks at
 * signal_pending() and gives up without reading or skipping the urgent byte
 * when it is true (net/ipv4/tcp.c tcp_recvmsg_locked: "Stop if we have read
 * anything or have SIGURG pending"). The workers block every signal, so what
 * is pending then is task work: closing an io_uring ring makes the ring's
 * exit work hand each thread that used it a task_work with TWA_SIGNAL
 * (io_uring/io_uring.c io_ring_exit_work), which sets TIF_NOTIFY_SIGNAL at
 * any moment of the next scenario, and signal_pending() counts it
 * (include/linux/sched/signal.h). The flag is cleared and the work run on
 * the way out of the first recv(), so the second one answers for the
 * socket alone. Without this, issue 8's oob-* scenarios gave PRI in the
 * `pol` after a `rcv` about once in 1,000 runs under load: on io_uring, and
 * on poll and select after an io_uring scenario on the same worker; never
 * without io_uring. (`drn` already asks again on EINTR, which is what a
 * blocking recv() gives there.) */

/* `drn`: receive until 0 or an error, blocking, as haproxy's tool does; ret is
 * the total, -1 if nothing came. A socket is blocking there, so EAGAIN can
 * only mean that SO_RCVTIMEO ran out. Pipes, FIFOs and ptys are nonblocking
 * (their transports make them so), so they wait in poll() for each read. */
void drain(int fd, bool socket, StepRecord &rec, Clock::time_point deadline)
{
	char buf[16384];
	long total = -1;
	ssize_t got;
	if (socket) {
		ScopedSocketTimeout bound(fd, SO_RCVTIMEO, ms_left(deadline));
		for (;;) {
			bound.set(ms_left(deadline));
			got = recv(fd, buf, sizeof(buf), 0);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			total = (total < 0 ? 0 : total) + got;
		}
	} else {
		for (;;) {
			got = read(fd, buf, sizeof(buf));
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				struct pollfd pfd = {fd, POLLIN, 0};
				long left = ms_left(deadline);
				if (left > 0 && poll(&pfd, 1, (int)left) > 0)
					continue;
				errno = EAGAIN;
			}
			if (got <= 0)
				break;
			total = (total < 0 ? 0 : total) + got;
		}
	}
	rec.ret = total;
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		rec.timed_out = true;
		rec.note = socket ? "the peer never closed: recv() would block" : "the writer never closed: read() would block";
	} else {
		rec.err = got < 0 ? errno : 0;
	}
}

/* `ful`: write until EAGAIN. Large chunks first, then halved down to one
 * byte, so the buffer ends really full (a pipe takes no partial page of a
 * small write; a stream socket may take a few bytes more). ret is the total;
 * a datagram socket that never refuses (UDP drops what does not fit) stops
 * at a bound and says so. */
void fill(int fd, bool socket, StepRecord &rec)
{
	static char zeros[65536];
	const long bound = 16L << 20;
	size_t chunk = socket && is_datagram(fd) ? 1024 : sizeof(zeros);
	long total = 0;
	for (;;) {
		ssize_t n = socket ? send(fd, zeros, chunk, PM_MSG_NOSIGNAL | MSG_DONTWAIT) : write(fd, zeros, chunk);
		if (n > 0) {
			total += n;
			if (total >= bound) {
				rec.note = "no EAGAIN after " + std::to_string(total) + " bytes: stopped there";
				break;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* EMSGSIZE: a SOCK_SEQPACKET record larger than the buffer. */
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EMSGSIZE) && chunk > 1) {
			chunk /= 2;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EMSGSIZE) {
			if (total == 0) {
				result(rec, -1);
				return;
			}
			const char *name = errno_name(errno);
			rec.note = std::string("then ") + (name ? name : strerror(errno));
		}
		break;
	}
	rec.ret = total;
	rec.err = 0;
}

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
	 * one that is certainly closed (descriptors.h). */
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
	const Command *command_ = nullptr;
	int cmd_ = 0;
	int stp_ = 0;
	std::map<const Backend *, std::unique_ptr<Observer>> observers_;

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
		for (size_t i = endpoints_.size(); i-- > 0;)
			if (endpoints_[i].open) {
				DescriptorTable::discard(endpoints_[i].fd);
				endpoints_[i].open = false;
			}
		for (int fd : extra_)
			DescriptorTable::discard(fd);
		extra_.clear();
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
		for (Action action : command.actions) {
			stp_++;
			step(action, command.slot, false);
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
		return PolTarget{target(slot, rec), slot, open, e.generation};
	}

	/* The one step executor. `slot` is the command's endpoint, which labels
	 * the step; the transport may act on another (haproxy's `con` always
	 * connects the client). */
	StepRecord &step(Action action, int slot, bool implicit)
	{
		out_.steps.emplace_back();
		StepRecord &rec = out_.steps.back();
		Endpoint &labelled = endpoints_[slot];
		Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(sc_.timeout_ms);
		char buf[16];

		rec.cmd = cmd_;
		rec.stp = stp_;
		rec.action = action;
		rec.slot = slot;
		rec.fd = labelled.fd;
		rec.implicit = implicit;
		rec.settle_bound = !settle_transport();

		switch (action) {
		case Action::pol: {
			Observer &mechanism = observer(command_->backend);
			rec.backend = command_->backend;
			if (!settle(open_fds(), settle_bound_ms(sc_.timeout_ms)))
				rec.settle_bound = true;
			rec.observation = mechanism.observe(pol_target(mechanism, slot, rec));
			rec.ret = rec.observation.ret;
			rec.err = rec.observation.err;
			if (!rec.observation.note.empty())
				rec.note = rec.observation.note;
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
			if (labelled.socket)
				result(rec, send(target(slot, rec), "foo", 3, PM_MSG_NOSIGNAL | MSG_DONTWAIT));
			else
				result(rec, write(target(slot, rec), "foo", 3));
			break;
		case Action::mor:
			result(rec, send(target(slot, rec), "foo", 3, PM_MSG_NOSIGNAL | MSG_DONTWAIT | PM_MSG_MORE));
			if (!PM_HAVE_MSG_MORE)
				rec.note = "MSG_MORE does not exist on this OS: sent without it, as haproxy's tool does";
			break;
		case Action::rcv:
			if (labelled.socket) {
				int fd = target(slot, rec);
				result(rec, recv(fd, buf, 10, MSG_DONTWAIT));
				if (rec.ret < 0 && rec.err == EAGAIN && sockatmark(fd) == 1)
					result(rec, recv(fd, buf, 10, MSG_DONTWAIT));
			} else {
				result(rec, read(target(slot, rec), buf, 10));
			}
			break;
		case Action::drn:
			drain(target(slot, rec), labelled.socket, rec, deadline);
			break;
		case Action::shr:
			result(rec, shutdown(target(slot, rec), SHUT_RD));
			break;
		case Action::shw:
			result(rec, shutdown(target(slot, rec), SHUT_WR));
			break;
		case Action::shb:
			result(rec, shutdown(target(slot, rec), SHUT_RDWR));
			break;
		case Action::lin: {
			struct linger nolinger = {1, 0};
			result(rec, setsockopt(target(slot, rec), SOL_SOCKET, SO_LINGER, &nolinger, sizeof(nolinger)));
			break;
		}
		case Action::clo:
			result(rec, close(target(slot, rec)));
			/* close() releases the number even when it reports an
			 * error (close(2)), so the endpoint is closed either way. */
			labelled.open = false;
			break;
		case Action::ful:
			if (!session_->act(action, slot, rec, *this))
				fill(target(slot, rec), labelled.socket, rec);
			break;
		case Action::oob:
			result(rec, send(target(slot, rec), "!", 1, MSG_OOB | PM_MSG_NOSIGNAL | MSG_DONTWAIT));
			break;
		case Action::soe: {
			int value = 0;
			socklen_t len = sizeof(value);
			result(rec, getsockopt(target(slot, rec), SOL_SOCKET, SO_ERROR, &value, &len));
			if (rec.ret == 0)
				rec.so_error = value;
			break;
		}
		case Action::oil: {
			int one = 1;
			result(rec, setsockopt(target(slot, rec), SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)));
			break;
		}
		case Action::con:
		case Action::acc:
		case Action::nbc:
		case Action::opn:
			if (!session_->act(action, slot, rec, *this)) {
				/* The addon refuses an action the transport does
				 * not list; this is only the last guard. */
				rec.ret = -1;
				rec.err = EOPNOTSUPP;
				rec.note = "not an action of this transport";
			}
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
	/* Signals are blocked here (descriptors.cc, worker.cc). */
	Run(scenario, table, out).execute();
	discard_pending_sigpipe();
}

RunResult run_scenario(const Scenario &scenario)
{
	RunResult out;
	std::string why_shared;
	DescriptorTable::run([&](DescriptorTable &table) { run_scenario_on(scenario, table, out); },
	                     scenario.shared_table, &why_shared);
	out.why_shared = why_shared;
	return out;
}

} // namespace pollmatrix
