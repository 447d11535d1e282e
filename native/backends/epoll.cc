/*
 * backend_epoll.cc - epoll_wait(2), level-triggered, as haproxy's `-e` asks it:
 * the descriptor is added with EPOLLIN|EPOLLOUT|EPOLLRDHUP, epoll_wait() runs
 * with one slot and timeout 0, then the descriptor is removed again. The epoll
 * descriptor is made at the first `pol` and lives to the end of the scenario.
 * Linux only; the registry lists it as unavailable elsewhere.
 */
#include <cerrno>
#include <memory>

#include <sys/epoll.h>
#include <unistd.h>

#include "backend.h"
#include "epoll_flags.h"

namespace pollmatrix {

/* haproxy's six names first and in its order, then the other output bits
 * <sys/epoll.h> defines. Input-only flags (EPOLLET, EPOLLONESHOT,
 * EPOLLEXCLUSIVE, EPOLLWAKEUP) are never returned and are left out. */
const FlagName epoll_flags[] = {
	{EPOLLIN, "IN", "readable"},
	{EPOLLPRI, "PRI", "priority"},
	{EPOLLOUT, "OUT", "writable"},
	{EPOLLERR, "ERR", "error"},
	{EPOLLHUP, "HUP", "hangup read-closed"},
	{EPOLLRDHUP, "RDHUP", "read-closed"},
	{EPOLLRDNORM, "RDNORM"},
	{EPOLLRDBAND, "RDBAND"},
	{EPOLLWRNORM, "WRNORM"},
	{EPOLLWRBAND, "WRBAND"},
	{EPOLLMSG, "MSG"},
};
const size_t epoll_flags_count = sizeof(epoll_flags) / sizeof(epoll_flags[0]);

namespace {

class EpollObserver : public Observer {
public:
	/* The epoll descriptor is made here, at the scenario's first `pol`, as
	 * haproxy's tool makes it (epoll_create(1024) there; the size is ignored
	 * since Linux 2.6.8), so it takes the same number. Close-on-exec, as every
	 * descriptor a scenario makes (portability.h). */
	explicit EpollObserver(uint32_t interest)
		: epfd_(epoll_create1(EPOLL_CLOEXEC)), create_errno_(epfd_ < 0 ? errno : 0),
		  events_(epoll_events(interest)) {}

	~EpollObserver() override
	{
		if (epfd_ >= 0)
			close(epfd_);
	}

	/* Contract: add `fd` for the interest's events, epoll_wait() once with
	 * timeout 0, remove `fd`.
	 * A failing epoll_ctl(ADD) (EBADF on a closed descriptor, EPERM on a
	 * regular file) is the observation: haproxy's tool ignores it and
	 * prints ret=0, which would hide why nothing was reported. */
	Observation observe(const PolTarget &target) override
	{
		int fd = target.fd;
		Observation o;
		struct epoll_event evt = {};

		if (epfd_ < 0)
			return mechanism_not_created(o, "epoll_create", create_errno_);
		evt.events = events_;
		evt.data.fd = fd;
		if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &evt) < 0) {
			o.ret = -1;
			o.err = errno;
			o.failed_call = "epoll_ctl(EPOLL_CTL_ADD)";
			return o;
		}
		o.ret = epoll_wait(epfd_, &evt, 1, 0);
		o.err = o.ret < 0 ? errno : 0;
		o.raw = o.ret > 0 ? evt.events : 0;
		if (epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, &evt) < 0 && o.ret >= 0) {
			o.ret = -1;
			o.err = errno;
			o.failed_call = "epoll_ctl(EPOLL_CTL_DEL)";
		}
		return o;
	}

private:
	int epfd_;
	int create_errno_;
	uint32_t events_;
};

} // namespace

/* Cheap probe: an emulation layer may lack epoll altogether. */
const char *epoll_unavailable()
{
	int fd = epoll_create1(0);
	if (fd < 0)
		return "epoll_create1() fails here";
	close(fd);
	return nullptr;
}

extern const Backend backend_epoll = {
	"epoll",
	"epoll_wait() level-triggered for the interest (haproxy's EPOLLIN|EPOLLOUT|EPOLLRDHUP by default), timeout 0, fd added and removed around each call",
	epoll_unavailable,
	open_observer<EpollObserver>,
	epoll_flags,
	sizeof(epoll_flags) / sizeof(epoll_flags[0]),
	nullptr,
	0,
	"mask",
	false,
	PM_ALL_PROPERTIES,
};

} // namespace pollmatrix
