// A merge as a terminal table, side by side (pivot.ts): one row per pol step
// and mechanism, one column per machine, so a reader sees macOS's answer
// next to Linux's. The scenarios where the machines differ come first. On a
// terminal it fits the width (two machines in 120 columns, four in 200) and
// only stacks the machines into blocks beyond that; files and pipes get the
// full width.
import { table } from 'table';
import type { ResultDocument } from '../../model/document.js';
import type { Pivot } from '../pivot.js';
import { wrapWords } from '../text.js';
import { platformLines, wrapFacts } from './platform-lines.js';
import { clean, highlight, layout, plain, widest, type TableOptions } from './table.js';

export const SIDE_BY_SIDE_NOTE = 'differs from the other machines in its row (normalised view)';

/** What the table is, in one line above it. */
export function sideBySideCaption(pivot: Pivot): string {
  const scenarios = new Set(pivot.rows.map((r) => r.scenario.id)).size;
  const first = pivot.differingScenarios;
  return `side by side, a column per machine: ${first === 0 ? `no scenario differs between them` : `the ${first} of ${scenarios} scenarios where they differ come first`}`;
}

export function renderSideBySide(documents: ResultDocument[], pivot: Pivot, options: TableOptions = {}): string {
  const { colour = false, columns } = options;
  const header = ['scenario', 'step', 'mechanism', ...pivot.columns.map((c) => clean(c.label))];
  const rows: string[][] = [];
  const groupStarts = new Set<number>([1]);
  let marked = false;
  pivot.rows.forEach((row, i) => {
    const previous = pivot.rows[i - 1];
    const firstOfScenario = previous?.scenario.id !== row.scenario.id;
    if (firstOfScenario && previous) groupStarts.add(rows.length + 1);
    const firstOfStep = firstOfScenario || previous.step !== row.step;
    const cells = row.cells.map((cell) => {
      const text = clean(cell.text);
      if (!cell.differs) return text;
      marked = true;
      return colour ? highlight(text) : `${text} *`;
    });
    rows.push([firstOfScenario ? `${clean(row.scenario.id)}\n${clean(row.scenario.steps)}` : '', firstOfStep ? clean(row.step) : '', clean(row.backend), ...cells]);
  });
  const facts = platformLines(documents).flatMap((l) => wrapFacts(clean(l), columns));
  if (pivot.rows.length === 0) return `${facts.join('\n')}\nno rows\n`;
  const caption = wrapWords(sideBySideCaption(pivot), columns, '  ', '');
  const drawHorizontalLine = (index: number, size: number) => index === 0 || index === size || groupStarts.has(index);
  const note = marked ? `${colour ? highlight('yellow') : '*'}: ${SIDE_BY_SIDE_NOTE}` : '';
  const noteLines = note ? wrapWords(note, columns, '   ', '') : [];
  const data = [header, ...rows];
  if (columns === undefined) return [...facts, ...caption, table(data, { drawHorizontalLine }).trimEnd(), ...noteLines].join('\n') + '\n';
  const natural = header.map((_, i) => widest(data.map((r) => plain(r[i]))));
  const [scenarioNatural, step, mechanism, ...machines] = natural;
  // The step and mechanism columns are never wrapped: layout() sees them as one.
  const { scenario, blocks } = layout([scenarioNatural, step + 3 + mechanism, ...machines], columns, machines.map((_, i) => i));
  const out = [...facts, ...caption];
  blocks.forEach((block, b) => {
    const picked = data.map((r) => [r[0], r[1], r[2], ...r.slice(3 + block.from, 3 + block.from + block.widths.length)]);
    if (blocks.length > 1) {
      out.push(`machines ${block.from + 1}-${block.from + block.widths.length} of ${pivot.columns.length}${b > 0 ? ' (continued)' : ''}`);
    }
    const config = [scenario, step, mechanism, ...block.widths].map((width) => ({ width, wrapWord: true }));
    out.push(table(picked, { drawHorizontalLine, columns: config }).trimEnd());
  });
  out.push(...noteLines);
  return out.join('\n') + '\n';
}
