/*
 * dir.cc - a directory (issue 17: libevent and asio ask what poll says):
 * one endpoint d, an empty private temporary directory opened
 * O_RDONLY|O_DIRECTORY|O_NONBLOCK before the first command, removed at the
 * end. A directory has no poll method on Linux's file systems, so poll(2)
 * and select(2) report it ready, as a regular file, and epoll_ctl(2)
 * refuses it (EPERM, "The target file fd does not support epoll"); the cell
 * shows what each said. `snd` and `rcv` are write(2) and read(2), which a
 * directory refuses with EBADF (opened read-only) and EISDIR (read(2):
 * "fd refers to a directory").
 */
#include <string>

#include <fcntl.h>

#include "../os/os.h"
#include "private_dir.h"
#include "transport.h"

namespace pollmatrix {

namespace {

class DirSession : public PrivateDirSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		if (dir_.make("unused").empty())
			return setup_failed(error, "mkdtemp()");
		int fd = os::open(dir_.directory().c_str(), O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			return setup_failed(error, "open(directory)");
		ctx.endpoint(0).opened(fd, false);
		return true;
	}
};

const char *const roles[] = {"a directory, read-only"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::clo) |
                          action_bit(Action::pol) | action_bit(Action::arm) |
                          descriptor_actions;

} // namespace

extern const Transport transport_dir = {
	"dir", "an empty directory in a private directory, opened O_RDONLY|O_DIRECTORY",
	"d", roles, actions, transport_always_available, open_session<DirSession>,
};

} // namespace pollmatrix
