// io_uring's IORING_OP_POLL_ADD on the real addon (native/backends/io_uring.cc).
// Its completion is a poll(2) revents mask, so every seed trace must read
// exactly as poll's. Nothing ready, a closed descriptor, the removal of an
// armed request and leaks are held to the backend's contract.
import { readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding, type NativeCommand } from '../../src/native/binding.js';
import { Runner } from '../../src/native/runner.js';
import { cli, seedTraces } from '../helpers.js';

const binding = loadBinding();
const runner = new Runner(binding);
const backend = binding.backends().find((b) => b.name === 'io_uring');
const why =
  process.platform !== 'linux'
    ? 'io_uring is Linux-only'
    : !backend?.available
      ? (backend?.reason ?? 'the addon lists no io_uring backend')
      : undefined;
const check = why === undefined ? test : test.skip;
const skipped = why === undefined ? '' : ` (skipped: ${why})`;

const cmd = (side: 'l' | 'c' | 's', actions: string, name = 'io_uring'): NativeCommand => ({
  side,
  actions: actions.split(','),
  backend: name,
});

const polLines = (out: string) => out.split('\n').filter((l) => l.includes(': pol('));

test('the registry lists io_uring and its two modes between the epoll modes and kqueue', () => {
  const names = binding.backends().map((b) => b.name);
  const at = names.indexOf('io_uring');
  assert.ok(at > 0, names.join(' '));
  assert.is(names[at - 1], 'epoll-oneshot');
  assert.equal(names.slice(at + 1, at + 4), ['io_uring-multishot', 'io_uring-level', 'kqueue']);
  if (backend && !backend.available) assert.ok(backend.reason, 'an unavailable backend says why');
});

check(`io_uring decodes with the poll table: one POLL* list, not two${skipped}`, () => {
  const tables = binding.flagTables();
  assert.equal(tables.io_uring, tables.poll);
});

for (const trace of seedTraces()) {
  check(`trace ${trace.args.join(' ')}: io_uring's pol lines are poll's${skipped}`, () => {
    const polled = cli(['trace', ...trace.args], binding);
    const got = cli(['trace', '--backend', 'io_uring', ...trace.args], binding);
    assert.is(got.code, 0, got.err);
    assert.ok(polLines(polled.out).length > 0);
    assert.equal(polLines(got.out), polLines(polled.out));
  });
}

check(`an idle connected socket is OUT only; a listener with nothing pending is ret=0${skipped}`, () => {
  const idle = runner.runCommands([cmd('c', 'pol')]).steps.at(-1);
  assert.is(idle?.ret, 1);
  assert.equal(idle?.names, ['OUT']);
  const quiet = runner.runCommands([cmd('l', 'pol')]).steps.at(-1);
  assert.is(quiet?.ret, 0);
  assert.is(quiet?.observation?.raw, 0);
  assert.is(quiet?.errno, null);
  assert.is(quiet?.observation?.failedCall, undefined);
  const got = cli(['trace', '-v', '--backend', 'io_uring', '-l', 'pol'], binding);
  assert.equal(polLines(got.out), ['cmd #1 stp #1: pol(l=3): ret=0 ev=0 ']);
});

check(`a pol with nothing ready leaves the ring clean for the next one${skipped}`, () => {
  // Removed (nothing pending), then OUT, then IN once a connection waits.
  const run = runner.runCommands([cmd('l', 'pol'), cmd('c', 'pol'), cmd('l', 'pol')]);
  const pols = run.steps.filter((s) => s.action === 'pol');
  assert.equal(
    pols.map((s) => [s.ret, s.names]),
    [
      [0, []],
      [1, ['OUT']],
      [1, ['IN']],
    ],
  );
});

check(`a removed poll does not keep its socket open: clo still closes the listener${skipped}`, () => {
  // An armed POLL_ADD holds a reference to the file; if it outlived the
  // step, `clo` would not close the listener and the connect would succeed.
  const got = cli(['trace', '-v', '--backend', 'io_uring', '-l', 'pol,clo', '-c', 'pol'], binding);
  assert.is(got.code, 0, got.err);
  const lines = got.out.trimEnd().split('\n');
  assert.match(lines.find((l) => l.includes(': con(')) ?? '', /: ret=-1 \(Connection refused\)$/);
  assert.match(polLines(got.out)[1], /: pol\(c=4\): ret=1 ev=0x14 \(OUT HUP\)$/);
});

check(`a pol on a closed endpoint is ret=-1 EBADF, from the poll's own completion${skipped}`, () => {
  const pol = runner.runCommands([cmd('c', 'clo,pol')]).steps.at(-1);
  assert.is(pol?.endpointClosed, true);
  assert.is(pol?.ret, -1);
  assert.is(pol?.errno?.name, 'EBADF');
  assert.is(pol?.observation?.failedCall, undefined); // not a failed io_uring_enter
});

const openDescriptors = () => readdirSync('/proc/self/fd').length;

check(`1,000 io_uring runs leave no descriptor open${skipped}`, () => {
  const before = openDescriptors();
  const scenarios: NativeCommand[][] = [
    [cmd('c', 'snd,shw'), cmd('s', 'clo'), cmd('c', 'pol,rcv,pol')],
    [cmd('l', 'pol,pol')], // nothing ready: add and remove, twice
    [cmd('c', 'clo,pol')], // EBADF
    [cmd('s', 'snd,lin,clo'), cmd('c', 'pol,rcv,pol')],
    [cmd('l', 'pol', 'io_uring'), cmd('c', 'pol', 'epoll'), cmd('l', 'pol')],
    [cmd('l', 'clo'), cmd('s', 'pol')], // stops early, before any pol
  ];
  for (let i = 0; i < 1000; i++) {
    const run = runner.runCommands(scenarios[i % scenarios.length], { timeoutMs: 20 });
    assert.equal(run.leaked, [], `run ${i} left descriptors open in its table`);
    assert.ok(
      run.steps.every((s) => s.observation?.failedCall === undefined),
      `run ${i}: ${JSON.stringify(run.steps.find((s) => s.observation?.failedCall))}`,
    );
  }
  for (let i = 0; i < 50; i++) {
    const run = binding.run({ sharedTable: true, commands: scenarios[i % scenarios.length], timeoutMs: 20 });
    assert.is(run.descriptorTable, 'shared');
  }
  assert.is(openDescriptors(), before);
});

test.run();
