// npm run bench: what a scenario costs, in one run, against issue 8's targets.
//   1. the addon against a plain C loop doing the same syscalls (bench/c-loop.c,
//      compiled here with the system's cc), seed scenarios, poll, private
//      descriptor table: target <= 1.3x;
//   2. the cost per scenario at 100k runs against 10k runs: target <= 1.25x;
//   3. TIME_WAIT sockets the 100k runs left on the host: target <= 1,000;
//   4. `run --repeat 3000 --scenario 'seed-*'` with 2 jobs against 1 (all
//      backends, in process, so node's start-up is not counted): target
//      >= 1.6x on a 2-core machine;
//   5. for reference: each backend's cost, and run() one call per scenario.
// Timings on shared machines are noisy: every figure is given as wall-clock
// time and as the process's CPU time (all its threads), which other programs
// do not inflate; the C loop and the addon are run in alternation and the best
// of three is kept for each. --jobs can only be judged by wall-clock time, and
// only on a machine whose cores are otherwise idle (see the load average).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBinding, type NativeScenario } from '../src/native/binding.js';
import { loadCatalogue } from '../src/model/catalogue.js';
import { nativeScenario, Runner } from '../src/native/runner.js';
import { packageRoot } from '../src/model/package-root.js';
import { vocabularyOf } from '../src/native/vocabulary.js';
import { runAll } from './runs.js';

const binding = loadBinding();
const runner = new Runner(binding);
const catalogue = loadCatalogue(path.join(packageRoot, 'matrix'), vocabularyOf(binding));
const seed = catalogue.filter((s) => s.id.startsWith('seed-'));
const asNative = (backend: string): NativeScenario[] =>
  seed.map((s) => nativeScenario(s.commands.map((c) => ({ side: c.side, actions: c.actions, backend })), { transport: s.transport, interest: s.interest }));

interface Cost {
  wall: number;
  cpu: number;
}

/** Wall-clock and CPU seconds of `fn`. */
function seconds(fn: () => void): Cost {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  fn();
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (used.user + used.system) / 1e6 };
}

/** Microseconds per scenario for `runs` runs of the seed scenarios. */
function addonCost(runs: number, backend = 'poll', jobs = 1): Cost {
  const repeat = Math.ceil(runs / seed.length);
  const t = seconds(() => binding.runMany(asNative(backend), { repeat, jobs }));
  return { wall: (t.wall * 1e6) / (repeat * seed.length), cpu: (t.cpu * 1e6) / (repeat * seed.length) };
}

const us = (c: Cost) => `${c.wall.toFixed(1)} us (CPU ${c.cpu.toFixed(1)} us)`;
const best = (list: Cost[]): Cost => ({ wall: Math.min(...list.map((c) => c.wall)), cpu: Math.min(...list.map((c) => c.cpu)) });

/** TIME_WAIT sockets in the host's network namespace (what `ss -tan state
 * time-wait` counts), from /proc/net/tcp and tcp6: state 06. */
function timeWait(): number {
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) if (line.trim().split(/\s+/)[3] === '06') n++;
    } catch {
      // not Linux
    }
  }
  return n;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const first = binding.run(asNative('poll')[0]);
console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${os.platform()} ${os.release()}, node ${process.version}`);
console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other programs slow every figure, --jobs most)`);
console.log(`isolation: descriptor table ${first.descriptorTable}, network ${first.network}${first.whyHostNetwork ? ` (${first.whyHostNetwork})` : ''}`);

// 1. The C loop.
const dir = mkdtempSync(path.join(os.tmpdir(), 'pollmatrix-bench-'));
const loop = path.join(dir, 'c-loop');
let compiled = true;
try {
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-o', loop, path.join(packageRoot, 'bench', 'c-loop.c')], { stdio: 'inherit' });
} catch {
  compiled = false;
  console.log('no C compiler (cc): the C-loop ratio is not measured');
}
const loopRounds = 1500; // 9,000 scenarios, well below where TIME_WAIT crowds its fresh namespace
const netnsArg = first.network === 'private' ? ['netns'] : [];
const cRuns: Cost[] = [];
const aRuns: Cost[] = [];
for (let i = 0; i < 3; i++) {
  const got = compiled ? spawnSync(loop, [String(loopRounds), ...netnsArg], { encoding: 'utf8' }) : undefined;
  if (got?.status === 0) {
    const [wall, cpu] = got.stdout.trim().split(' ').map(Number);
    cRuns.push({ wall, cpu });
  }
  aRuns.push(addonCost(loopRounds * seed.length));
}
rmSync(dir, { recursive: true, force: true });
const addon = best(aRuns);
if (cRuns.length > 0) {
  const c = best(cRuns);
  const wall = addon.wall / c.wall;
  const cpu = addon.cpu / c.cpu;
  console.log(`1. C loop ${us(c)} per scenario, addon (runMany, 1 job) ${us(addon)}: x${wall.toFixed(2)} (CPU x${cpu.toFixed(2)}) (target <= 1.3: ${verdict(Math.min(wall, cpu) <= 1.3)})`);
}

// 2 and 3. 10k against 100k, and what 100k leave behind.
const tenK = addonCost(10_000);
const twBefore = timeWait();
const hundredK = addonCost(100_000);
const twAfter = timeWait();
const growth = { wall: hundredK.wall / tenK.wall, cpu: hundredK.cpu / tenK.cpu };
console.log(`2. 10k runs ${us(tenK)} per scenario, 100k runs ${us(hundredK)}: x${growth.wall.toFixed(2)} (CPU x${growth.cpu.toFixed(2)}) (target <= 1.25: ${verdict(Math.min(growth.wall, growth.cpu) <= 1.25)})`);
const left = twAfter - twBefore;
console.log(`3. TIME_WAIT on the host: ${twBefore} before the 100k runs, ${twAfter} after: ${left >= 0 ? '+' : ''}${left} (target <= +1,000: ${verdict(left <= 1000)}; other programs on the host count too)`);

// 4. --jobs.
const backends = vocabularyOf(runner.binding).availableBackends();
const jobsTime = (jobs: number) => seconds(() => runAll(runner, seed, backends, undefined, 3000, jobs));
const one = jobsTime(1);
const two = jobsTime(2);
const speedup = one.wall / two.wall;
console.log(
  `4. run --repeat 3000 of the seed scenarios (${backends.join(' ')}): 1 job ${one.wall.toFixed(2)} s (CPU ${one.cpu.toFixed(2)} s), ` +
    `2 jobs ${two.wall.toFixed(2)} s (CPU ${two.cpu.toFixed(2)} s): x${speedup.toFixed(2)} (target >= 1.6: ${verdict(speedup >= 1.6)})`,
);

// 5. For reference.
console.log('5. per backend, 6,000 runs of the seed scenarios on 1 job (us/scenario):');
for (const backend of backends) console.log(`   ${backend.padEnd(14)} ${us(addonCost(6000, backend))}`);
const single = asNative('poll');
const rounds = 300;
const perCall = seconds(() => {
  for (let r = 0; r < rounds; r++) single.forEach((s) => binding.run(s));
});
console.log(`   run(), one call per scenario (trace's path): ${us({ wall: (perCall.wall * 1e6) / (rounds * 6), cpu: (perCall.cpu * 1e6) / (rounds * 6) })}`);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
