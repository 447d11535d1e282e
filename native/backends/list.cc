/*
 * registry.cc - the one list of backends. The only place besides each
 * backend's own file that knows which mechanisms this OS compiles: binding.gyp
 * adds backend_epoll.cc, backend_epoll_modes.cc (HAVE_EPOLL) and
 * backend_io_uring.cc (HAVE_IO_URING) on Linux, and backend_kqueue.cc and
 * backend_kqueue_modes.cc (HAVE_KQUEUE) on macOS and the BSDs. A mechanism
 * not compiled here is still listed, unavailable, with the reason.
 */
#include <cstring>

#include "backend.h"
#include "../os/errnos.h"

namespace pollmatrix {

extern const Backend backend_poll;
extern const Backend backend_select;

namespace {

/* A backend this build does not compile: listed, never available. */
#define PM_NOT_COMPILED(var, name, asks, why)                                                               \
	const char *var##_not_compiled()                                                                    \
	{                                                                                                   \
		return why;                                                                                 \
	}                                                                                                   \
	const Backend var = {name, asks, var##_not_compiled, nullptr, nullptr, 0, nullptr, 0, "mask", false, ""};

#define PM_NO_EPOLL "epoll is Linux-only; this build has no epoll backend"
#define PM_NO_KQUEUE "kqueue exists on macOS and the BSDs only; this build has no kqueue backend"

} // namespace

#ifdef HAVE_EPOLL
extern const Backend backend_epoll, backend_epoll_et, backend_epoll_oneshot;
#else
namespace {
PM_NOT_COMPILED(backend_epoll, "epoll", "epoll_wait()", PM_NO_EPOLL)
PM_NOT_COMPILED(backend_epoll_et, "epoll-et", "epoll_wait() with EPOLLET", PM_NO_EPOLL)
PM_NOT_COMPILED(backend_epoll_oneshot, "epoll-oneshot", "epoll_wait() with EPOLLONESHOT", PM_NO_EPOLL)
} // namespace
#endif

#ifdef HAVE_IO_URING
extern const Backend backend_io_uring;
#else
namespace {
PM_NOT_COMPILED(backend_io_uring, "io_uring", "IORING_OP_POLL_ADD",
                "io_uring is Linux-only; this build has no io_uring backend")
} // namespace
#endif

#ifdef HAVE_KQUEUE
extern const Backend backend_kqueue, backend_kqueue_clear, backend_kqueue_oneshot, backend_kqueue_dispatch;
#else
namespace {
PM_NOT_COMPILED(backend_kqueue, "kqueue", "kevent()", PM_NO_KQUEUE)
PM_NOT_COMPILED(backend_kqueue_clear, "kqueue-clear", "kevent() with EV_CLEAR", PM_NO_KQUEUE)
PM_NOT_COMPILED(backend_kqueue_oneshot, "kqueue-oneshot", "kevent() with EV_ONESHOT", PM_NO_KQUEUE)
PM_NOT_COMPILED(backend_kqueue_dispatch, "kqueue-dispatch", "kevent() with EV_DISPATCH", PM_NO_KQUEUE)
} // namespace
#endif

const std::vector<const Backend *> &backend_registry()
{
	static const std::vector<const Backend *> all = {
		&backend_poll,
		&backend_epoll,
		&backend_epoll_et,
		&backend_epoll_oneshot,
		&backend_io_uring,
		&backend_kqueue,
		&backend_kqueue_clear,
		&backend_kqueue_oneshot,
		&backend_kqueue_dispatch,
		&backend_select,
	};
	return all;
}

const char *backend_unavailable(const Backend *b)
{
	static std::vector<const Backend *> available;
	for (const Backend *known : available)
		if (known == b)
			return nullptr;
	const char *why = b->unavailable();
	if (!why)
		available.push_back(b);
	return why;
}

Observation &mechanism_not_created(Observation &o, const char *call, int err)
{
	const char *name = errno_name(err);
	o.ret = -1;
	o.err = err;
	o.failed_call = call;
	o.not_measured = std::string(call) + " failed: " + (name ? name : std::to_string(err)) + " (" + strerror(err) + ")";
	return o;
}

const Backend *find_backend(const std::string &name)
{
	for (const Backend *b : backend_registry())
		if (name == b->name)
			return b;
	return nullptr;
}

} // namespace pollmatrix
