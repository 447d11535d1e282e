// The tests' scratch folders (test/helpers.ts scratchDir) are removed when
// the test process exits, with what they hold: npm test leaves nothing in
// the temporary folder (each run used to leave about 25 folders there).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { testDir } from '../helpers.js';

test('a scratch folder and its files are gone once the process that made it exits', () => {
  const helpers = path.join(testDir, 'helpers.ts');
  const script = `
    import { writeFileSync, mkdirSync } from 'node:fs';
    import { scratchDir } from ${JSON.stringify(helpers)};
    const dir = scratchDir('pollmatrix-scratch-check-');
    mkdirSync(dir + '/inner');
    writeFileSync(dir + '/inner/file.txt', 'x');
    console.log(dir);
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.dirname(testDir), encoding: 'utf8' });
  assert.is(child.status, 0, child.stderr);
  const dir = child.stdout.trim();
  assert.match(dir, /pollmatrix-scratch-check-\w{6}$/);
  assert.not.ok(existsSync(dir), `${dir} is still there`);
});

test.run();
