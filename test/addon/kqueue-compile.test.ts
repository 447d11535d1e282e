// native/backends/kqueue.cc cannot run on Linux, so it is held to its
// headers here: they must compile, warning-free,
// against a stand-in <sys/event.h> (test/kq-compile/sys/event.h) carrying the
// macOS, FreeBSD, OpenBSD, NetBSD and old-DragonFly values and field types;
// and, linked with the real list (backends/list.cc) to a fake kqueue()/kevent()
// (test/kq-compile/harness.cc), its four backends must register, observe,
// re-arm and delete as their contracts say.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freebsdTables, macosTables, netbsdTables } from '../fixtures/kqueue-tables.js';
import type { KqueueTables } from '../../src/native/observations/kqueue.js';
import { packageRoot } from '../../src/model/package-root.js';
import type { InterestMapping } from '../../src/model/observed.js';
import { fakeBinding } from '../fake-binding.js';
import { cli } from '../helpers.js';
import { LONG_TESTS } from '../long.js';
import { cacheDir, makeCacheDir } from '../cache.js';

// On macOS and the BSDs the real <sys/event.h> is there and the addon build
// compiles the real thing; the stand-in would clash with the system headers.
const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' });
const haveGxx = gxx.status === 0 && process.platform === 'linux';
const check = haveGxx ? test : test.skip;
const why = haveGxx ? '' : ' (skipped: needs Linux and g++; elsewhere the real header is compiled)';

const fakeDir = path.join(packageRoot, 'test', 'kq-compile');
// native/ itself is never on the include path: its limits.h would stand in
// for the system's <limits.h>. Native sources include each other by relative
// path, and so does the harness.
const flags = ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-I', fakeDir];

interface Variant {
  macro: string;
  label: string;
  tables?: KqueueTables;
  /** What the real system's compiler defines and the stand-in cannot:
   * NetBSD's __NetBSD__ selects kqueue1() (native/backends/kqueue.h). */
  defines?: string[];
  /** The call that makes the kqueue there (native/backends/kqueue.h). */
  creates: string;
}

const variants: Variant[] = [
  { macro: 'PM_FAKE_MACOS', label: 'macOS (XNU)', tables: macosTables, creates: 'kqueue' },
  { macro: 'PM_FAKE_FREEBSD', label: 'FreeBSD 14/15', tables: freebsdTables, creates: 'kqueuex' },
  { macro: 'PM_FAKE_OPENBSD', label: 'OpenBSD', creates: 'kqueue' },
  { macro: 'PM_FAKE_NETBSD', label: 'NetBSD', tables: netbsdTables, defines: ['-DPM_KQUEUE1'], creates: 'kqueue1' },
  { macro: 'PM_FAKE_DRAGONFLY_OLD', label: 'DragonFly without EV_RECEIPT', creates: 'kqueue' },
];
// The real list finds the backends by name; it needs poll and select.
const harnessSources = [
  'native/backends/kqueue.cc',
  'native/backends/list.cc',
  'native/backends/backend.cc',
  'native/os/errnos.cc',
  'native/os/host.cc',
  'native/backends/poll.cc',
  'native/backends/select.cc',
  'test/kq-compile/harness.cc',
];

// Every variant's harness is built at once, in parallel (g++ per variant);
// the build is the compile check: the backends and the real list.cc,
// with -Wall -Wextra -Werror against that variant's header.
//
// A harness that built is kept in a cache folder named by a hash of all that
// goes into it: every native source and header (native/source-hash.cjs),
// test/kq-compile/, the flags and g++'s version. The same inputs compiled
// warning-free before, so a tree whose native code has not changed reuses
// them (about 10 CPU-seconds saved); under POLLMATRIX_LONG_TESTS=1 (CI) every
// harness is built afresh.
const { nativeSourceHash } = createRequire(import.meta.url)('../../native/source-hash.cjs') as { nativeSourceHash: (root: string) => string };

function harnessKey(): string {
  const hash = createHash('sha256').update(nativeSourceHash(packageRoot)).update(gxx.stdout ?? '');
  hash.update(JSON.stringify({ flags, harnessSources, variants: variants.map((v) => [v.macro, v.defines ?? []]) }));
  for (const f of (readdirSync(fakeDir, { recursive: true }) as string[]).sort()) {
    const file = path.join(fakeDir, f);
    if (/\.(cc|h)$/.test(f)) hash.update(`${f}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

const harnessCache = haveGxx ? cacheDir('kq-harness', harnessKey()) : '';
const cachedExe = (v: Variant) => path.join(harnessCache, `harness-${v.macro}`);
const cached = (v: Variant) => !LONG_TESTS && existsSync(cachedExe(v));

let buildDir: string | undefined;
const builds = new Map<string, Promise<{ exe: string; error?: string }>>();

function build(v: Variant): Promise<{ exe: string; error?: string }> {
  let pending = builds.get(v.macro);
  if (!pending && cached(v)) pending = Promise.resolve({ exe: cachedExe(v) });
  if (!pending) {
    // Built beside the cache (one file system), then renamed into it.
    buildDir ??= mkdtempSync(path.join(makeCacheDir('kq-harness', harnessKey()), 'build-'));
    const exe = path.join(buildDir, `harness-${v.macro}`);
    const args = [...flags, '-DHAVE_KQUEUE', `-D${v.macro}`, ...(v.defines ?? []), ...harnessSources, '-o', exe];
    pending = new Promise((resolve) => {
      execFile('g++', args, { cwd: packageRoot, encoding: 'utf8' }, (error, _stdout, stderr) => {
        if (error) return resolve({ exe, error: `g++ ${args.join(' ')}\n${stderr}${error.message}` });
        // Into the cache by a rename, so that a concurrent run never sees half a file.
        try {
          renameSync(exe, cachedExe(v));
          resolve({ exe: cachedExe(v) });
        } catch {
          resolve({ exe });
        }
      });
    });
    builds.set(v.macro, pending);
  }
  return pending;
}

if (haveGxx) for (const v of variants) void build(v);

const exes = new Map<string, string>();

for (const v of variants) {
  const reused = haveGxx && cached(v) ? ` (built before from the same sources, flags and g++, ${path.basename(harnessCache)}; POLLMATRIX_LONG_TESTS=1 builds afresh)` : '';
  check(`backends/kqueue.cc and list.cc compile with -Wall -Wextra -Werror against ${v.label} values${reused}${why}`, async () => {
    const result = await build(v);
    if (result.error) assert.unreachable(result.error);
    exes.set(v.macro, result.exe);
  });
}

function harness(v: Variant): string {
  const exe = exes.get(v.macro);
  if (!exe) throw new Error(`the ${v.label} harness did not build (see its compile test)`);
  return exe;
}

interface Change {
  ident: number;
  filter: number;
  flags: number;
  fflags: number;
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
  op: 'pol' | 'arm';
  ret: number;
  err: number;
  failedCall: string | null;
  raw: number;
  notMeasured: string;
  note: string;
  /** Returned kevents about another ident, left out of kevents. */
  ignored: number;
  kevents: HarnessKevent[];
}

interface HarnessReport {
  backend: string;
  asks: string;
  expresses: string;
  persistent: boolean;
  cleanBetween: boolean;
  unavailable: string | null;
  refusedProbe: string;
  probeClosed: boolean;
  probeCreates: string[];
  creates: string[];
  kqCloexec: boolean[];
  kqueueCallsAtOpen: number;
  kqClosed: boolean;
  receipt: boolean;
  constants: {
    EV_ADD: number;
    EV_DELETE: number;
    EV_ENABLE: number;
    EV_ONESHOT: number;
    EV_CLEAR: number;
    EV_RECEIPT: number;
    EV_DISPATCH: number;
    EV_ERROR: number;
    EV_EOF: number;
    EVFILT_READ: number;
    EVFILT_WRITE: number;
    EVFILT_EXCEPT: number;
    NOTE_OOB: number;
  };
  flags: Array<[number, string]>;
  filters: Array<[number, string]>;
  observations: HarnessObservation[];
  calls: Array<{ kq: number; changes: Change[]; nevents: number; timeout: string; ret: number }>;
}

/** scenario: harness.cc set_scenario(); interest: "IN,OUT" or "none"; ops:
 * "pol,arm,clo,reopen,new" steps (harness.cc usage). */
function run(v: Variant, scenario: string, backend = 'kqueue', interest = 'IN,OUT,RDHUP', ops = 'pol,pol'): HarnessReport {
  const args = [scenario, backend, interest, ops];
  const r = spawnSync(harness(v), args, { encoding: 'utf8' });
  if (r.status !== 0) assert.unreachable(`harness ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  return JSON.parse(r.stdout) as HarnessReport;
}

const macos = variants[0];
const freebsd = variants[1];
const openbsd = variants[2];
const netbsd = variants[3];
const noReceipt = variants[4];
const E = constants.errno; // the harness runs on Linux: Linux's numbers

const bothFilters = (c: HarnessReport['constants'], flags: number): Change[] => [
  { ident: 7, filter: c.EVFILT_READ, flags, fflags: 0 },
  { ident: 7, filter: c.EVFILT_WRITE, flags, fflags: 0 },
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
    report.calls.slice(0, 3).map((call) => ({ ...call, ret: undefined, kq: undefined })),
    [
      { changes: bothFilters(c, c.EV_ADD | c.EV_RECEIPT), nevents: 2, timeout: 'zero', ret: undefined, kq: undefined },
      { changes: [], nevents: 8, timeout: 'zero', ret: undefined, kq: undefined },
      { changes: bothFilters(c, c.EV_DELETE | c.EV_RECEIPT), nevents: 2, timeout: 'zero', ret: undefined, kq: undefined },
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

check(`kqueue() failing at the first pol: "not measured" with the call and its errno, no kevent() call (issue 10)${why}`, () => {
  for (const v of [macos, freebsd]) {
    for (const backend of ['kqueue', 'kqueue-clear']) {
      const report = run(v, 'kqueue-fails', backend, 'IN,OUT', 'pol');
      const [obs] = report.observations;
      assert.equal([obs.ret, obs.err, obs.failedCall], [-1, E.EMFILE, v.creates], `${v.label} ${backend}`);
      // What the cell shows: not measured, with the errno; never "invalid".
      assert.is(obs.notMeasured, `${v.creates} failed: EMFILE (Too many open files)`);
      assert.equal(obs.kevents, []);
      assert.is(report.calls.length, 0);
    }
  }
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

// Interest (native/backends/kqueue.h): IN -> EVFILT_READ, OUT -> EVFILT_WRITE,
// PRI -> EVFILT_EXCEPT with NOTE_OOB where the header has both, RDHUP ->
// nothing; no filter -> one kevent() with no change.
check(`interest IN, OUT, PRI map to READ, WRITE, EXCEPT+NOTE_OOB (macOS, OpenBSD); RDHUP to nothing${why}`, () => {
  for (const v of [macos, openbsd]) {
    const report = run(v, 'oob', 'kqueue', 'IN,PRI,RDHUP', 'pol');
    const c = report.constants;
    assert.ok(c.EVFILT_EXCEPT < 0 && c.NOTE_OOB > 0, v.label);
    assert.equal(report.calls[0].changes, [
      { ident: 7, filter: c.EVFILT_READ, flags: c.EV_ADD | c.EV_RECEIPT, fflags: 0 },
      { ident: 7, filter: c.EVFILT_EXCEPT, flags: c.EV_ADD | c.EV_RECEIPT, fflags: c.NOTE_OOB },
    ]);
    assert.equal(
      report.observations[0].kevents.map((k) => [k.filter, k.fflags]),
      [
        [c.EVFILT_READ, 0],
        [c.EVFILT_EXCEPT, c.NOTE_OOB],
      ],
    );
    assert.equal(report.calls[2].changes.map((k) => k.filter), [c.EVFILT_READ, c.EVFILT_EXCEPT]); // both deleted
    assert.match(report.asks, 'PRI -> EVFILT_EXCEPT with NOTE_OOB');
    assert.match(report.expresses, 'priority');
  }
  const out = run(macos, 'readable', 'kqueue', 'OUT', 'pol');
  assert.equal(out.calls[0].changes.map((k) => k.filter), [out.constants.EVFILT_WRITE]);
});

check(`PRI registers nothing where there is no EVFILT_EXCEPT (FreeBSD, NetBSD): one kevent() with no change${why}`, () => {
  for (const v of [freebsd, netbsd]) {
    const report = run(v, 'oob', 'kqueue', 'PRI', 'pol');
    assert.equal(report.constants.EVFILT_EXCEPT, 0, v.label); // not defined
    assert.equal(report.calls.map((call) => [call.changes.length, call.nevents]), [[0, 8]]);
    assert.equal(report.observations[0].kevents, []);
    assert.match(report.asks, 'PRI -> nothing (this OS has no EVFILT_EXCEPT with NOTE_OOB)');
    // Neither EV_OOBAND nor EVFILT_EXCEPT: kqueue cannot say "priority" there.
    assert.not.match(report.expresses, 'priority');
  }
});

check(`interest "" and "RDHUP": no filter, so a pol is one kevent() with no change, under every backend${why}`, () => {
  for (const backend of ['kqueue', 'kqueue-clear', 'kqueue-oneshot', 'kqueue-dispatch']) {
    for (const interest of ['none', 'RDHUP']) {
      const report = run(macos, 'readable', backend, interest, 'pol,pol');
      assert.equal(
        report.calls.map((call) => [call.changes.length, call.nevents, call.timeout]),
        [
          [0, 8, 'zero'],
          [0, 8, 'zero'],
        ],
        `${backend} ${interest}`,
      );
      assert.equal(report.observations.map((o) => o.ret), [0, 0]);
    }
  }
  const arm = run(macos, 'readable', 'kqueue-oneshot', 'none', 'pol,arm').observations[1];
  assert.equal([arm.ret, arm.note], [0, 'the interest registers no filter: nothing to re-arm']);
});

// Modes: registered at the first pol, kept; one kevent() per later pol.
check(`kqueue-clear: EV_ADD|EV_CLEAR once, never deleted; a second pol is "-" until the state changes or arm adds again${why}`, () => {
  const report = run(macos, 'readable', 'kqueue-clear', 'IN,OUT', 'pol,pol,new,pol,arm,pol');
  const c = report.constants;
  assert.is(report.persistent, true);
  assert.equal(
    report.calls.map((call) => call.changes.map((k) => k.flags)),
    [
      [c.EV_ADD | c.EV_CLEAR | c.EV_RECEIPT, c.EV_ADD | c.EV_CLEAR | c.EV_RECEIPT], // first pol: register
      [], // ... and collect
      [], // second pol
      [], // third pol (after new data)
      [c.EV_ADD | c.EV_CLEAR | c.EV_RECEIPT, c.EV_ADD | c.EV_CLEAR | c.EV_RECEIPT], // arm
      [], // fourth pol
    ],
  );
  assert.equal(report.calls[0].nevents, 2); // receipts only: nothing is collected (and so consumed) there
  assert.equal(report.observations.map((o) => [o.op, o.ret, o.kevents.length]), [
    ['pol', 2, 2],
    ['pol', 0, 0],
    ['pol', 2, 2],
    ['arm', 0, 0],
    ['pol', 2, 2],
  ]);
  // The kernel echoes the mode flag; the kevents kind hides it (SET_BY_BACKEND).
  assert.is(report.observations[0].kevents[0].flags, c.EV_ADD | c.EV_CLEAR);
});

check(`kqueue-oneshot: the kernel deletes the event once retrieved; arm is EV_ADD|EV_ONESHOT again${why}`, () => {
  const report = run(macos, 'readable', 'kqueue-oneshot', 'IN', 'pol,pol,arm,pol');
  const c = report.constants;
  assert.equal(report.observations.map((o) => [o.op, o.ret, o.kevents.length, o.failedCall]), [
    ['pol', 1, 1, null],
    ['pol', 0, 0, null],
    ['arm', 0, 0, null],
    ['pol', 1, 1, null],
  ]);
  assert.equal(report.calls[3].changes, [{ ident: 7, filter: c.EVFILT_READ, flags: c.EV_ADD | c.EV_ONESHOT | c.EV_RECEIPT, fflags: 0 }]);
  assert.ok(report.calls.every((call) => call.changes.every((k) => (k.flags & c.EV_DELETE) === 0)));
});

check(`kqueue-dispatch: disabled once retrieved; arm is EV_ENABLE; unavailable (with why) without EV_DISPATCH${why}`, () => {
  const report = run(macos, 'readable', 'kqueue-dispatch', 'IN', 'pol,pol,arm,pol');
  const c = report.constants;
  assert.equal(report.calls[0].changes[0].flags, c.EV_ADD | c.EV_DISPATCH | c.EV_RECEIPT);
  assert.equal(report.calls[3].changes, [{ ident: 7, filter: c.EVFILT_READ, flags: c.EV_ENABLE | c.EV_RECEIPT, fflags: 0 }]);
  assert.equal(report.observations.map((o) => o.ret), [1, 0, 0, 1]);
  const old = run(noReceipt, 'readable', 'kqueue-dispatch', 'IN', 'pol');
  assert.is(old.unavailable, "this OS's <sys/event.h> has no EV_DISPATCH");
  assert.equal([old.observations, old.calls, old.creates], [[], [], []]);
  for (const v of [freebsd, openbsd, netbsd]) assert.is(run(v, 'readable', 'kqueue-dispatch', 'IN', 'pol').unavailable, null, v.label);
});

check(`a failed re-arm: ret -1, the errno of the refused filter, failedCall naming the change${why}`, () => {
  // clo removes the registrations (kqueue(2)); re-adding to a closed number fails.
  const report = run(macos, 'readable', 'kqueue-oneshot', 'IN', 'pol,clo,arm');
  const arm = report.observations[1];
  assert.equal([arm.op, arm.ret, arm.err, arm.failedCall], ['arm', -1, E.EBADF, 'kevent(EV_ADD|EV_ONESHOT)']);
  const before = run(macos, 'readable', 'kqueue-dispatch', 'IN', 'arm').observations[0];
  assert.equal([before.ret, before.note], [0, "not registered yet: the endpoint's first pol registers it"]);
  assert.is(run(macos, 'readable', 'kqueue', 'IN', 'arm').observations[0].note, 'this mechanism asks afresh at every pol: nothing to re-arm');
});

check(`a registration dies with its descriptor: after clo a pol sees nothing; reopened, the endpoint is registered anew${why}`, () => {
  const report = run(macos, 'readable', 'kqueue-clear', 'IN', 'pol,clo,pol,reopen,pol');
  const c = report.constants;
  assert.equal(report.observations.map((o) => [o.ret, o.kevents.length]), [
    [1, 1],
    [0, 0],
    [1, 1],
  ]);
  assert.equal(
    report.calls.map((call) => call.changes.map((k) => k.flags)),
    [[c.EV_ADD | c.EV_CLEAR | c.EV_RECEIPT], [], [], [c.EV_ADD | c.EV_CLEAR | c.EV_RECEIPT], []],
  );
});

check(`every filter refused (a closed endpoint): nothing registered, so each pol asks again and shows the EBADF receipts; one refused of two: registered${why}`, () => {
  const report = run(macos, 'readable', 'kqueue-clear', 'IN,OUT', 'clo,pol,pol');
  const c = report.constants;
  assert.equal(
    report.observations.map((o) => o.kevents.map((k) => [k.ident, k.flags, k.data])),
    [
      [
        [1000, c.EV_ERROR, E.EBADF],
        [1000, c.EV_ERROR, E.EBADF],
      ],
      [
        [1000, c.EV_ERROR, E.EBADF],
        [1000, c.EV_ERROR, E.EBADF],
      ],
    ],
  );
  assert.equal(report.calls.map((call) => call.changes.length), [2, 0, 2, 0]);
  // mio#582: WRITE refused, READ accepted: registered once, not asked again.
  const partial = run(macos, 'one-filter-fails', 'kqueue-clear', 'IN,OUT', 'pol,pol');
  assert.equal(partial.calls.map((call) => call.changes.length), [2, 0, 0]);
  assert.equal(partial.observations.map((o) => o.kevents.map((k) => k.filter)), [[c.EVFILT_WRITE, c.EVFILT_READ], []]);
});

check(`without EV_RECEIPT (old DragonFly): events the registering call returns are kept and counted; arm collects nothing${why}`, () => {
  const report = run(noReceipt, 'readable', 'kqueue-oneshot', 'IN', 'pol,pol,arm,pol');
  assert.equal(report.observations.map((o) => [o.op, o.ret, o.kevents.length]), [
    ['pol', 1, 1], // returned by the registering kevent(): with EV_ONESHOT it is gone after that
    ['pol', 0, 0],
    ['arm', 0, 0],
    ['pol', 1, 1],
  ]);
  // arm: each change alone, no eventlist, so nothing is retrieved (and consumed) there.
  assert.equal([report.calls[3].changes.length, report.calls[3].nevents], [1, 0]);
});

// Issue 10 item 4: close-on-exec, foreign idents, the probe.
for (const v of variants) {
  check(`${v.label}: the kqueue is made by ${v.creates}, close-on-exec, in the probe as in each observer${why}`, () => {
    const level = run(v, 'readable', 'kqueue', 'IN,OUT', 'pol');
    assert.equal(level.probeCreates, [v.creates]);
    assert.is(level.probeClosed, true);
    assert.equal(level.creates, [v.creates]);
    assert.equal(level.kqCloexec, [true]);
    assert.match(level.asks, 'kqueue made by ');
    // The modes: one kqueue per endpoint, made the same way.
    const clear = run(v, 'readable', 'kqueue-clear', 'IN', 'pol,pol');
    assert.equal([clear.creates, clear.kqCloexec, clear.kqClosed], [[v.creates], [true], true]);
  });
}

check(`the probe's refusal names the call and its errno (FreeBSD: kqueuex ENOSYS-like failures say which)${why}`, () => {
  assert.is(run(macos, 'readable').refusedProbe, 'kqueue failed: EPERM (Operation not permitted)');
  assert.is(run(freebsd, 'readable').refusedProbe, 'kqueuex failed: EPERM (Operation not permitted)');
});

check(`kevents about another ident are left out, counted in the note and in ignored, level and persistent alike${why}`, () => {
  for (const backend of ['kqueue', 'kqueue-clear']) {
    const report = run(macos, 'foreign-ident', backend, 'IN', 'pol');
    const [obs] = report.observations;
    assert.is(obs.ret, 2, backend); // what kevent() returned
    assert.equal(obs.kevents.map((k) => k.ident), [7], backend);
    assert.is(obs.note, 'ignored 1 kevent for ident 5, not the polled descriptor 7', backend);
    assert.is(obs.ignored, 1, backend);
    // Only a foreign kevent: ret=1 with no event, and the count says why.
    const [only] = run(macos, 'foreign-ident-only', backend, 'IN', 'pol').observations;
    assert.equal([only.ret, only.kevents, only.ignored], [1, [], 1], backend);
  }
  // Without one, no note.
  assert.is(run(macos, 'readable', 'kqueue', 'IN', 'pol').observations[0].note, '');
});

/** A kqueue backend's interest mapping, as the addon would export it there,
 * with what interest_refused() says of each bit asked alone. */
function interestOf(v: Variant, backend = 'kqueue'): Array<InterestMapping & { refused: string | null }> {
  const r = spawnSync(harness(v), ['interest', backend], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// kqueue(2) documents filters for reading, writing and (XNU, OpenBSD,
// DragonFly) out-of-band data only: every other bit is refused, never dropped.
check(`kqueue refuses the interest bits it has no filter for; RDHUP and a missing EVFILT_EXCEPT are noted${why}`, () => {
  const refused = ['RDNORM', 'RDBAND', 'WRNORM', 'WRBAND', 'MSG', 'ERR', 'HUP'];
  for (const v of [macos, netbsd]) {
    for (const backend of ['kqueue', 'kqueue-clear', 'kqueue-oneshot', 'kqueue-dispatch']) {
      const map = interestOf(v, backend);
      assert.equal(map.map((m) => m.name), ['IN', 'OUT', 'PRI', 'RDHUP', ...refused], `${v.label} ${backend}`);
      for (const m of map.filter((m) => refused.includes(m.name))) {
        assert.equal([m.asks, m.note, m.refused], [null, `kqueue has no filter for ${m.name}`, `kqueue has no filter for ${m.name}`], `${v.label} ${backend} ${m.name}`);
      }
      const asked = (name: string) => map.find((m) => m.name === name)!;
      assert.equal([asked('IN').asks, asked('OUT').asks, asked('IN').refused], ['EVFILT_READ', 'EVFILT_WRITE', null]);
      assert.equal([asked('RDHUP').asks, asked('RDHUP').note], ['nothing', 'kqueue has no filter for RDHUP: not asked; EV_EOF comes with EVFILT_READ unasked']);
    }
  }
  assert.equal(interestOf(macos).find((m) => m.name === 'PRI')!.asks, 'EVFILT_EXCEPT with NOTE_OOB');
  assert.equal(interestOf(netbsd).find((m) => m.name === 'PRI')!.note, "this OS's kqueue has no EVFILT_EXCEPT with NOTE_OOB: PRI not asked");
});

check(`trace --backend kqueue with a bit kqueue refuses: one line, exit 2, naming the bit, the step and the mechanism${why}`, () => {
  const map = interestOf(macos).map(({ refused: _, ...m }) => m);
  const fake = fakeBinding({ kqueue: macosTables });
  const binding = { ...fake, backends: () => fake.backends().map((b) => (b.name === 'kqueue' ? { ...b, interest: map } : b)) };
  const got = cli(['trace', '--backend', 'kqueue', '--interest', 'IN HUP', '-v', '-s', 'clo', '-c', 'pol'], binding);
  assert.is(got.code, 2);
  assert.is(got.out, '');
  assert.is(got.err, "pollmatrix: trace: --interest 'IN HUP': HUP refused at cmd #2 stp #1 (pol on kqueue): kqueue has no filter for HUP\n");
  assert.equal(fake.calls, [], 'nothing ran');
});

test.after(() => {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

test.run();
