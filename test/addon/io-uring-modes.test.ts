// io_uring's two modes besides one-shot POLL_ADD, each its own column
// (native/backends/io_uring_multishot.cc, io_uring.cc): io_uring-multishot
// keeps one IORING_POLL_ADD_MULTI per endpoint across its `pol` steps, each
// collecting the CQEs posted since the last; io_uring-level asks with
// IORING_POLL_ADD_LEVEL where the kernel takes it, and is unavailable with the
// errno where it does not. Loopback TCP, socketpairs and pipes wake their
// waiters before the call that caused it returns, so the lines are exact.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { cli } from '../helpers.js';

const binding = loadBinding();
const info = (name: string) => binding.backends().find((b) => b.name === name)!;
const multishot = info('io_uring-multishot').available ? test : test.skip;
const why = info('io_uring-multishot').available ? '' : ` (skipped: io_uring-multishot is unavailable here: ${info('io_uring-multishot').reason})`;

/** The pol, arm and I/O lines of a trace on io_uring-multishot. */
function lines(args: string[]): string[] {
  const got = cli(['trace', '--backend', 'io_uring-multishot', '-v', ...args], binding);
  assert.is(got.code, 0, got.err);
  return got.out.split('\n').filter((l) => /: (pol|arm|rcv)\(/.test(l));
}

test('both modes are listed after io_uring, each with its observation kind', () => {
  const names = binding.backends().map((b) => b.name);
  assert.equal(names.slice(names.indexOf('io_uring'), names.indexOf('io_uring') + 3), ['io_uring', 'io_uring-multishot', 'io_uring-level']);
  assert.is(info('io_uring-multishot').persistent, true);
  assert.is(info('io_uring-level').persistent, false);
  if (process.platform === 'linux') assert.ok(binding.flagTables()['io_uring-multishot'].some(([v, n]) => n === 'F_MORE' && v === 0x80000000));
});

// io_uring_enter(2): a multishot poll "will remain active and post a
// completion every time the file becomes ready, as long as IORING_CQE_F_MORE
// is set". Each CQE carries the mask of its wakeup: data arriving posts IN,
// not the IN OUT a level check (or epoll-et's EPOLL_CTL_ADD state) shows.
multishot(`a multishot stays armed (F_MORE); each pol collects only the wakeups since the last${why}`, () => {
  assert.equal(lines(['-c', 'pol', '-s', 'snd', '-c', 'pol,rcv,pol']), [
    'cmd #1 stp #1: pol(c=4): ret=1 ev=0x80000004 (OUT F_MORE)',
    'cmd #3 stp #1: pol(c=4): ret=1 ev=0x80000001 (IN F_MORE)',
    'cmd #3 stp #2: rcv(c=4): ret=3',
    'cmd #3 stp #3: pol(c=4): ret=0 ev=0 ',
  ]);
  assert.equal(lines(['--transport', 'socketpair', '-a', 'pol,pol']), [
    'cmd #1 stp #1: pol(a=3): ret=1 ev=0x80000004 (OUT F_MORE)',
    'cmd #1 stp #2: pol(a=3): ret=0 ev=0 ',
  ]);
});

// pipe(7): the last writer's close wakes the reader with POLLHUP; the
// multishot survives it (F_MORE) and posts nothing more.
multishot(`pipe: the writer's close is one HUP CQE, and the multishot stays armed${why}`, () => {
  assert.equal(lines(['--transport', 'pipe', '-r', 'pol', '-w', 'clo', '-r', 'pol,pol,arm,pol']), [
    'cmd #1 stp #1: pol(r=3): ret=0 ev=0 ',
    'cmd #3 stp #1: pol(r=3): ret=1 ev=0x80000010 (HUP F_MORE)',
    'cmd #3 stp #2: pol(r=3): ret=0 ev=0 ',
    'cmd #3 stp #3: arm(r=3): ret=0 [the multishot is still armed (its last CQE had F_MORE): nothing to re-arm]',
    'cmd #3 stp #4: pol(r=3): ret=0 ev=0 ',
  ]);
});

// A CQE without F_MORE ends the multishot: the kernel never re-arms it, and
// neither does pollmatrix; `arm` submits a new one.
multishot(`a CQE without F_MORE ends it; later pols say so; arm submits a new one${why}`, () => {
  const ended = 'the kernel ended the multishot (its last CQE has no F_MORE); arm re-arms it';
  assert.equal(lines(['-c', 'clo,pol,pol,arm,pol']), [
    `cmd #1 stp #2: pol(c=4): ret=-1 (Bad file descriptor) ev=0  [${ended}]`,
    'cmd #1 stp #3: pol(c=4): ret=0 ev=0  [no multishot armed: the kernel ended it at an earlier pol; arm re-arms it]',
    'cmd #1 stp #4: arm(c=4): ret=0',
    `cmd #1 stp #5: pol(c=4): ret=-1 (Bad file descriptor) ev=0  [${ended}]`,
  ]);
});

// An armed request holds a reference to its file: closing the descriptor
// does not close the socket, so the peer sees no FIN (poll: rcv ret=0).
multishot(`an armed multishot keeps a closed descriptor's socket open: the peer sees no FIN${why}`, () => {
  assert.equal(lines(['-c', 'pol,clo', '-s', 'pol,rcv']), [
    'cmd #1 stp #1: pol(c=4): ret=1 ev=0x80000004 (OUT F_MORE)',
    'cmd #2 stp #1: pol(s=4): ret=1 ev=0x80000004 (OUT F_MORE)',
    'cmd #2 stp #2: rcv(s=4): ret=-1 (Resource temporarily unavailable)',
  ]);
});

test('io_uring-level: available, or unavailable with the call and the errno the kernel gave', () => {
  const level = info('io_uring-level');
  if (level.available) return;
  assert.match(level.reason!, /^(io_uring_setup\(\) fails|io_uring is Linux-only|IORING_OP_POLL_ADD with IORING_POLL_ADD_LEVEL completes with E[A-Z]+ \()/);
  const got = cli(['trace', '--backend', 'io_uring-level', '-c', 'pol'], binding);
  assert.is(got.code, 2);
  assert.is(got.err, `pollmatrix: backend 'io_uring-level' is not available here: ${level.reason}\n`);
});

test.run();
