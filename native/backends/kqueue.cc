/*
 * backend_kqueue.cc - kevent(2), level-triggered, asked the way the epoll
 * backend asks epoll_wait(): the interest's filters (kqueue_flags.h: IN ->
 * EVFILT_READ, OUT -> EVFILT_WRITE, PRI -> EVFILT_EXCEPT with NOTE_OOB where
 * it exists, RDHUP -> nothing) are added for the descriptor (EV_ADD, no
 * EV_CLEAR), kevent() collects what is pending with timeout 0, then the
 * filters are deleted again so every `pol` starts fresh. An interest with no
 * filter makes a `pol` one kevent() with no change. The kqueue descriptor is
 * made close-on-exec at the scenario's first `pol` and lives to the end of the
 * scenario; returned kevents about another ident are left out and counted in
 * the step's note. The persistent modes are in backend_kqueue_modes.cc.
 * macOS and the BSDs; the registry lists it as unavailable elsewhere.
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
#include <memory>
#include <string>

#include "backend.h"
#include "kqueue_flags.h"

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


const size_t kqueue_flags_count = sizeof(kqueue_flags) / sizeof(kqueue_flags[0]);
const size_t kqueue_filters_count = sizeof(kqueue_filters) / sizeof(kqueue_filters[0]);

namespace {

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

/* Only ENOENT ("The event could not be found to be modified or deleted",
 * kqueue(2): its EV_ADD failed) and EBADF (the descriptor was closed, and
 * "Calling close() on a file descriptor will remove any kevents that
 * reference the descriptor") are expected when deleting. */
bool harmless_delete_error(int err)
{
	return err == ENOENT || err == EBADF;
}

class KqueueObserver : public Observer {
public:
	/* The kqueue descriptor is made here, at the scenario's first `pol`,
	 * as the epoll backend makes its descriptor; close-on-exec
	 * (kqueue_create). */
	explicit KqueueObserver(uint32_t interest) : interest_(interest), created_(kqueue_create()) {}

	~KqueueObserver() override
	{
		if (created_.fd >= 0)
			close(created_.fd);
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
			int got = kevent(created_.fd, nullptr, 0, events, 8, &zero);
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

		int got = kevent(created_.fd, changes, n, results, n, &zero);
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
		int got = kevent(created_.fd, changes, n, results, n, &zero);
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
	KqueueCreated created_;
};

} // namespace

/* The probe makes a kqueue exactly as an observer does (kqueue_create:
 * kqueuex, kqueue1 or kqueue+fcntl, close-on-exec), so a kernel without
 * kqueuex under a binary built for FreeBSD 14 (ENOSYS), a sandbox or an
 * emulation that refuses kqueue() says "unavailable" here rather than "not
 * measured" in every cell. It is cheap and harmless where it runs, the
 * caller's descriptor table: the descriptor is close-on-exec from its
 * creation (or at once after) and closed before the probe returns, and a
 * positive answer is remembered for the process (registry.cc), so it runs
 * once, never between a scenario's steps. */
const char *kqueue_unavailable()
{
	static std::string why;
	KqueueCreated kq = kqueue_create();
	if (kq.fd < 0) {
		Observation o;
		why = mechanism_not_created(o, kq.call, kq.err).not_measured;
		return why.c_str();
	}
	close(kq.fd);
	return nullptr;
}

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
};

} // namespace pollmatrix
