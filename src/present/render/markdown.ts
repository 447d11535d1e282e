// Markdown made for bug reports: platform facts, GitHub-flavoured tables, then
// each scenario's steps and the command that reproduces it. Everything that
// comes from a document is escaped (a merged file is someone else's text), and
// a merge with more columns than GitHub shows well is split into tables of at
// most MARKDOWN_COLUMNS mechanism columns.
import type { ResultDocument } from '../../model/document.js';
import type { Matrix } from '../matrix.js';
import { visible } from '../../model/visible.js';
import { DIFFERS_NOTE, platformLines, REPRODUCE_HOW, toolVersions, traceCommand } from './platform-lines.js';

/** Mechanism columns per table: beyond this GitHub scrolls sideways. */
export const MARKDOWN_COLUMNS = 6;

/** Text as Markdown shows it literally, on one line: control and bidi
 * characters as visible escapes (model/visible.ts); HTML, entity, emphasis,
 * link and table characters escaped, so that raw HTML, a link or an extra
 * table cell cannot come from a document. In a table `|` is escaped too. */
export function escapeMarkdown(text: string): string {
  return visible(text.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|~]/g, '\\$&')
    // An underscore inside a word cannot start emphasis (x86_64 stays as it is).
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    // GFM's extended autolinks (www.x.org, http://x.org, a@b.org) need no
    // brackets. An escaped `:` or `.` makes the first two plain text; an
    // address is found across escapes and entities, so its `@` goes in a
    // code span of its own.
    .replace(/(?<=\b(?:https?|ftp|mailto|xmpp))(?=:)|(?<=\bwww)(?=\.)/gi, '\\')
    .replace(/@/g, '`@`');
}

/** A code span that holds any text: a fence longer than any run of backticks
 * inside it. In a table the cell splitter reads the row before any code span:
 * `|` is escaped (GFM drops that backslash, even in code), and a text with a
 * backslash of its own is written as escaped text instead, because `\\|`
 * ends the cell in some GFM renderers. */
export function codeSpan(text: string, inTable = false): string {
  const line = visible(text.replace(/[\r\n]+/g, ' '));
  if (inTable && line.includes('\\')) return escapeMarkdown(line);
  const one = inTable ? line.replace(/\|/g, '\\|') : line;
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

export function renderMarkdown(documents: ResultDocument[], matrix: Matrix): string {
  const out: string[] = ['### pollmatrix', ''];
  // A list item that starts like a heading, a list or a rule would be one.
  for (const line of platformLines(documents)) out.push(`- ${escapeMarkdown(line).replace(/^(#{1,6}|[+-])(?=\s|$)/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2')}`);
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
      out.push(`  - reproduce: ${codeSpan(traceCommand(s, documents))} (add \`--backend NAME\`)`);
    }
  }
  return out.join('\n') + '\n';
}
