/*
 * run_many.cc - runMany(): the runs of `pollmatrix run --repeat N --jobs J`
 * and of `pollmatrix fuzz` in one call, with no JavaScript between runs.
 *
 * Each scenario's runs are cut into slices; the workers (worker.h) take
 * slices in turn, so J workers stay busy until the last slice. A slice counts
 * its runs by outcome (result_key.h); only one result per distinct outcome
 * is kept and converted to JavaScript, so a run costs no N-API calls and
 * 100,000 runs of a stable scenario return one object.
 *
 * No run can block for ever: every step that waits is bounded by the
 * scenario's timeout. A run that outlives what its steps' bounds allow has
 * hung (an engine bug); runMany() then throws at once, naming it, rather
 * than hanging its caller (the worker it is stuck on is retired, worker.h).
 */
#include "run_many.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "../workers/descriptors.h"
#include "../workers/result_key.h"
#include "../engine/settle.h"
#include "../workers/worker.h"

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

/* What a worker is running, for the watch: started_ns is 0 between runs. */
struct Running {
	std::atomic<long long> started_ns{0};
	std::atomic<size_t> scenario{0};
	std::atomic<size_t> run{0};
};

/* A call's state, owned jointly by the call and its jobs (worker.h: a job
 * left to a stuck worker must not outlive what it reads). */
struct Many {
	std::vector<Scenario> scenarios;
	std::vector<Slice> slices;
	std::unique_ptr<Running[]> running{new Running[max_workers]};
};

long long now_ns()
{
	return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
	    .count();
}

/* The longest a run of `sc` can take without a hang: each step (and an
 * implicit connect or accept per command) waits at most the timeout plus the
 * settle bound; 2 s more for a loaded machine. */
double run_bound_ms(const Scenario &sc)
{
	size_t steps = 0;
	for (const Command &c : sc.commands)
		steps += c.actions.size() + 2;
	return (double)steps * (sc.timeout_ms + settle_bound_ms(sc.timeout_ms)) + 2000;
}

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
	double repeat, jobs, hang_ms;
	if (!whole_option(env, options, "repeat", 1, max_repeat, 1, &repeat) ||
	    !whole_option(env, options, "jobs", 1, max_workers, 1, &jobs) ||
	    !whole_option(env, options, "hangMs", 0, 86400000, 0, &hang_ms))
		return env.Undefined();

	Napi::Array list = info[0].As<Napi::Array>();
	auto many = std::make_shared<Many>();
	std::vector<Scenario> &scenarios = many->scenarios;
	scenarios.resize(list.Length());
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
	std::vector<Slice> &slices = many->slices;
	for (size_t s = 0; s < scenarios.size(); s++)
		for (size_t b = 0; b < per_scenario; b += slice)
			slices.push_back({s, b, std::min(per_scenario, b + slice), {}});
	std::vector<double> bound_ms(scenarios.size());
	for (size_t s = 0; s < scenarios.size(); s++)
		bound_ms[s] = hang_ms > 0 ? hang_ms : run_bound_ms(scenarios[s]);

	auto job = [many](size_t i, int worker, DescriptorTable &table) {
		Slice &sl = many->slices[i];
		Running &now = many->running[worker];
		for (size_t run = sl.begin; run < sl.end; run++) {
			RunResult out;
			now.scenario = sl.scenario;
			now.run = run;
			now.started_ns = now_ns();
			run_scenario_on(many->scenarios[sl.scenario], table, out);
			now.started_ns = 0;
			bool clean = out.leaked.empty() && out.descriptor_table == std::string("private");
			Outcome &o = sl.outcomes[result_key(out)];
			if (o.runs++ == 0) {
				o.first_run = run;
				o.result = std::move(out);
			}
			finish_scenario(table, clean);
		}
	};
	/* The first run found past its bound. */
	size_t hung_scenario = 0, hung_run = 0;
	double hung_bound = 0;
	auto watch = [&]() {
		long long now = now_ns();
		for (int k = 0; k < (int)jobs; k++) {
			Running &r = many->running[k];
			long long started = r.started_ns;
			size_t s = r.scenario;
			if (started == 0 || (double)(now - started) / 1e6 <= bound_ms[s])
				continue;
			hung_scenario = s;
			hung_run = r.run;
			hung_bound = bound_ms[s];
			return false;
		}
		return true;
	};
	if (!run_parallel((int)jobs, slices.size(), job, watch)) {
		Napi::Error error = Napi::Error::New(
		    env, "runMany(): scenarios[" + std::to_string(hung_scenario) + "] run " + std::to_string(hung_run) +
		             " did not end within " + std::to_string((long long)hung_bound) +
		             " ms, which its steps' bounds never need: it hung (its worker was retired)");
		error.Set("code", Napi::String::New(env, "ERR_POLLMATRIX_HANG"));
		error.Set("scenario", Napi::Number::New(env, (double)hung_scenario));
		error.Set("run", Napi::Number::New(env, (double)hung_run));
		error.Set("boundMs", Napi::Number::New(env, hung_bound));
		error.ThrowAsJavaScriptException();
		return env.Undefined();
	}

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
