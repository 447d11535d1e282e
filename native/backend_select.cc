/*
 * backend_select.cc - select(2) with the descriptor in the read, write and
 * except sets and a zero timeout. select() returns sets, not a mask, so raw is
 * pollmatrix's own: bit 0 = still in readfds (R), bit 1 = writefds (W),
 * bit 2 = exceptfds (X). ret is select()'s count of set bits.
 */
#include <cerrno>
#include <memory>

#include <sys/select.h>

#include "backend.h"

namespace pollmatrix {

namespace {

const uint32_t in_read = 0x1, in_write = 0x2, in_except = 0x4;

const FlagName select_flags[] = {
	{in_read, "R"},
	{in_write, "W"},
	{in_except, "X"},
};

class SelectObserver : public Observer {
public:
	/* Contract: one select(fd + 1, {fd}, {fd}, {fd}, {0, 0}). A descriptor
	 * at or above FD_SETSIZE cannot be put in an fd_set without writing out
	 * of bounds (select(2)), so it is not measured. */
	Observation observe(int fd) override
	{
		Observation o;
		fd_set r, w, x;
		struct timeval zero = {0, 0};

		if (fd < 0 || fd >= FD_SETSIZE) {
			o.not_measured = "descriptor " + std::to_string(fd) + " is outside select()'s FD_SETSIZE (" +
			                 std::to_string(FD_SETSIZE) + ")";
			return o;
		}
		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&x);
		FD_SET(fd, &r);
		FD_SET(fd, &w);
		FD_SET(fd, &x);
		o.ret = select(fd + 1, &r, &w, &x, &zero);
		o.err = o.ret < 0 ? errno : 0;
		if (o.ret > 0)
			o.raw = (FD_ISSET(fd, &r) ? in_read : 0) | (FD_ISSET(fd, &w) ? in_write : 0) |
			        (FD_ISSET(fd, &x) ? in_except : 0);
		return o;
	}
};

} // namespace

extern const Backend backend_select = {
	"select",
	"select() with the descriptor in the read, write and except sets, timeout 0",
	always_available,
	open_observer<SelectObserver>,
	select_flags,
	sizeof(select_flags) / sizeof(select_flags[0]),
	nullptr,
	0,
};

} // namespace pollmatrix
