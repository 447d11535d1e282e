// A fake addon for testing the TypeScript logic without sockets: it answers
// each `pol` with the next canned observation and every other step with ret=0.
import type { Binding, FlagTable, NativeObservation, NativeRunResult, NativeScenario, NativeStep } from '../src/native/binding.js';
import type { Scenario } from '../src/model/catalogue.js';
import type { KqueueTables } from '../src/native/observations/kqueue.js';
import { buildDocument } from '../src/model/document.js';
import { Runner } from '../src/native/runner.js';
import { runAll, runManyOneByOne } from './runs.js';
import { recorded } from './vocabulary.js';
import { PROPERTIES } from '../src/model/observed.js';

export interface FakeOptions {
  /** Observations handed out to `pol` steps, in order, per backend. */
  pol?: Record<string, Array<Partial<NativeObservation> & { errno?: string }>>;
  /** Extra fields for the step at this index (e.g. timedOut). */
  patch?: Record<number, Partial<NativeStep>>;
  stopped?: string | null;
  /** Make kqueue available, with these tables (test/fixtures/kqueue-tables.ts). */
  kqueue?: KqueueTables;
}

/** poll's flag table, as the addon exports it on Linux. */
export const FAKE_POLL_FLAGS: FlagTable = recorded().flagTables.poll;

/** Available on the fake OS: poll, epoll and select, and kqueue when asked. */
const FAKE_OS_BACKENDS = ['poll', 'epoll', 'select'];

export function fakeBinding(options: FakeOptions = {}): Binding & { calls: NativeScenario[] } {
  const calls: NativeScenario[] = [];
  // Canned observations are handed out in order across runs.
  const next: Record<string, number> = {};
  const binding: Binding & { calls: NativeScenario[] } = {
    calls,
    sourceHash: 'hfake',
    // Every mechanism the real registry lists, the fake OS's missing ones
    // unavailable; every transport, action and interest of the real addon.
    backends: () =>
      recorded().backends.map((b) => {
        const fakeKqueue = b.name === 'kqueue' && options.kqueue !== undefined;
        const available = FAKE_OS_BACKENDS.includes(b.name) || fakeKqueue;
        // Not compiled where the recording was made, kqueue expresses nothing
        // there; on the fake OS that has it, everything, as on macOS.
        return { ...b, available, reason: available ? null : 'not on this fake OS', ...(fakeKqueue ? { expresses: [...PROPERTIES] } : {}) };
      }),
    transports: () => recorded().transports.map((t) => ({ ...t, available: true, reason: null })),
    actions: () => recorded().actions,
    interests: () => recorded().interests,
    limits: () => recorded().limits,
    flagTables: () => ({
      poll: recorded().flagTables.poll,
      epoll: recorded().flagTables.epoll,
      select: recorded().flagTables.select,
      ...(options.kqueue ? { kqueue: options.kqueue.flags, 'kqueue.filters': options.kqueue.filters } : {}),
    }),
    platform: () => ({ sysname: 'Fake', release: '1.0', machine: 'x86_64', libc: 'fakelibc' }),
    run(scenario: NativeScenario): NativeRunResult {
      calls.push(scenario);
      const steps: NativeStep[] = [];
      scenario.commands.forEach((command, i) => {
        command.actions.forEach((action, j) => {
          const step: NativeStep = {
            cmd: i + 1,
            stp: j + 1,
            action,
            side: command.side,
            fd: 3 + Math.max(0, 'lcsurw'.indexOf(command.side)),
            implicit: false,
            ret: 0,
            errno: null,
            endpointClosed: false,
            actedFd: 4,
            timedOut: false,
          };
          if (action === 'pol') {
            const k = (next[command.backend] = (next[command.backend] ?? -1) + 1);
            const canned = options.pol?.[command.backend]?.[k] ?? { ret: 0, raw: 0 };
            const { errno, ...observation } = canned;
            step.backend = command.backend;
            const kind = command.backend === 'kqueue' ? 'kevents' : 'mask';
            step.observation = { kind, ret: 0, raw: 0, ...observation };
            step.ret = step.observation!.ret;
            if (errno) step.errno = { name: errno, number: 9, message: 'Bad file descriptor' };
          }
          steps.push({ ...step, ...(options.patch?.[steps.length] ?? {}) });
        });
      });
      return { steps, stopped: options.stopped ?? null, setupError: null, descriptorTable: 'private', network: 'private', leaked: [] };
    },
    runMany: (scenarios, runOptions) => runManyOneByOne((s) => binding.run(s))(scenarios, runOptions),
  };
  return binding;
}

/** A result document from the fake binding, as `run` builds it. */
export function fakeDocument(binding: Binding, list: Scenario[], backends: string[], os = 'linux', kernel = '6.1', repeat = 1) {
  const runs = runAll(new Runner(binding), list, backends, 1000, repeat);
  const platform = { os, kernel, arch: 'x86_64', libc: null, node: 'v20', pollmatrix: '0.1.0', descriptorTable: 'private' };
  return buildDocument({ platform, date: new Date(0), timeoutMs: 1000, repeat, backends, mechanisms: binding.backends(), scenarios: list, runs });
}

