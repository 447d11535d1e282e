/*
 * select.cc - select(2) with the descriptor in the sets the interest
 * names (IN: read, OUT: write, PRI: except) and a zero timeout. select()
 * returns sets, not a mask, so raw is pollmatrix's own: bit 0 = still in readfds (R), bit 1 = writefds (W),
 * bit 2 = exceptfds (X). ret is select()'s count of set bits.
 */
#include <cerrno>
#include <memory>

#include <sys/select.h>

#include "../os/os.h"
#include "backend.h"
#include "interest.h"

namespace pollmatrix {

namespace {

const uint32_t in_read = 0x1, in_write = 0x2, in_except = 0x4;

const FlagName select_flags[] = {
	{in_read, "R", "readable"},
	{in_write, "W", "writable"},
	/* "exceptional conditions": urgent data on a socket (select(2)). */
	{in_except, "X", "priority"},
};

class SelectObserver : public Observer {
public:
	explicit SelectObserver(uint32_t interest) : interest_(interest) {}

	/* Contract: one select(fd + 1, r, w, x, {0, 0}) with the descriptor in
	 * the read set for IN, the write set for OUT and the except set for PRI;
	 * RDHUP has no set (haproxy's default interest asks read and write). A
	 * descriptor at or above FD_SETSIZE
	 * cannot be put in an fd_set without writing out of bounds (select(2)),
	 * so it is not measured. */
	Observation observe(const PolTarget &target) override
	{
		int fd = target.fd;
		Observation o;
		fd_set r, w, x;
		struct timeval zero = {0, 0};

		if (fd < 0 || fd >= os::fd_setsize) {
			o.not_measured = "descriptor " + std::to_string(fd) + " is outside select()'s FD_SETSIZE (" +
			                 std::to_string(os::fd_setsize) + ")";
			return o;
		}
		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&x);
		if (interest_ & interest_in)
			FD_SET(fd, &r);
		if (interest_ & interest_out)
			FD_SET(fd, &w);
		if (interest_ & interest_pri)
			FD_SET(fd, &x);
		o.ret = os::select(fd + 1, &r, &w, &x, &zero);
		o.err = o.ret < 0 ? errno : 0;
		if (o.ret > 0)
			o.raw = (FD_ISSET(fd, &r) ? in_read : 0) | (FD_ISSET(fd, &w) ? in_write : 0) |
			        (FD_ISSET(fd, &x) ? in_except : 0);
		return o;
	}

private:
	uint32_t interest_;
};

} // namespace

extern const Backend backend_select = {
	"select",
	"select() with the descriptor in the read set (IN), write set (OUT) and except set (PRI) of the interest, timeout 0",
	always_available,
	open_observer<SelectObserver>,
	select_flags,
	sizeof(select_flags) / sizeof(select_flags[0]),
	nullptr,
	0,
	"mask",
	false,
	"readable writable priority invalid",
};

} // namespace pollmatrix
