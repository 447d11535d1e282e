// pollmatrix's API, for programs and CI scripts; the CLI is built on the same
// functions.
//   import { runMatrix, render, mergeDocuments, parseDocument } from 'pollmatrix';
//   const doc = await runMatrix({ scenarios: ['seed-*'], backends: ['poll', 'epoll'] });
//   console.log(render(doc, { format: 'markdown' }));
import { isMergedDocument, parseDocument, parseDocumentText, resultDocuments, type MergedDocument, type ResultDocument } from './model/document.js';
import { buildMatrix } from './present/matrix.js';
import { mergedDocument } from './present/render/json.js';
import { FORMATS, renderDocuments, type RenderOptions } from './present/render/index.js';
export type { ObservedStep, UnstableStep } from './model/observed.js';
export type { Platform } from './model/platform.js';

export { runMatrix, type RunMatrixOptions } from './run/run-matrix.js';
export { parseDocument, parseDocumentText, resultDocuments, isMergedDocument };
export type { MergedDocument, ResultDocument, RunRecord, ScenarioResult } from './model/document.js';
export type { RenderOptions, Format } from './present/render/index.js';
export { FORMATS };
export type { View } from './present/matrix.js';
export type { BackendInfo, ErrnoInfo, NativeObservation } from './model/observed.js';
export { UsageError } from './model/errors.js';
import { UsageError } from './model/errors.js';
export type { Binding } from './native/binding.js';
export type { DescriptorTableMode } from './native/descriptor-table.js';
export type { KnownNames } from './model/document-rules.js';

/** Several machines' documents (result or merged) as one merged document:
 * the table's columns and rows as text, and every result document in full. */
export function mergeDocuments(documents: Array<ResultDocument | MergedDocument>): MergedDocument {
  const results = documents.flatMap(resultDocuments);
  return mergedDocument(results, buildMatrix(results));
}

const RENDER_OPTION_NAMES = ['format', 'view', 'raw', 'onlyDiff', 'colour', 'columns'];

/** Throws a UsageError, in the API's words, for an option render() does not
 * know or options that contradict each other. */
function checkRenderOptions(options: RenderOptions, single: boolean): void {
  const fail = (what: string): never => {
    throw new UsageError(`render: ${what}`);
  };
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const unknown = Object.keys(options).find((k) => !RENDER_OPTION_NAMES.includes(k));
  if (unknown) fail(`unknown option '${unknown}' (options: ${RENDER_OPTION_NAMES.join(' ')})`);
  const format = options.format ?? 'table';
  if (!(FORMATS as string[]).includes(format)) fail(`format '${String(format)}' is not one of ${FORMATS.join(' ')}`);
  if (options.view !== undefined && options.view !== 'raw' && options.view !== 'normalised') fail(`view '${String(options.view)}' is not 'raw' or 'normalised'`);
  for (const name of ['raw', 'onlyDiff', 'colour'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') fail(`${name} must be true or false`);
  }
  if (options.raw && options.view === 'normalised') fail("raw: true shows raw masks, view: 'normalised' shows properties; give one");
  if (options.columns !== undefined && (!Number.isInteger(options.columns) || options.columns < 20 || options.columns > 100_000)) {
    fail(`columns must be a whole number from 20 to 100000, got ${String(options.columns)}`);
  }
  if (format !== 'table') {
    if (options.colour) fail(`colour applies to the table format, not ${format}`);
    if (options.columns !== undefined) fail(`columns fits the table format to a width; ${format} is never wrapped`);
  }
  if (format === 'json' && single && (options.view !== undefined || options.raw !== undefined)) {
    fail('view and raw shape table cells; the json format of one result document is the whole document, every observation in it');
  }
}

/** A result document, a merged one, or several, as text in any format
 * (default: the table, full width, no colour). An unknown format or option,
 * or options that contradict each other, throw a UsageError. */
export function render(input: ResultDocument | MergedDocument | Array<ResultDocument | MergedDocument>, options: RenderOptions = {}): string {
  const list = Array.isArray(input) ? input : [input];
  const single = !Array.isArray(input) && !isMergedDocument(input);
  checkRenderOptions(options, single);
  const results = list.flatMap(resultDocuments);
  return renderDocuments(results, single ? 'run' : 'merge', options);
}
