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

#include "../engine/actions.h"
#include "../backends/backend.h"
#include "../engine/engine.h"
#include "../os/errnos.h"
#include "run_many.h"
#include "../backends/interest.h"
#include "../transports/transport.h"

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

/* A space-separated list of names as an Napi array. */
Napi::Array words(Napi::Env env, const char *text)
{
	Napi::Array list = Napi::Array::New(env);
	std::string all(text ? text : "");
	size_t start = 0;
	uint32_t n = 0;
	while (start < all.size()) {
		size_t end = all.find(' ', start);
		if (end == std::string::npos)
			end = all.size();
		if (end > start)
			list.Set(n++, all.substr(start, end - start));
		start = end + 1;
	}
	return list;
}

/* The interest (interest.h) from an array of names; false with `why` set. */
bool parse_interest(Napi::Value value, uint32_t *out, std::string *why)
{
	if (!value.IsArray()) {
		*why = "interest must be an array of names (IN OUT PRI RDHUP)";
		return false;
	}
	Napi::Array list = value.As<Napi::Array>();
	uint32_t mask = 0;
	for (uint32_t i = 0; i < list.Length(); i++) {
		Napi::Value v = list.Get(i);
		bool found = false;
		for (const InterestName &name : interest_names)
			if (v.IsString() && v.As<Napi::String>().Utf8Value() == name.name) {
				mask |= name.bit;
				found = true;
			}
		if (!found) {
			*why = "interest[" + std::to_string(i) + "] is not one of IN OUT PRI RDHUP";
			return false;
		}
	}
	*out = mask;
	return true;
}

/* The scenario of run() below, and of each entry of runMany() (run_many.h),
 * where `entry` names the entry for the messages. Input errors throw a
 * TypeError naming the field and return false, before any descriptor
 * exists. */
bool scenario_from(Napi::Env env, Napi::Value value, const std::string &entry, Scenario *out)
{
	Scenario &scenario = *out;
	const std::string prefix = entry.empty() ? "" : entry + ".";
	auto fail = [&](const std::string &message) {
		throw_type_error(env, prefix + message);
		return false;
	};
	if (!value.IsObject()) {
		throw_type_error(env, entry.empty() ? "run() takes a scenario object" : entry + " must be a scenario object");
		return false;
	}
	Napi::Object in = value.As<Napi::Object>();

	Napi::Value timeout = in.Get("timeoutMs");
	if (!timeout.IsUndefined()) {
		if (!timeout.IsNumber())
			return fail("timeoutMs must be a number");
		double ms = timeout.As<Napi::Number>().DoubleValue();
		if (!(ms >= 1 && ms <= 600000))
			return fail("timeoutMs must be between 1 and 600000");
		scenario.timeout_ms = (int)ms;
	}
	Napi::Value shared = in.Get("sharedTable");
	if (!shared.IsUndefined()) {
		if (!shared.IsBoolean())
			return fail("sharedTable must be a boolean");
		scenario.shared_table = shared.As<Napi::Boolean>().Value();
	}
	Napi::Value transport = in.Get("transport");
	std::string tname = transport.IsUndefined() ? "tcp" : transport.IsString() ? transport.As<Napi::String>().Utf8Value() : "";
	scenario.transport = find_transport(tname);
	if (!scenario.transport)
		return fail("transport: unknown transport '" + tname + "'");
	if (const char *why = scenario.transport->unavailable())
		return fail("transport: " + tname + " is not available here: " + why);
	Napi::Value interest = in.Get("interest");
	if (!interest.IsUndefined()) {
		std::string why;
		if (!parse_interest(interest, &scenario.interest, &why))
			return fail(why);
	}
	Napi::Value commands = in.Get("commands");
	if (!commands.IsArray())
		return fail("commands must be an array");
	Napi::Array list = commands.As<Napi::Array>();
	for (uint32_t i = 0; i < list.Length(); i++) {
		std::string where = "commands[" + std::to_string(i) + "]";
		Napi::Value item = list.Get(i);
		if (!item.IsObject())
			return fail(where + " must be an object");
		Napi::Object c = item.As<Napi::Object>();
		Command command;
		Napi::Value side = c.Get("side");
		std::string letter = side.IsString() ? side.As<Napi::String>().Utf8Value() : "";
		command.slot = letter.size() == 1 ? transport_slot(scenario.transport, letter[0]) : -1;
		if (command.slot < 0)
			return fail(where + ".side must be one of " + tname + "'s letters (" +
			                                 scenario.transport->letters + ")");
		Napi::Value backend = c.Get("backend");
		if (!backend.IsString())
			return fail(where + ".backend must be a backend name");
		std::string bname = backend.As<Napi::String>().Utf8Value();
		command.backend = find_backend(bname);
		if (!command.backend)
			return fail(where + ".backend: unknown backend '" + bname + "'");
		if (const char *why = backend_unavailable(command.backend))
			return fail(where + ".backend: " + bname + " is not available here: " + why);
		Napi::Value actions = c.Get("actions");
		if (!actions.IsArray())
			return fail(where + ".actions must be an array of action names");
		Napi::Array names = actions.As<Napi::Array>();
		for (uint32_t j = 0; j < names.Length(); j++) {
			Napi::Value w = names.Get(j);
			std::string at = where + ".actions[" + std::to_string(j) + "]";
			Action a;
			if (!w.IsString() || !parse_action(w.As<Napi::String>().Utf8Value(), &a))
				return fail(at + " is not an action");
			if (!(scenario.transport->actions & action_bit(a)))
				return fail(at + ": " + tname + " cannot do " + action_name(a));
			command.actions.push_back(a);
		}
		scenario.commands.push_back(command);
	}

	return true;
}

Napi::Object result_object(Napi::Env env, const Transport *transport, const RunResult &result)
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

/* run({ transport, interest, commands: [{ side, actions, backend }], timeoutMs })
 * -> result. Contract: every descriptor the run opens is closed before it
 * returns; input errors throw a TypeError naming the field, before any
 * descriptor exists. */
Napi::Value Run(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Scenario scenario;
	if (!scenario_from(env, info.Length() < 1 ? env.Undefined() : info[0], "", &scenario))
		return env.Undefined();
	return result_object(env, scenario.transport, run_scenario(scenario));
}

/* backends() -> [{ name, asks, available, reason, observes, persistent,
 * expresses }] for every known backend, in display order. */
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
		o.Set("observes", b->observes);
		o.Set("persistent", b->persistent);
		o.Set("expresses", words(env, b->expresses));
		list.Set((uint32_t)i, o);
	}
	return list;
}

/* transports() -> [{ name, describes, endpoints: [{ letter, role }], actions,
 * available, reason }] for every known transport, in display order. */
Napi::Value Transports(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	const auto &all = transport_registry();
	Napi::Array list = Napi::Array::New(env, all.size());
	for (size_t i = 0; i < all.size(); i++) {
		const Transport *t = all[i];
		const char *why = t->unavailable();
		Napi::Object o = Napi::Object::New(env);
		o.Set("name", t->name);
		o.Set("describes", t->describes);
		Napi::Array endpoints = Napi::Array::New(env);
		for (uint32_t k = 0; t->letters[k]; k++) {
			Napi::Object e = Napi::Object::New(env);
			e.Set("letter", std::string(1, t->letters[k]));
			e.Set("role", t->roles[k]);
			endpoints.Set(k, e);
		}
		o.Set("endpoints", endpoints);
		Napi::Array actions = Napi::Array::New(env);
		uint32_t n = 0;
		for (int a = 0; a < action_count; a++)
			if (t->actions & action_bit((Action)a))
				actions.Set(n++, action_name((Action)a));
		o.Set("actions", actions);
		o.Set("available", why == nullptr);
		o.Set("reason", why ? Napi::Value(Napi::String::New(env, why)) : env.Null());
		list.Set((uint32_t)i, o);
	}
	return list;
}

/* actions() -> [{ name, does, haproxy }] for every action, haproxy's first. */
Napi::Value Actions(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Array list = Napi::Array::New(env, action_count);
	for (int a = 0; a < action_count; a++) {
		Napi::Object o = Napi::Object::New(env);
		o.Set("name", action_name((Action)a));
		o.Set("does", action_does((Action)a));
		o.Set("haproxy", action_is_haproxys((Action)a));
		list.Set((uint32_t)a, o);
	}
	return list;
}

/* interests() -> { names: [...], default: [...] } (interest.h). */
Napi::Value Interests(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Object o = Napi::Object::New(env);
	Napi::Array names = Napi::Array::New(env);
	Napi::Array defaults = Napi::Array::New(env);
	uint32_t n = 0, d = 0;
	for (const InterestName &name : interest_names) {
		names.Set(n++, name.name);
		if (interest_default & name.bit)
			defaults.Set(d++, name.name);
	}
	o.Set("names", names);
	o.Set("default", defaults);
	return o;
}

/* What a flag entry means in the normalised view; nothing for a filter. */
const char *meaning(const FlagName &entry)
{
	return entry.means;
}
const char *meaning(const FilterName &)
{
	return nullptr;
}

/* [[value, name], ...] out of a FlagName or FilterName table; a flag with a
 * normalised meaning gets it as a third element: [value, name, [properties]]. */
template <typename Entry>
Napi::Array name_pairs(Napi::Env env, const Entry *table, size_t n)
{
	Napi::Array list = Napi::Array::New(env, n);
	for (size_t i = 0; i < n; i++) {
		Napi::Array pair = Napi::Array::New(env);
		pair.Set(0u, Napi::Number::New(env, table[i].value));
		pair.Set(1u, table[i].name);
		if (const char *means = meaning(table[i]))
			pair.Set(2u, words(env, means));
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
	exports.Set("transports", Napi::Function::New(env, Transports, "transports"));
	exports.Set("actions", Napi::Function::New(env, Actions, "actions"));
	exports.Set("interests", Napi::Function::New(env, Interests, "interests"));
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
Napi::Object result_to_js(Napi::Env env, const Scenario &scenario, const RunResult &result)
{
	return result_object(env, scenario.transport, result);
}
} // namespace pollmatrix

NODE_API_MODULE(pollmatrix, Init)
