/*
 * run_many.cc - runMany(): the runs of `pollmatrix run --repeat N --jobs J`
 * and of `pollmatrix fuzz` in one call, with no JavaScript between runs.
 *
 * Each scenario's runs are cut into slices; the workers (worker.h) take
 * slices in turn, so J workers stay busy until the last slice. A slice counts
 * its runs by outcome (result_key.h); only one result per distinct outcome
 * is kept and converted to JavaScript, so a run costs no N-API calls and
 * 100,000 runs of a stable scenario return one object.
 */
#include "run_many.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <vector>

#include "descriptors.h"
#include "result_key.h"
#include "worker.h"

namespace pollmatrix {

namespace {

constexpr double max_repeat = 1000000;

struct Outcome {
	RunResult result;
	size_t runs = 0;
	size_t first_run = 0;
};

struct Slice {
	size_t scenario;
	size_t begin, end; /* run indexes */
	std::unordered_map<std::string, Outcome> outcomes;
};

Napi::Value type_error(Napi::Env env, const std::string &message)
{
	Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
	return env.Undefined();
}

/* A whole number in [low, high] from options[name], or `fallback`. */
bool whole_option(Napi::Env env, Napi::Object options, const char *name, double low, double high, double fallback,
                  double *out)
{
	Napi::Value v = options.Get(name);
	if (v.IsUndefined()) {
		*out = fallback;
		return true;
	}
	double n = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
	if (!(n >= low && n <= high && n == (double)(long long)n)) {
		type_error(env, std::string("options.") + name + " must be a whole number from " +
		                    std::to_string((long long)low) + " to " + std::to_string((long long)high));
		return false;
	}
	*out = n;
	return true;
}

} // namespace

Napi::Value run_many(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	if (info.Length() < 1 || !info[0].IsArray())
		return type_error(env, "runMany() takes an array of scenarios");
	Napi::Object options = info.Length() > 1 && info[1].IsObject() ? info[1].As<Napi::Object>() : Napi::Object::New(env);
	double repeat, jobs;
	if (!whole_option(env, options, "repeat", 1, max_repeat, 1, &repeat) ||
	    !whole_option(env, options, "jobs", 1, max_workers, 1, &jobs))
		return env.Undefined();

	Napi::Array list = info[0].As<Napi::Array>();
	std::vector<Scenario> scenarios(list.Length());
	for (uint32_t i = 0; i < list.Length(); i++) {
		std::string where = "scenarios[" + std::to_string(i) + "]";
		if (!scenario_from_js(env, list.Get(i), where, &scenarios[i]))
			return env.Undefined();
		if (scenarios[i].shared_table)
			return type_error(env, where + ".sharedTable: runMany() runs on workers; use run() for the shared table");
	}

	/* Slices small enough that the last ones keep every worker busy, large
	 * enough that taking one costs nothing next to its runs. */
	size_t per_scenario = (size_t)repeat;
	size_t slice = std::max<size_t>(1, std::min<size_t>(256, per_scenario / ((size_t)jobs * 8)));
	std::vector<Slice> slices;
	for (size_t s = 0; s < scenarios.size(); s++)
		for (size_t b = 0; b < per_scenario; b += slice)
			slices.push_back({s, b, std::min(per_scenario, b + slice), {}});

	run_parallel((int)jobs, slices.size(), [&](size_t i, DescriptorTable &table) {
		Slice &sl = slices[i];
		for (size_t run = sl.begin; run < sl.end; run++) {
			RunResult out;
			run_scenario_on(scenarios[sl.scenario], table, out);
			bool clean = out.leaked.empty() && out.descriptor_table == std::string("private");
			Outcome &o = sl.outcomes[result_key(out)];
			if (o.runs++ == 0) {
				o.first_run = run;
				o.result = std::move(out);
			}
			finish_scenario(table, clean);
		}
	});

	std::vector<std::map<std::string, Outcome>> merged(scenarios.size());
	for (Slice &sl : slices)
		for (auto &entry : sl.outcomes) {
			auto found = merged[sl.scenario].find(entry.first);
			if (found == merged[sl.scenario].end()) {
				merged[sl.scenario].emplace(entry.first, std::move(entry.second));
				continue;
			}
			Outcome &o = found->second;
			o.runs += entry.second.runs;
			if (entry.second.first_run < o.first_run) {
				o.first_run = entry.second.first_run;
				o.result = std::move(entry.second.result);
			}
		}

	Napi::Array out = Napi::Array::New(env, scenarios.size());
	for (size_t s = 0; s < scenarios.size(); s++) {
		std::vector<const Outcome *> ordered;
		for (const auto &entry : merged[s])
			ordered.push_back(&entry.second);
		std::sort(ordered.begin(), ordered.end(),
		          [](const Outcome *a, const Outcome *b) { return a->first_run < b->first_run; });
		Napi::Array outcomes = Napi::Array::New(env, ordered.size());
		for (size_t k = 0; k < ordered.size(); k++) {
			Napi::Object o = Napi::Object::New(env);
			o.Set("result", result_to_js(env, scenarios[s], ordered[k]->result));
			o.Set("runs", Napi::Number::New(env, (double)ordered[k]->runs));
			o.Set("firstRun", Napi::Number::New(env, (double)ordered[k]->first_run));
			outcomes.Set((uint32_t)k, o);
		}
		out.Set((uint32_t)s, outcomes);
	}
	return out;
}

} // namespace pollmatrix
