// The matrix as a terminal table (npm `table`). Differing cells are yellow on
// a colour terminal, marked with * otherwise. On a terminal the table fits its
// width: scenario text and cells wrap at spaces, and a merge with more columns
// than fit is stacked into blocks that each repeat the scenario and step
// columns. Files and pipes get the full width.
import { table } from 'table';
import type { ResultDocument } from '../document.js';
import type { Matrix } from '../matrix.js';
import { wrapWords } from '../text.js';
import { DIFFERS_NOTE, platformLines, wrapFacts } from './platform-lines.js';

// `table` throws on control characters in a cell; newlines are allowed.
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ');
}

const highlight = (text: string) => `\u001b[1;33m${text}\u001b[0m`;

export interface TableOptions {
  colour?: boolean;
  /** Terminal width; undefined for a file or a pipe (full width). */
  columns?: number;
}

/** Narrowest a wrapped column gets; a flag name is rarely longer. */
const MIN_CELL = 10;

const widest = (texts: string[]) => Math.max(1, ...texts.flatMap((t) => t.split('\n').map((l) => l.length)));

/** Width of a table whose columns have these content widths. */
const tableWidth = (widths: number[]) => 1 + widths.reduce((n, w) => n + w + 3, 0);

/** Content widths for the scenario column, the step column and each data
 * column, grouped into blocks of data columns that fit in `columns`. */
function layout(natural: number[], columns: number): { scenario: number; step: number; blocks: Array<{ from: number; widths: number[] }> } {
  const [scenarioNatural, step, ...data] = natural;
  const scenario = Math.min(scenarioNatural, Math.max(12, Math.floor(columns * 0.22)));
  const room = columns - tableWidth([scenario, step]);
  // One block if every column fits at some common cap of at least MIN_CELL.
  const fits = (cap: number, ws: number[]) => ws.reduce((n, w) => n + Math.min(w, cap) + 3, 0) <= room;
  const capFor = (ws: number[]) => {
    let cap = Math.max(...ws);
    while (cap > MIN_CELL && !fits(cap, ws)) cap--;
    return fits(cap, ws) ? cap : undefined;
  };
  const blocks: Array<{ from: number; widths: number[] }> = [];
  let from = 0;
  while (from < data.length) {
    // The longest run of columns from `from` that fits.
    let to = data.length;
    while (to > from + 1 && capFor(data.slice(from, to)) === undefined) to--;
    const cap = capFor(data.slice(from, to)) ?? Math.max(MIN_CELL, room - 3);
    blocks.push({ from, widths: data.slice(from, to).map((w) => Math.max(1, Math.min(w, cap))) });
    from = to;
  }
  return { scenario, step, blocks };
}

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
    rows.push([first ? clean(`${row.scenario.id}\n${row.scenario.steps}`) : '', row.step, ...cells]);
  }
  const facts = platformLines(documents).flatMap((l) => wrapFacts(l, columns));
  if (matrix.rows.length === 0) return `${facts.join('\n')}\nno rows\n`;
  const drawHorizontalLine = (index: number, size: number) => index === 0 || index === size || groupStarts.has(index);
  const note = marked ? `${colour ? highlight('yellow') : '*'}: ${DIFFERS_NOTE}` : '';
  const noteLines = note ? wrapWords(note, columns, '   ', '') : [];
  const data = [header, ...rows];
  if (columns === undefined) {
    return [...facts, table(data, { drawHorizontalLine }).trimEnd(), ...noteLines].join('\n') + '\n';
  }
  // eslint-disable-next-line no-control-regex
  const plain = (t: string) => t.replace(/\u001b\[[0-9;]*m/g, '');
  const natural = header.map((_, i) => widest(data.map((r) => plain(r[i]))));
  const { scenario, step, blocks } = layout(natural, columns);
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
