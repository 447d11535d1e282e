/*
 * eventfd.cc - eventfd(2), plain and with EFD_SEMAPHORE: one endpoint n, a
 * 64-bit counter, nonblocking. The counter is the descriptor's only state,
 * so the generic actions take eventfd's meaning here:
 *   snd  write(2) the 8-byte value 1: the counter grows by one;
 *   rcv  read(2) 8 bytes: the counter's value, which drops to 0 (semaphore:
 *        the value 1, and the counter drops by one); EAGAIN at 0. The note
 *        says the value read;
 *   ful  write until EAGAIN, largest values first, so the counter ends at
 *        its maximum 0xfffffffffffffffe and POLLOUT drops (eventfd(2): "a
 *        write(2) fails with the error EAGAIN if ... the counter would exceed
 *        the maximum"); ret is the number of bytes written (8 per write).
 * eventfd(2) on poll: POLLIN while the counter is above 0, POLLOUT while a
 * write of 1 would not block, POLLERR on an overflow (which only the kernel's
 * eventfd_signal can cause). Each write wakes the waiters, so with EPOLLET
 * every write is a new edge, read or not (fs/eventfd.c eventfd_write ->
 * wake_up_locked_poll; libuv#4400). Linux only (PM_HAVE_LINUX_FDS).
 */
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

#include "../os/errnos.h"
#include "../os/os.h"
#include "transport.h"

#ifdef PM_HAVE_LINUX_FDS
#include <sys/eventfd.h>
#endif

namespace pollmatrix {

namespace {

#ifdef PM_HAVE_LINUX_FDS

/* eventfd(2): "The maximum value that may be stored in the counter is the
 * largest unsigned 64-bit value minus 1". */
const uint64_t counter_max = UINT64_C(0xfffffffffffffffe);

void write_value(int fd, uint64_t value, StepRecord &rec)
{
	rec.ret = os::write(fd, &value, sizeof(value));
	rec.err = rec.ret < 0 ? errno : 0;
}

/* `ful`: the largest value that fits, then halved, down to 1. */
void fill_counter(int fd, StepRecord &rec)
{
	long written = 0;
	for (uint64_t value = counter_max; value > 0;) {
		if (os::write(fd, &value, sizeof(value)) == (ssize_t)sizeof(value)) {
			written += sizeof(value);
			continue;
		}
		if (errno == err::intr)
			continue;
		if (errno != err::again) {
			if (written == 0) {
				rec.ret = -1;
				rec.err = errno;
				return;
			}
			break;
		}
		value /= 2;
	}
	rec.ret = written;
	rec.err = 0;
}

void read_counter(int fd, StepRecord &rec)
{
	uint64_t value = 0;
	rec.ret = os::read(fd, &value, sizeof(value));
	rec.err = rec.ret < 0 ? errno : 0;
	if (rec.ret == (long)sizeof(value)) {
		char text[40];
		snprintf(text, sizeof(text), "read the value %" PRIu64, value);
		rec.note = text;
	}
}

template <int Semaphore>
class EventfdSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		int fd = os::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC | (Semaphore ? EFD_SEMAPHORE : 0));
		if (fd < 0)
			return setup_failed(error, "eventfd()");
		ctx.endpoint(0).opened(fd, false);
		return true;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		switch (action) {
		case Action::snd:
			write_value(ctx.target(slot, rec), 1, rec);
			return true;
		case Action::rcv:
			read_counter(ctx.target(slot, rec), rec);
			return true;
		case Action::ful:
			fill_counter(ctx.target(slot, rec), rec);
			return true;
		default:
			return false;
		}
	}
};

#endif

const char *const roles[] = {"the eventfd, nonblocking"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::ful) |
                          action_bit(Action::clo) | action_bit(Action::pol) | action_bit(Action::arm) |
                          descriptor_actions;

} // namespace

extern const Transport transport_eventfd = {
	"eventfd", "eventfd(2), a counter: snd adds 1, rcv reads and zeroes it, ful fills it to 0xfffffffffffffffe",
	"n", roles, actions, PM_LINUX_ONLY(EventfdSession<0>),
};

extern const Transport transport_eventfd_semaphore = {
	"eventfd-semaphore", "eventfd(2) with EFD_SEMAPHORE: snd adds 1, rcv reads 1 and takes 1 off, ful fills it",
	"n", roles, actions, PM_LINUX_ONLY(EventfdSession<1>),
};

} // namespace pollmatrix
