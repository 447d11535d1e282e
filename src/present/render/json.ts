// JSON output. `run` writes its result document (ARCHITECTURE.md "Concepts");
// `merge` writes the merged table plus every input document. Characters a
// terminal would obey are written as JSON's \u escapes (model/visible.ts).
import { SCHEMA_VERSION, type MergedDocument, type ResultDocument } from '../../model/document.js';
import type { Matrix } from '../matrix.js';
import { safeJson } from '../../model/visible.js';

/** With --only-diff, a document keeps the scenarios that have a row left. */
function keepRows(document: ResultDocument, matrix: Matrix, onlyDiff: boolean): ResultDocument {
  if (!onlyDiff) return document;
  const keep = new Set(matrix.rows.map((r) => r.scenario.id));
  return { ...document, scenarios: document.scenarios.filter((s) => keep.has(s.id)) };
}

export function renderRunJson(document: ResultDocument, matrix: Matrix, onlyDiff: boolean): string {
  return safeJson(JSON.stringify(keepRows(document, matrix, onlyDiff), null, 2)) + '\n';
}

/** The merged document (src/schema/merge.schema.json). */
export function mergedDocument(documents: ResultDocument[], matrix: Matrix, onlyDiff = false): MergedDocument {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: 'pollmatrix',
    kind: 'merge',
    columns: matrix.columns.map((c) => ({
      label: c.label,
      os: c.document.platform.os,
      kernel: c.document.platform.kernel,
      arch: c.document.platform.arch,
      ...(c.document.platform.measuredIn ? { measuredIn: c.document.platform.measuredIn } : {}),
      ...(c.document.platform.addon ? { addon: c.document.platform.addon } : {}),
      backend: c.backend,
    })),
    rows: matrix.rows.map((r) => ({
      scenario: r.scenario.id,
      steps: r.scenario.steps,
      step: r.step,
      differs: r.differs,
      cells: r.cells.map((c) => c.text),
    })),
    documents: documents.map((d) => keepRows(d, matrix, onlyDiff)),
  };
}

export function renderMergeJson(documents: ResultDocument[], matrix: Matrix, onlyDiff: boolean): string {
  return safeJson(JSON.stringify(mergedDocument(documents, matrix, onlyDiff), null, 2)) + '\n';
}
