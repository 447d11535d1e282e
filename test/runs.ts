// Ways to run scenarios that only the tests and the bench need: one backend
// for a whole scenario, a whole catalogue in one go, and runMany() for a
// binding that only has run() (the fakes).
import type { Scenario } from '../src/model/catalogue.js';
import type { ScenarioRun } from '../src/model/observed.js';
import type { CommandSpec } from '../src/model/steps.js';
import type { NativeOutcome, NativeRunResult, NativeScenario, RunManyOptions } from '../src/native/binding.js';
import type { Runner, RunSettings } from '../src/native/runner.js';
import { PairRuns } from '../src/run/pairs.js';

/** A scenario with one backend for every `pol`. */
export function runWith(runner: Runner, commands: CommandSpec[], backend: string, settings: RunSettings = {}): ScenarioRun {
  return runner.runCommands(
    commands.map((c) => ({ side: c.side, actions: c.actions, backend })),
    settings,
  );
}

/** Every scenario through every backend, `repeat` times each, in one go. */
export function runAll(
  runner: Runner,
  scenarios: Scenario[],
  backends: string[],
  timeoutMs?: number,
  repeat = 1,
  jobs = 1,
): Map<string, Map<string, ScenarioRun>> {
  const pairs = new PairRuns(runner, scenarios, backends, { timeoutMs, repeat, jobs });
  pairs.batches.runToEnd();
  return pairs.completed();
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
