// The normalised view: each mechanism's raw result mapped onto the same seven
// properties, so different mechanisms can share a row. The mapping is small
// predicates per mechanism, in the style of mio's is_read_closed/is_error; the
// README documents it as a table. Raw results always stay available.
import type { ObservedStep } from './runner.js';

export const PROPERTIES = ['readable', 'writable', 'read-closed', 'hangup', 'error', 'priority', 'invalid'] as const;
export type Property = (typeof PROPERTIES)[number];

/** What one mechanism can express at all. select() has no notion of a
 * hang-up or a read-closed state, so its silence there is not a "no". */
export const EXPRESSES: Record<string, readonly Property[]> = {
  poll: PROPERTIES,
  epoll: PROPERTIES,
  io_uring: PROPERTIES,
  kqueue: PROPERTIES,
  select: ['readable', 'writable', 'priority', 'invalid'],
};

/** A decoded kevent, as the runner stores it. */
export interface DecodedKevent {
  filter: string;
  flags: string[];
  fflags: number;
  data: number;
  /** errno name of EV_ERROR's data, or of EV_EOF's non-zero fflags. */
  errorName?: string;
}

type Predicates = Record<Property, (names: Set<string>, step: ObservedStep) => boolean>;

const invalidDescriptor = (step: ObservedStep) => step.errno?.name === 'EBADF';

// poll(2): read-closed is RDHUP (peer shut its write side) or HUP (both
// directions shut); invalid is POLLNVAL.
const poll: Predicates = {
  readable: (n) => n.has('IN'),
  writable: (n) => n.has('OUT'),
  'read-closed': (n) => n.has('RDHUP') || n.has('HUP'),
  hangup: (n) => n.has('HUP'),
  error: (n) => n.has('ERR'),
  priority: (n) => n.has('PRI'),
  invalid: (n) => n.has('NVAL'),
};

// epoll: the same bits; a closed descriptor fails epoll_ctl(ADD) with EBADF.
const epoll: Predicates = { ...poll, invalid: (_n, step) => invalidDescriptor(step) };

// io_uring's IORING_OP_POLL_ADD completes with a poll(2) revents mask; on a
// closed descriptor the request itself fails with EBADF.
const io_uring: Predicates = epoll;

// select(2): membership of the read, write and except sets; EBADF for a
// closed descriptor. The except set is "exceptional conditions" (OOB data on
// sockets), hence priority.
const select: Predicates = {
  readable: (n) => n.has('R'),
  writable: (n) => n.has('W'),
  'read-closed': () => false,
  hangup: () => false,
  error: () => false,
  priority: (n) => n.has('X'),
  invalid: (_n, step) => invalidDescriptor(step),
};

// kqueue: a returned EVFILT_READ/EVFILT_WRITE means readable/writable; EV_EOF
// on the read filter means read-closed (mio kqueue.rs is_read_closed); EV_EOF
// on both filters is the closest to a hang-up; EV_ERROR (other than a closed
// descriptor) or EV_EOF with a non-zero fflags (the socket error, kqueue(2)) is
// an error; EV_OOBAND (macOS) is priority; EBADF on registration is invalid.
const has = (step: ObservedStep, filter: string, flag?: string) =>
  (step.kevents ?? []).some((k) => k.filter === filter && !k.flags.includes('ERROR') && (!flag || k.flags.includes(flag)));
const kqueue: Predicates = {
  readable: (_n, s) => has(s, 'READ'),
  writable: (_n, s) => has(s, 'WRITE'),
  'read-closed': (_n, s) => has(s, 'READ', 'EOF'),
  hangup: (_n, s) => has(s, 'READ', 'EOF') && has(s, 'WRITE', 'EOF'),
  error: (_n, s) =>
    (s.kevents ?? []).some(
      (k) => (k.flags.includes('ERROR') && k.errorName !== 'EBADF') || (k.flags.includes('EOF') && k.fflags !== 0),
    ),
  priority: (_n, s) => has(s, 'READ', 'OOBAND'),
  invalid: (_n, s) => invalidDescriptor(s) || (s.kevents ?? []).some((k) => k.flags.includes('ERROR') && k.errorName === 'EBADF'),
};

const MAPPINGS: Record<string, Predicates> = { poll, epoll, io_uring, select, kqueue };

/** The properties a `pol` step shows, or null when it was not measured. */
export function normalise(step: ObservedStep | undefined): Set<Property> | null {
  if (!step?.observation || step.observation.notMeasured !== undefined || !step.backend) return null;
  const predicates = MAPPINGS[step.backend];
  if (!predicates) return null;
  const names = new Set(step.names ?? []);
  return new Set(PROPERTIES.filter((p) => predicates[p](names, step)));
}

/** Two observations disagree if some property both mechanisms can express
 * has different values. Unmeasured cells never disagree. */
export function disagree(a: ObservedStep | undefined, b: ObservedStep | undefined): boolean {
  const na = normalise(a);
  const nb = normalise(b);
  if (!na || !nb || !a?.backend || !b?.backend) return false;
  const common = (EXPRESSES[a.backend] ?? []).filter((p) => (EXPRESSES[b.backend!] ?? []).includes(p));
  return common.some((p) => na.has(p) !== nb.has(p));
}

export function normalisedText(step: ObservedStep | undefined): string | null {
  const set = normalise(step);
  if (!set) return null;
  return set.size === 0 ? '-' : PROPERTIES.filter((p) => set.has(p)).join(' ');
}
