// The addon's lists as the fake binding serves them: recorded from the real
// addon (scripts/record-vocabulary.ts) into fixtures/vocabulary.json. What
// differs from one OS to another (which backends and transports are
// available, and why not) is left out: each fake decides that for itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ActionInfo, BackendInfo, FlagTable, Limits, TransportInfo } from '../src/model/observed.js';
import type { Binding } from '../src/native/binding.js';
import { testDir } from './helpers.js';

type WithoutAvailability<T> = Omit<T, 'available' | 'reason'>;

export interface RecordedVocabulary {
  backends: Array<WithoutAvailability<BackendInfo>>;
  transports: Array<WithoutAvailability<TransportInfo>>;
  actions: ActionInfo[];
  interests: { names: string[]; default: string[] };
  /** The flag tables of the OS it was recorded on (Linux). */
  flagTables: Record<string, FlagTable>;
  limits: Limits;
}

export function recordVocabulary(binding: Binding): RecordedVocabulary {
  const strip = <T extends { available: boolean; reason: string | null }>({ available: _a, reason: _r, ...rest }: T) => rest;
  return {
    backends: binding.backends().map(strip),
    transports: binding.transports().map(strip),
    actions: binding.actions(),
    interests: binding.interests(),
    flagTables: binding.flagTables(),
    limits: binding.limits(),
  };
}

let cached: RecordedVocabulary | undefined;

export function recorded(): RecordedVocabulary {
  cached ??= JSON.parse(readFileSync(path.join(testDir, 'fixtures', 'vocabulary.json'), 'utf8')) as RecordedVocabulary;
  return cached;
}

/** Text made safe for a RegExp. */
export const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name list as messages print it, made safe for a RegExp. */
export const listed = (names: string[], separator = ' ') => names.map(escapeRe).join(separator);
