/*
 * engine.cc - the step executor. One Run object holds a scenario's state (the
 * three endpoints, haproxy's `connected` flag, the lazily opened observers) and
 * one function executes any step. Semantics follow haproxy's dev/poll/poll:
 *   - the listener binds, listens (backlog 1000) and the client socket exists
 *     before the first command;
 *   - `con` always connects the client and `acc` always accepts on the
 *     listener, whichever command they appear in; the label is the command's;
 *   - an implicit `con` (step #0) precedes the first -c or -s command unless a
 *     `con` already ran; an implicit `acc` (step #0, labelled l) precedes every
 *     -s command while no accepted socket exists, and the run stops if it fails;
 *   - the first successful accept becomes `s`; a later one is kept open (as
 *     that tool leaks it) and closed at the end;
 *   - extension: `-u` acts on a socket made at its first command and never
 *     connected implicitly (a `con` there still connects the client).
 * Where that tool blocks forever, a step here waits at most timeout_ms.
 */
#include "engine.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "descriptors.h"
#include "errnos.h"
#include "portability.h"

namespace pollmatrix {

namespace {

const char *const action_names[] = {
	"con", "acc", "snd", "mor", "rcv", "drn", "shr", "shw", "shb", "lin", "clo", "pol",
};

struct Endpoint {
	int fd = -1;
	bool open = false;
};

using Clock = std::chrono::steady_clock;

long ms_left(Clock::time_point deadline)
{
	auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
	return left > 0 ? (long)left : 0;
}

/* SIGPIPE must never kill the host; see portability.h. */
void no_sigpipe(int fd)
{
#ifdef SO_NOSIGPIPE
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#else
	(void)fd;
#endif
}

/* Sets a socket timeout option for the duration of one blocking call and puts
 * the previous value back afterwards. A failure to set it (EBADF on a closed
 * number) is harmless: the call then fails at once with the same errno. */
class ScopedSocketTimeout {
public:
	ScopedSocketTimeout(int fd, int option, long ms) : fd_(fd), option_(option)
	{
		socklen_t len = sizeof(saved_);
		saved_ok_ = getsockopt(fd, SOL_SOCKET, option, &saved_, &len) == 0;
		set(ms);
	}
	void set(long ms)
	{
		struct timeval tv;
		if (ms < 1)
			ms = 1;
		tv.tv_sec = ms / 1000;
		tv.tv_usec = (ms % 1000) * 1000;
		setsockopt(fd_, SOL_SOCKET, option_, &tv, sizeof(tv));
	}
	~ScopedSocketTimeout()
	{
		if (saved_ok_)
			setsockopt(fd_, SOL_SOCKET, option_, &saved_, sizeof(saved_));
	}

private:
	int fd_;
	int option_;
	struct timeval saved_ = {0, 0};
	bool saved_ok_ = false;
};

class Run {
public:
	Run(const Scenario &scenario, DescriptorTable &table, RunResult &out)
		: sc_(scenario), table_(table), out_(out) {}

	void execute()
	{
		if (!setup()) {
			cleanup();
			return;
		}
		for (const Command &command : sc_.commands)
			if (!run_command(command))
				break;
		cleanup();
	}

private:
	const Scenario &sc_;
	DescriptorTable &table_;
	RunResult &out_;
	Endpoint l_, c_, s_, u_;
	std::vector<int> extra_accepted_;
	bool connected_ = false;
	struct sockaddr_in saddr_;
	int cmd_ = 0;
	int stp_ = 0;
	std::map<const Backend *, std::unique_ptr<Observer>> observers_;

	Endpoint &endpoint(Side side)
	{
		return side == Side::l ? l_ : side == Side::c ? c_ : side == Side::s ? s_ : u_;
	}

	bool fail_setup(const char *what)
	{
		out_.setup_error = std::string(what) + ": " + strerror(errno);
		return false;
	}

	/* Listener on 127.0.0.1, ephemeral port, then the client socket: the
	 * same order (so the same numbers, 3 and 4) as haproxy's tool. That tool
	 * binds INADDR_ANY and connects to 0.0.0.0, which Linux routes over
	 * loopback; naming loopback keeps the port off the network. */
	bool setup()
	{
		int one = 1;
		socklen_t len = sizeof(saddr_);

		l_.fd = pm_tcp_socket();
		if (l_.fd < 0)
			return fail_setup("socket(l)");
		l_.open = true;
		setsockopt(l_.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		memset(&saddr_, 0, sizeof(saddr_));
		saddr_.sin_family = AF_INET;
		saddr_.sin_port = htons(0);
		saddr_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(l_.fd, (struct sockaddr *)&saddr_, sizeof(saddr_)) < 0)
			return fail_setup("bind()");
		if (listen(l_.fd, 1000) < 0)
			return fail_setup("listen()");
		if (getsockname(l_.fd, (struct sockaddr *)&saddr_, &len) < 0)
			return fail_setup("getsockname()");
		c_.fd = pm_tcp_socket();
		if (c_.fd < 0)
			return fail_setup("socket(c)");
		c_.open = true;
		no_sigpipe(c_.fd);
		return true;
	}

	void cleanup()
	{
		for (Endpoint *e : {&u_, &s_, &c_, &l_})
			if (e->open) {
				DescriptorTable::discard(e->fd);
				e->open = false;
			}
		for (int fd : extra_accepted_)
			DescriptorTable::discard(fd);
		extra_accepted_.clear();
		observers_.clear();
		out_.leaked = table_.open_descriptors();
	}

	/* Returns false when the scenario must stop here. */
	bool run_command(const Command &command)
	{
		cmd_++;
		stp_ = 0;
		if ((command.side == Side::c || command.side == Side::s) && !connected_)
			step(Action::con, Side::c, command.backend, true);
		if (command.side == Side::u && u_.fd < 0) {
			u_.fd = pm_tcp_socket();
			if (u_.fd < 0) {
				out_.stopped = std::string("socket(u) failed: ") + strerror(errno);
				return false;
			}
			u_.open = true;
			no_sigpipe(u_.fd);
		}
		if (command.side == Side::s) {
			if (s_.fd < 0) {
				StepRecord &acc = step(Action::acc, Side::l, command.backend, true);
				if (s_.fd < 0) {
					stop_after_failed_accept(acc);
					return false;
				}
			}
		}
		for (Action action : command.actions) {
			stp_++;
			step(action, command.side, command.backend, false);
		}
		return true;
	}

	void stop_after_failed_accept(const StepRecord &acc)
	{
		char text[256];
		if (acc.timed_out)
			snprintf(text, sizeof(text),
			         "the implicit accept() before cmd #%d found no pending connection within %d ms "
			         "(haproxy's dev/poll/poll blocks here for ever)",
			         cmd_, sc_.timeout_ms);
		else
			snprintf(text, sizeof(text),
			         "the implicit accept() before cmd #%d failed with %s (%s); "
			         "haproxy's dev/poll/poll gives up here too",
			         cmd_, errno_name(acc.err) ? errno_name(acc.err) : "?", strerror(acc.err));
		out_.stopped = text;
	}

	/* The number a step acts on: the endpoint's own while it is open, else
	 * one that is certainly closed (descriptors.h). */
	int target(Endpoint &e, StepRecord &rec)
	{
		if (e.open)
			return rec.acted_fd = e.fd;
		rec.endpoint_closed = true;
		return rec.acted_fd = table_.closed_number(e.fd);
	}

	Observer &observer(const Backend *backend)
	{
		std::unique_ptr<Observer> &slot = observers_[backend];
		if (!slot)
			slot = backend->open();
		return *slot;
	}

	/* Record a syscall's result: ret, and errno when it failed. */
	static void result(StepRecord &rec, long ret)
	{
		rec.ret = ret;
		rec.err = ret < 0 ? errno : 0;
	}

	/* The one step executor. `side` is the command's endpoint, which labels
	 * the step; `con` and `acc` act on the client and the listener whatever
	 * the label says, as in haproxy's tool. */
	StepRecord &step(Action action, Side side, const Backend *backend, bool implicit)
	{
		out_.steps.emplace_back();
		StepRecord &rec = out_.steps.back();
		Endpoint &labelled = endpoint(side);
		Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(sc_.timeout_ms);
		char buf[16384];

		rec.cmd = cmd_;
		rec.stp = stp_;
		rec.action = action;
		rec.side = side;
		rec.fd = labelled.fd;
		rec.implicit = implicit;

		switch (action) {
		case Action::con: {
			int fd = target(c_, rec);
			/* Linux bounds a blocking connect() by SO_SNDTIMEO and then
			 * fails it with EINPROGRESS (socket(7)). Loopback never
			 * needs it; it is only the guarantee that nothing hangs. */
			ScopedSocketTimeout bound(fd, SO_SNDTIMEO, sc_.timeout_ms);
			result(rec, connect(fd, (const struct sockaddr *)&saddr_, sizeof(saddr_)));
			/* No signal reaches this thread, but io_uring's task work
			 * does (a ring closed by an earlier scenario on this worker
			 * is torn down with TWA_SIGNAL, io_ring_exit_work()): the
			 * wait then ends with EINTR instead of being restarted, as
			 * it would be without a timeout. Waiting again is that
			 * restart: connect() on a connecting socket waits for the
			 * same outcome (inet_stream_connect()). */
			while (rec.ret < 0 && rec.err == EINTR && ms_left(deadline) > 0) {
				bound.set(ms_left(deadline));
				result(rec, connect(fd, (const struct sockaddr *)&saddr_, sizeof(saddr_)));
				if (rec.ret < 0 && rec.err == EALREADY)
					rec.err = EINTR;
			}
			if (rec.ret < 0 && (rec.err == EINPROGRESS || rec.err == EINTR)) {
				rec.err = EINPROGRESS;
				rec.timed_out = true;
				rec.note = "connect() did not complete in time";
			}
			connected_ = true;
			break;
		}
		case Action::acc: {
			int fd = target(l_, rec);
			struct sockaddr_in caddr;
			socklen_t calen = sizeof(caddr);
			/* accept() on the blocking listener would wait for ever
			 * with nothing pending; poll() for it first. Any revents
			 * (POLLIN, POLLHUP on a listener shut down, POLLNVAL)
			 * means accept() returns at once. */
			struct pollfd pfd = {fd, POLLIN, 0};
			int ready;
			do
				ready = poll(&pfd, 1, (int)ms_left(deadline));
			while (ready < 0 && errno == EINTR);
			if (ready == 0) {
				rec.timed_out = true;
				rec.ret = -1;
				rec.note = "no connection pending: accept() would block";
				break;
			}
			result(rec, pm_accept(fd, (struct sockaddr *)&caddr, &calen));
			if (rec.ret >= 0) {
				no_sigpipe((int)rec.ret);
				if (s_.fd < 0) {
					s_.fd = (int)rec.ret;
					s_.open = true;
				} else {
					extra_accepted_.push_back((int)rec.ret);
				}
			}
			break;
		}
		case Action::snd:
			result(rec, send(target(labelled, rec), "foo", 3, PM_MSG_NOSIGNAL | MSG_DONTWAIT));
			break;
		case Action::mor:
			result(rec, send(target(labelled, rec), "foo", 3, PM_MSG_NOSIGNAL | MSG_DONTWAIT | PM_MSG_MORE));
			if (!PM_HAVE_MSG_MORE)
				rec.note = "MSG_MORE does not exist on this OS: sent without it, as haproxy's tool does";
			break;
		case Action::rcv:
			result(rec, recv(target(labelled, rec), buf, 10, MSG_DONTWAIT));
			break;
		case Action::drn: {
			/* Receive until 0 or an error, blocking, as haproxy's
			 * tool does; ret is the total, -1 if nothing came. The
			 * socket is blocking, so EAGAIN here can only mean that
			 * SO_RCVTIMEO ran out. */
			int fd = target(labelled, rec);
			long total = -1;
			ssize_t got;
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
			rec.ret = total;
			if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				rec.timed_out = true;
				rec.note = "the peer never closed: recv() would block";
			} else {
				rec.err = got < 0 ? errno : 0;
			}
			break;
		}
		case Action::shr:
			result(rec, shutdown(target(labelled, rec), SHUT_RD));
			break;
		case Action::shw:
			result(rec, shutdown(target(labelled, rec), SHUT_WR));
			break;
		case Action::shb:
			result(rec, shutdown(target(labelled, rec), SHUT_RDWR));
			break;
		case Action::lin: {
			struct linger nolinger = {1, 0};
			result(rec, setsockopt(target(labelled, rec), SOL_SOCKET, SO_LINGER, &nolinger, sizeof(nolinger)));
			break;
		}
		case Action::clo:
			result(rec, close(target(labelled, rec)));
			/* close() releases the number even when it reports an
			 * error (close(2)), so the endpoint is closed either way. */
			labelled.open = false;
			break;
		case Action::pol: {
			/* The observer first: its epoll or kqueue descriptor may
			 * take a closed endpoint's number, which target() must
			 * then not hand to it. */
			Observer &mechanism = observer(backend);
			int fd = target(labelled, rec);
			rec.backend = backend;
			rec.observation = mechanism.observe(fd);
			rec.ret = rec.observation.ret;
			rec.err = rec.observation.err;
			break;
		}
		}
		return rec;
	}
};

} // namespace

const char *action_name(Action a)
{
	return action_names[(int)a];
}

bool parse_action(const std::string &word, Action *out)
{
	for (int i = 0; i < (int)(sizeof(action_names) / sizeof(action_names[0])); i++)
		if (word == action_names[i]) {
			*out = (Action)i;
			return true;
		}
	return false;
}

char side_letter(Side s)
{
	return s == Side::l ? 'l' : s == Side::c ? 'c' : s == Side::s ? 's' : 'u';
}

bool parse_side(const std::string &word, Side *out)
{
	for (Side s : {Side::l, Side::c, Side::s, Side::u})
		if (word.size() == 1 && word[0] == side_letter(s)) {
			*out = s;
			return true;
		}
	return false;
}

void run_scenario_on(const Scenario &scenario, DescriptorTable &table, RunResult &out)
{
	out.descriptor_table = table.mode();
	out.why_shared = table.why_shared();
	out.network = table.network();
	out.why_host_network = table.why_host_network();
	Run(scenario, table, out).execute();
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
