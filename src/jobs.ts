// Many runs at once: `run --repeat N --jobs J` and `fuzz` hand every run to
// the addon's runMany(), which runs them on J native workers (each with its
// own descriptor table and, where allowed, network namespace) and counts
// them by outcome, so a stable scenario repeated 100,000 times comes back as
// one result. Nothing here depends on how many jobs ran: the outcomes, their
// counts and their order (by first run) are the same for any J.
import os from 'node:os';
import type { NativeOutcome, NativeRunResult, NativeScenario, RunManyOptions } from './binding.js';
import { UsageError } from './errors.js';
import type { Runner, ScenarioRun } from './runner.js';

export const MAX_REPEAT = 1_000_000;
export const MAX_JOBS = 64;

/** One job per core by default. */
export function defaultJobs(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_JOBS, cores));
}

export function parseJobs(text: string | undefined): number {
  if (text === undefined) return defaultJobs();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_JOBS) throw new UsageError(`--jobs takes a whole number from 1 to ${MAX_JOBS}, got '${text}'`);
  return n;
}

/** A distinct outcome of repeated runs, decoded. */
export interface RunOutcome {
  run: ScenarioRun;
  runs: number;
  firstRun: number;
}

/** Runs each scenario `repeat` times on `jobs` workers; per scenario, its
 * distinct outcomes in order of first appearance. */
export function runRepeated(runner: Runner, scenarios: NativeScenario[], options: { repeat: number; jobs: number }): RunOutcome[][] {
  const all = runner.binding.runMany(scenarios, { repeat: options.repeat, jobs: options.jobs });
  return all.map((outcomes) => outcomes.map((o) => ({ run: runner.decodeRun(o.result), runs: o.runs, firstRun: o.firstRun })));
}

/** runMany() for a binding that only has run(): one run after the other,
 * counted by outcome the same way (the fake binding in the tests uses it). */
export function runManyOneByOne(run: (scenario: NativeScenario) => NativeRunResult) {
  return (scenarios: NativeScenario[], options: RunManyOptions = {}): NativeOutcome[][] =>
    scenarios.map((scenario) => {
      const byKey = new Map<string, NativeOutcome>();
      for (let i = 0; i < (options.repeat ?? 1); i++) {
        const result = run(scenario);
        const key = JSON.stringify(result);
        const known = byKey.get(key);
        if (known) known.runs++;
        else byKey.set(key, { result, runs: 1, firstRun: i });
      }
      return [...byKey.values()];
    });
}
