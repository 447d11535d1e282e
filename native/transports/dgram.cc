/*
 * dgram.cc - udp (127.0.0.1) and unix-dgram (an abstract name on Linux, a
 * private path elsewhere): datagram sockets, born connected.
 *   s  the server: bound before the first command (it gets the first number)
 *   c  the client: connect()ed to s's address before the first command
 * No implicit step. `con` connects c to s's address again. After `-s clo`,
 * c talks to a closed port: for udp the ICMP port unreachable comes back as
 * a pending socket error (udp(7): ECONNREFUSED on a connected socket), for
 * unix-dgram send() fails with ECONNREFUSED (unix(7)).
 * `sto` sends to an address nobody holds: a port (or name) bound by a
 * socket made and closed at the first `sto`, in the scenario's network
 * namespace; udp(7): an unconnected socket gets the ICMP error only with
 * IP_RECVERR (`rve`).
 */
#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <sys/socket.h>

#include "../os/os.h"
#include "../os/portability.h"
#include "local_address.h"
#include "transport.h"

namespace pollmatrix {

namespace {

enum Slot { c, s };

class DatagramSession : public TransportSession {
public:
	explicit DatagramSession(int family) : address_(family) {}

	bool setup(StepContext &ctx, std::string *error) override
	{
		int fd = make_socket();
		if (fd < 0)
			return setup_failed(error, "socket(s)");
		ctx.endpoint(s).opened(fd, true);
		if (!address_.prepare())
			return setup_failed(error, "mkdtemp()");
		if (os::bind(fd, address_.get(), address_.length()) < 0)
			return setup_failed(error, "bind()");
		if (!address_.bound(fd))
			return setup_failed(error, "getsockname()");
		fd = make_socket();
		if (fd < 0)
			return setup_failed(error, "socket(c)");
		ctx.endpoint(c).opened(fd, true);
		if (os::connect(fd, address_.get(), address_.length()) < 0)
			return setup_failed(error, "connect(c)");
		return true;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		if (action == Action::sto)
			return send_to_closed(slot, rec, ctx);
		if (action != Action::con)
			return false;
		rec.ret = os::connect(ctx.target(c, rec), address_.get(), address_.length());
		rec.err = rec.ret < 0 ? errno : 0;
		return true;
	}

	void teardown() override
	{
		address_.release();
		closed_.release();
	}

private:
	LocalAddress address_;
	/* What `sto` sends to: bound once, then closed (closed_made_). */
	LocalAddress closed_{address_.family()};
	bool closed_made_ = false;

	/* A socket bound to a fresh address and closed: nobody holds it. */
	bool make_closed(StepRecord &rec)
	{
		int fd = make_socket();
		bool ok = fd >= 0 && closed_.prepare() && os::bind(fd, closed_.get(), closed_.length()) == 0 && closed_.bound(fd);
		if (!ok) {
			rec.ret = -1;
			rec.err = errno;
			rec.note = "could not make a closed address: its socket, bind() or getsockname() failed";
		}
		if (fd >= 0)
			os::close(fd);
		return closed_made_ = ok;
	}

	bool send_to_closed(int slot, StepRecord &rec, StepContext &ctx)
	{
		if (!closed_made_ && !make_closed(rec))
			return true;
		rec.ret = os::sendto(ctx.target(slot, rec), "foo", 3, PM_MSG_NOSIGNAL | MSG_DONTWAIT, closed_.get(), closed_.length());
		rec.err = rec.ret < 0 ? errno : 0;
		return true;
	}

	int make_socket()
	{
		int family = address_.family();
		return pm_socket(family, SOCK_DGRAM, family == AF_UNIX ? 0 : IPPROTO_UDP);
	}
};

const char *const roles[] = {"client, connected to s", "server, bound"};

const ActionSet unix_actions = action_bit(Action::con) | action_bit(Action::snd) | action_bit(Action::mor) |
                          action_bit(Action::rcv) | action_bit(Action::drn) | action_bit(Action::shr) |
                          action_bit(Action::shw) | action_bit(Action::shb) | action_bit(Action::clo) |
                          action_bit(Action::pol) | action_bit(Action::ful) | action_bit(Action::soe) |
                          action_bit(Action::arm) | action_bit(Action::sto) |
                          buffer_option_actions | descriptor_actions;
const ActionSet udp_actions = unix_actions | action_bit(Action::rve);

template <int Family>
std::unique_ptr<TransportSession> open_dgram()
{
	return std::unique_ptr<TransportSession>(new DatagramSession(Family));
}

} // namespace

extern const Transport transport_udp = {
	"udp", "UDP over IPv4 loopback: s bound, c connected to s's port (a closed one after -s clo)",
	"cs", roles, udp_actions, transport_always_available, open_dgram<AF_INET>,
};

extern const Transport transport_unix_dgram = {
	"unix-dgram", "UNIX datagram sockets: s bound to a name, c connected to it",
	"cs", roles, unix_actions, transport_always_available, open_dgram<AF_UNIX>,
};

} // namespace pollmatrix
