/*
 * run_many.h - runMany(): many runs of many scenarios on several workers at
 * once, counted by outcome (run_many.cc).
 */
#pragma once

#include <string>

#include <napi.h>

#include "../engine/engine.h"

namespace pollmatrix {

/* runMany(scenarios, { repeat, jobs }) -> one list per scenario of
 * { result, runs, firstRun }: each distinct result, how many of the `repeat`
 * runs gave it, and the index of the first run that did, in order of
 * firstRun (so [0].result is what run 0 saw). */
Napi::Value run_many(const Napi::CallbackInfo &info);

/* addon.cc's scenario parser and result converter, shared with run(). */
bool scenario_from_js(Napi::Env env, Napi::Value value, const std::string &where, Scenario *out);
Napi::Object result_to_js(Napi::Env env, const Scenario &scenario, const RunResult &result);

} // namespace pollmatrix
