/*
 * backend_poll.cc - poll(2), asked exactly as haproxy's dev/poll/poll asks it:
 * events POLLIN|POLLOUT|POLLRDHUP (where the OS defines POLLRDHUP), one
 * descriptor, timeout 0.
 */
#include <cerrno>
#include <memory>

#include <poll.h>

#include "backend.h"
#include "poll_flags.h"

namespace pollmatrix {

namespace {

#ifdef POLLRDHUP
const short requested = POLLIN | POLLOUT | POLLRDHUP;
#else
const short requested = POLLIN | POLLOUT;
#endif

} // namespace

/* haproxy's seven names first and in its order, so its trace decodes the same;
 * then every other POLL* constant this OS defines. Pitfall: 0x2000 is POLLRDHUP
 * on Linux but POLLINIGNEOF on FreeBSD (sys/poll.h), whose POLLRDHUP is 0x4000.
 * Each name comes from the OS's own constant, so neither is mistaken. Where a
 * constant aliases an earlier one (POLLWRNORM == POLLOUT on FreeBSD), the
 * first entry names the bit. External (poll_flags.h): io_uring's POLL_ADD
 * returns the same revents and decodes with this table. */
const FlagName poll_flags[] = {
	{POLLIN, "IN"},
	{POLLPRI, "PRI"},
	{POLLOUT, "OUT"},
	{POLLERR, "ERR"},
	{POLLHUP, "HUP"},
	{POLLNVAL, "NVAL"},
#ifdef POLLRDHUP
	{POLLRDHUP, "RDHUP"},
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
	/* Contract: one poll() on `fd` with the requested events and timeout
	 * 0. raw is revents when poll() returned > 0, else 0. */
	Observation observe(int fd) override
	{
		struct pollfd pfd = {fd, requested, 0};
		Observation o;

		o.ret = poll(&pfd, 1, 0);
		o.err = o.ret < 0 ? errno : 0;
		o.raw = o.ret > 0 ? (uint16_t)pfd.revents : 0;
		return o;
	}
};

} // namespace

extern const Backend backend_poll = {
	"poll",
#ifdef POLLRDHUP
	"poll() for POLLIN|POLLOUT|POLLRDHUP, timeout 0",
#else
	"poll() for POLLIN|POLLOUT (this OS has no POLLRDHUP), timeout 0",
#endif
	always_available,
	open_observer<PollObserver>,
	poll_flags,
	sizeof(poll_flags) / sizeof(poll_flags[0]),
	nullptr,
	0,
};

} // namespace pollmatrix
