// One fuzz case: a transport, a backend, an interest and commands, and its
// two forms: the addon's scenario and the `pollmatrix trace` command that
// shows it.
import type { NativeScenario } from '../../native/binding.js';
import { nativeScenario } from '../../native/runner.js';

export interface FuzzCase {
  transport: string;
  backend: string;
  /** Interest names; undefined for the default. */
  interest?: string[];
  commands: Array<{ side: string; actions: string[] }>;
}

export function traceArgs(c: FuzzCase, timeoutMs: number, descriptorTable: 'private' | 'shared' = 'private'): string[] {
  const interest = c.interest ? ['--interest', `'${c.interest.join(' ')}'`] : [];
  const table = descriptorTable === 'shared' ? ['--descriptor-table', 'shared'] : [];
  return [
    'pollmatrix', 'trace', '--transport', c.transport, '--backend', c.backend, ...interest, ...table, '--timeout', String(timeoutMs), '-v',
    ...c.commands.flatMap((command) => [`-${command.side}`, command.actions.join(',')]),
  ];
}

export function toNative(c: FuzzCase, timeoutMs: number): NativeScenario {
  return nativeScenario(
    c.commands.map((command) => ({ ...command, backend: c.backend })),
    { transport: c.transport, interest: c.interest, timeoutMs },
  );
}
