// The matrix as CSV (RFC 4180), one line per cell, so every line carries its
// platform (os, kernel, arch), its backend and whether it differs; a
// spreadsheet can filter and pivot it. A header line comes first.
//
// A spreadsheet reads a cell that starts with = + - or @ as a formula, which
// can call out (=HYPERLINK, =WEBSERVICE) or run commands (DDE), so a CSV made
// from someone else's document must not carry one. OWASP's rule
// (https://owasp.org/www-community/attacks/CSV_Injection): such a cell, and
// one starting with a tab or a carriage return, starts with a ' and is
// quoted. Every `steps` cell is one of them (`'-l clo -c pol`): the ' tells
// a spreadsheet it is text; a program reading the CSV drops a leading ' from
// a quoted cell that starts with '= '+ '- '@. A spreadsheet that splits at
// `;` sees a new cell after each one: a `;` followed by such a character is
// followed by a ' as well. A cell that is `-` alone
// (nothing ready) is no formula anywhere and stays as it is. Control and
// bidi characters are visible escapes (model/visible.ts), as in every format.
import type { Matrix } from '../matrix.js';
import { visible } from '../../model/visible.js';

export function csvField(text: string): string {
  // A spreadsheet in a locale whose list separator is `;` (Excel in much of
  // Europe) splits every line at `;`, quotes or not, so a piece after a `;`
  // is a cell of its own: one that would start a formula gets its ' too.
  const shown = visible(text).replace(/;(?=[\s"]*[=+\-@])/g, ";'");
  if (/^[=+\-@\t\r]/.test(shown) && shown !== '-') return `"'${shown.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(shown) ? `"${shown.replace(/"/g, '""')}"` : shown;
}

export const CSV_HEADER = ['scenario', 'title', 'steps', 'step', 'os', 'kernel', 'arch', 'backend', 'column', 'cell', 'differs', 'row_differs'];

/** The matrix, one line per cell. When a document's run was interrupted, a
 * last column `interrupted` says so on each of its lines (`after 12 of 59
 * scenarios`: the scenarios it did not reach have no lines); without an
 * interrupted document there is no such column. */
export function renderCsv(matrix: Matrix): string {
  const interrupted = matrix.columns.some((c) => c.document.interrupted !== undefined);
  const lines = [interrupted ? [...CSV_HEADER, 'interrupted'] : CSV_HEADER];
  for (const row of matrix.rows) {
    row.cells.forEach((cell, i) => {
      const column = matrix.columns[i];
      const p = column.document.platform;
      const s = row.scenario;
      const fields = [s.id, s.title, s.steps, row.step, p.os, p.kernel, p.arch, column.backend, column.label, cell.text, String(cell.differs), String(row.differs)];
      lines.push(interrupted ? [...fields, column.document.interrupted ?? ''] : fields);
    });
  }
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
