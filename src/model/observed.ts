// What a run observed, as the addon returns it and as a result document
// stores it: steps, their observations (a tagged kind), errnos, kevents, and
// the addon's descriptions of its backends, transports and actions. The
// native layer fills these shapes; the model, the renderers and the checks
// read them, so they live here, at the bottom of the import graph.

/** An endpoint letter of the scenario's transport (`l c s u` for tcp, `r w`
 * for a pipe...: binding.transports()). */
export type Side = string;

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
export const OBSERVATION_KINDS = ['mask', 'kevents'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

export interface NativeObservation {
  kind: ObservationKind;
  ret: number;
  raw: number;
  /** The preparatory call that failed (epoll_ctl, a kevent registration). */
  failedCall?: string;
  /** Set when the mechanism could not be asked at all, with the reason. */
  notMeasured?: string;
  kevents?: Kevent[];
  /** kevents: returned kevents about another ident (a registration left
   * from an earlier descriptor, an emulation's stale entry), left out of
   * `kevents` but counted in `ret`; absent when none. */
  ignored?: number;
}

export interface NativeStep {
  cmd: number;
  stp: number;
  action: string;
  /** The value the action took (`lwm=5` has 5); absent for an action that takes none. */
  value?: number;
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
   * the settle bound ran out (native/engine/settle.h); absent when it settled. */
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
  /** What it asks for each interest bit (native/backends/interest.h): `asks`
   * null when it refuses the bit (`note` says why); a `note` with `asks` says
   * what the mapping changes in what was asked. Absent where not compiled,
   * and in result documents (a mechanism's mapping is the README's). */
  interest?: InterestMapping[];
}

export interface InterestMapping {
  name: string;
  asks: string | null;
  note: string | null;
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
  /** The value it takes (`lwm=5`): a whole number from min to max counting
   * `unit`; null for an action that takes none. */
  value: ActionValue | null;
}

export interface ActionValue {
  unit: string;
  min: number;
  max: number;
}

/** value/name pairs built from the OS's own constants; a flag with a
 * normalised meaning carries its properties third (`[0x10, 'HUP',
 * ['hangup', 'read-closed']]`). */
export type FlagTable = Array<[number, string] | [number, string, string[]]>;

/** The seven properties of the normalised view (README). */
export const PROPERTIES = ['readable', 'writable', 'read-closed', 'hangup', 'error', 'priority', 'invalid'] as const;
export type Property = (typeof PROPERTIES)[number];

/** A decoded kevent, as the runner stores it. */
export interface DecodedKevent {
  filter: string;
  flags: string[];
  fflags: number;
  data: number;
  /** errno name of EV_ERROR's data, or of EV_EOF's non-zero fflags. */
  errorName?: string;
}

/** A step with its observation decoded on the OS that ran it. */
export interface ObservedStep extends NativeStep {
  /** mask: the returned mask in C's %#x form and its bit names. */
  rawHex?: string;
  names?: string[];
  /** kevents: every returned kevent, decoded. */
  kevents?: DecodedKevent[];
  /** kevents: the trace's `ev=` text (src/kqueue.ts). */
  keventText?: string;
  /** pol: the normalised properties this observation shows, decided on the
   * OS that ran it (its own constants); absent when not measured. */
  properties?: Property[];
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

/** A whole-number setting of a run: its bounds and its value when none is
 * given (native/limits.h). */
export interface Range {
  min: number;
  max: number;
  default: number;
}

/** Every limit and default of a run, as the addon declares them once
 * (native/limits.h, exported by limits()). */
export interface Limits {
  timeoutMs: Range;
  repeat: Range;
  jobs: Range;
  /** The transport of a scenario that names none: haproxy's, tcp. */
  defaultTransport: string;
}
