/*
 * backend_kqueue.cc - kevent(2), level-triggered, asked the way the epoll
 * backend asks epoll_wait(): EVFILT_READ and EVFILT_WRITE are added for the
 * descriptor (EV_ADD, no EV_CLEAR), kevent() collects what is pending with
 * timeout 0, then both filters are deleted again so every `pol` starts fresh.
 * The kqueue descriptor is made at the scenario's first `pol` and lives to the
 * end of the scenario. macOS and the BSDs; the registry lists it as
 * unavailable elsewhere.
 *
 * Sources for the constants and semantics (cited below as "XNU", "FreeBSD",
 * ...):
 *   XNU      apple-oss-distributions/xnu bsd/sys/event.h (commit 1031c584),
 *            kqueue(2) (xnu bsd/man/man2/kqueue.2).
 *   FreeBSD  freebsd-src sys/sys/event.h (FreeBSD 14/15: the version with
 *            kqueuex()), kqueue(2) for FreeBSD 14.3 and 15.1.
 *   OpenBSD  openbsd/src sys/sys/event.h (rev 1.56, 2021).
 *   NetBSD   NetBSD/src sys/sys/event.h (rev 1.54, 2022).
 *   DragonFly DragonFlyBSD sys/sys/event.h; EV_RECEIPT came from FreeBSD in
 *            DragonFly commit 790e2e54.
 * Nothing here is compiled on Linux; test/kq-compile/ checks that it
 * compiles against each of those headers' values and behaves as described.
 */
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>

/* kqueue(2) SYNOPSIS (all five systems) includes these three. */
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"

namespace pollmatrix {

namespace {

/* EV_RECEIPT ("on FreeBSD since release 8.1 and on OSX since Release 10.5",
 * DragonFly commit 790e2e54, which brought it there; OpenBSD and NetBSD
 * define it too): "When passed as input, it forces EV_ERROR to always be
 * returned. When a filter is successfully added the data field will be
 * zero" (kqueue(2)). So each change brings back its own result. Without it,
 * kqueue(2) still promises: "If an error occurs while processing an element
 * of the changelist and there is enough room in the eventlist, then the event
 * will be placed in the eventlist with EV_ERROR set in flags and the system
 * error in data." Either way the eventlist gets one slot per change. */
#ifdef EV_RECEIPT
const unsigned receipt = EV_RECEIPT;
#else
const unsigned receipt = 0;
#endif

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
 * The static_assert below holds every entry to one bit, each bit named once. */
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

/* What one `pol` registers: both filters of one descriptor. */
const int nfilters_asked = 2;

/* Only ENOENT ("The event could not be found to be modified or deleted",
 * kqueue(2): its EV_ADD failed) and EBADF (the descriptor was closed, and
 * "Calling close() on a file descriptor will remove any kevents that
 * reference the descriptor") are expected when deleting. */
bool harmless_delete_error(int err)
{
	return err == ENOENT || err == EBADF;
}

/* Both filters of `fd` with the given action flags. EV_SET and casts keep
 * this one text for every field layout: ident uintptr_t everywhere; filter
 * int16_t (XNU), short (FreeBSD, OpenBSD, DragonFly) or uint32_t (NetBSD);
 * flags uint16_t / u_short / uint32_t; data intptr_t or int64_t; udata void *
 * (NetBSD before 10: intptr_t, hence 0 rather than nullptr). NetBSD's EV_SET
 * is an inline function, FreeBSD's zeroes ext[4]. */
void set_changes(struct kevent (&changes)[nfilters_asked], int fd, unsigned flags)
{
	using flags_type = decltype(changes[0].flags);

	for (struct kevent &change : changes)
		change = {};
	EV_SET(&changes[0], (uintptr_t)fd, EVFILT_READ, (flags_type)flags, 0, 0, 0);
	EV_SET(&changes[1], (uintptr_t)fd, EVFILT_WRITE, (flags_type)flags, 0, 0, 0);
}

/* One returned kevent, kept as it came, with which fields hold an errno:
 * for EVFILT_READ/EVFILT_WRITE on a socket "the filter also sets EV_EOF in
 * flags, and returns the socket error (if any) in fflags" (kqueue(2), XNU and
 * FreeBSD); EV_ERROR means "data contains errno" (event.h, all systems). */
KeventRecord record(const struct kevent &ev)
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

class KqueueObserver : public Observer {
public:
	/* The kqueue descriptor is made here, at the scenario's first `pol`,
	 * as the epoll backend makes its descriptor. */
	explicit KqueueObserver(uint32_t) : kq_(kqueue()), create_errno_(kq_ < 0 ? errno : 0) {}

	~KqueueObserver() override
	{
		if (kq_ >= 0)
			close(kq_);
	}

	/* Contract: add EVFILT_READ and EVFILT_WRITE for `fd` (EV_ADD, level-
	 * triggered, EV_RECEIPT where defined), kevent() once for at most 8
	 * events with timeout 0, then delete both filters.
	 * - A failed registration (EBADF on a closed descriptor; EPIPE on OS X
	 *   10.10/10.11 for a pipe whose peer is gone, tokio-rs/mio#582) is part
	 *   of the observation: its receipt (EV_ERROR, data = errno) is kept in
	 *   kevents, before the returned events. Successful receipts (data 0)
	 *   are not kept.
	 * - ret/err are the observing kevent()'s; a registering kevent() that
	 *   fails as a whole gives ret -1 and failed_call "kevent(EV_ADD)".
	 * - Deletion ignores ENOENT and EBADF; another failure is reported as
	 *   failed_call "kevent(EV_DELETE)" unless an earlier call failed.
	 * - raw stays 0: kqueue has no result mask, only kevents. */
	Observation observe(const PolTarget &target) override
	{
		int fd = target.fd;
		Observation o;
		const struct timespec zero = {};

		if (kq_ < 0) {
			o.ret = -1;
			o.err = create_errno_;
			o.failed_call = "kqueue";
			return o;
		}
		add(fd, o, zero);
		if (o.ret == 0) {
			struct kevent events[8] = {};
			int n = kevent(kq_, nullptr, 0, events, 8, &zero);
			o.ret = n;
			o.err = n < 0 ? errno : 0;
			for (int i = 0; i < n; i++)
				o.kevents.push_back(record(events[i]));
		}
		remove(fd, o, zero);
		return o;
	}

private:
	/* Registers both filters. The eventlist has exactly one slot per
	 * change: with EV_RECEIPT the receipts fill it, so no pending event is
	 * collected here (XNU kevent_internal scans only when no receipt was
	 * written; FreeBSD scans for the slots left, none). The timeout is
	 * zero all the same: without EV_RECEIPT a successful registration
	 * leaves the slots free and kevent() goes on to collect events. */
	void add(int fd, Observation &o, const struct timespec &zero)
	{
		struct kevent changes[nfilters_asked];
		struct kevent results[nfilters_asked] = {};

		set_changes(changes, fd, EV_ADD | receipt);
		int n = kevent(kq_, changes, nfilters_asked, results, nfilters_asked, &zero);
		if (n < 0) {
			o.ret = -1;
			o.err = errno;
			o.failed_call = "kevent(EV_ADD)";
			return;
		}
		/* Without EV_RECEIPT an entry without EV_ERROR is an event this
		 * call collected. It is not kept: level-triggered, it is queued
		 * again and the observing call reports it (kqueue(2): "the filter
		 * is also run when the user attempts to retrieve the kevent"). */
		for (int i = 0; i < n; i++)
			if ((results[i].flags & EV_ERROR) != 0 && results[i].data != 0)
				o.kevents.push_back(record(results[i]));
	}

	/* Deletes both filters, so the next `pol` starts with none. */
	void remove(int fd, Observation &o, const struct timespec &zero)
	{
		struct kevent changes[nfilters_asked];
		struct kevent results[nfilters_asked] = {};
		int err = 0;

		set_changes(changes, fd, EV_DELETE | receipt);
		int n = kevent(kq_, changes, nfilters_asked, results, nfilters_asked, &zero);
		if (n < 0)
			err = errno; /* the call itself: per-change errors come as receipts */
		for (int i = 0; i < n && err == 0; i++)
			if ((results[i].flags & EV_ERROR) != 0 && results[i].data != 0 &&
			    !harmless_delete_error((int)results[i].data))
				err = (int)results[i].data;
		if (err != 0 && o.ret >= 0) {
			o.ret = -1;
			o.err = err;
			o.failed_call = "kevent(EV_DELETE)";
		}
	}

	int kq_;
	int create_errno_;
};

/* Cheap probe: a sandbox or emulation layer may refuse kqueue(). */
const char *kqueue_unavailable()
{
	int kq = kqueue();
	if (kq < 0)
		return "kqueue() fails here";
	close(kq);
	return nullptr;
}

} // namespace

extern const Backend backend_kqueue = {
	"kqueue",
#ifdef EV_RECEIPT
	"kevent() level-triggered for EVFILT_READ and EVFILT_WRITE, timeout 0, both added (EV_ADD|EV_RECEIPT) and deleted around each call",
#else
	"kevent() level-triggered for EVFILT_READ and EVFILT_WRITE, timeout 0, both added (EV_ADD; this OS has no EV_RECEIPT) and deleted around each call",
#endif
	kqueue_unavailable,
	open_observer<KqueueObserver>,
	kqueue_flags,
	sizeof(kqueue_flags) / sizeof(kqueue_flags[0]),
	kqueue_filters,
	sizeof(kqueue_filters) / sizeof(kqueue_filters[0]),
	"kevents",
	false,
	PM_ALL_PROPERTIES,
};

} // namespace pollmatrix
