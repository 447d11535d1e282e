/*
 * module.cc - the addon's module: its exports, each a function of its own
 * file (exports.h). napi/ is the only code that knows N-API; it converts
 * (convert.h) and delegates, to workers/runs.h for the runs and to the lists
 * of backends/, transports/ and engine/ for the rest.
 */
#include <napi.h>

#include "exports.h"

#define PM_STRINGIFY(x) #x
#define PM_XSTRINGIFY(x) PM_STRINGIFY(x)

using namespace pollmatrix;

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports)
{
	exports.Set("run", Napi::Function::New(env, Run, "run"));
	exports.Set("runMany", Napi::Function::New(env, RunMany, "runMany"));
	exports.Set("backends", Napi::Function::New(env, Backends, "backends"));
	exports.Set("flagTables", Napi::Function::New(env, FlagTables, "flagTables"));
	exports.Set("transports", Napi::Function::New(env, Transports, "transports"));
	exports.Set("actions", Napi::Function::New(env, Actions, "actions"));
	exports.Set("interests", Napi::Function::New(env, Interests, "interests"));
	exports.Set("platform", Napi::Function::New(env, Platform, "platform"));
	exports.Set("limits", Napi::Function::New(env, Limits, "limits"));
	/* Hash of native/ and binding.gyp at build time (native/source-hash.cjs);
	 * tests compare it with the sources to catch a stale prebuild. */
	exports.Set("sourceHash", PM_XSTRINGIFY(POLLMATRIX_SOURCE_HASH));
	return exports;
}

} // namespace

NODE_API_MODULE(pollmatrix, Init)
