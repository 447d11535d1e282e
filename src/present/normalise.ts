import { type ObservedStep, PROPERTIES, type Property } from '../model/observed.js';
// The normalised view: each mechanism's raw result mapped onto the same seven
// properties, so different mechanisms can share a row. Each observation kind
// decides the properties of a step on the OS that ran it (src/observations/),
// and the addon says what each mechanism can express at all (BackendInfo
// .expresses): select() has no notion of a hang-up, so its silence there is
// not a "no". Raw results always stay available.

export { PROPERTIES, type Property };

/** The properties a `pol` step shows, or null when it was not measured or the
 * mechanism refused to look. A `pol` refused with EBADF (epoll_ctl, io_uring,
 * select, a kqueue registration) asked about a closed descriptor: invalid, as
 * poll's NVAL. */
export function normalise(step: ObservedStep | undefined): Set<Property> | null {
  if (!step?.observation || step.observation.notMeasured !== undefined || !step.properties) return null;
  if (step.ret < 0) {
    // Any other refusal (epoll_ctl's EPERM on a regular file) says nothing
    // about the descriptor's state: not comparable, as not measured.
    return step.errno?.name === 'EBADF' ? new Set<Property>(['invalid']) : null;
  }
  return new Set(step.properties);
}

/** Two observations disagree if some property both mechanisms can express
 * has different values. Unmeasured cells never disagree. `expressesA` and
 * `expressesB` are what each mechanism can express (BackendInfo.expresses). */
export function disagree(
  a: ObservedStep | undefined,
  b: ObservedStep | undefined,
  expressesA: readonly string[],
  expressesB: readonly string[],
): boolean {
  const na = normalise(a);
  const nb = normalise(b);
  if (!na || !nb) return false;
  const common = PROPERTIES.filter((p) => expressesA.includes(p) && expressesB.includes(p));
  return common.some((p) => na.has(p) !== nb.has(p));
}

export function normalisedText(step: ObservedStep | undefined): string | null {
  const set = normalise(step);
  if (!set) return null;
  return set.size === 0 ? '-' : PROPERTIES.filter((p) => set.has(p)).join(' ');
}
