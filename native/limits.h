/*
 * limits.h - every limit and default of a run, declared once. The addon
 * checks its input against them (napi/), the engine and the workers are
 * sized by them, and limits() exports them (napi/limits.cc), so TypeScript
 * reads them rather than repeating them.
 * Native sources include it by relative path ("../limits.h"); native/ itself
 * is on no include path, where this file would stand in for <limits.h>.
 */
#pragma once

namespace pollmatrix {

/* A whole-number setting: its bounds, and its value when none is given. */
struct Limit {
	long min;
	long max;
	long fallback;
};

namespace limits {

/* How long a step that would block for ever waits (ms): an accept with
 * nothing pending, a drain whose peer never closes, a connect that never
 * completes. */
constexpr Limit timeout_ms = {1, 600000, 1000};

/* Runs of each scenario in one runMany() call (run --repeat). */
constexpr Limit repeat = {1, 1000000, 1};

/* Workers running at once (run --jobs): one thread each, with its own
 * descriptor table (workers/worker.h). */
constexpr Limit jobs = {1, 64, 1};

/* The transport of a scenario that names none: haproxy's dev/poll/poll's. */
constexpr const char *default_transport = "tcp";

/* Not exported: runMany()'s hangMs, the bound after which a run has hung,
 * for the tests of the hang watch; 0 means each run's own bound
 * (workers/runs.h). */
constexpr Limit hang_ms = {0, 86400000, 0};

/* Not exported: the least a holder's handshake waits (ms), whatever the
 * step timeout: frk until its child is ready, fcl until it has closed its
 * copy (engine/holder.h). The child waits on nothing the scenario does,
 * only on the scheduler, and forking Node's address space under fuzz's
 * parallel load took longer than fuzz's 20 ms step timeout. */
constexpr long holder_wait_min_ms = 1000;

} // namespace limits

} // namespace pollmatrix
