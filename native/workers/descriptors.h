/*
 * descriptors.h - where a scenario's descriptors live, and which number a step
 * on a closed endpoint may safely use.
 *
 * Node is multi-threaded: once the engine closes an endpoint, another thread
 * may get the same number from open() a microsecond later. A later step on that
 * endpoint must then neither act on that stranger (a second `clo` would close
 * it) nor report its state. The rule (ARCHITECTURE.md "Concepts") is that
 * such a step reports what the OS says for a closed descriptor.
 *
 * On Linux the scenario runs on a worker thread with a private descriptor table
 * (unshare(CLONE_FILES), unshare(2); worker.h makes it). Nobody else allocates in that
 * table, so a closed endpoint's number stays closed until the scenario itself
 * reuses it, and the numbers start at 3 exactly as in haproxy's dev/poll/poll.
 * Elsewhere (or if unshare is refused, or the shared table was asked for) the
 * scenario runs on a worker in the process's shared table, and a closed
 * endpoint is acted on through a number at or above RLIMIT_NOFILE, which the
 * kernel never hands out.
 */
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pollmatrix {

class DescriptorTable {
public:
	/* "private": a table owned by this thread (Linux); "shared": the
	 * process's. */
	const char *mode() const { return private_ ? "private" : "shared"; }
	bool is_private() const { return private_; }

	/* A number that is certainly not an open descriptor right now, to act on
	 * an endpoint whose descriptor `original` was closed. In a private table
	 * that is `original` itself while nothing reused it, else the lowest free
	 * number; in a shared table it is the first number the kernel never
	 * allocates (RLIMIT_NOFILE). */
	int closed_number(int original) const;

	/* Descriptors at or above 3 still open in a private table (after the
	 * scenario closed everything it knows of): leaks. Empty for a shared
	 * table, where the engine's own bookkeeping is all there is. */
	std::vector<int> open_descriptors() const;

	/* Close a descriptor the scenario is done with, after its last step:
	 * a TCP socket is reset (SO_LINGER {1, 0}, socket(7)) rather than shut
	 * down with a FIN, so neither side is left in TIME_WAIT for a minute. No
	 * step observes anything after this. Any other descriptor is closed. */
	static void discard(int fd);

	/* Why the table is shared (empty when it is private). */
	const std::string &why_shared() const { return why_shared_; }
	/* "private": the scenario's sockets live in a network namespace of
	 * their own (worker.h); "host": in the host's. */
	const char *network() const { return network_; }
	const std::string &why_host_network() const { return why_host_network_; }

	explicit DescriptorTable(bool is_private, std::string why_shared = "")
		: private_(is_private), why_shared_(std::move(why_shared)) {}
	void set_network(const char *network, std::string why_host)
	{
		network_ = network;
		why_host_network_ = std::move(why_host);
	}
	/* Close every descriptor at or above 3 (private table only): the
	 * worker's clean slate between scenarios. */
	void clear() const;

private:
	bool private_;
	std::string why_shared_;
	const char *network_ = "host";
	std::string why_host_network_ = "the scenario ran on the calling thread";
};

} // namespace pollmatrix
