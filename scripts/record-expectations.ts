// Adds Linux expectations measured here for every pol step that no
// literature entry covers: `{"on": "linux/<backend>", "cells": {...},
// "source": "measured: linux <release>"}`. Earlier measured entries are
// replaced; literature entries are never touched, even where this run
// disagrees with them (`pollmatrix check` shows that instead).
//   npm run record:expectations          (Linux only)
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBinding, packageRoot } from '../src/binding.js';
import { loadCatalogue } from '../src/catalogue.js';
import { applies, isMeasured } from '../src/expectations.js';
import { polSteps, runAll, runCellText } from '../src/matrix.js';
import { Runner } from '../src/runner.js';

if (process.platform !== 'linux') {
  console.error(`record-expectations: measured expectations are recorded on Linux only, this is ${process.platform}`);
  process.exit(2);
}
const dir = path.join(packageRoot, 'matrix');
const release = os.release();
const platform = { os: 'linux', kernel: release };
const source = `measured: linux ${release}`;
const runner = new Runner(loadBinding());
const backends = runner.availableBackends();
const catalogue = loadCatalogue(dir);
const runs = runAll(runner, catalogue, backends, undefined, 3);

let added = 0;
let skipped = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const file = path.join(dir, name);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Array<{ id: string; expect?: Array<Record<string, unknown>> }> };
  for (const raw of json.scenarios) {
    const scenario = catalogue.find((s) => s.id === raw.id)!;
    const literature = scenario.expect.filter((e) => !isMeasured(e));
    const entries = (raw.expect ?? []).filter((e) => !(typeof e.source === 'string' && e.source.startsWith('measured:')));
    for (const backend of backends) {
      const run = runs.get(scenario.id)!.get(backend)!;
      const cells: Record<string, string> = {};
      for (const pol of polSteps(scenario.commands)) {
        if (literature.some((e) => applies(e, platform, backend) && pol.step in e.cells)) continue;
        const text = runCellText(run, pol);
        // Nothing to expect from a step that did not run or did not settle.
        if (text === 'not reached' || text === 'not measured' || text.startsWith('unstable:')) {
          skipped++;
          continue;
        }
        cells[pol.step] = text;
        added++;
      }
      if (Object.keys(cells).length > 0) entries.push({ on: `linux/${backend}`, cells, source });
    }
    if (entries.length > 0) raw.expect = entries;
    else delete raw.expect;
  }
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(json, null, 2) + '\n');
  renameSync(tmp, file);
}
// Validates what was written.
loadCatalogue(dir);
console.log(`record-expectations: ${added} measured cells (${source}), ${skipped} left out (not reached, not measured or unstable)`);
