// kqueue kevents as text, decoded with the tables the addon builds from the
// running OS's <sys/event.h>: flagTables()['kqueue'] (EV_* bits) and
// flagTables()['kqueue.filters'] (EVFILT_* values). No value is written here:
// the same bit or filter number means different things on different systems
// (0x2000 is EV_OOBAND on macOS and has no name on FreeBSD; -8 is
// EVFILT_MACHPORT on macOS and EVFILT_PROCDESC on FreeBSD; NetBSD's
// EVFILT_READ is 0).
//
// Trace line form. kqueue returns kevents, not a mask, so after `ev=` a kqueue
// `pol` step lists them, space-separated, in the order the addon returns them:
// receipts of failed registrations first, then what the observing kevent()
// returned. An empty list prints as 0, as haproxy prints a mask with no bit.
//   cmd #2 stp #1: pol(c=4): ret=2 ev=READ[EOF data=0 fflags=ECONNRESET] WRITE[EOF data=8192]
//   cmd #2 stp #1: pol(c=4): ret=0 ev=READ[ERROR data=EBADF] WRITE[ERROR data=EBADF]
//   cmd #1 stp #1: pol(c=4): ret=0 ev=0
//   cmd #1 stp #1: pol(c=4): ret=-1 (Bad file descriptor) ev=0 [kevent(EV_ADD) failed]
// ret is the observing kevent()'s return (events; receipts are not counted).
// One kevent reads FILTER[FLAGS data=D fflags=F]:
//   FILTER  the EVFILT_ name without its prefix; ???[-99] for a value this OS
//           does not name.
//   FLAGS   the set EV_ bits, lowest first, without EV_ prefix; EV_ADD,
//           EV_RECEIPT and a mode's EV_CLEAR, EV_ONESHOT or EV_DISPATCH are
//           left out (the backend sets them on every registration and the
//           kernel echoes them); a bit with no name
//           prints as ???[0x1000], never dropped. keventNames() keeps them all.
//   data=   always: with ERROR, the errno's name (EBADF); else the decimal
//           count (bytes to read, space to write).
//   fflags= only when non-zero: with EOF, the errno's name (the socket error,
//           kqueue(2)); else hex.
// An errno with no known name prints as its number (data) or hex (fflags).
import type { ErrnoInfo, FlagTable, Kevent } from '../binding.js';
import { decodeMask, hex } from './flags.js';

/** The two kqueue tables, as flagTables() exports them on macOS and the BSDs. */
export interface KqueueTables {
  /** kevent flag bits: flagTables()['kqueue']. */
  flags: FlagTable;
  /** filter values: flagTables()['kqueue.filters']. */
  filters: FlagTable;
}

/**
 * Names an errno number, for a kevent that carries no errno object of its own
 * (a record read back from older JSON). It must be the errno table of the OS
 * that produced the kevent: the numbers differ (ECONNRESET is 54 on macOS and
 * the BSDs, 104 on Linux). The kevent's own fflagsErrno/dataErrno, named by
 * the addon on that OS, always win over it.
 */
export type ErrnoNamer = (errno: number) => string | null | undefined;

/** Flag names a backend sets itself on every registration (the mode flags
 * of kqueue-clear, -oneshot and -dispatch among them): the kernel echoes
 * them back, so they say nothing about the descriptor. */
export const SET_BY_BACKEND: ReadonlySet<string> = new Set(['ADD', 'RECEIPT', 'CLEAR', 'ONESHOT', 'DISPATCH']);

/** A kqueue backend's tables out of flagTables() (`kqueue`, `kqueue-clear`...),
 * or undefined where it is not compiled. */
export function kqueueTables(all: Record<string, FlagTable>, backend = 'kqueue'): KqueueTables | undefined {
  const flags = all[backend];
  const filters = all[`${backend}.filters`];
  return flags && filters ? { flags, filters } : undefined;
}

/** `READ` for EVFILT_READ; `???[-99]` for a value the OS does not name. */
export function filterName(filter: number, tables: KqueueTables): string {
  return tables.filters.find(([value]) => value === filter)?.[1] ?? `???[${filter}]`;
}

/** Every set flag, lowest bit first, ADD and RECEIPT included (for JSON). */
export function keventNames(k: Kevent, tables: KqueueTables): string[] {
  return decodeMask(tables.flags, k.flags);
}

function errnoText(n: number, own: ErrnoInfo | undefined, errnoName: ErrnoNamer | undefined): string | undefined {
  if (own) return own.name ?? undefined;
  return errnoName?.(n) ?? undefined;
}

/** One kevent in the short form, e.g. `READ[EOF data=0 fflags=ECONNRESET]`. */
export function describeKevent(k: Kevent, tables: KqueueTables, errnoName?: ErrnoNamer): string {
  const names = keventNames(k, tables);
  const parts = names.filter((name) => !SET_BY_BACKEND.has(name));
  const dataIsErrno = k.dataErrno !== undefined || (names.includes('ERROR') && k.data !== 0);
  const data = dataIsErrno ? errnoText(k.data, k.dataErrno, errnoName) : undefined;
  parts.push(`data=${data ?? String(k.data)}`);
  if (k.fflags !== 0) {
    const fflagsIsErrno = k.fflagsErrno !== undefined || names.includes('EOF');
    const fflags = fflagsIsErrno ? errnoText(k.fflags, k.fflagsErrno, errnoName) : undefined;
    parts.push(`fflags=${fflags ?? hex(k.fflags)}`);
  }
  return `${filterName(k.filter, tables)}[${parts.join(' ')}]`;
}

/** The trace's `ev=` text for a kqueue `pol`: the kevents joined by spaces, or 0. */
export function keventTraceEv(
  kevents: readonly Kevent[] | undefined,
  tables: KqueueTables,
  errnoName?: ErrnoNamer,
): string {
  if (!kevents || kevents.length === 0) return '0';
  return kevents.map((k) => describeKevent(k, tables, errnoName)).join(' ');
}
