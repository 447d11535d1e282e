// Runs scenarios through the addon and decodes what came back. The addon does
// the syscalls; this adds the names of the returned bits, decoded with the
// tables the addon built from the running OS's constants.
import type { Binding, FlagTable, NativeCommand, NativeRunResult, NativeStep, Side } from './binding.js';
import type { Action } from './actions.js';
import { decodeMask, hex } from './flags.js';
import { UsageError } from './errors.js';
import { filterName, keventNames, keventTraceEv, kqueueTables } from './kqueue.js';
import type { DecodedKevent } from './normalise.js';

export interface ObservedStep extends NativeStep {
  /** pol only: the returned mask in C's %#x form and its bit names. */
  rawHex?: string;
  names?: string[];
  /** kqueue only: every returned kevent, decoded. */
  kevents?: DecodedKevent[];
  /** kqueue only: the trace's `ev=` text (src/kqueue.ts). */
  keventText?: string;
}

/** A `pol` step whose cell differed between repeated runs. */
export interface UnstableStep {
  cmd: number;
  stp: number;
  /** Each distinct cell text and how many runs showed it. */
  seen: Array<{ text: string; count: number }>;
}

export interface ScenarioRun extends Omit<NativeRunResult, 'steps'> {
  steps: ObservedStep[];
  /** Set by repeated runs (matrix.ts runAll) where a cell was not stable. */
  unstable?: UnstableStep[];
}

export interface CommandSpec {
  side: Side;
  actions: Action[];
}

export const DEFAULT_TIMEOUT_MS = 1000;

export class Runner {
  private tables: Record<string, FlagTable> | undefined;

  constructor(readonly binding: Binding) {}

  /** Names of the backends that can run here, in registry order. */
  availableBackends(): string[] {
    return this.binding.backends().filter((b) => b.available).map((b) => b.name);
  }

  /** Throws a UsageError unless `name` is a backend that can run here. */
  checkBackend(name: string): void {
    const all = this.binding.backends();
    const found = all.find((b) => b.name === name);
    if (!found) {
      throw new UsageError(`unknown backend '${name}' (backends: ${all.map((b) => b.name).join(' ')})`);
    }
    if (!found.available) throw new UsageError(`backend '${name}' is not available here: ${found.reason}`);
  }

  /** Runs commands that each name their backend. */
  runCommands(commands: NativeCommand[], timeoutMs = DEFAULT_TIMEOUT_MS): ScenarioRun {
    return this.decodeRun(this.binding.run({ commands, timeoutMs }));
  }

  /** A result as the addon returned it, with its steps decoded. */
  decodeRun(result: NativeRunResult): ScenarioRun {
    return { ...result, steps: result.steps.map((step) => this.decode(step)) };
  }

  /** Runs a scenario with one backend for every `pol`. */
  run(commands: CommandSpec[], backend: string, timeoutMs = DEFAULT_TIMEOUT_MS): ScenarioRun {
    return this.runCommands(
      commands.map((c) => ({ side: c.side, actions: c.actions, backend })),
      timeoutMs,
    );
  }

  private decode(step: NativeStep): ObservedStep {
    const obs = step.observation;
    if (!obs || !step.backend || obs.notMeasured !== undefined) return step;
    this.tables ??= this.binding.flagTables();
    const kq = step.backend === 'kqueue' ? kqueueTables(this.tables) : undefined;
    if (kq) {
      const kevents = (obs.kevents ?? []).map((k) => ({
        filter: filterName(k.filter, kq),
        flags: keventNames(k, kq),
        fflags: k.fflags,
        data: k.data,
        ...(k.fflagsErrno?.name || k.dataErrno?.name ? { errorName: (k.fflagsErrno?.name ?? k.dataErrno?.name)! } : {}),
      }));
      return { ...step, kevents, keventText: keventTraceEv(obs.kevents, kq) };
    }
    const raw = obs.ret > 0 ? obs.raw : 0;
    return { ...step, rawHex: hex(raw), names: decodeMask(this.tables[step.backend] ?? [], raw) };
  }
}
