// The TypeScript side against a fake addon: decoding, trace lines, matrix
// cells and rows, the table. No sockets are opened here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeMask, hex } from '../../src/native/observations/flags.js';
import { buildMatrix, cellText } from '../../src/present/matrix.js';
import { parseCatalogueFile } from '../../src/model/catalogue.js';
import { renderTable } from '../../src/present/render/table.js';
import { Runner } from '../../src/native/runner.js';
import { traceLine } from '../../src/present/trace.js';
import { fakeBinding, fakeDocument } from '../fake-binding.js';
import { cli } from '../helpers.js';
import { macosTables } from '../fixtures/kqueue-tables.js';
import { normalisedText } from '../../src/present/normalise.js';
import { polSteps } from '../../src/model/steps.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';
import { runWith } from '../runs.js';

const table: Array<[number, string]> = [[0x1, 'IN'], [0x4, 'OUT'], [0x10, 'HUP'], [0x2000, 'RDHUP']];

test('hex() prints like C %#x', () => {
  assert.is(hex(0), '0');
  assert.is(hex(0x2015), '0x2015');
  assert.is(hex(0x80000000), '0x80000000');
});

test('decodeMask() names bits lowest first and keeps unknown bits as ???[hex]', () => {
  assert.equal(decodeMask(table, 0x2015), ['IN', 'OUT', 'HUP', 'RDHUP']);
  assert.equal(decodeMask(table, 0x40 | 0x4), ['OUT', '???[0x40]']);
  assert.equal(decodeMask(table, 0x80000000), ['???[0x80000000]']);
  assert.equal(decodeMask(table, 0), []);
});

const scenarios = parseCatalogueFile(
  {
    scenarios: [
      { id: 'one', title: 't', shows: 's', transport: 'tcp', steps: '-l clo -c pol' },
      { id: 'two', title: 't', shows: 's', transport: 'tcp', steps: '-c pol,rcv -s pol -c pol' },
    ],
  },
  'inline.json',
  vocabularyOf(fakeBinding()),
);

test('polSteps() labels each pol by endpoint and rank', () => {
  assert.equal(polSteps(scenarios[1].commands), [
    { cmd: 1, stp: 1, step: 'c:pol#1' },
    { cmd: 2, stp: 1, step: 's:pol#1' },
    { cmd: 3, stp: 1, step: 'c:pol#2' },
  ]);
});

test('the runner decodes each pol with its own backend table', () => {
  const binding = fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x14 }], select: [{ ret: 2, raw: 0x3 }] } });
  const runner = new Runner(binding);
  const viaPoll = runWith(runner, scenarios[0].commands, 'poll').steps.at(-1);
  const viaSelect = runWith(runner, scenarios[0].commands, 'select').steps.at(-1);
  assert.equal(viaPoll?.names, ['OUT', 'HUP']);
  assert.is(viaPoll?.rawHex, '0x14');
  assert.equal(viaSelect?.names, ['R', 'W']);
  assert.equal(binding.calls[0].commands.map((c) => c.backend), ['poll', 'poll']);
});

test('trace lines follow haproxy byte for byte, with our additions marked', () => {
  const binding = fakeBinding({
    pol: { poll: [{ ret: 1, raw: 0x2015 }, { ret: 0, raw: 0 }, { ret: -1, raw: 0, failedCall: 'epoll_ctl(EPOLL_CTL_ADD)', errno: 'EBADF' }, { notMeasured: 'no reason' }] },
  });
  const run = runWith(new Runner(binding), [{ side: 'c', actions: ['pol', 'pol', 'pol', 'pol'] }], 'poll');
  assert.equal(
    run.steps.map((s) => traceLine(s, 1000)),
    [
      'cmd #1 stp #1: pol(c=4): ret=1 ev=0x2015 (IN OUT HUP RDHUP)',
      'cmd #1 stp #2: pol(c=4): ret=0 ev=0 ', // haproxy leaves this trailing space
      'cmd #1 stp #3: pol(c=4): ret=-1 (Bad file descriptor) ev=0  [epoll_ctl(EPOLL_CTL_ADD) failed]',
      'cmd #1 stp #4: pol(c=4): not measured (no reason)',
    ],
  );
});

test('a timed-out step says so instead of pretending to be a syscall result', () => {
  const binding = fakeBinding({
    patch: {
      0: { timedOut: true, ret: -1, note: 'no connection pending: accept() would block' },
      1: { timedOut: true, ret: 3, note: 'the peer never closed: recv() would block' },
    },
  });
  const run = runWith(new Runner(binding), [{ side: 'l', actions: ['acc', 'drn'] }], 'poll');
  assert.equal(run.steps.map((s) => traceLine(s, 250)), [
    'cmd #1 stp #1: acc(l=3): timeout=250ms (no connection pending: accept() would block)',
    'cmd #1 stp #2: drn(l=3): ret=3 timeout=250ms (the peer never closed: recv() would block)',
  ]);
});

test('cells: flags, nothing, errno, failed call, not measured, not reached', () => {
  const binding = fakeBinding({
    pol: { poll: [{ ret: 1, raw: 0x14 }, { ret: 0 }, { ret: -1, errno: 'EBADF' }, { ret: -1, failedCall: 'epoll_ctl(EPOLL_CTL_ADD)', errno: 'EBADF' }, { notMeasured: 'x' }] },
  });
  const steps = runWith(new Runner(binding), [{ side: 'c', actions: ['pol', 'pol', 'pol', 'pol', 'pol'] }], 'poll').steps;
  assert.equal(steps.map((s) => cellText(s)), ['OUT HUP', '-', 'EBADF', 'epoll_ctl EBADF', 'not measured']);
  assert.is(cellText(steps[0], true), '0x14 OUT HUP');
  assert.is(cellText(undefined), 'not reached');
});

test('the matrix has one row per pol step and one column per backend', () => {
  const binding = fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x14 }], epoll: [{ ret: 1, raw: 0x10 }] } });
  const document = fakeDocument(binding, [scenarios[0]], ['poll', 'epoll']);
  const matrix = buildMatrix([document]);
  assert.equal(matrix.columns.map((c) => c.label), ['poll', 'epoll']);
  assert.equal(
    matrix.rows.map((r) => [r.scenario.id, r.step, r.cells.map((c) => c.text)]),
    [['one', 'c:pol#1', ['OUT HUP', 'HUP']]],
  );
  // poll says writable, epoll does not: both cells differ (two columns).
  assert.equal(matrix.rows[0].cells.map((c) => c.differs), [true, true]);
  const text = renderTable([document], matrix, false);
  assert.match(text, /│ c:pol#1 │ OUT HUP \* │ HUP \* ║/);
  assert.match(text, /\n\*: differs from the other mechanisms in its row \(normalised view\)\n$/);
});

test('`pollmatrix` with no arguments prints platform facts and the table', () => {
  const binding = fakeBinding();
  const got = cli([], binding);
  assert.is(got.code, 0, got.err);
  const [facts] = got.out.split('\n');
  assert.match(facts, /pollmatrix \d+\.\d+\.\d+/);
  assert.match(facts, /descriptor table: private/);
  assert.match(got.out, /║ scenario +│ step +│ poll +│ epoll +│ select +║/); // kqueue is unavailable
  // every catalogue scenario ran through each available backend
  assert.equal(new Set(binding.calls.map((c) => c.commands[0].backend)), new Set(['poll', 'epoll', 'select']));
});

test('run --backend and --scenario narrow the matrix', () => {
  const binding = fakeBinding();
  const got = cli(['run', '--backend', 'epoll', '--scenario', 'seed-connect-*'], binding);
  assert.is(got.code, 0, got.err);
  assert.is(binding.calls.length, 3); // one scenario, one backend, --repeat's default 3 runs
  assert.match(got.out, /seed-connect-refused/);
  assert.not.match(got.out, /seed-accept-close/);
});

test('kqueue steps: trace ev= text, cells and the normalised view (macOS tables)', () => {
  const eof = { ident: 4, filter: -1, flags: 0x8001, fflags: 54, data: 0, fflagsErrno: { name: 'ECONNRESET', number: 54, message: 'Connection reset by peer' } };
  const weof = { ident: 4, filter: -2, flags: 0x8001, fflags: 0, data: 8192 };
  const bad = { ident: 9, filter: -1, flags: 0x4041, fflags: 0, data: 9, dataErrno: { name: 'EBADF', number: 9, message: 'Bad file descriptor' } };
  const binding = fakeBinding({
    kqueue: macosTables,
    pol: { kqueue: [{ ret: 2, kevents: [eof, weof] }, { ret: 0, kevents: [bad, { ...bad, filter: -2 }] }, { ret: 0, kevents: [] }] },
  });
  const steps = runWith(new Runner(binding), [{ side: 'c', actions: ['pol', 'pol', 'pol'] }], 'kqueue').steps;
  assert.equal(steps.map((s) => traceLine(s, 1000)), [
    'cmd #1 stp #1: pol(c=4): ret=2 ev=READ[EOF data=0 fflags=ECONNRESET] WRITE[EOF data=8192]',
    'cmd #1 stp #2: pol(c=4): ret=0 ev=READ[ERROR data=EBADF] WRITE[ERROR data=EBADF]',
    'cmd #1 stp #3: pol(c=4): ret=0 ev=0',
  ]);
  assert.equal(steps.map((s) => cellText(s)), ['READ EOF(ECONNRESET), WRITE EOF', 'READ ERROR(EBADF), WRITE ERROR(EBADF)', '-']);
  assert.is(cellText(steps[0], true), 'READ[EOF data=0 fflags=ECONNRESET] WRITE[EOF data=8192]');
  assert.equal(steps[0].kevents?.[0], { filter: 'READ', flags: ['ADD', 'EOF'], fflags: 54, data: 0, errorName: 'ECONNRESET' });
  assert.equal(steps.map((s) => normalisedText(s)), ['readable writable read-closed hangup error', 'invalid', '-']);
});

test.run();
