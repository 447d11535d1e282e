// The pty settle rule (native/transports/pty.cc): what one side of a
// pseudoterminal wrote reaches the other side's line discipline from a
// kernel work queue, so without the rule these vary from run to run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { parseHaproxyArgs } from '../../src/model/scenario-syntax.js';
import { nativeScenario } from '../../src/native/runner.js';
import { testDir } from '../helpers.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';

const binding = loadBinding();
const hasPty = binding.transports().some((t) => t.name === 'pty' && t.available);
const onLinux = process.platform === 'linux' && hasPty ? test : test.skip;

function outcomes(steps: string, backend = 'poll', repeat = 200) {
  const commands = parseHaproxyArgs(steps.split(' '), undefined, vocabularyOf(binding).grammar('pty')).map((c) => ({ ...c, backend }));
  return binding.runMany([nativeScenario(commands, { transport: 'pty', timeoutMs: 20 })], { repeat, jobs: 2 })[0];
}

const rets = (o: ReturnType<typeof outcomes>[number]) => o.result.steps.map((s) => `${s.action}=${s.ret}${s.settleBound ? '!' : ''}`).join(' ');

onLinux('Linux pty: `ful` on the terminal fills at 19,712 bytes and on the master stops at 64 KiB, in every run', () => {
  const got = outcomes('-t ful -m ful', 'poll', 100);
  assert.equal(got.map(rets), ['ful=19712 ful=65536'], got.map((o) => `${o.runs}: ${rets(o)}`).join('; '));
  assert.match(got[0].result.steps[1].note ?? '', /^no EAGAIN after 65536 bytes: stopped there \(the terminal in canonical mode/);
});

onLinux('Linux pty: the terminal echoes a byte at a time, yet a read on the master gets both echoes of "foo" in every run', () => {
  const got = outcomes('-m snd,snd,rcv,pol', 'poll', 300);
  assert.equal(got.map(rets), ['snd=3 snd=3 rcv=6 pol=1'], got.map((o) => `${o.runs}: ${rets(o)}`).join('; '));
});

onLinux('Linux pty: after the master filled its terminal, a read from the full master and the terminal\'s write give one answer', () => {
  const got = outcomes('-m ful,rcv,pol -t snd,rcv,ful', 'epoll-et', 300);
  assert.is(got.length, 1, got.map((o) => `${o.runs}: ${rets(o)}`).join('; '));
});

onLinux('Linux pty: without the rule (POLLMATRIX_NO_SETTLE) `ful` on the master varies: the rule is what makes it one answer', () => {
  const script = [
    "import { loadBinding } from './src/native/binding.js';",
    "import { nativeScenario } from './src/native/runner.js';",
    'const b = loadBinding();',
    "const c = [{ side: 'm', actions: ['ful', 'drn'], backend: 'poll' }];",
    "const o = b.runMany([nativeScenario(c, { transport: 'pty', timeoutMs: 20 })], { repeat: 100, jobs: 2 })[0];",
    'process.stdout.write(String(o.length));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: path.join(testDir, '..'),
    env: { ...process.env, POLLMATRIX_NO_SETTLE: '1' },
    encoding: 'utf8',
  });
  assert.is(child.status, 0, child.stderr);
  assert.ok(Number(child.stdout.trim()) > 1, `100 runs without the rule gave ${child.stdout.trim()} result(s)`);
});

test.run();
