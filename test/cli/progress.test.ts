// Issue 9, "Progress": a bar on standard error, on a terminal only, for runs
// over a second; Ctrl-C during a run prints what completed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProgressBar } from '../../src/present/progress.js';
import { packageRoot } from '../../src/model/package-root.js';

const cliPath = path.join(packageRoot, 'src', 'cli.ts');

test('the bar: nothing in the first second, then counts, elapsed time and an estimate; erased at the end', () => {
  let now = 0;
  let written = '';
  const bar = new ProgressBar({ write: (t) => void (written += t), columns: 80 }, 'runs', () => now);
  bar.update(1, 10);
  now = 900;
  bar.update(3, 10);
  assert.is(written, '', 'quiet before a second');
  bar.clear();
  assert.is(written, '', 'nothing to erase');
  now = 2000;
  bar.update(4, 10);
  assert.is(written, '\r\u001b[2K[################------------------------] 4/10 runs · 0:02 · 0:03 left');
  now = 2050;
  bar.update(5, 10);
  assert.ok(!written.includes('5/10'), 'at most ten draws a second');
  bar.clear();
  assert.ok(written.endsWith('\r\u001b[2K'));
  let later = 0;
  const narrow = new ProgressBar({ write: (t) => void (written = t), columns: 40 }, 'runs', () => later);
  later = 5000;
  narrow.update(1, 3);
  assert.match(written, /1\/3 runs/);
  assert.ok(written.replace('\r\u001b[2K', '').length < 40, written);
});

test('Ctrl-C during a run: the scenarios that completed are printed, exit 130', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', cliPath, 'run', '--format', 'json', '--repeat', '200'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  child.kill('SIGINT');
  // About one Ctrl-C in four is lost on Linux: the addon's private descriptor
  // table closes every inherited descriptor, and a SIGINT that lands on that
  // thread before it blocks signals is written by libuv's handler to a closed
  // pipe (an engine issue, reported). A process that did not stop within a
  // second did not hear it; the first handler is still armed, so Ctrl-C again.
  const stillRunning = setTimeout(() => child.kill('SIGINT'), 1000);
  const code = await closed;
  clearTimeout(stillRunning);
  assert.is(code, 130, err);
  const doc = JSON.parse(out);
  assert.match(doc.interrupted, /^after \d+ of \d+ scenarios$/);
  const [, done, total] = doc.interrupted.match(/after (\d+) of (\d+)/).map(Number);
  assert.is(doc.scenarios.length, done);
  assert.ok(done >= 1 && done < total, doc.interrupted);
  for (const s of doc.scenarios) assert.equal(Object.keys(s.runs), doc.backends);
  assert.is(err, `pollmatrix: interrupted after ${done} of ${total} scenarios; the output holds those\n`);
});

test('Ctrl-C during a trace: the addon finishes its one call and the whole trace is printed', async () => {
  // acc with nothing pending blocks for the step timeout inside the addon.
  const child = spawn(process.execPath, ['--import', 'tsx', cliPath, 'trace', '--timeout', '2000', '-v', '-l', 'acc'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((resolve) => setTimeout(resolve, 1300));
  child.kill('SIGINT');
  await new Promise((resolve) => child.on('close', resolve));
  assert.equal(out.split('\n'), [
    '#### BEGIN ####',
    'cmd #1 stp #1: acc(l=3): timeout=2000ms (no connection pending: accept() would block)',
    '#### END ####',
    '',
  ]);
});

// `script` gives the command a terminal (a pty) for standard output and error.
const script = existsSync('/usr/bin/script') && process.platform === 'linux';
(script ? test : test.skip)(
  `on a real terminal of 100 columns: a progress bar on stderr (shown at once: POLLMATRIX_PROGRESS_AFTER_MS=0), and a table no wider than 100${script ? '' : ' (skipped: needs util-linux script on Linux)'}`,
  () => {
    const command = `stty cols 100; ${process.execPath} --import tsx ${cliPath} run --scenario 'seed-*' --repeat 10`;
    const got = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, TERM: 'xterm', POLLMATRIX_PROGRESS_AFTER_MS: '0' } });
    assert.is(got.status, 0, got.stderr);
    assert.match(got.stdout, /\r\u001b\[2K\[[#-]+\] \d+\/\d+ runs · 0:0\d · /, 'a progress bar was drawn');
    // eslint-disable-next-line no-control-regex
    const lines = got.stdout.replace(/\r\u001b\[2K[^\r\n]*/g, '').replace(/\u001b\[[0-9;]*m/g, '').split(/\r?\n/);
    assert.ok(lines.some((l) => l.includes('seed-connect-refused')));
    assert.ok(Math.max(...lines.map((l) => [...l].length)) <= 100);
    assert.match(got.stdout, /\u001b\[1;33m/, 'colour on a terminal');
  },
);

test.run();
