// The socket options that take a value (`lwm=N`, `sbf=N`, `rbf=N`, `dfr=N`),
// on the real addon. Loopback decides each of these before the call that
// causes it returns (the settle rule waits for what is in flight), so the
// trace lines are asserted exactly, except a buffer size the kernel reads
// back after its own arithmetic (sizeof(struct sk_buff) enters it), where
// the documented doubling is asserted instead.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { cli } from '../helpers.js';

const binding = loadBinding();
const isLinux = process.platform === 'linux';
const onLinux = isLinux ? test : test.skip;
const why = isLinux ? '' : ' (skipped: the flags asserted are Linux kernel behaviour)';

function trace(args: string[], backend = 'poll'): string[] {
  const got = cli(['trace', '-v', '--backend', backend, ...args], binding);
  assert.is(got.code, 0, got.err);
  return got.out.split('\n').filter((l) => l.startsWith('cmd #'));
}

// socket(7) long said poll ignores SO_RCVLOWAT on Linux (cqueues#163,
// eos#4078 relied on that); tcp_poll() has honoured it since 2.6.28.
for (const backend of ['poll', 'epoll', 'select', 'io_uring']) {
  onLinux(`SO_RCVLOWAT 5: TCP holds back IN with 3 bytes, gives it with 6 (${backend})${why}`, () => {
    const lines = trace(['-c', 'snd', '-s', 'lwm=5,pol', '-c', 'snd', '-s', 'pol'], backend);
    const [below, above] = backend === 'select' ? ['ret=1 ev=0x2 (W)', 'ret=2 ev=0x3 (R W)'] : ['ret=1 ev=0x4 (OUT)', 'ret=1 ev=0x5 (IN OUT)'];
    assert.equal(lines, [
      'cmd #1 stp #0: con(c=4): ret=0',
      'cmd #1 stp #1: snd(c=4): ret=3',
      'cmd #2 stp #0: acc(l=3): ret=5',
      'cmd #2 stp #1: lwm=5(s=5): ret=0 [SO_RCVLOWAT reads back 5]',
      `cmd #2 stp #2: pol(s=5): ${below}`,
      'cmd #3 stp #1: snd(c=4): ret=3',
      `cmd #4 stp #1: pol(s=5): ${above}`,
    ]);
  });
}

// tcp_poll(): RCV_SHUTDOWN sets IN|RDNORM|RDHUP whatever the low-water mark.
onLinux(`SO_RCVLOWAT 5: the peer's FIN gives IN RDHUP with 3 bytes below it${why}`, () => {
  assert.equal(trace(['-c', 'snd', '-s', 'lwm=5', '-c', 'shw', '-s', 'pol']).at(-1), 'cmd #4 stp #1: pol(s=5): ret=1 ev=0x2005 (IN OUT RDHUP)');
});

// unix_poll() and datagram_poll(): IN when the queue is not empty.
onLinux(`SO_RCVLOWAT 5: UNIX stream, socketpair and UDP sockets give IN with 3 bytes${why}`, () => {
  assert.equal(trace(['--transport', 'unix', '-c', 'snd', '-s', 'lwm=5,pol']).at(-1), 'cmd #2 stp #2: pol(s=5): ret=1 ev=0x5 (IN OUT)');
  assert.equal(trace(['--transport', 'socketpair', '-a', 'snd', '-b', 'lwm=5,pol']).at(-1), 'cmd #2 stp #2: pol(b=4): ret=1 ev=0x5 (IN OUT)');
  assert.equal(trace(['--transport', 'udp', '-c', 'snd', '-s', 'lwm=5,pol']).at(-1), 'cmd #2 stp #2: pol(s=3): ret=1 ev=0x5 (IN OUT)');
});

// tcp(7) TCP_DEFER_ACCEPT: "Allow a listener to be awakened only when data
// arrives on the socket"; 0 turns it off.
onLinux(`TCP_DEFER_ACCEPT: the listener is quiet until data arrives, and 0 turns it off${why}`, () => {
  assert.equal(trace(['-l', 'dfr=1', '-c', 'pol', '-l', 'pol', '-c', 'snd', '-l', 'pol', '-s', 'rcv']), [
    'cmd #1 stp #1: dfr=1(l=3): ret=0 [TCP_DEFER_ACCEPT reads back 1]',
    'cmd #2 stp #0: con(c=4): ret=0',
    'cmd #2 stp #1: pol(c=4): ret=1 ev=0x4 (OUT)',
    'cmd #3 stp #1: pol(l=3): ret=0 ev=0 ',
    'cmd #4 stp #1: snd(c=4): ret=3',
    'cmd #5 stp #1: pol(l=3): ret=1 ev=0x1 (IN)',
    'cmd #6 stp #0: acc(l=3): ret=5',
    'cmd #6 stp #1: rcv(s=5): ret=3',
  ]);
  assert.equal(trace(['-l', 'dfr=0', '-c', 'pol', '-l', 'pol']).at(-1), 'cmd #3 stp #1: pol(l=3): ret=1 ev=0x1 (IN)');
});

// socket(7) SO_SNDBUF/SO_RCVBUF: "The kernel doubles this value"; the
// smallest value gives the kernel's minimum, which is more than twice 0.
onLinux(`SO_SNDBUF and SO_RCVBUF read back doubled, and 0 gives the kernel's minimum${why}`, () => {
  const lines = trace(['-c', 'sbf=4096', '-s', 'rbf=4096', '-c', 'sbf=0', '-s', 'rbf=0']);
  assert.equal(lines.slice(1, 2), ['cmd #1 stp #1: sbf=4096(c=4): ret=0 [SO_SNDBUF reads back 8192]']);
  assert.equal(lines.slice(3, 4), ['cmd #2 stp #1: rbf=4096(s=5): ret=0 [SO_RCVBUF reads back 8192]']);
  const minimum = (line: string) => Number(/reads back (\d+)\]$/.exec(line)?.[1]);
  assert.ok(minimum(lines[4]) > 1000 && minimum(lines[4]) < 8192, lines[4]);
  assert.ok(minimum(lines[5]) > 1000 && minimum(lines[5]) < 8192, lines[5]);
});

// unix_writable(): writable while a quarter or less of the send buffer is
// charged; each datagram is charged to the sender until the reader takes it.
onLinux(`SO_SNDBUF 0 on a UNIX datagram socket: full after ful, not writable after one read, writable after both${why}`, () => {
  const lines = trace(['--transport', 'unix-dgram', '-c', 'sbf=0,ful,pol', '-s', 'rcv', '-c', 'pol', '-s', 'rcv,rcv', '-c', 'pol']);
  assert.equal(lines.filter((l) => / pol\(|rcv\(/.test(l)), [
    'cmd #1 stp #3: pol(c=4): ret=0 ev=0 ',
    'cmd #2 stp #1: rcv(s=3): ret=10',
    'cmd #3 stp #1: pol(c=4): ret=0 ev=0 ',
    'cmd #4 stp #1: rcv(s=3): ret=10',
    'cmd #4 stp #2: rcv(s=3): ret=-1 (Resource temporarily unavailable)',
    'cmd #5 stp #1: pol(c=4): ret=1 ev=0x4 (OUT)',
  ]);
});

test('a value is checked where it is given: missing, out of range, on an action that takes none (one line, exit 2)', () => {
  const bad = (args: string[], message: RegExp) => {
    const got = cli(['trace', ...args], binding);
    assert.is(got.code, 2, got.out);
    assert.match(got.err, message);
    assert.is(got.err.trim().split('\n').length, 1, got.err);
  };
  bad(['-s', 'lwm,pol'], /^pollmatrix: trace: argument 2: 'lwm' needs a value: lwm=N, bytes from 0 to 1073741824 in 'lwm,pol'$/m);
  bad(['-s', 'lwm=-1'], /'lwm=-1': the value must be bytes from 0 to 1073741824/);
  bad(['-s', 'lwm=1073741825'], /'lwm=1073741825': the value must be bytes from 0 to 1073741824/);
  bad(['-s', 'dfr=3601'], /'dfr=3601': the value must be seconds from 0 to 3600/);
  bad(['-s', 'snd=3'], /'snd' takes no value in 'snd=3'/);
  bad(['--transport', 'pipe', '-r', 'lwm=5'], /transport pipe cannot do 'lwm' on -r/);
  bad(['--transport', 'unix', '-l', 'dfr=1'], /transport unix cannot do 'dfr' on -l/);
});

test("the addon checks a value too: run() names the action's place and what was wrong", () => {
  const run = (actions: string[]) => () => binding.run({ transport: 'tcp', commands: [{ side: 's', backend: 'poll', actions }] });
  assert.throws(run(['pol', 'lwm']), /commands\[0\]\.actions\[1\]: 'lwm' needs a value: lwm=N, bytes from 0 to 1073741824/);
  assert.throws(run(['lwm=x']), /commands\[0\]\.actions\[0\]: 'lwm=x': the value must be bytes/);
  assert.throws(run(['pol=1']), /commands\[0\]\.actions\[0\]: 'pol' takes no value/);
  assert.throws(run(['xyz=1']), /commands\[0\]\.actions\[0\] is not an action/);
});

test('trace --help lists the actions that take a value with =N and their bounds', () => {
  // The help wraps its lines; the words are compared with the breaks made spaces.
  const text = cli(['trace', '--help'], binding).out.replace(/\s+/g, ' ');
  assert.match(text, / lwm=N SO_RCVLOWAT=N: [^(]*\(N: bytes, 0 to 1073741824\)/);
  assert.match(text, / dfr=N TCP_DEFER_ACCEPT=N on a listener: .*?\(N: seconds, 0 to 3600\)/);
});

test.run();
