/*
 * stream.cc - tcp (127.0.0.1), tcp6 (::1) and unix (a stream listener on an
 * abstract name or a private path): haproxy's dev/poll/poll endpoints.
 *   l  the listener: bound, listening (backlog 1000) before the first command
 *   c  the client: a socket made before the first command
 *   s  the accepted socket: the first successful accept
 *   u  extension: a socket of the same family made at its first command and
 *      never connected implicitly (so haproxy's scenarios keep their numbers)
 * Implicit steps, as in that tool: a `con` (step #0, labelled c) before the
 * first -c or -s command unless a connect already ran, and an `acc` (step #0,
 * labelled l) before every -s command while no accepted socket exists; the
 * run stops if that accept fails. `con` always connects the client and `acc`
 * always accepts on the listener, whichever command they sit in. `nbc` is a
 * nonblocking connect of the client (of `u` in a -u command) and, as the
 * first action of a command, takes the place of the implicit `con`.
 * That tool binds INADDR_ANY and connects to 0.0.0.0, which Linux routes over
 * loopback; naming loopback keeps the port off the network.
 */
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "../os/errnos.h"
#include "../os/os.h"
#include "../os/portability.h"
#include "../engine/socket_timeout.h"
#include "local_address.h"
#include "transport.h"

namespace pollmatrix {

namespace {

enum Slot { l, c, s, u };

class StreamSession : public TransportSession {
public:
	explicit StreamSession(int family) : address_(family) {}

	/* The listener, then the client: the same order (so the same numbers,
	 * 3 and 4) as haproxy's tool. */
	bool setup(StepContext &ctx, std::string *error) override
	{
		int one = 1;
		int fd = make_socket();
		if (fd < 0)
			return setup_failed(error, "socket(l)");
		ctx.endpoint(l).opened(fd, true);
		if (address_.family() != AF_UNIX)
			os::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!address_.prepare())
			return setup_failed(error, "mkdtemp()");
		if (os::bind(fd, address_.get(), address_.length()) < 0)
			return setup_failed(error, "bind()");
		if (os::listen(fd, 1000) < 0)
			return setup_failed(error, "listen()");
		if (!address_.bound(fd))
			return setup_failed(error, "getsockname()");
		fd = make_socket();
		if (fd < 0)
			return setup_failed(error, "socket(c)");
		ctx.endpoint(c).opened(fd, true);
		return true;
	}

	bool before_command(int cmd, const Command &command, StepContext &ctx, std::string *stopped) override
	{
		bool nbc_first = !command.actions.empty() && command.actions[0].action == Action::nbc;
		if ((command.slot == c || command.slot == s) && !connected_ && !nbc_first)
			ctx.implicit_step(Action::con, c);
		if (command.slot == u && ctx.endpoint(u).fd < 0) {
			int fd = make_socket();
			if (fd < 0) {
				*stopped = std::string("socket(u) failed: ") + errno_message(errno);
				return false;
			}
			ctx.endpoint(u).opened(fd, true);
		}
		if (command.slot == s && ctx.endpoint(s).fd < 0) {
			StepRecord &acc = ctx.implicit_step(Action::acc, l);
			if (ctx.endpoint(s).fd < 0) {
				*stopped = failed_accept(acc, cmd, ctx.timeout_ms());
				return false;
			}
		}
		return true;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		switch (action) {
		case Action::con:
			connect_client(ctx.target(c, rec), rec, ctx.timeout_ms());
			connected_ = true;
			return true;
		case Action::nbc: {
			int fd = ctx.target(slot == u ? u : c, rec);
			int flags = os::fcntl(fd, F_GETFL);
			if (flags >= 0)
				os::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
			rec.ret = os::connect(fd, address_.get(), address_.length());
			rec.err = rec.ret < 0 ? errno : 0;
			/* Only the connect is nonblocking: the other actions
			 * say themselves whether they may wait. */
			if (flags >= 0)
				os::fcntl(fd, F_SETFL, flags);
			if (slot != u)
				connected_ = true;
			return true;
		}
		case Action::acc:
			accept_one(ctx.target(l, rec), rec, ctx);
			return true;
		default:
			return false;
		}
	}

	void teardown() override
	{
		address_.release();
	}

private:
	LocalAddress address_;
	bool connected_ = false;

	int make_socket()
	{
		int family = address_.family();
		return pm_socket(family, SOCK_STREAM, family == AF_UNIX ? 0 : IPPROTO_TCP);
	}

	/* A blocking connect(), as haproxy's tool makes it. Linux bounds it by
	 * SO_SNDTIMEO and then fails it with EINPROGRESS (socket(7)). Loopback
	 * never needs it; it is only the guarantee that nothing hangs. */
	void connect_client(int fd, StepRecord &rec, int timeout_ms)
	{
		ScopedSocketTimeout bound(fd, SO_SNDTIMEO, timeout_ms);
		Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
		rec.ret = os::connect(fd, address_.get(), address_.length());
		rec.err = rec.ret < 0 ? errno : 0;
		/* No signal reaches a worker thread, but io_uring's task work
		 * does (a ring closed by an earlier scenario on the same worker is
		 * torn down with TWA_SIGNAL, io_ring_exit_work()): the wait then
		 * ends with EINTR instead of being restarted, as it is without a
		 * timeout. Waiting again is that restart: connect() on a
		 * connecting socket waits for the same outcome
		 * (inet_stream_connect()). */
		while (rec.ret < 0 && rec.err == err::intr && ms_left(deadline) > 0) {
			bound.set(ms_left(deadline));
			rec.ret = os::connect(fd, address_.get(), address_.length());
			rec.err = rec.ret < 0 ? errno : 0;
			if (rec.ret < 0 && rec.err == err::already) /* still connecting */
				rec.err = err::intr;
		}
		if (rec.ret < 0 && rec.err == err::intr) /* the bound ran out */
			rec.err = err::inprogress;
		if (rec.ret < 0 && rec.err == err::inprogress) {
			rec.timed_out = true;
			rec.note = "connect() did not complete in time";
		}
	}

	/* accept() on the blocking listener would wait for ever with nothing
	 * pending; poll() for it first. Any revents (POLLIN, POLLHUP on a
	 * listener shut down, POLLNVAL) means accept() returns at once. The
	 * first accepted socket becomes `s`; a later one is kept open (as that
	 * tool leaks it) and closed at the end. */
	static void accept_one(int fd, StepRecord &rec, StepContext &ctx)
	{
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		struct pollfd pfd = {fd, POLLIN, 0};
		Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(ctx.timeout_ms());
		int ready;
		do
			ready = os::poll(&pfd, 1, (int)ms_left(deadline));
		while (ready < 0 && errno == err::intr);
		if (ready == 0) {
			rec.timed_out = true;
			rec.ret = -1;
			rec.note = "no connection pending: accept() would block";
			return;
		}
		rec.ret = pm_accept(fd, (struct sockaddr *)&peer, &len);
		rec.err = rec.ret < 0 ? errno : 0;
		if (rec.ret < 0)
			return;
		if (ctx.endpoint(s).fd < 0)
			ctx.endpoint(s).opened((int)rec.ret, true);
		else
			ctx.keep_until_end((int)rec.ret);
	}

	static std::string failed_accept(const StepRecord &acc, int cmd, int timeout_ms)
	{
		char text[256];
		if (acc.timed_out)
			snprintf(text, sizeof(text),
			         "the implicit accept() before cmd #%d found no pending connection within %d ms "
			         "(haproxy's dev/poll/poll blocks here for ever)",
			         cmd, timeout_ms);
		else
			snprintf(text, sizeof(text),
			         "the implicit accept() before cmd #%d failed with %s (%s); "
			         "haproxy's dev/poll/poll gives up here too",
			         cmd, errno_name(acc.err) ? errno_name(acc.err) : "?", errno_message(acc.err));
		return text;
	}
};

const char *const roles[] = {"listener", "client", "accepted socket", "never-connected socket"};

const ActionSet actions = action_bit(Action::con) | action_bit(Action::acc) | action_bit(Action::snd) |
                          action_bit(Action::mor) | action_bit(Action::rcv) | action_bit(Action::drn) |
                          action_bit(Action::shr) | action_bit(Action::shw) | action_bit(Action::shb) |
                          action_bit(Action::lin) | action_bit(Action::clo) | action_bit(Action::pol) |
                          action_bit(Action::nbc) | action_bit(Action::ful) | action_bit(Action::oob) |
                          action_bit(Action::soe) | action_bit(Action::oil) | action_bit(Action::arm) |
                          buffer_option_actions | descriptor_actions;
/* TCP_DEFER_ACCEPT is a TCP option (tcp(7)). */
const ActionSet tcp_actions = actions | action_bit(Action::dfr);

template <int Family>
std::unique_ptr<TransportSession> open_stream()
{
	return std::unique_ptr<TransportSession>(new StreamSession(Family));
}

/* tcp6 needs ::1: a host with IPv6 turned off has none. */
const char *tcp6_unavailable()
{
	LocalAddress address(AF_INET6);
	int fd = pm_socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		return "socket(AF_INET6) fails here: no IPv6";
	bool ok = address.prepare() && os::bind(fd, address.get(), address.length()) == 0;
	os::close(fd);
	return ok ? nullptr : "cannot bind ::1 here: IPv6 loopback is off";
}

} // namespace

extern const Transport transport_tcp = {
	"tcp", "TCP over IPv4 loopback (127.0.0.1): listener, client, accepted socket; haproxy's implicit con/acc",
	"lcsu", roles, tcp_actions, transport_always_available, open_stream<AF_INET>,
};

extern const Transport transport_tcp6 = {
	"tcp6", "TCP over IPv6 loopback (::1): listener, client, accepted socket; haproxy's implicit con/acc",
	"lcsu", roles, tcp_actions, tcp6_unavailable, open_stream<AF_INET6>,
};

extern const Transport transport_unix = {
	"unix",
	"UNIX stream sockets (an abstract name on Linux, a private path elsewhere): listener, client, accepted socket; haproxy's implicit con/acc",
	"lcsu", roles, actions, transport_always_available, open_stream<AF_UNIX>,
};

} // namespace pollmatrix
