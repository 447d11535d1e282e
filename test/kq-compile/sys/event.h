/*
 * test/kq-compile/sys/event.h - a stand-in <sys/event.h> so that
 * native/backends/kqueue.cc can be compiled (and, with harness.cc, run) on
 * Linux. It declares what the real header declares - struct kevent, EV_SET,
 * kqueue(), kevent(), EV_*, EVFILT_* and NOTE_* - with the values of one real
 * header, chosen by a macro. Only the userland part is copied; values,
 * field types, EV_SET's shape and the prototypes are the originals'.
 *
 *   PM_FAKE_MACOS      apple-oss-distributions/xnu bsd/sys/event.h,
 *                      commit 1031c584a5e37aff177559b9f69dbd3c8c3fd30a
 *                      (Copyright 2003-2021). #pragma pack(4) struct kevent,
 *                      int16_t filter, uint16_t flags, intptr_t data.
 *   PM_FAKE_FREEBSD    freebsd-src sys/sys/event.h, FreeBSD 14/15 (the
 *                      SPDX BSD-2-Clause version that declares kqueuex()),
 *                      read from the mirror kenrap/freebsd-src at commit
 *                      f30bcb15894c03d8afb60c8a4e0ca6b0b029f737; the same
 *                      values, less EV_KEEPUDATA, are in sobomax/freebsd14_vendor
 *                      0f7ff342 ($FreeBSD: b3106e6f$). __int64_t data and
 *                      __uint64_t ext[4] (since FreeBSD 12), EV_FLAG2 ==
 *                      EV_ERROR, EV_DROP 0x1000, no EVFILT_EXCEPT/EV_OOBAND.
 *   PM_FAKE_OPENBSD    openbsd/src sys/sys/event.h rev 1.56 (2021/06/16),
 *                      read from the mirror semarie/openbsd-src at commit
 *                      72019f22a6bf3cc393ce557f2b220a6405a7efe9.
 *                      EVFILT_EXCEPT (-9), NOTE_OOB 0x0004, __int64_t data.
 *   PM_FAKE_NETBSD     NetBSD/src sys/sys/event.h rev 1.54 (2022/07/19),
 *                      read from the mirror sel4-cap/netbsd at commit
 *                      7cbb7bfc7583d480c9ae1ffcf2fe76ab065893fe. Filters are
 *                      uint32_t and count up from EVFILT_READ 0U, flags are
 *                      uint32_t, EV_SET is an inline function, kevent() takes
 *                      size_t counts.
 *   PM_FAKE_DRAGONFLY_OLD  DragonFlyBSD sys/sys/event.h "$DragonFly: v1.7
 *                      2007/01/15$" (EV_NODATA, EVFILT_EXCEPT (-8)). It
 *                      predates EV_RECEIPT (brought from FreeBSD in DragonFly
 *                      commit 790e2e54), so it compiles the path without it.
 *
 * pm_fake_count_t is this file's own: the type of kevent()'s two counts, for
 * harness.cc's fake kevent(). Integer type spellings are the <stdint.h> ones
 * (int64_t for FreeBSD's __int64_t); the types are the same.
 *
 * The folder is named kq-compile, not kqueue-*, so that `uvu test kqueue`
 * selects the kqueue test suites without trying to import these C files.
 */
#ifndef PM_FAKE_SYS_EVENT_H
#define PM_FAKE_SYS_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct timespec;

#if defined(PM_FAKE_MACOS)

#define EVFILT_READ             (-1)
#define EVFILT_WRITE            (-2)
#define EVFILT_AIO              (-3)    /* attached to aio requests */
#define EVFILT_VNODE            (-4)    /* attached to vnodes */
#define EVFILT_PROC             (-5)    /* attached to struct proc */
#define EVFILT_SIGNAL           (-6)    /* attached to struct proc */
#define EVFILT_TIMER            (-7)    /* timers */
#define EVFILT_MACHPORT         (-8)    /* Mach portsets */
#define EVFILT_FS               (-9)    /* Filesystem events */
#define EVFILT_USER             (-10)   /* User events */
#define EVFILT_VM               (-12)   /* Virtual memory events */
#define EVFILT_EXCEPT           (-15)   /* Exception events */
#define EVFILT_SYSCOUNT         17

#pragma pack(4)
struct kevent {
	uintptr_t       ident;  /* identifier for this event */
	int16_t         filter; /* filter for event */
	uint16_t        flags;  /* general flags */
	uint32_t        fflags; /* filter-specific flags */
	intptr_t        data;   /* filter-specific data */
	void            *udata; /* opaque user data identifier */
};
#pragma pack()

#define EV_SET(kevp, a, b, c, d, e, f) do {     \
	struct kevent *__kevp__ = (kevp);       \
	__kevp__->ident = (a);                  \
	__kevp__->filter = (b);                 \
	__kevp__->flags = (c);                  \
	__kevp__->fflags = (d);                 \
	__kevp__->data = (e);                   \
	__kevp__->udata = (f);                  \
} while(0)

#define EV_ADD              0x0001      /* add event to kq (implies enable) */
#define EV_DELETE           0x0002      /* delete event from kq */
#define EV_ENABLE           0x0004      /* enable event */
#define EV_DISABLE          0x0008      /* disable event (not reported) */
#define EV_ONESHOT          0x0010      /* only report one occurrence */
#define EV_CLEAR            0x0020      /* clear event state after reporting */
#define EV_RECEIPT          0x0040      /* force immediate event output */
#define EV_DISPATCH         0x0080      /* disable event after reporting */
#define EV_UDATA_SPECIFIC   0x0100      /* unique kevent per udata value */
#define EV_DISPATCH2        (EV_DISPATCH | EV_UDATA_SPECIFIC)
#define EV_VANISHED         0x0200      /* report that source has vanished  */
#define EV_SYSFLAGS         0xF000      /* reserved by system */
#define EV_FLAG0            0x1000      /* filter-specific flag */
#define EV_FLAG1            0x2000      /* filter-specific flag */
#define EV_EOF              0x8000      /* EOF detected */
#define EV_ERROR            0x4000      /* error, data contains errno */
#define EV_POLL         EV_FLAG0
#define EV_OOBAND       EV_FLAG1

#define NOTE_TRIGGER    0x01000000
#define NOTE_FFNOP      0x00000000
#define NOTE_FFAND      0x40000000
#define NOTE_FFOR       0x80000000
#define NOTE_FFCOPY     0xc0000000
#define NOTE_FFCTRLMASK 0xc0000000
#define NOTE_FFLAGSMASK 0x00ffffff
#define NOTE_LOWAT      0x00000001              /* low water mark */
#define NOTE_OOB        0x00000002              /* OOB data */
#define NOTE_DELETE     0x00000001
#define NOTE_WRITE      0x00000002
#define NOTE_EXTEND     0x00000004
#define NOTE_ATTRIB     0x00000008
#define NOTE_LINK       0x00000010
#define NOTE_RENAME     0x00000020
#define NOTE_REVOKE     0x00000040
#define NOTE_NONE       0x00000080
#define NOTE_FUNLOCK    0x00000100
#define NOTE_EXIT       0x80000000
#define NOTE_FORK       0x40000000
#define NOTE_EXEC       0x20000000
#define NOTE_SIGNAL     0x08000000
#define NOTE_EXITSTATUS 0x04000000
#define NOTE_EXIT_DETAIL 0x02000000
#define NOTE_PDATAMASK  0x000fffff
#define NOTE_PCTRLMASK  (~NOTE_PDATAMASK)
#define NOTE_SECONDS    0x00000001
#define NOTE_USECONDS   0x00000002
#define NOTE_NSECONDS   0x00000004
#define NOTE_ABSOLUTE   0x00000008

typedef int pm_fake_count_t;

#elif defined(PM_FAKE_FREEBSD)

#define EVFILT_READ		(-1)
#define EVFILT_WRITE		(-2)
#define EVFILT_AIO		(-3)	/**< attached to aio requests */
#define EVFILT_VNODE		(-4)	/**< attached to vnodes */
#define EVFILT_PROC		(-5)	/**< attached to struct proc */
#define EVFILT_SIGNAL		(-6)	/**< attached to struct proc */
#define EVFILT_TIMER		(-7)	/**< timers */
#define EVFILT_PROCDESC		(-8)	/**< attached to process descriptors */
#define EVFILT_FS		(-9)	/**< filesystem events */
#define EVFILT_LIO		(-10)	/**< attached to lio requests */
#define EVFILT_USER		(-11)	/**< User events */
#define EVFILT_SENDFILE		(-12)	/**< attached to sendfile requests */
#define EVFILT_EMPTY		(-13)	/**< empty send socket buf */
#define EVFILT_SYSCOUNT		13

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define	EV_SET(kevp_, a, b, c, d, e, f) do {	\
	*(kevp_) = (struct kevent){		\
	    .ident = (a),			\
	    .filter = (b),			\
	    .flags = (c),			\
	    .fflags = (d),			\
	    .data = (e),			\
	    .udata = (f),			\
	    .ext = {0},				\
	};					\
} while (0)
#else /* Pre-C99 or not STDC (e.g., C++) */
#define EV_SET(kevp_, a, b, c, d, e, f) do {	\
	struct kevent *kevp = (kevp_);		\
	(kevp)->ident = (a);			\
	(kevp)->filter = (b);			\
	(kevp)->flags = (c);			\
	(kevp)->fflags = (d);			\
	(kevp)->data = (e);			\
	(kevp)->udata = (f);			\
	(kevp)->ext[0] = 0;			\
	(kevp)->ext[1] = 0;			\
	(kevp)->ext[2] = 0;			\
	(kevp)->ext[3] = 0;			\
} while (0)
#endif

struct kevent {
	uintptr_t	ident;		/**< identifier for this event */
	short		filter;		/**< filter for event */
	unsigned short	flags;		/**< action flags for kqueue */
	unsigned int	fflags;		/**< filter flag value */
	int64_t		data;		/**< filter data value */
	void		*udata;		/**< opaque user data identifier */
	uint64_t	ext[4];		/**< extensions */
};

#define EV_ADD		0x0001		/**< add event to kq (implies enable) */
#define EV_DELETE	0x0002		/**< delete event from kq */
#define EV_ENABLE	0x0004		/**< enable event */
#define EV_DISABLE	0x0008		/**< disable event (not reported) */
#define EV_FORCEONESHOT	0x0100		/**< enable _ONESHOT and force trigger */
#define EV_KEEPUDATA	0x0200		/**< do not update the udata field */
#define EV_ONESHOT	0x0010		/**< only report one occurrence */
#define EV_CLEAR	0x0020		/**< clear event state after reporting */
#define EV_RECEIPT	0x0040		/**< force EV_ERROR on success, data=0 */
#define EV_DISPATCH	0x0080		/**< disable event after reporting */
#define EV_SYSFLAGS	0xF000		/**< reserved by system */
#define	EV_DROP		0x1000		/**< note should be dropped */
#define EV_FLAG1	0x2000		/**< filter-specific flag */
#define EV_FLAG2	0x4000		/**< filter-specific flag */
#define EV_EOF		0x8000		/**< EOF detected */
#define EV_ERROR	0x4000		/**< error, data contains errno */

#define NOTE_FFNOP	0x00000000
#define NOTE_FFAND	0x40000000
#define NOTE_FFOR	0x80000000
#define NOTE_FFCOPY	0xc0000000
#define NOTE_FFCTRLMASK	0xc0000000
#define NOTE_FFLAGSMASK	0x00ffffff
#define NOTE_TRIGGER	0x01000000
#define NOTE_LOWAT	0x0001			/**< low water mark */
#define NOTE_FILE_POLL	0x0002			/**< behave like poll() */
#define	NOTE_DELETE	0x0001
#define	NOTE_WRITE	0x0002
#define	NOTE_EXTEND	0x0004
#define	NOTE_ATTRIB	0x0008
#define	NOTE_LINK	0x0010
#define	NOTE_RENAME	0x0020
#define	NOTE_REVOKE	0x0040
#define	NOTE_OPEN	0x0080
#define	NOTE_CLOSE	0x0100
#define	NOTE_CLOSE_WRITE 0x0200
#define	NOTE_READ	0x0400
#define	NOTE_EXIT	0x80000000
#define	NOTE_FORK	0x40000000
#define	NOTE_EXEC	0x20000000
#define	NOTE_PCTRLMASK	0xf0000000
#define	NOTE_PDATAMASK	0x000fffff
#define	NOTE_TRACK	0x00000001
#define	NOTE_TRACKERR	0x00000002
#define	NOTE_CHILD	0x00000004
#define NOTE_SECONDS		0x00000001
#define NOTE_MSECONDS		0x00000002
#define NOTE_USECONDS		0x00000004
#define NOTE_NSECONDS		0x00000008
#define	NOTE_ABSTIME		0x00000010
#define	KQUEUE_CLOEXEC	0x00000001

typedef int pm_fake_count_t;

#elif defined(PM_FAKE_OPENBSD)

#define EVFILT_READ		(-1)
#define EVFILT_WRITE		(-2)
#define EVFILT_AIO		(-3)	/* attached to aio requests */
#define EVFILT_VNODE		(-4)	/* attached to vnodes */
#define EVFILT_PROC		(-5)	/* attached to struct process */
#define EVFILT_SIGNAL		(-6)	/* attached to struct process */
#define EVFILT_TIMER		(-7)	/* timers */
#define EVFILT_DEVICE		(-8)	/* devices */
#define EVFILT_EXCEPT		(-9)	/* exceptional conditions */
#define EVFILT_USER		(-10)	/* user events */
#define EVFILT_SYSCOUNT		10

#define EV_SET(kevp, a, b, c, d, e, f) do {	\
	struct kevent *__kevp = (kevp);		\
	(__kevp)->ident = (a);			\
	(__kevp)->filter = (b);			\
	(__kevp)->flags = (c);			\
	(__kevp)->fflags = (d);			\
	(__kevp)->data = (e);			\
	(__kevp)->udata = (f);			\
} while(0)

struct kevent {
	uintptr_t	ident;		/* identifier for this event */
	short		filter;		/* filter for event */
	unsigned short	flags;		/* action flags for kqueue */
	unsigned int	fflags;		/* filter flag value */
	int64_t		data;		/* filter data value */
	void		*udata;		/* opaque user data identifier */
};

#define EV_ADD		0x0001		/* add event to kq (implies enable) */
#define EV_DELETE	0x0002		/* delete event from kq */
#define EV_ENABLE	0x0004		/* enable event */
#define EV_DISABLE	0x0008		/* disable event (not reported) */
#define EV_ONESHOT	0x0010		/* only report one occurrence */
#define EV_CLEAR	0x0020		/* clear event state after reporting */
#define EV_RECEIPT	0x0040          /* force EV_ERROR on success, data=0 */
#define EV_DISPATCH	0x0080          /* disable event after reporting */
#define EV_SYSFLAGS	0xF000		/* reserved by system */
#define EV_FLAG1	0x2000		/* filter-specific flag */
#define EV_EOF		0x8000		/* EOF detected */
#define EV_ERROR	0x4000		/* error, data contains errno */

#define NOTE_LOWAT	0x0001			/* low water mark */
#define NOTE_EOF	0x0002			/* return on EOF */
#define NOTE_OOB	0x0004			/* OOB data on a socket */
#define	NOTE_DELETE	0x0001
#define	NOTE_WRITE	0x0002
#define	NOTE_EXTEND	0x0004
#define	NOTE_ATTRIB	0x0008
#define	NOTE_LINK	0x0010
#define	NOTE_RENAME	0x0020
#define	NOTE_REVOKE	0x0040
#define	NOTE_TRUNCATE   0x0080
#define	NOTE_EXIT	0x80000000
#define	NOTE_FORK	0x40000000
#define	NOTE_EXEC	0x20000000
#define	NOTE_PCTRLMASK	0xf0000000
#define	NOTE_PDATAMASK	0x000fffff
#define	NOTE_TRACK	0x00000001
#define	NOTE_TRACKERR	0x00000002
#define	NOTE_CHILD	0x00000004
#define NOTE_CHANGE	0x00000001
#define NOTE_FFNOP	0x00000000
#define NOTE_FFAND	0x40000000
#define NOTE_FFOR	0x80000000
#define NOTE_FFCOPY	0xc0000000
#define NOTE_FFCTRLMASK	0xc0000000
#define NOTE_FFLAGSMASK	0x00ffffff
#define NOTE_TRIGGER	0x01000000

typedef int pm_fake_count_t;

#elif defined(PM_FAKE_NETBSD)

/* <sys/cdefs.h> on NetBSD: static_cast in C++. */
#ifndef __CAST
#define __CAST(__dt, __st)	static_cast<__dt>(__st)
#endif

#define	EVFILT_READ		0U
#define	EVFILT_WRITE		1U
#define	EVFILT_AIO		2U	/* attached to aio requests */
#define	EVFILT_VNODE		3U	/* attached to vnodes */
#define	EVFILT_PROC		4U	/* attached to struct proc */
#define	EVFILT_SIGNAL		5U	/* attached to struct proc */
#define	EVFILT_TIMER		6U	/* arbitrary timer (in ms) */
#define	EVFILT_FS		7U	/* filesystem events */
#define	EVFILT_USER		8U	/* user events */
#define	EVFILT_EMPTY		9U
#define	EVFILT_SYSCOUNT		10U	/* number of filters */

struct kevent {
	uintptr_t	ident;		/* identifier for this event */
	uint32_t	filter;		/* filter for event */
	uint32_t	flags;		/* action flags for kqueue */
	uint32_t	fflags;		/* filter flag value */
	int64_t		data;		/* filter data value */
	void		*udata;		/* opaque user data identifier */
	uint64_t	ext[4];		/* extensions */
};

static __inline void
_EV_SET(struct kevent *_kevp, uintptr_t _ident, uint32_t _filter,
    uint32_t _flags, uint32_t _fflags, int64_t _data, void *_udata)
{
	_kevp->ident = _ident;
	_kevp->filter = _filter;
	_kevp->flags = _flags;
	_kevp->fflags = _fflags;
	_kevp->data = _data;
	_kevp->udata = _udata;
}

#define EV_SET(kevp, ident, filter, flags, fflags, data, udata)	\
    _EV_SET((kevp), __CAST(uintptr_t, (ident)), (filter), (flags), \
    (fflags), (data), __CAST(void *, (udata)))

#define	EV_ADD		0x0001U		/* add event to kq (implies ENABLE) */
#define	EV_DELETE	0x0002U		/* delete event from kq */
#define	EV_ENABLE	0x0004U		/* enable event */
#define	EV_DISABLE	0x0008U		/* disable event (not reported) */
#define	EV_ONESHOT	0x0010U		/* only report one occurrence */
#define	EV_CLEAR	0x0020U		/* clear event state after reporting */
#define EV_RECEIPT	0x0040U		/* force EV_ERROR on success, data=0 */
#define EV_DISPATCH	0x0080U		/* disable event after reporting */
#define	EV_SYSFLAGS	0xF000U		/* reserved by system */
#define	EV_FLAG1	0x2000U		/* filter-specific flag */
#define	EV_EOF		0x8000U		/* EOF detected */
#define	EV_ERROR	0x4000U		/* error, data contains errno */

#define	NOTE_FFNOP	0x00000000U
#define	NOTE_FFAND	0x40000000U
#define	NOTE_FFOR	0x80000000U
#define	NOTE_FFCOPY	0xc0000000U
#define	NOTE_FFCTRLMASK	0xc0000000U
#define	NOTE_FFLAGSMASK	0x00ffffffU
#define	NOTE_TRIGGER	0x01000000U
#define	NOTE_LOWAT	0x0001U			/* low water mark */
#define	NOTE_DELETE	0x0001U
#define	NOTE_WRITE	0x0002U
#define	NOTE_EXTEND	0x0004U
#define	NOTE_ATTRIB	0x0008U
#define	NOTE_LINK	0x0010U
#define	NOTE_RENAME	0x0020U
#define	NOTE_REVOKE	0x0040U
#define	NOTE_OPEN	0x0080U
#define	NOTE_CLOSE	0x0100U
#define	NOTE_CLOSE_WRITE 0x0200U
#define	NOTE_READ	0x0400U
#define	NOTE_EXIT	0x80000000U
#define	NOTE_FORK	0x40000000U
#define	NOTE_EXEC	0x20000000U
#define	NOTE_PCTRLMASK	0xf0000000U
#define	NOTE_PDATAMASK	0x000fffffU
#define	NOTE_TRACK	0x00000001U
#define	NOTE_TRACKERR	0x00000002U
#define	NOTE_CHILD	0x00000004U
#define	NOTE_MSECONDS	0x00000000U
#define	NOTE_SECONDS	0x00000001U
#define	NOTE_USECONDS	0x00000002U
#define	NOTE_NSECONDS	0x00000003U
#define	NOTE_ABSTIME	0x00000010U

typedef size_t pm_fake_count_t;

#elif defined(PM_FAKE_DRAGONFLY_OLD)

#define EVFILT_READ		(-1)
#define EVFILT_WRITE		(-2)
#define EVFILT_AIO		(-3)	/* attached to aio requests */
#define EVFILT_VNODE		(-4)	/* attached to vnodes */
#define EVFILT_PROC		(-5)	/* attached to struct proc */
#define EVFILT_SIGNAL		(-6)	/* attached to struct proc */
#define EVFILT_TIMER		(-7)	/* timers */
#define EVFILT_EXCEPT		(-8)	/* exceptional conditions */
#define EVFILT_USER		(-9)	/* user events */
#define EVFILT_MARKER		0xF	/* placemarker for tailq */
#define EVFILT_SYSCOUNT		9

#define EV_SET(kevp_, a, b, c, d, e, f) do {	\
	struct kevent *kevp = (kevp_);		\
	(kevp)->ident = (a);			\
	(kevp)->filter = (b);			\
	(kevp)->flags = (c);			\
	(kevp)->fflags = (d);			\
	(kevp)->data = (e);			\
	(kevp)->udata = (f);			\
} while(0)

struct kevent {
	uintptr_t	ident;		/* identifier for this event */
	short		filter;		/* filter for event */
	u_short		flags;
	u_int		fflags;
	intptr_t	data;
	void		*udata;		/* opaque user data identifier */
};

#define EV_ADD		0x0001		/* add event to kq (implies enable) */
#define EV_DELETE	0x0002		/* delete event from kq */
#define EV_ENABLE	0x0004		/* enable event */
#define EV_DISABLE	0x0008		/* disable event (not reported) */
#define EV_ONESHOT	0x0010		/* only report one occurrence */
#define EV_CLEAR	0x0020		/* clear event state after reporting */
#define EV_SYSFLAGS	0xF000		/* reserved by system */
#define EV_FLAG1	0x2000		/* filter-specific flag */
#define EV_EOF		0x8000		/* EOF detected */
#define EV_ERROR	0x4000		/* error, data contains errno */
#define EV_NODATA	0x1000		/* EOF and no more data */

#define NOTE_FFNOP      0x00000000
#define NOTE_FFAND      0x40000000
#define NOTE_FFOR       0x80000000
#define NOTE_FFCOPY     0xc0000000
#define NOTE_FFCTRLMASK 0xc0000000
#define NOTE_FFLAGSMASK 0x00ffffff
#define NOTE_TRIGGER    0x01000000
#define NOTE_LOWAT	0x0001			/* low water mark */
#define NOTE_OOB	0x0002			/* OOB data on a socket */
#define	NOTE_DELETE	0x0001
#define	NOTE_WRITE	0x0002
#define	NOTE_EXTEND	0x0004
#define	NOTE_ATTRIB	0x0008
#define	NOTE_LINK	0x0010
#define	NOTE_RENAME	0x0020
#define	NOTE_REVOKE	0x0040
#define	NOTE_EXIT	0x80000000
#define	NOTE_FORK	0x40000000
#define	NOTE_EXEC	0x20000000
#define	NOTE_PCTRLMASK	0xf0000000
#define	NOTE_PDATAMASK	0x000fffff
#define	NOTE_TRACK	0x00000001
#define	NOTE_TRACKERR	0x00000002
#define	NOTE_CHILD	0x00000004

typedef int pm_fake_count_t;

#else
#error "define one of PM_FAKE_MACOS, PM_FAKE_FREEBSD, PM_FAKE_OPENBSD, PM_FAKE_NETBSD, PM_FAKE_DRAGONFLY_OLD"
#endif

#ifdef __cplusplus
extern "C" {
#endif
int kqueue(void);
#if defined(PM_FAKE_FREEBSD)
/* FreeBSD 14/15 event.h (kenrap/freebsd-src f30bcb15, the !_KERNEL part):
 * "int kqueuex(unsigned flags); int kqueue1(int flags);". */
int kqueuex(unsigned flags);
int kqueue1(int flags);
#elif defined(PM_FAKE_NETBSD)
/* NetBSD kqueue(2) SYNOPSIS, 6.0 to 10.0: "int kqueue1(int flags);" in
 * <sys/event.h>. */
int kqueue1(int flags);
#endif
int kevent(int kq, const struct kevent *changelist, pm_fake_count_t nchanges,
    struct kevent *eventlist, pm_fake_count_t nevents,
    const struct timespec *timeout);
#ifdef __cplusplus
}
#endif

#endif /* PM_FAKE_SYS_EVENT_H */
