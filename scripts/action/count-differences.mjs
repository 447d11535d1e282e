#!/usr/bin/env node
// Counts, in what `pollmatrix check` printed, the cells that differ from the
// literature and those that differ only from a recorded baseline.
//
// `check` has no machine-readable output. What it prints per document is
// Markdown: a table `| scenario | step | on | expected | got | source |` with
// one row per literature expectation not met, a second one after "Differs
// from the recording on ..." for the cells that differ from a recording,
// then `- summary: N met (...), K not met[, R differ from the recording]`.
// A row whose source starts with `measured:` (for example
// `measured: linux 6.18.44`) differs from a recording made on one machine,
// not from the literature. The rows are counted by their last column, found
// by the header's `source` cell, so a column added in between changes
// nothing. If no such table is found while the summaries say cells were not
// met, every one is counted as differing from the literature, and `split`
// says so.
//
//   node scripts/action/count-differences.mjs CHECK-OUTPUT-FILE
// prints `literature=N`, `recording=M`, `not-met=K` and `split=rows|summary`,
// one a line.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The cells of one Markdown table row; `\|` is a pipe inside a cell. */
function cells(line) {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

export function countDifferences(text) {
  let literature = 0;
  let recording = 0;
  let notMet = 0;
  let rows = 0;
  let sourceColumn = -1;
  for (const line of text.split(/\r?\n/)) {
    const summary = line.match(/^- summary: .*?(\d+) not met(?:, (\d+) differ from the recording)?$/);
    if (summary) notMet += Number(summary[1]) + Number(summary[2] ?? 0);
    if (!line.trim().startsWith('|')) {
      sourceColumn = -1;
      continue;
    }
    const row = cells(line);
    if (sourceColumn < 0) {
      sourceColumn = row.indexOf('source');
      continue;
    }
    if (row.every((c) => /^:?-+:?$/.test(c))) continue; // |---|---|
    rows++;
    if (/^measured:/.test(row[sourceColumn] ?? '')) recording++;
    else literature++;
  }
  if (rows === 0 && notMet > 0) return { literature: notMet, recording: 0, notMet, split: 'summary' };
  return { literature, recording, notMet: Math.max(notMet, rows), split: 'rows' };
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const counts = countDifferences(readFileSync(process.argv[2], 'utf8'));
  for (const [key, value] of Object.entries(counts)) console.log(`${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}=${value}`);
}
