/*
 * netlink.cc - a route socket: socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE),
 * nonblocking, one endpoint n, bound by the kernel at the first send
 * (netlink(7)). Its actions take netlink's meaning:
 *   snd  send an RTM_GETLINK dump request (NLM_F_REQUEST|NLM_F_DUMP), which
 *        needs no privilege (rtnetlink(7)); the first part of the reply is
 *        queued before send() returns (rtnetlink_rcv runs in the sender's
 *        context), the next one at each read (af_netlink.c netlink_recvmsg
 *        -> netlink_dump), so a dump never overruns the receive buffer;
 *   rcv  recv(2) one whole datagram (room for 32 KiB); the note counts its
 *        messages and says whether NLMSG_DONE ended it;
 *   drn  recv until EAGAIN, without waiting: ret the bytes received;
 *   ful  cause an overrun without privilege: SO_RCVBUF set to 0 (the kernel
 *        raises it to its minimum, socket(7)), then 64 RTM_GETLINK requests
 *        for ifindex 1 (lo), none read. Each reply is sent from the kernel
 *        without waiting (netlink_unicast, MSG_DONTWAIT); once the queue is
 *        over the buffer the kernel drops it and netlink_overrun() sets
 *        sk_err = ENOBUFS, so poll reports POLLERR and the next recv fails
 *        with ENOBUFS (netlink(7) BUGS, af_netlink.c netlink_attachskb).
 *        ret is the number of requests sent.
 * In a worker's private network namespace the dump sees lo alone. Linux only:
 * the NetBSD rump kernel has no netlink.
 */
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <sys/socket.h>

#include "../os/errnos.h"
#include "../os/os.h"
#include "transport.h"

#ifdef PM_HAVE_LINUX_FDS
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#endif

namespace pollmatrix {

namespace {

#ifdef PM_HAVE_LINUX_FDS

const int overrun_requests = 64;
/* Room for one datagram of a dump (the kernel's parts are at most 32 KiB).
 * Each step has its own: workers run scenarios on several threads at once. */
const size_t datagram_room = 32768;

struct LinkRequest {
	struct nlmsghdr header;
	struct ifinfomsg link;
};

/* RTM_GETLINK: a dump of every link, or the link of `ifindex` alone. */
ssize_t send_getlink(int fd, bool dump, int ifindex, unsigned seq)
{
	LinkRequest req;
	memset(&req, 0, sizeof(req));
	req.header.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.header.nlmsg_type = RTM_GETLINK;
	req.header.nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	req.header.nlmsg_seq = seq;
	req.link.ifi_family = AF_UNSPEC;
	req.link.ifi_index = ifindex;
	return os::send(fd, &req, sizeof(req), MSG_DONTWAIT);
}

void sent(ssize_t got, StepRecord &rec)
{
	rec.ret = got;
	rec.err = got < 0 ? errno : 0;
}

/* One datagram, whole; its messages counted in the note. */
void receive_one(int fd, StepRecord &rec)
{
	std::vector<char> room(datagram_room);
	char *buf = room.data();
	ssize_t got = os::recv(fd, buf, room.size(), MSG_DONTWAIT);
	sent(got, rec);
	if (got <= 0)
		return;
	int messages = 0;
	bool done = false;
	int left = (int)got;
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		messages++;
		done = done || h->nlmsg_type == NLMSG_DONE;
	}
	rec.note = std::to_string(messages) + (messages == 1 ? " message" : " messages") + (done ? ", NLMSG_DONE" : "");
}

void drain_all(int fd, StepRecord &rec)
{
	std::vector<char> room(datagram_room);
	long total = 0;
	for (;;) {
		ssize_t got = os::recv(fd, room.data(), room.size(), MSG_DONTWAIT);
		if (got > 0) {
			total += got;
			continue;
		}
		if (got < 0 && errno == err::intr)
			continue;
		if (got < 0 && total == 0) {
			sent(got, rec);
			return;
		}
		break;
	}
	rec.ret = total;
	rec.err = 0;
}

void overrun(int fd, StepRecord &rec)
{
	int zero = 0;
	if (os::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &zero, sizeof(zero)) < 0) {
		sent(-1, rec);
		rec.note = "setsockopt(SO_RCVBUF) failed";
		return;
	}
	for (int i = 0; i < overrun_requests; i++) {
		ssize_t got = send_getlink(fd, false, 1, 1000 + i);
		if (got < 0) {
			sent(got, rec);
			rec.note = "request " + std::to_string(i + 1) + " failed";
			return;
		}
	}
	rec.ret = overrun_requests;
	rec.err = 0;
	rec.note = "SO_RCVBUF at its minimum, RTM_GETLINK for ifindex 1 sent " + std::to_string(overrun_requests) +
	           " times, nothing read";
}

class NetlinkSession : public TransportSession {
public:
	bool setup(StepContext &ctx, std::string *error) override
	{
		int fd = os::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (fd < 0)
			return setup_failed(error, "socket(AF_NETLINK, NETLINK_ROUTE)");
		ctx.endpoint(0).opened(fd, true);
		return true;
	}

	bool act(Action action, int slot, StepRecord &rec, StepContext &ctx) override
	{
		switch (action) {
		case Action::snd:
			sent(send_getlink(ctx.target(slot, rec), true, 0, ++seq_), rec);
			return true;
		case Action::rcv:
			receive_one(ctx.target(slot, rec), rec);
			return true;
		case Action::drn:
			drain_all(ctx.target(slot, rec), rec);
			return true;
		case Action::ful:
			overrun(ctx.target(slot, rec), rec);
			return true;
		default:
			return false;
		}
	}

private:
	unsigned seq_ = 0;
};

#endif

const char *const roles[] = {"a NETLINK_ROUTE socket, nonblocking"};

const ActionSet actions = action_bit(Action::snd) | action_bit(Action::rcv) | action_bit(Action::drn) |
                          action_bit(Action::ful) | action_bit(Action::clo) | action_bit(Action::pol) |
                          action_bit(Action::arm) | action_bit(Action::soe) | buffer_option_actions | descriptor_actions;

} // namespace

extern const Transport transport_netlink = {
	"netlink",
	"a NETLINK_ROUTE socket: snd asks for an RTM_GETLINK dump, rcv reads one datagram, drn all, ful overruns "
	"it (ENOBUFS) without privilege",
	"n", roles, actions, PM_LINUX_ONLY(NetlinkSession),
};

} // namespace pollmatrix
