// `pollmatrix list`: the catalogue's scenarios, aligned on any step length.
import { loadCatalogue } from '../catalogue.js';
import { catalogueDir } from '../run-matrix.js';
import { wrapWords } from '../text.js';
import type { Command } from './command.js';

/** Rows of [first, second, rest] aligned in columns; on a terminal the last
 * column wraps under itself, or under the row when the first two are wide. */
export function alignedRows(rows: Array<[string, string, string]>, columns: number | undefined): string {
  const a = Math.max(0, ...rows.map((r) => r[0].length));
  const b = Math.max(0, ...rows.map((r) => r[1].length));
  const lead = a + b + 4;
  const out: string[] = [];
  for (const [first, second, rest] of rows) {
    const start = `${first.padEnd(a)}  ${second.padEnd(b)}  `;
    if (columns === undefined) out.push(`${start}${rest}`.trimEnd());
    else if (columns - lead >= 24) out.push(...wrapWords(rest, columns, ' '.repeat(lead), start));
    else out.push(`${first.padEnd(a)}  ${second}`.slice(0, columns).trimEnd(), ...wrapWords(rest, columns, '    '));
  }
  return out.join('\n') + '\n';
}

export const list: Command = {
  name: 'list',
  summary: 'the scenarios of the catalogue: id, steps, title',
  usage: 'usage: pollmatrix list',
  description: 'Lists every scenario of the catalogue (matrix/*.json): its id (for run --scenario), its steps in haproxy dev/poll/poll syntax (for trace -v) and its title.',
  options: [],
  run(_parsed, { io }) {
    const rows = loadCatalogue(catalogueDir).map((s): [string, string, string] => [s.id, s.steps, s.title]);
    io.out(alignedRows(rows, io.columns));
    return 0;
  },
};
