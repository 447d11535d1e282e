// The matrix as a terminal table (npm `table`). Differing cells are yellow on
// a colour terminal, marked with * otherwise.
import { table } from 'table';
import type { ResultDocument } from '../document.js';
import type { Matrix } from '../matrix.js';
import { DIFFERS_NOTE, platformLines } from './platform-lines.js';

// `table` throws on control characters in a cell; newlines are allowed.
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
}

const highlight = (text: string) => `\u001b[1;33m${text}\u001b[0m`;

export function renderTable(documents: ResultDocument[], matrix: Matrix, colour: boolean): string {
  const data: string[][] = [['scenario', 'step', ...matrix.columns.map((c) => c.label)].map(clean)];
  const groupStarts = new Set<number>([1]);
  let previous: string | undefined;
  let marked = false;
  for (const row of matrix.rows) {
    const first = row.scenario.id !== previous;
    if (first && previous !== undefined) groupStarts.add(data.length);
    previous = row.scenario.id;
    const cells = row.cells.map((cell) => {
      const text = clean(cell.text);
      if (!cell.differs) return text;
      marked = true;
      return colour ? highlight(text) : `${text} *`;
    });
    data.push([first ? clean(`${row.scenario.id}\n${row.scenario.steps}`) : '', row.step, ...cells]);
  }
  const lines = platformLines(documents);
  if (matrix.rows.length === 0) return `${lines.join('\n')}\nno rows${'\n'}`;
  const body = table(data, {
    drawHorizontalLine: (index, size) => index === 0 || index === size || groupStarts.has(index),
  });
  const note = marked ? `${colour ? highlight('yellow') : '*'}: ${DIFFERS_NOTE}\n` : '';
  return `${lines.join('\n')}\n${body}${note}`;
}
