// The registry of observation kinds: kind name -> module. A new kind is its
// own module plus one line here, and one name in OBSERVATION_KINDS
// (model/observed.ts), which documents are checked against.
import type { ObservationKind as KindName } from '../binding.js';
import { kevents } from './kevents.js';
import type { ObservationKind } from './kind.js';
import { mask } from './mask.js';

const KINDS: Record<KindName, ObservationKind> = { mask, kevents };

/** The module for a step's observation kind; undefined for a kind this
 * pollmatrix does not know (a document from a newer one). */
export function observationKind(kind: string | undefined): ObservationKind | undefined {
  return kind !== undefined && Object.hasOwn(KINDS, kind) ? KINDS[kind as KindName] : undefined;
}

