/*
 * registry.cc - the one list of backends. The only place besides each
 * backend's own file that knows which mechanisms this OS compiles: binding.gyp
 * adds backend_epoll.cc with HAVE_EPOLL and backend_io_uring.cc with
 * HAVE_IO_URING on Linux, and backend_kqueue.cc with HAVE_KQUEUE on macOS and
 * the BSDs. A mechanism not compiled here is still listed, unavailable, with
 * the reason.
 */
#include <cstring>

#include "backend.h"

namespace pollmatrix {

extern const Backend backend_poll;
extern const Backend backend_select;
#ifdef HAVE_EPOLL
extern const Backend backend_epoll;
#endif
#ifdef HAVE_IO_URING
extern const Backend backend_io_uring;
#endif
#ifdef HAVE_KQUEUE
extern const Backend backend_kqueue;
#endif

namespace {

#ifndef HAVE_EPOLL
const char *epoll_not_compiled()
{
	return "epoll is Linux-only; this build has no epoll backend";
}
const Backend backend_epoll = {"epoll", "epoll_wait()", epoll_not_compiled, nullptr, nullptr, 0, nullptr, 0};
#endif

#ifndef HAVE_IO_URING
const char *io_uring_not_compiled()
{
	return "io_uring is Linux-only; this build has no io_uring backend";
}
const Backend backend_io_uring = {"io_uring", "IORING_OP_POLL_ADD", io_uring_not_compiled, nullptr, nullptr, 0, nullptr, 0};
#endif

#ifndef HAVE_KQUEUE
const char *kqueue_not_compiled()
{
	return "kqueue exists on macOS and the BSDs only; this build has no kqueue backend";
}
const Backend backend_kqueue = {"kqueue", "kevent()", kqueue_not_compiled, nullptr, nullptr, 0, nullptr, 0};
#endif

} // namespace

const std::vector<const Backend *> &backend_registry()
{
	static const std::vector<const Backend *> all = {
		&backend_poll,
		&backend_epoll,
		&backend_io_uring,
		&backend_kqueue,
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

const Backend *find_backend(const std::string &name)
{
	for (const Backend *b : backend_registry())
		if (name == b->name)
			return b;
	return nullptr;
}

} // namespace pollmatrix
