/*
 * probe.cc - backend probes on the scenarios' workers (see probe.h).
 */
#include "probe.h"

#include <mutex>
#include <string>
#include <vector>

#include "worker.h"

namespace pollmatrix {

const char *backend_unavailable(const Backend *b, bool shared_table)
{
	static std::mutex mutex;
	static std::vector<const Backend *> available[2];
	std::lock_guard<std::mutex> lock(mutex);
	for (const Backend *known : available[shared_table])
		if (known == b)
			return nullptr;
	const char *why = nullptr;
	run_on_worker(0, shared_table, [&](DescriptorTable &) { why = b->unavailable(); });
	if (!why)
		available[shared_table].push_back(b);
	return why;
}

} // namespace pollmatrix
