// frk and fcl, the forked holder (native/engine/holder.h), on the real addon.
// A holder is a child process with its own copy of one endpoint's
// descriptor: fork(2) "The child inherits copies of the parent's set of open
// file descriptors. Each file descriptor in the child refers to the same
// open file description", so the parent's close is not the last one, and
// epoll(7) Q6: a registration leaves the interest list only when every
// descriptor of that description is closed. On Linux loopback delivers the
// FIN of the holder's close before fcl's answer comes back, so the traces
// are asserted exactly.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import type { CommandSpec } from '../../src/model/steps.js';
import { loadCatalogue } from '../../src/model/catalogue.js';
import { Runner } from '../../src/native/runner.js';
import { packageRoot } from '../../src/model/package-root.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';
import { cli } from '../helpers.js';
import { runWith } from '../runs.js';

const binding = loadBinding();
const isLinux = process.platform === 'linux';
const onLinux = isLinux ? test : test.skip;
const why = isLinux ? '' : ' (skipped: the flags and /proc asserted are Linux behaviour)';

/** The step lines of a trace, descriptor numbers included (private table). */
function trace(args: string[]): string[] {
  const got = cli(['trace', '-v', ...args], binding);
  assert.is(got.code, 0, got.err);
  return got.out.split('\n').filter((l) => l.startsWith('cmd #'));
}

const cases: Array<[string, string[], string[]]> = [
  // The client's close is not the last while the holder lives: no FIN, the
  // server is only writable; after fcl it sees the FIN (IN OUT RDHUP).
  ['tcp: no FIN while the holder lives', ['-c', 'frk,clo', '-s', 'pol', '-c', 'fcl', '-s', 'pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #1: frk(c=4): ret=0',
    'cmd #1 stp #2: clo(c=4): ret=0',
    'cmd #2 stp #0: acc(l=3): ret=4',
    'cmd #2 stp #1: pol(s=4): ret=1 ev=0x4 (OUT)',
    'cmd #3 stp #1: fcl(c=4): ret=0',
    'cmd #4 stp #1: pol(s=4): ret=1 ev=0x2005 (IN OUT RDHUP)',
  ]],
  // shutdown(2) acts on the socket, not on one descriptor: the FIN goes out
  // although the holder keeps a copy (phusion/passenger#375's fix).
  ['tcp: shutdown sends the FIN despite the holder', ['-c', 'frk,shw,clo', '-s', 'pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #1: frk(c=4): ret=0',
    'cmd #1 stp #2: shw(c=4): ret=0',
    'cmd #1 stp #3: clo(c=4): ret=0',
    'cmd #2 stp #0: acc(l=3): ret=4',
    'cmd #2 stp #1: pol(s=4): ret=1 ev=0x2005 (IN OUT RDHUP)',
  ]],
  // epoll(7) Q6 through a child: the edge-triggered registration made
  // through s=5 reports the data under the closed number while the holder
  // lives, and is gone once the holder's close was the last.
  ['epoll-et: the registration lives as long as the holder', ['--backend', 'epoll-et', '-s', 'pol,frk,clo', '-c', 'snd', '-s', 'pol,fcl,pol'], [
    'cmd #1 stp #0: con(c=4): ret=0',
    'cmd #1 stp #0: acc(l=3): ret=5',
    'cmd #1 stp #1: pol(s=5): ret=1 ev=0x4 (OUT)',
    'cmd #1 stp #2: frk(s=5): ret=0',
    'cmd #1 stp #3: clo(s=5): ret=0',
    'cmd #2 stp #1: snd(c=4): ret=3',
    'cmd #3 stp #1: pol(s=5): ret=1 ev=0x5 (IN OUT)',
    'cmd #3 stp #2: fcl(s=5): ret=0',
    'cmd #3 stp #3: pol(s=5): ret=0 ev=0 ',
  ]],
  // pipe(7): end-of-file only once every descriptor of the write end is closed.
  ['pipe: the holder of the write end holds off the hang-up', ['--transport', 'pipe', '-w', 'frk,clo', '-r', 'pol', '-w', 'fcl', '-r', 'pol'], [
    'cmd #1 stp #1: frk(w=4): ret=0',
    'cmd #1 stp #2: clo(w=4): ret=0',
    'cmd #2 stp #1: pol(r=3): ret=0 ev=0 ',
    'cmd #3 stp #1: fcl(w=4): ret=0',
    'cmd #4 stp #1: pol(r=3): ret=1 ev=0x10 (HUP)',
  ]],
  // One holder per endpoint at a time; fcl needs one; after fcl a new one
  // may be forked. A closed number has nothing to hold: EBADF, no child,
  // so nothing holds a off b's hang-up.
  ['one holder per endpoint, fcl needs one, a closed endpoint has none', ['--transport', 'socketpair', '-a', 'frk,frk,fcl,fcl,frk,fcl,clo,frk', '-b', 'pol'], [
    'cmd #1 stp #1: frk(a=3): ret=0',
    'cmd #1 stp #2: frk(a=3): ret=-1 [this endpoint has a holder already: fcl first]',
    'cmd #1 stp #3: fcl(a=3): ret=0',
    'cmd #1 stp #4: fcl(a=3): ret=-1 [no holder: frk first]',
    'cmd #1 stp #5: frk(a=3): ret=0',
    'cmd #1 stp #6: fcl(a=3): ret=0',
    'cmd #1 stp #7: clo(a=3): ret=0',
    'cmd #1 stp #8: frk(a=3): ret=-1 (Bad file descriptor)',
    'cmd #2 stp #1: pol(b=4): ret=1 ev=0x2015 (IN OUT HUP RDHUP)',
  ]],
];

for (const [name, args, expected] of cases) {
  onLinux(`${name}${why}`, () => {
    assert.equal(trace(args), expected);
  });
}

/** This process's children (every thread's) by pid. A holder not reaped
 * stays a child, as a zombie or alive, under a pid that was not there
 * before. (Their states are not compared: other tests' children, a rump
 * kernel's process, may exit meanwhile, and Node reaps them only when its
 * event loop turns, which this synchronous test never lets it do.) */
function children(): string[] {
  return readdirSync('/proc/self/task').flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean));
}

const fds = () => readdirSync('/proc/self/fd').length;

// Every holder is killed and reaped at the end of its scenario, whatever
// the steps did: fcl or not, the parent's copy closed or not, a step that
// timed out (drn waits for a FIN the holder holds off), two endpoints held
// at once; on every backend, in a private and in the shared table. No
// zombie, no stray process, no descriptor left (the control sockets too).
onLinux(`frk: no zombie, no stray child and no descriptor left after any holder scenario${why}`, () => {
  const before = children();
  const openBefore = fds();
  const runner = new Runner(binding);
  const scenarios: CommandSpec[][] = [
    [{ side: 'c', actions: ['frk'] }],
    [{ side: 'c', actions: ['frk', 'clo'] }, { side: 's', actions: ['pol'] }],
    [{ side: 'c', actions: ['frk', 'clo'] }, { side: 's', actions: ['drn', 'pol'] }],
    [{ side: 's', actions: ['pol', 'frk', 'clo'] }, { side: 'c', actions: ['frk', 'snd', 'fcl'] }, { side: 's', actions: ['pol'] }],
    [{ side: 'l', actions: ['frk', 'clo'] }, { side: 'u', actions: ['nbc', 'frk', 'pol'] }],
    [{ side: 'c', actions: ['frk', 'fcl', 'frk', 'frk'] }],
  ];
  for (const backend of vocabularyOf(runner.binding).availableBackends()) {
    for (const commands of scenarios) {
      const run = runWith(runner, commands, backend, { timeoutMs: 50 });
      assert.equal(run.leaked, [], `${JSON.stringify(commands)} on ${backend}`);
      const shared = binding.run({ sharedTable: true, timeoutMs: 50, commands: commands.map((c) => ({ ...c, backend })) });
      assert.is(shared.descriptorTable, 'shared');
    }
  }
  // The drn above did time out: the holder kept the client open.
  const held = runWith(runner, scenarios[2], 'poll', { timeoutMs: 50 });
  assert.ok(held.steps.find((s) => s.action === 'drn')?.timedOut);
  for (const scenario of loadCatalogue(path.join(packageRoot, 'matrix'), vocabularyOf(binding)).filter((s) => s.id.startsWith('fork-'))) {
    for (const backend of vocabularyOf(runner.binding).availableBackends()) {
      const run = runWith(runner, scenario.commands, backend, { transport: scenario.transport, timeoutMs: 50 });
      assert.equal(run.leaked, [], `${scenario.id} on ${backend}`);
    }
  }
  trace(['-c', 'frk,clo', '-s', 'pol']);
  assert.equal(children(), before);
  assert.is(fds(), openBefore);
});

// In the shared table a holder's child starts with a copy of the whole
// process's table; frk there forks under a lock no other scenario's step
// runs under, so the copies never overlap a step (holder.h). Four workers
// repeat the scenario whose cell flipped without that lock.
onLinux(`frk in the shared table: other scenarios' closes are never held off${why}`, () => {
  const scenario = [{ side: 'c', actions: ['frk', 'fcl'] }, { side: 's', actions: ['pol'] }, { side: 'c', actions: ['clo'] }, { side: 's', actions: ['pol'] }];
  const outcomes = binding.runMany([{ sharedTable: true, commands: scenario.map((c) => ({ ...c, backend: 'poll' })) }], { repeat: 200, jobs: 4 });
  // Outcomes differ in their descriptor numbers (the process's table), never in a flag.
  const cells = new Set(outcomes[0].map((o) => JSON.stringify(o.result.steps.filter((s) => s.action === 'pol').map((s) => s.observation?.raw))));
  assert.equal([...cells], [JSON.stringify([0x4, 0x2005])]);
});

test.run();
