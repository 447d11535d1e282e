// The `mask` kind: poll, epoll (every mode), io_uring and select return a bit
// mask (select's is pollmatrix's own R/W/X). The names and what each bit means
// in the normalised view come from the backend's flag table, built by the
// addon from the running OS's constants (native: FlagName::means).
import type { FlagTable, NativeStep } from '../binding.js';
import { decodeMask, hex } from './flags.js';
import type { ObservationKind } from './kind.js';
import { type ObservedStep, PROPERTIES, type Property } from '../../model/observed.js';

function properties(table: FlagTable, names: string[]): Property[] {
  const shown = new Set<string>();
  for (const entry of table) if (names.includes(entry[1])) for (const p of entry[2] ?? []) shown.add(p);
  return PROPERTIES.filter((p) => shown.has(p));
}

export const mask: ObservationKind = {
  decode(step: NativeStep, tables: Record<string, FlagTable>): ObservedStep {
    const obs = step.observation!;
    const table = tables[step.backend!] ?? [];
    const raw = obs.ret > 0 ? obs.raw : 0;
    const names = decodeMask(table, raw);
    return { ...step, rawHex: hex(raw), names, properties: properties(table, names) };
  },

  // haproxy's form: ` ev=0x14 (OUT HUP)`, ` ev=0 ` when nothing came back.
  traceEv(step: ObservedStep): string {
    let text = ` ev=${step.rawHex ?? '0'} `;
    if (step.ret > 0 && step.names && step.names.length > 0) text += `(${step.names.join(' ')})`;
    return text;
  },

  cell(step: ObservedStep, raw: boolean): string {
    if (step.ret === 0) return '-';
    const names = (step.names ?? []).join(' ');
    return raw ? `${step.rawHex} ${names}` : names;
  },
};
