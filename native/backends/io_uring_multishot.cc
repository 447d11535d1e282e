/*
 * io_uring_multishot.cc - io_uring-multishot: one IORING_OP_POLL_ADD with
 * IORING_POLL_ADD_MULTI (Linux 5.13) per endpoint, submitted at its first
 * `pol` and kept across the scenario's `pol` steps, as a program using
 * multishot poll keeps it. Each `pol` collects the CQEs the request posted
 * since the last one. io_uring_enter(2): "IORING_POLL_ADD_MULTI ... the poll
 * request will remain active and post a completion every time the file
 * becomes ready, as long as IORING_CQE_F_MORE is set in the CQE flags"; a CQE
 * without IORING_CQE_F_MORE ends it.
 *
 * What a `pol` reports:
 *   ret   1 when the request posted at least one CQE since the last `pol`,
 *         else 0: how many it posted depends on how many wakeups the file
 *         made, which varies from run to run where the kernel defers work
 *         (a pty's echo, TCP's ACKs), so the count is not reported;
 *   raw   the poll(2) masks of those CQEs OR-ed together, plus F_MORE
 *         (pollmatrix's own bit, 0x80000000, named in this backend's flag
 *         table only) when the last of them has IORING_CQE_F_MORE;
 *   note  when the last CQE has no F_MORE, that the kernel ended the
 *         multishot; when none is armed, that too.
 * A CQE with res < 0 (-EBADF for a closed descriptor) makes the step ret -1
 * with that errno.
 *
 * Re-arming: never automatic. Once the kernel has ended the multishot, later
 * `pol` steps collect nothing and say so, as a program that does not re-arm
 * sees; `arm` submits a new one (as EPOLLONESHOT's EPOLL_CTL_MOD does).
 *
 * Each endpoint has a ring of its own (like epoll-et's instance per endpoint,
 * persistent.h), made before the step picks its number (Observer::prepare),
 * so one endpoint's completions never mix with another's. An endpoint open
 * again under another descriptor (a FIFO end) gets its old request removed
 * and a new one. The request holds a reference to the file, so closing the
 * descriptor (`clo`) neither ends the multishot nor closes the file while it
 * is armed: the peer sees no close until the scenario ends and the ring is
 * closed, which cancels every request (io_uring_ring.h).
 * Linux only (HAVE_IO_URING).
 */
#ifdef HAVE_IO_URING

#include <cerrno>
#include <map>
#include <memory>
#include <string>

#include <linux/io_uring.h>
#include <poll.h>

#include "../os/os.h"
#include "backend.h"
#include "io_uring_ring.h"
#include "poll_flags.h"

namespace pollmatrix {

namespace {

/* pollmatrix's own bit for IORING_CQE_F_MORE in a `pol`'s raw mask: above
 * every poll(2) bit, so it cannot be mistaken for one. */
constexpr uint32_t f_more = 0x80000000u;

/* poll(2)'s names (poll_flags.h), then F_MORE. */
struct MultishotFlags {
	FlagName names[poll_flags_count + 1];
};
constexpr MultishotFlags make_multishot_flags()
{
	MultishotFlags t{};
	for (size_t i = 0; i < poll_flags_count; i++)
		t.names[i] = poll_flags[i];
	t.names[poll_flags_count] = {f_more, "F_MORE", nullptr};
	return t;
}
constexpr MultishotFlags multishot_flags = make_multishot_flags();

constexpr bool f_more_is_free()
{
	for (size_t i = 0; i < poll_flags_count; i++)
		if (poll_flags[i].value & f_more)
			return false;
	return true;
}
static_assert(f_more_is_free(), "a poll(2) bit takes F_MORE's place");

/* Room for the CQEs a scenario's steps can cause between two `pol`s (the CQ
 * ring has twice as many); an overflowing CQ would end a multishot for a
 * reason of ours, not the file's. */
const unsigned ring_entries = 64;

/* How many times a `pol` reaps and asks the kernel for more before it stops
 * (a file that keeps waking the request could otherwise keep it busy). */
const int collect_rounds = 64;

/* user_data of the removal of an earlier request. */
const uint64_t remove_request = ~0ull;

class MultishotObserver : public Observer {
public:
	explicit MultishotObserver(uint32_t interest) : events_((uint16_t)poll_events(interest)) {}

	/* The endpoint's ring, made before the step picks its number; made
	 * again at the next step if making it failed. */
	void prepare(int slot) override
	{
		Endpoint &e = by_slot_[slot];
		if (!e.ring || e.ring->fd() < 0)
			e.ring.reset(new IoUringRing(ring_entries));
	}

	/* Contract: at the endpoint's first `pol` (or when it is open under a
	 * new descriptor) submit one POLL_ADD with IORING_POLL_ADD_MULTI for
	 * the interest's events; then run the task's pending task_work
	 * (io_uring_enter with GETEVENTS, min_complete 0), where the kernel
	 * posts completions deferred to it, and collect every CQE of the request
	 * (see the file's comment for ret, raw and note). A ring that could not
	 * be made is "not measured" (mechanism_not_created); a failing
	 * io_uring_enter is the observation (failed_call). */
	Observation observe(const PolTarget &target) override
	{
		Observation o;
		prepare(target.slot);
		Endpoint &e = by_slot_[target.slot];

		if (e.ring->fd() < 0)
			return mechanism_not_created(o, e.ring->failed_call(), e.ring->error());
		bool holds = e.fd >= 0 && (e.generation == target.generation || !target.endpoint_open);
		if (!holds) {
			if (e.armed)
				remove(e);
			if (!arm(e, target.fd))
				return failure(o, "io_uring_enter");
			e.generation = target.generation;
		}
		if (e.ring->enter(0, 0) < 0)
			return failure(o, "io_uring_enter");
		collect(e, o);
		return o;
	}

	/* Contract: `arm` submits a new multishot for the endpoint's
	 * descriptor once the kernel has ended the last one; while it is armed,
	 * or before the endpoint's first `pol`, there is nothing to re-arm (a
	 * note says so). */
	Observation rearm(const PolTarget &target) override
	{
		Observation o;
		auto found = by_slot_.find(target.slot);
		if (found == by_slot_.end() || found->second.fd < 0) {
			o.note = "not registered yet: the endpoint's first pol registers it";
			return o;
		}
		Endpoint &e = found->second;
		if (e.armed) {
			o.note = "the multishot is still armed (its last CQE had F_MORE): nothing to re-arm";
			return o;
		}
		/* As Registrations::rearm_fd (persistent.h): the submitted
		 * number only while the scenario holds it, else one certain to
		 * be closed; never an old number another thread may hold now
		 * (in a shared table `-d pol -d clo,pol -d arm,pol` polled a
		 * stranger's descriptor in 45 of 400 runs). */
		if (!arm(e, target.endpoint_open ? target.now(e.fd) : target.fd))
			return failure(o, "io_uring_enter");
		return o;
	}

private:
	struct Endpoint {
		std::unique_ptr<IoUringRing> ring;
		/* The descriptor the request was submitted for, -1 before the
		 * endpoint's first `pol`. */
		int fd = -1;
		unsigned generation = 0;
		/* The request's user_data; CQEs of an earlier one are dropped. */
		uint64_t request = 0;
		/* Submitted, and no CQE without F_MORE seen since. */
		bool armed = false;
	};

	uint16_t events_;
	uint64_t next_request_ = 1;
	std::map<int, Endpoint> by_slot_;

	static Observation &failure(Observation &o, const char *call)
	{
		o.ret = -1;
		o.err = errno;
		o.failed_call = call;
		return o;
	}

	bool arm(Endpoint &e, int fd)
	{
		uint64_t request = next_request_++;
		if (!e.ring->submit(poll_add_sqe(fd, events_, IORING_POLL_ADD_MULTI, request)))
			return false;
		e.fd = fd;
		e.request = request;
		e.armed = true;
		return true;
	}

	/* Removes the endpoint's earlier request (its descriptor was closed
	 * and the endpoint opened again). Its CQEs, the removal's included,
	 * are dropped by request id whenever they come; the ring's close at
	 * the end cancels anything a removal could not catch. */
	void remove(Endpoint &e)
	{
		e.ring->submit(poll_remove_sqe(e.request, remove_request));
		e.armed = false;
	}

	/* Reaps until nothing more comes: CQEs beyond the CQ ring's room wait
	 * in the kernel's overflow list (IORING_FEAT_NODROP), and each
	 * io_uring_enter with GETEVENTS moves them in. */
	void collect(Endpoint &e, Observation &o)
	{
		int err = 0;
		bool any = false, more = false;
		uint32_t mask = 0;
		uint64_t request = e.request;
		auto each = [&](const struct io_uring_cqe &cqe) {
			if (cqe.user_data != request)
				return;
			any = true;
			more = cqe.flags & IORING_CQE_F_MORE;
			if (cqe.res < 0)
				err = -cqe.res;
			else
				mask |= (uint32_t)cqe.res;
		};
		for (int round = 0; round < collect_rounds && e.ring->reap(each) > 0; round++)
			if (e.ring->enter(0, 0) < 0)
				break;
		if (any && !more) {
			e.armed = false;
			o.note = "the kernel ended the multishot (its last CQE has no F_MORE); arm re-arms it";
		} else if (!any && !e.armed) {
			o.note = "no multishot armed: the kernel ended it at an earlier pol; arm re-arms it";
		}
		if (err) {
			o.ret = -1;
			o.err = err;
			return;
		}
		o.ret = any ? 1 : 0;
		o.raw = any ? mask | (more ? f_more : 0) : 0;
	}
};

const char *multishot_unavailable()
{
	return poll_add_flag_unavailable(IORING_POLL_ADD_MULTI, "IORING_POLL_ADD_MULTI");
}

} // namespace

extern const Backend backend_io_uring_multishot = {
	"io_uring-multishot",
	"io_uring IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI for the interest, submitted at the endpoint's first pol and kept; each pol collects the CQEs since the last (their masks OR-ed; F_MORE: IORING_CQE_F_MORE on the last); arm submits a new one once the kernel ended it",
	multishot_unavailable,
	open_observer<MultishotObserver>,
	PM_POLL_REVENTS_RECORD(multishot_flags.names, poll_flags_count + 1, true),
};

} // namespace pollmatrix

#endif /* HAVE_IO_URING */
