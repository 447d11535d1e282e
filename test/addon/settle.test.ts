// The settle rule (native/engine/settle.h): under load, a FIN or data still in
// flight on loopback must not show up as a changing cell.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { loadCatalogue } from '../../src/model/catalogue.js';
import { catalogueDir } from '../../src/run/run-matrix.js';
import { nativeScenario } from '../../src/native/runner.js';
import { testDir } from '../helpers.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';

const binding = loadBinding();
const onLinux = process.platform === 'linux' ? test : test.skip;
const seed = loadCatalogue(catalogueDir, vocabularyOf(binding)).filter((s) => s.id.startsWith('seed-'));

onLinux('Linux: under load (two CPU hogs and a second pollmatrix run) the seed scenarios give one answer in 400 runs on select and poll, none needing the settle bound', async () => {
  const root = path.join(testDir, '..');
  // Load: two busy loops, and another pollmatrix doing the same scenarios.
  const hogs = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  const other = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--scenario', 'seed-*', '--repeat', '5000', '--format', 'csv'], {
    cwd: root,
    stdio: 'ignore',
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const backend of ['select', 'poll']) {
      const scenarios = seed.map((s) => nativeScenario(s.commands.map((c) => ({ ...c, backend })), { transport: s.transport, interest: s.interest }));
      const all = binding.runMany(scenarios, { repeat: 400, jobs: 2 });
      all.forEach((outcomes, i) => {
        assert.is(outcomes.length, 1, `${seed[i].id} on ${backend}: ${outcomes.map((o) => o.runs).join(' + ')} runs`);
        const bound = outcomes[0].result.steps.filter((s) => s.settleBound);
        assert.equal(bound, [], `${seed[i].id} on ${backend} needed the settle bound`);
      });
    }
  } finally {
    for (const child of [...hogs, other]) child.kill('SIGKILL');
  }
});

test.run();
