/*
 * select.cc - select(2) with the descriptor in the sets the interest
 * names (IN, RDNORM: read; OUT, WRNORM: write; PRI: except) and a zero
 * timeout. select()
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

/* select(2) has three sets: "readfds ... to see if they are ready for
 * reading", "writefds ... ready for writing", "exceptfds ... for exceptional
 * conditions" (on a socket: out-of-band data, POSIX pselect(): "a receive
 * operation ... with the MSG_OOB flag set would return out-of-band data
 * without blocking"). IN and RDNORM ("normal data", poll(2)) are what
 * readfds asks; OUT and WRNORM what writefds asks; PRI what exceptfds asks.
 * No set asks for band data (RDBAND, WRBAND: Linux's fs/select.c counts them
 * in the read and write sets' results, POLLIN_SET and POLLOUT_SET, but no
 * page documents that as asking for them), MSG, ERR or HUP: those are
 * refused. RDHUP has no set and is not asked, as it never was for haproxy's
 * default interest. */
const InterestMapping select_interest[] = {
	{interest_in, "readfds", nullptr},
	{interest_pri, "exceptfds", nullptr},
	{interest_out, "writefds", nullptr},
	{interest_rdnorm, "readfds", "select asks readfds for RDNORM, the same set as IN"},
	{interest_rdband, nullptr, "select has no set for RDBAND"},
	{interest_wrnorm, "writefds", "select asks writefds for WRNORM, the same set as OUT"},
	{interest_wrband, nullptr, "select has no set for WRBAND"},
	{interest_msg, nullptr, "select has no set for MSG"},
	{interest_err, nullptr, "select has no set for ERR"},
	{interest_hup, nullptr, "select has no set for HUP"},
	{interest_rdhup, "nothing", "select has no set for RDHUP: not asked"},
};

class SelectObserver : public Observer {
public:
	explicit SelectObserver(uint32_t interest) : interest_(interest) {}

	/* Contract: one select(fd + 1, r, w, x, {0, 0}) with the descriptor in
	 * the read set for IN or RDNORM, the write set for OUT or WRNORM and the
	 * except set for PRI (select_interest; the engine runs no `pol` with a
	 * refused bit); RDHUP has no set (haproxy's default interest asks read
	 * and write). A
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
		if (interest_ & (interest_in | interest_rdnorm))
			FD_SET(fd, &r);
		if (interest_ & (interest_out | interest_wrnorm))
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
	"select() with the descriptor in the read set (IN, RDNORM), write set (OUT, WRNORM) and except set (PRI) of the interest, timeout 0; RDHUP has no set; RDBAND WRBAND MSG ERR HUP are refused",
	always_available,
	open_observer<SelectObserver>,
	select_flags,
	sizeof(select_flags) / sizeof(select_flags[0]),
	nullptr,
	0,
	"mask",
	false,
	"readable writable priority invalid",
	select_interest,
	sizeof(select_interest) / sizeof(select_interest[0]),
};

} // namespace pollmatrix
