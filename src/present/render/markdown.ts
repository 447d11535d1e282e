// Markdown made for bug reports: platform facts, GitHub-flavoured tables, then
// each scenario's steps and the command that reproduces it. Everything that
// comes from a document is escaped (a merged file is someone else's text), and
// a merge with more columns than GitHub shows well is split into tables of at
// most MARKDOWN_COLUMNS mechanism columns.
import type { ResultDocument } from '../../model/document.js';
import type { Matrix } from '../matrix.js';
import { DIFFERS_NOTE, platformLines, REPRODUCE_HOW, toolVersions, traceCommand } from './platform-lines.js';

/** Mechanism columns per table: beyond this GitHub scrolls sideways. */
export const MARKDOWN_COLUMNS = 6;

/** Text as Markdown shows it literally: HTML and emphasis characters
 * escaped, on one line. In a table cell `|` is escaped too. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|~]/g, '\\$&')
    // An underscore inside a word cannot start emphasis (x86_64 stays as it is).
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}

/** A code span that holds any text: a fence longer than any run of backticks
 * inside it; `|` escaped in a table, where GitHub drops the backslash. */
export function codeSpan(text: string, inTable = false): string {
  const one = text.replace(/[\r\n]+/g, ' ');
  const body = inTable ? one.replace(/\|/g, '\\|') : one;
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

export function renderMarkdown(documents: ResultDocument[], matrix: Matrix): string {
  const out: string[] = ['### pollmatrix', ''];
  for (const line of platformLines(documents)) out.push(`- ${escapeMarkdown(line)}`);
  let marked = false;
  const blocks = Math.ceil(matrix.columns.length / MARKDOWN_COLUMNS);
  for (let b = 0; b < blocks; b++) {
    const from = b * MARKDOWN_COLUMNS;
    const to = Math.min(matrix.columns.length, from + MARKDOWN_COLUMNS);
    out.push('');
    if (blocks > 1) out.push(`#### Columns ${from + 1}-${to} of ${matrix.columns.length}`, '');
    const header = ['scenario', 'step', ...matrix.columns.slice(from, to).map((c) => escapeMarkdown(c.label))];
    out.push(`| ${header.join(' | ')} |`);
    out.push(`|${header.map(() => '---').join('|')}|`);
    for (const row of matrix.rows) {
      const cells = row.cells.slice(from, to).map((cell) => {
        if (!cell.differs) return escapeMarkdown(cell.text);
        marked = true;
        return `**${escapeMarkdown(cell.text)}**`;
      });
      out.push(`| ${codeSpan(row.scenario.id, true)} | ${escapeMarkdown(row.step)} | ${cells.join(' | ')} |`);
    }
  }
  if (matrix.rows.length === 0) out.push('', 'No rows.');
  if (marked) out.push('', `**bold**: ${DIFFERS_NOTE}.`);
  const shown = [...new Map(matrix.rows.map((r) => [r.scenario.id, r.scenario])).values()];
  if (shown.length > 0) {
    out.push('', '#### Scenarios', '', `Made with pollmatrix ${escapeMarkdown(toolVersions(documents))}. ${REPRODUCE_HOW}`, '');
    for (const s of shown) {
      out.push(`- ${codeSpan(s.id)}: ${escapeMarkdown(s.title)}. ${escapeMarkdown(s.shows)}`);
      out.push(`  - steps: ${codeSpan(s.steps)}`);
      out.push(`  - reproduce: ${codeSpan(traceCommand(s))} (add \`--backend NAME\`)`);
    }
  }
  return out.join('\n') + '\n';
}
