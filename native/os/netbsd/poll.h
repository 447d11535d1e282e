/*
 * os/netbsd/poll.h - NetBSD's <poll.h> for the rump build (os.h,
 * "Vocabulary"): scripts/rump-addon.mk puts os/netbsd/ first on the include
 * path, so everything above the system-call border asks poll() in NetBSD's
 * words and names NetBSD's bits (backends/poll_flags.h): POLLWRBAND is
 * 0x100 there (Linux: 0x200), and there is no POLLRDHUP, so
 * `#ifdef POLLRDHUP` answers for the kernel under test. The values are
 * those of sys/poll.h of the pinned tree (NetBSD 7.99.34, 2016-07-28),
 * held to netbsd-abi.h, which scripts/netbsd-abi-check.cc holds to that
 * header. No poll() is declared: the only poll() is os::poll (rump.cc).
 */
#ifndef PM_NETBSD_POLL_H
#define PM_NETBSD_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "../netbsd-abi.h"

typedef unsigned int nfds_t;

struct pollfd {
	int fd;        /* file descriptor */
	short events;  /* events to look for */
	short revents; /* events returned */
};

#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLRDNORM 0x0040
#define POLLWRNORM POLLOUT
#define POLLRDBAND 0x0080
#define POLLWRBAND 0x0100
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020

#define INFTIM -1

static_assert(sizeof(struct pollfd) == sizeof(netbsd::pollfd) && offsetof(struct pollfd, events) == offsetof(netbsd::pollfd, events) &&
		      offsetof(struct pollfd, revents) == offsetof(netbsd::pollfd, revents),
	      "struct pollfd is not NetBSD's");
static_assert(POLLIN == netbsd::pollin && POLLPRI == netbsd::pollpri && POLLOUT == netbsd::pollout &&
		      POLLRDNORM == netbsd::pollrdnorm && POLLWRNORM == netbsd::pollwrnorm &&
		      POLLRDBAND == netbsd::pollrdband && POLLWRBAND == netbsd::pollwrband && POLLERR == netbsd::pollerr &&
		      POLLHUP == netbsd::pollhup && POLLNVAL == netbsd::pollnval,
	      "a POLL* value is not NetBSD's");

#endif
