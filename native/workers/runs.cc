/*
 * runs.cc - see runs.h.
 *
 * run_many(): each scenario's runs are cut into slices; the workers
 * (worker.h) take slices in turn, so J workers stay busy until the last
 * slice. A slice counts its runs by outcome (result_key.h); only one result
 * per distinct outcome is kept, so a run costs no conversion to JavaScript
 * and 100,000 runs of a stable scenario give one outcome.
 */
#include "runs.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "../engine/settle.h"
#include "descriptors.h"
#include "result_key.h"
#include "worker.h"

namespace pollmatrix {

namespace {

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

} // namespace

RunResult run_one(const Scenario &scenario)
{
	RunResult out;
	std::string why_shared;
	run_in_table([&](DescriptorTable &table) { run_scenario_on(scenario, table, out); }, scenario.shared_table,
	             &why_shared);
	out.why_shared = why_shared;
	return out;
}

bool run_many(std::vector<Scenario> scenarios, size_t repeat, int jobs, double hang_ms,
              std::vector<std::vector<Outcome>> *outcomes, Hang *hang)
{
	auto many = std::make_shared<Many>();
	many->scenarios = std::move(scenarios);
	const std::vector<Scenario> &all = many->scenarios;

	/* Slices small enough that the last ones keep every worker busy, large
	 * enough that taking one costs nothing next to its runs. */
	size_t slice = std::max<size_t>(1, std::min<size_t>(256, repeat / ((size_t)jobs * 8)));
	std::vector<Slice> &slices = many->slices;
	for (size_t s = 0; s < all.size(); s++)
		for (size_t b = 0; b < repeat; b += slice)
			slices.push_back({s, b, std::min(repeat, b + slice), {}});
	std::vector<double> bound_ms(all.size());
	for (size_t s = 0; s < all.size(); s++)
		bound_ms[s] = hang_ms > 0 ? hang_ms : run_bound_ms(all[s]);

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
	auto watch = [&]() {
		long long now = now_ns();
		for (int k = 0; k < jobs; k++) {
			Running &r = many->running[k];
			long long started = r.started_ns;
			size_t s = r.scenario;
			if (started == 0 || (double)(now - started) / 1e6 <= bound_ms[s])
				continue;
			hang->scenario = s;
			hang->run = r.run;
			hang->bound_ms = bound_ms[s];
			return false;
		}
		return true;
	};
	bool shared = !all.empty() && all[0].shared_table;
	if (!run_parallel(jobs, shared, slices.size(), job, watch))
		return false;

	std::vector<std::map<std::string, Outcome>> merged(all.size());
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

	outcomes->assign(all.size(), {});
	for (size_t s = 0; s < all.size(); s++) {
		std::vector<Outcome> &list = (*outcomes)[s];
		for (auto &entry : merged[s])
			list.push_back(std::move(entry.second));
		std::sort(list.begin(), list.end(),
		          [](const Outcome &a, const Outcome &b) { return a.first_run < b.first_run; });
	}
	return true;
}

} // namespace pollmatrix
