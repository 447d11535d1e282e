// Many runs on the addon's long-lived workers (native/workers/worker.h, src/native/jobs.ts):
// the same answers as one run at a time, for any number of jobs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding, type NativeRunResult, type NativeScenario } from '../../src/native/binding.js';
import { loadCatalogue } from '../../src/model/catalogue.js';
import { catalogueDir } from '../../src/run/run-matrix.js';
import { BatchedRuns } from '../../src/native/jobs.js';
import { Runner } from '../../src/native/runner.js';
import { fakeBinding } from '../fake-binding.js';
import { cli } from '../helpers.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';

const binding = loadBinding();
const onLinux = process.platform === 'linux' ? test : test.skip;
const seed = loadCatalogue(catalogueDir, vocabularyOf(binding)).filter((s) => s.id.startsWith('seed-'));
const scenarios: NativeScenario[] = seed.map((s) => ({ commands: s.commands.map((c) => ({ side: c.side, actions: c.actions, backend: 'poll' })) }));

test('runMany: each seed scenario has one outcome over 200 runs on 2 jobs, the same as run() gives', () => {
  const all = binding.runMany(scenarios, { repeat: 200, jobs: 2 });
  assert.is(all.length, scenarios.length);
  all.forEach((outcomes, i) => {
    assert.is(outcomes.length, 1, seed[i].id);
    assert.is(outcomes[0].runs, 200);
    assert.is(outcomes[0].firstRun, 0);
    assert.equal(outcomes[0].result, binding.run(scenarios[i]), seed[i].id);
    assert.equal(outcomes[0].result.leaked, []);
  });
});

test('runMany: after a scenario with an epoll descriptor and a timed-out accept, the next one still starts at 3', () => {
  // The worker clears its table between scenarios (native/workers/worker.h).
  const busy: NativeScenario = { commands: [{ side: 's', actions: ['acc', 'pol'], backend: 'epoll' }], timeoutMs: 20 };
  const [, [after]] = binding.runMany([busy, scenarios[1]], { repeat: 5, jobs: 1 });
  assert.is(after.runs, 5);
  const first = after.result.steps[0];
  assert.is(first.action, 'con');
  assert.is(first.fd, 4, 'the client is 4, after the listener at 3');
});

test('runMany: bad options are one clear TypeError', () => {
  assert.throws(() => binding.runMany(scenarios, { hangMs: -1 }), /options.hangMs must be a whole number from 0 to 86400000/);
  assert.throws(() => binding.runMany(scenarios, { repeat: 0 }), /options.repeat must be a whole number from 1 to 1000000/);
  assert.throws(() => binding.runMany(scenarios, { jobs: 65 }), /options.jobs must be a whole number from 1 to 64/);
  assert.throws(() => binding.runMany([{ commands: 'x' } as never]), /scenarios\[0\].commands must be an array/);
  assert.throws(() => binding.runMany([scenarios[0], { ...scenarios[1], sharedTable: true }]), /scenarios\[1\].sharedTable: every scenario of a runMany\(\) call runs in the same table/);
});

onLinux('Linux: each scenario has a private table, and where unshare(CLONE_NEWNET) is allowed a private network', () => {
  const run = binding.run(scenarios[0]);
  assert.is(run.descriptorTable, 'private');
  if (run.network === 'host') assert.ok(run.whyHostNetwork, 'a host network says why');
  else assert.is(run.network, 'private');
  const shared = binding.run({ ...scenarios[0], sharedTable: true });
  assert.is(shared.network, 'host');
});

test('runMany in the shared table: workers of the shared pool give the same answers as the private table, apart from descriptor numbers', () => {
  // The shared pool's workers never unshare (native/workers/worker.h): the
  // table and the network are the process's, as an emulation layer or an
  // LD_PRELOAD shim needs. Numbers come from the shared table, so only the
  // steps without them are compared.
  const strip = (r: NativeRunResult) => r.steps.map(({ fd: _fd, actedFd: _acted, ret, ...rest }) => ({ ...rest, ret: rest.action === 'acc' ? 'fd' : ret }));
  const shared = binding.runMany(scenarios.map((s) => ({ ...s, sharedTable: true })), { repeat: 20, jobs: 2 });
  const priv = binding.runMany(scenarios, { repeat: 1, jobs: 1 });
  shared.forEach((outcomes, i) => {
    for (const o of outcomes) {
      assert.is(o.result.descriptorTable, 'shared', seed[i].id);
      assert.is(o.result.whyShared, 'a shared table was asked for');
      assert.is(o.result.network, 'host');
      assert.equal(strip(o.result), strip(priv[i][0].result), seed[i].id);
    }
    assert.is(outcomes.reduce((n, o) => n + o.runs, 0), 20);
  });
});

test('runMany in the shared table: an arm after clo acts on a closed number, never the old one another worker may hold now', () => {
  // The endpoint's old number is the process's to hand out again at once;
  // a persistent mode's arm through it said ENOENT (someone else's open
  // descriptor, not in our epoll set) instead of EBADF in 25 of 400 runs
  // on 4 workers before native/backends/persistent.h rearm_fd().
  const closedThenArmed: NativeScenario = { commands: [{ side: 'c', actions: ['pol', 'clo', 'arm', 'arm', 'pol'], backend: 'epoll-oneshot' }], sharedTable: true, timeoutMs: 20 };
  const [outcomes] = binding.runMany([closedThenArmed], { repeat: 400, jobs: 4 });
  for (const o of outcomes) {
    const arms = o.result.steps.filter((s) => s.action === 'arm');
    assert.equal(arms.map((s) => [s.endpointClosed, s.errno?.name]), [[true, 'EBADF'], [true, 'EBADF']]);
    assert.ok(arms.every((s) => s.actedFd !== s.fd), 'acted on the number certain to be closed');
  }
});

test('runMany in the shared table: an arm after dup, clo and swp acts on the registered number only while the scenario holds it', () => {
  // pol registers the endpoint's first number; dup sets a copy aside, clo
  // closes the first and swp makes the letter name the copy. The
  // registration is still the first number's, which is closed: another
  // worker may hold that number now, and arm through it said ENOENT
  // instead of EBADF (fuzz --descriptor-table shared, seed 4: 1 in 400
  // runs) before PolTarget::acts_on.
  const swappedThenArmed: NativeScenario = { commands: [{ side: 'c', actions: ['pol', 'dup', 'clo', 'swp', 'arm', 'arm'], backend: 'epoll-oneshot' }], sharedTable: true, timeoutMs: 20 };
  const [outcomes] = binding.runMany([swappedThenArmed], { repeat: 800, jobs: 4 });
  for (const o of outcomes) {
    const arms = o.result.steps.filter((s) => s.action === 'arm');
    assert.equal(arms.map((s) => [s.endpointClosed, s.errno?.name]), [[false, 'EBADF'], [false, 'EBADF']]);
  }
});

test('runMany in the shared table: io_uring-multishot re-armed after clo polls a closed number, never a stranger\'s', () => {
  // A directory's multishot ends at its first CQE; arm after clo
  // submitted a new one on the old number, which another worker may hold:
  // its pol then said OUT F_MORE or IN OUT instead of EBADF in 45 of 400
  // runs of this scenario (fuzz --descriptor-table shared --seed 2028; the
  // holder's fork makes the other workers' descriptors come and go).
  const rearmedAfterClose: NativeScenario = {
    transport: 'dir',
    commands: [
      { side: 'd', actions: ['pol'], backend: 'io_uring-multishot' },
      { side: 'd', actions: ['frk', 'clo', 'pol'], backend: 'io_uring-multishot' },
      { side: 'd', actions: ['arm', 'pol'], backend: 'io_uring-multishot' },
    ],
    sharedTable: true,
    timeoutMs: 20,
  };
  const [outcomes] = binding.runMany([rearmedAfterClose], { repeat: 800, jobs: 4 });
  for (const o of outcomes) {
    const last = o.result.steps.at(-1)!;
    assert.equal([last.action, last.ret, last.errno?.name], ['pol', -1, 'EBADF']);
  }
});

test('runMany: a run that outlives its bound is a hang: it throws at once, naming the run, and the next call gets fresh workers', () => {
  // An accept with nothing pending waits out its 400 ms step bound; told
  // that 60 ms is a hang, the watch must give up on it long before it ends.
  const waits: NativeScenario = { commands: [{ side: 's', actions: ['acc'], backend: 'poll' }], timeoutMs: 400 };
  const started = performance.now();
  let caught: (Error & { code?: string; scenario?: number; run?: number; boundMs?: number }) | undefined;
  try {
    binding.runMany([scenarios[0], waits], { repeat: 2, jobs: 2, hangMs: 60 });
  } catch (err) {
    caught = err as typeof caught;
  }
  const took = performance.now() - started;
  assert.ok(caught, 'runMany() threw');
  assert.is(caught!.code, 'ERR_POLLMATRIX_HANG');
  assert.is(caught!.scenario, 1);
  assert.is(caught!.boundMs, 60);
  assert.match(caught!.message, /^runMany\(\): scenarios\[1\] run [01] did not end within 60 ms/);
  assert.ok(took < 350, `gave up after ${Math.round(took)} ms, before the 400 ms step ended`);
  // The stuck workers were retired; new ones serve the next call at once.
  const [[after]] = binding.runMany([scenarios[0]], { repeat: 50, jobs: 2 });
  assert.is(after.runs, 50);
  assert.equal(after.result.leaked, []);
  // Without hangMs the bound comes from the steps: the same run is no hang.
  const [[slow]] = binding.runMany([waits], { repeat: 1 });
  assert.is(slow.result.steps.find((s) => s.action === 'acc' && !s.implicit)!.timedOut, true);
});

test('run: a hang names the scenario and backend in one line, exit 3', () => {
  const fake = fakeBinding();
  fake.runMany = () => {
    throw Object.assign(new Error('runMany(): scenarios[0] run 0 did not end within 2040 ms'), { code: 'ERR_POLLMATRIX_HANG', scenario: 0, run: 0, boundMs: 2040 });
  };
  const got = cli(['run', '--scenario', 'seed-connect-refused', '--backend', 'poll'], fake);
  assert.is(got.code, 3);
  assert.is(got.err, "pollmatrix: internal error: seed-connect-refused on poll: a run did not end within 2040 ms, more than its steps' bounds allow: it hung (a pollmatrix bug)\n");
});

test('run --jobs 2 gives the same document as --jobs 1, apart from the date', () => {
  const args = ['run', '--format', 'json', '--repeat', '20', '--scenario', 'seed-*'];
  const one = JSON.parse(cli([...args, '--jobs', '1'], binding).out);
  const two = JSON.parse(cli([...args, '--jobs', '2'], binding).out);
  delete one.platform.date;
  delete two.platform.date;
  assert.equal(two, one);
});

test('batches: runs cut into many small batches give the same outcomes, counts and first runs as one batch', () => {
  // The fake poll answers this sequence, in order, to the refused scenario's one pol.
  const raws = [0x14, 0x4, 0x14, 0x4, 0x4, 0x10, 0x14, 0x14, 0x4, 0x10, 0x14];
  const refused = scenarios.find((_, i) => seed[i].id === 'seed-connect-refused')!;
  const outcomes = (batchMs: number) => {
    const fake = fakeBinding({ pol: { poll: raws.map((raw) => ({ ret: 1, raw })) } });
    let calls = 0;
    const runMany = fake.runMany;
    fake.runMany = (list, options) => (calls++, runMany(list, options));
    // A clock that moves 100 ms per reading: every batch looks slow, so each
    // next one shrinks to the minimum (one run per job).
    let clock = 0;
    const batches = new BatchedRuns(new Runner(fake), [refused], { repeat: raws.length, jobs: 1, batchMs, now: () => (clock += 100) });
    const seen: number[] = [];
    while (!batches.finished) {
      batches.step();
      seen.push(batches.done);
    }
    return { calls, seen, outcomes: batches.outcomes(0).map((o) => ({ raw: o.run.steps.find((s) => s.action === 'pol')!.observation!.raw, runs: o.runs, firstRun: o.firstRun })) };
  };
  const whole = outcomes(Infinity);
  const cut = outcomes(1);
  assert.is(whole.calls, 1);
  assert.ok(cut.calls > 2, `${cut.calls} batches`);
  assert.equal(cut.seen.at(-1), raws.length);
  assert.equal(whole.outcomes, [
    { raw: 0x14, runs: 5, firstRun: 0 },
    { raw: 0x4, runs: 4, firstRun: 1 },
    { raw: 0x10, runs: 2, firstRun: 5 },
  ]);
  assert.equal(cut.outcomes, whole.outcomes);
});

test.run();
