// The `kevents` kind: kqueue (every mode) returns a list of kevents, decoded
// with the tables the addon builds from the running OS's <sys/event.h>
// (src/kqueue.ts has the text forms). Normalised (mio's kqueue selector:
// is_read_closed, is_error): a returned EVFILT_READ/EVFILT_WRITE without
// EV_ERROR means readable/writable; EV_EOF on the read filter read-closed;
// EV_EOF on both filters the closest to a hang-up; EV_ERROR other than a
// closed descriptor, or EV_EOF with a non-zero fflags (the socket error,
// kqueue(2)), an error; EV_OOBAND (macOS) or a returned EVFILT_EXCEPT
// priority; a registration refused with EBADF invalid.
import type { FlagTable, NativeStep } from '../binding.js';
import { SET_BY_BACKEND, filterName, keventNames, keventTraceEv, kqueueTables } from './kqueue.js';
import type { ObservationKind } from './kind.js';
import { type DecodedKevent, type ObservedStep, PROPERTIES, type Property } from '../../model/observed.js';

const has = (kevents: DecodedKevent[], filter: string, flag?: string) =>
  kevents.some((k) => k.filter === filter && !k.flags.includes('ERROR') && (!flag || k.flags.includes(flag)));

const predicates: Record<Property, (k: DecodedKevent[]) => boolean> = {
  readable: (k) => has(k, 'READ'),
  writable: (k) => has(k, 'WRITE'),
  'read-closed': (k) => has(k, 'READ', 'EOF'),
  hangup: (k) => has(k, 'READ', 'EOF') && has(k, 'WRITE', 'EOF'),
  error: (k) => k.some((e) => (e.flags.includes('ERROR') && e.errorName !== 'EBADF') || (e.flags.includes('EOF') && e.fflags !== 0)),
  priority: (k) => has(k, 'READ', 'OOBAND') || has(k, 'EXCEPT'),
  invalid: (k) => k.some((e) => e.flags.includes('ERROR') && e.errorName === 'EBADF'),
};

export const kevents: ObservationKind = {
  decode(step: NativeStep, tables: Record<string, FlagTable>): ObservedStep {
    const obs = step.observation!;
    const kq = kqueueTables(tables, step.backend!);
    if (!kq) return step;
    const decoded: DecodedKevent[] = (obs.kevents ?? []).map((k) => ({
      filter: filterName(k.filter, kq),
      flags: keventNames(k, kq),
      fflags: k.fflags,
      data: k.data,
      ...(k.fflagsErrno?.name || k.dataErrno?.name ? { errorName: (k.fflagsErrno?.name ?? k.dataErrno?.name)! } : {}),
    }));
    const properties = PROPERTIES.filter((p) => predicates[p](decoded));
    return { ...step, kevents: decoded, keventText: keventTraceEv(obs.kevents, kq), properties };
  },

  traceEv(step: ObservedStep): string {
    const ignored = ignoredText(step);
    return ` ev=${step.keventText ?? '0'}${ignored ? ` [${ignored}]` : ''}`;
  },

  // `READ EOF(ECONNRESET), WRITE EOF`; --raw gives the trace's full form
  // with data and fflags.
  // What a kevent list cannot show when a filter was never registered
  // (kqueue_flags.h: IN -> EVFILT_READ, OUT -> EVFILT_WRITE, PRI ->
  // EVFILT_EXCEPT where it exists). Without EVFILT_READ no EV_EOF on the
  // read side, so no read-closed and no hang-up (poll reports POLLHUP
  // unasked; kqueue has nothing to report it with); without EVFILT_WRITE no
  // writable and no hang-up; with no filter at all, no error and no EBADF
  // from a registration either.
  unsaid(interest: readonly string[]): Property[] {
    const read = interest.includes('IN');
    const write = interest.includes('OUT');
    const unsaid = new Set<Property>();
    if (!read) ['readable', 'read-closed', 'hangup'].forEach((p) => unsaid.add(p as Property));
    if (!read && !interest.includes('PRI')) unsaid.add('priority');
    if (!write) ['writable', 'hangup'].forEach((p) => unsaid.add(p as Property));
    if (!read && !write && !interest.includes('PRI')) ['error', 'invalid'].forEach((p) => unsaid.add(p as Property));
    return PROPERTIES.filter((p) => unsaid.has(p));
  },

  // A kevent about another ident counts in ret but is no event of this
  // descriptor: `- (+1 for another ident, ignored)`.
  cell(step: ObservedStep, raw: boolean): string {
    const ignored = ignoredText(step);
    const text = eventsText(step, raw);
    return ignored ? `${text} (${ignored})` : text;
  },
};

/** `+N for another ident, ignored`, or '' when every kevent was this
 * descriptor's. */
function ignoredText(step: ObservedStep): string {
  const n = step.observation?.ignored ?? 0;
  return n > 0 ? `+${n} for ${n === 1 ? 'another ident' : 'other idents'}, ignored` : '';
}

/** The kevents of this descriptor as a cell, or `-`. */
function eventsText(step: ObservedStep, raw: boolean): string {
  const list = step.kevents ?? [];
  if (list.length === 0) return '-';
  if (raw && step.keventText) return step.keventText;
  return list
    .map((k) => {
      const flags = k.flags.filter((f) => !SET_BY_BACKEND.has(f)).join(' ');
      const error = k.errorName ? `(${k.errorName})` : '';
      return `${k.filter}${flags ? ` ${flags}` : ''}${error}`;
    })
    .join(', ');
}
