/*
 * backend.h - one readiness mechanism behind one interface.
 *
 * A Backend is what a `pol` step asks: poll(), epoll_wait(), select(),
 * kevent(). Each mechanism family has one file here (poll.cc, epoll.cc,
 * io_uring.cc, kqueue.cc, select.cc) that fills one Backend record per mode,
 * the way haproxy's pollers fill one `struct poller`. A family that only some
 * systems have guards its whole file with the HAVE_* macro binding.gyp
 * defines there. The one list (list.cc) names every backend, compiled here
 * or not; adding one is its file plus one line there.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "interest.h"

namespace pollmatrix {

/* One named bit of a mechanism's result mask, built from the OS's own
 * constant. Masks (EV_SYSFLAGS) and aliases never appear as entries. */
struct FlagName {
	uint32_t value;
	const char *name;
	/* The normalised properties this bit shows, space-separated ("hangup
	 * read-closed"); nullptr for a bit that shows none of them. */
	const char *means = nullptr;
};

/* One named value of a mechanism's filter field (kqueue's EVFILT_*), built
 * from the OS's own constant. A filter is a value, not a bit set: NetBSD
 * numbers them 0, 1, 2..., the others -1, -2, ... */
struct FilterName {
	int32_t value;
	const char *name;
};

/* One kevent as kevent() returned it, unreduced. The backend, which knows
 * its OS's EV_EOF and EV_ERROR, says which fields hold an errno, so the N-API
 * layer can name it without including <sys/event.h>:
 * fflags_is_errno: EVFILT_READ/WRITE with EV_EOF and a non-zero fflags (the
 *   socket error, kqueue(2)).
 * data_is_errno: EV_ERROR with a non-zero data (a failed change, kqueue(2)). */
struct KeventRecord {
	uint64_t ident;
	int32_t filter;
	uint32_t flags;
	uint32_t fflags;
	int64_t data;
	bool fflags_is_errno = false;
	bool data_is_errno = false;
};

/* What one `pol` step saw.
 * ret/err: the return value of the observing call and its errno (0 if none).
 * failed_call: when a preparatory call failed (epoll_ctl, kevent registration),
 *   its name; ret/err are then that call's.
 * raw: the returned mask (revents, epoll events, select's R/W/X bits); 0 when
 *   ret <= 0, as haproxy prints it.
 * not_measured: non-empty when the mechanism could not be asked at all, with
 *   the reason; nothing else is meaningful then. */
struct Observation {
	long ret = 0;
	int err = 0;
	const char *failed_call = nullptr;
	uint32_t raw = 0;
	std::vector<KeventRecord> kevents;
	std::string not_measured;
	/* What the step should say besides its result (`arm` on a mechanism
	 * that registers nothing; kevents about another ident left out). */
	std::string note;
	/* Returned kevents about another ident, left out of `kevents` but
	 * counted in `ret` (kqueue.h kqueue_keep), so a reader sees why ret=1
	 * comes with no event. */
	long ignored = 0;
};

/* The descriptor a `pol` or `arm` step acts on. */
struct PolTarget {
	int fd;
	/* The endpoint's slot (transport.h): persistent registrations are kept
	 * per endpoint. */
	int slot;
	/* false: the endpoint was closed (or never opened) and `fd` is a number
	 * certain to be closed (workers/descriptors.h). */
	bool endpoint_open;
	/* Counts the descriptors the endpoint has had (a FIFO end opened again
	 * may get its old number back): a registration made for an earlier one
	 * died with its close. */
	unsigned generation;
	/* The number a call on `number`, one this scenario was given earlier
	 * (a registration's), acts on now: `number` while the scenario still
	 * holds it open (the endpoint, or a copy dup set aside), else one
	 * certain to be closed. Unset: `number` itself. */
	int (*acts_on)(const void *scenario, int number) = nullptr;
	const void *scenario = nullptr;

	int now(int number) const
	{
		return acts_on ? acts_on(scenario, number) : number;
	}
};

/* The descriptor a mechanism asks through (an epoll instance, a kqueue, an
 * io_uring ring), as it was made, or the call that failed and its errno. */
struct Instance {
	int fd = -1;
	const char *call = nullptr;
	int err = 0;
};

/* Per-scenario state of a mechanism (an epoll or kqueue descriptor, the
 * registrations of a persistent mode). It is created lazily at the first
 * `pol` that uses it, as haproxy's tool creates its epoll descriptor, so
 * descriptor numbers match that tool's. The destructor closes whatever it
 * opened. `interest` (interest.h) is what every `pol` asks for. */
class Observer {
public:
	virtual ~Observer() = default;
	/* Ask the mechanism about the target once, with a zero timeout. A mode
	 * with persistent registrations registers the endpoint at its first
	 * `pol` and keeps it. */
	virtual Observation observe(const PolTarget &target) = 0;
	/* Called before the step picks the number it acts on: a mechanism
	 * that makes a descriptor per endpoint (the persistent modes) makes it
	 * here, so it cannot take a closed endpoint's number and then be asked
	 * about itself. A failure is kept and reported by observe(). */
	virtual void prepare(int slot)
	{
		(void)slot;
	}
	/* `arm`: re-arm the endpoint's persistent registration. A mechanism that
	 * asks afresh at every `pol` has nothing to re-arm and says so. */
	virtual Observation rearm(const PolTarget &target)
	{
		(void)target;
		Observation o;
		o.note = "this mechanism asks afresh at every pol: nothing to re-arm";
		return o;
	}
};

struct Backend {
	const char *name;
	/* What a `pol` step asks, in one line (for `pollmatrix backends`). */
	const char *asks;
	/* nullptr when the mechanism can run here, else why not. Cheap. */
	const char *(*unavailable)(void);
	/* A fresh per-scenario observer; only called when available. */
	std::unique_ptr<Observer> (*open)(uint32_t interest);
	/* Names of the bits in Observation::raw (for kqueue: of kevent flags). */
	const FlagName *flags;
	size_t nflags;
	/* Names of the filter values of Observation::kevents; nullptr/0 for a
	 * mechanism without filters. */
	const FilterName *filters;
	size_t nfilters;
	/* The observation kind, for the TypeScript module that reads it:
	 * "mask" (raw is a bit mask named by `flags`) or "kevents". */
	const char *observes;
	/* The registration lives from the endpoint's first `pol` to its close
	 * (edge-triggered, oneshot, dispatch modes); else each `pol` asks
	 * afresh. */
	bool persistent;
	/* The normalised properties this mechanism can express at all,
	 * space-separated (select cannot say "hangup"). */
	const char *expresses;
	/* What it asks for each interest bit (interest.h), one entry per bit:
	 * asked, asked with a note, or refused. nullptr/0 where not compiled. */
	const InterestMapping *interest_map;
	size_t ninterest;
};

/* Backend::open for an Observer type made from the interest alone. */
template <typename T>
std::unique_ptr<Observer> open_observer(uint32_t interest)
{
	return std::unique_ptr<Observer>(new T(interest));
}

/* Every property of the normalised view (README "The normalised view"). */
#define PM_ALL_PROPERTIES "readable writable read-closed hangup error priority invalid"

/* Backend::unavailable for a mechanism every POSIX system has. */
inline const char *always_available()
{
	return nullptr;
}

/* The mechanism itself could not be made (epoll_create1, io_uring_setup,
 * kqueue failed, e.g. EMFILE): nothing was asked about the descriptor, so the
 * observation is "not measured" with the call and its errno, never a result
 * such as "invalid". Returns `o` (backend.cc). */
Observation &mechanism_not_created(Observation &o, const char *call, int err);

/* Whether a backend can run here is asked where the scenarios run, on their
 * workers: workers/probe.h. */

/* The first bit of `interest` that `b` refuses: its mapping, whose note says
 * why (a bit missing from the table is refused too, as "no mapping"); or
 * nullptr when it maps every bit. (backend.cc, as the one below.) */
const InterestMapping *interest_refused(const Backend *b, uint32_t interest);

/* What the mapping changes in `interest` ("select has no set for RDHUP: not
 * asked"), the notes of its bits joined with "; ", or "" when nothing. Empty
 * for haproxy's default interest, whose mapping on each mechanism is the one
 * the README documents for that column (so haproxy's traces stay byte for
 * byte): a note is for a scenario that names a bit itself. */
std::string interest_note(const Backend *b, uint32_t interest);

/* Every backend pollmatrix knows, available here or not, in display order
 * (list.cc, as the one below). */
const std::vector<const Backend *> &backend_registry();
const Backend *find_backend(const std::string &name);

} // namespace pollmatrix
