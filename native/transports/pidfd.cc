/*
 * pidfd.cc - pidfd_open(2) on a child the scenario makes: one endpoint p.
 * The set-up makes a child that only waits to be killed (os.h
 * clone_waiting_child: a raw clone, no JavaScript and no library code runs
 * in it) and opens its pidfd. Its actions:
 *   snd  kill the child (pidfd_send_signal SIGKILL) and wait until it has
 *        exited, without reaping it (waitid WNOWAIT): the child dies a
 *        moment after the call returns, later still when the machine is
 *        busy (a wait bounded by the step timeout gave two answers under
 *        fuzz's parallel load), and SIGKILL always ends it;
 *   rcv  reap it: waitid(P_PIDFD, WEXITED|WNOHANG|__WALL); ret 0, and the
 *        note says whether a child was reaped.
 * pidfd_open(2): "the file descriptor is readable when the process
 * terminates". The teardown, which runs on every path (a failed set-up, a
 * timeout, an error), kills and reaps a child not yet reaped, by its pid,
 * so no zombie is left (test/addon/transports.test.ts checks). Linux only.
 */
#include <cerrno>
#include <csignal>
#include <string>

#include <sys/wait.h>

#include "../os/os.h"
#include "transport.h"

namespace pollmatrix {

namespace {

#ifdef PM_HAVE_LINUX_FDS

/* linux/wait.h: waitid's id is a pidfd. */
const int p_pidfd = 3;

class PidfdSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		pid_ = os::clone_waiting_child();
		if (pid_ < 0)
			return setup_failed(error, "clone()");
		int fd = os::pidfd_open(pid_, 0);
		if (fd < 0)
			return setup_failed(error, "pidfd_open()");
		ctx.endpoint(0).opened(fd, false);
		return true;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		switch (action) {
		case Action::snd: {
			int fd = ctx.target(slot, rec);
			rec.ret = os::pidfd_send_signal(fd, SIGKILL);
			rec.err = rec.ret < 0 ? errno : 0;
			siginfo_t info;
			while (rec.ret == 0 && os::waitid(p_pidfd, fd, &info, WEXITED | WNOWAIT | __WALL) < 0 && errno == EINTR)
				;
			return true;
		}
		case Action::rcv:
			reap(ctx.target(slot, rec), rec);
			return true;
		default:
			return false;
		}
	}

	void teardown() override
	{
		if (pid_ <= 0 || reaped_)
			return;
		os::reap_child(pid_);
		reaped_ = true;
	}

private:
	int pid_ = -1;
	bool reaped_ = false;

	void reap(int fd, StepRecord &rec)
	{
		siginfo_t info = {};
		rec.ret = os::waitid(p_pidfd, fd, &info, WEXITED | WNOHANG | __WALL);
		rec.err = rec.ret < 0 ? errno : 0;
		if (rec.ret == 0 && info.si_pid == pid_) {
			reaped_ = true;
			rec.note = "reaped";
		} else if (rec.ret == 0) {
			rec.note = "not exited: nothing reaped";
		}
	}
};

#endif

const char *const roles[] = {"the pidfd of a child that waits to be killed"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::clo) |
                          action_bit(Action::pol) | action_bit(Action::arm) |
                          descriptor_actions;

} // namespace

extern const Transport transport_pidfd = {
	"pidfd", "pidfd_open(2) on a child the scenario makes: snd kills it (exited, not reaped), rcv reaps it",
	"p", roles, actions, PM_LINUX_ONLY(PidfdSession),
};

} // namespace pollmatrix
