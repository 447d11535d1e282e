// `--descriptor-table private|shared` (run, trace, fuzz, backends): which
// descriptor table the scenarios run in, and the backends are probed in
// (native/descriptor-table.ts says what each means).
import { UsageError } from '../model/errors.js';
import type { Binding } from '../native/binding.js';
import { DESCRIPTOR_TABLES, descriptorTableMode, inDescriptorTable, type DescriptorTableMode } from '../native/descriptor-table.js';
import type { OptionSpec, OptionValues } from './options.js';

export const DESCRIPTOR_TABLE_OPTION: OptionSpec = {
  name: 'descriptor-table',
  value: DESCRIPTOR_TABLES.join('|'),
  help:
    "The descriptor table the scenarios run in, and the backends are probed in: private (on Linux each native worker unshares a table of its own, so numbers start at 3 as in haproxy's tool; other systems have none, and run in the shared one anyway) or shared (the process's table, which an emulation layer or an LD_PRELOAD shim whose own threads make or watch descriptors needs; numbers then differ from haproxy's). The platform line says which was used. Only with the host kernel. Default: private.",
};

/** The mode `--descriptor-table` asks (private without it); a UsageError for
 * any other value, or for shared with a rump kernel (its workers each have a
 * process of their own, native/os/rump.cc). */
export function descriptorTableOption(values: OptionValues, where: string): DescriptorTableMode {
  const text = values['descriptor-table'];
  if (text === undefined) return 'private';
  const mode = descriptorTableMode(text, `${where}: --descriptor-table`);
  if (mode === 'shared' && values.os !== undefined && values.os !== 'host') {
    throw new UsageError(`${where}: --descriptor-table shared applies to the host kernel only (a rump kernel's workers each run in a process of their own)`);
  }
  return mode;
}

/** `binding` in the table `--descriptor-table` asks. */
export function withDescriptorTable(values: OptionValues, binding: Binding, where: string): Binding {
  return inDescriptorTable(binding, descriptorTableOption(values, where));
}
