/*
 * kqueue.h - the kqueue vocabulary of kqueue.cc's four backends: the flag
 * and filter tables, how an interest becomes filters, how the kqueue
 * descriptor is made, and how a returned kevent is kept. macOS and the BSDs
 * only.
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
 *
 * Sources for the constants and semantics (cited below as "XNU", "FreeBSD",
 * ...):
 *   XNU      apple-oss-distributions/xnu bsd/sys/event.h (commit 1031c584),
 *            kqueue(2) (xnu bsd/man/man2/kqueue.2).
 *   FreeBSD  freebsd-src sys/sys/event.h (FreeBSD 14/15: the version with
 *            kqueuex()), kqueue(2) for FreeBSD 14.3 and 15.1.
 *   OpenBSD  openbsd/src sys/sys/event.h (rev 1.56, 2021; rev 1.74, 2025).
 *   NetBSD   NetBSD/src sys/sys/event.h (rev 1.54, 2022), kqueue(2) 6.0-10.0.
 *   DragonFly DragonFlyBSD sys/sys/event.h; EV_RECEIPT came from FreeBSD in
 *            DragonFly commit 790e2e54.
 * Nothing here is compiled on Linux; test/kq-compile/ checks that it
 * compiles against each of those headers' values and behaves as described.
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

#include "../os/os.h"
#include "backend.h"
#include "interest.h"

namespace pollmatrix {

/* Flag names, one #ifdef per entry, from this OS's own constants. A returned
 * kevent carries the flags it was registered with (EV_ADD, EV_RECEIPT on
 * macOS) besides the output ones, so input flags are named too. Left out on
 * purpose, because a name there would mislabel a returned bit:
 *   EV_SYSFLAGS (0xF000, all systems) is a mask "reserved by system"; as an
 *     entry it swallows EV_EOF 0x8000 (the EV_EOF|EV_SYSFLAGS in mio PR #1091's
 *     macOS log).
 *   EV_FLAG0 / EV_POLL (XNU 0x1000): input-only ("the determination should be
 *     made via poll(2) semantics"); on DragonFly 0x1000 is EV_NODATA, on
 *     FreeBSD EV_DROP, a kernel-internal "note should be dropped".
 *   EV_FLAG1 (0x2000): "filter-specific"; named only as XNU's EV_OOBAND.
 *   EV_FLAG2 (FreeBSD 0x4000) is the same bit as EV_ERROR.
 *   EV_DISPATCH2 (XNU) is EV_DISPATCH|EV_UDATA_SPECIFIC, a combination.
 * The static_assert below holds every entry to one bit, each bit named once.
 * constexpr, so of internal linkage: kqueue.cc's own. */
constexpr FlagName kqueue_flags[] = {
	{EV_ADD, "ADD"},
	{EV_DELETE, "DELETE"},
	{EV_ENABLE, "ENABLE"},
	{EV_DISABLE, "DISABLE"},
	{EV_ONESHOT, "ONESHOT"},
	{EV_CLEAR, "CLEAR"},
#ifdef EV_RECEIPT
	{EV_RECEIPT, "RECEIPT"},
#endif
#ifdef EV_DISPATCH
	{EV_DISPATCH, "DISPATCH"},
#endif
/* XNU 0x0100: "unique kevent per udata value" (input). */
#ifdef EV_UDATA_SPECIFIC
	{EV_UDATA_SPECIFIC, "UDATA_SPECIFIC"},
#endif
/* XNU 0x0200: "report that source has vanished" (output, with EV_DISPATCH2). */
#ifdef EV_VANISHED
	{EV_VANISHED, "VANISHED"},
#endif
/* FreeBSD 0x0100: "enable _ONESHOT and force trigger" (input action). */
#ifdef EV_FORCEONESHOT
	{EV_FORCEONESHOT, "FORCEONESHOT"},
#endif
/* FreeBSD 0x0200 (14.1 and later): "do not update the udata field" (input). */
#ifdef EV_KEEPUDATA
	{EV_KEEPUDATA, "KEEPUDATA"},
#endif
/* DragonFly 0x1000: "EOF and no more data". */
#ifdef EV_NODATA
	{EV_NODATA, "NODATA"},
#endif
/* XNU: EV_OOBAND is EV_FLAG1 (0x2000). "On output, EV_OOBAND indicates the
 * presence of OOB data on the descriptor" (EVFILT_READ). This backend never
 * sets it on input, so a returned 0x2000 has that output meaning. */
#ifdef EV_OOBAND
	{EV_OOBAND, "OOBAND"},
#endif
	/* "error, data contains errno" (all systems: 0x4000). */
	{EV_ERROR, "ERROR"},
	/* "EOF detected" (all systems: 0x8000). */
	{EV_EOF, "EOF"},
};

/* Filter values, one #ifdef per entry. They are values, not bits, and differ
 * by system: -8 is XNU's EVFILT_MACHPORT, FreeBSD's EVFILT_PROCDESC,
 * OpenBSD's EVFILT_DEVICE and DragonFly's EVFILT_EXCEPT; NetBSD counts up from
 * EVFILT_READ = 0U. Each OS only defines its own. */
constexpr FilterName kqueue_filters[] = {
	{(int32_t)EVFILT_READ, "READ"},
	{(int32_t)EVFILT_WRITE, "WRITE"},
/* XNU -15, OpenBSD -9, DragonFly -8: OOB and other exceptional conditions. */
#ifdef EVFILT_EXCEPT
	{(int32_t)EVFILT_EXCEPT, "EXCEPT"},
#endif
#ifdef EVFILT_AIO
	{(int32_t)EVFILT_AIO, "AIO"},
#endif
#ifdef EVFILT_VNODE
	{(int32_t)EVFILT_VNODE, "VNODE"},
#endif
#ifdef EVFILT_PROC
	{(int32_t)EVFILT_PROC, "PROC"},
#endif
#ifdef EVFILT_SIGNAL
	{(int32_t)EVFILT_SIGNAL, "SIGNAL"},
#endif
#ifdef EVFILT_TIMER
	{(int32_t)EVFILT_TIMER, "TIMER"},
#endif
#ifdef EVFILT_MACHPORT
	{(int32_t)EVFILT_MACHPORT, "MACHPORT"},
#endif
#ifdef EVFILT_FS
	{(int32_t)EVFILT_FS, "FS"},
#endif
#ifdef EVFILT_USER
	{(int32_t)EVFILT_USER, "USER"},
#endif
#ifdef EVFILT_VM
	{(int32_t)EVFILT_VM, "VM"},
#endif
#ifdef EVFILT_PROCDESC
	{(int32_t)EVFILT_PROCDESC, "PROCDESC"},
#endif
#ifdef EVFILT_LIO
	{(int32_t)EVFILT_LIO, "LIO"},
#endif
#ifdef EVFILT_SENDFILE
	{(int32_t)EVFILT_SENDFILE, "SENDFILE"},
#endif
#ifdef EVFILT_EMPTY
	{(int32_t)EVFILT_EMPTY, "EMPTY"},
#endif
#ifdef EVFILT_DEVICE
	{(int32_t)EVFILT_DEVICE, "DEVICE"},
#endif
};
constexpr size_t kqueue_flags_count = sizeof(kqueue_flags) / sizeof(kqueue_flags[0]);
constexpr size_t kqueue_filters_count = sizeof(kqueue_filters) / sizeof(kqueue_filters[0]);

template <size_t N>
constexpr bool one_bit_each_named_once(const FlagName (&table)[N])
{
	for (size_t i = 0; i < N; i++) {
		uint32_t v = table[i].value;
		if (v == 0 || (v & (v - 1)) != 0)
			return false;
		for (size_t j = 0; j < i; j++)
			if (table[j].value == v)
				return false;
	}
	return true;
}

template <size_t N>
constexpr bool each_value_named_once(const FilterName (&table)[N])
{
	for (size_t i = 0; i < N; i++)
		for (size_t j = 0; j < i; j++)
			if (table[j].value == table[i].value)
				return false;
	return true;
}

static_assert(one_bit_each_named_once(kqueue_flags),
              "a kqueue flag entry is a mask or an alias (EV_SYSFLAGS, EV_FLAG2 == EV_ERROR...)");
static_assert(each_value_named_once(kqueue_filters), "two kqueue filter names share a value");

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
	", RDHUP -> nothing (EV_EOF comes unasked); RDNORM RDBAND WRNORM WRBAND MSG ERR HUP refused; no filter: kevent() with no change"

/* How kqueue asks for each interest bit (interest.h): a filter for IN, OUT
 * and PRI (above); RDHUP is not asked, EV_EOF comes with EVFILT_READ
 * unasked (kqueue(2): "the filter also sets EV_EOF in flags"). kqueue(2)
 * documents no filter for the X/Open band bits, MSG, ERR or HUP (an error or
 * an EOF comes as EV_EOF/EV_ERROR on the read or write filter), so those
 * are refused. */
constexpr InterestMapping kqueue_interest[] = {
	{interest_in, "EVFILT_READ", nullptr},
#if PM_KQUEUE_PRI
	{interest_pri, "EVFILT_EXCEPT with NOTE_OOB", nullptr},
#else
	{interest_pri, "nothing", "this OS's kqueue has no EVFILT_EXCEPT with NOTE_OOB: PRI not asked"},
#endif
	{interest_out, "EVFILT_WRITE", nullptr},
	{interest_rdnorm, nullptr, "kqueue has no filter for RDNORM"},
	{interest_rdband, nullptr, "kqueue has no filter for RDBAND"},
	{interest_wrnorm, nullptr, "kqueue has no filter for WRNORM"},
	{interest_wrband, nullptr, "kqueue has no filter for WRBAND"},
	{interest_msg, nullptr, "kqueue has no filter for MSG"},
	{interest_err, nullptr, "kqueue has no filter for ERR"},
	{interest_hup, nullptr, "kqueue has no filter for HUP"},
	{interest_rdhup, "nothing", "kqueue has no filter for RDHUP: not asked; EV_EOF comes with EVFILT_READ unasked"},
};
constexpr size_t kqueue_interest_count = sizeof(kqueue_interest) / sizeof(kqueue_interest[0]);

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
 * function since event.h rev 1.54 (2022), FreeBSD's zeroes ext[4]. Before,
 * NetBSD's was a macro that names its first argument once per field (six
 * times: NetBSD 7.99.34's sys/event.h, which the rump build compiles
 * against), so the pointer is worked out first: `EV_SET(&changes[n++],
 * ...)` would set six fields of six different changes there. */
inline int kqueue_changes(uint32_t interest, int fd, unsigned flags, struct kevent (&changes)[kqueue_max_filters])
{
	using flags_type = decltype(changes[0].flags);
	int n = 0;

	for (struct kevent &change : changes)
		change = {};
	struct kevent *change;
	if (interest & interest_in) {
		change = &changes[n++];
		EV_SET(change, (uintptr_t)fd, EVFILT_READ, (flags_type)flags, 0, 0, 0);
	}
	if (interest & interest_out) {
		change = &changes[n++];
		EV_SET(change, (uintptr_t)fd, EVFILT_WRITE, (flags_type)flags, 0, 0, 0);
	}
#if PM_KQUEUE_PRI
	if (interest & interest_pri) {
		change = &changes[n++];
		EV_SET(change, (uintptr_t)fd, EVFILT_EXCEPT, (flags_type)flags, NOTE_OOB, 0, 0);
	}
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
	o.ignored += foreign;
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

inline Instance kqueue_create()
{
#if defined(KQUEUE_CLOEXEC)
	int fd = os::kqueuex(KQUEUE_CLOEXEC);
	if (fd < 0)
		return {-1, "kqueuex", errno};
#elif defined(__NetBSD__) || defined(PM_KQUEUE1)
	int fd = os::kqueue1(O_CLOEXEC);
	if (fd < 0)
		return {-1, "kqueue1", errno};
#else
	int fd = os::kqueue();
	if (fd < 0)
		return {-1, "kqueue", errno};
	if (os::fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int err = errno;
		os::close(fd);
		return {-1, "fcntl(FD_CLOEXEC)", err};
	}
#endif
	return {fd, nullptr, 0};
}

} // namespace pollmatrix
