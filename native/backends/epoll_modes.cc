/*
 * backend_epoll_modes.cc - epoll with registrations that persist: epoll-et
 * (EPOLLET) and epoll-oneshot (EPOLLONESHOT). DESIGN.md "Mode": the endpoint
 * is registered at its first `pol` and stays registered; every `pol` is one
 * epoll_wait() with timeout 0, so a second `pol` shows what edge-triggered or
 * oneshot semantics leave (epoll(7): "an edge-triggered ... will be
 * delivered only when changes occur"; EPOLLONESHOT: "the associated file
 * descriptor is internally disabled and no other events will be reported by
 * the epoll interface" until EPOLL_CTL_MOD re-arms it, which `arm` does).
 *
 * Each endpoint has an epoll instance of its own, made at its first `pol`,
 * so a `pol` on one endpoint never consumes another endpoint's edge. A
 * registration dies silently with its descriptor's last close (epoll(7)
 * Q6), so a `pol` after `clo` waits on what is left and sees nothing; that
 * is what a program holding such a registration sees. An endpoint opened
 * again under another number (a FIFO end) is registered anew. Linux only.
 */
#include <cerrno>
#include <map>
#include <memory>

#include <sys/epoll.h>
#include <unistd.h>

#include "backend.h"
#include "epoll_flags.h"

namespace pollmatrix {

namespace {

class PersistentEpollObserver : public Observer {
public:
	PersistentEpollObserver(uint32_t interest, uint32_t mode) : events_(epoll_events(interest) | mode) {}

	~PersistentEpollObserver() override
	{
		for (auto &entry : registrations_)
			if (entry.second.epfd >= 0)
				close(entry.second.epfd);
	}

	/* Contract: at the endpoint's first `pol` (or when it is open under a
	 * new number) make its epoll instance if needed and EPOLL_CTL_ADD the
	 * descriptor with the interest's events and the mode flag; then one
	 * epoll_wait(timeout 0) on the endpoint's instance. A failing
	 * epoll_create1 or epoll_ctl is the observation (failed_call). */
	Observation observe(const PolTarget &target) override
	{
		Observation o;
		Registration &r = registrations_[target.slot];
		struct epoll_event evt = {};

		prepare(target.slot);
		if (r.epfd < 0)
			return mechanism_not_created(o, "epoll_create", r.create_errno);
		bool registered = r.fd >= 0 && (r.generation == target.generation || !target.endpoint_open);
		if (!registered) {
			evt.events = events_;
			evt.data.fd = target.fd;
			if (epoll_ctl(r.epfd, EPOLL_CTL_ADD, target.fd, &evt) < 0)
				return failure(o, "epoll_ctl(EPOLL_CTL_ADD)");
			r.fd = target.fd;
			r.generation = target.generation;
		}
		o.ret = epoll_wait(r.epfd, &evt, 1, 0);
		o.err = o.ret < 0 ? errno : 0;
		o.raw = o.ret > 0 ? evt.events : 0;
		return o;
	}

	/* The endpoint's epoll instance, made before the step picks its
	 * number (Observer::prepare). */
	void prepare(int slot) override
	{
		Registration &r = registrations_[slot];
		if (r.epfd >= 0)
			return;
		r.epfd = epoll_create1(EPOLL_CLOEXEC);
		r.create_errno = r.epfd < 0 ? errno : 0;
	}

	/* Contract: EPOLL_CTL_MOD of the endpoint's registration with the same
	 * events and mode flag: re-arms a oneshot registration, and for an
	 * edge-triggered one makes the current state an edge again. Before the
	 * endpoint's first `pol` there is nothing to re-arm. */
	Observation rearm(const PolTarget &target) override
	{
		Observation o;
		auto found = registrations_.find(target.slot);
		if (found == registrations_.end() || found->second.fd < 0) {
			o.note = "not registered yet: the endpoint's first pol registers it";
			return o;
		}
		struct epoll_event evt = {};
		evt.events = events_;
		evt.data.fd = found->second.fd;
		if (epoll_ctl(found->second.epfd, EPOLL_CTL_MOD, found->second.fd, &evt) < 0)
			return failure(o, "epoll_ctl(EPOLL_CTL_MOD)");
		return o;
	}

private:
	struct Registration {
		int epfd = -1;
		int create_errno = 0;
		/* The registered descriptor, -1 before the first `pol`. */
		int fd = -1;
		unsigned generation = 0;
	};
	uint32_t events_;
	std::map<int, Registration> registrations_;

	static Observation &failure(Observation &o, const char *call)
	{
		o.ret = -1;
		o.err = errno;
		o.failed_call = call;
		return o;
	}
};

template <uint32_t Mode>
std::unique_ptr<Observer> open_persistent(uint32_t interest)
{
	return std::unique_ptr<Observer>(new PersistentEpollObserver(interest, Mode));
}

} // namespace

extern const Backend backend_epoll_et = {
	"epoll-et",
	"epoll_wait() edge-triggered (EPOLLET) for the interest, timeout 0; the endpoint is registered at its first pol and stays",
	epoll_unavailable,
	open_persistent<EPOLLET>,
	epoll_flags,
	epoll_flags_count,
	nullptr,
	0,
	"mask",
	true,
	PM_ALL_PROPERTIES,
};

extern const Backend backend_epoll_oneshot = {
	"epoll-oneshot",
	"epoll_wait() with EPOLLONESHOT for the interest, timeout 0; registered at the endpoint's first pol, re-armed by arm (EPOLL_CTL_MOD)",
	epoll_unavailable,
	open_persistent<EPOLLONESHOT>,
	epoll_flags,
	epoll_flags_count,
	nullptr,
	0,
	"mask",
	true,
	PM_ALL_PROPERTIES,
};

} // namespace pollmatrix
