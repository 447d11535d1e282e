// The result document: what one run measured on one machine, as JSON. Runs
// from several machines merge into one table. Its JSON Schema is
// src/schema/result.schema.json (merge.schema.json for a merge's output).
import type { Scenario } from './catalogue.js';
import { UsageError } from './errors.js';
import { schemaProblem } from './schema/validate.js';
import { checkResult, type KnownNames } from './document-rules.js';
import type { Platform } from './platform.js';
import { MAX_DOCUMENT_DEPTH, stripBom, tooDeep } from './document-text.js';
import { visible } from './visible.js';
import type { BackendInfo, ScenarioRun } from './observed.js';
import type { MergedDocument, ResultDocument, RunRecord } from './result-document.js';

export type { MergedDocument, ResultDocument, RunRecord, ScenarioResult } from './result-document.js';

/** Bumped on any change a reader of older documents would misread. */
export const SCHEMA_VERSION = 2;

export function buildDocument(input: {
  platform: Platform;
  date: Date;
  timeoutMs: number;
  repeat: number;
  backends: string[];
  mechanisms: BackendInfo[];
  scenarios: Scenario[];
  runs: Map<string, Map<string, ScenarioRun>>;
  transportsNotMeasured?: Record<string, string>;
}): ResultDocument {
  const notMeasured = input.transportsNotMeasured ?? {};
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
    ...(Object.keys(notMeasured).length > 0 ? { transportsNotMeasured: notMeasured } : {}),
  };
}

export const isMergedDocument = (doc: ResultDocument | MergedDocument): doc is MergedDocument =>
  (doc as MergedDocument).kind === 'merge';

/** The result documents a parsed document holds: itself, or a merge's inputs. */
export function resultDocuments(doc: ResultDocument | MergedDocument): ResultDocument[] {
  return isMergedDocument(doc) ? doc.documents : [doc];
}

/**
 * Validates a parsed JSON value against the published schema (result or
 * merged document) and the rules a schema cannot state (document-rules.ts);
 * `source` names the file in messages. `known` are this pollmatrix's names
 * (the CLI passes the addon's): without them only what holds on any
 * machine is checked. Anything wrong is one UsageError line:
 * `r.json: scenarios[3].runs.poll.steps[2].names: expected array of strings`.
 */
export function parseDocument(json: unknown, source: string, known?: KnownNames): ResultDocument | MergedDocument {
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
  resultDocuments(doc).forEach((result, d) => checkResult(result, merged ? `documents[${d}].` : '', fail, known));
  return doc;
}

/** Reads one document's text (a byte order mark first is allowed): JSON,
 * then parseDocument. */
export function parseDocumentText(text: string, source: string, known?: KnownNames): ResultDocument | MergedDocument {
  let json: unknown;
  try {
    json = JSON.parse(stripBom(text));
  } catch (err) {
    // V8 quotes the text around the error, which is the document's own.
    throw new UsageError(`${source}: not valid JSON: ${visible((err as Error).message.split('\n')[0])}`);
  }
  return parseDocument(json, source, known);
}
