/*
 * backend_poll.cc - poll(2), asked exactly as haproxy's dev/poll/poll asks it:
 * one descriptor, timeout 0, events POLLIN|POLLOUT|POLLRDHUP (where the OS
 * defines POLLRDHUP) unless the scenario asks for another interest.
 */
#include <cerrno>
#include <memory>

#include <poll.h>

#include "backend.h"
#include "poll_flags.h"

namespace pollmatrix {

/* haproxy's seven names first and in its order, so its trace decodes the same;
 * then every other POLL* constant this OS defines. Pitfall: 0x2000 is POLLRDHUP
 * on Linux but POLLINIGNEOF on FreeBSD (sys/poll.h), whose POLLRDHUP is 0x4000.
 * Each name comes from the OS's own constant, so neither is mistaken. Where a
 * constant aliases an earlier one (POLLWRNORM == POLLOUT on FreeBSD), the
 * first entry names the bit. External (poll_flags.h): io_uring's POLL_ADD
 * returns the same revents and decodes with this table. */
const FlagName poll_flags[] = {
	{POLLIN, "IN", "readable"},
	{POLLPRI, "PRI", "priority"},
	{POLLOUT, "OUT", "writable"},
	{POLLERR, "ERR", "error"},
	/* Both directions shut (mio: "EPOLLHUP is a mask for a socket's
	 * RCV_SHUTDOWN and SEND_SHUTDOWN"), so reading is over too. */
	{POLLHUP, "HUP", "hangup read-closed"},
	{POLLNVAL, "NVAL", "invalid"},
#ifdef POLLRDHUP
	{POLLRDHUP, "RDHUP", "read-closed"},
#endif
#ifdef POLLRDNORM
	{POLLRDNORM, "RDNORM"},
#endif
#ifdef POLLRDBAND
	{POLLRDBAND, "RDBAND"},
#endif
#ifdef POLLWRNORM
	{POLLWRNORM, "WRNORM"},
#endif
#ifdef POLLWRBAND
	{POLLWRBAND, "WRBAND"},
#endif
#ifdef POLLMSG
	{POLLMSG, "MSG"},
#endif
#ifdef POLLREMOVE
	{POLLREMOVE, "REMOVE"},
#endif
#ifdef POLLINIGNEOF
	{POLLINIGNEOF, "INIGNEOF"},
#endif
#ifdef POLLEXTEND
	{POLLEXTEND, "EXTEND"},
#endif
#ifdef POLLATTRIB
	{POLLATTRIB, "ATTRIB"},
#endif
#ifdef POLLNLINK
	{POLLNLINK, "NLINK"},
#endif
#ifdef POLLWRITE
	{POLLWRITE, "WRITE"},
#endif
};
const size_t poll_flags_count = sizeof(poll_flags) / sizeof(poll_flags[0]);

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

		o.ret = poll(&pfd, 1, 0);
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
	poll_flags,
	sizeof(poll_flags) / sizeof(poll_flags[0]),
	nullptr,
	0,
	"mask",
	false,
	PM_ALL_PROPERTIES,
};

} // namespace pollmatrix
