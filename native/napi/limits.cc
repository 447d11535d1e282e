/*
 * limits.cc - limits(): the limits and defaults of limits.h, for TypeScript
 * to check and default its options with:
 * { timeoutMs: { min, max, default }, repeat: {...}, jobs: {...},
 *   defaultTransport }.
 */
#include "../limits.h"
#include "exports.h"

namespace pollmatrix {

namespace {

Napi::Object limit_object(Napi::Env env, const Limit &limit)
{
	Napi::Object o = Napi::Object::New(env);
	o.Set("min", Napi::Number::New(env, (double)limit.min));
	o.Set("max", Napi::Number::New(env, (double)limit.max));
	o.Set("default", Napi::Number::New(env, (double)limit.fallback));
	return o;
}

} // namespace

Napi::Value Limits(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Object o = Napi::Object::New(env);
	o.Set("timeoutMs", limit_object(env, limits::timeout_ms));
	o.Set("repeat", limit_object(env, limits::repeat));
	o.Set("jobs", limit_object(env, limits::jobs));
	o.Set("defaultTransport", limits::default_transport);
	return o;
}

} // namespace pollmatrix
