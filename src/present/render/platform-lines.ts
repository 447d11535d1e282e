// One line of platform facts per document, above every rendering, and the
// words every format shares.
import type { ResultDocument } from '../../model/document.js';
import type { Platform } from '../../model/platform.js';
import { HAPROXY_TRANSPORT } from '../../model/scenario-syntax.js';
import { compareVersions } from '../../model/document-rules.js';
import { toolVersion } from '../../native/platform.js';

/** `#1 linux 6.18.44 x86_64 · ... · date` (numbered when there are several,
 * so a column labelled `#2 / poll` can be traced to its machine), ending
 * with `interrupted after 12 of 59 scenarios` for a run stopped by Ctrl-C,
 * each followed by the transports that document did not measure and why:
 * every format shows these lines, so every format says so. */
export function platformLines(documents: ResultDocument[]): string[] {
  const numbered = documents.length > 1;
  return documents.flatMap((d, i) => [
    `${numbered ? `#${i + 1} ` : ''}${platformLine(d.platform)} · ${d.platform.date}${d.interrupted ? ` · interrupted ${d.interrupted}` : ''}`,
    ...Object.entries(d.transportsNotMeasured ?? {}).map(([t, why]) => `${numbered ? `#${i + 1} ` : ''}${t}: not measured: ${why}`),
  ]);
}

let ownVersion: string | undefined;

/** `pollmatrix 0.2.0`, and for a document made by a newer pollmatrix than
 * this one, what that means: names this one does not know (a transport, a
 * backend, an observation kind) are shown as they are, unchecked. */
function versionFact(version: string): string {
  ownVersion ??= toolVersion();
  return compareVersions(version, ownVersion) > 0
    ? `pollmatrix ${version} (newer than this ${ownVersion}: names it does not know are shown unchecked)`
    : `pollmatrix ${version}`;
}

/** The pollmatrix versions that made these documents. */
export function toolVersions(documents: ResultDocument[]): string {
  return [...new Set(documents.map((d) => d.platform.pollmatrix))].join(', ');
}

/** How to run a reproduce command: pollmatrix is not on the npm registry. */
export const REPRODUCE_HOW =
  'pollmatrix is not on the npm registry: in a checkout of its repository at that version, run `npm ci`, then each command below there (`npx pollmatrix` runs the checkout\'s own build).';

/** The command that reproduces a scenario's trace (in a checkout, via npx).
 * `documents` are those the table shows: when every one of them was made in
 * the shared descriptor table, so is the command. */
export function traceCommand(
  scenario: { steps: string; transport: string; interest?: string[] },
  documents: ResultDocument[] = [],
): string {
  const transport = scenario.transport === HAPROXY_TRANSPORT ? '' : ` --transport ${scenario.transport}`;
  const interest = scenario.interest !== undefined ? ` --interest '${scenario.interest.join(' ')}'` : '';
  const shared =
    documents.length > 0 && documents.every((d) => d.platform.descriptorTable === 'shared') ? ' --descriptor-table shared' : '';
  return `npx pollmatrix trace${transport}${interest}${shared} -v ${scenario.steps}`;
}

export const DIFFERS_NOTE = 'differs from the other mechanisms in its row (normalised view)';

/** Splits a ` · `-separated line so no piece is wider than `width`. */
export function wrapFacts(line: string, width: number | undefined, indent = '  '): string[] {
  if (width === undefined || line.length <= width) return [line];
  const out: string[] = [];
  let current = '';
  for (const part of line.split(' · ')) {
    const next = current ? `${current} · ${part}` : part;
    if (current && next.length > width) {
      out.push(current);
      current = indent + part;
    } else current = next;
  }
  out.push(current);
  return out.flatMap((l) => (l.length <= width ? [l] : chunk(l, width)));
}

function chunk(text: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}

export function platformLine(p: Platform): string {
  return [
    `${p.os} ${p.kernel} ${p.arch}`,
    ...(p.measuredIn ? [p.measuredIn] : []),
    p.libc ?? 'libc unknown',
    `node ${p.node}`,
    versionFact(p.pollmatrix),
    `descriptor table: ${p.descriptorTable}`,
    ...(p.network ? [`network: ${p.network}`] : []),
    // A binary no machine of this OS has run before it measured.
    ...(p.addon === 'cross-built' ? ['addon: cross-built'] : []),
  ].join(' · ');
}
