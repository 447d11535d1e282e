// Random valid cases from a seed: the same seed always gives the same cases.
import type { TransportInfo } from '../../model/observed.js';
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

/** One random case: 1 to 4 commands of 1 to 4 actions each, most ending in `pol`. */
export function generateCase(rng: () => number, transports: TransportInfo[], backends: string[], interestNames: string[]): FuzzCase {
  const transport = pick(rng, transports);
  const commands = Array.from({ length: 1 + Math.floor(rng() * 4) }, () => {
    const actions = Array.from({ length: 1 + Math.floor(rng() * 4) }, () => pick(rng, transport.actions));
    if (rng() < 0.8 && actions.at(-1) !== 'pol' && transport.actions.includes('pol')) actions.push('pol');
    return { side: pick(rng, transport.endpoints).letter, actions };
  });
  const interest = rng() < 0.7 ? undefined : interestNames.filter(() => rng() < 0.5);
  return withoutUnsettled({ transport: transport.name, backend: pick(rng, backends), ...(interest ? { interest } : {}), commands });
}
