// The renderers, by format name: the one list of formats. Each takes the
// documents and the matrix built from them and returns the whole text.
import type { ResultDocument } from '../../model/document.js';
import { buildMatrix, type Matrix, type MatrixOptions, type View } from '../matrix.js';
import { buildPivot } from '../pivot.js';
import { renderSideBySide } from './side-by-side.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderMergeJson, renderRunJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';

export interface RenderInput {
  documents: ResultDocument[];
  matrix: Matrix;
  /** What the matrix was built with (view, hex, only differences). */
  matrixOptions: MatrixOptions;
  /** `run` writes its one result document as JSON; `merge` the merged one. */
  kind: 'run' | 'merge';
  onlyDiff: boolean;
  colour: boolean;
  /** Terminal width for the table; undefined: full width. */
  columns?: number;
}

export const RENDERERS = {
  // Several machines side by side, a column each (side-by-side.ts).
  table: (i: RenderInput) =>
    i.documents.length > 1
      ? renderSideBySide(i.documents, buildPivot(i.documents, i.matrixOptions), { colour: i.colour, columns: i.columns })
      : renderTable(i.documents, i.matrix, { colour: i.colour, columns: i.columns }),
  markdown: (i: RenderInput) => renderMarkdown(i.documents, i.matrix),
  json: (i: RenderInput) =>
    i.kind === 'run' ? renderRunJson(i.documents[0], i.matrix, i.onlyDiff) : renderMergeJson(i.documents, i.matrix, i.onlyDiff),
  csv: (i: RenderInput) => renderCsv(i.matrix),
  html: (i: RenderInput) => renderHtml(i.documents, i.matrix, i.documents.length > 1 ? buildPivot(i.documents, i.matrixOptions) : undefined),
} satisfies Record<string, (input: RenderInput) => string>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];

export interface RenderOptions {
  /** Default `table`. */
  format?: Format;
  /** Default `raw`: each mechanism's own flags. */
  view?: View;
  /** Raw view: the mask in hex before the names. */
  raw?: boolean;
  /** Only the rows where the mechanisms disagree. */
  onlyDiff?: boolean;
  /** ANSI colour in the table. Default false. */
  colour?: boolean;
  /** Fit the table to this many columns. Default: full width. */
  columns?: number;
}

/** Renders one run (`kind: 'run'`) or several merged documents as text. */
export function renderDocuments(documents: ResultDocument[], kind: 'run' | 'merge', options: RenderOptions = {}): string {
  const onlyDiff = options.onlyDiff ?? false;
  const matrixOptions = { view: options.view ?? 'raw', hex: options.raw ?? false, onlyDiff };
  const matrix = buildMatrix(documents, matrixOptions);
  return RENDERERS[options.format ?? 'table']({ documents, matrix, matrixOptions, kind, onlyDiff, colour: options.colour ?? false, columns: options.columns });
}
