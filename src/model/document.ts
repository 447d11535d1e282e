// The result document: what one run measured on one machine, as JSON. Runs
// from several machines merge into one table. Its JSON Schema is
// src/schema/result.schema.json (merge.schema.json for a merge's output).
import type { Scenario } from './catalogue.js';
import { UsageError } from './errors.js';
import { parseHaproxyArgs, splitSteps } from './scenario-syntax.js';
import { jsonPathKey, schemaProblem } from './schema/validate.js';
import type { Platform } from './platform.js';
import { MAX_DOCUMENT_DEPTH, stripBom, tooDeep } from './document-text.js';
import { visible } from './visible.js';
import { OBSERVATION_KINDS, type BackendInfo, type ObservedStep, type ScenarioRun, type UnstableStep } from './observed.js';

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
  /** Set when the run was stopped (Ctrl-C): `after 12 of 59 scenarios`. */
  interrupted?: string;
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

/** What `merge --format json` writes (src/schema/merge.schema.json). */
export interface MergedDocument {
  schemaVersion: number;
  tool: 'pollmatrix';
  kind: 'merge';
  columns: Array<{ label: string; os: string; kernel: string; arch: string; backend: string }>;
  rows: Array<{ scenario: string; steps: string; step: string; differs: boolean; cells: string[] }>;
  documents: ResultDocument[];
}

export const isMergedDocument = (doc: ResultDocument | MergedDocument): doc is MergedDocument =>
  (doc as MergedDocument).kind === 'merge';

/** The result documents a parsed document holds: itself, or a merge's inputs. */
export function resultDocuments(doc: ResultDocument | MergedDocument): ResultDocument[] {
  return isMergedDocument(doc) ? doc.documents : [doc];
}

/**
 * Validates a parsed JSON value against the published schema (result or
 * merged document) and the rules a schema cannot state; `source` names the
 * file in messages. Anything wrong is one UsageError line:
 * `r.json: scenarios[3].runs.poll.steps[2].names: expected array of strings`.
 */
export function parseDocument(json: unknown, source: string): ResultDocument | MergedDocument {
  const fail = (at: string, what: string): never => {
    throw new UsageError(`${source}: ${at ? `${at}: ` : ''}${what}`);
  };
  const deep = tooDeep(json);
  if (deep !== undefined) fail(deep, `nested deeper than ${MAX_DOCUMENT_DEPTH} levels, more than any document needs`);
  if (typeof json !== 'object' || json === null || Array.isArray(json) || (json as { tool?: unknown }).tool !== 'pollmatrix') {
    return fail('', "not a pollmatrix document (expected a JSON object whose 'tool' is 'pollmatrix')");
  }
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  const merged = (json as { kind?: unknown }).kind === 'merge';
  if (!(merged && version === undefined) && version !== SCHEMA_VERSION) {
    fail('', `schema version ${JSON.stringify(version) ?? 'missing'} is not the one this pollmatrix reads (${SCHEMA_VERSION})`);
  }
  const problem = schemaProblem(merged ? 'merge' : 'result', json);
  if (problem) fail(problem.at, problem.what);
  const doc = json as ResultDocument | MergedDocument;
  resultDocuments(doc).forEach((result, d) => checkResult(result, merged ? `documents[${d}].` : '', fail));
  return doc;
}

/** The rules between fields: unique ids, steps that parse, a run per backend. */
function checkResult(doc: ResultDocument, prefix: string, fail: (at: string, what: string) => never): void {
  const ids = new Set<string>();
  doc.scenarios.forEach((s, i) => {
    const at = `${prefix}scenarios[${i}]`;
    if (ids.has(s.id)) fail(`${at}.id`, `'${s.id}' appears twice`);
    ids.add(s.id);
    try {
      parseHaproxyArgs(splitSteps(s.steps));
    } catch (err) {
      fail(`${at}.steps`, (err as Error).message);
    }
    for (const backend of doc.backends) {
      if (!Object.hasOwn(s.runs, backend)) fail(`${at}.runs`, `no run for '${backend}', which 'backends' lists`);
    }
    for (const backend of Object.keys(s.runs)) {
      if (!doc.backends.includes(backend)) fail(`${at}.runs${jsonPathKey(backend)}`, `'${backend}' is not in 'backends'`);
    }
    for (const [backend, run] of Object.entries(s.runs)) {
      run.steps.forEach((step, j) => {
        const kind = step.observation?.kind;
        if (kind !== undefined && !(OBSERVATION_KINDS as readonly string[]).includes(kind)) {
          fail(`${at}.runs${jsonPathKey(backend)}.steps[${j}].observation.kind`, `unknown observation kind '${kind}' (a newer pollmatrix?)`);
        }
      });
    }
  });
}

/** Reads one document's text (a byte order mark first is allowed): JSON,
 * then parseDocument. */
export function parseDocumentText(text: string, source: string): ResultDocument | MergedDocument {
  let json: unknown;
  try {
    json = JSON.parse(stripBom(text));
  } catch (err) {
    // V8 quotes the text around the error, which is the document's own.
    throw new UsageError(`${source}: not valid JSON: ${visible((err as Error).message.split('\n')[0])}`);
  }
  return parseDocument(json, source);
}
