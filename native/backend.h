/*
 * backend.h - one readiness mechanism behind one interface.
 *
 * A Backend is what a `pol` step asks: poll(), epoll_wait(), select(),
 * kevent(). Each lives in its own backend_<name>.cc and fills one Backend
 * descriptor, the way haproxy's pollers fill one `struct poller`. The registry
 * (registry.cc) is the only place that knows which ones this OS compiles.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pollmatrix {

/* One named bit of a mechanism's result mask, built from the OS's own
 * constant. Masks (EV_SYSFLAGS) and aliases never appear as entries. */
struct FlagName {
	uint32_t value;
	const char *name;
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
};

/* Per-scenario state of a mechanism (an epoll or kqueue descriptor). It is
 * created lazily at the first `pol` that uses it, as haproxy's tool creates its
 * epoll descriptor, so descriptor numbers match that tool's. The destructor
 * closes whatever it opened. */
class Observer {
public:
	virtual ~Observer() = default;
	/* Ask the mechanism about descriptor `fd` once, with a zero timeout. */
	virtual Observation observe(int fd) = 0;
};

struct Backend {
	const char *name;
	/* What a `pol` step asks, in one line (for `pollmatrix backends`). */
	const char *asks;
	/* nullptr when the mechanism can run here, else why not. Cheap. */
	const char *(*unavailable)(void);
	/* A fresh per-scenario observer; only called when available. */
	std::unique_ptr<Observer> (*open)(void);
	/* Names of the bits in Observation::raw (for kqueue: of kevent flags). */
	const FlagName *flags;
	size_t nflags;
	/* Names of the filter values of Observation::kevents; nullptr/0 for a
	 * mechanism without filters. */
	const FilterName *filters;
	size_t nfilters;
};

/* Backend::open for an Observer type that needs no arguments. */
template <typename T>
std::unique_ptr<Observer> open_observer()
{
	return std::unique_ptr<Observer>(new T());
}

/* Backend::unavailable for a mechanism every POSIX system has. */
inline const char *always_available()
{
	return nullptr;
}

/* Why `b` cannot run here, or nullptr. A positive probe is remembered for the
 * process (probes make and close a descriptor or a ring; run() asks once per
 * command); a negative one is asked again, in case it was passing (EMFILE). */
const char *backend_unavailable(const Backend *b);

/* Every backend pollmatrix knows, available here or not, in display order. */
const std::vector<const Backend *> &backend_registry();
const Backend *find_backend(const std::string &name);

} // namespace pollmatrix
