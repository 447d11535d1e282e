/*
 * kqueue.cc - kevent(2), in four modes:
 *   kqueue           level-triggered, asked the way the epoll backend asks
 *                    epoll_wait(): the interest's filters (kqueue.h: IN ->
 *                    EVFILT_READ, OUT -> EVFILT_WRITE, PRI -> EVFILT_EXCEPT
 *                    with NOTE_OOB where it exists, RDHUP -> nothing) are
 *                    added for the descriptor (EV_ADD, no EV_CLEAR), kevent()
 *                    collects what is pending with timeout 0, then the
 *                    filters are deleted again so every `pol` starts fresh.
 *                    The kqueue is made at the scenario's first `pol` and
 *                    lives to the end of the scenario.
 *   kqueue-clear     EV_CLEAR,
 *   kqueue-oneshot   EV_ONESHOT,
 *   kqueue-dispatch  EV_DISPATCH: the endpoint's filters are added at its
 *                    first `pol` with the mode flag and stay (persistent.h);
 *                    every `pol` is then one kevent() with no change and
 *                    timeout 0 on the endpoint's own kqueue, so a second `pol`
 *                    shows what the mode leaves.
 * An interest with no filter makes a `pol` one kevent() with no change.
 * Every kqueue is made close-on-exec. Returned kevents about another ident
 * are left out and counted in the step's note.
 *
 * kqueue(2) on the modes (XNU, FreeBSD; the other systems say the same):
 *   EV_CLEAR    "After the event is retrieved by the user, its state is
 *               reset. This is useful for filters which report state
 *               transitions instead of the current state."
 *   EV_ONESHOT  "Causes the event to return only the first occurrence of the
 *               filter being triggered. After the user retrieves the event
 *               from the kqueue, it is deleted."
 *   EV_DISPATCH "Disable the event source immediately after delivery of an
 *               event." (FreeBSD 8.1, macOS, OpenBSD, NetBSD 10; old
 *               DragonFly has none: the backend then says so.)
 * `arm` re-arms: EV_ADD|EV_ONESHOT again (the kernel deleted the event),
 * EV_ENABLE for dispatch (XNU kevent_register: an existing knote's EV_ENABLE
 * calls the filter's touch and knote_enable), EV_ADD|EV_CLEAR again for clear
 * ("Re-adding an existing event will modify the parameters of the original
 * event, and not result in a duplicate entry"; the filter runs again, so a
 * condition that holds is reported once more).
 *
 * macOS and the BSDs (HAVE_KQUEUE); the list (list.cc) says so elsewhere.
 * The sources of the constants are cited in kqueue.h. Nothing here is
 * compiled on Linux; test/kq-compile/ checks that it compiles against each
 * of those systems' headers' values and behaves as described.
 */
#ifdef HAVE_KQUEUE

#include <memory>
#include <string>

#include "../os/errnos.h"
#include "backend.h"
#include "kqueue.h"
#include "persistent.h"

namespace pollmatrix {

namespace {

/* Only ENOENT ("The event could not be found to be modified or deleted",
 * kqueue(2): its EV_ADD failed) and EBADF (the descriptor was closed, and
 * "Calling close() on a file descriptor will remove any kevents that
 * reference the descriptor") are expected when deleting. */
bool harmless_delete_error(int err)
{
	return err == err::noent || err == err::badf;
}

class KqueueObserver : public Observer {
public:
	/* The kqueue descriptor is made here, at the scenario's first `pol`,
	 * as the epoll backend makes its instance; close-on-exec
	 * (kqueue_create). */
	explicit KqueueObserver(uint32_t interest) : interest_(interest), created_(kqueue_create()) {}

	~KqueueObserver() override
	{
		if (created_.fd >= 0)
			os::close(created_.fd);
	}

	/* Contract: add the interest's filters for `fd` (EV_ADD, level-
	 * triggered, EV_RECEIPT where defined), kevent() once for at most 8
	 * events with timeout 0, then delete those filters. With no filter to
	 * ask for, only the kevent() that collects.
	 * - kqueue creation failed: "not measured" with the call and its
	 *   errno (mechanism_not_created), no kevent() at all.
	 * - A failed registration (EBADF on a closed descriptor; EPIPE on OS X
	 *   10.10/10.11 for a pipe whose peer is gone, tokio-rs/mio#582) is part
	 *   of the observation: its receipt (EV_ERROR, data = errno) is kept in
	 *   kevents, before the returned events. Successful receipts (data 0)
	 *   are not kept.
	 * - ret/err are the observing kevent()'s; a registering kevent() that
	 *   fails as a whole gives ret -1 and failed_call "kevent(EV_ADD)".
	 * - A returned kevent about another ident is not kept; note says how
	 *   many.
	 * - Deletion ignores ENOENT and EBADF; another failure is reported as
	 *   failed_call "kevent(EV_DELETE)" unless an earlier call failed.
	 * - raw stays 0: kqueue has no result mask, only kevents. */
	Observation observe(const PolTarget &target) override
	{
		int fd = target.fd;
		Observation o;
		const struct timespec zero = {};
		struct kevent changes[kqueue_max_filters];

		if (created_.fd < 0)
			return mechanism_not_created(o, created_.call, created_.err);
		int n = kqueue_changes(interest_, fd, EV_ADD | kqueue_receipt, changes);
		if (n > 0)
			add(changes, n, o, zero);
		if (o.ret == 0) {
			struct kevent events[8] = {};
			int got = os::kevent(created_.fd, nullptr, 0, events, 8, &zero);
			o.ret = got;
			o.err = got < 0 ? errno : 0;
			kqueue_keep(events, got, fd, o);
		}
		if (n > 0)
			remove(fd, o, zero);
		return o;
	}

private:
	/* Registers the filters. The eventlist has exactly one slot per
	 * change: with EV_RECEIPT the receipts fill it, so no pending event is
	 * collected here (XNU kevent_internal scans only when no receipt was
	 * written; FreeBSD scans for the slots left, none). The timeout is
	 * zero all the same: without EV_RECEIPT a successful registration
	 * leaves the slots free and kevent() goes on to collect events. */
	void add(const struct kevent (&changes)[kqueue_max_filters], int n, Observation &o, const struct timespec &zero)
	{
		struct kevent results[kqueue_max_filters] = {};

		int got = os::kevent(created_.fd, changes, n, results, n, &zero);
		if (got < 0) {
			o.ret = -1;
			o.err = errno;
			o.failed_call = "kevent(EV_ADD)";
			return;
		}
		/* Without EV_RECEIPT an entry without EV_ERROR is an event this
		 * call collected. It is not kept: level-triggered, it is queued
		 * again and the observing call reports it (kqueue(2): "the filter
		 * is also run when the user attempts to retrieve the kevent"). */
		for (int i = 0; i < got; i++)
			if ((results[i].flags & EV_ERROR) != 0 && results[i].data != 0)
				o.kevents.push_back(kqueue_record(results[i]));
	}

	/* Deletes the filters, so the next `pol` starts with none. */
	void remove(int fd, Observation &o, const struct timespec &zero)
	{
		struct kevent changes[kqueue_max_filters];
		struct kevent results[kqueue_max_filters] = {};
		int err = 0;

		int n = kqueue_changes(interest_, fd, EV_DELETE | kqueue_receipt, changes);
		int got = os::kevent(created_.fd, changes, n, results, n, &zero);
		if (got < 0)
			err = errno; /* the call itself: per-change errors come as receipts */
		for (int i = 0; i < got && err == 0; i++)
			if ((results[i].flags & EV_ERROR) != 0 && results[i].data != 0 &&
			    !harmless_delete_error((int)results[i].data))
				err = (int)results[i].data;
		if (err != 0 && o.ret >= 0) {
			o.ret = -1;
			o.err = err;
			o.failed_call = "kevent(EV_DELETE)";
		}
	}

	uint32_t interest_;
	Instance created_;
};

/* The probe makes a kqueue exactly as an observer does (kqueue_create:
 * kqueuex, kqueue1 or kqueue+fcntl, close-on-exec), so a kernel without
 * kqueuex under a binary built for FreeBSD 14 (ENOSYS), a sandbox or an
 * emulation that refuses kqueue() says "unavailable" here rather than "not
 * measured" in every cell. It runs where the scenarios run, on a worker of
 * their pool and in their descriptor table (workers/probe.h: a userspace
 * kqueue probed in Node's table said "available", then EBADF in every
 * private-table cell). It is cheap and harmless there: the descriptor is
 * close-on-exec from its creation (or at once after) and closed before the
 * probe returns, and a positive answer is remembered for the process
 * (probe.cc), so it runs once per pool, never between a scenario's steps. */
const char *kqueue_unavailable()
{
	static std::string why;
	Instance kq = kqueue_create();
	if (kq.fd < 0) {
		Observation o;
		why = mechanism_not_created(o, kq.call, kq.err).not_measured;
		return why.c_str();
	}
	os::close(kq.fd);
	return nullptr;
}

/* The `arm` change per mode: its action flags and what the step says when
 * it fails. */
struct Mode {
	unsigned flag;
	unsigned arm_flags;
	const char *arm_call;
};

class PersistentKqueueObserver : public Observer {
public:
	PersistentKqueueObserver(uint32_t interest, const Mode &mode)
		: interest_(interest), mode_(mode), registrations_(kqueue_create) {}

	/* Contract: at the endpoint's first `pol` (or when it is open under a
	 * new descriptor) add the interest's filters to the endpoint's kqueue
	 * with EV_ADD, the mode flag and EV_RECEIPT where defined; then one
	 * kevent() with no change for at most 8 events, timeout 0.
	 * - The kqueue cannot be made: "not measured" (mechanism_not_created).
	 * - Refused filters are kept as their EV_ERROR receipts, first. The
	 *   endpoint counts as registered once one filter was accepted (one
	 *   refused then is not asked again, as a program would not); when
	 *   every filter was refused (EBADF on a closed descriptor) nothing is
	 *   registered and the next `pol` asks again, as epoll-et does after a
	 *   failed EPOLL_CTL_ADD. A registering kevent() that fails as a whole
	 *   gives ret -1, failed_call "kevent(EV_ADD)", and the next `pol`
	 *   tries again.
	 * - Without EV_RECEIPT the registering call may itself return events
	 *   (its free slots): with these modes retrieving consumes them, so
	 *   they are kept and counted in ret.
	 * - Returned kevents about another ident are left out (note). */
	Observation observe(const PolTarget &target) override
	{
		Observation o;
		Registrations::Registration &r = registrations_.prepare(target.slot);
		const int kq = r.instance.fd;
		const struct timespec zero = {};

		if (kq < 0)
			return mechanism_not_created(o, r.instance.call, r.instance.err);
		long collected = 0;
		bool accepted = true;
		if (!r.holds(target)) {
			struct kevent changes[kqueue_max_filters];
			struct kevent results[kqueue_max_filters] = {};
			int n = kqueue_changes(interest_, target.fd, EV_ADD | mode_.flag | kqueue_receipt, changes);
			if (n > 0) {
				int got = os::kevent(kq, changes, n, results, n, &zero);
				if (got < 0) {
					o.ret = -1;
					o.err = errno;
					o.failed_call = "kevent(EV_ADD)";
					return o;
				}
				int refused = 0;
				for (int i = 0; i < got; i++) {
					if ((results[i].flags & EV_ERROR) != 0) {
						if (results[i].data != 0) {
							refused++;
							o.kevents.push_back(kqueue_record(results[i]));
						}
					} else {
						collected++;
						kqueue_keep(&results[i], 1, target.fd, o);
					}
				}
				accepted = refused < n;
			}
			if (accepted)
				r.registered(target);
		}
		struct kevent events[8] = {};
		int got = os::kevent(kq, nullptr, 0, events, 8, &zero);
		o.ret = got < 0 ? got : got + collected;
		o.err = got < 0 ? errno : 0;
		kqueue_keep(events, got, target.fd, o);
		return o;
	}

	/* The endpoint's kqueue, made before the step picks its number
	 * (Observer::prepare). */
	void prepare(int slot) override
	{
		registrations_.prepare(slot);
	}

	/* Contract: the mode's re-arm change for each of the interest's
	 * filters of the registered descriptor (Mode::arm_flags), with
	 * EV_RECEIPT where defined: ret 0, or ret -1 with the first refused
	 * filter's errno and failed_call. Without EV_RECEIPT each change is
	 * its own kevent() with no eventlist, so it can neither collect (and
	 * so consume) an event nor hide an error: kevent() returns -1 for it.
	 * Before the endpoint's first `pol`, or with no filter, nothing to
	 * re-arm: a note says so. */
	Observation rearm(const PolTarget &target) override
	{
		Observation o;
		const Registrations::Registration *r = registrations_.for_rearm(target.slot, o);
		if (!r)
			return o;
		const int kq = r->instance.fd;
		const struct timespec zero = {};
		struct kevent changes[kqueue_max_filters];
		int n = kqueue_changes(interest_, r->rearm_fd(target), mode_.arm_flags | kqueue_receipt, changes);
		if (n == 0) {
			o.note = "the interest registers no filter: nothing to re-arm";
			return o;
		}
		int err = 0;
		if (kqueue_receipt != 0) {
			struct kevent results[kqueue_max_filters] = {};
			int got = os::kevent(kq, changes, n, results, n, &zero);
			if (got < 0)
				err = errno;
			for (int i = 0; i < got && err == 0; i++)
				if ((results[i].flags & EV_ERROR) != 0 && results[i].data != 0)
					err = (int)results[i].data;
		} else {
			for (int i = 0; i < n && err == 0; i++)
				if (os::kevent(kq, &changes[i], 1, nullptr, 0, &zero) < 0)
					err = errno;
		}
		if (err != 0) {
			o.ret = -1;
			o.err = err;
			o.failed_call = mode_.arm_call;
		}
		return o;
	}

private:
	uint32_t interest_;
	Mode mode_;
	Registrations registrations_;
};

constexpr Mode clear_mode = {EV_CLEAR, EV_ADD | EV_CLEAR, "kevent(EV_ADD|EV_CLEAR)"};
constexpr Mode oneshot_mode = {EV_ONESHOT, EV_ADD | EV_ONESHOT, "kevent(EV_ADD|EV_ONESHOT)"};

std::unique_ptr<Observer> open_clear(uint32_t interest)
{
	return std::unique_ptr<Observer>(new PersistentKqueueObserver(interest, clear_mode));
}

std::unique_ptr<Observer> open_oneshot(uint32_t interest)
{
	return std::unique_ptr<Observer>(new PersistentKqueueObserver(interest, oneshot_mode));
}

#ifdef EV_DISPATCH
constexpr Mode dispatch_mode = {EV_DISPATCH, EV_ENABLE, "kevent(EV_ENABLE)"};

std::unique_ptr<Observer> open_dispatch(uint32_t interest)
{
	return std::unique_ptr<Observer>(new PersistentKqueueObserver(interest, dispatch_mode));
}

const char *dispatch_unavailable()
{
	return kqueue_unavailable();
}
#else
/* Never called: a run only opens an available backend. */
std::unique_ptr<Observer> open_dispatch(uint32_t)
{
	return nullptr;
}

const char *dispatch_unavailable()
{
	return "this OS's <sys/event.h> has no EV_DISPATCH";
}
#endif

#ifdef EV_RECEIPT
#define PM_KQUEUE_ADD_TEXT "EV_ADD|EV_RECEIPT"
#else
#define PM_KQUEUE_ADD_TEXT "EV_ADD"
#endif

} // namespace

extern const Backend backend_kqueue = {
	"kqueue",
#ifdef EV_RECEIPT
	"kevent() level-triggered for the interest's filters, timeout 0, added (EV_ADD|EV_RECEIPT) and deleted around each call; " PM_KQUEUE_INTEREST_ASKS "; kqueue made by " PM_KQUEUE_CREATE,
#else
	"kevent() level-triggered for the interest's filters, timeout 0, added (EV_ADD; this OS has no EV_RECEIPT) and deleted around each call; " PM_KQUEUE_INTEREST_ASKS "; kqueue made by " PM_KQUEUE_CREATE,
#endif
	kqueue_unavailable,
	open_observer<KqueueObserver>,
	kqueue_flags,
	kqueue_flags_count,
	kqueue_filters,
	kqueue_filters_count,
	"kevents",
	false,
	PM_KQUEUE_EXPRESSES,
	kqueue_interest,
	kqueue_interest_count,
};

extern const Backend backend_kqueue_clear = {
	"kqueue-clear",
	"kevent() with no change, timeout 0; the interest's filters are added (" PM_KQUEUE_ADD_TEXT "|EV_CLEAR) at the endpoint's first pol and stay; arm adds them again; " PM_KQUEUE_INTEREST_ASKS "; a kqueue per endpoint made by " PM_KQUEUE_CREATE,
	kqueue_unavailable,
	open_clear,
	kqueue_flags,
	kqueue_flags_count,
	kqueue_filters,
	kqueue_filters_count,
	"kevents",
	true,
	PM_KQUEUE_EXPRESSES,
	kqueue_interest,
	kqueue_interest_count,
};

extern const Backend backend_kqueue_oneshot = {
	"kqueue-oneshot",
	"kevent() with no change, timeout 0; the interest's filters are added (" PM_KQUEUE_ADD_TEXT "|EV_ONESHOT) at the endpoint's first pol, deleted by the kernel when retrieved; arm adds them again; " PM_KQUEUE_INTEREST_ASKS "; a kqueue per endpoint made by " PM_KQUEUE_CREATE,
	kqueue_unavailable,
	open_oneshot,
	kqueue_flags,
	kqueue_flags_count,
	kqueue_filters,
	kqueue_filters_count,
	"kevents",
	true,
	PM_KQUEUE_EXPRESSES,
	kqueue_interest,
	kqueue_interest_count,
};

extern const Backend backend_kqueue_dispatch = {
	"kqueue-dispatch",
	"kevent() with no change, timeout 0; the interest's filters are added (" PM_KQUEUE_ADD_TEXT "|EV_DISPATCH) at the endpoint's first pol, disabled by the kernel when retrieved; arm enables them (EV_ENABLE); " PM_KQUEUE_INTEREST_ASKS "; a kqueue per endpoint made by " PM_KQUEUE_CREATE,
	dispatch_unavailable,
	open_dispatch,
	kqueue_flags,
	kqueue_flags_count,
	kqueue_filters,
	kqueue_filters_count,
	"kevents",
	true,
	PM_KQUEUE_EXPRESSES,
	kqueue_interest,
	kqueue_interest_count,
};

} // namespace pollmatrix

#endif /* HAVE_KQUEUE */
