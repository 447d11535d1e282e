/*
 * pty.cc - a pseudoterminal (pty(7)): m the master (posix_openpt), t the
 * terminal opened from ptsname(), both nonblocking and not made the
 * controlling terminal (O_NOCTTY). Both exist before the first command; no
 * implicit step. The terminal keeps the line discipline's defaults
 * (canonical mode, echo), so "foo" written to the master without a newline
 * is not yet a line the terminal can read.
 *
 * The settle rule (Linux). A write to one side does not reach the other
 * side's line discipline inside the write: pty_write() only puts the bytes
 * in the other side's flip buffer and queues a work item
 * (drivers/tty/pty.c pty_write -> drivers/tty/tty_buffer.c
 * tty_insert_flip_string_and_push_buffer: queue_work(system_unbound_wq)),
 * and a kworker moves them on later (tty_buffer.c flush_to_ldisc). The
 * terminal's echo goes back the same way, from inside that work. So
 * whether a `pol` or a `rcv` already sees the data, and how much a `ful`
 * fits, depends on when the kworker ran. Before every step
 * (TransportSession::settle) the engine therefore waits for that work, the
 * terminal's side first (its work writes the echo into the master's side),
 * then the master's. The wait is the kernel's own: poll() on a side with
 * nothing to read calls flush_work() on its flip-buffer work
 * (drivers/tty/n_tty.c n_tty_poll -> tty_buffer_flush_work), so a poll()
 * with a zero timeout returns once the work has run. The terminal (canonical
 * mode, no newline ever written) never has input, so its work is always
 * waited for. The master may have input while more is still queued behind
 * it: the echo is written a byte at a time (tty_io.c tty_put_char: a pty has
 * no put_char), and a read from a full master restarts its work
 * (n_tty_read -> n_tty_kick_worker). So the session counts what was written
 * towards the master (the terminal's `snd` and `ful`, and the echo of the
 * master's: "foo" as itself, a zero as "^@", n_tty.c echo_char with
 * ECHOCTL) less what the master read, and waits, yielding, until the
 * master's line discipline holds that much (FIONREAD) or is full; the count
 * is an upper bound once the master's side refused an echo, and then only
 * "full" ends the wait. A wait that reaches the settle bound marks the step
 * (settle_bound).
 *
 * What no rule here can wait for: once the terminal is closed, its line
 * discipline still runs while the master is open (tty_io.c tty_release: the
 * last close is the pair's) and echoes from the kworker, but only its own
 * descriptor's poll() or read() would wait for that work; and an echo not
 * yet written looks the same as one the full master refused (n_tty.c
 * __process_echoes keeps it for the next echo). The fuzz leaves the master's
 * writes after the terminal's close out (src/fuzz.ts UNSETTLED).
 *
 * `ful` on a pty writes 256 bytes at a time until EAGAIN, then lets the
 * queued data reach the other side (the rule above, and for data bound for
 * the master, until its line discipline is full: FIONREAD reaches
 * N_TTY_BUF_SIZE - 1 = 4095, n_tty.c n_tty_receive_buf_common) and writes
 * again, until a write refused right after that wait. A flip buffer admits
 * 8192 bytes of buffers (pty.c pty_common_install: tty_buffer_set_limit)
 * rounded to 256-byte sizes (tty_buffer.c tty_buffer_alloc), so 256-byte
 * writes fill it the same way whenever the kworker runs: the terminal fills
 * at 19,712 bytes. The master never fills: the terminal in canonical mode
 * takes every byte until a line ends, keeping the first 4,095 (the
 * overflow case of n_tty_receive_buf_common, so that a line can always be
 * ended), so a master's `ful` stops at 64 KiB and says so.
 */
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../os/errnos.h"
#include "../os/os.h"
#include "../os/portability.h"
#include "../engine/settle.h"
#include "transport.h"

namespace pollmatrix {

namespace {

enum Slot { m, t };

class PtySession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		int master = os::posix_openpt(O_RDWR | O_NOCTTY);
		if (master < 0)
			return setup_failed(error, "posix_openpt()");
		pm_set_flags(master, true);
		ctx.endpoint(m).opened(master, false);
		if (os::grantpt(master) < 0)
			return setup_failed(error, "grantpt()");
		if (os::unlockpt(master) < 0)
			return setup_failed(error, "unlockpt()");
#ifdef __linux__
		/* ptsname() answers in one static buffer, and two workers set
		 * up ptys at once: one could open the other's terminal (seen:
		 * a `snd` on t refused with EAGAIN 3 times in 2,000 runs on two
		 * workers, never on one). ptsname_r() answers in ours. */
		char name[128];
		if (os::ptsname_r(master, name, sizeof(name)) != 0)
			return setup_failed(error, "ptsname_r()");
#else
		const char *name = os::ptsname(master);
		if (!name)
			return setup_failed(error, "ptsname()");
#endif
		int terminal = os::open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (terminal < 0)
			return setup_failed(error, "open(terminal)");
		ctx.endpoint(t).opened(terminal, false);
		return true;
	}

#ifdef __linux__
	bool settle(StepContext &ctx, int bound_ms) override
	{
		return arrive(ctx, bound_ms);
	}

	void stepped(Action action, int slot, const StepRecord &rec) override
	{
		if (rec.endpoint_closed || rec.ret <= 0)
			return;
		if (action == Action::snd || action == Action::ful) {
			/* Bound for the master: what the terminal wrote, or the
			 * terminal's echo of what the master wrote ("foo" as
			 * itself; a zero from `ful` as "^@", n_tty.c echo_char
			 * with ECHOCTL). */
			bound_for_master_ += slot == t ? rec.ret : action == Action::ful ? 2 * rec.ret : rec.ret;
		} else if ((action == Action::rcv || action == Action::drn) && slot == m) {
			bound_for_master_ = bound_for_master_ > rec.ret ? bound_for_master_ - rec.ret : 0;
		}
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		if (action != Action::ful)
			return false;
		fill(slot, rec, ctx);
		return true;
	}

private:
	/* N_TTY_BUF_SIZE - 1: a non-canonical line discipline takes no more
	 * (n_tty.c n_tty_receive_buf_common). */
	static const int full = 4095;
	/* Bytes written towards the master's line discipline that the master
	 * has not read: an upper bound (an echo the master's full side
	 * refused is counted), exact until then. */
	long bound_for_master_ = 0;

	/* Waits for the flip-buffer work of `slot`'s side when that side has
	 * nothing to read (n_tty_poll calls tty_buffer_flush_work then); a
	 * side with input is readable whatever is still queued. */
	static void flush(StepContext &ctx, int slot)
	{
		Endpoint &e = ctx.endpoint(slot);
		if (!e.open)
			return;
		struct pollfd p = {e.fd, POLLIN, 0};
		while (os::poll(&p, 1, 0) < 0 && errno == err::intr)
			;
	}

	/* Bytes in the master's line discipline (FIONREAD: n_tty_ioctl
	 * TIOCINQ, read_cnt in non-canonical mode), or -1. */
	static int master_queued(StepContext &ctx)
	{
		Endpoint &e = ctx.endpoint(m);
		int n = -1;
		if (!e.open || os::ioctl(e.fd, FIONREAD, &n) < 0)
			return -1;
		return n;
	}

	/* The settle rule: the terminal's work, then the master's; then, as
	 * the master may have input already (poll() then waits for nothing),
	 * until its line discipline holds what was bound for it, or is full.
	 * It may have input while more is queued behind: the echo is written
	 * a byte at a time (tty_io.c tty_put_char: a pty has no put_char),
	 * and a read from a full master restarts its work (n_tty_read ->
	 * n_tty_kick_worker). False when the bound ran out first. */
	bool arrive(StepContext &ctx, int bound_ms)
	{
		flush(ctx, t);
		flush(ctx, m);
		int queued = master_queued(ctx);
		if (queued < 0)
			return true;
		if (queued == 0 && ctx.endpoint(t).open) {
			/* Both works ran and the master took everything. */
			bound_for_master_ = 0;
			return true;
		}
		long target = bound_for_master_ < full ? bound_for_master_ : full;
		if (queued >= target)
			return true;
		auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(bound_ms);
		for (int round = 0; std::chrono::steady_clock::now() < deadline; round++) {
			pause(round);
			flush(ctx, t);
			flush(ctx, m);
			queued = master_queued(ctx);
			if (queued < 0 || queued >= target)
				return true;
		}
		return false;
	}

	/* After a refused write: the settle rule, and until the master's line
	 * discipline is full: a refused write means more than 8 KiB was
	 * queued, bound for the master or (as echo, twice over) for it. */
	bool settle_full(StepContext &ctx, int bound_ms)
	{
		long kept = bound_for_master_;
		bound_for_master_ = full;
		bool ok = arrive(ctx, bound_ms);
		bound_for_master_ = kept > full ? kept : full;
		return ok;
	}

	void fill(int slot, StepRecord &rec, StepContext &ctx)
	{
		static const char zeros[256] = {};
		const long bound = 64L << 10;
		const int bound_ms = settle_bound_ms(ctx.timeout_ms());
		int fd = ctx.target(slot, rec);
		long total = 0;
		bool waited = false;
		for (;;) {
			size_t piece = bound - total < (long)sizeof(zeros) ? (size_t)(bound - total) : sizeof(zeros);
			ssize_t n = os::write(fd, zeros, piece);
			if (n > 0) {
				total += n;
				waited = false;
				if (total >= bound) {
					rec.note = "no EAGAIN after " + std::to_string(total) +
					           " bytes: stopped there (the terminal in canonical mode takes every byte until a line ends)";
					/* What was written still travels (and its
					 * echo): let it arrive, as after EAGAIN. */
					if (!settle_disabled() && !settle_full(ctx, bound_ms))
						rec.settle_bound = true;
					break;
				}
				continue;
			}
			if (n < 0 && errno == err::intr)
				continue;
			if (n < 0 && errno == err::again) {
				if (waited || settle_disabled())
					break;
				if (!settle_full(ctx, bound_ms))
					rec.settle_bound = true;
				waited = true;
				if (slot == m && !ctx.endpoint(t).open && !retry(fd, bound_ms))
					rec.settle_bound = true;
				continue;
			}
			if (n < 0 && total == 0) {
				rec.ret = -1;
				rec.err = errno;
				return;
			}
			if (n < 0) {
				const char *name = errno_name(errno);
				rec.note = std::string("then ") + (name ? name : errno_message(errno));
			}
			break;
		}
		rec.ret = total;
		rec.err = 0;
	}

	/* The terminal was closed, so nothing waits for its work (only its
	 * own descriptor's poll() or read() would); its line discipline
	 * still takes what the master writes while the master is open
	 * (tty_io.c tty_release: the last close is the pair's). Yields until
	 * a write would be taken: false when the bound ran out first. */
	static bool retry(int fd, int bound_ms)
	{
		auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(bound_ms);
		for (int round = 0; std::chrono::steady_clock::now() < deadline; round++) {
			struct pollfd p = {fd, POLLOUT, 0};
			if (os::poll(&p, 1, 0) > 0 && (p.revents & POLLOUT))
				return true;
			pause(round);
		}
		return false;
	}

	/* Lets the kworker run while a wait above looks again: the CPU is
	 * yielded at first, then given up for 100 us at a time, so a loaded
	 * machine (where the kworker waits for a CPU) is not spun on. */
	static void pause(int round)
	{
		if (round < 64) {
			sched_yield();
		} else {
			struct timespec nap = {0, 100 * 1000};
			nanosleep(&nap, nullptr);
		}
	}
#endif
};

const char *const roles[] = {"master", "terminal"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::drn) |
                          action_bit(Action::clo) | action_bit(Action::pol) | action_bit(Action::ful) |
                          action_bit(Action::arm) |
                          descriptor_actions;

/* A container without /dev/pts has no pseudoterminals. */
const char *pty_unavailable()
{
	int master = os::posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0)
		return "posix_openpt() fails here: no pseudoterminals";
	os::close(master);
	return nullptr;
}

} // namespace

extern const Transport transport_pty = {
	"pty", "a pseudoterminal: m the master, t the terminal, nonblocking, canonical mode",
	"mt", roles, actions, pty_unavailable, open_session<PtySession>,
};

} // namespace pollmatrix
