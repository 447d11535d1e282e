// NetBSD's kernel code of 2016-07-28 as a rump kernel (issue 15), through
// the rump build of the addon (.rump/pollmatrix-rump.node, npm run
// build:rump) in its child process (src/native/rump.ts). The cells asserted
// exactly are the ones this kernel gives every time (five runs of the catalogue),
// each with the NetBSD source that explains it; the kqueue backends' decoding
// meets real kevents here. Skipped, with the reason in each title, where the
// rump build is absent or stale. The whole catalogue (once; five times with
// POLLMATRIX_RUMP_LONG=1, to find unstable cells) and a bare `pollmatrix`
// (the whole catalogue on both kernels, three times) are long: they run under
// POLLMATRIX_LONG_TESTS=1 (test/long.ts; .ci/run sets it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Runner } from '../../src/native/runner.js';
import { isKernelCrash, RumpBinding, rumpStatus } from '../../src/native/rump.js';
import { runMatrixSync } from '../../src/run/run-matrix.js';
import { checkDocument } from '../../src/run/check.js';
import { scenariosFor } from '../../src/run/run-matrix.js';
import type { ObservedStep } from '../../src/model/observed.js';
import { cli } from '../helpers.js';
import { LONG_WHY, longTest } from '../long.js';
import { loadBinding } from '../../src/native/binding.js';
import { COMMANDS } from '../../src/cli/commands/registry.js';
import { parseOptions } from '../../src/cli/options.js';

const status = rumpStatus();
const why = status.built ? '' : ` (skipped: ${status.why})`;
const check = status.built ? test : test.skip;
const longCheck = status.built ? longTest : test.skip;
const longWhy = status.built ? LONG_WHY : why;
// The whole catalogue once takes about 7 s; five times (to find unstable
// cells) about 11 s more, so that is behind POLLMATRIX_RUMP_LONG=1.
const repeat = process.env.POLLMATRIX_RUMP_LONG === '1' ? 5 : 1;

let binding: RumpBinding | undefined;
const rump = () => (binding ??= new RumpBinding());
const run = (transport: string, steps: Array<[string, string[]]>, backend: string, interest?: string[]) =>
  new Runner(rump()).runCommands(
    steps.map(([side, actions]) => ({ side, actions, backend })),
    { transport, interest, timeoutMs: 1000 },
  );
const pols = (steps: ObservedStep[]) => steps.filter((s) => s.action === 'pol');

check(`platform: NetBSD 7.99.34, and how it was measured${why}`, () => {
  const p = rump().platform();
  assert.is(p.os, 'netbsd');
  assert.is(p.sysname, 'NetBSD');
  assert.is(p.release, '7.99.34');
  assert.match(p.measuredIn ?? '', /^rump kernel: NetBSD kernel code of 2016-07-28, in a process on linux \S+$/);
});

check(`flag tables are NetBSD's: POLLWRBAND 0x100, no POLLRDHUP, EVFILT_READ 0, EV_EOF 0x8000${why}`, () => {
  const t = rump().flagTables();
  const names = (table: string) => t[table].map(([v, n]) => `${n}=${v}`);
  assert.ok(names('poll').includes('WRBAND=256'), names('poll').join(' '));
  assert.not.ok(t.poll.some(([, n]) => n === 'RDHUP'));
  assert.equal(t['kqueue.filters'].slice(0, 2), [
    [0, 'READ'],
    [1, 'WRITE'],
  ]);
  assert.ok(names('kqueue').includes('EOF=32768') && names('kqueue').includes('ERROR=16384') && names('kqueue').includes('DISPATCH=128'));
});

check(`backends and transports: poll, select and the four kqueue modes; no epoll, no io_uring, no fifo, file or pty, each with why${why}`, () => {
  const b = Object.fromEntries(rump().backends().map((x) => [x.name, x]));
  for (const name of ['poll', 'select', 'kqueue', 'kqueue-clear', 'kqueue-oneshot', 'kqueue-dispatch']) assert.ok(b[name].available, name);
  for (const name of ['epoll', 'epoll-et', 'epoll-oneshot', 'io_uring']) assert.match(b[name].reason ?? '', /Linux-only/, name);
  const t = Object.fromEntries(rump().transports().map((x) => [x.name, x]));
  for (const name of ['tcp', 'tcp6', 'udp', 'unix', 'unix-dgram', 'socketpair', 'socketpair-dgram', 'socketpair-seqpacket', 'pipe']) {
    assert.ok(t[name].available, name);
  }
  assert.match(t.fifo.reason ?? '', /panics the kernel/);
  assert.match(t.file.reason ?? '', /no VOP_POLL/);
  assert.match(t.pty.reason ?? '', /^no pty in a rump kernel/);
});

// kern/sys_pipe.c:1173-1188 (pipe_poll): no peer gives POLLOUT, and POLLHUP
// whatever was asked. poll(2) says they "should never be present in the
// revents bitmask at the same time".
check(`a pipe whose reader left: poll on the write end is OUT HUP (0x14)${why}`, () => {
  const [pol] = pols(run('pipe', [['r', ['clo']], ['w', ['pol']]], 'poll', ['OUT']).steps);
  assert.equal([pol.ret, pol.rawHex, pol.names], [1, '0x14', ['OUT', 'HUP']]);
});

// kern/sys_select.c:136-140: select asks fo_poll for POLLRDNORM|POLLHUP|POLLERR,
// POLLWRNORM|POLLHUP|POLLERR and POLLRDBAND, and pipe_poll adds POLLHUP.
check(`a pipe whose writer left: select marks the read end readable, writable and exceptional${why}`, () => {
  const [pol] = pols(run('pipe', [['w', ['clo']], ['r', ['pol']]], 'select', ['IN', 'OUT', 'PRI']).steps);
  assert.equal([pol.ret, pol.names], [3, ['R', 'W', 'X']]);
});

// kern/uipc_socket.c:2359-2377 (sodopoll): a socket reports IN/OUT, never
// ERR or HUP; the error is SO_ERROR's, in NetBSD's numbering (61).
check(`a refused nonblocking connect: EINPROGRESS (36), then poll IN OUT without ERR or HUP, and SO_ERROR ECONNREFUSED (61)${why}`, () => {
  const steps = run('tcp', [['l', ['clo']], ['c', ['nbc', 'pol', 'soe']]], 'poll').steps;
  const nbc = steps.find((s) => s.action === 'nbc')!;
  assert.equal([nbc.ret, nbc.errno?.name, nbc.errno?.number], [-1, 'EINPROGRESS', 36]);
  const [pol] = pols(steps);
  assert.equal([pol.ret, pol.rawHex, pol.names], [1, '0x5', ['IN', 'OUT']]);
  const soe = steps.find((s) => s.action === 'soe')!;
  assert.equal(soe.soError, { name: 'ECONNREFUSED', number: 61, message: 'Connection refused' });
});

// filt_soread/filt_sowrite (kern/uipc_socket.c:2233-2251, 2272-2293): EV_EOF
// with the socket error in fflags; the settle rule makes both kevents
// arrive, not only the first.
check(`the same through kqueue: READ and WRITE with EV_EOF and fflags ECONNREFUSED (61), decoded with NetBSD's tables${why}`, () => {
  for (const backend of ['kqueue', 'kqueue-clear', 'kqueue-oneshot', 'kqueue-dispatch']) {
    const [pol] = pols(run('tcp', [['l', ['clo']], ['c', ['nbc', 'pol']]], backend).steps);
    assert.is(pol.ret, 2, backend);
    assert.equal(
      pol.kevents?.map((k) => [k.filter, k.flags.filter((f) => f === 'EOF' || f === 'ERROR'), k.fflags, k.errorName]),
      [
        ['READ', ['EOF'], 61, 'ECONNREFUSED'],
        ['WRITE', ['EOF'], 61, 'ECONNREFUSED'],
      ],
      backend,
    );
    assert.equal(pol.observation?.kevents?.[0].fflagsErrno, { name: 'ECONNREFUSED', number: 61, message: 'Connection refused' });
  }
});

// kern/sys_pipe.c:1471-1475 (pipe_kqfilter): no peer, EBADF; kern_event.c
// 870-874 returns it as a receipt whose flags are exactly EV_ERROR. NetBSD's
// later t_pipe.c expects EV_EOF here instead.
check(`kevent EVFILT_WRITE on a pipe whose reader left: EV_ERROR with data EBADF (9)${why}`, () => {
  const [pol] = pols(run('pipe', [['r', ['clo']], ['w', ['pol']]], 'kqueue', ['OUT']).steps);
  const [k] = pol.observation?.kevents ?? [];
  assert.equal([k.filter, k.flags, k.data, k.dataErrno?.name, k.dataErrno?.number], [1, 0x4000, 9, 'EBADF', 9]);
  assert.equal(pol.kevents?.map((e) => [e.filter, e.flags, e.errorName]), [['WRITE', ['ERROR'], 'EBADF']]);
});

// kern_event.c:1262-1278 (kqueue_scan): EV_ONESHOT detaches the knote after
// retrieval; EV_DISPATCH disables it and clears KN_ACTIVE (1274-1276), and
// EV_ENABLE only requeues an active knote (knote_enqueue, 1621-1632) without
// running the filter: the 3 bytes still pending are not reported again until
// more arrive. (A socketpair: TCP's Nagle would hold the second "foo" behind
// the first one's delayed ACK.)
check(`kqueue modes on real kevents: oneshot once, dispatch silent after arm until new data${why}`, () => {
  const steps = (backend: string) =>
    run('socketpair', [['a', ['snd']], ['b', ['pol', 'pol', 'arm', 'pol']], ['a', ['snd']], ['b', ['pol']]], backend, ['IN']).steps;
  const cells = (backend: string) => pols(steps(backend)).map((p) => p.kevents?.map((k) => `${k.filter} data=${k.data}`).join(', ') || '-');
  assert.equal(cells('kqueue-oneshot'), ['READ data=3', '-', 'READ data=3', '-']);
  assert.equal(cells('kqueue-clear'), ['READ data=3', '-', 'READ data=3', 'READ data=6']);
  assert.equal(cells('kqueue-dispatch'), ['READ data=3', '-', '-', 'READ data=6']);
  assert.is(steps('kqueue-dispatch').find((s) => s.action === 'arm')?.ret, 0);
});

check(`descriptors start at 3 in a rump process of the run's own, and nothing leaks${why}`, () => {
  const result = run('tcp', [['c', ['snd']], ['s', ['rcv', 'pol']]], 'poll');
  assert.equal([result.steps[0].fd, result.descriptorTable, result.leaked], [4, 'private', []]);
  assert.equal(result.steps.find((s) => s.action === 'acc')?.ret, 5);
});

check(`run and trace --os netbsd-rump: haproxy's trace, with NetBSD's texts${why}`, () => {
  const got = cli(['trace', '--os', 'netbsd-rump', '-v', '-l', 'clo', '-c', 'pol']);
  assert.is(got.code, 0, got.err);
  assert.equal(got.out.split('\n'), [
    '#### BEGIN ####',
    'cmd #1 stp #1: clo(l=3): ret=0',
    'cmd #2 stp #0: con(c=4): ret=-1 (Connection refused)',
    'cmd #2 stp #1: pol(c=4): ret=1 ev=0x5 (IN OUT)',
    '#### END ####',
    '',
  ]);
  const doc = JSON.parse(cli(['run', '--os', 'netbsd-rump', '--format', 'json', '--repeat', '1', '--scenario', 'seed-connect-refused']).out);
  assert.equal([doc.platform.os, doc.platform.kernel], ['netbsd', '7.99.34']);
  assert.equal(doc.backends, ['poll', 'kqueue', 'kqueue-clear', 'kqueue-oneshot', 'kqueue-dispatch', 'select']);
  const fifo = cli(['trace', '--os', 'netbsd-rump', '--transport', 'fifo', '-r', 'opn']);
  assert.is(fifo.code, 2);
  assert.match(fifo.err, /transport 'fifo' is not available here: this rump kernel's file system/);
});

check(`a kernel process that dies is one clear error, and the next call gets a fresh one${why}`, () => {
  const broken = new RumpBinding('/nonexistent/pollmatrix-rump.node');
  try {
    broken.platform();
    assert.unreachable('a missing addon must fail');
  } catch (err) {
    assert.ok(isKernelCrash(err), String(err));
    assert.match((err as Error).message, /^the NetBSD rump kernel process exited with status 1: .* during describe\(\)$/);
  } finally {
    broken.close();
  }
});

longCheck(`the whole catalogue, --repeat ${repeat}${repeat === 1 ? ' (5 with POLLMATRIX_RUMP_LONG=1)' : ''}: no unstable cell, no setup error, every literature expectation met${longWhy}`, () => {
  const doc = runMatrixSync({ binding: rump(), repeat });
  const unstable = doc.scenarios.flatMap((s) => Object.entries(s.runs).filter(([, r]) => r.unstable).map(([b]) => `${s.id}/${b}`));
  assert.equal(unstable, []);
  assert.ok(doc.scenarios.length >= 250, `${doc.scenarios.length} scenarios`);
  assert.equal(doc.scenarios.flatMap((s) => Object.values(s.runs).filter((r) => r.setupError || r.leaked.length > 0)), []);
  const report = checkDocument(scenariosFor({ binding: rump() }), doc);
  assert.equal(report.mismatches, []);
});

// `pollmatrix` with no arguments: the host's matrix, then NetBSD's column.
function netbsdColumn(out: string): void {
  assert.match(out, /#2 netbsd 7\.99\.34 x86_64 · rump kernel: NetBSD kernel code of 2016-07-28, in a process on linux /);
  // Side by side: a column per machine, kqueue measured only in NetBSD's.
  assert.match(out, /│ linux \S+\s+│ netbsd \(rump kernel\) 7\.99\s+║/);
  assert.match(out, /│ kqueue-dispatch\s+│ not measured\s+│ READ /);
}

// main() calls a run bare when it has no arguments at all (the long test
// below runs exactly that); here the run command is called as main() calls
// it then, on one scenario, so that both kernels run it once, not the whole
// catalogue three times.
check(`a bare 'pollmatrix' adds the NetBSD column when the rump build exists (run called bare, on seed-connect-refused)${why}`, () => {
  const command = COMMANDS.find((c) => c.name === 'run')!;
  const args = ['--scenario', 'seed-connect-refused', '--repeat', '1'];
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
  const code = command.run(parseOptions('run', args, command.options), { io, binding: loadBinding, args, bare: true });
  assert.is(code, 0, err);
  netbsdColumn(out);
  // Not bare (an argument given): the host's matrix alone.
  const host = cli(args);
  assert.is(host.code, 0, host.err);
  assert.not.match(host.out, /netbsd/);
});

longCheck(`a bare 'pollmatrix', no arguments at all (the whole catalogue, three times, on both kernels), adds the NetBSD column${longWhy}`, () => {
  const got = cli([]);
  assert.is(got.code, 0, got.err);
  netbsdColumn(got.out);
});

// A holder is a host process (engine/holder.h); a rump kernel's processes
// are not, and a host fork would copy none of its descriptors. The run
// stops at frk, so no later cell reads as if a holder had been there.
check(`frk: refused, and the run stops there${why}`, () => {
  const r = run('tcp', [['c', ['frk', 'clo']], ['s', ['pol']]], 'poll');
  const frk = r.steps.find((s) => s.action === 'frk');
  assert.is(frk?.ret, -1);
  assert.match(frk?.note ?? '', /not host processes/);
  assert.match(r.stopped ?? '', /^frk: /);
  assert.not.ok(r.steps.some((s) => s.action === 'clo' || s.action === 'pol'));
});

test('without a rump build, rumpStatus says in one line how to build it', () => {
  const missing = rumpStatus('/nonexistent/.rump/pollmatrix-rump.node');
  assert.equal(missing.built, false);
  const why = (missing as { why: string }).why;
  assert.match(why, /^no NetBSD rump kernel in \/nonexistent\/\.rump: npm run build:rump builds it/);
  assert.not.match(why, /\n/);
});

test.after(() => {
  binding?.close();
});

test.run();
