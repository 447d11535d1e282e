// The matrix as CSV (RFC 4180): one line per row, a header line first.
import type { Matrix } from '../matrix.js';

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(matrix: Matrix): string {
  const lines = [['scenario', 'steps', 'step', ...matrix.columns.map((c) => c.label)]];
  for (const row of matrix.rows) {
    lines.push([row.scenario.id, row.scenario.steps, row.step, ...row.cells.map((c) => c.text)]);
  }
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
