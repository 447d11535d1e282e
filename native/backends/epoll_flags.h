/*
 * epoll_flags.h - the names of epoll's event bits (defined in
 * backend_epoll.cc) and the events an interest asks for. Shared by the
 * level-triggered backend and the persistent modes (backend_epoll_modes.cc),
 * so no second EPOLL* table can drift from the first. Linux only.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include <sys/epoll.h>

#include "backend.h"
#include "interest.h"

namespace pollmatrix {

extern const FlagName epoll_flags[];
extern const size_t epoll_flags_count;

/* nullptr when epoll can be used here, else why not (a cheap probe). */
const char *epoll_unavailable();

inline uint32_t epoll_events(uint32_t interest)
{
	uint32_t events = 0;
	if (interest & interest_in)
		events |= EPOLLIN;
	if (interest & interest_out)
		events |= EPOLLOUT;
	if (interest & interest_pri)
		events |= EPOLLPRI;
	if (interest & interest_rdhup)
		events |= EPOLLRDHUP;
	return events;
}

} // namespace pollmatrix
