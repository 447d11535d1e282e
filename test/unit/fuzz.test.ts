// pollmatrix fuzz (src/run/fuzz/): it must catch a binding that answers
// differently on a second run, and pass on the real addon.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Binding, NativeScenario, TransportInfo } from '../../src/native/binding.js';
import { generateCase, random } from '../../src/run/fuzz/generate.js';
import { traceArgs } from '../../src/run/fuzz/case.js';
import { parseHaproxyArgs, splitActionWord } from '../../src/model/scenario-syntax.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';
import { fakeBinding } from '../fake-binding.js';
import { cli } from '../helpers.js';
import { main } from '../../src/cli/main.js';
import { runManyOneByOne } from '../runs.js';

/** The fake addon, except that every second run of a scenario with a `pol`
 * on -c reports the client's descriptor as 9 instead of 4: a planted fault. */
function flakyBinding(): Binding {
  const inner = fakeBinding();
  const seen = new Map<string, number>();
  const run = (scenario: NativeScenario) => {
    const result = inner.run(scenario);
    const key = JSON.stringify(scenario);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const planted = n % 2 === 0 && scenario.commands.some((c) => c.side === 'c' && c.actions.includes('pol'));
    return planted ? { ...result, steps: result.steps.map((s) => (s.side === 'c' ? { ...s, fd: 9 } : s)) } : result;
  };
  return { ...inner, run, runMany: runManyOneByOne(run) };
}

test('fuzz catches a binding that answers differently on the second run, with a minimal trace command', () => {
  const got = cli(['fuzz', '--seed', '7', '--count', '200', '--transport', 'tcp', '--backend', 'poll'], flakyBinding());
  assert.is(got.code, 1, got.out);
  const fail = got.out.split('\n').find((l) => l.startsWith('FAIL scenario'));
  assert.ok(fail, got.out);
  assert.match(fail, /its 2 runs gave 2 different results/);
  // Shrunk to the one command that shows it: -c with a pol.
  assert.match(got.out, /\n {2}reproduce: pollmatrix trace --transport tcp --backend poll (--interest '[A-Z ]*' )?--timeout 20 -v -c pol\n/);
});

test('on a narrow terminal the reproducer breaks between words with \\, and still reads as the same command', () => {
  let out = '';
  const code = main(['fuzz', '--seed', '7', '--count', '200', '--transport', 'tcp', '--backend', 'poll'], { out: (t) => void (out += t), err: () => undefined, columns: 40 }, () => flakyBinding());
  assert.is(code, 1, out);
  const lines = out.split('\n');
  for (const line of lines) assert.ok(line.length <= 40, `a line of ${line.length} columns: ${line}`);
  const start = lines.findIndex((l) => l.startsWith('  reproduce: '));
  assert.ok(lines[start].endsWith(' \\'), lines[start]);
  let command = '';
  for (let i = start; ; i++) {
    command += lines[i].replace(/^ +(reproduce: )?/, '').replace(/ \\$/, ' ');
    if (!lines[i].endsWith(' \\')) break;
  }
  assert.match(command, /^pollmatrix trace --transport tcp --backend poll (--interest '[A-Z ]*' )?--timeout 20 -v -c pol$/);
});

test('fuzz reports a run the addon gave up on as a hang, with its trace command, and stops', () => {
  // A fake addon whose watch (native/workers/runs.cc) finds scenario 3 of the
  // second batch stuck.
  const inner = fakeBinding();
  let calls = 0;
  const hanging: Binding = {
    ...inner,
    runMany: (list, options) => {
      if (++calls === 2) throw Object.assign(new Error('runMany(): scenarios[3] run 1 did not end within 1020 ms'), { code: 'ERR_POLLMATRIX_HANG', scenario: 3, run: 1, boundMs: 1020 });
      return inner.runMany(list, options);
    },
  };
  const got = cli(['fuzz', '--seed', '7', '--count', '1200', '--transport', 'tcp'], hanging);
  assert.is(got.code, 1, got.out);
  assert.match(got.out, /\nFAIL scenario 503: a run did not end within 1020 ms, more than its steps' bounds allow: it hung\n {2}reproduce: pollmatrix trace --transport tcp --backend \S+ (--interest '[A-Z ]*' )?--timeout 20 -v( -[a-z] [a-z0-9=,]+)+\n/);
  assert.is(calls, 2, 'no batch after the hang');
});

test('fuzz passes the honest fake binding, and reports memory and descriptors', () => {
  const got = cli(['fuzz', '--seed', '7', '--count', '200', '--transport', 'tcp'], fakeBinding());
  assert.is(got.code, 0, got.out);
  assert.match(got.out, /^fuzz: seed 7, 200 scenarios run twice \(400 runs\)/);
  assert.match(got.out, /\nfuzz: resident memory [\d.]+ MB after the warm-up, [\d.]+ MB at the end\n/);
  // What the generator leaves out is said, not hidden.
  assert.match(got.out, /\nfuzz: left out, as they vary from run to run for the reasons in UNSETTLED \(src\/run\/fuzz\/unsettled.ts\): tcp: -c ful after -c snd\/mor\/oob; /);
  assert.match(got.out, /\nfuzz: ok\n$/);
});

test('the same seed gives the same scenarios', () => {
  const transports = fakeBinding().transports();
  const cases = (seed: number) => {
    const rng = random(seed);
    return Array.from({ length: 50 }, () => generateCase(rng, transports, ['poll', 'epoll'], ['IN', 'OUT', 'PRI', 'RDHUP']));
  };
  assert.equal(cases(3), cases(3));
  assert.not.equal(cases(3), cases(4));
});

test('no generated pty case writes on the master after the terminal closed (UNSETTLED), and the rest of such a case stays', () => {
  const pty: TransportInfo = {
    name: 'pty', describes: 'a pseudoterminal', available: true, reason: null,
    actions: ['snd', 'rcv', 'drn', 'clo', 'pol', 'ful', 'arm'],
    endpoints: [{ letter: 'm', role: 'master' }, { letter: 't', role: 'terminal' }],
  };
  const rng = random(11);
  let closed = 0;
  for (let i = 0; i < 2000; i++) {
    const c = generateCase(rng, [pty], ['poll'], ['IN', 'OUT']);
    let terminalClosed = false;
    for (const command of c.commands) {
      assert.ok(command.actions.length > 0);
      for (const action of command.actions) {
        if (terminalClosed) assert.ok(!(command.side === 'm' && (action === 'snd' || action === 'ful')), JSON.stringify(c));
        if (command.side === 't' && action === 'clo') terminalClosed = true;
      }
    }
    if (terminalClosed) closed++;
  }
  assert.ok(closed > 100, `${closed} cases closed the terminal`);
});

test("under load (issue 18): no generated TCP case sends after the same endpoint's ful, and a ful's byte count is not compared", () => {
  const tcp = fakeBinding().transports().find((t) => t.name === 'tcp')!;
  const rng = random(5);
  let filled = 0;
  for (let i = 0; i < 2000; i++) {
    const c = generateCase(rng, [tcp], ['poll'], ['IN', 'OUT']);
    const full = new Set<string>();
    for (const command of c.commands) {
      for (const action of command.actions) {
        if (full.has(command.side)) assert.ok(!['snd', 'mor', 'oob', 'ful'].includes(action), JSON.stringify(c));
        if (action === 'ful' && command.side !== 'l') full.add(command.side); // a listener sends nothing
      }
    }
    if (full.size > 0) filled++;
  }
  assert.ok(filled > 100, `${filled} cases filled a buffer`);
  // Two runs that differ only in how many bytes a ful wrote are one result.
  let runs = 0;
  const inner = fakeBinding();
  const counting = {
    ...inner,
    run: (scenario: Parameters<typeof inner.run>[0]) => {
      const result = inner.run(scenario);
      runs++;
      return { ...result, steps: result.steps.map((s) => (s.action === 'ful' ? { ...s, ret: 3_910_656 + (runs % 2) * 47_616 } : s)) };
    },
  };
  counting.runMany = runManyOneByOne((scenario) => counting.run(scenario));
  const got = cli(['fuzz', '--seed', '7', '--count', '300', '--transport', 'tcp'], counting);
  assert.is(got.code, 0, got.out);
});

// TCP is left out here: random TCP scenarios that fill buffers (`ful`) or
// wait out 20 ms bounds vary under the test suite's own load; the full run
// (README: Performance) reports them. ptys are in since their settle rule
// (native/transports/pty.cc).
test('fuzz on the real addon: 500 scenarios over socketpairs, pipes, FIFOs, unix datagrams and ptys pass', () => {
  const args = ['fuzz', '--seed', '20261126', '--count', '500'];
  for (const t of ['socketpair', 'socketpair-dgram', 'socketpair-seqpacket', 'pipe', 'fifo', 'unix-dgram', 'pty']) args.push('--transport', t);
  const got = cli(args);
  assert.is(got.code, 0, got.out);
});


test('a reproducer found in the shared table asks for the shared table, and one from the private table does not', () => {
  const c = { transport: 'pipe', backend: 'epoll', commands: [{ side: 'w', actions: ['clo'] }, { side: 'r', actions: ['pol'] }] };
  assert.equal(traceArgs(c, 20, 'shared'), ['pollmatrix', 'trace', '--transport', 'pipe', '--backend', 'epoll', '--descriptor-table', 'shared', '--timeout', '20', '-v', '-w', 'clo', '-r', 'pol']);
  assert.equal(traceArgs(c, 20), ['pollmatrix', 'trace', '--transport', 'pipe', '--backend', 'epoll', '--timeout', '20', '-v', '-w', 'clo', '-r', 'pol']);
});

test('an action that takes a value is generated with one within its bounds, and the CLI parser accepts every case', () => {
  const binding = fakeBinding();
  const values = vocabularyOf(binding).actionValues;
  assert.equal(Object.keys(values).sort(), ['dfr', 'lwm', 'rbf', 'sbf']);
  const tcp = binding.transports().find((t) => t.name === 'tcp')!;
  const rng = random(9);
  const seen = new Map<string, Set<number>>();
  for (let i = 0; i < 2000; i++) {
    const c = generateCase(rng, [tcp], ['poll'], ['IN', 'OUT'], values);
    parseHaproxyArgs(c.commands.flatMap((cmd) => [`-${cmd.side}`, cmd.actions.join(',')]), undefined, vocabularyOf(binding).grammar('tcp'));
    for (const word of c.commands.flatMap((cmd) => cmd.actions)) {
      const { name, value } = splitActionWord(word);
      assert.is(value !== undefined, name in values, word);
      if (value === undefined) continue;
      assert.ok(value >= values[name].min && value <= values[name].max, word);
      seen.set(name, (seen.get(name) ?? new Set()).add(value));
    }
  }
  assert.equal([...seen.keys()].sort(), ['dfr', 'lwm', 'rbf', 'sbf']);
  assert.equal([...seen.get('lwm')!].sort((a, b) => a - b), [0, 1, 5, 4096, 1073741824]);
  assert.equal([...seen.get('dfr')!].sort((a, b) => a - b), [0, 1, 5, 3600]);
});

test('in the shared table, no generated case on a persistent mode arms an endpoint after its clo and a dup; in a private table it may', () => {
  const signalfd = fakeBinding().transports().find((t) => t.name === 'signalfd')!;
  const armsAfterCloseAndDup = (table: 'private' | 'shared') => {
    const rng = random(12);
    let found = 0;
    for (let i = 0; i < 3000; i++) {
      const c = generateCase(rng, [signalfd], ['epoll-et'], ['IN'], {}, table);
      let closed = false;
      let reopened = false;
      for (const action of c.commands.flatMap((command) => command.actions)) {
        if (action === 'clo') closed = true;
        if (closed && action === 'dup') reopened = true;
        if (reopened && action === 'arm') found++;
      }
    }
    return found;
  };
  assert.is(armsAfterCloseAndDup('shared'), 0);
  assert.ok(armsAfterCloseAndDup('private') > 20, 'the private table keeps them');
});

test.run();
