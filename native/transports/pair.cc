/*
 * pair.cc - socketpair(2) in the UNIX domain: socketpair (SOCK_STREAM),
 * socketpair-dgram and socketpair-seqpacket. Two endpoints, a and b, born
 * connected to each other before the first command; no implicit step.
 */
#include <cerrno>
#include <cstring>

#include <sys/socket.h>

#include "../os/portability.h"
#include "transport.h"

namespace pollmatrix {

namespace {

template <int Type>
class PairSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		int sv[2];
		if (pm_socketpair(Type, sv) < 0)
			return setup_failed(error, "socketpair()");
		ctx.endpoint(0).opened(sv[0], true);
		ctx.endpoint(1).opened(sv[1], true);
		return true;
	}
};

const char *const roles[] = {"one end", "the other end"};

const ActionSet datagram_actions = action_bit(Action::snd) | action_bit(Action::mor) | action_bit(Action::rcv) |
                                   action_bit(Action::drn) | action_bit(Action::shr) | action_bit(Action::shw) |
                                   action_bit(Action::shb) | action_bit(Action::clo) | action_bit(Action::pol) |
                                   action_bit(Action::ful) | action_bit(Action::soe) | action_bit(Action::arm) |
                                   buffer_option_actions | descriptor_actions;

/* Urgent data and SO_LINGER only mean something on a byte stream. */
const ActionSet stream_actions =
	datagram_actions | action_bit(Action::lin) | action_bit(Action::oob) | action_bit(Action::oil);

} // namespace

extern const Transport transport_socketpair = {
	"socketpair", "socketpair(AF_UNIX, SOCK_STREAM): a and b, born connected",
	"ab", roles, stream_actions, transport_always_available, open_session<PairSession<SOCK_STREAM>>,
};

extern const Transport transport_socketpair_dgram = {
	"socketpair-dgram", "socketpair(AF_UNIX, SOCK_DGRAM): a and b, born connected",
	"ab", roles, datagram_actions, transport_always_available, open_session<PairSession<SOCK_DGRAM>>,
};

extern const Transport transport_socketpair_seqpacket = {
	"socketpair-seqpacket", "socketpair(AF_UNIX, SOCK_SEQPACKET): a and b, born connected",
	"ab", roles, datagram_actions, transport_always_available, open_session<PairSession<SOCK_SEQPACKET>>,
};

} // namespace pollmatrix
