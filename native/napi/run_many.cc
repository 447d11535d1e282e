/*
 * run_many.cc - runMany(): the JavaScript side of workers/runs.h's run_many().
 * The scenarios are converted and checked (convert.h) before any run; each
 * scenario's distinct outcomes come back converted once, however many runs
 * gave them.
 */
#include <string>
#include <vector>

#include "../limits.h"
#include "../workers/runs.h"
#include "convert.h"
#include "exports.h"

namespace pollmatrix {

namespace {

/* A whole number within `limit` (limits.h) from options[name], or the
 * limit's default. */
bool whole_option(Napi::Env env, Napi::Object options, const char *name, const Limit &limit, double *out)
{
	Napi::Value v = options.Get(name);
	if (v.IsUndefined()) {
		*out = (double)limit.fallback;
		return true;
	}
	double n = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
	if (!(n >= limit.min && n <= limit.max && n == (double)(long long)n)) {
		type_error(env, std::string("options.") + name + " must be a whole number from " +
		                    std::to_string(limit.min) + " to " + std::to_string(limit.max));
		return false;
	}
	*out = n;
	return true;
}

} // namespace

/* runMany(scenarios, { repeat, jobs, hangMs }) -> one list per scenario of
 * { result, runs, firstRun }: each distinct result, how many of the `repeat`
 * runs gave it, and the index of the first run that did, in order of
 * firstRun (so [0].result is what run 0 saw). A run that hung throws an
 * Error with code ERR_POLLMATRIX_HANG at once (workers/runs.h). */
Napi::Value RunMany(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	if (info.Length() < 1 || !info[0].IsArray())
		return type_error(env, "runMany() takes an array of scenarios");
	Napi::Object options = info.Length() > 1 && info[1].IsObject() ? info[1].As<Napi::Object>() : Napi::Object::New(env);
	double repeat, jobs, hang_ms;
	if (!whole_option(env, options, "repeat", limits::repeat, &repeat) ||
	    !whole_option(env, options, "jobs", limits::jobs, &jobs) ||
	    !whole_option(env, options, "hangMs", limits::hang_ms, &hang_ms))
		return env.Undefined();

	Napi::Array list = info[0].As<Napi::Array>();
	std::vector<Scenario> scenarios(list.Length());
	std::vector<const Transport *> transports(list.Length());
	for (uint32_t i = 0; i < list.Length(); i++) {
		std::string where = "scenarios[" + std::to_string(i) + "]";
		if (!scenario_from_js(env, list.Get(i), where, &scenarios[i]))
			return env.Undefined();
		if (scenarios[i].shared_table != scenarios[0].shared_table)
			return type_error(env, where + ".sharedTable: every scenario of a runMany() call runs in the same table (scenarios[0]'s)");
		transports[i] = scenarios[i].transport;
	}

	std::vector<std::vector<Outcome>> outcomes;
	Hang hang;
	if (!run_many(std::move(scenarios), (size_t)repeat, (int)jobs, hang_ms, &outcomes, &hang)) {
		Napi::Error error = Napi::Error::New(
		    env, "runMany(): scenarios[" + std::to_string(hang.scenario) + "] run " + std::to_string(hang.run) +
		             " did not end within " + std::to_string((long long)hang.bound_ms) +
		             " ms, which its steps' bounds never need: it hung (its worker was retired)");
		error.Set("code", Napi::String::New(env, "ERR_POLLMATRIX_HANG"));
		error.Set("scenario", Napi::Number::New(env, (double)hang.scenario));
		error.Set("run", Napi::Number::New(env, (double)hang.run));
		error.Set("boundMs", Napi::Number::New(env, hang.bound_ms));
		error.ThrowAsJavaScriptException();
		return env.Undefined();
	}

	Napi::Array out = Napi::Array::New(env, outcomes.size());
	for (size_t s = 0; s < outcomes.size(); s++) {
		Napi::Array list = Napi::Array::New(env, outcomes[s].size());
		for (size_t k = 0; k < outcomes[s].size(); k++) {
			const Outcome &outcome = outcomes[s][k];
			Napi::Object o = Napi::Object::New(env);
			o.Set("result", result_to_js(env, transports[s], outcome.result));
			o.Set("runs", Napi::Number::New(env, (double)outcome.runs));
			o.Set("firstRun", Napi::Number::New(env, (double)outcome.first_run));
			list.Set((uint32_t)k, o);
		}
		out.Set((uint32_t)s, list);
	}
	return out;
}

} // namespace pollmatrix
