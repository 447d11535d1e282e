/*
 * io_uring_ring.h - one io_uring ring, through the raw system calls and the
 * rings mmapped as io_uring_setup(2) describes them (no liburing, so building
 * needs only the kernel headers). Shared by io_uring.cc (one-shot and level
 * POLL_ADD, asked afresh at every `pol`) and io_uring_multishot.cc (one
 * IORING_POLL_ADD_MULTI kept across an endpoint's `pol` steps).
 * Linux only: included only under HAVE_IO_URING.
 */
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <linux/io_uring.h>
#include <sys/mman.h>

#include "../os/os.h"

namespace pollmatrix {

/* sqe->poll32_events, filled the way liburing's io_uring_prep_poll_add()
 * fills it. Linux 5.9 widened the field from the 16-bit poll_events to
 * poll32_events (IORING_FEAT_POLL_32BITS). On a big-endian CPU the kernel
 * swaps the two 16-bit halves before using it (swahw32() in
 * io_poll_parse_events()), so the low half sits where a 5.1-5.8 kernel reads
 * poll_events. Stored this way, the mask reads right on both. */
inline uint32_t poll32_events(uint32_t mask)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	mask = (mask << 16) | (mask >> 16);
#endif
	return mask;
}

/* An IORING_OP_POLL_ADD for `fd` with poll(2)'s `events` and the POLL_ADD
 * flags `flags` (sqe->len: IORING_POLL_ADD_MULTI, IORING_POLL_ADD_LEVEL). */
inline struct io_uring_sqe poll_add_sqe(int fd, uint16_t events, uint32_t flags, uint64_t user_data)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_POLL_ADD;
	sqe.fd = fd;
	sqe.len = flags;
	sqe.poll32_events = poll32_events(events);
	sqe.user_data = user_data;
	return sqe;
}

/* An IORING_OP_POLL_REMOVE of the request whose user_data is `target`;
 * fd is unused (-1, as liburing's io_uring_prep_poll_remove() sets it). */
inline struct io_uring_sqe poll_remove_sqe(uint64_t target, uint64_t user_data)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_POLL_REMOVE;
	sqe.fd = -1;
	sqe.addr = target;
	sqe.user_data = user_data;
	return sqe;
}

/* Why io_uring cannot run here (io_uring_setup fails: ENOSYS, EPERM...), or
 * nullptr (io_uring.cc). */
const char *io_uring_unavailable();

/* Why a POLL_ADD with `flags` (IORING_POLL_ADD_MULTI, IORING_POLL_ADD_LEVEL,
 * named `flag_name`) cannot run here, or nullptr: io_uring itself, or the
 * kernel's answer to one such request on an empty pipe, with its errno
 * (io_uring.cc). The reason lives until this thread's next call. */
const char *poll_add_flag_unavailable(uint32_t flags, const char *flag_name);

class IoUringRing {
public:
	/* Makes the ring, so it takes the next free number. io_uring_setup(2)
	 * has no close-on-exec flag, and it needs none: the kernel has always
	 * installed the ring descriptor with O_CLOEXEC (get_unused_fd_flags(O_RDWR
	 * | O_CLOEXEC) in Linux 5.1's fs/io_uring.c, and in io_uring_install_fd()
	 * now). The flag is checked and set anyway, for an emulation layer that
	 * does not do the same. On failure fd() is -1 and failed_call()/error()
	 * say why. */
	explicit IoUringRing(unsigned entries)
	{
		struct io_uring_params params;

		memset(&params, 0, sizeof(params));
		fd_ = os::io_uring_setup(entries, &params);
		if (fd_ < 0) {
			error_ = errno;
			failed_call_ = "io_uring_setup";
			return;
		}
		int fdflags = os::fcntl(fd_, F_GETFD);
		if (fdflags >= 0 && !(fdflags & FD_CLOEXEC))
			os::fcntl(fd_, F_SETFD, fdflags | FD_CLOEXEC);
		if (!map_rings(params)) {
			error_ = errno;
			failed_call_ = "mmap";
			close();
		}
	}
	~IoUringRing()
	{
		close();
	}
	IoUringRing(const IoUringRing &) = delete;
	IoUringRing &operator=(const IoUringRing &) = delete;

	int fd() const
	{
		return fd_;
	}
	int error() const
	{
		return error_;
	}
	const char *failed_call() const
	{
		return failed_call_;
	}

	/* Unmaps first, then closes: a mapping holds the ring open, and the
	 * last close is what tears the ring down and cancels any request
	 * still in it (io_ring_ctx_wait_and_kill(), io_uring/io_uring.c). */
	void close()
	{
		if (sqes_)
			os::munmap(sqes_, sqes_len_);
		if (cq_ring_ && cq_ring_ != sq_ring_)
			os::munmap(cq_ring_, cq_ring_len_);
		if (sq_ring_)
			os::munmap(sq_ring_, sq_ring_len_);
		sqes_ = nullptr;
		cq_ring_ = sq_ring_ = nullptr;
		if (fd_ >= 0)
			os::close(fd_);
		fd_ = -1;
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
			n = os::io_uring_enter(fd_, to_submit, min_complete, IORING_ENTER_GETEVENTS);
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

	/* Hands every CQE posted so far to `each` in order, and advances the
	 * head past all of them, so nothing is left over for the next step.
	 * Returns how many there were. */
	template <typename Each>
	unsigned reap(Each each)
	{
		unsigned head = *cq_head_;
		unsigned tail = __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE);
		unsigned n = tail - head;

		for (; head != tail; head++)
			each(cqes_[head & cq_mask_]);
		__atomic_store_n(cq_head_, head, __ATOMIC_RELEASE);
		return n;
	}

private:
	int fd_ = -1;
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

	void *map(size_t len, off_t offset)
	{
		void *p = os::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_, offset);
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
};

} // namespace pollmatrix
