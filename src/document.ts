// The result document: what one run measured on one machine, as JSON. Runs
// from several machines merge into one table (merge.ts). DESIGN.md's contract:
// at least platform.os, backends (names) and scenarios (each with id).
import type { BackendInfo } from './binding.js';
import type { Scenario } from './catalogue.js';
import { UsageError } from './errors.js';
import type { Platform } from './platform.js';
import type { ObservedStep, ScenarioRun, UnstableStep } from './runner.js';

/** Bumped on any change a reader of older documents would misread. */
export const SCHEMA_VERSION = 2;

export interface RunRecord {
  /** The first of the repeated runs. */
  steps: ObservedStep[];
  stopped: string | null;
  setupError: string | null;
  leaked: number[];
  /** `pol` steps whose cell was not the same in every repeated run. */
  unstable?: UnstableStep[];
}

export interface ScenarioResult {
  id: string;
  title: string;
  shows: string;
  transport: string;
  /** haproxy syntax; `pollmatrix trace -v <steps>` reproduces it. */
  steps: string;
  /** What every `pol` asked for, when not haproxy's IN OUT RDHUP. */
  interest?: string[];
  /** backend name -> what that backend's run observed. */
  runs: Record<string, RunRecord>;
}

export interface ResultDocument {
  schemaVersion: number;
  tool: 'pollmatrix';
  platform: Platform & { date: string };
  timeoutMs: number;
  /** How many times each scenario ran per backend (instability shows). */
  repeat: number;
  /** The backends this document measured, in column order. */
  backends: string[];
  /** Every backend pollmatrix knows, with availability here and why not. */
  mechanisms: BackendInfo[];
  scenarios: ScenarioResult[];
}

export function buildDocument(input: {
  platform: Platform;
  date: Date;
  timeoutMs: number;
  repeat: number;
  backends: string[];
  mechanisms: BackendInfo[];
  scenarios: Scenario[];
  runs: Map<string, Map<string, ScenarioRun>>;
}): ResultDocument {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: 'pollmatrix',
    platform: { ...input.platform, date: input.date.toISOString() },
    timeoutMs: input.timeoutMs,
    repeat: input.repeat,
    backends: input.backends,
    mechanisms: input.mechanisms,
    scenarios: input.scenarios.map((s) => {
      const runs: Record<string, RunRecord> = {};
      for (const [backend, run] of input.runs.get(s.id) ?? []) {
        runs[backend] = { steps: run.steps, stopped: run.stopped, setupError: run.setupError, leaked: run.leaked };
        if (run.unstable) runs[backend].unstable = run.unstable;
      }
      return {
        id: s.id,
        title: s.title,
        shows: s.shows,
        transport: s.transport,
        steps: s.steps,
        ...(s.interest !== undefined ? { interest: s.interest } : {}),
        runs,
      };
    }),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed document enough that rendering cannot trip over it; an
 * error names the file and the field. */
export function parseDocument(json: unknown, file: string): ResultDocument {
  const fail = (what: string): never => {
    throw new UsageError(`${file}: ${what}`);
  };
  if (!isObject(json)) return fail('not a pollmatrix result document (expected a JSON object)');
  if (json.tool !== 'pollmatrix') fail("not a pollmatrix result document (field 'tool' is not 'pollmatrix')");
  if (json.schemaVersion !== SCHEMA_VERSION) {
    fail(`schema version ${JSON.stringify(json.schemaVersion)} is not the one this pollmatrix reads (${SCHEMA_VERSION})`);
  }
  const platform = json.platform;
  if (!isObject(platform) || typeof platform.os !== 'string' || typeof platform.kernel !== 'string') {
    fail("field 'platform' must hold at least 'os' and 'kernel' strings");
  }
  if (!Array.isArray(json.backends) || !json.backends.every((b) => typeof b === 'string')) {
    fail("field 'backends' must be an array of backend names");
  }
  if (!Array.isArray(json.scenarios)) fail("field 'scenarios' must be an array");
  (json.scenarios as unknown[]).forEach((s, i) => {
    const at = `scenarios[${i}]`;
    if (!isObject(s) || typeof s.id !== 'string') return fail(`${at}: needs a string 'id'`);
    if (typeof s.steps !== 'string') fail(`${at} ('${s.id}'): needs a string 'steps'`);
    if (!isObject(s.runs)) return fail(`${at} ('${s.id}'): 'runs' must be an object`);
    for (const [backend, run] of Object.entries(s.runs)) {
      if (!isObject(run) || !Array.isArray(run.steps)) fail(`${at} ('${s.id}'): runs.${backend}.steps must be an array`);
    }
  });
  return json as unknown as ResultDocument;
}
