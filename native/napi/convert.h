/*
 * convert.h - the one converter each way across the JavaScript boundary,
 * shared by run() and runMany(): a scenario from JavaScript
 * (scenario_from_js.cc) and a run's result to JavaScript (result_to_js.cc).
 * Flag tables and errno names come from this OS's headers; TypeScript keeps
 * no second copy of them.
 */
#pragma once

#include <string>

#include <napi.h>

#include "../engine/engine.h"

namespace pollmatrix {

/* Throws a TypeError with `message`; returns undefined for the caller to
 * return. */
inline Napi::Value type_error(Napi::Env env, const std::string &message)
{
	Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
	return env.Undefined();
}

/* { transport, interest, commands: [{ side, actions, backend }], timeoutMs,
 * sharedTable } -> `out`. Every field is checked, by path, before any
 * descriptor exists: an error throws a TypeError naming the field (prefixed
 * with `entry` and a dot, e.g. "scenarios[2].", when it is not empty) and
 * returns false. */
bool scenario_from_js(Napi::Env env, Napi::Value value, const std::string &entry, Scenario *out);

/* A run's result as the object TypeScript reads (src/binding.ts
 * NativeRunResult). Failures during a run come back here as data, never as
 * exceptions. */
Napi::Object result_to_js(Napi::Env env, const Transport *transport, const RunResult &result);

} // namespace pollmatrix
