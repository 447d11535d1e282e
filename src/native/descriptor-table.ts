// Which descriptor table the scenarios run in: 'private' (the default: on
// Linux each worker unshares its table, native/workers/worker.h) or 'shared'
// (the process's table, for an emulation layer or an LD_PRELOAD shim whose
// own threads make or watch descriptors). A binding in the shared table asks
// every run, every runMany() and the availability probe for it, so nothing
// that takes a Binding needs to know.
import { UsageError } from '../model/errors.js';
import type { Binding, NativeScenario } from './binding.js';

export const DESCRIPTOR_TABLES = ['private', 'shared'] as const;
export type DescriptorTableMode = (typeof DESCRIPTOR_TABLES)[number];

/** A mode from a user's text; a UsageError otherwise. */
export function descriptorTableMode(text: unknown, where: string): DescriptorTableMode {
  if ((DESCRIPTOR_TABLES as readonly unknown[]).includes(text)) return text as DescriptorTableMode;
  throw new UsageError(`${where}: '${String(text)}' is not a descriptor table (${DESCRIPTOR_TABLES.join(' or ')})`);
}

/** `binding` with its scenarios run, and its backends probed, in `mode`'s table. */
export function inDescriptorTable(binding: Binding, mode: DescriptorTableMode): Binding {
  if (mode === 'private') return binding;
  const shared = (s: NativeScenario): NativeScenario => ({ ...s, sharedTable: true });
  return {
    run: (scenario) => binding.run(shared(scenario)),
    runMany: (scenarios, options) => binding.runMany(scenarios.map(shared), options),
    backends: () => binding.backends({ sharedTable: true }),
    transports: () => binding.transports(),
    actions: () => binding.actions(),
    interests: () => binding.interests(),
    flagTables: () => binding.flagTables(),
    limits: () => binding.limits(),
    platform: () => binding.platform(),
    sourceHash: binding.sourceHash,
  };
}
