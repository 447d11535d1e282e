/*
 * poll_flags.h - the names of poll(2)'s revents bits, defined in
 * backend_poll.cc. Shared with every mechanism whose result is a poll(2)
 * revents mask (io_uring's IORING_OP_POLL_ADD completes with one,
 * io_uring_enter(2)), so no second POLL* table can drift from the first.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include <poll.h>

#include "backend.h"
#include "interest.h"

namespace pollmatrix {

extern const FlagName poll_flags[];
extern const size_t poll_flags_count;

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
