// What every observation kind module does (ARCHITECTURE.md "Concepts"): one
// module per kind decodes what the addon returned, writes its cell and trace
// text and says which normalised properties it shows. The registry
// (observations/index.ts) maps a kind to its module, so the runner, the matrix
// and the trace never ask which mechanism produced a step.
import type { FlagTable, NativeStep, ObservedStep, Property } from '../../model/observed.js';


export interface ObservationKind {
  /** Adds the decoded fields (names, kevents, properties) to a `pol` step
   * whose mechanism was asked. `tables` are the addon's flagTables(). */
  decode(step: NativeStep, tables: Record<string, FlagTable>): ObservedStep;
  /** The trace text after `ret=N [(message)]`, e.g. ` ev=0x14 (OUT HUP)`. */
  traceEv(step: ObservedStep): string;
  /** The cell of a step that returned (ret >= 0, no failed call): `OUT HUP`,
   * `READ EOF, WRITE`, `-` for nothing; `raw` adds the raw form. */
  cell(step: ObservedStep, raw: boolean): string;
  /** The properties a mechanism of this kind cannot say anything about when
   * a scenario asks only for `interest` (a scenario's own interest; absent,
   * haproxy's IN OUT RDHUP asks for all it needs): its silence there is not
   * a "no". */
  unsaid?(interest: readonly string[]): Property[];
}
