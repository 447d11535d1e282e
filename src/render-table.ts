// The matrix as a terminal table (npm `table`).
import { table } from 'table';
import type { MatrixRow } from './matrix.js';

// `table` throws on control characters in a cell.
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
}

export function renderTable(backends: string[], rows: MatrixRow[]): string {
  const data: string[][] = [['scenario', 'step', ...backends]];
  const groupStarts = new Set<number>([1]);
  let previous: string | undefined;
  for (const row of rows) {
    const first = row.scenario.id !== previous;
    if (first && previous !== undefined) groupStarts.add(data.length);
    previous = row.scenario.id;
    data.push([
      first ? `${row.scenario.id}\n${row.scenario.steps}` : '',
      row.step,
      ...backends.map((b) => row.cells[b]),
    ]);
  }
  return table(data.map((r) => r.map(clean)), {
    drawHorizontalLine: (index, size) => index === 0 || index === size || groupStarts.has(index),
  });
}
