// What every observation kind module does (DESIGN.md "Observation"): one
// module per kind decodes what the addon returned, writes its cell and trace
// text and says which normalised properties it shows. The registry
// (observations/index.ts) maps a kind to its module, so the runner, the matrix
// and the trace never ask which mechanism produced a step.
import type { FlagTable, NativeStep } from '../binding.js';

/** The seven properties of the normalised view (README). */
export const PROPERTIES = ['readable', 'writable', 'read-closed', 'hangup', 'error', 'priority', 'invalid'] as const;
export type Property = (typeof PROPERTIES)[number];

/** A decoded kevent, as the runner stores it. */
export interface DecodedKevent {
  filter: string;
  flags: string[];
  fflags: number;
  data: number;
  /** errno name of EV_ERROR's data, or of EV_EOF's non-zero fflags. */
  errorName?: string;
}

/** A step with its observation decoded on the OS that ran it. */
export interface ObservedStep extends NativeStep {
  /** mask: the returned mask in C's %#x form and its bit names. */
  rawHex?: string;
  names?: string[];
  /** kevents: every returned kevent, decoded. */
  kevents?: DecodedKevent[];
  /** kevents: the trace's `ev=` text (src/kqueue.ts). */
  keventText?: string;
  /** pol: the normalised properties this observation shows, decided on the
   * OS that ran it (its own constants); absent when not measured. */
  properties?: Property[];
}

export interface ObservationKind {
  /** Adds the decoded fields (names, kevents, properties) to a `pol` step
   * whose mechanism was asked. `tables` are the addon's flagTables(). */
  decode(step: NativeStep, tables: Record<string, FlagTable>): ObservedStep;
  /** The trace text after `ret=N [(message)]`, e.g. ` ev=0x14 (OUT HUP)`. */
  traceEv(step: ObservedStep): string;
  /** The cell of a step that returned (ret >= 0, no failed call): `OUT HUP`,
   * `READ EOF, WRITE`, `-` for nothing; `raw` adds the raw form. */
  cell(step: ObservedStep, raw: boolean): string;
}
