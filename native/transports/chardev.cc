/*
 * chardev.cc - the memory character devices (mem(4) on Linux: drivers/char/
 * mem.c), each opened O_RDWR|O_NONBLOCK before the first command: n is
 * /dev/null, z /dev/zero, f /dev/full. One transport with three endpoints,
 * so one scenario puts the three side by side. Issue 17: event loops and
 * emulators ask what poll and epoll say about them (a daemon's stdin
 * redirected from /dev/null). The generic actions apply as on a file:
 *   snd  write(2) "foo": /dev/null and /dev/zero take it; /dev/full fails
 *        with ENOSPC (null(4), full(4));
 *   rcv  read(2) 10 bytes: /dev/null gives end of file (0), /dev/zero and
 *        /dev/full ten zero bytes;
 *   ful  write until EAGAIN: none of them ever refuses for lack of room, so
 *        the fill stops at its bound and says so (/dev/full: ENOSPC at once).
 * `drn` is left out: /dev/zero never reaches end of file. None of the three
 * has a poll method in Linux's mem.c, so poll(2) reports the default mask
 * and epoll_ctl(2) refuses them with EPERM; the cell shows what each said.
 */
#include <string>

#include <fcntl.h>

#include "../os/os.h"
#include "transport.h"

namespace pollmatrix {

namespace {

const char *const paths[] = {"/dev/null", "/dev/zero", "/dev/full"};

class ChardevSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		for (int slot = 0; slot < 3; slot++) {
			int fd = os::open(paths[slot], O_RDWR | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				return setup_failed(error, (std::string("open(") + paths[slot] + ")").c_str());
			ctx.endpoint(slot).opened(fd, false);
		}
		return true;
	}
};

/* full(4): Linux and FreeBSD have /dev/full; macOS, NetBSD and OpenBSD do
 * not. */
const char *chardev_unavailable()
{
#if defined(__linux__) || defined(__FreeBSD__)
	return nullptr;
#else
	return "no /dev/full on this OS (full(4) is Linux's and FreeBSD's)";
#endif
}

const char *const roles[] = {"/dev/null", "/dev/zero", "/dev/full"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::ful) |
                          action_bit(Action::clo) | action_bit(Action::pol) | action_bit(Action::arm) |
                          descriptor_actions;

} // namespace

extern const Transport transport_chardev = {
	"chardev", "character devices, opened read-write and nonblocking: n /dev/null, z /dev/zero, f /dev/full",
	"nzf", roles, actions, chardev_unavailable, open_session<ChardevSession>,
};

} // namespace pollmatrix
