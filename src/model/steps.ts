// Step addressing: the `pol` steps of a scenario's commands, named by
// endpoint and rank (`c:pol#2`), and how to find one in a run. The catalogue's
// expectations, the matrix's rows and the checks all use these names.
import type { ObservedStep } from './observed.js';
import type { Action } from './scenario-syntax.js';

/** One command: an endpoint letter and its actions, in order. */
export interface CommandSpec {
  side: string;
  actions: Action[];
}

/** The `pol` steps a scenario will observe, in order, with their labels. */
export function polSteps(commands: CommandSpec[]): Array<{ cmd: number; stp: number; step: string }> {
  const rank: Record<string, number> = {};
  const out: Array<{ cmd: number; stp: number; step: string }> = [];
  commands.forEach((command, i) => {
    command.actions.forEach((action, j) => {
      if (action !== 'pol') return;
      rank[command.side] = (rank[command.side] ?? 0) + 1;
      out.push({ cmd: i + 1, stp: j + 1, step: `${command.side}:pol#${rank[command.side]}` });
    });
  });
  return out;
}

/** The explicit `pol` step at (cmd, stp) of a run, if it was reached. */
export function findPol(steps: ObservedStep[], pol: { cmd: number; stp: number }): ObservedStep | undefined {
  return steps.find((s) => s.cmd === pol.cmd && s.stp === pol.stp && !s.implicit);
}
