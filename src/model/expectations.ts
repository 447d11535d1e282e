// Expectations: what a source says a `pol` step reports on one OS (and
// kernel range) through one backend. They live in each scenario's `expect`
// array; `pollmatrix check` judges result documents from any OS with them.
//
//   {"on": "darwin>=24.4,<25/poll", "cells": {"c:pol#1": "OUT HUP"},
//    "source": "https://github.com/NixOS/nix/pull/13847", "note": "optional"}
//
// `on` is `os[ range]/backend`. The range is compared with the document's
// platform.kernel release (uname -r), numerically, component by component:
// on macOS that is the Darwin release, whose major is the macOS major + 9
// (Darwin 24 = macOS 15, 24.4 = macOS 15.4, 23 = macOS 14, 22 = macOS 13).
// A cell is the exact text a matrix cell shows (`OUT HUP`, `-`, `EBADF`,
// `READ EOF, WRITE EOF`), or, where a source states only part of a mask, a
// constraint on its flag names: `has HUP`, `lacks IN HUP`, `has OUT; lacks
// ERR`. A constraint is met only by a flag list (a `pol` that returned
// flags, or `-`), never by an errno, a kevent list or an unstable cell.
// `source` is a repository path with a line (`owner/repo path:line`), an
// issue or page URL, or `measured: linux <release>` for a Linux cell recorded
// by scripts/record-expectations.ts from a run, which is never literature.
import { UsageError } from './errors.js';

export const OSES = ['linux', 'darwin', 'freebsd', 'openbsd', 'netbsd', 'dragonfly'] as const;
export type Os = (typeof OSES)[number];

/** Where each mechanism family exists (epoll(7), io_uring(7): Linux only;
 * kqueue(2): macOS and the BSDs); poll and select exist everywhere. A
 * document that names a family on another OS was not measured there. */
export const MECHANISM_OSES: Record<string, readonly Os[]> = {
  epoll: ['linux'],
  io_uring: ['linux'],
  kqueue: ['darwin', 'freebsd', 'openbsd', 'netbsd', 'dragonfly'],
};

/** Whether `backend` (a mode: `epoll-et`, `kqueue-clear`) can exist on `os`;
 * true for an OS or a family pollmatrix has no word on. */
export function mechanismExists(backend: string, os: string): boolean {
  const family = backend.split('-')[0];
  const oses = MECHANISM_OSES[family];
  return !oses || !(OSES as readonly string[]).includes(os) || oses.includes(os as Os);
}

export interface Bound {
  op: '>=' | '>' | '<=' | '<' | '=';
  release: string;
}

export interface Expectation {
  /** As written: `darwin>=23/kqueue`. */
  on: string;
  os: Os;
  /** Every bound must hold; empty means every release. */
  range: Bound[];
  backend: string;
  /** step label (`c:pol#1`) -> cell text (`OUT HUP`, `-`, `EBADF`). */
  cells: Record<string, string>;
  source: string;
  note?: string;
}

const MEASURED = /^measured: linux \d+(\.\d+)*\S*$/;
const URL = /^https?:\/\/[^\s]+$/;
const REPO_LINE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+ [^\s:]+:\d+(-\d+)?$/;

/** A source recorded from a run here rather than read somewhere. */
export function isMeasured(e: Pick<Expectation, 'source'>): boolean {
  return e.source.startsWith('measured:');
}

const ON = /^([a-z]+)((?:(?:>=|<=|>|<|=)\d+(?:\.\d+)*)(?:,(?:>=|<=|>|<|=)\d+(?:\.\d+)*)*)?\/([a-z0-9_-]+)$/;

/** Parses `os[range]/backend`; throws a message (without location). */
export function parseOn(text: string, backends: string[]): Pick<Expectation, 'os' | 'range' | 'backend'> {
  const m = ON.exec(text);
  const shape = `'os[range]/backend' such as 'darwin>=24.4,<25/poll'`;
  if (!m) throw new Error(`'${text}' is not ${shape}`);
  const [, os, rangeText, backend] = m;
  if (!(OSES as readonly string[]).includes(os)) throw new Error(`'${text}': unknown OS '${os}' (OSes: ${OSES.join(' ')})`);
  if (!backends.includes(backend)) throw new Error(`'${text}': unknown backend '${backend}' (backends: ${backends.join(' ')})`);
  const range = (rangeText ?? '')
    .split(',')
    .filter((b) => b !== '')
    .map((b) => {
      const [, op, release] = /^(>=|<=|>|<|=)(.*)$/.exec(b)!;
      return { op: op as Bound['op'], release };
    });
  return { os: os as Os, range, backend };
}

/** Dotted numeric comparison of the leading `N.N.N` of two releases;
 * missing components count as 0 (`24.4` = `24.4.0`). */
export function compareReleases(a: string, b: string): number {
  const parts = (r: string) => (/^\d+(\.\d+)*/.exec(r)?.[0] ?? '').split('.').filter((p) => p !== '').map(Number);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** A release compareReleases() can read: numbers joined by dots, then
 * nothing or a separator and any suffix (`6.18.44-fc-v509`, `24.1.0`,
 * `14.2-RELEASE`, `6.1.0+deb13`); not `6x`, `foo` or `6..1`. */
export const RELEASE = /^\d{1,9}(\.\d{1,9})*([-+_~][\x21-\x7e]*)?$/;

/** The range holds for this kernel release (`6.18.44`, `24.1.0`, `14.1-RELEASE`). */
export function inRange(range: Bound[], kernel: string): boolean {
  if (range.length > 0 && !/^\d/.test(kernel)) return false;
  return range.every(({ op, release }) => {
    const c = compareReleases(kernel, release);
    return op === '>=' ? c >= 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : op === '<' ? c < 0 : c === 0;
  });
}

/** The expectation speaks about this platform (os and kernel) and backend. */
export function applies(e: Expectation, platform: { os: string; kernel: string }, backend?: string): boolean {
  return e.os === platform.os && inRange(e.range, platform.kernel) && (backend === undefined || e.backend === backend);
}

export interface CellConstraint {
  has: string[];
  lacks: string[];
}

const TOKEN = /^[A-Z][A-Z0-9_]*(\+[A-Z][A-Z0-9_]*)*$/;

/** `has IN HUP; lacks ERR` (or `has WRITE+EOF`) as {has, lacks}; undefined for an exact cell
 * text; throws (a message without location) on a malformed constraint. */
export function parseConstraint(text: string): CellConstraint | undefined {
  if (!/^(has|lacks) /.test(text)) return undefined;
  const out: CellConstraint = { has: [], lacks: [] };
  for (const clause of text.split('; ')) {
    const [verb, ...flags] = clause.split(' ');
    if ((verb !== 'has' && verb !== 'lacks') || flags.length === 0 || !flags.every((f) => TOKEN.test(f))) {
      throw new Error(`'${text}': a constraint is 'has X...' and/or 'lacks X...' joined by '; ', X a flag name (HUP) or a filter with flags (WRITE+EOF) as the cells show them`);
    }
    out[verb].push(...flags);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a scenario's `expect` array. `labels` are the scenario's pol
 * steps (`c:pol#1`...); `at` names file and scenario for messages, which
 * then name the field: `expect[2].cells.c:pol#3`. `backends` are the
 * registry's names (binding.backends()), which list every mechanism and mode
 * whether or not it runs here.
 */
export function parseExpectations(value: unknown, labels: string[], at: string, backends: string[]): Expectation[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new UsageError(`${at}: field 'expect' must be an array of {on, cells, source[, note]}`);
  }
  const known = ['on', 'cells', 'source', 'note'];
  return value.map((entry, i) => {
    const where = `${at}: field 'expect[${i}]`;
    if (!isObject(entry)) throw new UsageError(`${where}' must be an object {on, cells, source[, note]}`);
    const unknown = Object.keys(entry).find((k) => !known.includes(k));
    if (unknown) throw new UsageError(`${where}.${unknown}' is not a field (fields: ${known.join(' ')})`);
    if (typeof entry.on !== 'string') throw new UsageError(`${where}.on' must be a string such as 'linux/poll'`);
    let on: ReturnType<typeof parseOn>;
    try {
      on = parseOn(entry.on, backends);
    } catch (err) {
      throw new UsageError(`${where}.on': ${(err as Error).message}`);
    }
    const source = entry.source;
    if (typeof source !== 'string' || !(URL.test(source) || REPO_LINE.test(source) || MEASURED.test(source))) {
      throw new UsageError(
        `${where}.source' must be 'owner/repo path:line', an issue or page URL, or 'measured: linux <release>', got ${JSON.stringify(source)}`,
      );
    }
    if (MEASURED.test(source) && on.os !== 'linux') {
      throw new UsageError(`${where}.source': 'measured:' is for Linux cells recorded here, not for ${on.os}`);
    }
    if (entry.note !== undefined && (typeof entry.note !== 'string' || entry.note.trim() === '')) {
      throw new UsageError(`${where}.note' must be a non-empty string when present`);
    }
    if (!isObject(entry.cells) || Object.keys(entry.cells).length === 0) {
      throw new UsageError(`${where}.cells' must map step labels (${labels.join(' ')}) to cell texts`);
    }
    for (const [label, text] of Object.entries(entry.cells)) {
      if (!labels.includes(label)) {
        throw new UsageError(`${where}.cells.${label}': not a pol step of this scenario (${labels.join(' ')})`);
      }
      if (typeof text !== 'string' || text === '') throw new UsageError(`${where}.cells.${label}' must be a non-empty string`);
      try {
        parseConstraint(text);
      } catch (err) {
        throw new UsageError(`${where}.cells.${label}': ${(err as Error).message}`);
      }
    }
    return {
      on: entry.on,
      ...on,
      cells: entry.cells as Record<string, string>,
      source,
      ...(entry.note !== undefined ? { note: entry.note as string } : {}),
    };
  });
}
