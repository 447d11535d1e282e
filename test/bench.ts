// npm run bench: how fast scenarios run, as ratios (timings on these shared
// machines are noisy; ratios of interleaved runs are what to compare).
//   - each backend against poll, over the whole catalogue;
//   - Linux's private descriptor table (a thread + unshare per scenario)
//     against the shared table.
import path from 'node:path';
import { loadBinding, packageRoot, type NativeCommand } from '../src/binding.js';
import { loadCatalogue } from '../src/catalogue.js';
import { Runner } from '../src/runner.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const binding = loadBinding();
const runner = new Runner(binding);
const catalogue = loadCatalogue(path.join(packageRoot, 'matrix'), binding);
const backends = runner.availableBackends();
const commands = (backend: string): NativeCommand[][] =>
  catalogue.map((s) => s.commands.map((c) => ({ side: c.side, actions: c.actions, backend })));

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Interleave the variants round by round so drift hits all of them alike.
const totals: Record<string, number> = {};
const variants: Record<string, () => void> = {};
for (const backend of backends) {
  const all = commands(backend);
  variants[backend] = () => all.forEach((c) => binding.run({ commands: c }));
}
const pollScenarios = commands('poll');
variants['poll, shared table'] = () => pollScenarios.forEach((c) => binding.run({ commands: c, sharedTable: true }));
for (let r = 0; r < rounds; r++) {
  for (const [name, fn] of Object.entries(variants)) totals[name] = (totals[name] ?? 0) + time(fn);
}

const perScenario = (name: string) => totals[name] / rounds / catalogue.length;
console.log(`${catalogue.length} scenarios × ${rounds} rounds; ms per scenario and ratio to poll (private table)`);
for (const name of Object.keys(variants)) {
  console.log(`${name.padEnd(20)} ${perScenario(name).toFixed(3).padStart(8)} ms  ×${(totals[name] / totals.poll).toFixed(2)}`);
}
