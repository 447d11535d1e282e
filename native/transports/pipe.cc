/*
 * pipe.cc - pipe (pipe(2)) and fifo (mkfifo(3)): a read end r and a write end
 * w, both nonblocking (so `snd`, `rcv` and `ful` never wait; `drn` waits in
 * poll() within the step bound).
 *   pipe: both ends exist before the first command.
 *   fifo: the FIFO is made in a private temporary directory and no end is
 *         open: `opn` opens one (fifo(7): a nonblocking open of the write end
 *         fails with ENXIO while no reader has it open), so "no writer yet"
 *         and "the writer came and went" can be written. A step on an end
 *         not yet opened acts on a number certain to be closed.
 * No implicit step. The FIFO and its directory are removed at the end.
 */
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../os/os.h"
#include "../os/portability.h"
#include "private_dir.h"
#include "transport.h"

namespace pollmatrix {

namespace {

enum Slot { r, w };

/* pipe2() with O_CLOEXEC|O_NONBLOCK where it exists (Linux, the BSDs);
 * macOS has only pipe(), and fcntl() follows at once. */
int make_pipe(int fds[2])
{
#ifdef PM_HAVE_PIPE2
	return os::pipe2(fds, O_CLOEXEC | O_NONBLOCK);
#else
	if (os::pipe(fds) < 0)
		return -1;
	pm_set_flags(fds[0], true);
	pm_set_flags(fds[1], true);
	return 0;
#endif
}

class PipeSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		int fds[2];
		if (make_pipe(fds) < 0)
			return setup_failed(error, "pipe()");
		ctx.endpoint(r).opened(fds[0], false);
		ctx.endpoint(w).opened(fds[1], false);
		return true;
	}
};

class FifoSession : public PrivateDirSession {
public:
	bool setup(StepContext &, std::string *error) override
	{
		path_ = dir_.make("fifo");
		if (path_.empty())
			return setup_failed(error, "mkdtemp()");
		if (os::mkfifo(path_.c_str(), 0600) < 0)
			return setup_failed(error, "mkfifo()");
		return true;
	}

	/* `opn`: open the end the command names, nonblocking. An end that is
	 * still open keeps its descriptor until the end of the scenario; the
	 * endpoint names the new one. */
	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		if (action != Action::opn)
			return false;
		Endpoint &end = ctx.endpoint(slot);
		int flags = (slot == r ? O_RDONLY : O_WRONLY) | O_NONBLOCK | O_CLOEXEC;
		rec.ret = os::open(path_.c_str(), flags);
		rec.err = rec.ret < 0 ? errno : 0;
		rec.acted_fd = -1;
		if (rec.ret < 0)
			return true;
		if (end.open) {
			ctx.keep_until_end(end.fd);
			rec.note = "the end's previous descriptor " + std::to_string(end.fd) + " stays open until the end";
		}
		end.opened((int)rec.ret, false);
		rec.fd = end.fd;
		return true;
	}

private:
	std::string path_;
};

const char *const roles[] = {"read end", "write end"};

const ActionSet pipe_actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::drn) |
                               action_bit(Action::clo) | action_bit(Action::pol) | action_bit(Action::ful) |
                               action_bit(Action::arm) |
                               descriptor_actions;

} // namespace

extern const Transport transport_pipe = {
	"pipe", "pipe(2): r the read end, w the write end, both open and nonblocking from the start",
	"rw", roles, pipe_actions, transport_always_available, open_session<PipeSession>,
};

extern const Transport transport_fifo = {
	"fifo", "a FIFO (mkfifo) in a private directory: r and w are opened by opn steps, nonblocking",
	"rw", roles, pipe_actions | action_bit(Action::opn), transport_always_available, open_session<FifoSession>,
};

} // namespace pollmatrix
