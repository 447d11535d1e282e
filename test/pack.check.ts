// Issue 9, "A typed API": `npm pack`, installed into a fresh project, imports
// as `pollmatrix`, runs, renders and type-checks; its `pollmatrix` executable
// writes clean output. It takes several seconds, so it runs apart from
// `npm test`: `npm run test:pack` (.ci/run runs it).
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packageRoot } from '../src/model/package-root.js';
import { scratchDir } from './helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack, installed into a fresh project: the API imports, runs and type-checks; the bin works', () => {
  const project = scratchDir('pollmatrix-consumer-');
  execFileSync(npm, ['pack', '--silent', '--pack-destination', project], { cwd: packageRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'))!;
  assert.ok(tarball, 'npm pack made a tarball');
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`], { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] });

  writeFileSync(
    path.join(project, 'use.mjs'),
    `import { runMatrix, render, mergeDocuments, parseDocument } from 'pollmatrix';
const doc = await runMatrix({ scenarios: ['seed-connect-refused'], backends: ['poll'], repeat: 1 });
const back = parseDocument(JSON.parse(JSON.stringify(doc)), 'doc.json');
const merged = mergeDocuments([back, doc]);
console.log(JSON.stringify({ csv: render(doc, { format: 'csv' }).split('\\r\\n')[1], labels: merged.columns.map((c) => c.label) }));
`,
  );
  const used = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: project, encoding: 'utf8' }));
  assert.match(used.csv, /^seed-connect-refused,connect\(\) to a closed port,"'-l clo -c pol",c:pol#1,/);
  assert.equal(used.labels, ['#1 / poll', '#2 / poll']);

  // Types ship in the package: a consumer type-checks against them.
  writeFileSync(
    path.join(project, 'check.ts'),
    `import { runMatrix, render, type ResultDocument, type MergedDocument } from 'pollmatrix';
const doc: ResultDocument = await runMatrix({ repeat: 1, backends: ['poll'] });
const text: string = render(doc, { format: 'markdown', view: 'normalised' });
const os: string = doc.platform.os;
// @ts-expect-error: not a format
render(doc, { format: 'pdf' });
export const used: Array<string | MergedDocument> = [text, os];
`,
  );
  const tsc = path.join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const typecheck = spawnSync(
    process.execPath,
    [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--typeRoots', path.join(packageRoot, 'node_modules', '@types'), '--types', 'node', 'check.ts'],
    { cwd: project, encoding: 'utf8' },
  );
  assert.is(typecheck.status, 0, typecheck.stdout + typecheck.stderr);

  // The installed executable: clean JSON on standard output.
  const bin = path.join(project, 'node_modules', '.bin', 'pollmatrix');
  const out = execFileSync(bin, ['run', '--format', 'json', '--repeat', '1', '--scenario', 'seed-connect-refused', '--backend', 'poll'], { cwd: project, encoding: 'utf8' });
  assert.is(JSON.parse(out).tool, 'pollmatrix');
  assert.is(execFileSync(bin, ['--version'], { encoding: 'utf8' }), `pollmatrix ${JSON.parse(execFileSync(npm, ['pkg', 'get', 'version'], { cwd: packageRoot, encoding: 'utf8' }))}\n`);
});

test.run();
