/*
 * interest.h - what a `pol` asks for, in words every mechanism maps its own
 * way (ARCHITECTURE.md "Concepts"): haproxy asks for IN|OUT|RDHUP; a scenario may ask
 * for any subset of the eleven names below, the empty set included
 * (events=0, where only conditions a mechanism reports unasked can come
 * back). The names are poll(2)'s and epoll_ctl(2)'s event bits.
 *
 * Each backend says, in one InterestMapping per bit, what it asks for that
 * bit or why it refuses it (Backend::interest_map; the README's interest
 * table): poll, epoll and io_uring have a constant for every bit; select and
 * kqueue map a few and refuse the rest. A refused bit is never dropped
 * silently: a `pol` asked with it is "not measured" with the reason, and
 * `trace` refuses it before running (exit 2). A bit mapped to nothing
 * (select's and kqueue's RDHUP) says so in the step's note whenever a
 * scenario names it itself.
 */
#pragma once

#include <cstddef>
#include <cstdint>

namespace pollmatrix {

enum InterestBit : uint32_t {
	interest_in = 0x1,
	interest_out = 0x2,
	interest_pri = 0x4,
	interest_rdhup = 0x8,
	interest_rdnorm = 0x10,
	interest_rdband = 0x20,
	interest_wrnorm = 0x40,
	interest_wrband = 0x80,
	interest_msg = 0x100,
	interest_err = 0x200,
	interest_hup = 0x400,
};

struct InterestName {
	uint32_t bit;
	const char *name;
};

/* haproxy's four first, in the order they always had (a scenario's interest
 * is kept in this order, so recorded documents keep theirs), then poll(2)'s
 * X/Open band bits and the rest. */
constexpr InterestName interest_names[] = {
	{interest_in, "IN"},          {interest_out, "OUT"},       {interest_pri, "PRI"},
	{interest_rdhup, "RDHUP"},    {interest_rdnorm, "RDNORM"}, {interest_rdband, "RDBAND"},
	{interest_wrnorm, "WRNORM"},  {interest_wrband, "WRBAND"}, {interest_msg, "MSG"},
	{interest_err, "ERR"},        {interest_hup, "HUP"},
};
constexpr size_t interest_count = sizeof(interest_names) / sizeof(interest_names[0]);

/* haproxy's dev/poll/poll: POLLIN|POLLOUT|POLLRDHUP. */
constexpr uint32_t interest_default = interest_in | interest_out | interest_rdhup;

/* How one mechanism asks for one interest bit. Exactly one of:
 *   asks set, note nullptr: it asks the mechanism's own bit or set ("POLLRDNORM");
 *   asks set, note set:     it asks as `asks` says, and that changes what was
 *                           asked; `note` says how ("select has no set for
 *                           RDHUP: not asked");
 *   asks nullptr:           refused; `note` says why ("select has no set for
 *                           RDBAND"). */
struct InterestMapping {
	uint32_t bit;
	const char *asks;
	const char *note;
};

/* The entry for `bit` in a mechanism's table, or nullptr. */
inline const InterestMapping *interest_mapping(const InterestMapping *map, size_t n, uint32_t bit)
{
	for (size_t i = 0; i < n; i++)
		if (map[i].bit == bit)
			return &map[i];
	return nullptr;
}

} // namespace pollmatrix
