/*
 * socket_timeout.h - a bound on one blocking socket call (accept, connect,
 * recv) through SO_RCVTIMEO/SO_SNDTIMEO, and the milliseconds left before a
 * step's deadline.
 */
#pragma once

#include <chrono>

#include <sys/socket.h>
#include <sys/time.h>

#include "../os/os.h"

namespace pollmatrix {

using Clock = std::chrono::steady_clock;

inline long ms_left(Clock::time_point deadline)
{
	auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
	return left > 0 ? (long)left : 0;
}

/* Sets a socket timeout option for the duration of one blocking call and puts
 * the previous value back afterwards. A failure to set it (EBADF on a closed
 * number) is harmless: the call then fails at once with the same errno. */
class ScopedSocketTimeout {
public:
	ScopedSocketTimeout(int fd, int option, long ms) : fd_(fd), option_(option)
	{
		socklen_t len = sizeof(saved_);
		saved_ok_ = os::getsockopt(fd, SOL_SOCKET, option, &saved_, &len) == 0;
		set(ms);
	}
	void set(long ms)
	{
		struct timeval tv;
		if (ms < 1)
			ms = 1;
		tv.tv_sec = ms / 1000;
		tv.tv_usec = (ms % 1000) * 1000;
		os::setsockopt(fd_, SOL_SOCKET, option_, &tv, sizeof(tv));
	}
	~ScopedSocketTimeout()
	{
		if (saved_ok_)
			os::setsockopt(fd_, SOL_SOCKET, option_, &saved_, sizeof(saved_));
	}
	ScopedSocketTimeout(const ScopedSocketTimeout &) = delete;
	ScopedSocketTimeout &operator=(const ScopedSocketTimeout &) = delete;

private:
	int fd_;
	int option_;
	struct timeval saved_ = {0, 0};
	bool saved_ok_ = false;
};

} // namespace pollmatrix
