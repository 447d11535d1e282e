/*
 * epoll.cc - an epoll instance as the polled descriptor (epoll(7)). Four
 * endpoints, all made before the first command:
 *   a  an epoll instance holding r (EPOLL_CTL_ADD, EPOLLIN, level-triggered);
 *   b  a second epoll instance holding a (EPOLLIN): epoll nested in epoll;
 *   r  the read end of a nonblocking pipe, the descriptor inside a;
 *   w  its write end: `snd` and `ful` on w make r readable, `rcv`/`drn` on
 *      r make it not readable again, `clo` on w hangs r up.
 * epoll(7): "The epoll file descriptor itself ... can be monitored by poll,
 * epoll or select: it is readable (POLLIN) when events are pending"
 * (fs/eventpoll.c ep_eventpoll_poll: EPOLLIN | EPOLLRDNORM while its ready
 * list has an event its poll confirms), never writable. Closing r (its last
 * descriptor) removes it from a (epoll(7) Q6).
 *   lop  EPOLL_CTL_ADD of the other epoll instance into this one: on a,
 *        adding b, which already holds a, closes a loop, and epoll_ctl(2)
 *        fails with ELOOP; on b, adding a again fails with EEXIST; on r or
 *        w, which are no epoll instance, EINVAL. A closed other instance
 *        gives EBADF.
 * Where the kernel under test has no epoll (HAVE_EPOLL unset: the BSDs,
 * macOS, the NetBSD rump kernel) the transport is not measured.
 */
#include <cerrno>
#include <string>

#include <fcntl.h>

#include "../os/os.h"
#include "transport.h"

namespace pollmatrix {

namespace {

enum Slot { a, b, r, w };

#ifdef HAVE_EPOLL

int add_to(int epfd, int fd)
{
	struct epoll_event ev = {};
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	return os::epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

class EpollSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		int fds[2];
		if (os::pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
			return setup_failed(error, "pipe2()");
		ctx.endpoint(r).opened(fds[0], false);
		ctx.endpoint(w).opened(fds[1], false);
		int inner = os::epoll_create1(EPOLL_CLOEXEC);
		if (inner < 0)
			return setup_failed(error, "epoll_create1()");
		ctx.endpoint(a).opened(inner, false);
		int outer = os::epoll_create1(EPOLL_CLOEXEC);
		if (outer < 0)
			return setup_failed(error, "epoll_create1()");
		ctx.endpoint(b).opened(outer, false);
		if (add_to(inner, fds[0]) < 0 || add_to(outer, inner) < 0)
			return setup_failed(error, "epoll_ctl(EPOLL_CTL_ADD)");
		return true;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		if (action != Action::lop)
			return false;
		int epfd = ctx.target(slot, rec);
		Endpoint &other = ctx.endpoint(slot == a ? b : a);
		rec.ret = add_to(epfd, other.open ? other.fd : -1);
		rec.err = rec.ret < 0 ? errno : 0;
		rec.note = std::string("EPOLL_CTL_ADD of ") + (slot == a ? "b" : "a") +
		           (other.open ? "" : " (closed: the number -1)");
		return true;
	}
};

#define PM_EPOLL_SESSION transport_always_available, open_session<EpollSession>

#else

const char *no_epoll()
{
	return "this OS has no epoll (Linux's own, epoll(7))";
}

#define PM_EPOLL_SESSION no_epoll, open_no_session

#endif

const char *const roles[] = {"an epoll instance holding r", "an epoll instance holding a",
                             "a pipe's read end, inside a", "the pipe's write end"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::drn) |
                          action_bit(Action::ful) | action_bit(Action::clo) | action_bit(Action::pol) |
                          action_bit(Action::arm) | action_bit(Action::lop) | descriptor_actions;

} // namespace

extern const Transport transport_epoll = {
	"epoll",
	"epoll(7) as the polled descriptor: a holds a pipe's read end r, b holds a; snd on w makes r ready, "
	"lop on a adds b into a: a loop, ELOOP",
	"abrw", roles, actions, PM_EPOLL_SESSION,
};

} // namespace pollmatrix
