// Markdown made for bug reports: platform facts, a GitHub-flavoured table,
// then each scenario's steps and the command that reproduces it.
import type { ResultDocument } from '../document.js';
import type { Matrix } from '../matrix.js';
import { DIFFERS_NOTE, platformLines, traceCommand } from './platform-lines.js';

/** A cell of a GFM table: `|` escaped, newlines as <br>. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function renderMarkdown(documents: ResultDocument[], matrix: Matrix): string {
  const out: string[] = ['### pollmatrix', ''];
  for (const line of platformLines(documents)) out.push(`- ${escapeCell(line)}`);
  out.push('');
  const header = ['scenario', 'step', ...matrix.columns.map((c) => c.label)];
  out.push(`| ${header.map(escapeCell).join(' | ')} |`);
  out.push(`|${header.map(() => '---').join('|')}|`);
  let marked = false;
  for (const row of matrix.rows) {
    const cells = row.cells.map((cell) => {
      if (!cell.differs) return escapeCell(cell.text);
      marked = true;
      return `**${escapeCell(cell.text)}**`;
    });
    out.push(`| \`${escapeCell(row.scenario.id)}\` | ${row.step} | ${cells.join(' | ')} |`);
  }
  if (matrix.rows.length === 0) out.push('', 'No rows.');
  if (marked) out.push('', `**bold**: ${DIFFERS_NOTE}.`);
  const shown = [...new Map(matrix.rows.map((r) => [r.scenario.id, r.scenario])).values()];
  if (shown.length > 0) {
    out.push('', '#### Scenarios', '');
    for (const s of shown) {
      out.push(`- \`${s.id}\`: ${escapeCell(s.title)} — ${escapeCell(s.shows)}`);
      out.push(`  Steps \`${s.steps}\`; reproduce with \`${traceCommand(s)}\` (add \`--backend NAME\`).`);
    }
  }
  return out.join('\n') + '\n';
}
