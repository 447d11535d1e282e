/*
 * io.cc - the I/O routines of the step executor's own actions (io.h), each
 * with the comments on why it makes its calls the way it does.
 */
#include "io.h"

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../os/errnos.h"
#include "../os/os.h"
#include "../os/portability.h"

namespace pollmatrix {

namespace {

/* Record a syscall's result: ret, and errno when it failed. */
void result(StepRecord &rec, long ret)
{
	rec.ret = ret;
	rec.err = ret < 0 ? errno : 0;
}

/* A send that must not wait (snd, mor, oob, ful) says MSG_DONTWAIT; where
 * the kernel's send() ignores that (os::send_dontwait_ignored: NetBSD
 * 7.99.34), the socket is also made nonblocking for the duration, as for
 * `nbc`, and put back. */
class NoWait {
public:
	explicit NoWait(int fd) : fd_(fd)
	{
		if (!os::send_dontwait_ignored)
			return;
		flags_ = os::fcntl(fd, F_GETFL);
		if (flags_ >= 0 && !(flags_ & O_NONBLOCK))
			set_ = os::fcntl(fd, F_SETFL, flags_ | O_NONBLOCK) == 0;
	}
	~NoWait()
	{
		if (set_)
			os::fcntl(fd_, F_SETFL, flags_);
	}
	NoWait(const NoWait &) = delete;
	NoWait &operator=(const NoWait &) = delete;

	/* The note of a send that would have waited without O_NONBLOCK. */
	void note_if_refused(StepRecord &rec) const
	{
		if (set_ && rec.ret < 0 && rec.err == err::again)
			rec.note = os::send_dontwait_ignored;
	}
	bool set() const { return set_; }

private:
	int fd_;
	int flags_ = -1;
	bool set_ = false;
};

bool is_datagram(int fd)
{
	int type = 0;
	socklen_t len = sizeof(type);
	return os::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM;
}

} // namespace

void send_foo(int fd, bool socket, StepRecord &rec)
{
	if (socket) {
		NoWait nowait(fd);
		result(rec, os::send(fd, "foo", 3, PM_MSG_NOSIGNAL | MSG_DONTWAIT));
		nowait.note_if_refused(rec);
	} else {
		result(rec, os::write(fd, "foo", 3));
	}
}

/* Like haproxy's tool (which defines MSG_MORE to 0 where it is missing). */
void send_more(int fd, StepRecord &rec)
{
	NoWait nowait(fd);
	result(rec, os::send(fd, "foo", 3, PM_MSG_NOSIGNAL | MSG_DONTWAIT | (os::has_msg_more ? PM_MSG_MORE : 0)));
	nowait.note_if_refused(rec);
	if (!os::has_msg_more)
		rec.note = "MSG_MORE does not exist on this OS: sent without it, as haproxy's tool does";
}

/* `rcv` on a socket asks again once when recv() said EAGAIN at the urgent
 * mark. There, and only there, a nonblocking TCP recv() looks at
 * signal_pending() and gives up without reading or skipping the urgent byte
 * when it is true (net/ipv4/tcp.c tcp_recvmsg_locked: "Stop if we have read
 * anything or have SIGURG pending"). The workers block every signal, so what
 * is pending then is task work: closing an io_uring ring makes the ring's
 * exit work hand each thread that used it a task_work with TWA_SIGNAL
 * (io_uring/io_uring.c io_ring_exit_work), which sets TIF_NOTIFY_SIGNAL at
 * any moment of the next scenario, and signal_pending() counts it
 * (include/linux/sched/signal.h). The flag is cleared and the work run on
 * the way out of the first recv(), so the second one answers for the
 * socket alone. Without this, issue 8's oob-* scenarios gave PRI in the
 * `pol` after a `rcv` about once in 1,000 runs under load: on io_uring, and
 * on poll and select after an io_uring scenario on the same worker; never
 * without io_uring. (`drn` already asks again on EINTR, which is what a
 * blocking recv() gives there.) */
void receive(int fd, bool socket, StepRecord &rec)
{
	char buf[16];
	if (socket) {
		result(rec, os::recv(fd, buf, 10, MSG_DONTWAIT));
		if (rec.ret < 0 && rec.err == err::again && os::sockatmark(fd) == 1)
			result(rec, os::recv(fd, buf, 10, MSG_DONTWAIT));
	} else {
		result(rec, os::read(fd, buf, 10));
	}
}

/* `drn`: receive until 0 or an error, blocking, as haproxy's tool does; ret is
 * the total, -1 if nothing came. A socket is blocking there, so EAGAIN can
 * only mean that SO_RCVTIMEO ran out. Pipes, FIFOs and ptys are nonblocking
 * (their transports make them so), so they wait in poll() for each read. */
void drain(int fd, bool socket, StepRecord &rec, Clock::time_point deadline)
{
	char buf[16384];
	long total = -1;
	ssize_t got;
	if (socket) {
		ScopedSocketTimeout bound(fd, SO_RCVTIMEO, ms_left(deadline));
		for (;;) {
			bound.set(ms_left(deadline));
			got = os::recv(fd, buf, sizeof(buf), 0);
			if (got < 0 && errno == err::intr)
				continue;
			if (got <= 0)
				break;
			total = (total < 0 ? 0 : total) + got;
		}
	} else {
		for (;;) {
			got = os::read(fd, buf, sizeof(buf));
			if (got < 0 && errno == err::intr)
				continue;
			if (got < 0 && errno == err::again) {
				struct pollfd pfd = {fd, POLLIN, 0};
				long left = ms_left(deadline);
				if (left > 0 && os::poll(&pfd, 1, (int)left) > 0)
					continue;
				errno = err::again;
			}
			if (got <= 0)
				break;
			total = (total < 0 ? 0 : total) + got;
		}
	}
	rec.ret = total;
	if (got < 0 && errno == err::again) {
		rec.timed_out = true;
		rec.note = socket ? "the peer never closed: recv() would block" : "the writer never closed: read() would block";
	} else {
		rec.err = got < 0 ? errno : 0;
	}
}

void shut(int fd, int how, StepRecord &rec)
{
	result(rec, os::shutdown(fd, how));
}

void linger_reset(int fd, StepRecord &rec)
{
	struct linger nolinger = {1, 0};
	result(rec, os::setsockopt(fd, SOL_SOCKET, SO_LINGER, &nolinger, sizeof(nolinger)));
}

void close_descriptor(int fd, StepRecord &rec)
{
	result(rec, os::close(fd));
}

/* `ful`: write until EAGAIN. Large chunks first, then halved down to one
 * byte, so the buffer ends really full (a pipe takes no partial page of a
 * small write; a stream socket may take a few bytes more). ret is the total;
 * a datagram socket that never refuses (UDP drops what does not fit) stops
 * at a bound and says so. With `deliver` (a kernel that delivers loopback
 * traffic after the sending call returns, settle.h), what the peer
 * received and acknowledged meanwhile makes room again: at a refusal the
 * fill lets what is in flight arrive and writes on, and ends at a refusal
 * right after that. */
void fill(int fd, bool socket, StepRecord &rec, const std::function<void()> &deliver)
{
	static char zeros[65536];
	const long bound = 16L << 20;
	const size_t first = socket && is_datagram(fd) ? 1024 : sizeof(zeros);
	size_t chunk = first;
	long total = 0;
	bool delivered = false;
	NoWait nowait(socket ? fd : -1);
	for (;;) {
		ssize_t n = socket ? os::send(fd, zeros, chunk, PM_MSG_NOSIGNAL | MSG_DONTWAIT) : os::write(fd, zeros, chunk);
		if (n > 0) {
			total += n;
			delivered = false;
			if (total >= bound) {
				rec.note = "no EAGAIN after " + std::to_string(total) + " bytes: stopped there";
				break;
			}
			continue;
		}
		if (n < 0 && errno == err::intr)
			continue;
		/* EMSGSIZE: a SOCK_SEQPACKET record larger than the buffer. */
		if (n < 0 && (errno == err::again || errno == err::msgsize) && chunk > 1) {
			chunk /= 2;
			continue;
		}
		if (n < 0 && errno == err::again && deliver && !delivered) {
			deliver();
			delivered = true;
			chunk = first;
			continue;
		}
		if (n < 0 && errno != err::again && errno != err::msgsize) {
			if (total == 0) {
				result(rec, -1);
				return;
			}
			const char *name = errno_name(errno);
			rec.note = std::string("then ") + (name ? name : errno_message(errno));
		}
		break;
	}
	rec.ret = total;
	rec.err = 0;
	if (nowait.set() && rec.note.empty())
		rec.note = os::send_dontwait_ignored;
}

void send_urgent(int fd, StepRecord &rec)
{
	NoWait nowait(fd);
	result(rec, os::send(fd, "!", 1, MSG_OOB | PM_MSG_NOSIGNAL | MSG_DONTWAIT));
	nowait.note_if_refused(rec);
}

void read_so_error(int fd, StepRecord &rec)
{
	int value = 0;
	socklen_t len = sizeof(value);
	result(rec, os::getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &len));
	if (rec.ret == 0)
		rec.so_error = value;
}

void oob_inline(int fd, StepRecord &rec)
{
	int one = 1;
	result(rec, os::setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)));
}

void receive_errors(int fd, StepRecord &rec)
{
#ifdef IP_RECVERR
	if (os::has_ip_recverr) {
		int one = 1;
		result(rec, os::setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one)));
		return;
	}
#endif
	(void)fd;
	rec.ret = -1;
	rec.note = "not done: IP_RECVERR does not exist on this OS";
}

void set_option(int fd, SocketOption option, long value, StepRecord &rec)
{
	int level = SOL_SOCKET, name = 0;
	const char *label = "";
	switch (option) {
	case SocketOption::receive_low_water:
		name = SO_RCVLOWAT, label = "SO_RCVLOWAT";
		break;
	case SocketOption::send_buffer:
		name = SO_SNDBUF, label = "SO_SNDBUF";
		break;
	case SocketOption::receive_buffer:
		name = SO_RCVBUF, label = "SO_RCVBUF";
		break;
	case SocketOption::defer_accept:
#ifdef TCP_DEFER_ACCEPT
		if (os::has_defer_accept) {
			level = IPPROTO_TCP, name = TCP_DEFER_ACCEPT, label = "TCP_DEFER_ACCEPT";
			break;
		}
#endif
		rec.ret = -1;
		rec.note = "not done: TCP_DEFER_ACCEPT does not exist on this OS";
		return;
	}
	int v = (int)value;
	result(rec, os::setsockopt(fd, level, name, &v, sizeof(v)));
	if (rec.ret < 0)
		return;
	int back = 0;
	socklen_t len = sizeof(back);
	if (os::getsockopt(fd, level, name, &back, &len) == 0)
		rec.note = std::string(label) + " reads back " + std::to_string(back);
	else
		rec.note = std::string(label) + " set; getsockopt failed with " +
		           (errno_name(errno) ? errno_name(errno) : std::to_string(errno));
}

int duplicate(int fd, StepRecord &rec)
{
	result(rec, os::fcntl(fd, F_DUPFD_CLOEXEC, 0));
	return rec.ret >= 0 ? (int)rec.ret : -1;
}

} // namespace pollmatrix
