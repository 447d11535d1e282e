// The matrix as a terminal table (npm `table`). Differing cells are yellow on
// a colour terminal, marked with * otherwise. On a terminal the table fits its
// width: scenario text and cells wrap at spaces, and a merge with more columns
// than fit is stacked into blocks that each repeat the scenario and step
// columns. Files and pipes get the full width.
import { table } from 'table';
import type { ResultDocument } from '../../model/document.js';
import type { Matrix } from '../matrix.js';
import { wrapWords } from '../text.js';
import { visible } from '../../model/visible.js';
import { DIFFERS_NOTE, platformLines, wrapFacts } from './platform-lines.js';

// Text from a document, with its control, bidi and invisible characters as
// visible escapes (model/visible.ts): a terminal must not obey them, and
// `table` throws on a control character. Line breaks the table wraps at are
// pollmatrix's own, put between cleaned pieces.
export const clean = visible;

export const highlight = (text: string) => `\u001b[1;33m${text}\u001b[0m`;

export interface TableOptions {
  colour?: boolean;
  /** Terminal width; undefined for a file or a pipe (full width). */
  columns?: number;
}

/** Narrowest a wrapped column gets; a flag name is rarely longer. */
const MIN_CELL = 10;

export const widest = (texts: string[]) => Math.max(1, ...texts.flatMap((t) => t.split('\n').map((l) => l.length)));

/** Width of a table whose columns have these content widths. */
const tableWidth = (widths: number[]) => 1 + widths.reduce((n, w) => n + w + 3, 0);

/** A wrapped cell column is at least this wide where blocks allow it. */
const COMFORTABLE_CELL = 14;

/**
 * Content widths for the scenario column, the step column and each data
 * column, grouped into blocks of data columns that fit in `columns`. One block
 * if every column fits at some common cap; otherwise whole machines per block
 * (a merge reads best one machine at a time), else even blocks.
 */
export function layout(
  natural: number[],
  columns: number,
  machineOf: number[],
): { scenario: number; step: number; blocks: Array<{ from: number; widths: number[] }> } {
  const [scenarioNatural, step, ...data] = natural;
  const scenario = Math.min(scenarioNatural, Math.max(12, Math.floor(columns * 0.22)));
  const room = columns - tableWidth([scenario, step]);
  const fits = (cap: number, ws: number[]) => ws.reduce((n, w) => n + Math.min(w, cap) + 3, 0) <= room;
  /** The widest common cap at which these columns fit, if it is at least `floor`. */
  const capFor = (ws: number[], floor: number) => {
    let cap = Math.max(...ws);
    while (cap > floor && !fits(cap, ws)) cap--;
    return fits(cap, ws) ? cap : undefined;
  };
  const toBlocks = (groups: Array<[number, number]>, floor: number) =>
    groups.map(([from, to]) => {
      const cap = capFor(data.slice(from, to), floor) ?? Math.max(MIN_CELL, room - 3);
      return { from, widths: data.slice(from, to).map((w) => Math.max(1, Math.min(w, cap))) };
    });
  if (capFor(data, MIN_CELL) !== undefined) return { scenario, step, blocks: toBlocks([[0, data.length]], MIN_CELL) };
  // Whole machines, as many side by side as fit comfortably.
  const machines: Array<[number, number]> = [];
  machineOf.forEach((m, i) => {
    if (i > 0 && machineOf[i - 1] === m) machines[machines.length - 1][1] = i + 1;
    else machines.push([i, i + 1]);
  });
  const byMachine: Array<[number, number]> = [];
  for (const [from, to] of machines) {
    const last = byMachine[byMachine.length - 1];
    if (last && capFor(data.slice(last[0], to), COMFORTABLE_CELL) !== undefined) last[1] = to;
    else byMachine.push([from, to]);
  }
  if (machines.length > 1 && byMachine.every(([from, to]) => capFor(data.slice(from, to), COMFORTABLE_CELL) !== undefined)) {
    return { scenario, step, blocks: toBlocks(byMachine, COMFORTABLE_CELL) };
  }
  // Even blocks: the fewest that fit, as equal in size as can be.
  for (let count = 2; count <= data.length; count++) {
    const size = Math.ceil(data.length / count);
    const groups: Array<[number, number]> = [];
    for (let from = 0; from < data.length; from += size) groups.push([from, Math.min(data.length, from + size)]);
    const floor = size > 1 ? COMFORTABLE_CELL : MIN_CELL;
    if (groups.every(([from, to]) => capFor(data.slice(from, to), floor) !== undefined)) return { scenario, step, blocks: toBlocks(groups, floor) };
  }
  return { scenario, step, blocks: toBlocks(data.map((_, i): [number, number] => [i, i + 1]), MIN_CELL) };
}

/** Text without its colour codes, as wide as it shows. */
// eslint-disable-next-line no-control-regex
export const plain = (t: string) => t.replace(/\u001b\[[0-9;]*m/g, '');

export function renderTable(documents: ResultDocument[], matrix: Matrix, options: TableOptions | boolean = {}): string {
  const { colour = false, columns } = typeof options === 'boolean' ? { colour: options } : options;
  const header = ['scenario', 'step', ...matrix.columns.map((c) => clean(c.label))];
  const rows: string[][] = [];
  const groupStarts = new Set<number>([1]);
  let previous: string | undefined;
  let marked = false;
  for (const row of matrix.rows) {
    const first = row.scenario.id !== previous;
    if (first && previous !== undefined) groupStarts.add(rows.length + 1);
    previous = row.scenario.id;
    const cells = row.cells.map((cell) => {
      const text = clean(cell.text);
      if (!cell.differs) return text;
      marked = true;
      return colour ? highlight(text) : `${text} *`;
    });
    rows.push([first ? `${clean(row.scenario.id)}\n${clean(row.scenario.steps)}` : '', clean(row.step), ...cells]);
  }
  const facts = platformLines(documents).flatMap((l) => wrapFacts(clean(l), columns));
  if (matrix.rows.length === 0) return `${facts.join('\n')}\nno rows\n`;
  const drawHorizontalLine = (index: number, size: number) => index === 0 || index === size || groupStarts.has(index);
  const note = marked ? `${colour ? highlight('yellow') : '*'}: ${DIFFERS_NOTE}` : '';
  const noteLines = note ? wrapWords(note, columns, '   ', '') : [];
  const data = [header, ...rows];
  if (columns === undefined) {
    return [...facts, table(data, { drawHorizontalLine }).trimEnd(), ...noteLines].join('\n') + '\n';
  }
  const natural = header.map((_, i) => widest(data.map((r) => plain(r[i]))));
  const machines = new Map(documents.map((d, i) => [d, i]));
  const { scenario, step, blocks } = layout(natural, columns, matrix.columns.map((c) => machines.get(c.document) ?? 0));
  const out = [...facts];
  blocks.forEach((block, b) => {
    const picked = data.map((r) => [r[0], r[1], ...r.slice(2 + block.from, 2 + block.from + block.widths.length)]);
    if (blocks.length > 1) {
      out.push(`columns ${block.from + 1}-${block.from + block.widths.length} of ${matrix.columns.length}${b > 0 ? ' (continued)' : ''}`);
    }
    const widths = [scenario, step, ...block.widths];
    const config = widths.map((width) => ({ width, wrapWord: true }));
    out.push(table(picked, { drawHorizontalLine, columns: config }).trimEnd());
  });
  out.push(...noteLines);
  return out.join('\n') + '\n';
}
