/*
 * pty.cc - a pseudoterminal (pty(7)): m the master (posix_openpt), t the
 * terminal opened from ptsname(), both nonblocking and not made the
 * controlling terminal (O_NOCTTY). Both exist before the first command; no
 * implicit step. The terminal keeps the line discipline's defaults
 * (canonical mode, echo), so "foo" written to the master without a newline
 * is not yet a line the terminal can read.
 */
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "../portability.h"
#include "transport.h"

namespace pollmatrix {

namespace {

enum Slot { m, t };

class PtySession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		int master = posix_openpt(O_RDWR | O_NOCTTY);
		if (master < 0)
			return setup_failed(error, "posix_openpt()");
		pm_set_flags(master, true);
		ctx.endpoint(m).opened(master, false);
		if (grantpt(master) < 0)
			return setup_failed(error, "grantpt()");
		if (unlockpt(master) < 0)
			return setup_failed(error, "unlockpt()");
		const char *name = ptsname(master);
		if (!name)
			return setup_failed(error, "ptsname()");
		int terminal = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (terminal < 0)
			return setup_failed(error, "open(terminal)");
		ctx.endpoint(t).opened(terminal, false);
		return true;
	}

private:};

const char *const roles[] = {"master", "terminal"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::drn) |
                          action_bit(Action::clo) | action_bit(Action::pol) | action_bit(Action::ful) |
                          action_bit(Action::arm);

/* A container without /dev/pts has no pseudoterminals. */
const char *pty_unavailable()
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0)
		return "posix_openpt() fails here: no pseudoterminals";
	close(master);
	return nullptr;
}

} // namespace

extern const Transport transport_pty = {
	"pty", "a pseudoterminal: m the master, t the terminal, nonblocking, canonical mode",
	"mt", roles, actions, pty_unavailable, open_session<PtySession>,
};

} // namespace pollmatrix
