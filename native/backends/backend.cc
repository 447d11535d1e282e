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

} // namespace pollmatrix
