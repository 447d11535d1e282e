// The matrix as one self-contained HTML page.
import type { ResultDocument } from '../document.js';
import type { Matrix } from '../matrix.js';
import { DIFFERS_NOTE, platformLines, traceCommand } from './platform-lines.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderHtml(documents: ResultDocument[], matrix: Matrix): string {
  const head = ['scenario', 'step', ...matrix.columns.map((c) => c.label)].map((h) => `<th>${escapeHtml(h)}</th>`);
  const rows = matrix.rows.map((row) => {
    const scenario = `<td title="${escapeHtml(traceCommand(row.scenario))}"><code>${escapeHtml(row.scenario.id)}</code></td>`;
    const cells = row.cells.map((c) => `<td${c.differs ? ' class="differs"' : ''}>${escapeHtml(c.text)}</td>`);
    return `<tr>${scenario}<td>${escapeHtml(row.step)}</td>${cells.join('')}</tr>`;
  });
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>pollmatrix</title>',
    '<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;font-family:monospace}.differs{background:#fe6}</style>',
    '</head><body>',
    ...platformLines(documents).map((l) => `<p>${escapeHtml(l)}</p>`),
    `<table><thead><tr>${head.join('')}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
    `<p><span class="differs">highlighted</span>: ${escapeHtml(DIFFERS_NOTE)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}
