/*
 * runs.h - the engine's runs on the workers (worker.h): one run for run(),
 * and the many runs of `pollmatrix run --repeat N --jobs J` and of
 * `pollmatrix fuzz` counted by outcome for runMany(). No N-API here: the
 * JavaScript side of both is napi/.
 */
#pragma once

#include <cstddef>
#include <vector>

#include "../engine/engine.h"

namespace pollmatrix {

/* One run of `scenario`, in the descriptor table worker.h's run_in_table()
 * chooses (scenario.shared_table asks for the shared one). */
RunResult run_one(const Scenario &scenario);

/* One distinct result of a scenario's runs: how many runs gave it and the
 * index of the first run that did. */
struct Outcome {
	RunResult result;
	size_t runs = 0;
	size_t first_run = 0;
};

/* The run found past its bound, when run_many() gave up. */
struct Hang {
	size_t scenario = 0;
	size_t run = 0;
	double bound_ms = 0;
};

/* Runs each of `scenarios` `repeat` times on `jobs` workers (at most
 * limits.h's jobs.max) and fills `outcomes` with, per scenario, each
 * distinct result in order of first_run (so [s][0].result is what run 0
 * saw). Every scenario asks for the same table (napi/run_many.cc checks):
 * they run on the shared pool's workers (worker.h) when they ask for the
 * shared table, else on the private pool's.
 *
 * No run can block for ever: every step that waits is bounded by the
 * scenario's timeout. A run that outlives what its steps' bounds allow
 * (`hang_ms` instead when it is above 0) has hung (an engine bug): the call
 * then returns false at once with `hang` naming it, rather than hang its
 * caller; the worker it is stuck on is retired (worker.h). */
bool run_many(std::vector<Scenario> scenarios, size_t repeat, int jobs, double hang_ms,
              std::vector<std::vector<Outcome>> *outcomes, Hang *hang);

} // namespace pollmatrix
