/*
 * poll_flags.h - the names of poll(2)'s revents bits, defined in
 * backend_poll.cc. Shared with every mechanism whose result is a poll(2)
 * revents mask (io_uring's IORING_OP_POLL_ADD completes with one,
 * io_uring_enter(2)), so no second POLL* table can drift from the first.
 */
#pragma once

#include <cstddef>

#include "backend.h"

namespace pollmatrix {

extern const FlagName poll_flags[];
extern const size_t poll_flags_count;

} // namespace pollmatrix
