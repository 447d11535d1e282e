// pollmatrix fuzz: random valid scenarios over the transports and backends
// the addon offers, each run twice. A scenario fails when its two runs differ,
// when it leaves a descriptor open, when its endpoints cannot be set up, or
// when a run takes longer than its steps' bounds allow (the addon's watch
// stops waiting for it: a hang); the whole run fails when the process's
// descriptor count or memory grows. Each failure is shrunk (commands,
// then actions, dropped while it still fails) and printed as the
// `pollmatrix trace` command that shows it.
import { readdirSync } from 'node:fs';
import { isHang, type Binding, type NativeOutcome, type NativeRunResult } from '../../native/binding.js';
import { parseHaproxyArgs } from '../../model/scenario-syntax.js';
import { vocabularyOf } from '../../native/vocabulary.js';
import { toNative, traceArgs, type FuzzCase } from './case.js';
import { generateCase, random } from './generate.js';
import { shrink } from './shrink.js';

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Transport names to draw from (all available ones when empty). */
  transports: string[];
  /** Backend names to draw from (all available ones when empty). */
  backends: string[];
  /** The step bound of every run. */
  timeoutMs: number;
  jobs: number;
  /** The table the binding runs in (native/descriptor-table.ts), so that a
   * reproducer asks for the same one. Default: private. */
  descriptorTable?: 'private' | 'shared';
}

export interface FuzzFailure {
  index: number;
  problem: string;
  /** The shrunk case and the command that runs it. */
  minimal: FuzzCase;
  /** That command's words, shell-quoted. */
  reproducer: string[];
}

export interface FuzzReport {
  cases: number;
  runs: number;
  failures: FuzzFailure[];
  /** Resident set size and open descriptors after the warm-up and at the end. */
  rss: { first: number; last: number };
  descriptors: { first: number | null; last: number | null };
  seconds: number;
}

/** Cases run before the memory and descriptor baseline is taken. */
export const WARM_UP = 2500;

/** A result as fuzz compares it: a `ful` that wrote says "filled", not how
 * many bytes. On TCP that count follows the kernel's buffer autotuning, whose
 * timing a loaded machine shifts: with `stress-ng --cpu 2` on 2 cores, 1 in
 * 600 runs of `-u rcv,clo,arm,pol -c ful,shw,pol -l clo,soe` filled 3,958,272
 * bytes instead of 3,910,656, and nothing else in the run changed. No cell
 * shows the count (cells are pol steps), and a fill that changes what a later
 * step sees still differs here. */
function comparable(outcome: NativeOutcome): string {
  const result = outcome.result.descriptorTable === 'shared' ? unnumbered(outcome.result) : outcome.result;
  return JSON.stringify({ ...result, steps: result.steps.map((s) => (s.action === 'ful' && Number(s.ret) > 0 ? { ...s, ret: 'filled' } : s)) });
}

/** The steps whose return value is a descriptor: accept(), open(), dup and swp. */
const RETURNS_A_DESCRIPTOR = new Set(['acc', 'opn', 'dup', 'swp']);

type Unnumbered = Omit<NativeRunResult, 'steps'> & { steps: Array<Record<string, unknown>> };

/** A run in the shared table (`--descriptor-table shared`) with its
 * descriptor numbers left out, in the steps and in their notes: they come
 * from the process's table, where Node's own threads and the other workers
 * take numbers too, so two identical runs get different ones, and a number a
 * scenario closed may be someone else's before its next step (even their
 * order of appearance differs: renaming them in that order still gave 3
 * failures in 8 × 300 cases). */
function unnumbered(result: NativeRunResult): Unnumbered {
  const known = new Set<number>();
  const name = (n: number): number | string => {
    if (n < 0) return n;
    known.add(n);
    return '#';
  };
  const steps = result.steps.map((s) => ({
    ...s,
    fd: name(s.fd),
    actedFd: name(s.actedFd),
    ret: RETURNS_A_DESCRIPTOR.has(s.action) ? name(s.ret) : s.ret,
    ...(s.observation?.kevents ? { observation: { ...s.observation, kevents: s.observation.kevents.map((k) => ({ ...k, ident: name(k.ident) })) } } : {}),
  }));
  for (const s of steps) {
    if (typeof s.note === 'string') s.note = s.note.replace(/\b\d+\b/g, (n) => (known.has(Number(n)) ? '#' : n));
  }
  return { ...result, steps };
}

/** What is wrong with a case's outcomes, or null. */
function problemOf(outcomes: NativeOutcome[]): string | null {
  const distinct = new Set(outcomes.map(comparable)).size;
  if (distinct > 1) {
    const total = outcomes.reduce((n, o) => n + o.runs, 0);
    return `its ${total} runs gave ${distinct} different results`;
  }
  const result = outcomes[0].result;
  if (result.setupError) return `its endpoints could not be set up: ${result.setupError}`;
  if (result.leaked.length > 0) return `it left descriptors ${result.leaked.join(' ')} open`;
  return null;
}

function openDescriptors(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

export function runFuzz(binding: Binding, options: FuzzOptions, batchSize = 500): FuzzReport {
  const start = process.hrtime.bigint();
  const transports = binding.transports().filter((t) => t.available && (options.transports.length === 0 || options.transports.includes(t.name)));
  const backends = binding
    .backends()
    .filter((b) => b.available && (options.backends.length === 0 || options.backends.includes(b.name)))
    .map((b) => b.name);
  const interestNames = binding.interests().names;
  const rng = random(options.seed);
  const failures: FuzzFailure[] = [];
  const rss = { first: 0, last: 0 };
  const descriptors: { first: number | null; last: number | null } = { first: null, last: null };
  const run = (cases: FuzzCase[], repeat: number) =>
    binding.runMany(cases.map((c) => toNative(c, options.timeoutMs)), { repeat, jobs: options.jobs });
  // A shrunk candidate must fail the same way; differences between runs are
  // looked for harder (ten runs), since they may be rare.
  let casesRun = 0;
  const failsLike = (problem: string) => (c: FuzzCase) => {
    let outcomes: NativeOutcome[][];
    try {
      outcomes = run([c], problem.includes('different results') ? 10 : 2);
    } catch (err) {
      if (isHang(err)) return false;
      throw err;
    }
    const found = problemOf(outcomes[0]);
    return found !== null && found.split(':')[0].replace(/\d+/g, '#') === problem.split(':')[0].replace(/\d+/g, '#');
  };
  for (let done = 0; done < options.count; done += batchSize) {
    const cases: FuzzCase[] = [];
    while (cases.length < Math.min(batchSize, options.count - done)) {
      const c = generateCase(rng, transports, backends, interestNames, vocabularyOf(binding).actionValues, options.descriptorTable);
      // Valid by construction; the CLI's own parser has the last word.
      parseHaproxyArgs(c.commands.flatMap((cmd) => [`-${cmd.side}`, cmd.actions.join(',')]), undefined, vocabularyOf(binding).grammar(c.transport));
      cases.push(c);
    }
    let outcomes: NativeOutcome[][];
    try {
      outcomes = run(cases, 2);
    } catch (err) {
      // The addon's watch (native/workers/runs.cc): a run outlived what its
      // steps' bounds allow. Not shrunk (each try could hang again), and the
      // fuzz stops: the stuck run still holds a thread.
      if (!isHang(err)) throw err;
      const c = cases[err.scenario];
      failures.push({ index: done + err.scenario, problem: `a run did not end within ${err.boundMs} ms, more than its steps' bounds allow: it hung`, minimal: c, reproducer: traceArgs(c, options.timeoutMs, options.descriptorTable) });
      break;
    }
    casesRun += cases.length;
    outcomes.forEach((o, i) => {
      const problem = problemOf(o);
      if (!problem) return;
      const minimal = shrink(cases[i], failsLike(problem));
      failures.push({ index: done + i, problem, minimal, reproducer: traceArgs(minimal, options.timeoutMs, options.descriptorTable) });
    });
    const now = { rss: process.memoryUsage.rss(), fds: openDescriptors() };
    // The baseline comes after a warm-up: the first thousands of runs start
    // the workers and grow their allocators' arenas once.
    if (rss.first === 0 && casesRun >= Math.min(WARM_UP, options.count / 4)) {
      rss.first = now.rss;
      descriptors.first = now.fds;
    }
    rss.last = now.rss;
    descriptors.last = now.fds;
    if (failures.length >= 10) break;
  }
  // Stopped before the warm-up ended: no baseline, nothing to compare.
  if (rss.first === 0) {
    rss.first = rss.last;
    descriptors.first = descriptors.last;
  }
  return {
    cases: casesRun,
    runs: casesRun * 2,
    failures,
    rss,
    descriptors,
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
  };
}
