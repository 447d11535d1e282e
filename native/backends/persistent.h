/*
 * persistent.h - the bookkeeping of the modes whose registrations persist
 * (ARCHITECTURE.md "Concepts"): epoll-et and epoll-oneshot (epoll.cc), kqueue-clear,
 * kqueue-oneshot and kqueue-dispatch (kqueue.cc). The endpoint is registered
 * at its first `pol` and stays registered, so a second `pol` shows what the
 * mode leaves.
 *
 * Each endpoint has a mechanism instance of its own (an epoll instance, a
 * kqueue), made before the step picks its number (Observer::prepare), so a
 * `pol` on one endpoint never consumes another endpoint's event. A
 * registration dies silently with its descriptor's last close (epoll(7) Q6;
 * kqueue(2): "Calling close() on a file descriptor will remove any kevents
 * that reference the descriptor"), so a `pol` after `clo` finds nothing,
 * which is what a program holding such a registration sees; an endpoint open
 * again under another descriptor (a FIFO end, perhaps under its old number)
 * is registered anew.
 */
#pragma once

#include <map>

#include "../os/os.h"
#include "backend.h"

namespace pollmatrix {

class Registrations {
public:
	struct Registration {
		Instance instance;
		/* The registered descriptor, -1 before the endpoint's first
		 * `pol` registered it. */
		int fd = -1;
		unsigned generation = 0;

		/* The target's descriptor is the one registered: the same
		 * generation, or the endpoint is closed (nothing can be
		 * registered then, and what the registration left is what a
		 * `pol` sees). */
		bool holds(const PolTarget &target) const
		{
			return fd >= 0 && (generation == target.generation || !target.endpoint_open);
		}
		void registered(const PolTarget &target)
		{
			fd = target.fd;
			generation = target.generation;
		}
		/* The number `arm` acts on: the registered descriptor while the
		 * endpoint is open; once it was closed, the number certain to
		 * be closed that the step was given (workers/descriptors.h),
		 * never the old one, which in a shared table another thread
		 * may have been handed since (epoll_ctl(EPOLL_CTL_MOD) then
		 * said ENOENT, not EBADF, in 25 of 400 runs on 4 workers; a
		 * kqueue EV_ADD would register that stranger). In a private
		 * table both are the same closed number. The same holds for an
		 * open endpoint whose registered number was closed after dup and
		 * swp gave the letter the copy (`-p pol,dup,clo,swp,arm`): the
		 * registered number is asked only while the scenario holds it. */
		int rearm_fd(const PolTarget &target) const
		{
			return target.endpoint_open ? target.now(fd) : target.fd;
		}
	};

	/* `make` makes one instance, close-on-exec, or says which call failed. */
	explicit Registrations(Instance (*make)()) : make_(make) {}
	~Registrations()
	{
		for (auto &entry : by_slot_)
			if (entry.second.instance.fd >= 0)
				os::close(entry.second.instance.fd);
	}
	Registrations(const Registrations &) = delete;
	Registrations &operator=(const Registrations &) = delete;

	/* The endpoint's registration, its instance made if it has none yet
	 * (made again at the next call if making it failed). */
	Registration &prepare(int slot)
	{
		Registration &r = by_slot_[slot];
		if (r.instance.fd < 0)
			r.instance = make_();
		return r;
	}

	/* The endpoint's registration for `arm`, or nullptr, with a note in
	 * `o`, while its first `pol` has not registered it. */
	const Registration *for_rearm(int slot, Observation &o) const
	{
		auto found = by_slot_.find(slot);
		if (found == by_slot_.end() || found->second.fd < 0) {
			o.note = "not registered yet: the endpoint's first pol registers it";
			return nullptr;
		}
		return &found->second;
	}

private:
	Instance (*make_)();
	std::map<int, Registration> by_slot_;
};

} // namespace pollmatrix
