// The seed's six traces, reproduced by the real addon on this machine.
// Linux loopback is deterministic, so flags are asserted exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { cli, seedTraces, withoutDescriptors } from '../helpers.js';

const binding = loadBinding();
const isLinux = process.platform === 'linux';
const traces = seedTraces();
// The seed was recorded on Linux; elsewhere the flags differ by design.
const onLinux = isLinux ? test : test.skip;

test('the fixture holds the six seed traces', () => {
  assert.is(traces.length, 6);
});

for (const trace of traces) {
  for (const mode of ['poll', 'epoll'] as const) {
    const args = mode === 'epoll' ? ['-e', ...trace.args] : trace.args;
    onLinux(`trace ${args.join(' ')} reproduces the seed (${mode})`, () => {
      const got = cli(['trace', ...args], binding);
      assert.is(got.code, 0, got.err);
      const lines = got.out.trimEnd().split('\n');
      // A private descriptor table gives haproxy's very numbers (3, 4, 5).
      assert.equal(lines, trace.lines);
      assert.equal(lines.map(withoutDescriptors), trace.lines.map(withoutDescriptors));
    });
  }
}

onLinux('select reports the seed states as R and W, never X', () => {
  for (const trace of traces) {
    const got = cli(['trace', '--backend', 'select', ...trace.args], binding);
    assert.is(got.code, 0, got.err);
    const pols = got.out.split('\n').filter((l) => l.includes(': pol('));
    assert.ok(pols.length > 0);
    // Linux select() counts HUP and ERR as readable and writable
    // (fs/select.c POLLIN_SET/POLLOUT_SET); X is POLLPRI only.
    for (const line of pols) assert.match(line, /: pol\(c=4\): ret=2 ev=0x3 \(R W\)$/, trace.args.join(' '));
  }
});

onLinux('a trace line names the errno with this OS strerror text', () => {
  const got = cli(['trace', '-v', '-l', 'clo', '-c', 'pol'], binding);
  const con = got.out.split('\n').find((l) => l.includes('con('));
  assert.ok(con?.endsWith(': ret=-1 (Connection refused)'), con);
});

test.run();
