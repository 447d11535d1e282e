/*
 * actions.cc - names and one-line meanings of the step actions (actions.h).
 */
#include "actions.h"

namespace pollmatrix {

namespace {

struct ActionInfo {
	const char *name;
	const char *does;
};

/* In Action's order. */
const ActionInfo actions[action_count] = {
	{"con", "connect the client (implicit before the first -c/-s on tcp, tcp6 and unix)"},
	{"acc", "accept on the listener (implicit before the first -s)"},
	{"snd", "send \"foo\" (MSG_NOSIGNAL|MSG_DONTWAIT; write() on pipes, FIFOs and ptys)"},
	{"mor", "send \"foo\" with MSG_MORE"},
	{"rcv", "receive up to 10 bytes without blocking (read() on pipes, FIFOs and ptys)"},
	{"drn", "drain: receive until 0 or an error, bounded by the step timeout"},
	{"shr", "shutdown(SHUT_RD)"},
	{"shw", "shutdown(SHUT_WR)"},
	{"shb", "shutdown(SHUT_RDWR)"},
	{"lin", "SO_LINGER {1, 0}: the next close sends an RST"},
	{"clo", "close() the descriptor"},
	{"pol", "observe readiness once with the chosen mechanism"},
	{"nbc", "nonblocking connect (usually EINPROGRESS); takes the place of the implicit connect"},
	{"ful", "write until EAGAIN; ret is the number of bytes written"},
	{"oob", "send one byte of urgent data (MSG_OOB)"},
	{"soe", "read and clear SO_ERROR; the step reports it as so_error=NAME"},
	{"opn", "open a FIFO end (O_NONBLOCK; the write end fails with ENXIO while no reader exists)"},
	{"oil", "SO_OOBINLINE on: urgent data stays in the normal stream"},
	{"arm", "re-arm a persistent registration (EPOLL_CTL_MOD; kqueue EV_ENABLE or EV_ADD)"},
};

} // namespace

const char *action_name(Action a)
{
	return actions[(int)a].name;
}

bool action_is_haproxys(Action a)
{
	return a <= Action::pol;
}

const char *action_does(Action a)
{
	return actions[(int)a].does;
}

bool parse_action(const std::string &word, Action *out)
{
	for (int i = 0; i < action_count; i++)
		if (word == actions[i].name) {
			*out = (Action)i;
			return true;
		}
	return false;
}

} // namespace pollmatrix
