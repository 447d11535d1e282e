// Column labels of a merged table: what tells one document from another (os,
// kernel release, arch), then the backend. A kernel that is not the machine's
// own keeps how it was measured in its os part (`netbsd (rump kernel)`), so
// its column never reads like a NetBSD machine's. A part that is the same for every
// document is left out (the platform lines above the table say it in full), a
// release is cut to major.minor where that still tells the documents apart, and
// two documents that are alike in everything get #1, #2 (their platform line
// number).
import type { ResultDocument } from '../model/document.js';

const shortRelease = (kernel: string) => kernel.match(/^\d+\.\d+/)?.[0] ?? kernel;

/** Tells apart the values of `full` with `short` where `short` loses nothing. */
function shortest(full: string[], short: string[]): string[] {
  const distinct = (xs: string[]) => new Set(xs).size;
  const pairs = new Set(full.map((f, i) => `${f}\u0000${short[i]}`)).size;
  return distinct(short) === distinct(full) && pairs === distinct(full) ? short : full;
}

/** One label per document ('' for a single document). */
export function documentLabels(documents: ResultDocument[]): string[] {
  if (documents.length < 2) return documents.map(() => '');
  const p = documents.map((d) => d.platform);
  const parts: string[][] = documents.map(() => []);
  const add = (values: string[]) => {
    if (new Set(values).size > 1) values.forEach((v, i) => parts[i].push(v));
  };
  add(p.map((x) => (x.measuredIn ? `${x.os} (${x.measuredIn.split(':')[0]})` : x.os)));
  add(shortest(p.map((x) => x.kernel), p.map((x) => shortRelease(x.kernel))));
  add(p.map((x) => x.arch));
  const labels = parts.map((x) => x.join(' '));
  return labels.map((label, i) => {
    const twins = labels.filter((l) => l === label).length;
    return twins > 1 ? `${label ? `${label} ` : ''}#${i + 1}` : label;
  });
}

export function columnLabel(documentLabel: string, backend: string): string {
  return documentLabel ? `${documentLabel} / ${backend}` : backend;
}
