// The matrix's runs: each (scenario, backend) pair `repeat` times on `jobs`
// workers (jobs.ts), summarised into one ScenarioRun per pair. The first run
// is kept; a `pol` step whose cell was not the same every time is recorded as
// unstable with what was seen, so it is never shown as one answer.
import type { Scenario } from '../model/catalogue.js';
import { BatchedRuns, type RunOutcome } from '../native/jobs.js';
import { cellText } from '../present/matrix.js';
import { nativeScenario, type Runner } from '../native/runner.js';
import { findPol, polSteps } from '../model/steps.js';
import type { ScenarioRun, UnstableStep } from '../model/observed.js';

export interface PairSettings {
  timeoutMs?: number;
  repeat?: number;
  jobs?: number;
  /** See BatchSettings.batchMs; default one batch. */
  batchMs?: number;
}

/** One pair's runs as one ScenarioRun: the first, plus what was unstable. */
export function summarise(scenario: Scenario, outcomes: RunOutcome[]): ScenarioRun {
  const unstable: UnstableStep[] = [];
  for (const pol of polSteps(scenario.commands)) {
    const seen = new Map<string, number>();
    for (const { run, runs } of outcomes) {
      const text = cellText(findPol(run.steps, pol));
      seen.set(text, (seen.get(text) ?? 0) + runs);
    }
    if (seen.size > 1) unstable.push({ cmd: pol.cmd, stp: pol.stp, seen: [...seen].map(([text, count]) => ({ text, count })) });
  }
  const first = outcomes[0].run;
  return unstable.length > 0 ? { ...first, unstable } : first;
}

/** The pairs in order (scenario by scenario, each through every backend),
 * and their runs, ready to be stepped batch by batch. */
export class PairRuns {
  readonly batches: BatchedRuns;
  private readonly pairs: Array<{ scenario: Scenario; backend: string }>;

  constructor(runner: Runner, scenarios: Scenario[], private readonly backends: string[], settings: PairSettings = {}) {
    this.pairs = scenarios.flatMap((scenario) => backends.map((backend) => ({ scenario, backend })));
    const natives = this.pairs.map(({ scenario, backend }) =>
      nativeScenario(
        scenario.commands.map((c) => ({ side: c.side, actions: c.actions, backend })),
        { transport: scenario.transport, interest: scenario.interest, timeoutMs: settings.timeoutMs },
      ),
    );
    this.batches = new BatchedRuns(runner, natives, {
      repeat: settings.repeat ?? 1,
      jobs: settings.jobs ?? 1,
      batchMs: settings.batchMs ?? Infinity,
      describe: (i) => `${this.pairs[i].scenario.id} on ${this.pairs[i].backend}`,
    });
  }

  /** The runs of every scenario that ran through every backend, by
   * scenario id then backend. */
  completed(): Map<string, Map<string, ScenarioRun>> {
    const runs = new Map<string, Map<string, ScenarioRun>>();
    const whole = Math.floor(this.batches.completed / Math.max(1, this.backends.length)) * this.backends.length;
    for (let i = 0; i < whole; i++) {
      const { scenario, backend } = this.pairs[i];
      const byBackend = runs.get(scenario.id) ?? new Map<string, ScenarioRun>();
      runs.set(scenario.id, byBackend);
      byBackend.set(backend, summarise(scenario, this.batches.outcomes(i)));
    }
    return runs;
  }
}

