// Every transport, action, mode and interest on the real addon. On Linux
// these situations are decided synchronously by the kernel (loopback
// delivers a FIN, an ICMP error or a pipe close before the call that caused
// it returns), so the trace lines are asserted exactly. The "why" of each
// expectation is the man page or kernel behaviour named beside it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { loadCatalogue } from '../../src/model/catalogue.js';
import { Runner } from '../../src/native/runner.js';
import { cli } from '../helpers.js';
import { packageRoot } from '../../src/model/package-root.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';
import { runWith } from '../runs.js';

const binding = loadBinding();
const isLinux = process.platform === 'linux';
const onLinux = isLinux ? test : test.skip;
const why = isLinux ? '' : ' (skipped: the flags asserted are Linux kernel behaviour)';

/** The step lines of a trace, descriptor numbers included (private table). */
function trace(args: string[]): string[] {
  const got = cli(['trace', '-v', ...args], binding);
  assert.is(got.code, 0, got.err);
  return got.out.split('\n').filter((l) => l.startsWith('cmd #'));
}

const cases: Array<[string, string[], string[]]> = [
  // pipe(7): "If all file descriptors referring to the write end of a pipe
  // have been closed, then an attempt to read(2) from the pipe will see end-of-file";
  // Linux pipe_poll() reports it as POLLHUP, with POLLIN only while data is left.
  ['pipe: writer closed, empty', ['--transport', 'pipe', '-w', 'clo', '-r', 'pol'], [
    'cmd #1 stp #1: clo(w=4): ret=0',
    'cmd #2 stp #1: pol(r=3): ret=1 ev=0x10 (HUP)',
  ]],
  ['pipe: writer closed with data left', ['--transport', 'pipe', '-w', 'snd,clo', '-r', 'pol,rcv,pol'], [
    'cmd #1 stp #1: snd(w=4): ret=3',
    'cmd #1 stp #2: clo(w=4): ret=0',
    'cmd #2 stp #1: pol(r=3): ret=1 ev=0x11 (IN HUP)',
    'cmd #2 stp #2: rcv(r=3): ret=3',
    'cmd #2 stp #3: pol(r=3): ret=1 ev=0x10 (HUP)',
  ]],
  // pipe(7): a write with no reader gets EPIPE; pipe_poll() sets POLLERR on
  // the write end once there are no readers (epoll-shim pipe-test: Linux
  // POLLOUT|POLLERR on an empty pipe).
  ['pipe: reader closed, then a write', ['--transport', 'pipe', '-r', 'clo', '-w', 'pol,snd'], [
    'cmd #1 stp #1: clo(r=3): ret=0',
    'cmd #2 stp #1: pol(w=4): ret=1 ev=0xc (OUT ERR)',
    'cmd #2 stp #2: snd(w=4): ret=-1 (Broken pipe)',
  ]],
  // pipe(7): "Since Linux 2.6.11, the pipe capacity is 16 pages" (65536 here).
  ['pipe: full', ['--transport', 'pipe', '-w', 'ful,pol', '-r', 'pol'], [
    'cmd #1 stp #1: ful(w=4): ret=65536',
    'cmd #1 stp #2: pol(w=4): ret=0 ev=0 ',
    'cmd #2 stp #1: pol(r=3): ret=1 ev=0x1 (IN)',
  ]],
  // fifo(7): a nonblocking open for writing with no reader fails with ENXIO;
  // a reader that never had a writer sees no HUP (pipe_poll()'s w_counter).
  ['fifo: no writer yet, then one that came and went', ['--transport', 'fifo', '-w', 'opn', '-r', 'opn,pol', '-w', 'opn,clo', '-r', 'pol'], [
    'cmd #1 stp #1: opn(w=-1): ret=-1 (No such device or address)',
    'cmd #2 stp #1: opn(r=3): ret=3',
    'cmd #2 stp #2: pol(r=3): ret=0 ev=0 ',
    'cmd #3 stp #1: opn(w=4): ret=4',
    'cmd #3 stp #2: clo(w=4): ret=0',
    'cmd #4 stp #1: pol(r=3): ret=1 ev=0x10 (HUP)',
  ]],
  // udp(7): "When the socket is connected ... ICMP errors" are reported;
  // loopback answers the datagram with port unreachable before send()
  // returns: POLLERR, SO_ERROR ECONNREFUSED, which reading clears (socket(7)).
  ['udp: connected to a closed port', ['--transport', 'udp', '-s', 'clo', '-c', 'snd,pol,soe,pol'], [
    'cmd #1 stp #1: clo(s=3): ret=0',
    'cmd #2 stp #1: snd(c=4): ret=3',
    'cmd #2 stp #2: pol(c=4): ret=1 ev=0xc (OUT ERR)',
    'cmd #2 stp #3: soe(c=4): ret=0 so_error=ECONNREFUSED (Connection refused)',
    'cmd #2 stp #4: pol(c=4): ret=1 ev=0x4 (OUT)',
  ]],
  // unix(7): sending to a datagram socket whose peer is gone: ECONNREFUSED.
  ['unix-dgram: server closed', ['--transport', 'unix-dgram', '-s', 'clo', '-c', 'snd'], [
    'cmd #1 stp #1: clo(s=3): ret=0',
    'cmd #2 stp #1: snd(c=4): ret=-1 (Connection refused)',
  ]],
  // unix_poll(): the peer's SHUT_WR is RCV_SHUTDOWN here: IN RDHUP, still writable.
  ['socketpair: peer SHUT_WR', ['--transport', 'socketpair', '-a', 'shw', '-b', 'pol'], [
    'cmd #1 stp #1: shw(a=3): ret=0',
    'cmd #2 stp #1: pol(b=4): ret=1 ev=0x2005 (IN OUT RDHUP)',
  ]],
  ['socketpair: peer closed', ['--transport', 'socketpair', '-a', 'clo', '-b', 'pol,snd'], [
    'cmd #1 stp #1: clo(a=3): ret=0',
    'cmd #2 stp #1: pol(b=4): ret=1 ev=0x2015 (IN OUT HUP RDHUP)',
    'cmd #2 stp #2: snd(b=4): ret=-1 (Broken pipe)',
  ]],
  ['tcp6: connect refused', ['--transport', 'tcp6', '-l', 'clo', '-c', 'pol'], [
    'cmd #1 stp #1: clo(l=3): ret=0',
    'cmd #2 stp #0: con(c=4): ret=-1 (Connection refused)',
    'cmd #2 stp #1: pol(c=4): ret=1 ev=0x14 (OUT HUP)',
  ]],
  ['unix: accepted socket closed', ['--transport', 'unix', '-s', 'clo', '-c', 'pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #0: acc(l=3): ret=5',
    'cmd #1 stp #1: clo(s=5): ret=0',
    'cmd #2 stp #1: pol(c=4): ret=1 ev=0x2015 (IN OUT HUP RDHUP)',
  ]],
  // A nonblocking connect to a closed loopback port: EINPROGRESS, then the
  // RST has failed it (tcp(7)); reading SO_ERROR clears the ERR.
  ['tcp: nonblocking connect refused', ['-l', 'clo', '-c', 'nbc,pol,soe,pol'], [
    'cmd #1 stp #1: clo(l=3): ret=0',
    'cmd #2 stp #1: nbc(c=4): ret=-1 (Operation now in progress)',
    'cmd #2 stp #2: pol(c=4): ret=1 ev=0x201d (IN OUT ERR HUP RDHUP)',
    'cmd #2 stp #3: soe(c=4): ret=0 so_error=ECONNREFUSED (Connection refused)',
    'cmd #2 stp #4: pol(c=4): ret=1 ev=0x2015 (IN OUT HUP RDHUP)',
  ]],
  // tcp(7) urgent data: not inline, the urgent byte is not "readable"
  // (tcp_poll() steps over it) but POLLPRI is set; with SO_OOBINLINE both.
  ['tcp: urgent byte, interest IN PRI', ['--interest', 'IN PRI', '-c', 'oob', '-s', 'pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #1: oob(c=4): ret=1',
    'cmd #2 stp #0: acc(l=3): ret=5',
    'cmd #2 stp #1: pol(s=5): ret=1 ev=0x2 (PRI)',
  ]],
  ['tcp: urgent byte inline', ['--interest', 'IN PRI', '-s', 'oil', '-c', 'oob', '-s', 'pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #0: acc(l=3): ret=5',
    'cmd #1 stp #1: oil(s=5): ret=0',
    'cmd #2 stp #1: oob(c=4): ret=1',
    'cmd #3 stp #1: pol(s=5): ret=1 ev=0x3 (IN PRI)',
  ]],
  // udp(7)/ip(7): an unconnected UDP socket gets the ICMP port unreachable
  // only with IP_RECVERR (__udp4_lib_err()); the report also goes to the
  // error queue, so ERR outlives the SO_ERROR read.
  ['udp: sendto a closed port, without then with IP_RECVERR', ['--transport', 'udp', '-s', 'sto,pol,rve,sto,pol,soe,pol'], [
    'cmd #1 stp #1: sto(s=3): ret=3',
    'cmd #1 stp #2: pol(s=3): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #3: rve(s=3): ret=0',
    'cmd #1 stp #4: sto(s=3): ret=3',
    'cmd #1 stp #5: pol(s=3): ret=1 ev=0xc (OUT ERR)',
    'cmd #1 stp #6: soe(s=3): ret=0 so_error=ECONNREFUSED (Connection refused)',
    'cmd #1 stp #7: pol(s=3): ret=1 ev=0xc (OUT ERR)',
  ]],
  ['udp: IP_RECVERR, recv takes the pending error, ERR stays for the queue', ['--transport', 'udp', '-s', 'rve,sto,rcv,pol'], [
    'cmd #1 stp #1: rve(s=3): ret=0',
    'cmd #1 stp #2: sto(s=3): ret=3',
    'cmd #1 stp #3: rcv(s=3): ret=-1 (Connection refused)',
    'cmd #1 stp #4: pol(s=3): ret=1 ev=0xc (OUT ERR)',
  ]],
  // unix(7): a datagram to a name nobody holds is refused at once.
  ['unix-dgram: sendto a closed name', ['--transport', 'unix-dgram', '-s', 'sto,pol'], [
    'cmd #1 stp #1: sto(s=3): ret=-1 (Connection refused)',
    'cmd #1 stp #2: pol(s=3): ret=1 ev=0x4 (OUT)',
  ]],
  // dup(2): the copy refers to the same open file description. epoll(7)
  // Q6/A6: a registration leaves its interest list only when every
  // descriptor of that description is closed, so epoll-et still reports
  // the data under the closed number; poll(2) says POLLNVAL for it.
  ['dup: epoll-et registration survives closing the original', ['--backend', 'epoll-et', '-s', 'pol,dup,clo', '-c', 'snd', '-s', 'pol,swp,rcv,pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #0: acc(l=3): ret=5',
    'cmd #1 stp #1: pol(s=5): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #2: dup(s=5): ret=7',
    'cmd #1 stp #3: clo(s=5): ret=0',
    'cmd #2 stp #1: snd(c=4): ret=3',
    'cmd #3 stp #1: pol(s=5): ret=1 ev=0x5 (IN OUT)',
    'cmd #3 stp #2: swp(s=5): ret=7',
    'cmd #3 stp #3: rcv(s=7): ret=3',
    'cmd #3 stp #4: pol(s=7): ret=0 ev=0 ',
  ]],
  ['dup: poll on the closed original is NVAL, the copy still works', ['-s', 'dup,clo', '-c', 'snd', '-s', 'pol,swp,pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #0: acc(l=3): ret=5',
    'cmd #1 stp #1: dup(s=5): ret=6',
    'cmd #1 stp #2: clo(s=5): ret=0',
    'cmd #2 stp #1: snd(c=4): ret=3',
    'cmd #3 stp #1: pol(s=5): ret=1 ev=0x20 (NVAL)',
    'cmd #3 stp #2: swp(s=5): ret=6',
    'cmd #3 stp #3: pol(s=6): ret=1 ev=0x5 (IN OUT)',
  ]],
  // pipe(7): end-of-file only once every descriptor of the write end is closed.
  ['dup: a pipe writer\'s copy holds off the hang-up', ['--transport', 'pipe', '-w', 'dup,clo', '-r', 'pol', '-w', 'swp,clo', '-r', 'pol'], [
    'cmd #1 stp #1: dup(w=4): ret=5',
    'cmd #1 stp #2: clo(w=4): ret=0',
    'cmd #2 stp #1: pol(r=3): ret=0 ev=0 ',
    'cmd #3 stp #1: swp(w=4): ret=5',
    'cmd #3 stp #2: clo(w=5): ret=0',
    'cmd #4 stp #1: pol(r=3): ret=1 ev=0x10 (HUP)',
  ]],
  // swp swaps both ways: the original, still open, is held aside.
  ['dup: swp twice names the original again', ['--transport', 'socketpair', '-a', 'dup,swp,swp,clo', '-b', 'pol', '-a', 'swp,clo', '-b', 'pol'], [
    'cmd #1 stp #1: dup(a=3): ret=5',
    'cmd #1 stp #2: swp(a=3): ret=5',
    'cmd #1 stp #3: swp(a=5): ret=3',
    'cmd #1 stp #4: clo(a=3): ret=0',
    'cmd #2 stp #1: pol(b=4): ret=1 ev=0x4 (OUT)',
    'cmd #3 stp #1: swp(a=3): ret=5',
    'cmd #3 stp #2: clo(a=5): ret=0',
    'cmd #4 stp #1: pol(b=4): ret=1 ev=0x2015 (IN OUT HUP RDHUP)',
  ]],
  ['swp with nothing held says so', ['-s', 'swp'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #0: acc(l=3): ret=5',
    'cmd #1 stp #1: swp(s=5): ret=-1 [no descriptor held: dup first]',
  ]],
  // poll(2): POLLHUP is returned even when not asked for (events=0).
  ['events=0 still reports a hang-up', ['--interest', '', '-s', 'clo', '-c', 'pol,shw,pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #0: acc(l=3): ret=5',
    'cmd #1 stp #1: clo(s=5): ret=0',
    'cmd #2 stp #1: pol(c=4): ret=0 ev=0 ',
    'cmd #2 stp #2: shw(c=4): ret=0',
    'cmd #2 stp #3: pol(c=4): ret=1 ev=0x10 (HUP)',
  ]],
  ['select maps the interest to its sets', ['--backend', 'select', '--interest', 'PRI', '-c', 'oob', '-s', 'pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #1: oob(c=4): ret=1',
    'cmd #2 stp #0: acc(l=3): ret=5',
    'cmd #2 stp #1: pol(s=5): ret=1 ev=0x4 (X)',
  ]],
  // epoll(7): edge-triggered reports a state once; the second wait is empty.
  ['epoll-et: the second wait sees no new edge', ['--backend', 'epoll-et', '-c', 'pol,pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #1: pol(c=4): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #2: pol(c=4): ret=0 ev=0 ',
  ]],
  // epoll(7) EPOLLONESHOT: disabled after one event until EPOLL_CTL_MOD.
  ['epoll-oneshot: re-armed by arm', ['--backend', 'epoll-oneshot', '-c', 'pol,pol,arm,pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #1: pol(c=4): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #2: pol(c=4): ret=0 ev=0 ',
    'cmd #1 stp #3: arm(c=4): ret=0',
    'cmd #1 stp #4: pol(c=4): ret=1 ev=0x4 (OUT)',
  ]],
  // epoll_ctl(2): EPERM "The target file fd does not support epoll" (a
  // regular file); poll(2) reports a regular file always ready.
  ['file: poll says ready, epoll refuses it', ['--transport', 'file', '-f', 'pol', '-e', '-f', 'pol'], [
    'cmd #1 stp #1: pol(f=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #2 stp #1: pol(f=3): ret=-1 (Operation not permitted) ev=0  [epoll_ctl(EPOLL_CTL_ADD) failed]',
  ]],
  // The mode's own epoll instance takes the closed endpoint's number (4); the
  // step must still ask about a closed number, never about that instance.
  ['epoll-et on a closed endpoint: EBADF, not the instance asked about itself', ['--backend', 'epoll-et', '-c', 'clo,pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #1: clo(c=4): ret=0',
    'cmd #1 stp #2: pol(c=4): ret=-1 (Bad file descriptor) ev=0  [epoll_ctl(EPOLL_CTL_ADD) failed]',
  ]],
  // eventfd(2): readable while the counter is above 0, writable while 1 can
  // be added; a read returns the counter and zeroes it (8 bytes each way).
  ['eventfd: written, then read, on poll and epoll', ['--transport', 'eventfd', '-n', 'snd,pol,rcv,pol', '-e', '-n', 'snd,pol,rcv,pol'], [
    'cmd #1 stp #1: snd(n=3): ret=8',
    'cmd #1 stp #2: pol(n=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #1 stp #3: rcv(n=3): ret=8',
    'cmd #1 stp #4: pol(n=3): ret=1 ev=0x4 (OUT)',
    'cmd #2 stp #1: snd(n=3): ret=8',
    'cmd #2 stp #2: pol(n=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #2 stp #3: rcv(n=3): ret=8',
    'cmd #2 stp #4: pol(n=3): ret=1 ev=0x4 (OUT)',
  ]],
  // eventfd(2) EFD_SEMAPHORE: a read returns 1 and takes 1 off the counter.
  ['eventfd-semaphore: two writes, one read, still readable', ['--transport', 'eventfd-semaphore', '-n', 'snd,snd,rcv,pol,rcv,pol', '-e', '-n', 'snd,snd,rcv,pol'], [
    'cmd #1 stp #1: snd(n=3): ret=8',
    'cmd #1 stp #2: snd(n=3): ret=8',
    'cmd #1 stp #3: rcv(n=3): ret=8',
    'cmd #1 stp #4: pol(n=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #1 stp #5: rcv(n=3): ret=8',
    'cmd #1 stp #6: pol(n=3): ret=1 ev=0x4 (OUT)',
    'cmd #2 stp #1: snd(n=3): ret=8',
    'cmd #2 stp #2: snd(n=3): ret=8',
    'cmd #2 stp #3: rcv(n=3): ret=8',
    'cmd #2 stp #4: pol(n=3): ret=1 ev=0x5 (IN OUT)',
  ]],
  // libuv#4400 asks whether an eventfd write with EPOLLET is a new edge
  // without a read: fs/eventfd.c eventfd_write wakes the waiters at every
  // write, so yes; a pol with no write between reports nothing.
  ['eventfd with epoll-et: every write is a new edge', ['--backend', 'epoll-et', '--transport', 'eventfd', '-n', 'pol,snd,pol,pol,snd,pol'], [
    'cmd #1 stp #1: pol(n=3): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #2: snd(n=3): ret=8',
    'cmd #1 stp #3: pol(n=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #1 stp #4: pol(n=3): ret=0 ev=0 ',
    'cmd #1 stp #5: snd(n=3): ret=8',
    'cmd #1 stp #6: pol(n=3): ret=1 ev=0x5 (IN OUT)',
  ]],
  // eventfd(2): the counter's maximum is 0xfffffffffffffffe; there a write
  // of 1 would block, so POLLOUT drops and a nonblocking write gets EAGAIN.
  ['eventfd: full', ['--transport', 'eventfd', '-n', 'ful,pol,snd'], [
    'cmd #1 stp #1: ful(n=3): ret=8',
    'cmd #1 stp #2: pol(n=3): ret=1 ev=0x1 (IN)',
    'cmd #1 stp #3: snd(n=3): ret=-1 (Resource temporarily unavailable)',
  ]],
  // null(4), full(4): /dev/null reads end of file and takes writes,
  // /dev/zero reads zeros, /dev/full refuses writes with ENOSPC. mem.c gives
  // them no poll method: poll reports the default mask, epoll_ctl(2) EPERM.
  ['chardev: /dev/null, /dev/zero, /dev/full', ['--transport', 'chardev', '-n', 'rcv,snd,pol', '-z', 'rcv,snd', '-f', 'rcv,snd,pol', '-e', '-n', 'pol'], [
    'cmd #1 stp #1: rcv(n=3): ret=0',
    'cmd #1 stp #2: snd(n=3): ret=3',
    'cmd #1 stp #3: pol(n=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #2 stp #1: rcv(z=4): ret=10',
    'cmd #2 stp #2: snd(z=4): ret=3',
    'cmd #3 stp #1: rcv(f=5): ret=10',
    'cmd #3 stp #2: snd(f=5): ret=-1 (No space left on device)',
    'cmd #3 stp #3: pol(f=5): ret=1 ev=0x5 (IN OUT)',
    'cmd #4 stp #1: pol(n=3): ret=-1 (Operation not permitted) ev=0  [epoll_ctl(EPOLL_CTL_ADD) failed]',
  ]],
  // read(2): EISDIR on a directory; write(2): EBADF when not open for
  // writing; epoll_ctl(2): EPERM for "a regular file or a directory".
  ['dir: poll says ready, epoll refuses it', ['--transport', 'dir', '-d', 'rcv,snd,pol', '-e', '-d', 'pol'], [
    'cmd #1 stp #1: rcv(d=3): ret=-1 (Is a directory)',
    'cmd #1 stp #2: snd(d=3): ret=-1 (Bad file descriptor)',
    'cmd #1 stp #3: pol(d=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #2 stp #1: pol(d=3): ret=-1 (Operation not permitted) ev=0  [epoll_ctl(EPOLL_CTL_ADD) failed]',
  ]],
  // inotify(7): readable while an event is queued; two identical unread
  // events are coalesced, so one read takes one event (16 bytes + the name
  // "entry" padded to 16); then EAGAIN.
  ['inotify: an event pending, coalesced, read', ['--transport', 'inotify', '-i', 'pol,snd,snd,pol,rcv,pol,rcv', '-e', '-i', 'snd,pol'], [
    'cmd #1 stp #1: pol(i=3): ret=0 ev=0 ',
    'cmd #1 stp #2: snd(i=3): ret=0',
    'cmd #1 stp #3: snd(i=3): ret=0',
    'cmd #1 stp #4: pol(i=3): ret=1 ev=0x1 (IN)',
    'cmd #1 stp #5: rcv(i=3): ret=32',
    'cmd #1 stp #6: pol(i=3): ret=0 ev=0 ',
    'cmd #1 stp #7: rcv(i=3): ret=-1 (Resource temporarily unavailable)',
    'cmd #2 stp #1: snd(i=3): ret=0',
    'cmd #2 stp #2: pol(i=3): ret=1 ev=0x1 (IN)',
  ]],
  // fs/notify/notification.c: an event merged into the unread one wakes no
  // one, so epoll-et sees no edge; a new event after a read does.
  ['inotify with epoll-et: a coalesced event is no edge', ['--backend', 'epoll-et', '--transport', 'inotify', '-i', 'snd,pol,pol,snd,pol,rcv,snd,pol'], [
    'cmd #1 stp #1: snd(i=3): ret=0',
    'cmd #1 stp #2: pol(i=3): ret=1 ev=0x1 (IN)',
    'cmd #1 stp #3: pol(i=3): ret=0 ev=0 ',
    'cmd #1 stp #4: snd(i=3): ret=0',
    'cmd #1 stp #5: pol(i=3): ret=0 ev=0 ',
    'cmd #1 stp #6: rcv(i=3): ret=32',
    'cmd #1 stp #7: snd(i=3): ret=0',
    'cmd #1 stp #8: pol(i=3): ret=1 ev=0x1 (IN)',
  ]],
  // timerfd_create(2): readable once an expiry is unread, never writable; a
  // read returns the count and clears it; disarming drops an unread expiry
  // (fs/timerfd.c timerfd_setup zeroes ticks). `snd` arms it at an absolute
  // time long past; the settle rule waits for the timer interrupt.
  ['timerfd: expired, read, disarmed, armed ahead', ['--transport', 'timerfd', '-t', 'pol,snd,pol,rcv,pol,rcv,snd,dis,pol', '-e', '-t', 'far,pol,snd,pol'], [
    'cmd #1 stp #1: pol(t=3): ret=0 ev=0 ',
    'cmd #1 stp #2: snd(t=3): ret=0',
    'cmd #1 stp #3: pol(t=3): ret=1 ev=0x1 (IN)',
    'cmd #1 stp #4: rcv(t=3): ret=8',
    'cmd #1 stp #5: pol(t=3): ret=0 ev=0 ',
    'cmd #1 stp #6: rcv(t=3): ret=-1 (Resource temporarily unavailable)',
    'cmd #1 stp #7: snd(t=3): ret=0',
    'cmd #1 stp #8: dis(t=3): ret=0',
    'cmd #1 stp #9: pol(t=3): ret=0 ev=0 ',
    'cmd #2 stp #1: far(t=3): ret=0',
    'cmd #2 stp #2: pol(t=3): ret=0 ev=0 ',
    'cmd #2 stp #3: snd(t=3): ret=0',
    'cmd #2 stp #4: pol(t=3): ret=1 ev=0x1 (IN)',
  ]],
  // netty#9192 registers its timerfd with EPOLLET and never reads it: each
  // expiry wakes the waiters (fs/timerfd.c timerfd_triggered), read or not.
  ['timerfd with epoll-et: each expiry is a new edge without a read', ['--backend', 'epoll-et', '--transport', 'timerfd', '-t', 'snd,pol,pol,snd,pol'], [
    'cmd #1 stp #1: snd(t=3): ret=0',
    'cmd #1 stp #2: pol(t=3): ret=1 ev=0x1 (IN)',
    'cmd #1 stp #3: pol(t=3): ret=0 ev=0 ',
    'cmd #1 stp #4: snd(t=3): ret=0',
    'cmd #1 stp #5: pol(t=3): ret=1 ev=0x1 (IN)',
  ]],
  // signalfd(2): readable while a signal of its mask is pending for the
  // thread that asks; a standard signal raised twice is pending once.
  ['signalfd: raised twice, read once, on poll and epoll', ['--transport', 'signalfd', '-g', 'pol,snd,snd,pol,rcv,pol,rcv', '-e', '-g', 'snd,pol'], [
    'cmd #1 stp #1: pol(g=3): ret=0 ev=0 ',
    'cmd #1 stp #2: snd(g=3): ret=0',
    'cmd #1 stp #3: snd(g=3): ret=0',
    'cmd #1 stp #4: pol(g=3): ret=1 ev=0x1 (IN)',
    'cmd #1 stp #5: rcv(g=3): ret=128',
    'cmd #1 stp #6: pol(g=3): ret=0 ev=0 ',
    'cmd #1 stp #7: rcv(g=3): ret=-1 (Resource temporarily unavailable)',
    'cmd #2 stp #1: snd(g=3): ret=0',
    'cmd #2 stp #2: pol(g=3): ret=1 ev=0x1 (IN)',
  ]],
  // With EPOLLET, a raise after a read is a new edge. (Whether a pol with
  // the signal still pending gets an edge is not asserted: fs/signalfd.c
  // wakes every signalfd waiter of the process at any signal to any of its
  // threads, and signalfd_poll then answers for the asking thread.)
  ['signalfd with epoll-et: an edge per raise after a read', ['--backend', 'epoll-et', '--transport', 'signalfd', '-g', 'snd,pol,rcv,pol,snd,pol'], [
    'cmd #1 stp #1: snd(g=3): ret=0',
    'cmd #1 stp #2: pol(g=3): ret=1 ev=0x1 (IN)',
    'cmd #1 stp #3: rcv(g=3): ret=128',
    'cmd #1 stp #4: pol(g=3): ret=0 ev=0 ',
    'cmd #1 stp #5: snd(g=3): ret=0',
    'cmd #1 stp #6: pol(g=3): ret=1 ev=0x1 (IN)',
  ]],
  // pidfd_open(2): "When the task ... terminates and becomes a zombie ...
  // readable (EPOLLIN). When the task is reaped ... a hangup event
  // (EPOLLHUP)". A second reap finds no child (waitid(2) ECHILD).
  ['pidfd: running, zombie, reaped, on poll and epoll', ['--transport', 'pidfd', '-p', 'pol,snd,pol,rcv,pol,rcv', '-e', '-p', 'pol'], [
    'cmd #1 stp #1: pol(p=3): ret=0 ev=0 ',
    'cmd #1 stp #2: snd(p=3): ret=0',
    'cmd #1 stp #3: pol(p=3): ret=1 ev=0x1 (IN)',
    'cmd #1 stp #4: rcv(p=3): ret=0',
    'cmd #1 stp #5: pol(p=3): ret=1 ev=0x11 (IN HUP)',
    'cmd #1 stp #6: rcv(p=3): ret=-1 (No child processes)',
    'cmd #2 stp #1: pol(p=3): ret=1 ev=0x11 (IN HUP)',
  ]],
  // epoll(7) Q3: an epoll instance with an event pending is readable, never
  // writable (fs/eventpoll.c ep_eventpoll_poll); b holds a, so it follows a.
  // epoll_ctl(2) ERRORS: adding b into a closes a loop (ELOOP), adding a
  // into b again is EEXIST, and r is no epoll instance (EINVAL). EPOLLHUP
  // is always reported, so the writer's close is an event inside a; closing
  // r removes it from a (Q6).
  ['epoll: pending, nested, a loop refused, hangup, inner closed', ['--transport', 'epoll', '-a', 'pol', '-w', 'snd', '-a', 'pol', '-b', 'pol', '-a', 'lop', '-b', 'lop', '-r', 'lop', '-r', 'rcv', '-a', 'pol', '-b', 'pol', '-w', 'clo', '-a', 'pol', '-r', 'clo', '-a', 'pol'], [
    'cmd #1 stp #1: pol(a=5): ret=0 ev=0 ',
    'cmd #2 stp #1: snd(w=4): ret=3',
    'cmd #3 stp #1: pol(a=5): ret=1 ev=0x1 (IN)',
    'cmd #4 stp #1: pol(b=6): ret=1 ev=0x1 (IN)',
    'cmd #5 stp #1: lop(a=5): ret=-1 (Too many levels of symbolic links) [EPOLL_CTL_ADD of b]',
    'cmd #6 stp #1: lop(b=6): ret=-1 (File exists) [EPOLL_CTL_ADD of a]',
    'cmd #7 stp #1: lop(r=3): ret=-1 (Invalid argument) [EPOLL_CTL_ADD of a]',
    'cmd #8 stp #1: rcv(r=3): ret=3',
    'cmd #9 stp #1: pol(a=5): ret=0 ev=0 ',
    'cmd #10 stp #1: pol(b=6): ret=0 ev=0 ',
    'cmd #11 stp #1: clo(w=4): ret=0',
    'cmd #12 stp #1: pol(a=5): ret=1 ev=0x1 (IN)',
    'cmd #13 stp #1: clo(r=3): ret=0',
    'cmd #14 stp #1: pol(a=5): ret=0 ev=0 ',
  ]],
  ['epoll as the descriptor of epoll-et: a new event inside is a new edge', ['--backend', 'epoll-et', '--transport', 'epoll', '-w', 'snd', '-a', 'pol,pol', '-w', 'snd', '-a', 'pol'], [
    'cmd #1 stp #1: snd(w=4): ret=3',
    'cmd #2 stp #1: pol(a=5): ret=1 ev=0x1 (IN)',
    'cmd #2 stp #2: pol(a=5): ret=0 ev=0 ',
    'cmd #3 stp #1: snd(w=4): ret=3',
    'cmd #4 stp #1: pol(a=5): ret=1 ev=0x1 (IN)',
  ]],
  ['arm on a mechanism that registers nothing says so', ['-c', 'arm'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #1: arm(c=4): ret=0 [this mechanism asks afresh at every pol: nothing to re-arm]',
  ]],
];

for (const [name, args, expected] of cases) {
  onLinux(`${name}: pollmatrix trace ${args.join(' ')}${why}`, () => {
    assert.equal(trace(args), expected);
  });
}

// pty(7): the terminal's line discipline is canonical: "foo" without a
// newline is no line yet, so the terminal is not readable. Other
// implementations may differ; so is the master's echo timing, which goes
// through a work queue, so only the terminal side is asserted.
onLinux(`pty: a partial line is not readable on the terminal${why}`, () => {
  const lines = trace(['--transport', 'pty', '-m', 'snd', '-t', 'pol']);
  assert.is(lines[0], 'cmd #1 stp #1: snd(m=3): ret=3');
  assert.is(lines[1], 'cmd #2 stp #1: pol(t=4): ret=1 ev=0x4 (OUT)');
});

// netlink(7), rtnetlink(7): a route socket is writable while idle, readable
// while a dump's reply is queued; the kernel queues the next part of the
// dump at each read (af_netlink.c netlink_recvmsg -> netlink_dump), so it
// stays readable until NLMSG_DONE is read. `ful` overruns it without
// privilege: replies the kernel cannot queue set ENOBUFS (netlink_overrun),
// which poll reports as ERR and the next recv returns, once. The byte counts
// of the replies depend on the kernel's attribute set, so only the flags
// and the errors are asserted.
onLinux(`netlink: a dump read, then an overrun: ERR, ENOBUFS, drained${why}`, () => {
  const lines = trace(['--transport', 'netlink', '-n', 'pol,snd,pol,rcv,pol,rcv,pol,ful,pol,rcv,pol,drn,pol,rcv']);
  const shown = lines.map((l) => l.replace(/^(cmd #1 stp #\d+: (?:rcv|drn)\(n=3\)): ret=\d+$/, '$1: ret>0'));
  assert.equal(shown, [
    'cmd #1 stp #1: pol(n=3): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #2: snd(n=3): ret=32',
    'cmd #1 stp #3: pol(n=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #1 stp #4: rcv(n=3): ret>0',
    'cmd #1 stp #5: pol(n=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #1 stp #6: rcv(n=3): ret>0',
    'cmd #1 stp #7: pol(n=3): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #8: ful(n=3): ret=64 [SO_RCVBUF at its minimum, RTM_GETLINK for ifindex 1 sent 64 times, nothing read]',
    'cmd #1 stp #9: pol(n=3): ret=1 ev=0xd (IN OUT ERR)',
    'cmd #1 stp #10: rcv(n=3): ret=-1 (No buffer space available)',
    'cmd #1 stp #11: pol(n=3): ret=1 ev=0x5 (IN OUT)',
    'cmd #1 stp #12: drn(n=3): ret>0',
    'cmd #1 stp #13: pol(n=3): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #14: rcv(n=3): ret=-1 (Resource temporarily unavailable)',
  ]);
});

test('every transport is listed with its letters and actions, from the addon', () => {
  const got = cli(['transports'], binding);
  assert.is(got.code, 0);
  for (const t of binding.transports()) {
    assert.ok(got.out.includes(`${t.name}\n`), t.name);
    assert.ok(got.out.includes(`endpoints: ${t.endpoints.map((e) => `-${e.letter} ${e.role}`).join(', ')}`), t.name);
  }
  const names = binding.transports().map((t) => t.name);
  assert.equal(names, ['tcp', 'tcp6', 'unix', 'unix-dgram', 'udp', 'socketpair', 'socketpair-dgram', 'socketpair-seqpacket', 'pipe', 'fifo', 'pty', 'file', 'eventfd', 'eventfd-semaphore', 'chardev', 'dir', 'inotify', 'timerfd', 'signalfd', 'pidfd', 'epoll', 'netlink']);
});

test('a FIFO, a directory or an inotify watch leaves nothing on the file system; an abstract UNIX name nothing at all', () => {
  // The addon's own folders, /tmp/pollmatrix-XXXXXX (native/transports/
  // private_dir.h); a test's temporary folders have a word after the prefix.
  const tmp = () => new Set(readdirSync('/tmp').filter((f) => /^pollmatrix-[A-Za-z0-9]{6}$/.test(f)));
  const before = tmp();
  trace(['--transport', 'fifo', '-r', 'opn', '-w', 'opn,snd']);
  trace(['--transport', 'dir', '-d', 'pol']);
  if (isLinux) trace(['--transport', 'inotify', '-i', 'snd,pol']);
  trace(['--transport', 'unix', '-c', 'pol']);
  trace(['--transport', 'unix-dgram', '-c', 'snd']);
  // Other pollmatrix processes (a second test run, a helper's fuzz) make
  // and remove folders of the same name meanwhile: a new one that is still
  // there 10 s on is one that nobody removes, ours or a leak all the same.
  const added = () => [...tmp()].filter((f) => !before.has(f)).sort();
  const until = Date.now() + 10_000;
  while (added().length > 0 && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  assert.equal(added(), []);
});

// The transport raises SIGUSR2 at the scenario's thread with it blocked
// there, and takes what is still pending before the thread's mask comes
// back: a handler of Node's never sees it (without one, SIGUSR2's default
// action would end this process). Each run leaves the signal pending at its
// end, on every backend; the handler is asked after the event loop turned.
onLinux(`signalfd: a signal raised for the signalfd never reaches Node's handler${why}`, async () => {
  let seen = 0;
  const handler = () => seen++;
  process.on('SIGUSR2', handler);
  try {
    const runner = new Runner(binding);
    for (const backend of vocabularyOf(runner.binding).availableBackends()) {
      for (let i = 0; i < 5; i++) {
        const run = runWith(runner, [{ side: 'g', actions: ['snd', 'snd', 'pol'] }], backend, { transport: 'signalfd' });
        assert.equal(run.leaked, [], backend);
      }
    }
    trace(['--transport', 'signalfd', '-g', 'snd']);
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.is(seen, 0);
  } finally {
    process.off('SIGUSR2', handler);
  }
});

/** This process's children (every thread's), each with its state letter. */
function children(): string[] {
  return readdirSync('/proc/self/task')
    .flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean))
    .map((pid) => {
      try {
        return `${pid} ${readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0]}`;
      } catch {
        return `${pid} gone`;
      }
    });
}

// The pidfd transport's child is killed and reaped at the end of every
// scenario, whatever the steps did: killed or not, reaped or not, its pidfd
// closed or not, and on every backend; no zombie and no stray process.
onLinux(`pidfd: no zombie and no stray child after any pidfd scenario${why}`, () => {
  const before = children();
  const runner = new Runner(binding);
  const steps = [['pol'], ['snd'], ['snd', 'pol'], ['snd', 'rcv'], ['rcv', 'clo'], ['clo'], ['snd', 'clo', 'pol']];
  for (const backend of vocabularyOf(runner.binding).availableBackends()) {
    for (const actions of steps) {
      const run = runWith(runner, [{ side: 'p', actions }], backend, { transport: 'pidfd' });
      assert.equal(run.leaked, [], `${actions} on ${backend}`);
    }
  }
  trace(['--transport', 'pidfd', '-p', 'snd']);
  assert.equal(children(), before);
});

onLinux(`every catalogue scenario ends with nothing leaked, on every backend${why}`, () => {
  const runner = new Runner(binding);
  const fds = () => readdirSync('/proc/self/fd').length;
  const before = fds();
  for (const scenario of loadCatalogue(path.join(packageRoot, 'matrix'), vocabularyOf(binding))) {
    for (const backend of vocabularyOf(runner.binding).availableBackends()) {
      const run = runWith(runner, scenario.commands, backend, { transport: scenario.transport, interest: scenario.interest, timeoutMs: 50 });
      assert.equal(run.leaked, [], `${scenario.id} on ${backend}`);
      assert.is(run.setupError, null, `${scenario.id} on ${backend}`);
    }
  }
  assert.is(fds(), before);
});

test.run();
