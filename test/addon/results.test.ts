// The recorded results in matrix/results/ against a fresh run of the whole
// catalogue on this machine: every cell that changed is listed, so a change of
// behaviour (ours or the kernel's) is caught and explained, never silent.
// Kernels of the same major.minor are compared (a build suffix or a stable
// patch level does not change socket semantics often, and when it does the
// test should say so); another major.minor is skipped, with that reason.
// The fresh run is a whole-catalogue pass on every recorded backend, as many
// times as the recording (about 5 s): long, so it runs under
// POLLMATRIX_LONG_TESTS=1 (test/long.ts; .ci/run sets it).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { loadCatalogue } from '../../src/model/catalogue.js';
import { buildDocument, isMergedDocument, parseDocument, type ResultDocument } from '../../src/model/document.js';
import { buildMatrix } from '../../src/present/matrix.js';
import { platformFacts } from '../../src/native/platform.js';
import { Runner } from '../../src/native/runner.js';
import { packageRoot } from '../../src/model/package-root.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';
import { runAll } from '../runs.js';
import { LONG_TESTS, LONG_WHY, longTest } from '../long.js';

const file = path.join(packageRoot, 'matrix', 'results', `${process.platform}-${process.arch}.json`);
const parsed = existsSync(file) ? parseDocument(JSON.parse(readFileSync(file, 'utf8')), file) : undefined;
const recorded = parsed && !isMergedDocument(parsed) ? parsed : undefined;
const binding = loadBinding();
const catalogue = loadCatalogue(path.join(packageRoot, 'matrix'), vocabularyOf(binding));

/** scenario step backend -> cell text */
function cells(document: ResultDocument): Map<string, string> {
  const matrix = buildMatrix([document]);
  const out = new Map<string, string>();
  for (const row of matrix.rows) {
    row.cells.forEach((cell, i) => out.set(`${row.scenario.id} ${row.step} ${matrix.columns[i].backend}`, cell.text));
  }
  return out;
}

(recorded ? test : test.skip)(`recorded results exist for ${process.platform}-${process.arch} and cover the catalogue`, () => {
  assert.equal(recorded!.scenarios.map((s) => s.id), catalogue.map((s) => s.id), 're-record: npm run record');
  for (const s of recorded!.scenarios) {
    const now = catalogue.find((c) => c.id === s.id);
    assert.is(s.steps, now?.steps, `${s.id}: steps changed since the recording (npm run record)`);
  }
});

const majorMinor = (release: string) => /^\d+\.\d+/.exec(release)?.[0] ?? release;
const here = `${process.platform}-${process.arch}`;
const skipReason = !recorded
  ? `no recorded results for ${here} (matrix/results/${here}.json)`
  : recorded.platform.os !== process.platform
    ? `recorded on ${recorded.platform.os}, this is ${process.platform}`
    : majorMinor(recorded.platform.kernel) !== majorMinor(os.release())
      ? `recorded on kernel ${recorded.platform.kernel}, this is ${os.release()}: another major.minor may legitimately differ`
      : undefined;
if (skipReason !== undefined) console.log(`results: not compared: ${skipReason}`);
else if (!LONG_TESTS) console.log(`results: not compared:${LONG_WHY.replace(/[()]/g, '')}`);
(skipReason === undefined ? longTest : test.skip)(
  skipReason === undefined
    ? `a fresh run matches ${path.relative(packageRoot, file)} cell by cell (recorded on kernel ${recorded!.platform.kernel}, running ${os.release()}: same ${majorMinor(os.release())})${LONG_WHY}`
    : `a fresh run matches the recorded results: SKIPPED, ${skipReason}`,
  () => {
    const runner = new Runner(binding);
    const backends = recorded!.backends;
    const repeat = recorded!.repeat ?? 1;
    const runs = runAll(runner, catalogue, backends, recorded!.timeoutMs, repeat);
    const fresh = buildDocument({
      platform: platformFacts(binding, 'private'),
      date: new Date(),
      timeoutMs: recorded!.timeoutMs,
      repeat,
      backends,
      mechanisms: binding.backends(),
      scenarios: catalogue,
      runs,
    });
    const before = cells(recorded!);
    const after = cells(fresh);
    const changed = [...after].filter(([key, text]) => before.get(key) !== text).map(([key, text]) => `${key}: recorded '${before.get(key)}', now '${text}'`);
    assert.equal(changed, [], `cells differ from ${path.relative(packageRoot, file)}:\n${changed.join('\n')}`);
    assert.is(after.size, before.size);
    // npm test's output says what was compared.
    console.log(
      `results: ${path.relative(packageRoot, file)} (kernel ${recorded!.platform.kernel}) compared with a fresh run on ${os.release()}: ` +
        `${after.size} cells across ${backends.join(', ')}, ${changed.length} differ`,
    );
  },
);

test.run();
