// The matrix as CSV (RFC 4180), one line per cell, so every line carries its
// platform (os, kernel, arch), its backend and whether it differs; a
// spreadsheet can filter and pivot it. A header line comes first.
import type { Matrix } from '../matrix.js';

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = ['scenario', 'title', 'steps', 'step', 'os', 'kernel', 'arch', 'backend', 'column', 'cell', 'differs', 'row_differs'];

export function renderCsv(matrix: Matrix): string {
  const lines = [CSV_HEADER];
  for (const row of matrix.rows) {
    row.cells.forEach((cell, i) => {
      const column = matrix.columns[i];
      const p = column.document.platform;
      const s = row.scenario;
      lines.push([s.id, s.title, s.steps, row.step, p.os, p.kernel, p.arch, column.backend, column.label, cell.text, String(cell.differs), String(row.differs)]);
    });
  }
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
