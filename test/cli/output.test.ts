// Issue 9, "Safe output": -o writes a temporary file in the same folder and
// renames it, so a failure (a full disk) leaves the old file intact and no
// other file behind; standard output carries the document and nothing else.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeBinding } from '../fake-binding.js';
import { cli, scratchDir } from '../helpers.js';
import { packageRoot } from '../../src/model/package-root.js';
import { recordedFile } from '../recorded.js';

const args = ['run', '--format', 'json', '--repeat', '1', '--scenario', 'seed-*'];

test('-o replaces the old file whole, keeps its mode, and leaves no temporary file', () => {
  const dir = scratchDir('pollmatrix-out-');
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

/** What a path is, to see that a refused -o left it as it was. */
function describe(file: string): string {
  try {
    const st = lstatSync(file);
    const kind = st.isSymbolicLink() ? `link to ${readlinkSync(file)}` : st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'char device' : st.isDirectory() ? 'folder' : `file ${readFileSync(file, 'utf8')}`;
    return `${kind} mode ${(st.mode & 0o777).toString(8)} inode ${st.ino}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'error';
  }
}

const root = process.getuid?.() === 0;

test('a bad -o is one line naming the problem, exit 2, before anything runs, and the target is left as it was', () => {
  const dir = scratchDir('pollmatrix-out-');
  const file = (name: string) => path.join(dir, name);
  writeFileSync(file('target.json'), 'kept');
  symlinkSync(file('target.json'), file('link.json'));
  symlinkSync(file('nowhere.json'), file('dangling.json'));
  spawnSync('mkfifo', [file('fifo')]);
  writeFileSync(file('read-only.json'), 'kept');
  chmodSync(file('read-only.json'), 0o444);
  mkdirSync(file('folder'));
  // A device node of our own (as /dev/null), so a bug could not replace a real one.
  const device = spawnSync('mknod', [file('null'), 'c', '1', '3']).status === 0;
  const cases: Array<[string, string, RegExp]> = [
    ['empty', '', /^pollmatrix: -o needs a file name, got ''\n$/],
    ['root folder', '/', /^pollmatrix: -o \/: names a folder; give a file name\n$/],
    ['a folder', file('folder'), /: is a folder; give a file name\n$/],
    ['a procfs file', '/proc/version', /^pollmatrix: -o \/proc\/version: is read-only \(mode 0444\); -o does not replace a read-only file\n$/],
    ['a missing folder', file('no-such-folder/r.json'), new RegExp(`^pollmatrix: -o ${file('no-such-folder/r.json')}: folder ${file('no-such-folder')} does not exist\\n$`)],
    ['a file as a folder', file('target.json/r.json'), /: a part of the path is not a folder\n$/],
    ['a read-only file', file('read-only.json'), /: is read-only \(mode 0444\); -o does not replace a read-only file\n$/],
    ['a symbolic link', file('link.json'), new RegExp(`: is a symbolic link to ${file('target.json')}; -o never replaces a link: name the file itself, or leave out -o to write to standard output\\n$`)],
    ['a dangling link', file('dangling.json'), /: is a symbolic link to .*nowhere\.json; -o never replaces a link/],
    ['/dev/stdout', '/dev/stdout', /^pollmatrix: -o \/dev\/stdout: is a symbolic link to \/proc\/self\/fd\/1; -o never replaces a link/],
    ['a FIFO', file('fifo'), /: is a FIFO \(named pipe\); -o writes regular files only: leave out -o to write to standard output \(a pipe, a terminal\)\n$/],
    ['/dev/null', '/dev/null', /^pollmatrix: -o \/dev\/null: is a device; -o writes regular files only/],
    ...(device ? [['a device node', file('null'), /: is a device; -o writes regular files only/] as [string, string, RegExp]] : []),
  ];
  if (!root) {
    mkdirSync(file('locked'));
    chmodSync(file('locked'), 0o555);
    cases.push(['a folder it cannot write', file('locked/r.json'), /: cannot create a file in .*locked: EACCES/]);
  }
  for (const [name, target, message] of cases) {
    const before = describe(target);
    for (const command of [['run', '--format', 'json', '--scenario', 'seed-*'], ['merge', recordedFile]]) {
      const binding = fakeBinding();
      const got = cli([...command, '-o', target], binding);
      assert.is(got.code, 2, `${name}: ${got.err}`);
      assert.is(got.out, '', name);
      assert.match(got.err, message, name);
      assert.is(got.err.split('\n').length, 2, got.err);
      assert.is(binding.calls.length, 0, `${name}: a scenario ran before -o was checked`);
      assert.is(describe(target), before, `${name}: changed`);
    }
  }
  assert.equal(readdirSync(dir).sort(), ['dangling.json', 'fifo', 'folder', 'link.json', ...(root ? [] : ['locked']), ...(device ? ['null'] : []), 'read-only.json', 'target.json']);
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
