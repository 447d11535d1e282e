/*
 * poll.cc - poll(2), asked exactly as haproxy's dev/poll/poll asks it:
 * one descriptor, timeout 0, events POLLIN|POLLOUT|POLLRDHUP (where the OS
 * defines POLLRDHUP) unless the scenario asks for another interest.
 */
#include <cerrno>
#include <memory>

#include <poll.h>

#include "../os/os.h"
#include "backend.h"
#include "poll_flags.h"

namespace pollmatrix {

namespace {

class PollObserver : public Observer {
public:
	explicit PollObserver(uint32_t interest) : events_(poll_events(interest)) {}

	/* Contract: one poll() on `fd` with the interest's events and timeout
	 * 0. raw is revents when poll() returned > 0, else 0. */
	Observation observe(const PolTarget &target) override
	{
		int fd = target.fd;
		struct pollfd pfd = {fd, events_, 0};
		Observation o;

		o.ret = os::poll(&pfd, 1, 0);
		o.err = o.ret < 0 ? errno : 0;
		o.raw = o.ret > 0 ? (uint16_t)pfd.revents : 0;
		return o;
	}

private:
	short events_;
};

} // namespace

extern const Backend backend_poll = {
	"poll",
#ifdef POLLRDHUP
	"poll() for the interest (haproxy's POLLIN|POLLOUT|POLLRDHUP by default), timeout 0",
#else
	"poll() for the interest (POLLIN|POLLOUT by default: this OS has no POLLRDHUP), timeout 0",
#endif
	always_available,
	open_observer<PollObserver>,
	PM_POLL_REVENTS_RECORD(poll_flags, poll_flags_count, false),
};

} // namespace pollmatrix
