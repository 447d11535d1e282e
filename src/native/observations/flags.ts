// Decoding of raw readiness masks with the tables the addon builds from this
// OS's constants. Bits print lowest first, as haproxy's tool prints them; a bit
// with no name prints as ???[0x..], never dropped.
import type { FlagTable } from '../binding.js';

export function hex(value: number): string {
  // C's %#x: "0" for zero, else 0x-prefixed lower-case hex.
  return value === 0 ? '0' : '0x' + (value >>> 0).toString(16);
}

export function decodeMask(table: FlagTable, raw: number): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if (((raw >>> bit) & 1) === 0) continue;
    const value = 2 ** bit;
    const entry = table.find(([v]) => v === value);
    names.push(entry ? entry[1] : `???[${hex(value)}]`);
  }
  return names;
}
