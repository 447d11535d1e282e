/*
 * list.cc - the one list of backends, in display order. Adding one is its
 * own file in backends/ (binding.gyp compiles every file there) plus one
 * line in PM_BACKENDS. A backend this build does not compile is still
 * listed, unavailable, with the reason: its stub is made here from its line.
 * Besides each backend's own file, this is the only place that knows which
 * mechanisms this OS compiles (the HAVE_* macros binding.gyp defines: epoll
 * and io_uring on Linux, kqueue on macOS and the BSDs).
 */
#include <string>

#include "backend.h"

namespace pollmatrix {

/* One line per backend, in display order:
 *   X(symbol, needs, name, asks, observes, persistent)
 * symbol      its file defines `extern const Backend backend_<symbol>`
 * needs       ANY (every POSIX system) or the HAVE_<needs> macro its file is
 *             guarded by
 * name        as its file names it
 * asks        what it asks, in short, for where it is not compiled (its file
 *             says it in full where it is)
 * observes    its observation kind, and persistent whether its registration
 *             lives from an endpoint's first pol (Backend): where it is not
 *             compiled the list still says what it is, so a document from
 *             here describes every mechanism rightly */
#define PM_BACKENDS(X)                                                                                     \
	X(poll, ANY, "poll", "poll()", "mask", false)                                                      \
	X(epoll, EPOLL, "epoll", "epoll_wait()", "mask", false)                                            \
	X(epoll_et, EPOLL, "epoll-et", "epoll_wait() with EPOLLET", "mask", true)                          \
	X(epoll_oneshot, EPOLL, "epoll-oneshot", "epoll_wait() with EPOLLONESHOT", "mask", true)           \
	X(io_uring, IO_URING, "io_uring", "IORING_OP_POLL_ADD", "mask", false)                             \
	X(io_uring_multishot, IO_URING, "io_uring-multishot", "IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI", "mask", true) \
	X(io_uring_level, IO_URING, "io_uring-level", "IORING_OP_POLL_ADD with IORING_POLL_ADD_LEVEL", "mask", false) \
	X(kqueue, KQUEUE, "kqueue", "kevent()", "kevents", false)                                          \
	X(kqueue_clear, KQUEUE, "kqueue-clear", "kevent() with EV_CLEAR", "kevents", true)                 \
	X(kqueue_oneshot, KQUEUE, "kqueue-oneshot", "kevent() with EV_ONESHOT", "kevents", true)           \
	X(kqueue_dispatch, KQUEUE, "kqueue-dispatch", "kevent() with EV_DISPATCH", "kevents", true)        \
	X(select, ANY, "select", "select()", "mask", false)

/* PM_IF_<needs>(compiled, absent): which of the two this build is. */
#define PM_IF_ANY(compiled, absent) compiled
#ifdef HAVE_EPOLL
#define PM_IF_EPOLL(compiled, absent) compiled
#else
#define PM_IF_EPOLL(compiled, absent) absent
#endif
#ifdef HAVE_IO_URING
#define PM_IF_IO_URING(compiled, absent) compiled
#else
#define PM_IF_IO_URING(compiled, absent) absent
#endif
#ifdef HAVE_KQUEUE
#define PM_IF_KQUEUE(compiled, absent) compiled
#else
#define PM_IF_KQUEUE(compiled, absent) absent
#endif

/* Why a backend that needs <needs> is not compiled here. */
#define PM_WHY_NOT_EPOLL "epoll is Linux-only; this build has no epoll backend"
#define PM_WHY_NOT_IO_URING "io_uring is Linux-only; this build has no io_uring backend"
#define PM_WHY_NOT_KQUEUE "kqueue exists on macOS and the BSDs only; this build has no kqueue backend"

/* A compiled backend: its file defines it. */
#define PM_COMPILED(symbol, needs, name, asks, observes, persistent) extern const Backend backend_##symbol;
/* A backend this build does not compile: listed, never available; what it
 * can express is not known here (it depends on the OS that compiles it). */
#define PM_ABSENT(symbol, needs, name, asks, observes, persistent) \
	namespace {                                                                                        \
	const char *symbol##_not_compiled()                                                                \
	{                                                                                                  \
		return PM_WHY_NOT_##needs;                                                                 \
	}                                                                                                  \
	const Backend backend_##symbol = {                                                                 \
		name, asks, symbol##_not_compiled, nullptr, nullptr, 0, nullptr, 0, observes, persistent, "", nullptr, 0}; \
	}
#define PM_DECLARE(symbol, needs, name, asks, observes, persistent) \
	PM_IF_##needs(PM_COMPILED, PM_ABSENT)(symbol, needs, name, asks, observes, persistent)
PM_BACKENDS(PM_DECLARE)

const std::vector<const Backend *> &backend_registry()
{
#define PM_ENTRY(symbol, needs, name, asks, observes, persistent) &backend_##symbol,
	static const std::vector<const Backend *> all = {PM_BACKENDS(PM_ENTRY)};
	return all;
}

const Backend *find_backend(const std::string &name)
{
	for (const Backend *b : backend_registry())
		if (name == b->name)
			return b;
	return nullptr;
}

} // namespace pollmatrix
