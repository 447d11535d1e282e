/*
 * signalfd.cc - signalfd(2) for SIGUSR2: one endpoint g. The set-up blocks
 * SIGUSR2 in the thread that runs the scenario, and only there
 * (pthread_sigmask; the workers block every signal anyway, workers/
 * worker.cc), and makes the signalfd (SFD_NONBLOCK). Its actions:
 *   snd  raise SIGUSR2 at this thread (pthread_kill to itself, so the
 *        signal is pending for this thread alone, and at once);
 *   rcv  read(2) with room for several signalfd_siginfo records (haproxy's
 *        10 bytes would fail with EINVAL); the note counts them.
 * signalfd(2): readable while a signal of the mask is pending for the
 * thread that asks (fs/signalfd.c signalfd_poll looks at current), and a
 * standard signal raised again while pending is not queued twice.
 * At the end every SIGUSR2 still pending for the thread is taken
 * (sigtimedwait, no wait) before its mask is put back, so none can reach a
 * handler of Node's (test/addon/transports.test.ts checks). Linux only.
 */
#include <cerrno>
#include <csignal>
#include <ctime>
#include <string>

#include <pthread.h>

#include "../os/os.h"
#include "transport.h"

#ifdef PM_HAVE_LINUX_FDS
#include <sys/signalfd.h>
#endif

namespace pollmatrix {

namespace {

#ifdef PM_HAVE_LINUX_FDS

const int raised = SIGUSR2;

class SignalfdSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		sigset_t only;
		sigemptyset(&only);
		sigaddset(&only, raised);
		sigset_t before;
		pthread_sigmask(SIG_BLOCK, &only, &before);
		blocked_here_ = !sigismember(&before, raised);
		masked_ = true;
		int fd = os::signalfd(-1, &only, SFD_NONBLOCK | SFD_CLOEXEC);
		if (fd < 0)
			return setup_failed(error, "signalfd()");
		ctx.endpoint(0).opened(fd, false);
		return true;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		switch (action) {
		case Action::snd:
			/* The step names the endpoint; the signal goes to the thread. */
			ctx.target(slot, rec);
			rec.err = pthread_kill(pthread_self(), raised);
			rec.ret = rec.err == 0 ? 0 : -1;
			return true;
		case Action::rcv:
			read_signals(ctx.target(slot, rec), rec);
			return true;
		default:
			return false;
		}
	}

	/* Takes what is still pending, then unblocks what the set-up blocked. */
	void teardown() override
	{
		if (!masked_)
			return;
		sigset_t only;
		sigemptyset(&only);
		sigaddset(&only, raised);
		struct timespec now = {0, 0};
		while (sigtimedwait(&only, nullptr, &now) == raised)
			;
		if (blocked_here_)
			pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
		masked_ = false;
	}

private:
	bool masked_ = false;
	bool blocked_here_ = false;

	static void read_signals(int fd, StepRecord &rec)
	{
		struct signalfd_siginfo info[4];
		rec.ret = os::read(fd, info, sizeof(info));
		rec.err = rec.ret < 0 ? errno : 0;
		if (rec.ret > 0) {
			long n = rec.ret / (long)sizeof(info[0]);
			rec.note = std::to_string(n) + (n == 1 ? " signal" : " signals");
		}
	}
};

#endif

const char *const roles[] = {"a signalfd for SIGUSR2, blocked in the worker thread"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::clo) |
                          action_bit(Action::pol) | action_bit(Action::arm) |
                          descriptor_actions;

} // namespace

extern const Transport transport_signalfd = {
	"signalfd", "signalfd(2) for SIGUSR2, blocked in the worker thread only: snd raises it at that thread, rcv reads it",
	"g", roles, actions, PM_LINUX_ONLY(SignalfdSession),
};

} // namespace pollmatrix
