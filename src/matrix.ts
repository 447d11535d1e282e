// The matrix: one row per `pol` step of each scenario, one column per backend.
import type { Scenario } from './catalogue.js';
import type { ObservedStep, Runner, ScenarioRun } from './runner.js';

export interface MatrixRow {
  scenario: Scenario;
  /** The observed step, named by endpoint and rank: `c:pol#2`. */
  step: string;
  cmd: number;
  stp: number;
  /** backend -> cell text */
  cells: Record<string, string>;
}

export interface Matrix {
  backends: string[];
  rows: MatrixRow[];
  runs: Map<string, Map<string, ScenarioRun>>;
}

/** The `pol` steps a scenario will observe, in order, with their labels. */
export function polSteps(scenario: Scenario): Array<{ cmd: number; stp: number; step: string }> {
  const rank: Record<string, number> = {};
  const out: Array<{ cmd: number; stp: number; step: string }> = [];
  scenario.commands.forEach((command, i) => {
    command.actions.forEach((action, j) => {
      if (action !== 'pol') return;
      rank[command.side] = (rank[command.side] ?? 0) + 1;
      out.push({ cmd: i + 1, stp: j + 1, step: `${command.side}:pol#${rank[command.side]}` });
    });
  });
  return out;
}

/** What a cell says about one observed `pol` step. */
export function cellText(step: ObservedStep | undefined, raw = false): string {
  if (!step) return 'not reached';
  const obs = step.observation;
  if (!obs || obs.notMeasured !== undefined) return 'not measured';
  const errno = step.errno?.name ?? (step.errno ? `errno ${step.errno.number}` : '');
  if (obs.failedCall) return `${obs.failedCall.replace(/\(.*$/, '')} ${errno}`;
  if (step.ret < 0) return errno;
  if (step.ret === 0) return '-';
  const names = (step.names ?? []).join(' ');
  return raw ? `${step.rawHex} ${names}` : names;
}

export function runMatrix(runner: Runner, scenarios: Scenario[], backends: string[], timeoutMs?: number): Matrix {
  const runs = new Map<string, Map<string, ScenarioRun>>();
  for (const scenario of scenarios) {
    const byBackend = new Map<string, ScenarioRun>();
    for (const backend of backends) byBackend.set(backend, runner.run(scenario.commands, backend, timeoutMs));
    runs.set(scenario.id, byBackend);
  }
  return { backends, rows: buildRows(scenarios, backends, runs), runs };
}

export function buildRows(
  scenarios: Scenario[],
  backends: string[],
  runs: Map<string, Map<string, ScenarioRun>>,
  raw = false,
): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const scenario of scenarios) {
    for (const pol of polSteps(scenario)) {
      const cells: Record<string, string> = {};
      for (const backend of backends) {
        const run = runs.get(scenario.id)?.get(backend);
        const step = run?.steps.find((s) => s.cmd === pol.cmd && s.stp === pol.stp && !s.implicit);
        cells[backend] = run ? cellText(step, raw) : 'not measured';
      }
      rows.push({ scenario, ...pol, cells });
    }
  }
  return rows;
}
