// Many runs at once: `run --repeat N --jobs J` and `fuzz` hand every run to
// the addon's runMany(), which runs them on J native workers (each with its
// own descriptor table and, where allowed, network namespace) and counts
// them by outcome, so a stable scenario repeated 100,000 times comes back as
// one result. Nothing here depends on how many jobs ran: the outcomes, their
// counts and their order (by first run) are the same for any J.
import os from 'node:os';
import { isHang, type NativeOutcome, type NativeRunResult, type NativeScenario } from './binding.js';
import type { Runner } from './runner.js';
import type { Limits, ScenarioRun } from '../model/observed.js';
import { vocabularyOf } from './vocabulary.js';

/** One job per core by default, within the addon's limits. */
export function defaultJobs(limits: Pick<Limits, 'jobs'>): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(limits.jobs.min, Math.min(limits.jobs.max, cores));
}

/** A distinct outcome of repeated runs, decoded. */
export interface RunOutcome {
  run: ScenarioRun;
  runs: number;
  firstRun: number;
}

/** Where a batch ends: a target time and the runs it may hold. */
export interface BatchSettings {
  repeat: number;
  jobs: number;
  /** A batch should take about this long, so progress moves and Ctrl-C is
   * heard between batches; Infinity runs everything in one batch. */
  batchMs?: number;
  /** The clock (tests use a fake one). */
  now?: () => number;
  /** Names scenario `index` in the error a hang throws. */
  describe?: (index: number) => string;
}

interface Merged {
  result: NativeRunResult;
  runs: number;
  firstRun: number;
}

/**
 * Each scenario `repeat` times, a batch at a time: runMany() over a few
 * scenarios' runs, sized so that a batch takes about `batchMs`. A scenario's
 * runs may be cut across batches (one scenario repeated 1,000,000 times);
 * outcomes are merged by result, and numbered by run, so what comes out does
 * not depend on where the batches were cut, nor on the number of jobs.
 */
export class BatchedRuns {
  readonly total: number;
  private readonly merged: Array<Map<string, Merged>>;
  /** Runs started per scenario; every scenario before `next` is complete. */
  private readonly started: number[];
  private next = 0;
  private size: number;
  private readonly batchMs: number;
  private readonly now: () => number;

  constructor(
    private readonly runner: Runner,
    private readonly scenarios: NativeScenario[],
    private readonly settings: BatchSettings,
  ) {
    this.total = scenarios.length * settings.repeat;
    this.merged = scenarios.map(() => new Map());
    this.started = scenarios.map(() => 0);
    this.batchMs = settings.batchMs ?? 250;
    this.now = settings.now ?? (() => performance.now());
    // A first batch small enough to measure what a run costs here.
    this.size = Number.isFinite(this.batchMs) ? Math.max(settings.jobs * 4, 8) : Infinity;
  }

  get done(): number {
    return this.started.reduce((n, s) => n + s, 0);
  }

  get finished(): boolean {
    return this.next >= this.scenarios.length;
  }

  /** Scenarios whose runs are all done: the first `completed`. */
  get completed(): number {
    return this.next;
  }

  /** Runs the next batch. */
  step(): void {
    // The batch: (scenario, begin, end) pieces, at most `size` runs.
    const pieces: Array<{ index: number; begin: number; end: number }> = [];
    let budget = this.size;
    for (let i = this.next; i < this.scenarios.length && budget > 0; i++) {
      const begin = this.started[i];
      const end = Math.min(this.settings.repeat, begin + budget);
      pieces.push({ index: i, begin, end });
      budget -= end - begin;
    }
    const started = this.now();
    // runMany() takes one repeat count per call: one call per piece length.
    const byLength = new Map<number, typeof pieces>();
    for (const piece of pieces) {
      const length = piece.end - piece.begin;
      const group = byLength.get(length);
      if (group) group.push(piece);
      else byLength.set(length, [piece]);
    }
    for (const [length, group] of byLength) {
      let outcomes: NativeOutcome[][];
      try {
        outcomes = this.runner.binding.runMany(
          group.map((p) => this.scenarios[p.index]),
          { repeat: length, jobs: this.settings.jobs },
        );
      } catch (err) {
        if (!isHang(err)) throw err;
        const index = group[err.scenario].index;
        const what = this.settings.describe?.(index) ?? `scenario ${index}`;
        throw Object.assign(new Error(`${what}: a run did not end within ${err.boundMs} ms, more than its steps' bounds allow: it hung (a pollmatrix bug)`), {
          code: err.code,
          scenario: index,
          run: err.run,
          boundMs: err.boundMs,
        });
      }
      group.forEach((piece, k) => this.merge(piece.index, piece.begin, outcomes[k]));
    }
    for (const piece of pieces) this.started[piece.index] = piece.end;
    while (this.next < this.scenarios.length && this.started[this.next] === this.settings.repeat) this.next++;
    const runs = pieces.reduce((n, p) => n + p.end - p.begin, 0);
    const perRun = Math.max(this.now() - started, 0.001) / runs;
    if (Number.isFinite(this.size)) this.size = Math.max(this.settings.jobs, Math.min(vocabularyOf(this.runner.binding).limits.repeat.max, Math.round(this.batchMs / perRun)));
  }

  private merge(index: number, begin: number, outcomes: NativeOutcome[]): void {
    const merged = this.merged[index];
    for (const o of outcomes) {
      const key = JSON.stringify(o.result);
      const known = merged.get(key);
      if (known) known.runs += o.runs;
      else merged.set(key, { result: o.result, runs: o.runs, firstRun: begin + o.firstRun });
    }
  }

  /** A complete scenario's distinct outcomes, in order of first run. */
  outcomes(index: number): RunOutcome[] {
    if (index >= this.next) throw new Error(`scenario ${index} has not run all its runs`);
    return [...this.merged[index].values()]
      .sort((a, b) => a.firstRun - b.firstRun)
      .map((o) => ({ run: this.runner.decodeRun(o.result), runs: o.runs, firstRun: o.firstRun }));
  }

  /** Every batch, one after the other. */
  runToEnd(): this {
    while (!this.finished) this.step();
    return this;
  }
}
