// The recorded Linux results (matrix/results/linux-x64.json), whole or as a
// sample: the first scenarios of each transport, so report tests read real
// data on every transport without rendering all of it many times over.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/model/package-root.js';

export const recordedFile = path.join(packageRoot, 'matrix', 'results', 'linux-x64.json');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function recorded(): any {
  return JSON.parse(readFileSync(recordedFile, 'utf8'));
}

/** The recorded document cut to the seed's scenarios and the first
 * `perTransport` scenarios of each transport. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function recordedSample(perTransport = 4): any {
  const doc = recorded();
  const taken = new Map<string, number>();
  doc.scenarios = doc.scenarios.filter((s: { id: string; transport: string }) => {
    if (s.id.startsWith('seed-')) return true;
    const n = taken.get(s.transport) ?? 0;
    taken.set(s.transport, n + 1);
    return n < perTransport;
  });
  return doc;
}

/** Where the first `pol` step with a decoded mask is: scenario index,
 * backend and step index (for tests that break one on purpose). */
export function firstMaskPol(doc: { scenarios: Array<{ runs: Record<string, { steps: Array<{ names?: unknown; action: string }> }> }> }): { i: number; backend: string; j: number } {
  for (const [i, s] of doc.scenarios.entries()) {
    for (const [backend, run] of Object.entries(s.runs)) {
      const j = run.steps.findIndex((step) => step.action === 'pol' && Array.isArray(step.names) && step.names.length > 0);
      if (j >= 0) return { i, backend, j };
    }
  }
  throw new Error('no pol step with a mask in the recorded document');
}

/** The document answering differently in its last `count` scenarios whose
 * poll returned flags without IN: poll reports IN as well there (mask, names
 * and properties kept consistent), so a merge has rows that differ. Returns
 * those scenarios' ids. For a document relabelled as another machine (its
 * masks are then not decoded again with this OS's tables). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function addReadable(doc: any, count = 1): string[] {
  const answers = (step: { action: string; ret: number; names?: string[] }) => step.action === 'pol' && step.ret > 0 && !step.names!.includes('IN');
  const changed = [...doc.scenarios].reverse().filter((s: { runs: { poll: { steps: [] } } }) => s.runs.poll?.steps.some(answers)).slice(0, count);
  for (const s of changed) {
    for (const step of s.runs.poll.steps) {
      if (!answers(step)) continue;
      step.observation.raw |= 1;
      step.rawHex = `0x${step.observation.raw.toString(16)}`;
      step.names = ['IN', ...step.names];
      step.properties = ['readable', ...step.properties.filter((p: string) => p !== 'readable')];
    }
  }
  return changed.map((s: { id: string }) => s.id);
}
