/*
 * lists.cc - the native lists TypeScript derives everything from, and keeps
 * no copy of: backends(), transports(), actions(), interests() and
 * flagTables().
 */
#include <string>

#include "../backends/backend.h"
#include "../backends/interest.h"
#include "../engine/actions.h"
#include "../transports/transport.h"
#include "../workers/probe.h"
#include "convert.h"
#include "exports.h"

namespace pollmatrix {

namespace {

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

/* [{ name, asks, note }] for each interest bit in `b`'s table (interest.h):
 * asks null for a refused bit, note null where the mapping changes nothing. */
Napi::Array interest_mappings(Napi::Env env, const Backend *b)
{
	Napi::Array list = Napi::Array::New(env);
	uint32_t n = 0;
	for (const InterestName &name : interest_names) {
		const InterestMapping *m = interest_mapping(b->interest_map, b->ninterest, name.bit);
		if (!m)
			continue;
		Napi::Object o = Napi::Object::New(env);
		o.Set("name", name.name);
		o.Set("asks", m->asks ? Napi::Value(Napi::String::New(env, m->asks)) : env.Null());
		o.Set("note", m->note ? Napi::Value(Napi::String::New(env, m->note)) : env.Null());
		list.Set(n++, o);
	}
	return list;
}

} // namespace

/* backends({ sharedTable }) -> [{ name, asks, available, reason, observes,
 * persistent, expresses, interest }] for every known backend, in display order.
 * `available` is probed on a worker of the pool the scenarios run on
 * (workers/probe.h): the shared table's when sharedTable is true, else the
 * private one's. */
Napi::Value Backends(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	bool shared = false;
	if (info.Length() > 0 && !info[0].IsUndefined()) {
		Napi::Value v = info[0].IsObject() ? info[0].As<Napi::Object>().Get("sharedTable") : env.Null();
		if (!v.IsUndefined() && !v.IsBoolean())
			return type_error(env, "backends() takes { sharedTable: boolean }");
		shared = !v.IsUndefined() && v.As<Napi::Boolean>().Value();
	}
	const auto &all = backend_registry();
	Napi::Array list = Napi::Array::New(env, all.size());
	for (size_t i = 0; i < all.size(); i++) {
		const Backend *b = all[i];
		const char *why = backend_unavailable(b, shared);
		Napi::Object o = Napi::Object::New(env);
		o.Set("name", b->name);
		o.Set("asks", b->asks);
		o.Set("available", why == nullptr);
		o.Set("reason", why ? Napi::Value(Napi::String::New(env, why)) : env.Null());
		o.Set("observes", b->observes);
		o.Set("persistent", b->persistent);
		o.Set("expresses", words(env, b->expresses));
		o.Set("interest", interest_mappings(env, b));
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
		const char *why = transport_unavailable(t);
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

/* actions() -> [{ name, does, haproxy, value: { unit, min, max } | null }]
 * for every action, haproxy's first. */
Napi::Value Actions(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Array list = Napi::Array::New(env, action_count);
	for (int a = 0; a < action_count; a++) {
		Napi::Object o = Napi::Object::New(env);
		o.Set("name", action_name((Action)a));
		o.Set("does", action_does((Action)a));
		o.Set("haproxy", action_is_haproxys((Action)a));
		ActionValue v = action_value((Action)a);
		if (v.unit) {
			Napi::Object value = Napi::Object::New(env);
			value.Set("unit", v.unit);
			value.Set("min", Napi::Number::New(env, (double)v.min));
			value.Set("max", Napi::Number::New(env, (double)v.max));
			o.Set("value", value);
		} else {
			o.Set("value", env.Null());
		}
		list.Set((uint32_t)a, o);
	}
	return list;
}

/* interests() -> { names: [...], default: [...] } (backends/interest.h). */
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

} // namespace pollmatrix
