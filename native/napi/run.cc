/*
 * run.cc - run(): one scenario, with no JavaScript between its steps.
 */
#include "../workers/runs.h"
#include "convert.h"
#include "exports.h"

namespace pollmatrix {

/* run({ transport, interest, commands: [{ side, actions, backend }], timeoutMs })
 * -> result. Contract: every descriptor the run opens is closed before it
 * returns; input errors throw a TypeError naming the field, before any
 * descriptor exists. */
Napi::Value Run(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Scenario scenario;
	if (!scenario_from_js(env, info.Length() < 1 ? env.Undefined() : info[0], "", &scenario))
		return env.Undefined();
	return result_to_js(env, scenario.transport, run_one(scenario));
}

} // namespace pollmatrix
