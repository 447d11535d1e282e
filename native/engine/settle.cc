/*
 * settle.cc - see settle.h for why. The rule itself is the kernel under
 * test's (os.h in_flight); this file waits for it within a bound.
 */
#include "settle.h"

#include <chrono>
#include <cstdlib>

#include <sched.h>

#include "../os/os.h"

namespace pollmatrix {

bool settle_disabled()
{
	static const bool off = getenv("POLLMATRIX_NO_SETTLE") != nullptr;
	return off;
}

bool settle(const std::vector<int> &fds, int bound_ms)
{
	if (settle_disabled())
		return true;
	if (!os::in_flight(fds))
		return true;
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(bound_ms);
	while (std::chrono::steady_clock::now() < deadline) {
		sched_yield();
		if (!os::in_flight(fds))
			return true;
	}
	return false;
}

} // namespace pollmatrix
