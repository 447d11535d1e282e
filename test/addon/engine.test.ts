// The native engine's guarantees, on the real addon: bounded waits, where a
// scenario stops, closed endpoints, haproxy's positional -v/-e, no leaks.
import { readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding, type NativeCommand } from '../../src/native/binding.js';
import { Runner } from '../../src/native/runner.js';
import { cli } from '../helpers.js';
import { runWith } from '../runs.js';

const binding = loadBinding();
const runner = new Runner(binding);
const isLinux = process.platform === 'linux';
const onLinux = isLinux ? test : test.skip;

const cmd = (side: 'l' | 'c' | 's', actions: string, backend = 'poll'): NativeCommand => ({
  side,
  actions: actions.split(','),
  backend,
});

test('an accept with nothing pending ends after the timeout and says so', () => {
  const run = runner.runCommands([cmd('s', 'pol'), cmd('l', 'acc,pol')], { timeoutMs: 50 });
  const acc = run.steps.find((s) => s.action === 'acc' && !s.implicit);
  assert.ok(acc);
  assert.is(acc.timedOut, true);
  assert.is(acc.note, 'no connection pending: accept() would block');
  // The scenario goes on after the bounded step.
  assert.is(run.steps.at(-1)?.action, 'pol');
  assert.is(run.stopped, null);
});

test('a drain whose peer never closes ends after the timeout with what it got', () => {
  const run = runner.runCommands([cmd('s', 'snd'), cmd('c', 'drn,pol')], { timeoutMs: 50 });
  const drn = run.steps.find((s) => s.action === 'drn');
  assert.ok(drn);
  assert.is(drn.timedOut, true);
  assert.is(drn.ret, 3); // "foo" arrived, then nothing
  assert.is(drn.errno, null);
  const got = cli(['trace', '--timeout', '50', '-v', '-s', 'snd', '-c', 'drn'], binding);
  assert.match(got.out, /\ncmd #2 stp #1: drn\(c=\d+\): ret=3 timeout=50ms \(the peer never closed: recv\(\) would block\)\n/);
});

test('a drain of a closed peer returns the total, as haproxy counts it', () => {
  const run = runner.runCommands([cmd('s', 'snd,clo'), cmd('c', 'drn,drn')]);
  const [first, second] = run.steps.filter((s) => s.action === 'drn');
  assert.is(first.ret, 3);
  assert.is(first.errno, null);
  assert.is(second.ret, -1); // nothing received: haproxy's total stays -1
  assert.is(second.errno, null); // and recv() returned 0, not an error
});

test('a failed implicit accept stops the scenario there, like haproxy', () => {
  const run = runner.runCommands([cmd('l', 'clo'), cmd('s', 'pol'), cmd('c', 'pol')]);
  assert.equal(
    run.steps.map((s) => `${s.action}${s.implicit ? '*' : ''}`),
    ['clo', 'con*', 'acc*'],
  );
  assert.is(run.steps[2].errno?.name, 'EBADF');
  assert.match(run.stopped ?? '', /implicit accept\(\) before cmd #2 failed with EBADF/);
  const got = cli(['trace', '-v', '-l', 'clo', '-s', 'pol', '-c', 'pol'], binding);
  assert.is(got.code, 1);
  assert.not.match(got.out, /#### END ####/); // that tool exits before END too
  assert.is(got.err.trim().split('\n').length, 1);
  assert.match(got.err, /^pollmatrix: stopped: /);
});

onLinux('a closed endpoint whose number was reused reports a closed descriptor (Linux)', () => {
  // The client closes; the accept that follows gets the client's old number.
  const run = runner.runCommands([cmd('c', 'clo'), cmd('s', 'pol'), cmd('c', 'pol,clo')]);
  const acc = run.steps.find((s) => s.action === 'acc');
  const [sPol, cPol] = run.steps.filter((s) => s.action === 'pol');
  const cClo = run.steps.at(-1);
  assert.is(acc?.ret, 4); // the reuse really happened (private table: haproxy's numbers)
  assert.is(sPol.actedFd, 4);
  assert.is(cPol.endpointClosed, true);
  assert.is.not(cPol.actedFd, 4);
  assert.equal(cPol.names, ['NVAL']);
  assert.is(cClo?.errno?.name, 'EBADF'); // and the accepted socket was not closed
  assert.equal(run.leaked, []);
});

test('copies dup made are closed at the end, swapped in or not, used twice or not', () => {
  // Two dups on s (the first copy never swapped in), a swap on c whose
  // original stays held: every one of them must be closed by the engine.
  const run = runner.runCommands([cmd('s', 'dup,dup,pol'), cmd('c', 'dup,swp,pol')]);
  assert.equal(run.steps.filter((s) => s.action === 'dup').map((s) => s.ret > 0), [true, true, true]);
  assert.equal(run.leaked, []);
});

test('in a shared descriptor table a closed endpoint is acted on past RLIMIT_NOFILE', () => {
  const run = runner.binding.run({
    sharedTable: true,
    commands: [cmd('c', 'clo,pol,clo'), cmd('c', 'pol', 'select')],
  });
  assert.is(run.descriptorTable, 'shared');
  const [pol, clo, sel] = run.steps.slice(2);
  assert.is(pol.endpointClosed, true);
  assert.is.not(pol.actedFd, pol.fd); // never the endpoint's own number
  assert.is(pol.observation?.raw, 0x20); // POLLNVAL on Linux, macOS and the BSDs
  assert.is(clo.errno?.name, 'EBADF');
  // select() can take that number only below FD_SETSIZE: otherwise it says
  // so rather than inventing a result.
  if (sel.actedFd >= 1024) assert.match(sel.observation?.notMeasured ?? '', /outside select\(\)'s FD_SETSIZE/);
  else assert.is(sel.errno?.name, 'EBADF');
});

onLinux('each scenario gets its own descriptor table, numbered from 3 like haproxy', () => {
  const run = runner.runCommands([cmd('s', 'pol'), cmd('l', 'pol')]);
  assert.is(run.descriptorTable, 'private');
  assert.equal(
    run.steps.map((s) => `${s.action}(${s.side}=${s.fd})=${s.ret}`),
    ['con(c=4)=0', 'acc(l=3)=5', 'pol(s=5)=1', 'pol(l=3)=0'],
  );
});

onLinux('-v and -e act only on the commands after them, as in dev/poll/poll (epoll: Linux)', () => {
  const got = cli(['trace', '-c', 'pol', '-v', '-c', 'pol', '-e', '-c', 'pol'], binding);
  assert.is(got.code, 0);
  const lines = got.out.trimEnd().split('\n');
  assert.is(lines.length, 4);
  assert.match(lines[1], /^cmd #2 stp #1: pol\(c=4\): ret=1 ev=0x4 \(OUT\)$/);
  assert.match(lines[2], /^cmd #3 stp #1: pol\(c=4\): ret=1 ev=0x4 \(OUT\)$/);
  const json = JSON.parse(cli(['trace', '--json', '-c', 'pol', '-e', '-c', 'pol'], binding).out);
  assert.equal(
    json.steps.filter((s: { action: string }) => s.action === 'pol').map((s: { backend: string }) => s.backend),
    ['poll', 'epoll'],
  );
});

onLinux('epoll reports a failing epoll_ctl instead of hiding it (Linux)', () => {
  const run = runWith(runner, [{ side: 'c', actions: ['clo', 'pol'] }], 'epoll');
  const pol = run.steps.at(-1);
  assert.is(pol?.observation?.failedCall, 'epoll_ctl(EPOLL_CTL_ADD)');
  assert.is(pol?.errno?.name, 'EBADF');
});

test('sending to a peer that reset the connection fails and does not kill us', () => {
  const run = runWith(runner, [{ side: 's', actions: ['lin', 'clo'] }, { side: 'c', actions: ['snd', 'snd'] }], 'poll');
  const sends = run.steps.filter((s) => s.action === 'snd');
  // Still alive here: SIGPIPE did not kill the process. Both sends fail; on
  // Linux the first reports the RST and the next one EPIPE.
  assert.ok(sends.every((s) => s.ret === -1 && s.errno !== null));
  if (isLinux) assert.equal(sends.map((s) => s.errno?.name), ['ECONNRESET', 'EPIPE']);
});

const openDescriptors = () => readdirSync('/proc/self/fd').length;

onLinux('1,000 scenario runs leave no descriptor open', () => {
  const before = openDescriptors();
  const scenarios: NativeCommand[][] = [
    [cmd('c', 'snd,shw'), cmd('s', 'clo'), cmd('c', 'pol,rcv,pol')],
    [cmd('l', 'clo'), cmd('c', 'pol', 'epoll')],
    [cmd('s', 'snd,lin,clo'), cmd('c', 'pol,rcv,pol', 'select')],
    [cmd('l', 'clo'), cmd('s', 'pol')], // stops early
    [cmd('c', 'clo'), cmd('s', 'pol'), cmd('c', 'pol,clo', 'epoll')],
  ];
  for (let i = 0; i < 1000; i++) {
    const run = runner.runCommands(scenarios[i % scenarios.length], { timeoutMs: 20 });
    assert.equal(run.leaked, [], `run ${i} left descriptors open in its table`);
  }
  for (let i = 0; i < 50; i++) {
    const run = runner.binding.run({ sharedTable: true, commands: scenarios[i % scenarios.length], timeoutMs: 20 });
    assert.is(run.descriptorTable, 'shared');
  }
  assert.is(openDescriptors(), before);
});

test.run();
