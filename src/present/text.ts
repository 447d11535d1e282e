// Word wrapping for help text, notes and lists on a terminal.

/** Wraps one paragraph at spaces to `width` (a longer word stays whole). */
export function wrapWords(text: string, width: number | undefined, indent = '', firstIndent = indent): string[] {
  if (width === undefined) return [firstIndent + text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const lead = lines.length === 0 ? firstIndent : indent;
    if (line && lead.length + line.length + 1 + word.length > width) {
      lines.push(lead + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push((lines.length === 0 ? firstIndent : indent) + line);
  return lines;
}

/** Wraps text (paragraphs split by blank lines) to `width`, each line indented. */
export function wrapText(text: string, width: number, indent = ''): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => wrapWords(p, width, indent).join('\n'))
    .join('\n\n');
}

/** A shell command, as its words, on lines no wider than `width` (where a
 * width is given), broken between words with ` \` so it still pastes into a
 * shell as one command. The first line starts with `lead`, the others with
 * `indent`. */
export function shellLines(words: string[], width: number | undefined, lead = '', indent = '    '): string[] {
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  for (const word of words) {
    const next = empty ? line + word : `${line} ${word}`;
    // Room for the ` \` that ends a broken line.
    if (width !== undefined && !empty && next.length + 2 > width) {
      lines.push(`${line} \\`);
      line = indent + word;
    } else line = next;
    empty = false;
  }
  lines.push(line);
  return lines;
}

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
