// `pollmatrix list`: the catalogue's scenarios, aligned on any step length.
import { loadCatalogue } from '../../model/catalogue.js';
import { catalogueDir } from '../../run/run-matrix.js';
import { wrapWords } from '../../present/text.js';
import type { Command } from './command.js';
import { vocabularyOf } from '../../native/vocabulary.js';

/** Rows whose leading columns are aligned and whose last column is free
 * text; on a terminal the text wraps under itself, or goes under the row
 * when the leading columns leave it too little room. */
export function alignedRows(rows: string[][], columns: number | undefined): string {
  const leading = Math.max(0, ...rows.map((r) => r.length - 1));
  const widths = Array.from({ length: leading }, (_, i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  const lead = widths.reduce((n, w) => n + w + 2, 0);
  const out: string[] = [];
  for (const row of rows) {
    const start = widths.map((w, i) => (row[i] ?? '').padEnd(w)).join('  ') + '  ';
    const rest = row[row.length - 1] ?? '';
    if (columns === undefined) out.push(`${start}${rest}`.trimEnd());
    else if (columns - lead >= 24) out.push(...wrapWords(rest, columns, ' '.repeat(lead), start));
    else out.push(start.trimEnd().slice(0, columns), ...wrapWords(rest, columns, '    '));
  }
  return out.join('\n') + '\n';
}

export const list: Command = {
  name: 'list',
  summary: 'the scenarios of the catalogue: id, transport, steps, title',
  usage: 'usage: pollmatrix list',
  description:
    'Lists every scenario of the catalogue (matrix/*.json): its id (for run --scenario), its transport (for trace --transport), its steps in haproxy dev/poll/poll syntax (for trace -v) and its title.',
  options: [],
  run(_parsed, { io, binding }) {
    const rows = loadCatalogue(catalogueDir, vocabularyOf(binding())).map((s) => [s.id, s.transport, s.steps, s.title]);
    io.out(alignedRows(rows, io.columns));
    return 0;
  },
};
