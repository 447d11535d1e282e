/*
 * addon.cc - the N-API surface. It converts a scenario from JavaScript, runs
 * it with no JavaScript between steps (engine.cc), and converts the records
 * back. Flag tables and errno names come from this OS's headers; TypeScript
 * keeps no second copy of them.
 */
#include <cstring>
#include <string>

#include <sys/utsname.h>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

#include <napi.h>

#include "backend.h"
#include "engine.h"
#include "errnos.h"
#include "run_many.h"

#define PM_STRINGIFY(x) #x
#define PM_XSTRINGIFY(x) PM_STRINGIFY(x)

using namespace pollmatrix;

namespace {

Napi::Value throw_type_error(Napi::Env env, const std::string &message)
{
	Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
	return env.Undefined();
}

Napi::Value errno_object(Napi::Env env, int number)
{
	Napi::Object e = Napi::Object::New(env);
	const char *name = errno_name(number);
	e.Set("name", name ? Napi::Value(Napi::String::New(env, name)) : env.Null());
	e.Set("number", number);
	e.Set("message", strerror(number));
	return e;
}

Napi::Value observation_object(Napi::Env env, const Observation &o)
{
	Napi::Object obs = Napi::Object::New(env);
	obs.Set("ret", Napi::Number::New(env, (double)o.ret));
	obs.Set("raw", Napi::Number::New(env, o.raw));
	if (o.failed_call)
		obs.Set("failedCall", o.failed_call);
	if (!o.not_measured.empty())
		obs.Set("notMeasured", o.not_measured);
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

Napi::Value step_object(Napi::Env env, const StepRecord &r)
{
	Napi::Object step = Napi::Object::New(env);
	step.Set("cmd", r.cmd);
	step.Set("stp", r.stp);
	step.Set("action", action_name(r.action));
	step.Set("side", std::string(1, side_letter(r.side)));
	step.Set("fd", r.fd);
	step.Set("implicit", r.implicit);
	step.Set("ret", Napi::Number::New(env, (double)r.ret));
	step.Set("errno", r.err ? errno_object(env, r.err) : env.Null());
	step.Set("endpointClosed", r.endpoint_closed);
	step.Set("actedFd", r.acted_fd);
	step.Set("timedOut", r.timed_out);
	if (!r.note.empty())
		step.Set("note", r.note);
	if (r.backend) {
		step.Set("backend", r.backend->name);
		step.Set("observation", observation_object(env, r.observation));
	}
	return step;
}

/* A scenario from JavaScript: { commands: [{ side, actions, backend }],
 * timeoutMs, sharedTable }. On bad input throws a TypeError naming the field
 * (prefixed by `where`) and returns false, before any socket exists. */
bool scenario_from(Napi::Env env, Napi::Value value, const std::string &where, Scenario *out)
{
	Scenario &scenario = *out;
	if (!value.IsObject()) {
		throw_type_error(env, where.empty() ? "run() takes a scenario object" : where + " must be a scenario object");
		return false;
	}
	Napi::Object in = value.As<Napi::Object>();
	const std::string at = where.empty() ? "" : where + ".";

	Napi::Value timeout = in.Get("timeoutMs");
	if (!timeout.IsUndefined()) {
		if (!timeout.IsNumber())
			return throw_type_error(env, at + "timeoutMs must be a number"), false;
		double ms = timeout.As<Napi::Number>().DoubleValue();
		if (!(ms >= 1 && ms <= 600000))
			return throw_type_error(env, at + "timeoutMs must be between 1 and 600000"), false;
		scenario.timeout_ms = (int)ms;
	}
	Napi::Value shared = in.Get("sharedTable");
	if (!shared.IsUndefined()) {
		if (!shared.IsBoolean())
			return throw_type_error(env, at + "sharedTable must be a boolean"), false;
		scenario.shared_table = shared.As<Napi::Boolean>().Value();
	}
	Napi::Value commands = in.Get("commands");
	if (!commands.IsArray())
		return throw_type_error(env, at + "commands must be an array"), false;
	Napi::Array list = commands.As<Napi::Array>();
	for (uint32_t i = 0; i < list.Length(); i++) {
		std::string where = at + "commands[" + std::to_string(i) + "]";
		Napi::Value item = list.Get(i);
		if (!item.IsObject())
			return throw_type_error(env, where + " must be an object"), false;
		Napi::Object c = item.As<Napi::Object>();
		Command command;
		Napi::Value side = c.Get("side");
		if (!side.IsString() || !parse_side(side.As<Napi::String>().Utf8Value(), &command.side))
			return throw_type_error(env, where + ".side must be 'l', 'c', 's' or 'u'"), false;
		Napi::Value backend = c.Get("backend");
		if (!backend.IsString())
			return throw_type_error(env, where + ".backend must be a backend name"), false;
		std::string bname = backend.As<Napi::String>().Utf8Value();
		command.backend = find_backend(bname);
		if (!command.backend)
			return throw_type_error(env, where + ".backend: unknown backend '" + bname + "'"), false;
		if (const char *why = backend_unavailable(command.backend))
			return throw_type_error(env, where + ".backend: " + bname + " is not available here: " + why), false;
		Napi::Value actions = c.Get("actions");
		if (!actions.IsArray())
			return throw_type_error(env, where + ".actions must be an array of action names"), false;
		Napi::Array words = actions.As<Napi::Array>();
		for (uint32_t j = 0; j < words.Length(); j++) {
			Napi::Value w = words.Get(j);
			Action a;
			if (!w.IsString() || !parse_action(w.As<Napi::String>().Utf8Value(), &a))
				return throw_type_error(env, where + ".actions[" + std::to_string(j) +
				                                 "] is not an action (con acc snd mor rcv drn shr shw shb lin clo pol)"), false;
			command.actions.push_back(a);
		}
		scenario.commands.push_back(command);
	}
	return true;
}

Napi::Object result_object(Napi::Env env, const RunResult &result)
{
	Napi::Object out = Napi::Object::New(env);
	Napi::Array steps = Napi::Array::New(env, result.steps.size());
	for (size_t i = 0; i < result.steps.size(); i++)
		steps.Set((uint32_t)i, step_object(env, result.steps[i]));
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

/* run({ commands: [{ side, actions, backend }], timeoutMs }) -> result.
 * Contract: every descriptor the run opens is closed before it returns; input
 * errors throw a TypeError naming the field, before any socket exists. */
Napi::Value Run(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Scenario scenario;
	if (!scenario_from(env, info.Length() < 1 ? env.Undefined() : info[0], "", &scenario))
		return env.Undefined();
	return result_object(env, run_scenario(scenario));
}

/* backends() -> [{ name, asks, available, reason }] for every known backend. */
Napi::Value Backends(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	const auto &all = backend_registry();
	Napi::Array list = Napi::Array::New(env, all.size());
	for (size_t i = 0; i < all.size(); i++) {
		const Backend *b = all[i];
		const char *why = backend_unavailable(b);
		Napi::Object o = Napi::Object::New(env);
		o.Set("name", b->name);
		o.Set("asks", b->asks);
		o.Set("available", why == nullptr);
		o.Set("reason", why ? Napi::Value(Napi::String::New(env, why)) : env.Null());
		list.Set((uint32_t)i, o);
	}
	return list;
}

/* [[value, name], ...] out of a FlagName or FilterName table. */
template <typename Entry>
Napi::Array name_pairs(Napi::Env env, const Entry *table, size_t n)
{
	Napi::Array list = Napi::Array::New(env, n);
	for (size_t i = 0; i < n; i++) {
		Napi::Array pair = Napi::Array::New(env, 2);
		pair.Set(0u, Napi::Number::New(env, table[i].value));
		pair.Set(1u, table[i].name);
		list.Set((uint32_t)i, pair);
	}
	return list;
}

/* flagTables() -> { backend: [[value, name], ...] } from this OS's constants,
 * plus { "<backend>.filters": [[value, name], ...] } for a backend with
 * filters (kqueue's EVFILT_*), only where that backend is compiled. */
Napi::Value FlagTables(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Object tables = Napi::Object::New(env);
	for (const Backend *b : backend_registry()) {
		if (b->flags)
			tables.Set(b->name, name_pairs(env, b->flags, b->nflags));
		if (b->filters)
			tables.Set(std::string(b->name) + ".filters", name_pairs(env, b->filters, b->nfilters));
	}
	return tables;
}

/* platform() -> what uname(2) and the C library say about this machine. */
Napi::Value Platform(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Object p = Napi::Object::New(env);
	struct utsname u;
	if (uname(&u) == 0) {
		p.Set("sysname", u.sysname);
		p.Set("release", u.release);
		p.Set("version", u.version);
		p.Set("machine", u.machine);
	}
#if defined(__GLIBC__)
	p.Set("libc", std::string("glibc ") + gnu_get_libc_version());
#elif defined(__APPLE__)
	p.Set("libc", "libSystem");
#elif defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || defined(__DragonFly__)
	p.Set("libc", "BSD libc");
#else
	p.Set("libc", env.Null());
#endif
	return p;
}

Napi::Object Init(Napi::Env env, Napi::Object exports)
{
	exports.Set("run", Napi::Function::New(env, Run, "run"));
	exports.Set("runMany", Napi::Function::New(env, run_many, "runMany"));
	exports.Set("backends", Napi::Function::New(env, Backends, "backends"));
	exports.Set("flagTables", Napi::Function::New(env, FlagTables, "flagTables"));
	exports.Set("platform", Napi::Function::New(env, Platform, "platform"));
	/* Hash of native/ and binding.gyp at build time (native/source-hash.cjs);
	 * tests compare it with the sources to catch a stale prebuild. */
	exports.Set("sourceHash", PM_XSTRINGIFY(POLLMATRIX_SOURCE_HASH));
	return exports;
}

} // namespace

namespace pollmatrix {
/* For run_many.cc: the one scenario parser and the one result converter. */
bool scenario_from_js(Napi::Env env, Napi::Value value, const std::string &where, Scenario *out)
{
	return scenario_from(env, value, where, out);
}
Napi::Object result_to_js(Napi::Env env, const RunResult &result)
{
	return result_object(env, result);
}
} // namespace pollmatrix

NODE_API_MODULE(pollmatrix, Init)
