// Decoding of kevents with tables built from the macOS, FreeBSD and NetBSD
// headers (fixtures/kqueue-tables.ts): the same bits and filter numbers read
// differently per system, and nothing is decoded from a list kept in src/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ErrnoInfo, Kevent } from '../../src/native/binding.js';
import { describeKevent, filterName, keventNames, keventTraceEv, kqueueTables } from '../../src/native/observations/kqueue.js';
import { EV, asFlagTables, bsdErrno, bsdErrnoName, freebsdTables, macosTables, netbsdTables } from '../fixtures/kqueue-tables.js';

const READ = -1;
const WRITE = -2;

const kevent = (filter: number, flags: number, data = 0, fflags = 0, extra: Partial<Kevent> = {}): Kevent => ({
  ident: 5,
  filter,
  flags,
  fflags,
  data,
  ...extra,
});

const errnoInfo = (name: string, number: number, message: string): ErrnoInfo => ({ name, number, message });

test('READ with EOF and the socket error in fflags: ECONNRESET (54 on macOS)', () => {
  const own = kevent(READ, EV.ADD | EV.EOF, 0, 54, {
    fflagsErrno: errnoInfo('ECONNRESET', 54, 'Connection reset by peer'),
  });
  assert.is(describeKevent(own, macosTables), 'READ[EOF data=0 fflags=ECONNRESET]');
  // A record without the addon's errno object: named by the caller's table...
  const bare = kevent(READ, EV.ADD | EV.EOF, 0, 54);
  assert.is(describeKevent(bare, macosTables, bsdErrnoName), 'READ[EOF data=0 fflags=ECONNRESET]');
  // ...or shown as hex when nobody can name it.
  assert.is(describeKevent(bare, macosTables), 'READ[EOF data=0 fflags=0x36]');
});

test("the kevent's own errno name wins over a lookup (numbers differ per OS)", () => {
  const k = kevent(READ, EV.ADD | EV.EOF, 0, 54, {
    fflagsErrno: errnoInfo('ECONNRESET', 54, 'Connection reset by peer'),
  });
  const linuxErrnoName = (n: number) => (n === 54 ? 'EXFULL' : null); // Linux's 54
  assert.is(describeKevent(k, macosTables, linuxErrnoName), 'READ[EOF data=0 fflags=ECONNRESET]');
  // An OS with no name for the number: the number, not another OS's name.
  const unnamed = kevent(WRITE, EV.ERROR, 200, 0, { dataErrno: { name: null, number: 200, message: 'Unknown error: 200' } });
  assert.is(describeKevent(unnamed, macosTables, linuxErrnoName), 'WRITE[ERROR data=200]');
});

test('WRITE with EOF: data is the space left, fflags 0 is not shown', () => {
  assert.is(describeKevent(kevent(WRITE, EV.ADD | EV.EOF, 8192), macosTables), 'WRITE[EOF data=8192]');
  assert.is(describeKevent(kevent(READ, EV.ADD, 3), macosTables), 'READ[data=3]');
});

test('a failed registration comes back as an EV_ERROR receipt: EBADF (9), EPIPE (32)', () => {
  // FreeBSD and older XNU overwrite flags with EV_ERROR ...
  const ebadf = kevent(WRITE, EV.ERROR, bsdErrno.EBADF, 0, { dataErrno: errnoInfo('EBADF', 9, 'Bad file descriptor') });
  assert.is(describeKevent(ebadf, freebsdTables), 'WRITE[ERROR data=EBADF]');
  // ... newer XNU keeps EV_ADD|EV_RECEIPT: the short form drops what the backend set.
  const epipe = kevent(READ, EV.ADD | EV.RECEIPT | EV.ERROR, bsdErrno.EPIPE, 0, {
    dataErrno: errnoInfo('EPIPE', 32, 'Broken pipe'),
  });
  assert.is(describeKevent(epipe, macosTables), 'READ[ERROR data=EPIPE]');
  assert.equal(keventNames(epipe, macosTables), ['ADD', 'RECEIPT', 'ERROR']);
  // Without the errno object: the caller's lookup, else the number.
  assert.is(describeKevent(kevent(READ, EV.ERROR, 32), macosTables, bsdErrnoName), 'READ[ERROR data=EPIPE]');
  assert.is(describeKevent(kevent(READ, EV.ERROR, 32), macosTables), 'READ[ERROR data=32]');
  // A successful receipt (data 0) is not an errno.
  assert.is(describeKevent(kevent(READ, EV.ADD | EV.RECEIPT | EV.ERROR, 0), macosTables, bsdErrnoName), 'READ[ERROR data=0]');
});

test("EV_OOBAND (0x2000) is named on macOS only; FreeBSD's 0x2000 is EV_FLAG1, unnamed", () => {
  assert.is(describeKevent(kevent(READ, EV.ADD | 0x2000, 1), macosTables), 'READ[OOBAND data=1]');
  assert.is(describeKevent(kevent(READ, EV.ADD | 0x2000, 1), freebsdTables), 'READ[???[0x2000] data=1]');
});

test('the EV_SYSFLAGS trap: 0x8000 decodes as EOF only, never as SYSFLAGS', () => {
  for (const tables of [macosTables, freebsdTables, netbsdTables]) {
    assert.equal(keventNames(kevent(READ, 0x8000), tables), ['EOF']);
    // The tables themselves hold single bits only (no 0xF000 mask) ...
    for (const [value, name] of tables.flags) assert.ok(value > 0 && (value & (value - 1)) === 0, `${name} ${value}`);
    // ... and no bit twice (FreeBSD's EV_FLAG2 is EV_ERROR's 0x4000).
    const values = tables.flags.map(([v]) => v);
    assert.is(new Set(values).size, values.length);
  }
  assert.is(describeKevent(kevent(WRITE, 0x8000 | EV.ADD | EV.DELETE, 0), macosTables), 'WRITE[DELETE EOF data=0]');
});

test('unknown flag bits print as ???[0x..] lowest first; unknown filters as ???[value]', () => {
  // 0x1000 is EV_FLAG0/EV_POLL on macOS: input-only, so it has no output name.
  assert.is(
    describeKevent(kevent(READ, EV.ADD | 0x1000 | EV.EOF, 0), macosTables),
    'READ[???[0x1000] EOF data=0]',
  );
  assert.equal(keventNames(kevent(READ, 0xc021), macosTables), ['ADD', 'CLEAR', 'ERROR', 'EOF']);
  assert.is(describeKevent(kevent(-99, EV.ADD, 0), macosTables), '???[-99][data=0]');
  assert.is(filterName(-99, freebsdTables), '???[-99]');
});

test("FreeBSD's values differ from macOS's: filter numbers and names", () => {
  assert.is(filterName(-8, macosTables), 'MACHPORT');
  assert.is(filterName(-8, freebsdTables), 'PROCDESC');
  assert.is(filterName(-10, macosTables), 'USER');
  assert.is(filterName(-11, freebsdTables), 'USER');
  assert.is(filterName(-11, macosTables), '???[-11]');
  assert.is(filterName(-15, macosTables), 'EXCEPT');
  assert.is(filterName(-15, freebsdTables), '???[-15]'); // FreeBSD has no EVFILT_EXCEPT
  // NetBSD numbers filters from 0: -1 means nothing there.
  assert.is(describeKevent(kevent(0, EV.ADD | EV.EOF, 0), netbsdTables), 'READ[EOF data=0]');
  assert.is(describeKevent(kevent(1, EV.ADD, 512), netbsdTables), 'WRITE[data=512]');
  assert.is(filterName(-1, netbsdTables), '???[-1]');
});

test('the trace ev= text: kevents joined by spaces, 0 for none', () => {
  const kevents = [
    kevent(READ, EV.ADD | EV.EOF, 0, 54, { fflagsErrno: errnoInfo('ECONNRESET', 54, 'Connection reset by peer') }),
    kevent(WRITE, EV.ADD | EV.EOF, 8192),
  ];
  assert.is(keventTraceEv(kevents, macosTables), 'READ[EOF data=0 fflags=ECONNRESET] WRITE[EOF data=8192]');
  assert.is(
    keventTraceEv([kevent(READ, EV.ERROR, 9), kevent(WRITE, EV.ERROR, 9)], freebsdTables, bsdErrnoName),
    'READ[ERROR data=EBADF] WRITE[ERROR data=EBADF]',
  );
  assert.is(keventTraceEv([], macosTables), '0');
  assert.is(keventTraceEv(undefined, macosTables), '0');
});

test('kqueueTables() takes the two tables out of flagTables(), or nothing', () => {
  assert.equal(kqueueTables(asFlagTables(macosTables)), macosTables);
  assert.is(kqueueTables({ poll: [[0x1, 'IN']], epoll: [[0x1, 'IN']] }), undefined);
});

test.run();
