// Random valid cases from a seed: the same seed always gives the same cases.
import type { ActionValue, TransportInfo } from '../../model/observed.js';
import type { FuzzCase } from './case.js';
import { withoutUnsettled } from './unsettled.js';

/** mulberry32: a small seeded generator, so a seed always gives the same cases. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)];

/** A value for an action that takes one: its bounds, or one of a few
 * values that change readiness on a loopback socket (a low-water mark of
 * 1 or 5 bytes, a buffer of 4096, a deferral of 1 second). */
function someValue(rng: () => number, value: ActionValue): number {
  return pick(rng, [value.min, 1, 5, 4096, value.max].filter((v) => v >= value.min && v <= value.max));
}

/** One random case: 1 to 4 commands of 1 to 4 actions each, most ending in
 * `pol`; an action that takes a value gets one (`values`, the addon's). */
export function generateCase(
  rng: () => number,
  transports: TransportInfo[],
  backends: string[],
  interestNames: string[],
  values: Record<string, ActionValue> = {},
  table: 'private' | 'shared' = 'private',
): FuzzCase {
  const transport = pick(rng, transports);
  const word = (name: string) => (values[name] ? `${name}=${someValue(rng, values[name])}` : name);
  const commands = Array.from({ length: 1 + Math.floor(rng() * 4) }, () => {
    const actions = Array.from({ length: 1 + Math.floor(rng() * 4) }, () => word(pick(rng, transport.actions)));
    if (rng() < 0.8 && actions.at(-1) !== 'pol' && transport.actions.includes('pol')) actions.push('pol');
    return { side: pick(rng, transport.endpoints).letter, actions };
  });
  const interest = rng() < 0.7 ? undefined : interestNames.filter(() => rng() < 0.5);
  return withoutUnsettled({ transport: transport.name, backend: pick(rng, backends), ...(interest ? { interest } : {}), commands }, table);
}
