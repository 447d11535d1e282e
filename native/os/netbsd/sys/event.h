/*
 * os/netbsd/sys/event.h - NetBSD's <sys/event.h> for the rump build (os.h,
 * "Vocabulary"): backends/kqueue.cc and kqueue.h compile against it, so the
 * kqueue backends register, decode and name NetBSD's own kevents. The
 * values, struct kevent and EV_SET are those of sys/event.h of the pinned
 * tree (NetBSD 7.99.34, 2016-07-28): filter and flags are uint32_t,
 * EVFILT_READ is 0U and filters count up, udata is an intptr_t, and there
 * is no EVFILT_USER and no EVFILT_EXCEPT (so PRI registers nothing,
 * kqueue.h). They are held to netbsd-abi.h, which
 * scripts/netbsd-abi-check.cc holds to that header. kqueue(), kqueue1()
 * and kevent() go to the system-call table (os::, rump.cc: rump_sys_*).
 */
#ifndef PM_NETBSD_SYS_EVENT_H
#define PM_NETBSD_SYS_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../netbsd-abi.h"

struct timespec;

#define EVFILT_READ 0U
#define EVFILT_WRITE 1U
#define EVFILT_AIO 2U    /* attached to aio requests */
#define EVFILT_VNODE 3U  /* attached to vnodes */
#define EVFILT_PROC 4U   /* attached to struct proc */
#define EVFILT_SIGNAL 5U /* attached to struct proc */
#define EVFILT_TIMER 6U  /* arbitrary timer (in ms) */
#define EVFILT_SYSCOUNT 7U /* number of filters */

#define EV_SET(kevp, a, b, c, d, e, f)                                                                        \
	do {                                                                                                   \
		(kevp)->ident = (a);                                                                           \
		(kevp)->filter = (b);                                                                          \
		(kevp)->flags = (c);                                                                           \
		(kevp)->fflags = (d);                                                                          \
		(kevp)->data = (e);                                                                            \
		(kevp)->udata = (f);                                                                           \
	} while (/* CONSTCOND */ 0)

struct kevent {
	uintptr_t ident; /* identifier for this event */
	uint32_t filter; /* filter for event */
	uint32_t flags;  /* action flags for kqueue */
	uint32_t fflags; /* filter flag value */
	int64_t data;    /* filter data value */
	intptr_t udata;  /* opaque user data identifier */
};

/* actions */
#define EV_ADD 0x0001U     /* add event to kq (implies ENABLE) */
#define EV_DELETE 0x0002U  /* delete event from kq */
#define EV_ENABLE 0x0004U  /* enable event */
#define EV_DISABLE 0x0008U /* disable event (not reported) */

/* flags */
#define EV_ONESHOT 0x0010U  /* only report one occurrence */
#define EV_CLEAR 0x0020U    /* clear event state after reporting */
#define EV_RECEIPT 0x0040U  /* force EV_ERROR on success, data=0 */
#define EV_DISPATCH 0x0080U /* disable event after reporting */

#define EV_SYSFLAGS 0xF000U /* reserved by system */
#define EV_FLAG1 0x2000U    /* filter-specific flag */

/* returned values */
#define EV_EOF 0x8000U   /* EOF detected */
#define EV_ERROR 0x4000U /* error, data contains errno */

/* data/hint flags for EVFILT_{READ|WRITE}, shared with userspace */
#define NOTE_LOWAT 0x0001U /* low water mark */

static_assert(sizeof(struct kevent) == sizeof(netbsd::kevent) && offsetof(struct kevent, filter) == offsetof(netbsd::kevent, filter) &&
		      offsetof(struct kevent, flags) == offsetof(netbsd::kevent, flags) &&
		      offsetof(struct kevent, fflags) == offsetof(netbsd::kevent, fflags) &&
		      offsetof(struct kevent, data) == offsetof(netbsd::kevent, data) &&
		      offsetof(struct kevent, udata) == offsetof(netbsd::kevent, udata),
	      "struct kevent is not NetBSD's");
static_assert(EVFILT_READ == netbsd::evfilt_read && EVFILT_WRITE == netbsd::evfilt_write && EVFILT_AIO == netbsd::evfilt_aio &&
		      EVFILT_VNODE == netbsd::evfilt_vnode && EVFILT_PROC == netbsd::evfilt_proc &&
		      EVFILT_SIGNAL == netbsd::evfilt_signal && EVFILT_TIMER == netbsd::evfilt_timer &&
		      EVFILT_SYSCOUNT == netbsd::evfilt_syscount,
	      "an EVFILT_* value is not NetBSD's");
static_assert(EV_ADD == netbsd::ev_add && EV_DELETE == netbsd::ev_delete && EV_ENABLE == netbsd::ev_enable &&
		      EV_DISABLE == netbsd::ev_disable && EV_ONESHOT == netbsd::ev_oneshot && EV_CLEAR == netbsd::ev_clear &&
		      EV_RECEIPT == netbsd::ev_receipt && EV_DISPATCH == netbsd::ev_dispatch &&
		      EV_SYSFLAGS == netbsd::ev_sysflags && EV_FLAG1 == netbsd::ev_flag1 && EV_EOF == netbsd::ev_eof &&
		      EV_ERROR == netbsd::ev_error && NOTE_LOWAT == netbsd::note_lowat,
	      "an EV_* value is not NetBSD's");

/* The calls, through the system-call table of the rump build. */
namespace pollmatrix {
namespace os {
int kqueue();
int kqueue1(int flags);
int kevent(int kq, const struct kevent *changes, int nchanges, struct kevent *events, int nevents,
           const struct timespec *timeout);
} // namespace os
} // namespace pollmatrix

inline int kqueue(void)
{
	return pollmatrix::os::kqueue();
}

/* flags: the host's O_CLOEXEC and O_NONBLOCK (os.h: requests in the host's
 * words). */
inline int kqueue1(int flags)
{
	return pollmatrix::os::kqueue1(flags);
}

inline int kevent(int kq, const struct kevent *changes, size_t nchanges, struct kevent *events, size_t nevents,
                  const struct timespec *timeout)
{
	return pollmatrix::os::kevent(kq, changes, (int)nchanges, events, (int)nevents, timeout);
}

#endif
