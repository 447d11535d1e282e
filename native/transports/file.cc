/*
 * file.cc - a regular file (Kettlewell's "poll() and EOF" table has the
 * column; libuv and gnulib meet it): one endpoint f, a new empty file opened
 * O_RDWR in a private temporary directory before the first command, removed
 * at the end. poll(2) and select(2) always report a regular file ready; epoll
 * refuses it (epoll_ctl(2): EPERM "The target file fd does not support
 * epoll"), as io_uring's poll may; the cell shows what each one said. `ful`
 * is left out: a regular file never fills short of the disk.
 */
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "../os/os.h"
#include "private_dir.h"
#include "transport.h"

namespace pollmatrix {

namespace {

class FileSession : public PrivateDirSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		std::string path = dir_.make("file");
		if (path.empty())
			return setup_failed(error, "mkdtemp()");
		int fd = os::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC, 0600);
		if (fd < 0)
			return setup_failed(error, "open(file)");
		ctx.endpoint(0).opened(fd, false);
		return true;
	}
};

const char *const roles[] = {"a regular file, read-write"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::drn) |
                          action_bit(Action::clo) | action_bit(Action::pol) | action_bit(Action::arm) |
                          descriptor_actions;

} // namespace

extern const Transport transport_file = {
	"file", "a regular file in a private directory, opened read-write",
	"f", roles, actions, transport_always_available, open_session<FileSession>,
};

} // namespace pollmatrix
