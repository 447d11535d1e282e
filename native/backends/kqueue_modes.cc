/*
 * backend_kqueue_modes.cc - kqueue with registrations that persist:
 * kqueue-clear (EV_CLEAR), kqueue-oneshot (EV_ONESHOT) and kqueue-dispatch
 * (EV_DISPATCH). DESIGN.md "Mode", as backend_epoll_modes.cc does for epoll:
 * the endpoint's filters (the interest's, kqueue_flags.h) are added at its
 * first `pol` with the mode flag and stay; every `pol` is then one kevent()
 * with no change and timeout 0, so a second `pol` shows what the mode leaves.
 * kqueue(2) (XNU, FreeBSD; the other systems say the same):
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
 * Each endpoint has a kqueue of its own, made (close-on-exec) at its first
 * `pol`, so a `pol` on one endpoint never consumes another's event. "Calling
 * close() on a file descriptor will remove any kevents that reference the
 * descriptor" (kqueue(2)): a `pol` after `clo` finds nothing, and an endpoint
 * open again (a FIFO end, possibly under its old number) is registered anew.
 * A returned kevent about another ident is left out and counted in the note.
 */
#include <map>
#include <memory>

#include "backend.h"
#include "kqueue_flags.h"

namespace pollmatrix {

namespace {

/* The `arm` change per mode: its action flags and what the step says when
 * it fails. */
struct Mode {
	unsigned flag;
	unsigned arm_flags;
	const char *arm_call;
};

class PersistentKqueueObserver : public Observer {
public:
	PersistentKqueueObserver(uint32_t interest, const Mode &mode) : interest_(interest), mode_(mode) {}

	~PersistentKqueueObserver() override
	{
		for (auto &entry : registrations_)
			if (entry.second.kq >= 0)
				close(entry.second.kq);
	}

	/* Contract: at the endpoint's first `pol` (or when it is open under a
	 * new descriptor) make its kqueue if needed and add the interest's
	 * filters with EV_ADD, the mode flag and EV_RECEIPT where defined; then
	 * one kevent() with no change for at most 8 events, timeout 0.
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
	/* The endpoint's kqueue, made before the step picks its number
	 * (Observer::prepare). */
	void prepare(int slot) override
	{
		Registration &r = registrations_[slot];
		if (r.kq >= 0)
			return;
		r.created = kqueue_create();
		r.kq = r.created.fd;
	}

	Observation observe(const PolTarget &target) override
	{
		Observation o;
		Registration &r = registrations_[target.slot];
		const struct timespec zero = {};

		prepare(target.slot);
		if (r.kq < 0)
			return mechanism_not_created(o, r.created.call, r.created.err);
		long collected = 0;
		bool accepted = true;
		bool registered = r.fd >= 0 && (r.generation == target.generation || !target.endpoint_open);
		if (!registered) {
			struct kevent changes[kqueue_max_filters];
			struct kevent results[kqueue_max_filters] = {};
			int n = kqueue_changes(interest_, target.fd, EV_ADD | mode_.flag | kqueue_receipt, changes);
			if (n > 0) {
				int got = kevent(r.kq, changes, n, results, n, &zero);
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
			if (accepted) {
				r.fd = target.fd;
				r.generation = target.generation;
			}
		}
		struct kevent events[8] = {};
		int got = kevent(r.kq, nullptr, 0, events, 8, &zero);
		o.ret = got < 0 ? got : got + collected;
		o.err = got < 0 ? errno : 0;
		kqueue_keep(events, got, target.fd, o);
		return o;
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
		auto found = registrations_.find(target.slot);
		if (found == registrations_.end() || found->second.fd < 0) {
			o.note = "not registered yet: the endpoint's first pol registers it";
			return o;
		}
		const Registration &r = found->second;
		const struct timespec zero = {};
		struct kevent changes[kqueue_max_filters];
		int n = kqueue_changes(interest_, r.fd, mode_.arm_flags | kqueue_receipt, changes);
		if (n == 0) {
			o.note = "the interest registers no filter: nothing to re-arm";
			return o;
		}
		int err = 0;
		if (kqueue_receipt != 0) {
			struct kevent results[kqueue_max_filters] = {};
			int got = kevent(r.kq, changes, n, results, n, &zero);
			if (got < 0)
				err = errno;
			for (int i = 0; i < got && err == 0; i++)
				if ((results[i].flags & EV_ERROR) != 0 && results[i].data != 0)
					err = (int)results[i].data;
		} else {
			for (int i = 0; i < n && err == 0; i++)
				if (kevent(r.kq, &changes[i], 1, nullptr, 0, &zero) < 0)
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
	struct Registration {
		int kq = -1;
		/* How the kqueue was made, or why it could not be. */
		KqueueCreated created = {};
		/* The registered descriptor, -1 before the first `pol`. */
		int fd = -1;
		unsigned generation = 0;
	};
	uint32_t interest_;
	Mode mode_;
	std::map<int, Registration> registrations_;
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
/* Never called: the registry only opens an available backend. */
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
};

} // namespace pollmatrix
