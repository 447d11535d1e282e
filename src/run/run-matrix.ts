// Runs the catalogue into a result document: what `pollmatrix run` and the
// API's runMatrix() do. The runs go in batches of about a quarter of a second
// (pairs.ts, jobs.ts), so a caller can show progress and stop between
// batches; a stopped run's document holds the scenarios that ran through
// every backend, and says it was interrupted.
import path from 'node:path';
import { loadBinding, type Binding } from '../native/binding.js';
import { loadCatalogue, type Scenario } from '../model/catalogue.js';
import { buildDocument, type ResultDocument } from '../model/document.js';
import { UsageError } from '../model/errors.js';
import { defaultJobs } from '../native/jobs.js';
import { PairRuns } from './pairs.js';
import { platformFacts } from '../native/platform.js';
import { Runner } from '../native/runner.js';
import { packageRoot } from '../model/package-root.js';
import type { Range } from '../model/observed.js';
import { vocabularyOf } from '../native/vocabulary.js';
import { descriptorTableMode, inDescriptorTable, type DescriptorTableMode } from '../native/descriptor-table.js';

export const catalogueDir = path.join(packageRoot, 'matrix');

/** Every scenario runs this often per backend by default: enough to show a
 * cell that changes from run to run, cheap enough (the catalogue takes
 * milliseconds). */
export const DEFAULT_REPEAT = 3;

export interface RunMatrixOptions {
  /** Scenario ids or globs (`seed-*`); default every scenario. */
  scenarios?: string[];
  /** Backend names; default every backend available here. */
  backends?: string[];
  /** Runs per scenario and backend (within the addon's limits().repeat);
   * default 3. */
  repeat?: number;
  /** Runs at once, each on its own native worker (within limits().jobs);
   * default one per core. The document is the same for any number. */
  jobs?: number;
  /** Bound on a blocking step, in ms (within limits().timeoutMs, which
   * also gives the default). */
  timeoutMs?: number;
  /** A folder of catalogue files; default the package's matrix/. */
  catalogue?: string;
  /** The addon; default the one built for this platform. */
  binding?: Binding;
  /** The descriptor table the scenarios run in, and the backends are
   * probed in: 'private' (default; on Linux each worker has its own) or
   * 'shared' (the process's: for an emulation layer or an LD_PRELOAD shim).
   * The document's platform.descriptorTable says which was used. */
  descriptorTable?: DescriptorTableMode;
  /** Stops between two runs; the document then holds what completed. */
  signal?: AbortSignal;
  /** Called after each batch of runs, with runs done and runs in all. */
  onProgress?: (done: number, total: number) => void;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** The scenarios whose id matches a pattern (all for none). `where` names
 * the patterns in the message: the API's option by default, the command
 * line's flag from the CLI. */
export function selectScenarios(all: Scenario[], patterns: string[], where = 'scenarios:'): Scenario[] {
  if (patterns.length === 0) return all;
  const chosen = all.filter((s) => patterns.some((p) => globToRegExp(p).test(s.id)));
  const unmatched = patterns.filter((p) => !all.some((s) => globToRegExp(p).test(s.id)));
  if (unmatched.length > 0) {
    throw new UsageError(`${where} '${unmatched[0]}' matches no scenario id of the catalogue${where.startsWith('--') ? ' (see pollmatrix list)' : ''}`);
  }
  return chosen;
}

function wholeNumber(name: string, value: number, range: Range): number {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(`${name} must be a whole number from ${range.min} to ${range.max}, got ${value}`);
  }
  return value;
}

interface Plan {
  binding: Binding;
  runner: Runner;
  scenarios: Scenario[];
  backends: string[];
  repeat: number;
  jobs: number;
  timeoutMs: number;
  transportsNotMeasured: Record<string, string>;
}

function plan(options: RunMatrixOptions): Plan {
  const binding = inDescriptorTable(options.binding ?? loadBinding(), descriptorTableMode(options.descriptorTable ?? 'private', 'descriptorTable'));
  const runner = new Runner(binding);
  const vocabulary = vocabularyOf(binding);
  const { limits } = vocabulary;
  const backends = [...new Set(options.backends ?? vocabulary.availableBackends())];
  backends.forEach((b) => vocabulary.backend(b));
  const selected = selectScenarios(loadCatalogue(options.catalogue ?? catalogueDir, vocabulary), options.scenarios ?? []);
  // A transport the kernel cannot measure (no pty in a rump kernel) is
  // recorded with its reason, never run.
  const unavailable = new Map(binding.transports().filter((t) => !t.available).map((t) => [t.name, t.reason ?? 'not available']));
  const transportsNotMeasured = Object.fromEntries([...new Set(selected.map((s) => s.transport))].filter((t) => unavailable.has(t)).map((t) => [t, unavailable.get(t)!]));
  return {
    binding,
    runner,
    scenarios: selected.filter((s) => !unavailable.has(s.transport)),
    transportsNotMeasured,
    backends,
    repeat: wholeNumber('repeat', options.repeat ?? DEFAULT_REPEAT, limits.repeat),
    jobs: wholeNumber('jobs', options.jobs ?? defaultJobs(limits), limits.jobs),
    timeoutMs: wholeNumber('timeoutMs', options.timeoutMs ?? limits.timeoutMs.default, limits.timeoutMs),
  };
}

/** Yields after each batch of runs; returns the document. */
function* batches(p: Plan, stopped: () => boolean): Generator<{ done: number; total: number }, ResultDocument> {
  const pairs = new PairRuns(p.runner, p.scenarios, p.backends, { timeoutMs: p.timeoutMs, repeat: p.repeat, jobs: p.jobs, batchMs: 250 });
  let interrupted = false;
  while (!pairs.batches.finished) {
    if (stopped()) {
      interrupted = true;
      break;
    }
    pairs.batches.step();
    yield { done: pairs.batches.done, total: pairs.batches.total };
  }
  const runs = pairs.completed();
  const completed = p.scenarios.filter((s) => runs.has(s.id));
  const firstRun = runs.values().next().value?.values().next().value;
  const document = buildDocument({
    platform: platformFacts(p.binding, firstRun?.descriptorTable ?? 'unknown', firstRun?.network),
    date: new Date(),
    timeoutMs: p.timeoutMs,
    repeat: p.repeat,
    backends: p.backends,
    // The interest mapping is the addon's, not a measurement: documents
    // keep the fields the schema describes.
    mechanisms: p.binding.backends().map(({ interest: _, ...mechanism }) => mechanism),
    scenarios: completed,
    runs,
    transportsNotMeasured: p.transportsNotMeasured,
  });
  if (interrupted) document.interrupted = `after ${completed.length} of ${p.scenarios.length} scenarios`;
  return document;
}

/** The whole run in one synchronous call (the CLI without a terminal). */
export function runMatrixSync(options: RunMatrixOptions = {}): ResultDocument {
  const generator = batches(plan(options), () => options.signal?.aborted ?? false);
  for (;;) {
    const next = generator.next();
    if (next.done) return next.value;
    options.onProgress?.(next.value.done, next.value.total);
  }
}

/** Runs scenarios through backends and resolves to a result document. It
 * yields to the event loop between runs, so a signal (Ctrl-C) is heard. */
export async function runMatrix(options: RunMatrixOptions = {}): Promise<ResultDocument> {
  const generator = batches(plan(options), () => options.signal?.aborted ?? false);
  for (;;) {
    const next = generator.next();
    if (next.done) return next.value;
    options.onProgress?.(next.value.done, next.value.total);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The scenarios a run would use (for `--check`). */
export function scenariosFor(options: Pick<RunMatrixOptions, 'scenarios' | 'catalogue' | 'binding'>): Scenario[] {
  return selectScenarios(loadCatalogue(options.catalogue ?? catalogueDir, vocabularyOf(options.binding ?? loadBinding())), options.scenarios ?? []);
}
