// The typed face of the native addon. Everything that touches the OS goes
// through a Binding, so the TypeScript logic can be tested with a fake one.
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../model/package-root.js';
import type { ActionInfo, BackendInfo, FlagTable, Limits, NativeRunResult, Side, TransportInfo } from '../model/observed.js';
import type { AddonBuild } from '../model/platform.js';

export type { ActionInfo, BackendInfo, ErrnoInfo, FlagTable, Kevent, Limits, NativeObservation, NativeRunResult, NativeStep, ObservationKind, Side, TransportInfo } from '../model/observed.js';

/** One command as the addon takes it: haproxy's `-l/-c/-s <actions>`. */
export interface NativeCommand {
  side: Side;
  actions: string[];
  /** The mechanism this command's `pol` steps ask. */
  backend: string;
}

export interface NativeScenario {
  /** A transport name from transports() (default tcp). */
  transport?: string;
  /** What every `pol` asks for: names from interests() (default haproxy's
   * IN OUT RDHUP; [] is events=0). */
  interest?: string[];
  commands: NativeCommand[];
  /** Bound on a step that would block for ever (limits().timeoutMs gives
   * its bounds and default). */
  timeoutMs?: number;
  /** Use the process's shared descriptor table even on Linux: the path
   * macOS and the BSDs always take (see native/workers/descriptors.h). In a
   * runMany() call every scenario must ask the same. */
  sharedTable?: boolean;
}

/** One distinct result of repeated runs: how many runs gave it, and the
 * index of the first one that did. */
export interface NativeOutcome {
  result: NativeRunResult;
  runs: number;
  firstRun: number;
}

/** What runMany() throws when a run outlived its steps' bounds. */
export interface HangError extends Error {
  code: 'ERR_POLLMATRIX_HANG';
  /** Index in the scenarios given to that runMany() call. */
  scenario: number;
  run: number;
  boundMs: number;
}

export function isHang(err: unknown): err is HangError {
  return err instanceof Error && (err as Partial<HangError>).code === 'ERR_POLLMATRIX_HANG' && typeof (err as Partial<HangError>).scenario === 'number';
}

export interface RunManyOptions {
  /** Runs of each scenario (within limits().repeat). */
  repeat?: number;
  /** Worker threads running at once (within limits().jobs). */
  jobs?: number;
  /** A run longer than this many ms is a hang (default 0: what the run's
   * steps' bounds allow, native/workers/runs.cc). runMany() then throws an
   * Error with code 'ERR_POLLMATRIX_HANG', `scenario`, `run` and `boundMs`,
   * at once, and the worker stuck in it is never used again. */
  hangMs?: number;
}

export interface NativePlatform {
  /** Set for a kernel other than the host's (Node's spelling: 'netbsd'). */
  os?: string;
  sysname?: string;
  release?: string;
  version?: string;
  machine?: string;
  libc?: string | null;
  /** How a kernel other than the machine's own was measured (a rump
   * kernel in a process on this host). */
  measuredIn?: string;
  /** 'cross-built': built for this OS on another one (the darwin
   * prebuilds: scripts/macos-compile.sh, native/napi/build.h). */
  addon?: 'cross-built';
}

export interface Binding {
  run(scenario: NativeScenario): NativeRunResult;
  /** Each scenario `repeat` times on `jobs` workers; per scenario, its
   * distinct results in order of first appearance ([0] is run 0's). */
  runMany(scenarios: NativeScenario[], options?: RunManyOptions): NativeOutcome[][];
  /** Every backend; `available` is probed on a worker of the pool the
   * scenarios run on, in its table (native/workers/probe.h): the shared
   * table's with { sharedTable: true }. */
  backends(options?: { sharedTable?: boolean }): BackendInfo[];
  transports(): TransportInfo[];
  actions(): ActionInfo[];
  /** The interest names and haproxy's default. */
  interests(): { names: string[]; default: string[] };
  flagTables(): Record<string, FlagTable>;
  /** Every limit and default of a run (native/limits.h). */
  limits(): Limits;
  platform(): NativePlatform;
  sourceHash: string;
}

export { packageRoot };

let loaded: Binding | undefined;
let loadedFrom: 'prebuild' | 'source' | undefined;

/** How `binding`'s addon was built: 'cross-built' (it says so itself),
 * 'prebuild' or 'source' (the file loadBinding() loaded: prebuilds/ or a
 * build of this checkout), or undefined for another binding (a fake, the
 * rump kernel's child). */
export function addonBuild(binding: Binding): AddonBuild | undefined {
  if (binding.platform().addon === 'cross-built') return 'cross-built';
  return binding === loaded ? loadedFrom : undefined;
}

/** The addon for this platform: build/ if present, else the prebuild. */
export function loadBinding(): Binding {
  if (!loaded) {
    const nodeGypBuild = createRequire(import.meta.url)('node-gyp-build') as { (dir: string): Binding; path(dir: string): string };
    const file = nodeGypBuild.path(packageRoot);
    loaded = nodeGypBuild(packageRoot);
    loadedFrom = path.relative(packageRoot, file).split(path.sep)[0] === 'prebuilds' ? 'prebuild' : 'source';
  }
  return loaded;
}
