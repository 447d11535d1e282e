// The names the addon knows (backends, transports, actions, interests) and
// the one place a name from a user or a document is checked against them.
// Every list comes from the addon (native/), so TypeScript never repeats one;
// every message names what was wrong, where, and the nearest known name.
import { didYouMean } from '../model/did-you-mean.js';
import { UsageError } from '../model/errors.js';
import type { Names } from '../model/catalogue.js';
import type { BackendInfo, Limits, TransportInfo } from '../model/observed.js';
import type { Grammar } from '../model/scenario-syntax.js';
import type { KnownNames } from '../model/document-rules.js';
import type { Binding, NativeRunResult } from './binding.js';
import { platformFacts, toolVersion } from './platform.js';
import { Runner } from './runner.js';

/** The part of a Binding that holds its lists. */
export type Lists = Pick<Binding, 'backends' | 'transports' | 'actions' | 'interests' | 'limits'>;

const prefix = (where: string | undefined) => (where ? `${where}: ` : '');

export class Vocabulary implements Names {
  private cachedLimits: Limits | undefined;

  constructor(private readonly lists: Lists) {}

  /** Every limit and default of a run, as the addon declares them. */
  get limits(): Limits {
    this.cachedLimits ??= this.lists.limits();
    return this.cachedLimits;
  }

  /** Every backend name, in the registry's order. */
  get backendNames(): string[] {
    return this.lists.backends().map((b) => b.name);
  }

  /** The backends that can run here, in the registry's order. */
  availableBackends(): string[] {
    return this.lists.backends().filter((b) => b.available).map((b) => b.name);
  }

  /** A backend pollmatrix knows: "unknown backend 'x' (backends: ...); did
   * you mean 'y'?" otherwise. */
  knownBackend(name: string, where?: string): BackendInfo {
    return known('backend', name, this.lists.backends(), where);
  }

  /** A known backend that can run here: "backend 'x' is not available here:
   * REASON" otherwise. */
  backend(name: string, where?: string, knownWhere = where): BackendInfo {
    return available('backend', this.knownBackend(name, knownWhere), where);
  }

  /** A known transport that can be set up here. */
  transport(name: string, where?: string, knownWhere = where): TransportInfo {
    return available('transport', known('transport', name, this.lists.transports(), knownWhere), where);
  }

  /** What a known transport accepts (its letters and actions), whether or
   * not it can be set up here: a catalogue names transports of every OS. */
  grammar(transport: string, where = '--transport'): Grammar {
    const found = known('transport', transport, this.lists.transports(), where);
    return { transport, endpoints: found.endpoints, actions: found.actions, known: this.lists.actions().map((a) => a.name), values: this.actionValues };
  }

  /** The actions that take a value (`lwm=5`), with what it may be. */
  get actionValues(): Grammar['values'] {
    return Object.fromEntries(this.lists.actions().flatMap((a) => (a.value ? [[a.name, a.value]] : [])));
  }

  /** The interest (`"IN PRI"`, `""` for events=0) as the addon's names, in
   * its order; a UsageError naming `where` for a name it does not know. */
  interest(text: string, where: string): string[] {
    const { names } = this.lists.interests();
    const words = text.split(/[\s|,]+/).filter((w) => w !== '');
    for (const word of words) {
      if (!names.includes(word)) throw new UsageError(`${where}: '${word}' is not an interest (names: ${names.join(' ')}; '' asks for nothing)`);
    }
    if (new Set(words).size !== words.length) throw new UsageError(`${where}: '${text}' names an interest twice`);
    return names.filter((n) => words.includes(n));
  }

  /** Why `backend` refuses a bit of `interest` ("select has no set for
   * RDBAND"), naming the first refused bit; undefined when it asks them all.
   * The addon refuses the same bits at run time (the step is "not
   * measured" with this reason); this lets a command refuse before running. */
  refusedInterest(backend: string, interest: readonly string[]): { bit: string; why: string } | undefined {
    const mapping = this.lists.backends().find((b) => b.name === backend)?.interest;
    if (!mapping) return undefined;
    for (const bit of interest) {
      const entry = mapping.find((m) => m.name === bit);
      if (!entry) return { bit, why: `${backend} has no mapping for ${bit}` };
      if (entry.asks === null) return { bit, why: entry.note ?? `${backend} refuses ${bit}` };
    }
    return undefined;
  }
}

function known<T extends { name: string }>(what: string, name: string, entries: T[], where: string | undefined): T {
  const found = entries.find((e) => e.name === name);
  if (found) return found;
  const names = entries.map((e) => e.name);
  throw new UsageError(`${prefix(where)}unknown ${what} '${name}' (${what}s: ${names.join(' ')})${didYouMean(name, names)}`);
}

function available<T extends { name: string; available: boolean; reason: string | null }>(what: string, entry: T, where: string | undefined): T {
  if (!entry.available) throw new UsageError(`${prefix(where)}${what} '${entry.name}' is not available here: ${entry.reason}`);
  return entry;
}

const made = new WeakMap<Lists, Vocabulary>();

/** The vocabulary of a binding (one per binding). */
export function vocabularyOf(lists: Lists): Vocabulary {
  let vocabulary = made.get(lists);
  if (!vocabulary) made.set(lists, (vocabulary = new Vocabulary(lists)));
  return vocabulary;
}

/** What documents are checked against: every name this pollmatrix's addon
 * knows, and this machine's tables for documents made on it. */
export function knownNames(binding: Binding): KnownNames {
  const runner = new Runner(binding);
  const here = platformFacts(binding, 'private');
  return {
    version: toolVersion(),
    backends: binding.backends().map((b) => b.name),
    transports: binding.transports(),
    actions: binding.actions().map((a) => a.name),
    values: vocabularyOf(binding).actionValues,
    interests: binding.interests().names,
    machine: { os: here.os, arch: here.arch, decode: (step) => runner.decodeRun({ steps: [step] } as NativeRunResult).steps[0] },
  };
}
