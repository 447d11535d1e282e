// npm test: every *.test.ts under uvu (real ESM through tsx), then one plain
// closing line "N passed, N failed, N skipped" that any CI can read.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
const child = spawnSync(process.execPath, ['--import', 'tsx', uvu, 'test', '\\.test\\.ts$', ...process.argv.slice(2)], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['inherit', 'pipe', 'inherit'],
});
process.stdout.write(child.stdout ?? '');
// eslint-disable-next-line no-control-regex
const plain = (child.stdout ?? '').replace(/\u001b\[[0-9;]*m/g, '');
const count = (label) => Number(plain.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? NaN);
const total = count('Total');
const passed = count('Passed');
const skipped = count('Skipped');
if (Number.isNaN(total) || Number.isNaN(passed)) {
  console.log('tests: the runner printed no summary');
  process.exit(child.status || 1);
}
console.log(`tests: ${passed} passed, ${total - passed} failed, ${skipped} skipped`);
process.exit(child.status ?? 1);
