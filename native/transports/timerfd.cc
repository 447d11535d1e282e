/*
 * timerfd.cc - timerfd_create(2): one endpoint t, a CLOCK_MONOTONIC timer,
 * nonblocking, disarmed at first. Its actions:
 *   snd  arm it to expire at once: the absolute time 1 ns on
 *        CLOCK_MONOTONIC (TFD_TIMER_ABSTIME), long past;
 *   far  arm it one hour ahead: armed, not expired;
 *   dis  disarm it (it_value 0), which also clears an expiry not yet read
 *        (fs/timerfd.c timerfd_setup zeroes ticks);
 *   rcv  read(2) 8 bytes: the number of expirations since the last read;
 *        EAGAIN when there was none. The note says the number.
 * An expiry comes from the timer interrupt, a moment after timerfd_settime()
 * returns, even for a time already past. The settle rule therefore waits,
 * within the step bound, for the expiry a `snd` asked for before the next
 * step looks (poll(2) on the timer: POLLIN once ticks is above 0), so a
 * `pol` right after a `snd` always sees it. timerfd_create(2): readable
 * while an expiry is unread; never writable (timerfd_poll sets only EPOLLIN).
 * TFD_TIMER_CANCEL_ON_SET is not measured: only a change of the realtime
 * clock (clock_settime, which needs CAP_SYS_TIME) cancels such a timer.
 * Linux only (PM_HAVE_LINUX_FDS).
 */
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

#include <poll.h>
#include <time.h>

#include "../os/os.h"
#include "transport.h"

#ifdef PM_HAVE_LINUX_FDS
#include <sys/timerfd.h>
#endif

namespace pollmatrix {

namespace {

#ifdef PM_HAVE_LINUX_FDS

class TimerfdSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		int fd = os::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (fd < 0)
			return setup_failed(error, "timerfd_create()");
		ctx.endpoint(0).opened(fd, false);
		return true;
	}

	/* An expiry asked for (snd) and not yet seen: wait for it. */
	bool settle(StepContext &ctx, int bound_ms) override
	{
		if (!expiring_)
			return true;
		expiring_ = false;
		Endpoint &t = ctx.endpoint(0);
		if (!t.open)
			return true;
		struct pollfd pfd = {t.fd, POLLIN, 0};
		return os::poll(&pfd, 1, bound_ms) > 0;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		struct itimerspec when = {};
		switch (action) {
		case Action::snd:
			when.it_value.tv_nsec = 1;
			set(ctx.target(slot, rec), TFD_TIMER_ABSTIME, when, rec);
			expiring_ = rec.ret == 0;
			return true;
		case Action::far:
			when.it_value.tv_sec = 3600;
			set(ctx.target(slot, rec), 0, when, rec);
			return true;
		case Action::dis:
			set(ctx.target(slot, rec), 0, when, rec);
			expiring_ = false;
			return true;
		case Action::rcv:
			read_expirations(ctx.target(slot, rec), rec);
			return true;
		default:
			return false;
		}
	}

private:
	bool expiring_ = false;

	static void set(int fd, int flags, const struct itimerspec &when, StepRecord &rec)
	{
		rec.ret = os::timerfd_settime(fd, flags, &when, nullptr);
		rec.err = rec.ret < 0 ? errno : 0;
	}

	static void read_expirations(int fd, StepRecord &rec)
	{
		uint64_t count = 0;
		rec.ret = os::read(fd, &count, sizeof(count));
		rec.err = rec.ret < 0 ? errno : 0;
		if (rec.ret == (long)sizeof(count)) {
			char text[48];
			snprintf(text, sizeof(text), "%" PRIu64 " expiration%s", count, count == 1 ? "" : "s");
			rec.note = text;
		}
	}
};

#endif

const char *const roles[] = {"the timer, CLOCK_MONOTONIC, nonblocking"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::far) | action_bit(Action::dis) |
                          action_bit(Action::rcv) | action_bit(Action::clo) | action_bit(Action::pol) |
                          action_bit(Action::arm) |
                          descriptor_actions;

} // namespace

extern const Transport transport_timerfd = {
	"timerfd", "timerfd_create(2) on CLOCK_MONOTONIC: snd arms it to expire at once, far an hour ahead, dis disarms, rcv reads the expirations",
	"t", roles, actions, PM_LINUX_ONLY(TimerfdSession),
};

} // namespace pollmatrix
