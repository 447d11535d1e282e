/*
 * result_to_js.cc - a run's result to JavaScript (convert.h). errno numbers
 * are named here, on the OS that ran the step (os/errnos.h).
 */
#include <cstring>
#include <string>

#include "../os/errnos.h"
#include "../transports/transport.h"
#include "convert.h"

namespace pollmatrix {

namespace {

Napi::Value errno_object(Napi::Env env, int number)
{
	Napi::Object e = Napi::Object::New(env);
	const char *name = errno_name(number);
	e.Set("name", name ? Napi::Value(Napi::String::New(env, name)) : env.Null());
	e.Set("number", number);
	e.Set("message", errno_message(number));
	return e;
}

Napi::Value observation_object(Napi::Env env, const Backend *b, const Observation &o)
{
	Napi::Object obs = Napi::Object::New(env);
	obs.Set("kind", b->observes);
	obs.Set("ret", Napi::Number::New(env, (double)o.ret));
	obs.Set("raw", Napi::Number::New(env, o.raw));
	if (o.failed_call)
		obs.Set("failedCall", o.failed_call);
	if (!o.not_measured.empty())
		obs.Set("notMeasured", o.not_measured);
	if (o.ignored > 0)
		obs.Set("ignored", Napi::Number::New(env, (double)o.ignored));
	if (!o.kevents.empty()) {
		Napi::Array list = Napi::Array::New(env, o.kevents.size());
		for (size_t i = 0; i < o.kevents.size(); i++) {
			const KeventRecord &k = o.kevents[i];
			Napi::Object ke = Napi::Object::New(env);
			ke.Set("ident", Napi::Number::New(env, (double)k.ident));
			ke.Set("filter", Napi::Number::New(env, k.filter));
			ke.Set("flags", Napi::Number::New(env, k.flags));
			ke.Set("fflags", Napi::Number::New(env, k.fflags));
			ke.Set("data", Napi::Number::New(env, (double)k.data));
			/* Named here, on the OS that ran the step: errno numbers
			 * differ between systems (ECONNRESET is 54 on macOS and the
			 * BSDs, 104 on Linux). */
			if (k.fflags_is_errno)
				ke.Set("fflagsErrno", errno_object(env, (int)k.fflags));
			if (k.data_is_errno)
				ke.Set("dataErrno", errno_object(env, (int)k.data));
			list.Set((uint32_t)i, ke);
		}
		obs.Set("kevents", list);
	}
	return obs;
}

Napi::Value step_object(Napi::Env env, const Transport *t, const StepRecord &r)
{
	Napi::Object step = Napi::Object::New(env);
	step.Set("cmd", r.cmd);
	step.Set("stp", r.stp);
	step.Set("action", action_name(r.action));
	if (r.value >= 0)
		step.Set("value", Napi::Number::New(env, (double)r.value));
	step.Set("side", std::string(1, t->letters[r.slot]));
	step.Set("fd", r.fd);
	step.Set("implicit", r.implicit);
	step.Set("ret", Napi::Number::New(env, (double)r.ret));
	step.Set("errno", r.err ? errno_object(env, r.err) : env.Null());
	step.Set("endpointClosed", r.endpoint_closed);
	step.Set("actedFd", r.acted_fd);
	step.Set("timedOut", r.timed_out);
	if (r.settle_bound)
		step.Set("settleBound", true);
	if (r.so_error >= 0)
		step.Set("soError", errno_object(env, r.so_error));
	if (!r.note.empty())
		step.Set("note", r.note);
	if (r.backend) {
		step.Set("backend", r.backend->name);
		if (r.action == Action::pol)
			step.Set("observation", observation_object(env, r.backend, r.observation));
	}
	return step;
}

} // namespace

Napi::Object result_to_js(Napi::Env env, const Transport *transport, const RunResult &result)
{
	Napi::Object out = Napi::Object::New(env);
	Napi::Array steps = Napi::Array::New(env, result.steps.size());
	for (size_t i = 0; i < result.steps.size(); i++)
		steps.Set((uint32_t)i, step_object(env, transport, result.steps[i]));
	out.Set("steps", steps);
	out.Set("stopped", result.stopped.empty() ? env.Null() : Napi::String::New(env, result.stopped));
	out.Set("setupError", result.setup_error.empty() ? env.Null() : Napi::String::New(env, result.setup_error));
	out.Set("descriptorTable", result.descriptor_table);
	if (!result.why_shared.empty())
		out.Set("whyShared", result.why_shared);
	out.Set("network", result.network);
	if (!result.why_host_network.empty())
		out.Set("whyHostNetwork", result.why_host_network);
	Napi::Array leaked = Napi::Array::New(env, result.leaked.size());
	for (size_t i = 0; i < result.leaked.size(); i++)
		leaked.Set((uint32_t)i, result.leaked[i]);
	out.Set("leaked", leaked);
	return out;
}

} // namespace pollmatrix
