/*
 * epoll.cc - epoll(7), in three modes:
 *   epoll          level-triggered, as haproxy's `-e` asks it: the
 *                  descriptor is added with the interest's events
 *                  (EPOLLIN|EPOLLOUT|EPOLLRDHUP by default), epoll_wait() runs
 *                  with one slot and timeout 0, then the descriptor is removed
 *                  again. The epoll instance is made at the first `pol` and
 *                  lives to the end of the scenario.
 *   epoll-et       EPOLLET, registered at the endpoint's first `pol` and kept
 *   epoll-oneshot  EPOLLONESHOT, the same; `arm` re-arms it (EPOLL_CTL_MOD)
 * The two persistent modes (persistent.h) show in a second `pol` what edge or
 * oneshot semantics leave: epoll(7): "an edge-triggered ... will be delivered
 * only when changes occur"; EPOLLONESHOT: "the associated file descriptor is
 * internally disabled and no other events will be reported by the epoll
 * interface" until EPOLL_CTL_MOD re-arms it. Every `pol` there is one
 * epoll_wait() with timeout 0 on the endpoint's own instance.
 * Linux only (HAVE_EPOLL); the list (list.cc) says so elsewhere.
 */
#ifdef HAVE_EPOLL

#include <cerrno>
#include <memory>

#include <sys/epoll.h>
#include <unistd.h>

#include "../os/os.h"
#include "backend.h"
#include "interest.h"
#include "persistent.h"

namespace pollmatrix {

namespace {

/* haproxy's six names first and in its order, then the other output bits
 * <sys/epoll.h> defines. Input-only flags (EPOLLET, EPOLLONESHOT,
 * EPOLLEXCLUSIVE, EPOLLWAKEUP) are never returned and are left out. */
constexpr FlagName epoll_flags[] = {
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
constexpr size_t epoll_flags_count = sizeof(epoll_flags) / sizeof(epoll_flags[0]);

/* Every interest bit is an EPOLL* bit of the same name (epoll_ctl(2));
 * EPOLLERR and EPOLLHUP are reported asked or not ("epoll_wait(2) will always
 * wait for this event; it is not necessary to set it in events"), and are
 * passed as asked all the same. */
constexpr InterestMapping epoll_interest[] = {
	{interest_in, "EPOLLIN", nullptr},         {interest_pri, "EPOLLPRI", nullptr},
	{interest_out, "EPOLLOUT", nullptr},       {interest_rdnorm, "EPOLLRDNORM", nullptr},
	{interest_rdband, "EPOLLRDBAND", nullptr}, {interest_wrnorm, "EPOLLWRNORM", nullptr},
	{interest_wrband, "EPOLLWRBAND", nullptr}, {interest_msg, "EPOLLMSG", nullptr},
	{interest_err, "EPOLLERR", nullptr},       {interest_hup, "EPOLLHUP", nullptr},
	{interest_rdhup, "EPOLLRDHUP", nullptr},
};
constexpr size_t epoll_interest_count = sizeof(epoll_interest) / sizeof(epoll_interest[0]);

uint32_t epoll_events(uint32_t interest)
{
	static const struct {
		uint32_t bit;
		uint32_t event;
	} events_of[] = {
		{interest_in, EPOLLIN},         {interest_pri, EPOLLPRI},       {interest_out, EPOLLOUT},
		{interest_rdnorm, EPOLLRDNORM}, {interest_rdband, EPOLLRDBAND}, {interest_wrnorm, EPOLLWRNORM},
		{interest_wrband, EPOLLWRBAND}, {interest_msg, EPOLLMSG},       {interest_err, EPOLLERR},
		{interest_hup, EPOLLHUP},       {interest_rdhup, EPOLLRDHUP},
	};
	uint32_t events = 0;
	for (const auto &e : events_of)
		if (interest & e.bit)
			events |= e.event;
	return events;
}

/* An epoll instance, close-on-exec as every descriptor a scenario makes
 * (os/portability.h). A failure is named "epoll_create". */
Instance make_epoll()
{
	int fd = os::epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0)
		return {-1, "epoll_create", errno};
	return {fd, nullptr, 0};
}

Observation &failure(Observation &o, const char *call)
{
	o.ret = -1;
	o.err = errno;
	o.failed_call = call;
	return o;
}

class EpollObserver : public Observer {
public:
	/* The epoll instance is made here, at the scenario's first `pol`, as
	 * haproxy's tool makes it (epoll_create(1024) there; the size is ignored
	 * since Linux 2.6.8), so it takes the same number. */
	explicit EpollObserver(uint32_t interest) : epoll_(make_epoll()), events_(epoll_events(interest)) {}

	~EpollObserver() override
	{
		if (epoll_.fd >= 0)
			os::close(epoll_.fd);
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

		if (epoll_.fd < 0)
			return mechanism_not_created(o, epoll_.call, epoll_.err);
		evt.events = events_;
		evt.data.fd = fd;
		if (os::epoll_ctl(epoll_.fd, EPOLL_CTL_ADD, fd, &evt) < 0)
			return failure(o, "epoll_ctl(EPOLL_CTL_ADD)");
		o.ret = os::epoll_wait(epoll_.fd, &evt, 1, 0);
		o.err = o.ret < 0 ? errno : 0;
		o.raw = o.ret > 0 ? evt.events : 0;
		if (os::epoll_ctl(epoll_.fd, EPOLL_CTL_DEL, fd, &evt) < 0 && o.ret >= 0)
			failure(o, "epoll_ctl(EPOLL_CTL_DEL)");
		return o;
	}

private:
	Instance epoll_;
	uint32_t events_;
};

class PersistentEpollObserver : public Observer {
public:
	PersistentEpollObserver(uint32_t interest, uint32_t mode)
		: events_(epoll_events(interest) | mode), registrations_(make_epoll) {}

	/* Contract: at the endpoint's first `pol` (or when it is open under a
	 * new descriptor) EPOLL_CTL_ADD the descriptor to the endpoint's epoll
	 * instance with the interest's events and the mode flag; then one
	 * epoll_wait(timeout 0) on that instance. A failing epoll_create1 is
	 * "not measured" (mechanism_not_created); a failing epoll_ctl is the
	 * observation (failed_call), and the next `pol` registers again. */
	Observation observe(const PolTarget &target) override
	{
		Observation o;
		Registrations::Registration &r = registrations_.prepare(target.slot);
		struct epoll_event evt = {};

		if (r.instance.fd < 0)
			return mechanism_not_created(o, r.instance.call, r.instance.err);
		if (!r.holds(target)) {
			evt.events = events_;
			evt.data.fd = target.fd;
			if (os::epoll_ctl(r.instance.fd, EPOLL_CTL_ADD, target.fd, &evt) < 0)
				return failure(o, "epoll_ctl(EPOLL_CTL_ADD)");
			r.registered(target);
		}
		o.ret = os::epoll_wait(r.instance.fd, &evt, 1, 0);
		o.err = o.ret < 0 ? errno : 0;
		o.raw = o.ret > 0 ? evt.events : 0;
		return o;
	}

	/* The endpoint's epoll instance, made before the step picks its
	 * number (Observer::prepare). */
	void prepare(int slot) override
	{
		registrations_.prepare(slot);
	}

	/* Contract: EPOLL_CTL_MOD of the endpoint's registration with the same
	 * events and mode flag: re-arms a oneshot registration, and for an
	 * edge-triggered one makes the current state an edge again. Before the
	 * endpoint's first `pol` there is nothing to re-arm (a note says so). */
	Observation rearm(const PolTarget &target) override
	{
		Observation o;
		const Registrations::Registration *r = registrations_.for_rearm(target.slot, o);
		if (!r)
			return o;
		struct epoll_event evt = {};
		evt.events = events_;
		evt.data.fd = r->rearm_fd(target);
		if (os::epoll_ctl(r->instance.fd, EPOLL_CTL_MOD, r->rearm_fd(target), &evt) < 0)
			return failure(o, "epoll_ctl(EPOLL_CTL_MOD)");
		return o;
	}

private:
	uint32_t events_;
	Registrations registrations_;
};

template <uint32_t Mode>
std::unique_ptr<Observer> open_persistent(uint32_t interest)
{
	return std::unique_ptr<Observer>(new PersistentEpollObserver(interest, Mode));
}

/* Cheap probe: an emulation layer may lack epoll altogether. */
const char *epoll_unavailable()
{
	int fd = os::epoll_create1(0);
	if (fd < 0)
		return "epoll_create1() fails here";
	os::close(fd);
	return nullptr;
}

} // namespace

extern const Backend backend_epoll = {
	"epoll",
	"epoll_wait() level-triggered for the interest (haproxy's EPOLLIN|EPOLLOUT|EPOLLRDHUP by default), timeout 0, fd added and removed around each call",
	epoll_unavailable,
	open_observer<EpollObserver>,
	epoll_flags,
	epoll_flags_count,
	nullptr,
	0,
	"mask",
	false,
	PM_ALL_PROPERTIES,
	epoll_interest,
	epoll_interest_count,
};

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
	epoll_interest,
	epoll_interest_count,
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
	epoll_interest,
	epoll_interest_count,
};

} // namespace pollmatrix

#endif /* HAVE_EPOLL */
