// Every interest bit on the real addon (native/backends/interest.h). On
// Linux each situation below is decided by the kernel before the step that
// asks returns (loopback delivers data, a FIN or an RST synchronously; a
// pipe's last writer closes at once), so the flags are asserted exactly, on
// every mechanism that has a bit of the same name: poll, the three epoll
// modes and io_uring. select and kqueue map a few bits and refuse the rest:
// the refusal is one line and exit 2 in `trace`, "not measured" with the
// reason in a run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { Runner } from '../../src/native/runner.js';
import { cli } from '../helpers.js';
import { packageRoot } from '../../src/model/package-root.js';

const binding = loadBinding();
const isLinux = process.platform === 'linux';
const onLinux = isLinux ? test : test.skip;
const why = isLinux ? '' : ' (skipped: the flags asserted are Linux kernel behaviour)';
const polBits = ['poll', 'epoll', 'epoll-et', 'epoll-oneshot', 'io_uring'].filter(
  (name) => binding.backends().find((b) => b.name === name)?.available,
);

/** The `pol` lines of a trace on `backend`, descriptor numbers included. */
function pols(backend: string, args: string[]): string[] {
  const got = cli(['trace', '--backend', backend, '-v', ...args], binding);
  assert.is(got.code, 0, got.err);
  return got.out.split('\n').filter((l) => l.includes(': pol('));
}

// [what, interest, steps, the pol lines on every mechanism with poll's or
// epoll's bits (the values are the same on Linux: EPOLLRDNORM == POLLRDNORM...),
// io_uring's where they differ]
const cases: Array<[string, string, string[], string[], string[]?]> = [
  // poll(2): POLLRDNORM "normal data may be read"; tcp(7) data is normal data.
  ['RDNORM only: data waiting', 'RDNORM', ['-s', 'snd', '-c', 'pol'], ['cmd #2 stp #1: pol(c=4): ret=1 ev=0x40 (RDNORM)']],
  // tcp_poll() sets EPOLLOUT | EPOLLWRNORM when there is room (net/ipv4/tcp.c).
  ['WRNORM only: a connected socket with room', 'WRNORM', ['-c', 'pol'], ['cmd #1 stp #1: pol(c=4): ret=1 ev=0x100 (WRNORM)']],
  // ... and never EPOLLWRBAND: "priority data may be written" is not a TCP state.
  ['WRBAND only: never set for TCP', 'WRBAND', ['-c', 'pol'], ['cmd #1 stp #1: pol(c=4): ret=0 ev=0 ']],
  // tcp(7) urgent data is POLLPRI on Linux, not POLLRDBAND (tcp_poll()).
  ['RDBAND only: urgent data is not band data on Linux', 'RDBAND', ['-c', 'oob', '-s', 'pol'], ['cmd #2 stp #1: pol(s=5): ret=0 ev=0 ']],
  // POLLMSG is unused by every socket family (poll(2): "Unused in Linux").
  ['MSG only: nothing, with data waiting', 'MSG', ['-s', 'snd', '-c', 'pol'], ['cmd #2 stp #1: pol(c=4): ret=0 ev=0 ']],
  // A refused nonblocking connect: POLLERR until SO_ERROR is read; HUP comes
  // unasked (poll(2): "ignored in events"). io_uring's poll adds EPOLLRDHUP to
  // what it reports unasked (IO_POLL_UNMASK, io_uring/poll.c).
  ['ERR only: a refused connect, then SO_ERROR read', 'ERR', ['-l', 'clo', '-c', 'nbc,pol,soe'], ['cmd #2 stp #2: pol(c=4): ret=1 ev=0x18 (ERR HUP)'], ['cmd #2 stp #2: pol(c=4): ret=1 ev=0x2018 (ERR HUP RDHUP)']],
  // pipe(7): "If all file descriptors referring to the write end of a pipe
  // have been closed ... the read end" reports POLLHUP.
  ['HUP only: a pipe whose writer is gone', 'HUP', ['--transport', 'pipe', '-w', 'clo', '-r', 'pol'], ['cmd #2 stp #1: pol(r=3): ret=1 ev=0x10 (HUP)']],
  ['RDHUP only: the peer shut its write side', 'RDHUP', ['-s', 'shw', '-c', 'pol'], ['cmd #2 stp #1: pol(c=4): ret=1 ev=0x2000 (RDHUP)']],
  // Asked for nothing: a shutdown in both directions still reports HUP (poll(2)).
  ["'' asks nothing: HUP still comes", '', ['-s', 'clo', '-c', 'shw,pol'], ['cmd #2 stp #2: pol(c=4): ret=1 ev=0x10 (HUP)'], ['cmd #2 stp #2: pol(c=4): ret=1 ev=0x2010 (HUP RDHUP)']],
];

for (const [name, interest, steps, expected, ioUring] of cases) {
  onLinux(`${name}: --interest '${interest}' ${steps.join(' ')} on ${polBits.join(', ')}${why}`, () => {
    for (const backend of polBits) {
      assert.equal(pols(backend, ['--interest', interest, ...steps]), backend === 'io_uring' && ioUring ? ioUring : expected, backend);
    }
  });
}

test('poll, epoll and io_uring ask every interest bit with a constant of its own', () => {
  const names = binding.interests().names;
  assert.equal(names, ['IN', 'OUT', 'PRI', 'RDHUP', 'RDNORM', 'RDBAND', 'WRNORM', 'WRBAND', 'MSG', 'ERR', 'HUP']);
  for (const backend of binding.backends().filter((b) => /^(poll|epoll|io_uring)/.test(b.name) && b.interest?.length)) {
    assert.equal(backend.interest!.map((m) => m.name), names, backend.name);
    for (const m of backend.interest!) assert.ok(m.asks !== null && m.asks.endsWith(m.name), `${backend.name} ${m.name}: ${m.asks}`);
  }
});

test('every compiled mechanism maps each interest bit, or refuses it with a reason', () => {
  const names = binding.interests().names;
  for (const backend of binding.backends().filter((b) => b.available)) {
    assert.equal(backend.interest!.map((m) => m.name), names, backend.name);
    for (const m of backend.interest!) {
      assert.ok(m.asks !== null || (m.note ?? '').includes(m.name), `${backend.name} ${m.name}: a refusal names the bit`);
    }
  }
});

test('select: RDNORM and WRNORM share IN\'s and OUT\'s sets and say so; RDHUP says it is not asked', () => {
  assert.equal(pols('select', ['--interest', 'RDNORM WRNORM', '-s', 'snd', '-c', 'pol']), [
    'cmd #2 stp #1: pol(c=4): ret=2 ev=0x3 (R W) [select asks readfds for RDNORM, the same set as IN; select asks writefds for WRNORM, the same set as OUT]',
  ]);
  assert.equal(pols('select', ['--interest', 'RDHUP', '-s', 'shw', '-c', 'pol']), [
    'cmd #2 stp #1: pol(c=4): ret=0 ev=0  [select has no set for RDHUP: not asked]',
  ]);
  // haproxy's default interest keeps its documented mapping, and its trace.
  assert.equal(pols('select', ['-s', 'shw', '-c', 'pol']), ['cmd #2 stp #1: pol(c=4): ret=2 ev=0x3 (R W)']);
});

for (const bit of ['RDBAND', 'WRBAND', 'MSG', 'ERR', 'HUP']) {
  test(`select refuses ${bit}: one line, exit 2, naming the bit, the step and the mechanism`, () => {
    const got = cli(['trace', '--backend', 'select', '--interest', `IN ${bit}`, '-v', '-c', 'snd', '-s', 'pol'], binding);
    assert.is(got.code, 2);
    assert.is(got.out, '');
    assert.is(got.err, `pollmatrix: trace: --interest 'IN ${bit}': ${bit} refused at cmd #2 stp #1 (pol on select): select has no set for ${bit}\n`);
  });
}

test('a run never drops a refused bit: the step is not measured, with the reason', () => {
  const runner = new Runner(binding);
  const run = runner.runCommands([{ side: 'c', actions: ['pol'], backend: 'select' }], { transport: 'tcp', interest: ['IN', 'RDBAND'] });
  const pol = run.steps.find((s) => s.action === 'pol')!;
  assert.is(pol.observation?.notMeasured, 'select has no set for RDBAND');
  assert.equal(run.leaked, []);
});

// The README's interest table (one row per bit, one column per mechanism)
// says what the addon's mappings say, for the mechanisms compiled here.
test("README's interest table has a row per bit that agrees with the addon's mapping", () => {
  const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const rows = new Map(
    [...readme.matchAll(/^\| `([A-Z]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2].split(' | ')] as const).filter(([, cells]) => cells.length === 4),
  );
  const names = binding.interests().names;
  assert.equal([...rows.keys()].filter((k) => names.includes(k)), names);
  const columns: Array<[string, number]> = [['poll', 0], ['io_uring', 0], ['epoll', 1], ['epoll-et', 1], ['select', 2]];
  for (const [backend, column] of columns) {
    const mapping = binding.backends().find((b) => b.name === backend)?.interest;
    if (!mapping?.length) continue;
    for (const m of mapping) {
      const cell = rows.get(m.name)![column];
      if (m.asks === null) assert.ok(cell.startsWith('refused'), `${backend} ${m.name}: ${cell}`);
      else if (m.asks === 'nothing') assert.ok(cell.includes('not asked'), `${backend} ${m.name}: ${cell}`);
      else assert.ok(cell.includes(m.asks), `${backend} ${m.name}: '${cell}' names ${m.asks}`);
      if (m.note && m.asks !== null) assert.ok(cell.includes('noted'), `${backend} ${m.name}: '${cell}' says the step notes it`);
    }
  }
});

test('pollmatrix backends --interest prints each backend\'s mapping of every bit, as the addon gives it', () => {
  const got = cli(['backends', '--interest'], binding);
  assert.is(got.code, 0, got.err);
  const blocks = new Map(got.out.trim().split('\n\n').map((block) => {
    const [name, ...rows] = block.split('\n');
    return [name, rows.map((r) => r.trim().split(/\s{2,}/))] as const;
  }));
  assert.equal([...blocks.keys()], binding.backends().map((b) => b.name));
  for (const backend of binding.backends()) {
    const rows = blocks.get(backend.name)!;
    if (!backend.interest?.length) {
      assert.match(rows[0][0], /^no mapping in this build: /);
      continue;
    }
    assert.equal(rows, backend.interest.map((m) => [m.name, m.asks ?? 'refused', ...(m.note ? [m.note] : [])]));
  }
  if (process.platform === 'linux') {
    assert.equal(blocks.get('select')!.find((r) => r[0] === 'HUP'), ['HUP', 'refused', 'select has no set for HUP']);
    assert.equal(blocks.get('poll')!.find((r) => r[0] === 'RDBAND'), ['RDBAND', 'POLLRDBAND']);
  }
});

test.run();
