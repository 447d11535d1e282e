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

#include "transport.h"

namespace pollmatrix {

namespace {

class FileSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		char tmpl[] = "/tmp/pollmatrix-XXXXXX";
		if (!mkdtemp(tmpl)) {
			*error = std::string("mkdtemp(): ") + strerror(errno);
			return false;
		}
		dir_ = tmpl;
		path_ = dir_ + "/file";
		int fd = open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC, 0600);
		if (fd < 0) {
			*error = std::string("open(file): ") + strerror(errno);
			path_.clear();
			return false;
		}
		ctx.endpoint(0).opened(fd, false);
		return true;
	}

	void teardown() override
	{
		if (!path_.empty())
			unlink(path_.c_str());
		if (!dir_.empty())
			rmdir(dir_.c_str());
	}

private:
	std::string dir_;
	std::string path_;
};

const char *const roles[] = {"a regular file, read-write"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::drn) |
                          action_bit(Action::clo) | action_bit(Action::pol) | action_bit(Action::arm);

const char *always()
{
	return nullptr;
}

} // namespace

extern const Transport transport_file = {
	"file", "a regular file in a private directory, opened read-write",
	"f", roles, actions, always, open_session<FileSession>,
};

} // namespace pollmatrix
