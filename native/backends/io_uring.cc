/*
 * io_uring.cc - io_uring's IORING_OP_POLL_ADD (io_uring_enter(2)),
 * through the raw system calls and the rings mmapped as io_uring_setup(2)
 * describes them. No liburing, so building needs only the kernel headers.
 * A `pol` submits one one-shot POLL_ADD for the poll backend's events
 * (POLLIN|POLLOUT|POLLRDHUP) and looks at whether it completed at once. A
 * request that did not complete is removed again (IORING_OP_POLL_REMOVE)
 * before the step ends. The completion carries a poll(2) revents mask, which
 * is decoded with the poll backend's table (poll_flags.h). The ring is made at
 * the first `pol` and lives to the end of the scenario.
 * Linux 5.1 and later only (HAVE_IO_URING); the list (list.cc) says so
 * elsewhere, and io_uring_unavailable() on a kernel without it.
 */
#ifdef HAVE_IO_URING

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../os/errnos.h"
#include "../os/os.h"
#include "backend.h"
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

/* sqe->poll32_events, filled the way liburing's io_uring_prep_poll_add()
 * fills it. Linux 5.9 widened the field from the 16-bit poll_events to
 * poll32_events (IORING_FEAT_POLL_32BITS). On a big-endian CPU the kernel
 * swaps the two 16-bit halves before using it (swahw32() in
 * io_poll_parse_events()), so the low half sits where a 5.1-5.8 kernel reads
 * poll_events. Stored this way, the mask reads right on both. */
uint32_t poll32_events(uint32_t mask)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	mask = (mask << 16) | (mask >> 16);
#endif
	return mask;
}

/* What the step has reaped so far of its two requests. */
struct Completions {
	bool poll_done = false;
	int poll_res = 0;
	bool remove_done = false;
	int remove_res = 0;
};

class IoUringObserver : public Observer {
public:
	/* The ring is made here, at the scenario's first `pol`, the way epoll's
	 * descriptor is, so it takes the next free number. io_uring_setup(2)
	 * has no close-on-exec flag, and it needs none: the kernel has always
	 * installed the ring descriptor with O_CLOEXEC (get_unused_fd_flags(O_RDWR
	 * | O_CLOEXEC) in Linux 5.1's fs/io_uring.c, and in io_uring_install_fd()
	 * now). The flag is checked and set anyway, for an emulation layer that
	 * does not do the same. */
	explicit IoUringObserver(uint32_t interest) : events_((uint16_t)poll_events(interest))
	{
		struct io_uring_params params;

		memset(&params, 0, sizeof(params));
		ring_fd_ = os::io_uring_setup(ring_entries, &params);
		if (ring_fd_ < 0) {
			error_ = errno;
			failed_call_ = "io_uring_setup";
			return;
		}
		int fdflags = os::fcntl(ring_fd_, F_GETFD);
		if (fdflags >= 0 && !(fdflags & FD_CLOEXEC))
			os::fcntl(ring_fd_, F_SETFD, fdflags | FD_CLOEXEC);
		if (!map_rings(params)) {
			error_ = errno;
			failed_call_ = "mmap";
			close_ring();
		}
	}

	~IoUringObserver() override
	{
		close_ring();
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

		if (ring_fd_ < 0 && !ring_lost_)
			return mechanism_not_created(o, failed_call_, error_);
		if (ring_fd_ < 0)
			return failure(o, error_, failed_call_);
		if (!submit(poll_add(fd)))
			return failure(o, errno, "io_uring_enter");
		reap(done);
		bool removed = !done.poll_done;
		if (removed && (failed = remove_poll(done)) != nullptr) {
			error_ = errno;
			failed_call_ = failed;
			ring_lost_ = true;
			close_ring();
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
	int ring_fd_ = -1;
	/* The ring worked and was closed after a request could not be caught
	 * (remove_poll()): a later failure is that, not a ring never made. */
	bool ring_lost_ = false;
	/* Why the ring cannot be used (setup failed, or it was closed). */
	int error_ = 0;
	const char *failed_call_ = nullptr;

	void *sq_ring_ = nullptr;
	size_t sq_ring_len_ = 0;
	void *cq_ring_ = nullptr;
	size_t cq_ring_len_ = 0;
	struct io_uring_sqe *sqes_ = nullptr;
	size_t sqes_len_ = 0;

	unsigned *sq_head_ = nullptr;
	unsigned *sq_tail_ = nullptr;
	unsigned *sq_array_ = nullptr;
	unsigned sq_mask_ = 0;
	unsigned *cq_head_ = nullptr;
	unsigned *cq_tail_ = nullptr;
	struct io_uring_cqe *cqes_ = nullptr;
	unsigned cq_mask_ = 0;

	static Observation &failure(Observation &o, int err, const char *call)
	{
		o.ret = -1;
		o.err = err;
		o.failed_call = call;
		return o;
	}

	void *map(size_t len, off_t offset)
	{
		void *p = os::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd_, offset);
		return p == MAP_FAILED ? nullptr : p;
	}

	/* Maps the three regions io_uring_setup(2) describes: the SQ ring (head,
	 * tail, mask, index array), the CQ ring and the SQE array. With
	 * IORING_FEAT_SINGLE_MMAP (Linux 5.4) the two rings are a single
	 * mapping; older kernels need one mmap each. Returns false with errno
	 * set. */
	bool map_rings(const struct io_uring_params &p)
	{
		bool single = p.features & IORING_FEAT_SINGLE_MMAP;

		sq_ring_len_ = p.sq_off.array + p.sq_entries * sizeof(unsigned);
		cq_ring_len_ = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
		if (single)
			sq_ring_len_ = cq_ring_len_ = std::max(sq_ring_len_, cq_ring_len_);
		if (!(sq_ring_ = map(sq_ring_len_, IORING_OFF_SQ_RING)))
			return false;
		cq_ring_ = single ? sq_ring_ : map(cq_ring_len_, IORING_OFF_CQ_RING);
		if (!cq_ring_)
			return false;
		sqes_len_ = p.sq_entries * sizeof(struct io_uring_sqe);
		if (!(sqes_ = (struct io_uring_sqe *)map(sqes_len_, IORING_OFF_SQES)))
			return false;

		char *sq = (char *)sq_ring_;
		char *cq = (char *)cq_ring_;
		sq_head_ = (unsigned *)(sq + p.sq_off.head);
		sq_tail_ = (unsigned *)(sq + p.sq_off.tail);
		sq_array_ = (unsigned *)(sq + p.sq_off.array);
		sq_mask_ = *(unsigned *)(sq + p.sq_off.ring_mask);
		cq_head_ = (unsigned *)(cq + p.cq_off.head);
		cq_tail_ = (unsigned *)(cq + p.cq_off.tail);
		cqes_ = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
		cq_mask_ = *(unsigned *)(cq + p.cq_off.ring_mask);
		return true;
	}

	/* Unmaps first, then closes: a mapping holds the ring open, and the
	 * last close is what tears the ring down and cancels any request
	 * still in it (io_ring_ctx_wait_and_kill(), io_uring/io_uring.c). */
	void close_ring()
	{
		if (sqes_)
			os::munmap(sqes_, sqes_len_);
		if (cq_ring_ && cq_ring_ != sq_ring_)
			os::munmap(cq_ring_, cq_ring_len_);
		if (sq_ring_)
			os::munmap(sq_ring_, sq_ring_len_);
		sqes_ = nullptr;
		cq_ring_ = sq_ring_ = nullptr;
		if (ring_fd_ >= 0)
			os::close(ring_fd_);
		ring_fd_ = -1;
	}

	/* io_uring_enter(2) with IORING_ENTER_GETEVENTS and no signal mask,
	 * retried on EINTR. Every signal is blocked during a scenario, but a
	 * job-control stop (SIGSTOP, which cannot be blocked) still ends a
	 * wait with EINTR. Even with min_complete 0, GETEVENTS first runs this
	 * task's pending task_work, and that is where completions deferred to
	 * it get posted. */
	int enter(unsigned to_submit, unsigned min_complete)
	{
		int n;
		do
			n = os::io_uring_enter(ring_fd_, to_submit, min_complete, IORING_ENTER_GETEVENTS);
		while (n < 0 && errno == EINTR);
		return n;
	}

	/* Queues `sqe` and submits it without waiting. Returns false with
	 * errno set when the kernel did not take it (a call that took nothing
	 * without an error counts as EAGAIN). The SQE is then withdrawn, which
	 * is safe because without SQPOLL the kernel reads the SQ tail only
	 * inside io_uring_enter. The ring stays clean. The call's own return
	 * value counts only submissions: a submitted SQE is known by the SQ
	 * head having moved past it. */
	bool submit(const struct io_uring_sqe &sqe)
	{
		unsigned tail = *sq_tail_;
		unsigned index = tail & sq_mask_;

		sqes_[index] = sqe;
		sq_array_[index] = index;
		__atomic_store_n(sq_tail_, tail + 1, __ATOMIC_RELEASE);
		int n = enter(1, 0);
		if (n == 1)
			return true;
		int err = n < 0 ? errno : EAGAIN;
		if (__atomic_load_n(sq_head_, __ATOMIC_ACQUIRE) == tail + 1)
			return true;
		__atomic_store_n(sq_tail_, tail, __ATOMIC_RELEASE);
		errno = err;
		return false;
	}

	/* Consumes every CQE posted so far and records the two requests'
	 * results. The head is advanced past all of them, so nothing is left
	 * over for the next step. */
	void reap(Completions &done)
	{
		unsigned head = *cq_head_;
		unsigned tail = __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE);

		for (; head != tail; head++) {
			const struct io_uring_cqe &cqe = cqes_[head & cq_mask_];
			if (cqe.user_data == poll_request) {
				done.poll_done = true;
				done.poll_res = cqe.res;
			} else if (cqe.user_data == remove_request) {
				done.remove_done = true;
				done.remove_res = cqe.res;
			}
		}
		__atomic_store_n(cq_head_, head, __ATOMIC_RELEASE);
	}

	/* Waits until `flag` is set, consuming whatever has arrived or arrives
	 * meanwhile. Called only for a completion the kernel is bound to post. */
	bool wait_for(Completions &done, bool Completions::*flag)
	{
		reap(done);
		while (!(done.*flag)) {
			if (enter(0, 1) < 0)
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
			if (!submit(poll_remove()) || !wait_for(done, &Completions::remove_done))
				return "io_uring_enter";
			if (!done.poll_done && done.remove_res == 0 && !wait_for(done, &Completions::poll_done))
				return "io_uring_enter";
			if (done.poll_done)
				return nullptr;
			if (enter(0, 0) < 0)
				return "io_uring_enter";
			reap(done);
			if (done.poll_done)
				return nullptr;
		}
		errno = -done.remove_res;
		return "IORING_OP_POLL_REMOVE";
	}

	/* One-shot: IORING_POLL_ADD_MULTI (Linux 5.13) is not set in len.
	 * Without IORING_POLL_ADD_LEVEL the kernel adds EPOLLET, but the
	 * vfs_poll() made when the request is armed reports the current state
	 * either way, which is the level check a `pol` wants. */
	struct io_uring_sqe poll_add(int fd) const
	{
		struct io_uring_sqe sqe;

		memset(&sqe, 0, sizeof(sqe));
		sqe.opcode = IORING_OP_POLL_ADD;
		sqe.fd = fd;
		sqe.poll32_events = poll32_events(events_);
		sqe.user_data = poll_request;
		return sqe;
	}

	/* addr names the request to remove by its user_data; fd is unused (-1,
	 * as liburing's io_uring_prep_poll_remove() sets it). */
	static struct io_uring_sqe poll_remove()
	{
		struct io_uring_sqe sqe;

		memset(&sqe, 0, sizeof(sqe));
		sqe.opcode = IORING_OP_POLL_REMOVE;
		sqe.fd = -1;
		sqe.addr = poll_request;
		sqe.user_data = remove_request;
		return sqe;
	}
};

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

} // namespace

/* io_uring's POLL_ADD completes with poll(2)'s revents, so the poll table
 * (poll_flags.h) names its bits. */
extern const Backend backend_io_uring = {
	"io_uring",
	"io_uring IORING_OP_POLL_ADD, one-shot, for the interest (haproxy's POLLIN|POLLOUT|POLLRDHUP by default); removed with IORING_OP_POLL_REMOVE if it did not complete at once",
	io_uring_unavailable,
	open_observer<IoUringObserver>,
	poll_flags,
	poll_flags_count,
	nullptr,
	0,
	"mask",
	false,
	PM_ALL_PROPERTIES,
	poll_interest.map,
	interest_count,
};

} // namespace pollmatrix

#endif /* HAVE_IO_URING */
