/*
 * kqueue_flags.h - what the kqueue backends share: the flag and filter tables
 * (defined in backend_kqueue.cc), how an interest becomes filters, how the
 * kqueue descriptor is made, and how a returned kevent is kept. Included by
 * backend_kqueue.cc (level-triggered) and backend_kqueue_modes.cc
 * (kqueue-clear, -oneshot, -dispatch), so no second table or mapping can
 * drift from the first. macOS and the BSDs only.
 *
 * Interest (interest.h) -> filters, in this order:
 *   IN    -> EVFILT_READ
 *   OUT   -> EVFILT_WRITE
 *   PRI   -> EVFILT_EXCEPT with fflags NOTE_OOB, where the header defines
 *            both: XNU (EVFILT_EXCEPT -15, NOTE_OOB 0x2: "the arrival of
 *            out-of-band data on a socket descriptor", kqueue(2)), OpenBSD
 *            (-9, NOTE_OOB 0x4, event.h rev 1.56 and 1.74: "OOB data on a
 *            socket"), DragonFly (-8, NOTE_OOB 0x2). FreeBSD has neither
 *            (epoll-shim: "EPOLLPRI unsupported by FreeBSD's kqueue"), nor
 *            does NetBSD's event.h rev 1.54: there PRI registers nothing.
 *   RDHUP -> nothing: EV_EOF comes with EVFILT_READ unasked (kqueue(2)).
 * An interest with no filter (""; "RDHUP"; "PRI" where there is no
 * EVFILT_EXCEPT) registers nothing: a `pol` is one kevent() with no change.
 */
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>

/* kqueue(2) SYNOPSIS (all five systems) includes these. */
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "interest.h"

namespace pollmatrix {

extern const FlagName kqueue_flags[];
extern const size_t kqueue_flags_count;
extern const FilterName kqueue_filters[];
extern const size_t kqueue_filters_count;

/* nullptr when a kqueue can be made here the way the observers make it
 * (kqueue_create below), else why not. Defined in backend_kqueue.cc. */
const char *kqueue_unavailable();

/* EV_RECEIPT ("on FreeBSD since release 8.1 and on OSX since Release 10.5",
 * DragonFly commit 790e2e54, which brought it there; OpenBSD and NetBSD
 * define it too): "When passed as input, it forces EV_ERROR to always be
 * returned. When a filter is successfully added the data field will be
 * zero" (kqueue(2)). So each change brings back its own result. */
#ifdef EV_RECEIPT
constexpr unsigned kqueue_receipt = EV_RECEIPT;
#else
constexpr unsigned kqueue_receipt = 0;
#endif

#if defined(EVFILT_EXCEPT) && defined(NOTE_OOB)
#define PM_KQUEUE_PRI 1
#define PM_KQUEUE_PRI_ASKS "PRI -> EVFILT_EXCEPT with NOTE_OOB"
#else
#define PM_KQUEUE_PRI 0
#define PM_KQUEUE_PRI_ASKS "PRI -> nothing (this OS has no EVFILT_EXCEPT with NOTE_OOB)"
#endif

/* The interest mapping for `pollmatrix backends`. */
#define PM_KQUEUE_INTEREST_ASKS                                                                              \
	"interest IN -> EVFILT_READ, OUT -> EVFILT_WRITE, " PM_KQUEUE_PRI_ASKS                             \
	", RDHUP -> nothing (EV_EOF comes unasked); no filter: kevent() with no change"

/* What a kqueue can express: priority only through XNU's EV_OOBAND on
 * EVFILT_READ or a returned EVFILT_EXCEPT. */
#if defined(EV_OOBAND) || PM_KQUEUE_PRI
#define PM_KQUEUE_EXPRESSES PM_ALL_PROPERTIES
#else
#define PM_KQUEUE_EXPRESSES "readable writable read-closed hangup error invalid"
#endif

/* At most one change per filter an interest can ask for. */
constexpr int kqueue_max_filters = 3;

/* The changes for `interest` on `fd` with the action flags `flags`, into
 * `changes`; returns how many. EV_SET and casts keep this one text for every
 * field layout: ident uintptr_t everywhere; filter int16_t (XNU), short
 * (FreeBSD, OpenBSD, DragonFly) or uint32_t (NetBSD); flags uint16_t /
 * u_short / uint32_t; data intptr_t or int64_t; udata void * (NetBSD before
 * 10: intptr_t, hence 0 rather than nullptr). NetBSD's EV_SET is an inline
 * function, FreeBSD's zeroes ext[4]. */
inline int kqueue_changes(uint32_t interest, int fd, unsigned flags, struct kevent (&changes)[kqueue_max_filters])
{
	using flags_type = decltype(changes[0].flags);
	int n = 0;

	for (struct kevent &change : changes)
		change = {};
	if (interest & interest_in)
		EV_SET(&changes[n++], (uintptr_t)fd, EVFILT_READ, (flags_type)flags, 0, 0, 0);
	if (interest & interest_out)
		EV_SET(&changes[n++], (uintptr_t)fd, EVFILT_WRITE, (flags_type)flags, 0, 0, 0);
#if PM_KQUEUE_PRI
	if (interest & interest_pri)
		EV_SET(&changes[n++], (uintptr_t)fd, EVFILT_EXCEPT, (flags_type)flags, NOTE_OOB, 0, 0);
#endif
	return n;
}

/* One returned kevent, kept as it came, with which fields hold an errno:
 * for EVFILT_READ/EVFILT_WRITE on a socket "the filter also sets EV_EOF in
 * flags, and returns the socket error (if any) in fflags" (kqueue(2), XNU and
 * FreeBSD); EV_ERROR means "data contains errno" (event.h, all systems). */
inline KeventRecord kqueue_record(const struct kevent &ev)
{
	KeventRecord r;
	r.ident = (uint64_t)ev.ident;
	r.filter = (int32_t)ev.filter;
	r.flags = (uint32_t)ev.flags;
	r.fflags = (uint32_t)ev.fflags;
	r.data = (int64_t)ev.data;
	bool read_or_write = r.filter == (int32_t)EVFILT_READ || r.filter == (int32_t)EVFILT_WRITE;
	r.fflags_is_errno = read_or_write && (r.flags & (uint32_t)EV_EOF) != 0 && r.fflags != 0;
	r.data_is_errno = (r.flags & (uint32_t)EV_ERROR) != 0 && r.data != 0;
	return r;
}

/* Keeps the returned kevents that are about `fd`; one about another ident
 * (a registration left from an earlier descriptor, an emulation's stale
 * entry) is not this descriptor's readiness: it is counted in the note
 * instead (issue 10). */
inline void kqueue_keep(const struct kevent *events, int n, int fd, Observation &o)
{
	int foreign = 0;
	uint64_t first = 0;
	for (int i = 0; i < n; i++) {
		if (events[i].ident == (uintptr_t)fd) {
			o.kevents.push_back(kqueue_record(events[i]));
		} else if (foreign++ == 0) {
			first = (uint64_t)events[i].ident;
		}
	}
	if (foreign == 0)
		return;
	std::string text = "ignored " + std::to_string(foreign) + (foreign == 1 ? " kevent" : " kevents") +
	                   " for ident " + std::to_string(first) + (foreign > 1 ? " and others" : "") +
	                   ", not the polled descriptor " + std::to_string(fd);
	o.note = o.note.empty() ? text : o.note + "; " + text;
}

/* How the kqueue descriptor is made, close-on-exec from its first moment
 * where the OS can (issue 10):
 *   FreeBSD 14+: kqueuex(KQUEUE_CLOEXEC) ("The returned file descriptor is
 *     automatically closed on execve(2)", kqueue(2) 14.3/15.1; the header
 *     defines KQUEUE_CLOEXEC with it).
 *   NetBSD 6+:   kqueue1(O_CLOEXEC) (kqueue(2) NetBSD 6.0 to 10.0). The
 *     header has no macro that says so: __NetBSD__ selects it
 *     (test/kq-compile builds the NetBSD variant with -DPM_KQUEUE1).
 *   elsewhere:   kqueue() then fcntl(F_SETFD, FD_CLOEXEC) at once (macOS has
 *     no kqueue1; OpenBSD declares kqueue1 only since event.h rev 1.74, 2025,
 *     with no macro to test). A kqueue is not inherited across fork()
 *     (kqueue(2), all systems), so only an exec() without fork in between
 *     could see it unflagged. */
#if defined(KQUEUE_CLOEXEC)
#define PM_KQUEUE_CREATE "kqueuex(KQUEUE_CLOEXEC)"
#elif defined(__NetBSD__) || defined(PM_KQUEUE1)
#define PM_KQUEUE_CREATE "kqueue1(O_CLOEXEC)"
#else
#define PM_KQUEUE_CREATE "kqueue() and fcntl(FD_CLOEXEC)"
#endif

struct KqueueCreated {
	int fd;
	/* On failure: the call that failed and its errno. */
	const char *call;
	int err;
};

inline KqueueCreated kqueue_create()
{
#if defined(KQUEUE_CLOEXEC)
	int fd = kqueuex(KQUEUE_CLOEXEC);
	if (fd < 0)
		return {-1, "kqueuex", errno};
#elif defined(__NetBSD__) || defined(PM_KQUEUE1)
	int fd = kqueue1(O_CLOEXEC);
	if (fd < 0)
		return {-1, "kqueue1", errno};
#else
	int fd = kqueue();
	if (fd < 0)
		return {-1, "kqueue", errno};
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int err = errno;
		close(fd);
		return {-1, "fcntl(FD_CLOEXEC)", err};
	}
#endif
	return {fd, nullptr, 0};
}

} // namespace pollmatrix
