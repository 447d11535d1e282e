/*
 * poll_flags.h - the names of poll(2)'s revents bits and the events an
 * interest asks for. Shared by every mechanism whose result is a poll(2)
 * revents mask (poll.cc; io_uring.cc: IORING_OP_POLL_ADD completes with one,
 * io_uring_enter(2)), so no second POLL* table can drift from the first.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include <poll.h>

#include "backend.h"
#include "interest.h"

namespace pollmatrix {

/* haproxy's seven names first and in its order, so its trace decodes the same;
 * then every other POLL* constant this OS defines. Pitfall: 0x2000 is POLLRDHUP
 * on Linux but POLLINIGNEOF on FreeBSD (sys/poll.h), whose POLLRDHUP is 0x4000.
 * Each name comes from the OS's own constant, so neither is mistaken. Where a
 * constant aliases an earlier one (POLLWRNORM == POLLOUT on FreeBSD), the
 * first entry names the bit. Every file that includes this header has its
 * own copy (constexpr: internal linkage), so a copy of poll.cc under another
 * name links. */
constexpr FlagName poll_flags[] = {
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
constexpr size_t poll_flags_count = sizeof(poll_flags) / sizeof(poll_flags[0]);

/* poll(2)'s constant for each interest bit (interest.h) this OS defines, one
 * #ifdef per entry as for the flag names above. io_uring's POLL_ADD takes the
 * same values (demangle_poll(), io_uring/poll.c, converts every one of
 * them). poll(2): POLLERR, POLLHUP and POLLNVAL are "ignored in events" and
 * reported anyway; they are still passed as asked, and what comes back is
 * what is measured. */
struct PollAsk {
	uint32_t bit;
	short events;
	const char *name;
};
constexpr PollAsk poll_asks[] = {
	{interest_in, POLLIN, "POLLIN"},
	{interest_pri, POLLPRI, "POLLPRI"},
	{interest_out, POLLOUT, "POLLOUT"},
#ifdef POLLRDNORM
	{interest_rdnorm, POLLRDNORM, "POLLRDNORM"},
#endif
#ifdef POLLRDBAND
	{interest_rdband, POLLRDBAND, "POLLRDBAND"},
#endif
#ifdef POLLWRNORM
	{interest_wrnorm, POLLWRNORM, "POLLWRNORM"},
#endif
#ifdef POLLWRBAND
	{interest_wrband, POLLWRBAND, "POLLWRBAND"},
#endif
#ifdef POLLMSG
	{interest_msg, POLLMSG, "POLLMSG"},
#endif
	{interest_err, POLLERR, "POLLERR"},
	{interest_hup, POLLHUP, "POLLHUP"},
#ifdef POLLRDHUP
	{interest_rdhup, POLLRDHUP, "POLLRDHUP"},
#endif
};

/* What a bit without a constant here becomes: refused, naming the constant;
 * RDHUP is not asked (macOS, NetBSD), as haproxy's default always was there. */
constexpr InterestMapping poll_missing[] = {
	{interest_rdnorm, nullptr, "this OS's <poll.h> defines no POLLRDNORM"},
	{interest_rdband, nullptr, "this OS's <poll.h> defines no POLLRDBAND"},
	{interest_wrnorm, nullptr, "this OS's <poll.h> defines no POLLWRNORM"},
	{interest_wrband, nullptr, "this OS's <poll.h> defines no POLLWRBAND"},
	{interest_msg, nullptr, "this OS's <poll.h> defines no POLLMSG"},
	{interest_rdhup, "nothing", "this OS's <poll.h> defines no POLLRDHUP: RDHUP not asked"},
};

/* How poll(2) asks for each interest bit, in interest_names' order: its
 * constant from poll_asks, or its poll_missing entry. */
struct PollInterest {
	InterestMapping map[interest_count];
};
constexpr PollInterest make_poll_interest()
{
	PollInterest t{};
	for (size_t i = 0; i < interest_count; i++) {
		uint32_t bit = interest_names[i].bit;
		t.map[i] = {bit, nullptr, "no poll(2) constant for this bit"};
		for (const InterestMapping &m : poll_missing)
			if (m.bit == bit)
				t.map[i] = m;
		for (const PollAsk &a : poll_asks)
			if (a.bit == bit)
				t.map[i] = {bit, a.name, nullptr};
	}
	return t;
}
constexpr PollInterest poll_interest = make_poll_interest();

/* The tail of a Backend record (backend.h) whose observation is a poll(2)
 * revents mask, named and mapped by this file's tables: poll, io_uring and
 * its modes. `persistent` as Backend::persistent. */
#define PM_POLL_REVENTS_RECORD(flags, nflags, persistent) \
	flags, nflags, nullptr, 0, "mask", persistent, PM_ALL_PROPERTIES, poll_interest.map, interest_count

/* The poll(2) events for an interest: each bit's constant where this OS
 * defines it. A bit refused here is never asked: the engine does not run a
 * `pol` whose interest has one (backend.h, interest_refused()). */
inline short poll_events(uint32_t interest)
{
	short events = 0;
	for (const PollAsk &a : poll_asks)
		if (interest & a.bit)
			events |= a.events;
	return events;
}

} // namespace pollmatrix
