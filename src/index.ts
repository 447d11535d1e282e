// pollmatrix's API, for programs and CI scripts; the CLI is built on the same
// functions.
//   import { runMatrix, render, mergeDocuments, parseDocument } from 'pollmatrix';
//   const doc = await runMatrix({ scenarios: ['seed-*'], backends: ['poll', 'epoll'] });
//   console.log(render(doc, { format: 'markdown' }));
import { isMergedDocument, parseDocument, parseDocumentText, resultDocuments, type MergedDocument, type ResultDocument } from './model/document.js';
import { buildMatrix } from './present/matrix.js';
import { mergedDocument } from './present/render/json.js';
import { renderDocuments, type RenderOptions } from './present/render/index.js';
export type { ObservedStep, UnstableStep } from './model/observed.js';
export type { Platform } from './model/platform.js';

export { runMatrix, type RunMatrixOptions } from './run/run-matrix.js';
export { parseDocument, parseDocumentText, resultDocuments, isMergedDocument };
export type { MergedDocument, ResultDocument, RunRecord, ScenarioResult } from './model/document.js';
export type { RenderOptions, Format } from './present/render/index.js';
export { FORMATS } from './present/render/index.js';
export type { View } from './present/matrix.js';
export type { BackendInfo, ErrnoInfo, NativeObservation } from './model/observed.js';
export { UsageError } from './model/errors.js';

/** Several machines' documents (result or merged) as one merged document:
 * the table's columns and rows as text, and every result document in full. */
export function mergeDocuments(documents: Array<ResultDocument | MergedDocument>): MergedDocument {
  const results = documents.flatMap(resultDocuments);
  return mergedDocument(results, buildMatrix(results));
}

/** A result document, a merged one, or several, as text in any format
 * (default: the table, full width, no colour). */
export function render(input: ResultDocument | MergedDocument | Array<ResultDocument | MergedDocument>, options: RenderOptions = {}): string {
  const list = Array.isArray(input) ? input : [input];
  const results = list.flatMap(resultDocuments);
  const single = !Array.isArray(input) && !isMergedDocument(input);
  return renderDocuments(results, single ? 'run' : 'merge', options);
}
