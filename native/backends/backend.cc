/*
 * backend.cc - what every backend shares (backend.h).
 */
#include <cstring>
#include <string>

#include "../os/errnos.h"
#include "backend.h"

namespace pollmatrix {

Observation &mechanism_not_created(Observation &o, const char *call, int err)
{
	const char *name = errno_name(err);
	o.ret = -1;
	o.err = err;
	o.failed_call = call;
	o.not_measured = std::string(call) + " failed: " + (name ? name : std::to_string(err)) + " (" + errno_message(err) + ")";
	return o;
}

const InterestMapping *interest_refused(const Backend *b, uint32_t interest)
{
	static thread_local std::string why;
	static thread_local InterestMapping unmapped;
	for (const InterestName &name : interest_names) {
		if (!(interest & name.bit))
			continue;
		const InterestMapping *m = interest_mapping(b->interest_map, b->ninterest, name.bit);
		if (m && m->asks)
			continue;
		if (m)
			return m;
		why = std::string(b->name) + " has no mapping for " + name.name;
		unmapped = {name.bit, nullptr, why.c_str()};
		return &unmapped;
	}
	return nullptr;
}

std::string interest_note(const Backend *b, uint32_t interest)
{
	std::string notes;
	if (interest == interest_default)
		return notes;
	for (const InterestName &name : interest_names) {
		const InterestMapping *m = interest_mapping(b->interest_map, b->ninterest, name.bit);
		if (!(interest & name.bit) || !m || !m->asks || !m->note)
			continue;
		notes += (notes.empty() ? "" : "; ") + std::string(m->note);
	}
	return notes;
}

} // namespace pollmatrix
