/*
 * io_uring.cc - io_uring's IORING_OP_POLL_ADD (io_uring_enter(2)), one-shot,
 * in two modes, each its own column:
 *   io_uring        as the kernel takes a POLL_ADD by default (it adds
 *                   EPOLLET: io_poll_parse_events(), io_uring/poll.c);
 *   io_uring-level  with IORING_POLL_ADD_LEVEL (Linux 6.0's flag), where the
 *                   kernel takes it; elsewhere unavailable with the errno.
 * A `pol` submits one POLL_ADD for the poll backend's events
 * (POLLIN|POLLOUT|POLLRDHUP by default) and looks at whether it completed at
 * once. A request that did not complete is removed again
 * (IORING_OP_POLL_REMOVE) before the step ends. The completion carries a
 * poll(2) revents mask, which is decoded with the poll backend's table
 * (poll_flags.h). The ring (io_uring_ring.h) is made at the first `pol` and
 * lives to the end of the scenario. io_uring_multishot.cc keeps one
 * IORING_POLL_ADD_MULTI instead.
 * Linux 5.1 and later only (HAVE_IO_URING); the list (list.cc) says so
 * elsewhere, and io_uring_unavailable() on a kernel without it.
 */
#ifdef HAVE_IO_URING

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <linux/io_uring.h>
#include <poll.h>

#include "../os/errnos.h"
#include "../os/os.h"
#include "backend.h"
#include "io_uring_ring.h"
#include "poll_flags.h"

namespace pollmatrix {

namespace {

/* user_data of the two requests a `pol` can have in flight. */
const uint64_t poll_request = 1;
const uint64_t remove_request = 2;

/* A step never has more than two requests in flight. */
const unsigned ring_entries = 4;

/* See remove_poll(): how often a removal that found the poll mid-wakeup is
 * tried again before the step gives up rather than spin. */
const int remove_attempts = 100;

/* What the step has reaped so far of its two requests. */
struct Completions {
	bool poll_done = false;
	int poll_res = 0;
	bool remove_done = false;
	int remove_res = 0;
};

/* Linux 6.0's flag (include/uapi/linux/io_uring.h), for older headers. */
#ifndef IORING_POLL_ADD_LEVEL
#define IORING_POLL_ADD_LEVEL (1U << 3)
#endif

/* One-shot (IORING_POLL_ADD_MULTI, Linux 5.13, is not set in len). Without
 * IORING_POLL_ADD_LEVEL the kernel adds EPOLLET, but the vfs_poll() made
 * when the request is armed reports the current state either way, which is
 * the level check a `pol` wants; io_uring-level asks with the flag, to show
 * whether the kernel takes it and whether it changes anything. */
class IoUringObserver : public Observer {
public:
	/* The ring is made here, at the scenario's first `pol`, the way epoll's
	 * descriptor is, so it takes the next free number (io_uring_ring.h).
	 * `flags` are the POLL_ADD flags of the mode (0, IORING_POLL_ADD_LEVEL). */
	IoUringObserver(uint32_t interest, uint32_t flags)
		: events_((uint16_t)poll_events(interest)), flags_(flags), ring_(new IoUringRing(ring_entries))
	{
		if (ring_->fd() < 0) {
			error_ = ring_->error();
			failed_call_ = ring_->failed_call();
		}
	}

	/* Contract: one IORING_OP_POLL_ADD for `fd`, one-shot, submitted with
	 * io_uring_enter(to_submit=1, min_complete=0, IORING_ENTER_GETEVENTS).
	 * - If it completed at once, res >= 0 is the revents mask (ret=1,
	 *   raw=res; a poll request never completes without an event). res < 0
	 *   is -errno, e.g. -EBADF for a closed descriptor: ret=-1, err=-res.
	 * - If it did not complete (nothing ready: the request is armed), it is
	 *   removed and the step waits for both completions, so no request
	 *   outlives the step: ret=0, raw=0. If the poll completed in between
	 *   after all, its result is reported as above.
	 * Every CQE that arrives is consumed, so the next `pol` starts on an
	 * empty CQ ring. A failing io_uring_enter gives ret=-1 with its errno and
	 * failed_call "io_uring_enter" (IORING_OP_POLL_REMOVE if the poll could
	 * not be caught, see remove_poll()). Each wait is only for a completion
	 * the kernel is bound to post, so the step cannot hang. A ring left with
	 * a request in flight is closed, which cancels the request, and every
	 * later `pol` of the scenario reports the same failure. */
	Observation observe(const PolTarget &target) override
	{
		int fd = target.fd;
		Observation o;
		Completions done;
		const char *failed = nullptr;

		if (ring_->fd() < 0 && !ring_lost_)
			return mechanism_not_created(o, failed_call_, error_);
		if (ring_->fd() < 0)
			return failure(o, error_, failed_call_);
		if (!ring_->submit(poll_add_sqe(fd, events_, flags_, poll_request)))
			return failure(o, errno, "io_uring_enter");
		reap(done);
		bool removed = !done.poll_done;
		if (removed && (failed = remove_poll(done)) != nullptr) {
			error_ = errno;
			failed_call_ = failed;
			ring_lost_ = true;
			ring_->close();
			return failure(o, error_, failed_call_);
		}
		if (removed && done.poll_res == -ECANCELED) {
			o.ret = 0;
		} else if (done.poll_res >= 0) {
			o.ret = 1;
			o.raw = (uint32_t)done.poll_res;
		} else {
			o.ret = -1;
			o.err = -done.poll_res;
		}
		return o;
	}

private:
	/* The poll backend's question for the interest, asked with poll(2)'s
	 * values, not EPOLL*: the kernel converts them on the way in and the
	 * result on the way out (demangle_poll()/mangle_poll(), io_uring/poll.c). */
	uint16_t events_;
	uint32_t flags_;
	std::unique_ptr<IoUringRing> ring_;
	/* The ring worked and was closed after a request could not be caught
	 * (remove_poll()): a later failure is that, not a ring never made. */
	bool ring_lost_ = false;
	/* Why the ring cannot be used (setup failed, or it was closed). */
	int error_ = 0;
	const char *failed_call_ = nullptr;

	static Observation &failure(Observation &o, int err, const char *call)
	{
		o.ret = -1;
		o.err = err;
		o.failed_call = call;
		return o;
	}

	/* Consumes every CQE posted so far and records the two requests'
	 * results, so nothing is left over for the next step. */
	void reap(Completions &done)
	{
		ring_->reap([&done](const struct io_uring_cqe &cqe) {
			if (cqe.user_data == poll_request) {
				done.poll_done = true;
				done.poll_res = cqe.res;
			} else if (cqe.user_data == remove_request) {
				done.remove_done = true;
				done.remove_res = cqe.res;
			}
		});
	}

	/* Waits until `flag` is set, consuming whatever has arrived or arrives
	 * meanwhile. Called only for a completion the kernel is bound to post. */
	bool wait_for(Completions &done, bool Completions::*flag)
	{
		reap(done);
		while (!(done.*flag)) {
			if (ring_->enter(0, 1) < 0)
				return false;
			reap(done);
		}
		return true;
	}

	/* Removes the armed poll and collects its completion. POLL_REMOVE
	 * completes inside the io_uring_enter that submits it, with one of:
	 *   0: it took the poll, which completes with -ECANCELED (from
	 *     task_work on recent kernels, so it is waited for);
	 *   -ENOENT: the poll completed first and its CQE, carrying the mask,
	 *     is already posted;
	 *   -EALREADY: a wakeup owns the poll at that moment (io_poll_disarm(),
	 *     io_uring/poll.c). Its task_work then either completes the poll
	 *     with a mask, or re-arms it if the re-check finds nothing
	 *     (io_poll_check_events()), so no completion is certain to come.
	 *     The task_work is run (min_complete 0) and the removal is tried
	 *     again, at most remove_attempts times.
	 * Returns nullptr once the poll's CQE is reaped. Otherwise it returns
	 * the call that failed, with errno set: -remove_res if the poll was
	 * never caught. */
	const char *remove_poll(Completions &done)
	{
		for (int attempt = 0; attempt < remove_attempts; attempt++) {
			done.remove_done = false;
			if (!ring_->submit(poll_remove_sqe(poll_request, remove_request)) ||
			    !wait_for(done, &Completions::remove_done))
				return "io_uring_enter";
			if (!done.poll_done && done.remove_res == 0 && !wait_for(done, &Completions::poll_done))
				return "io_uring_enter";
			if (done.poll_done)
				return nullptr;
			if (ring_->enter(0, 0) < 0)
				return "io_uring_enter";
			reap(done);
			if (done.poll_done)
				return nullptr;
		}
		errno = -done.remove_res;
		return "IORING_OP_POLL_REMOVE";
	}
};

} // namespace

/* Cheap probe: make a one-entry ring and close it at once. The kernel may
 * lack io_uring, may have it turned off, or a sandbox may forbid it. The
 * reason for an errno not listed here names it and lives until this thread's
 * next call. */
const char *io_uring_unavailable()
{
	struct io_uring_params params;

	memset(&params, 0, sizeof(params));
	int fd = os::io_uring_setup(1, &params);
	if (fd >= 0) {
		os::close(fd);
		return nullptr;
	}
	int err = errno;
	switch (err) {
	case ENOSYS:
		return "io_uring_setup() fails with ENOSYS: this kernel has no io_uring "
		       "(before Linux 5.1, or built without CONFIG_IO_URING), or a seccomp filter hides it";
	case EPERM:
		return "io_uring_setup() fails with EPERM: io_uring is turned off by sysctl "
		       "kernel.io_uring_disabled (Linux 6.6; 1 allows only kernel.io_uring_group), "
		       "or forbidden by a seccomp or container policy (Docker's default profile)";
	case ENOMEM:
		return "io_uring_setup() fails with ENOMEM: before Linux 5.12 a ring counts against "
		       "RLIMIT_MEMLOCK (ulimit -l)";
	}
	static thread_local char reason[160];
	const char *name = errno_name(err);
	snprintf(reason, sizeof(reason), "io_uring_setup() fails with %s (%s)", name ? name : "an unnamed errno",
	         strerror(err));
	return reason;
}

const char *poll_add_flag_unavailable(uint32_t flags, const char *flag_name)
{
	if (const char *why = io_uring_unavailable())
		return why;
	static thread_local char reason[240];
	IoUringRing ring(2);
	int fds[2];
	if (ring.fd() < 0 || os::pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		int err = ring.fd() < 0 ? ring.error() : errno;
		const char *name = errno_name(err);
		snprintf(reason, sizeof(reason), "the probe for %s could not start: %s failed with %s", flag_name,
		         ring.fd() < 0 ? ring.failed_call() : "pipe2", name ? name : "an unnamed errno");
		return reason;
	}
	int res = 0;
	if (!ring.submit(poll_add_sqe(fds[0], POLLIN, flags, 1)))
		res = -errno;
	ring.enter(0, 0);
	ring.reap([&res](const struct io_uring_cqe &cqe) {
		if (cqe.user_data == 1 && cqe.res < 0)
			res = cqe.res;
	});
	ring.close();
	os::close(fds[0]);
	os::close(fds[1]);
	if (res == 0)
		return nullptr;
	const char *name = errno_name(-res);
	snprintf(reason, sizeof(reason),
	         "IORING_OP_POLL_ADD with %s completes with %s (%s) on this kernel: its io_poll_add_prep() "
	         "(io_uring/poll.c) takes no such flag",
	         flag_name, name ? name : "an unnamed errno", strerror(-res));
	return reason;
}

namespace {

template <uint32_t Flags>
std::unique_ptr<Observer> open_poll_add(uint32_t interest)
{
	return std::unique_ptr<Observer>(new IoUringObserver(interest, Flags));
}

const char *level_unavailable()
{
	return poll_add_flag_unavailable(IORING_POLL_ADD_LEVEL, "IORING_POLL_ADD_LEVEL");
}

} // namespace

/* io_uring's POLL_ADD completes with poll(2)'s revents, so the poll table
 * (poll_flags.h) names its bits. */
extern const Backend backend_io_uring = {
	"io_uring",
	"io_uring IORING_OP_POLL_ADD, one-shot, for the interest (haproxy's POLLIN|POLLOUT|POLLRDHUP by default); removed with IORING_OP_POLL_REMOVE if it did not complete at once",
	io_uring_unavailable,
	open_poll_add<0>,
	PM_POLL_REVENTS_RECORD(poll_flags, poll_flags_count, false),
};

extern const Backend backend_io_uring_level = {
	"io_uring-level",
	"io_uring IORING_OP_POLL_ADD with IORING_POLL_ADD_LEVEL, one-shot, for the interest; removed with IORING_OP_POLL_REMOVE if it did not complete at once",
	level_unavailable,
	open_poll_add<IORING_POLL_ADD_LEVEL>,
	PM_POLL_REVENTS_RECORD(poll_flags, poll_flags_count, false),
};

} // namespace pollmatrix

#endif /* HAVE_IO_URING */
