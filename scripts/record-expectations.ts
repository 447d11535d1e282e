// Adds Linux expectations measured here for every pol step that no
// literature entry covers: `{"on": "linux/<backend>", "cells": {...},
// "source": "measured: linux <release>"}`. Earlier measured entries are
// replaced; literature entries are never touched, even where this run
// disagrees with them (`pollmatrix check` shows that instead).
//   npm run record:expectations          (Linux only)
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBinding } from '../src/native/binding.js';
import { loadCatalogue, type Scenario } from '../src/model/catalogue.js';
import { applies, isMeasured } from '../src/model/expectations.js';
import { runCellText } from '../src/present/matrix.js';
import { packageRoot } from '../src/model/package-root.js';
import { polSteps } from '../src/model/steps.js';
import type { ScenarioRun } from '../src/model/observed.js';
import { vocabularyOf } from '../src/native/vocabulary.js';
import { runMatrixSync } from '../src/run/run-matrix.js';

type RawEntry = Record<string, unknown>;

/**
 * A scenario's new `expect` array: its literature entries as they are, then
 * one measured entry per backend for the steps no literature entry covers
 * on this kernel. Steps that did not run or did not settle are left out.
 */
export function withMeasured(
  raw: RawEntry[],
  scenario: Scenario,
  runs: Map<string, Pick<ScenarioRun, 'steps' | 'unstable'>>,
  release: string,
): { expect: RawEntry[]; added: number; skipped: number } {
  const platform = { os: 'linux', kernel: release };
  const literature = scenario.expect.filter((e) => !isMeasured(e));
  const expect = raw.filter((e) => !(typeof e.source === 'string' && e.source.startsWith('measured:')));
  let added = 0;
  let skipped = 0;
  for (const [backend, run] of runs) {
    const cells: Record<string, string> = {};
    for (const pol of polSteps(scenario.commands)) {
      if (literature.some((e) => applies(e, platform, backend) && pol.step in e.cells)) continue;
      const text = runCellText(run, pol);
      if (text === 'not reached' || text === 'not measured' || text.startsWith('unstable:')) {
        skipped++;
        continue;
      }
      cells[pol.step] = text;
      added++;
    }
    if (Object.keys(cells).length > 0) expect.push({ on: `linux/${backend}`, cells, source: `measured: linux ${release}` });
  }
  return { expect, added, skipped };
}

function main(): void {
  if (process.platform !== 'linux') {
    console.error(`record-expectations: measured expectations are recorded on Linux only, this is ${process.platform}`);
    process.exit(2);
  }
  const dir = path.join(packageRoot, 'matrix');
  const release = os.release();
  const binding = loadBinding();
  const catalogue = loadCatalogue(dir, vocabularyOf(binding));
  const document = runMatrixSync({ binding, catalogue: dir, repeat: 3 });
  const runs = new Map(document.scenarios.map((s) => [s.id, new Map(Object.entries(s.runs))]));
  let added = 0;
  let skipped = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Array<{ id: string; expect?: RawEntry[] }> };
    for (const raw of json.scenarios) {
      const result = withMeasured(raw.expect ?? [], catalogue.find((s) => s.id === raw.id)!, runs.get(raw.id)!, release);
      added += result.added;
      skipped += result.skipped;
      if (result.expect.length > 0) raw.expect = result.expect;
      else delete raw.expect;
    }
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(json, null, 2) + '\n');
    renameSync(tmp, file);
  }
  loadCatalogue(dir, vocabularyOf(binding)); // validates what was written
  console.log(`record-expectations: ${added} measured cells (measured: linux ${release}), ${skipped} left out (not reached, not measured or unstable)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
