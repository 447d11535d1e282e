/*
 * inotify.cc - inotify(7): one endpoint i, an inotify instance
 * (IN_NONBLOCK) watching a private temporary directory for IN_CLOSE_WRITE,
 * both made before the first command and removed at the end. The generic
 * actions take inotify's meaning here:
 *   snd  open(2) the directory's one entry for writing (made the first
 *        time) and close(2) it: one IN_CLOSE_WRITE event is queued;
 *   rcv  read(2) with room for many events: every event queued, ret the
 *        bytes (a buffer of haproxy's 10 bytes would fail with EINVAL,
 *        inotify(7): "too small to return the next event"); the note counts
 *        the events.
 * inotify(7): an identical event right after one not yet read is merged
 * into it ("if successive output inotify events produced on the inotify
 * file descriptor are identical ... they are coalesced into a single
 * event"), so two `snd` without a `rcv` queue one event. poll(2): POLLIN
 * while an event is queued (fs/notify/inotify/inotify_user.c inotify_poll).
 * Linux only (PM_HAVE_LINUX_FDS).
 */
#include <cerrno>
#include <string>

#include <fcntl.h>

#include "../os/os.h"
#include "private_dir.h"
#include "transport.h"

#ifdef PM_HAVE_LINUX_FDS
#include <sys/inotify.h>
#endif

namespace pollmatrix {

namespace {

#ifdef PM_HAVE_LINUX_FDS

class InotifySession : public PrivateDirSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		entry_ = dir_.make("entry");
		if (entry_.empty())
			return setup_failed(error, "mkdtemp()");
		int fd = os::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (fd < 0)
			return setup_failed(error, "inotify_init1()");
		ctx.endpoint(0).opened(fd, false);
		if (os::inotify_add_watch(fd, dir_.directory().c_str(), IN_CLOSE_WRITE) < 0)
			return setup_failed(error, "inotify_add_watch()");
		return true;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		switch (action) {
		case Action::snd:
			/* The endpoint's descriptor is not what this acts on,
			 * but a closed endpoint still names the step. */
			ctx.target(slot, rec);
			touch(rec);
			return true;
		case Action::rcv:
			read_events(ctx.target(slot, rec), rec);
			return true;
		default:
			return false;
		}
	}

private:
	std::string entry_;

	void touch(StepRecord &rec)
	{
		int fd = os::open(entry_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			rec.ret = -1;
			rec.err = errno;
			rec.note = "open(entry) failed";
			return;
		}
		rec.ret = os::close(fd);
		rec.err = rec.ret < 0 ? errno : 0;
	}

	static void read_events(int fd, StepRecord &rec)
	{
		alignas(struct inotify_event) char buf[4096];
		rec.ret = os::read(fd, buf, sizeof(buf));
		rec.err = rec.ret < 0 ? errno : 0;
		if (rec.ret <= 0)
			return;
		int events = 0;
		for (long at = 0; at + (long)sizeof(struct inotify_event) <= rec.ret; events++)
			at += sizeof(struct inotify_event) + ((const struct inotify_event *)(buf + at))->len;
		rec.note = std::to_string(events) + (events == 1 ? " event" : " events");
	}
};

#endif

const char *const roles[] = {"an inotify instance watching a private directory"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::clo) |
                          action_bit(Action::pol) | action_bit(Action::arm) |
                          descriptor_actions;

} // namespace

extern const Transport transport_inotify = {
	"inotify", "inotify(7) watching a private directory for IN_CLOSE_WRITE: snd writes its file, rcv reads every event",
	"i", roles, actions, PM_LINUX_ONLY(InotifySession),
};

} // namespace pollmatrix
