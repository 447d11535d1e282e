// Issue 9, "Safe output": -o writes a temporary file in the same folder and
// renames it, so a failure (a full disk) leaves the old file intact and no
// other file behind; standard output carries the document and nothing else.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeBinding } from '../fake-binding.js';
import { cli } from '../helpers.js';
import { packageRoot } from '../../src/model/package-root.js';

const args = ['run', '--format', 'json', '--repeat', '1', '--scenario', 'seed-*'];

test('-o replaces the old file whole, keeps its mode, and leaves no temporary file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pollmatrix-out-'));
  const file = path.join(dir, 'r.json');
  writeFileSync(file, 'old');
  chmodSync(file, 0o640);
  const got = cli([...args, '-o', file], fakeBinding());
  assert.is(got.code, 0, got.err);
  assert.is(got.out, '');
  assert.is(JSON.parse(readFileSync(file, 'utf8')).tool, 'pollmatrix');
  assert.is(statSync(file).mode & 0o777, 0o640);
  assert.equal(readdirSync(dir), ['r.json']);
});

test('-o into a folder that does not exist: one line, exit 2', () => {
  const file = path.join(tmpdir(), 'pollmatrix-no-such-folder', 'r.json');
  const got = cli([...args, '-o', file], fakeBinding());
  assert.is(got.code, 2);
  assert.is(got.err, `pollmatrix: -o ${file}: cannot write it: ENOENT (no such file or directory); the old file, if any, is unchanged\n`);
});

// A real full disk: a 64 KiB tmpfs, mounted when this process may (root with
// CAP_SYS_ADMIN). /dev/full cannot be renamed over, so it is no test of this.
// The probe mounts and unmounts at once, so a run that dies before the test
// leaves no mount behind; the test mounts again.
const mountPoint = mkdtempSync(path.join(tmpdir(), 'pollmatrix-tmpfs-'));
const mountTmpfs = () => spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { encoding: 'utf8' });
const probe = process.platform === 'linux' ? mountTmpfs() : undefined;
const mounted = probe?.status === 0;
if (mounted) spawnSync('umount', [mountPoint]);
const why = mounted ? '' : ` (skipped: cannot mount a tmpfs here: ${probe ? (probe.stderr.trim() || `exit ${probe.status}`) : 'not Linux'})`;

(mounted ? test : test.skip)(`-o on a full disk: exit 2, the old file intact, no other file left${why}`, () => {
  assert.is(mountTmpfs().status, 0);
  try {
    const file = path.join(mountPoint, 'r.json');
    writeFileSync(file, '{"old": true}\n');
    const filler = path.join(mountPoint, 'filler');
    try {
      for (;;) appendFileSync(filler, Buffer.alloc(4096, 1));
    } catch (err) {
      assert.is((err as NodeJS.ErrnoException).code, 'ENOSPC');
    }
    const got = cli([...args, '-o', file], fakeBinding());
    assert.is(got.code, 2, got.err);
    assert.is(got.out, '');
    assert.is(got.err, `pollmatrix: -o ${file}: cannot write it: ENOSPC (no space left on device); the old file, if any, is unchanged\n`);
    assert.is(readFileSync(file, 'utf8'), '{"old": true}\n');
    assert.equal(readdirSync(mountPoint).sort(), ['filler', 'r.json']);
  } finally {
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});
if (!mounted) rmSync(mountPoint, { recursive: true, force: true });

test('the real executable: standard output is the JSON document alone', () => {
  const got = spawnSync(process.execPath, ['--import', 'tsx', path.join(packageRoot, 'src', 'cli.ts'), ...args, '--backend', 'poll'], { encoding: 'utf8' });
  assert.is(got.status, 0, got.stderr);
  assert.is(JSON.parse(got.stdout).tool, 'pollmatrix');
  assert.is(got.stderr, '');
});

test.run();
