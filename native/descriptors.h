/*
 * descriptors.h - where a scenario's descriptors live, and which number a step
 * on a closed endpoint may safely use.
 *
 * Node is multi-threaded: once the engine closes an endpoint, another thread
 * may get the same number from open() a microsecond later. A later step on that
 * endpoint must then neither act on that stranger (a second `clo` would close
 * it) nor report its state. The DESIGN's rule is that such a step reports what
 * the OS says for a closed descriptor.
 *
 * On Linux the scenario runs on its own thread with a private descriptor table
 * (unshare(CLONE_FILES), unshare(2)). Nobody else allocates in that table, so
 * a closed endpoint's number stays closed until the scenario itself reuses it,
 * and the numbers start at 3 exactly as in haproxy's dev/poll/poll.
 * Elsewhere (or if unshare is refused) the scenario runs on the calling thread
 * in the shared table, and a closed endpoint is acted on through a number at or
 * above RLIMIT_NOFILE, which the kernel never hands out.
 */
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace pollmatrix {

class DescriptorTable {
public:
	/* true: a private table owned by this thread (Linux). */
	bool is_private() const { return private_; }
	const char *mode() const { return private_ ? "private" : "shared"; }

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

	/* Run `body` with a table chosen as described above; `why_shared` says why
	 * a private table could not be had (empty when it was). `want_shared`
	 * skips the private table (to test the path other OSes take). */
	static void run(const std::function<void(DescriptorTable &)> &body, bool want_shared,
	                std::string *why_shared);

private:
	explicit DescriptorTable(bool is_private) : private_(is_private) {}
	bool private_;
};

} // namespace pollmatrix
