/*
 * interest.h - what a `pol` asks for, in words every mechanism maps its own
 * way (ARCHITECTURE.md "Concepts"): haproxy asks for IN|OUT|RDHUP; a scenario may ask
 * for any subset, the empty set included (events=0, where only conditions a
 * mechanism reports unasked can come back).
 *   poll, epoll, io_uring: IN->POLLIN, OUT->POLLOUT, PRI->POLLPRI,
 *                          RDHUP->POLLRDHUP where the OS has it
 *   select:                IN->readfds, OUT->writefds, PRI->exceptfds
 *   kqueue:                IN->EVFILT_READ, OUT->EVFILT_WRITE,
 *                          PRI->EVFILT_EXCEPT with NOTE_OOB where it exists
 */
#pragma once

#include <cstdint>

namespace pollmatrix {

enum InterestBit : uint32_t {
	interest_in = 0x1,
	interest_out = 0x2,
	interest_pri = 0x4,
	interest_rdhup = 0x8,
};

struct InterestName {
	uint32_t bit;
	const char *name;
};

constexpr InterestName interest_names[] = {
	{interest_in, "IN"},
	{interest_out, "OUT"},
	{interest_pri, "PRI"},
	{interest_rdhup, "RDHUP"},
};

/* haproxy's dev/poll/poll: POLLIN|POLLOUT|POLLRDHUP. */
constexpr uint32_t interest_default = interest_in | interest_out | interest_rdhup;

} // namespace pollmatrix
