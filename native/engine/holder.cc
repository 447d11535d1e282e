/*
 * holder.cc - the forked holder (holder.h): the child's body, which makes
 * system calls only, and the parent's side of the control socket.
 */
#include "holder.h"

#include <cerrno>
#include <mutex>

#include <poll.h>
#include <sys/socket.h>

#include "../limits.h"
#include "../os/errnos.h"
#include "../os/os.h"
#include "../os/portability.h"

namespace pollmatrix {

namespace {

/* The bytes on the control socket. */
const char ready = 'r';
const char close_it = 'c';
const char closed = 'k';

struct HolderStart {
	int keep;
	int control;
};

/* The child. Only system calls: it is a copy of one thread of Node's
 * multi-threaded process (os.h fork_child). Every descriptor but the held
 * one and the control socket is closed before it says it is ready. */
void hold(void *arg)
{
	const HolderStart start = *(const HolderStart *)arg;
	unsigned low = (unsigned)(start.keep < start.control ? start.keep : start.control);
	unsigned high = (unsigned)(start.keep < start.control ? start.control : start.keep);
	if (low > 0)
		os::close_range(0, low - 1);
	os::close_range(low + 1, high - 1);
	os::close_range(high + 1, ~0U);
	if (os::write(start.control, &ready, 1) != 1)
		return;
	char command = 0;
	ssize_t got;
	while ((got = os::read(start.control, &command, 1)) < 0 && errno == err::intr)
		;
	/* End of file: the scenario is gone; exiting closes the copy. */
	if (got != 1 || command != close_it)
		return;
	os::close(start.keep);
	os::write(start.control, &closed, 1);
}

/* Waits for `want` on the control socket, at most the step timeout but
 * never less than limits::holder_wait_min_ms. */
bool await(int control, char want, int timeout_ms)
{
	struct pollfd pfd = {control, POLLIN, 0};
	int bound = timeout_ms > limits::holder_wait_min_ms ? timeout_ms : (int)limits::holder_wait_min_ms;
	int r;
	while ((r = os::poll(&pfd, 1, bound)) < 0 && errno == err::intr)
		;
	if (r <= 0)
		return false;
	char got = 0;
	return os::read(control, &got, 1) == 1 && got == want;
}

std::shared_mutex &fork_lock()
{
	static std::shared_mutex lock;
	return lock;
}

} // namespace

std::shared_lock<std::shared_mutex> steady_step()
{
	return std::shared_lock<std::shared_mutex>(fork_lock());
}

void Holders::fork(int slot, int fd, StepRecord &rec, int timeout_ms, bool shared_table)
{
	rec.ret = -1;
	if (by_slot_.count(slot)) {
		rec.note = "this endpoint has a holder already: fcl first";
		return;
	}
	if (os::holders_unavailable) {
		rec.note = os::holders_unavailable;
		return;
	}
	/* Nothing to hold: the number is closed (fork(2) itself would not
	 * fail, but the child would hold nothing). */
	if (os::fcntl(fd, F_GETFD) < 0) {
		rec.err = errno;
		return;
	}
	/* Until the child is ready (holder.h): the process's table is copied. */
	std::unique_lock<std::shared_mutex> copying(fork_lock(), std::defer_lock);
	if (shared_table)
		copying.lock();
	int sv[2];
	if (pm_socketpair(SOCK_STREAM, sv) < 0) {
		rec.err = errno;
		rec.note = "socketpair() for the holder's control failed";
		return;
	}
	HolderStart start = {fd, sv[1]};
	int pid = os::fork_child(hold, &start);
	int fork_errno = errno;
	os::close(sv[1]);
	if (pid < 0) {
		os::close(sv[0]);
		rec.err = fork_errno;
		rec.note = "fork() failed";
		return;
	}
	Holder holder = {pid, sv[0]};
	if (!await(holder.control, ready, timeout_ms)) {
		end(holder);
		rec.timed_out = true;
		rec.note = "the holder did not start";
		return;
	}
	by_slot_[slot] = holder;
	rec.ret = 0;
}

void Holders::close_copy(int slot, StepRecord &rec, int timeout_ms)
{
	auto found = by_slot_.find(slot);
	rec.ret = -1;
	if (found == by_slot_.end()) {
		rec.note = "no holder: frk first";
		return;
	}
	Holder &holder = found->second;
	bool answered = os::send(holder.control, &close_it, 1, PM_MSG_NOSIGNAL) == 1 &&
	                await(holder.control, closed, timeout_ms);
	if (!answered) {
		/* It stays until the end (end_all), holding its copy. */
		rec.timed_out = true;
		rec.note = "the holder did not answer";
		return;
	}
	end(holder);
	by_slot_.erase(found);
	rec.ret = 0;
}

void Holders::end_all()
{
	for (auto &entry : by_slot_)
		end(entry.second);
	by_slot_.clear();
}

void Holders::end(Holder &holder)
{
	if (holder.pid > 0)
		os::reap_child(holder.pid);
	if (holder.control >= 0)
		os::close(holder.control);
	holder = Holder();
}

} // namespace pollmatrix
