// Shrinking a failing case: drop commands, then actions, while it still
// fails the same way.
import type { FuzzCase } from './case.js';

/** Drops commands, then actions, while the case still fails. */
export function shrink(c: FuzzCase, fails: (c: FuzzCase) => boolean, budget = 200): FuzzCase {
  let best = c;
  let changed = true;
  while (changed && budget > 0) {
    changed = false;
    const candidates: FuzzCase[] = [];
    best.commands.forEach((_, i) => {
      if (best.commands.length > 1) candidates.push({ ...best, commands: best.commands.filter((_, j) => j !== i) });
    });
    best.commands.forEach((command, i) =>
      command.actions.forEach((_, k) => {
        if (command.actions.length > 1) {
          const commands = best.commands.map((cmd, j) => (j === i ? { ...cmd, actions: cmd.actions.filter((_, m) => m !== k) } : cmd));
          candidates.push({ ...best, commands });
        }
      }),
    );
    if (best.interest) candidates.push({ ...best, interest: undefined });
    for (const candidate of candidates) {
      if (--budget < 0) break;
      if (fails(candidate)) {
        best = candidate;
        changed = true;
        break;
      }
    }
  }
  return best;
}
