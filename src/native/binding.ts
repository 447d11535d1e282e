// The typed face of the native addon. Everything that touches the OS goes
// through a Binding, so the TypeScript logic can be tested with a fake one.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** An endpoint letter of the scenario's transport (`l c s u` for tcp, `r w`
 * for a pipe...: binding.transports()). */
export type Side = string;

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
  /** Bound on a step that would block for ever (default 1000 ms). */
  timeoutMs?: number;
  /** Use the process's shared descriptor table even on Linux: the path
   * macOS and the BSDs always take (see native/descriptors.h). */
  sharedTable?: boolean;
}

export interface ErrnoInfo {
  /** Symbolic name from this OS's <errno.h> (null if it has none). */
  name: string | null;
  number: number;
  /** strerror() text of the OS that ran the step. */
  message: string;
}

export interface Kevent {
  ident: number;
  filter: number;
  flags: number;
  fflags: number;
  data: number;
  /** fflags as an errno, named by the OS that ran the step: set when EV_EOF
   * comes with a non-zero fflags on EVFILT_READ/WRITE (the socket error). */
  fflagsErrno?: ErrnoInfo;
  /** data as an errno: set when EV_ERROR comes with a non-zero data (a
   * registration that failed, e.g. EBADF). */
  dataErrno?: ErrnoInfo;
}

/** The observation kinds (src/observations/): a bit mask named by the
 * backend's flag table, or kqueue's list of kevents. */
export type ObservationKind = 'mask' | 'kevents';

export interface NativeObservation {
  kind: ObservationKind;
  ret: number;
  raw: number;
  /** The preparatory call that failed (epoll_ctl, a kevent registration). */
  failedCall?: string;
  /** Set when the mechanism could not be asked at all, with the reason. */
  notMeasured?: string;
  kevents?: Kevent[];
}

export interface NativeStep {
  cmd: number;
  stp: number;
  action: string;
  side: Side;
  /** The descriptor number haproxy's trace prints for this step. */
  fd: number;
  implicit: boolean;
  ret: number;
  errno: ErrnoInfo | null;
  /** The endpoint was closed earlier; the call went to `actedFd`, a number
   * that was certainly closed, never a descriptor that reused the number. */
  endpointClosed: boolean;
  actedFd: number;
  /** The bounded wait ran out: haproxy's tool would block here for ever. */
  timedOut: boolean;
  /** pol only: loopback traffic of the scenario was still in flight when
   * the settle bound ran out (native/settle.h); absent when it settled. */
  settleBound?: true;
  /** `soe`: the SO_ERROR value it read (and so cleared). */
  soError?: ErrnoInfo;
  note?: string;
  backend?: string;
  observation?: NativeObservation;
}

export interface NativeRunResult {
  steps: NativeStep[];
  /** Why the scenario stopped early (haproxy's tool gives up there too). */
  stopped: string | null;
  /** The sockets could not be set up; no step ran. */
  setupError: string | null;
  /** 'private': the run had its own descriptor table (Linux). */
  descriptorTable: 'private' | 'shared';
  whyShared?: string;
  /** 'private': the run's sockets lived in a network namespace of their own
   * (Linux, where allowed); 'host': in the host's, for `whyHostNetwork`. */
  network: 'private' | 'host';
  whyHostNetwork?: string;
  /** Descriptors the run left open: always empty unless the engine has a bug. */
  leaked: number[];
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
  /** Runs of each scenario (1 to 1,000,000; default 1). */
  repeat?: number;
  /** Worker threads running at once (1 to 64; default 1). */
  jobs?: number;
  /** A run longer than this many ms is a hang (default 0: what the run's
   * steps' bounds allow, native/run_many.cc). runMany() then throws an
   * Error with code 'ERR_POLLMATRIX_HANG', `scenario`, `run` and `boundMs`,
   * at once, and the worker stuck in it is never used again. */
  hangMs?: number;
}

export interface BackendInfo {
  name: string;
  asks: string;
  available: boolean;
  reason: string | null;
  /** The kind of its observations. */
  observes: ObservationKind;
  /** Registrations live from an endpoint's first `pol` (edge-triggered,
   * oneshot and dispatch modes); else every `pol` asks afresh. */
  persistent: boolean;
  /** The normalised properties it can express at all (src/normalise.ts). */
  expresses: string[];
}

export interface TransportInfo {
  name: string;
  describes: string;
  endpoints: Array<{ letter: string; role: string }>;
  /** The actions a scenario of this transport may use. */
  actions: string[];
  available: boolean;
  reason: string | null;
}

export interface ActionInfo {
  name: string;
  /** One line on what it does. */
  does: string;
  /** One of haproxy's dev/poll/poll actions, not a pollmatrix extension. */
  haproxy: boolean;
}

/** value/name pairs built from the OS's own constants; a flag with a
 * normalised meaning carries its properties third (`[0x10, 'HUP',
 * ['hangup', 'read-closed']]`). */
export type FlagTable = Array<[number, string] | [number, string, string[]]>;

export interface NativePlatform {
  sysname?: string;
  release?: string;
  version?: string;
  machine?: string;
  libc?: string | null;
}

export interface Binding {
  run(scenario: NativeScenario): NativeRunResult;
  /** Each scenario `repeat` times on `jobs` workers; per scenario, its
   * distinct results in order of first appearance ([0] is run 0's). */
  runMany(scenarios: NativeScenario[], options?: RunManyOptions): NativeOutcome[][];
  backends(): BackendInfo[];
  transports(): TransportInfo[];
  actions(): ActionInfo[];
  /** The interest names and haproxy's default. */
  interests(): { names: string[]; default: string[] };
  flagTables(): Record<string, FlagTable>;
  platform(): NativePlatform;
  sourceHash: string;
}

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let loaded: Binding | undefined;

/** The addon for this platform: build/ if present, else the prebuild. */
export function loadBinding(): Binding {
  loaded ??= createRequire(import.meta.url)('node-gyp-build')(packageRoot) as Binding;
  return loaded;
}
