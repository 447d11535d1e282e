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

/* The poll(2) events for an interest (interest.h). RDHUP is asked only where
 * the OS defines POLLRDHUP (Linux 0x2000; FreeBSD 0x4000, where 0x2000 is
 * POLLINIGNEOF); macOS has none, and asks without it. */
inline short poll_events(uint32_t interest)
{
	short events = 0;
	if (interest & interest_in)
		events |= POLLIN;
	if (interest & interest_out)
		events |= POLLOUT;
	if (interest & interest_pri)
		events |= POLLPRI;
#ifdef POLLRDHUP
	if (interest & interest_rdhup)
		events |= POLLRDHUP;
#endif
	return events;
}

} // namespace pollmatrix
