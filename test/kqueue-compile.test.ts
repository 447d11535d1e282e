// native/backend_kqueue.cc cannot run on Linux, so it is held to its headers
// here: it must compile, warning-free, against a stand-in <sys/event.h>
// (test/kq-compile/sys/event.h) carrying the macOS, FreeBSD, OpenBSD, NetBSD
// and old-DragonFly values and field types; and, linked to a fake
// kqueue()/kevent() (test/kq-compile/harness.cc), it must register, observe
// and delete as its contract says.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packageRoot } from '../src/binding.js';
import { freebsdTables, macosTables, netbsdTables } from './fixtures/kqueue-tables.js';
import type { KqueueTables } from '../src/kqueue.js';

// On macOS and the BSDs the real <sys/event.h> is there and the addon build
// compiles the real thing; the stand-in would clash with the system headers.
const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' });
const haveGxx = gxx.status === 0 && process.platform === 'linux';
const check = haveGxx ? test : test.skip;
const why = haveGxx ? '' : ' (skipped: needs Linux and g++; elsewhere the real header is compiled)';

const napiDir = path.dirname(createRequire(import.meta.url).resolve('node-addon-api/package.json'));
const fakeDir = path.join(packageRoot, 'test', 'kq-compile');
const flags = ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-I', fakeDir, '-I', path.join(packageRoot, 'native')];
const flagsWithNapi = [...flags, '-I', napiDir, '-DHAVE_KQUEUE'];

interface Variant {
  macro: string;
  label: string;
  tables?: KqueueTables;
}

const variants: Variant[] = [
  { macro: 'PM_FAKE_MACOS', label: 'macOS (XNU)', tables: macosTables },
  { macro: 'PM_FAKE_FREEBSD', label: 'FreeBSD 14/15', tables: freebsdTables },
  { macro: 'PM_FAKE_OPENBSD', label: 'OpenBSD' },
  { macro: 'PM_FAKE_NETBSD', label: 'NetBSD', tables: netbsdTables },
  { macro: 'PM_FAKE_DRAGONFLY_OLD', label: 'DragonFly without EV_RECEIPT' },
];

function gxxRun(args: string[]): void {
  const r = spawnSync('g++', args, { cwd: packageRoot, encoding: 'utf8' });
  if (r.status !== 0) assert.unreachable(`g++ ${args.join(' ')}\n${r.stderr}${r.error ?? ''}`);
}

for (const v of variants) {
  check(`backend_kqueue.cc and registry.cc compile with -Wall -Wextra -Werror against ${v.label} values${why}`, () => {
    gxxRun([...flagsWithNapi, `-D${v.macro}`, '-fsyntax-only', 'native/backend_kqueue.cc', 'native/registry.cc']);
  });
}

// The harness, built once per variant that runs.
let buildDir: string | undefined;
const built = new Map<string, string>();

function harness(v: Variant): string {
  let exe = built.get(v.macro);
  if (!exe) {
    buildDir ??= mkdtempSync(path.join(tmpdir(), 'pollmatrix-kq-'));
    exe = path.join(buildDir, `harness-${v.macro}`);
    gxxRun([...flags, '-DHAVE_KQUEUE', `-D${v.macro}`, 'native/backend_kqueue.cc', 'test/kq-compile/harness.cc', '-o', exe]);
    built.set(v.macro, exe);
  }
  return exe;
}

interface Change {
  ident: number;
  filter: number;
  flags: number;
}

interface HarnessKevent {
  ident: number;
  filter: number;
  flags: number;
  fflags: number;
  data: number;
  fflagsIsErrno: boolean;
  dataIsErrno: boolean;
}

interface HarnessObservation {
  ret: number;
  err: number;
  failedCall: string | null;
  raw: number;
  notMeasured: string;
  kevents: HarnessKevent[];
}

interface HarnessReport {
  cleanBetween: boolean;
  unavailable: string | null;
  probeClosed: boolean;
  kqueueCallsAtOpen: number;
  kqClosed: boolean;
  receipt: boolean;
  constants: {
    EV_ADD: number;
    EV_DELETE: number;
    EV_RECEIPT: number;
    EV_ERROR: number;
    EV_EOF: number;
    EVFILT_READ: number;
    EVFILT_WRITE: number;
  };
  flags: Array<[number, string]>;
  filters: Array<[number, string]>;
  observations: HarnessObservation[];
  calls: Array<{ changes: Change[]; nevents: number; timeout: string; ret: number }>;
}

function run(v: Variant, scenario: string): HarnessReport {
  const r = spawnSync(harness(v), [scenario], { encoding: 'utf8' });
  if (r.status !== 0) assert.unreachable(`harness ${scenario} exited ${r.status}\n${r.stderr}`);
  return JSON.parse(r.stdout) as HarnessReport;
}

const macos = variants[0];
const noReceipt = variants[4];
const E = constants.errno; // the harness runs on Linux: Linux's numbers

const bothFilters = (c: HarnessReport['constants'], flags: number): Change[] => [
  { ident: 7, filter: c.EVFILT_READ, flags },
  { ident: 7, filter: c.EVFILT_WRITE, flags },
];

for (const v of variants.filter((x) => x.tables)) {
  check(`the flag and filter tables built from the ${v.label} header are the fixture tables${why}`, () => {
    const report = run(v, 'events');
    assert.equal(report.flags, v.tables?.flags);
    assert.equal(report.filters, v.tables?.filters);
  });
}

check(`one pol: EV_ADD|EV_RECEIPT both filters, one kevent() for 8 events, EV_DELETE both; timeout 0 throughout${why}`, () => {
  const report = run(macos, 'events');
  const c = report.constants;
  assert.is(report.receipt, true);
  assert.equal(
    report.calls.slice(0, 3).map((call) => ({ ...call, ret: undefined })),
    [
      { changes: bothFilters(c, c.EV_ADD | c.EV_RECEIPT), nevents: 2, timeout: 'zero', ret: undefined },
      { changes: [], nevents: 8, timeout: 'zero', ret: undefined },
      { changes: bothFilters(c, c.EV_DELETE | c.EV_RECEIPT), nevents: 2, timeout: 'zero', ret: undefined },
    ],
  );
  const [first, second] = report.observations;
  assert.is(first.ret, 2);
  assert.is(first.err, 0);
  assert.is(first.failedCall, null);
  assert.is(first.raw, 0);
  assert.equal(first.kevents, [
    { ident: 7, filter: c.EVFILT_READ, flags: c.EV_ADD | c.EV_EOF, fflags: E.ECONNRESET, data: 0, fflagsIsErrno: true, dataIsErrno: false },
    { ident: 7, filter: c.EVFILT_WRITE, flags: c.EV_ADD | c.EV_EOF, fflags: 0, data: 8192, fflagsIsErrno: false, dataIsErrno: false },
  ]);
  // Every pol starts fresh: nothing registered in between, the same result again.
  assert.is(report.cleanBetween, true);
  assert.equal(second, first);
  assert.is(report.calls.length, 6);
});

check(`the kqueue descriptor: made once at the first pol, closed by the observer; the probe closes its own${why}`, () => {
  const report = run(macos, 'events');
  assert.is(report.unavailable, null);
  assert.is(report.probeClosed, true);
  assert.is(report.kqueueCallsAtOpen, 1);
  assert.is(report.kqClosed, true);
});

check(`failed registrations are part of the observation: receipts kept with EV_ERROR and data = errno${why}`, () => {
  const report = run(macos, 'receipt-errors');
  const c = report.constants;
  const [obs] = report.observations;
  assert.is(obs.ret, 0); // the observing kevent() found nothing registered
  assert.is(obs.failedCall, null);
  assert.equal(obs.kevents, [
    { ident: 7, filter: c.EVFILT_READ, flags: c.EV_ERROR, fflags: 0, data: E.EBADF, fflagsIsErrno: false, dataIsErrno: true },
    { ident: 7, filter: c.EVFILT_WRITE, flags: c.EV_ERROR, fflags: 0, data: E.EPIPE, fflagsIsErrno: false, dataIsErrno: true },
  ]);
  // XNU since 2017 ORs EV_ERROR into the change's flags: kept unreduced.
  const xnu = run(macos, 'receipt-errors-xnu').observations[0];
  assert.equal(
    xnu.kevents.map((k) => k.flags),
    [c.EV_ADD | c.EV_RECEIPT | c.EV_ERROR, c.EV_ADD | c.EV_RECEIPT | c.EV_ERROR],
  );
});

check(`one filter refused (EPIPE, mio#582), the other reports: receipt first, then the event${why}`, () => {
  const report = run(macos, 'one-filter-fails');
  const c = report.constants;
  const [obs] = report.observations;
  assert.is(obs.ret, 1);
  assert.equal(
    obs.kevents.map((k) => [k.filter, k.flags, k.data]),
    [
      [c.EVFILT_WRITE, c.EV_ERROR, E.EPIPE],
      [c.EVFILT_READ, c.EV_ADD | c.EV_EOF, 0],
    ],
  );
});

check(`a registering kevent() that fails: ret -1, failedCall kevent(EV_ADD), no observing call, filters deleted${why}`, () => {
  const report = run(macos, 'add-call-fails');
  const c = report.constants;
  const [obs] = report.observations;
  assert.equal([obs.ret, obs.err, obs.failedCall, obs.kevents], [-1, E.ENOMEM, 'kevent(EV_ADD)', []]);
  assert.equal(
    report.calls.slice(0, 2).map((call) => call.changes[0]?.flags),
    [c.EV_ADD | c.EV_RECEIPT, c.EV_DELETE | c.EV_RECEIPT],
  );
});

check(`a failed EV_DELETE (not ENOENT/EBADF) is reported as failedCall kevent(EV_DELETE)${why}`, () => {
  const [obs] = run(macos, 'delete-fails').observations;
  assert.equal([obs.ret, obs.err, obs.failedCall], [-1, E.EINVAL, 'kevent(EV_DELETE)']);
  assert.is(obs.kevents.length, 1); // what was observed is kept
});

check(`kqueue() failing at the first pol: ret -1, failedCall kqueue, no kevent() call${why}`, () => {
  const report = run(macos, 'kqueue-fails');
  const [obs] = report.observations;
  assert.equal([obs.ret, obs.err, obs.failedCall], [-1, E.EMFILE, 'kqueue']);
  assert.is(report.calls.length, 0);
});

check(`without EV_RECEIPT: errors still come back in the eventlist; events are reported once${why}`, () => {
  const events = run(noReceipt, 'events');
  const c = events.constants;
  assert.is(events.receipt, false);
  assert.equal(events.calls[0].changes, bothFilters(c, c.EV_ADD));
  assert.is(events.calls[0].timeout, 'zero'); // the registering call may collect events: never block
  assert.is(events.observations[0].ret, 2);
  assert.is(events.observations[0].kevents.length, 2);
  const errors = run(noReceipt, 'receipt-errors').observations[0];
  assert.equal(
    errors.kevents.map((k) => [k.filter, k.flags, k.data]),
    [
      [c.EVFILT_READ, c.EV_ERROR, E.EBADF],
      [c.EVFILT_WRITE, c.EV_ERROR, E.EPIPE],
    ],
  );
});

check(`NetBSD's unsigned filters (EVFILT_READ 0U) come through as 0 and 1${why}`, () => {
  const report = run(variants[3], 'events');
  assert.equal(
    report.observations[0].kevents.map((k) => k.filter),
    [0, 1],
  );
});

test.after(() => {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

test.run();
