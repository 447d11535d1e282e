// A fake addon for testing the TypeScript logic without sockets: it answers
// each `pol` with the next canned observation and every other step with ret=0.
import type { Binding, FlagTable, NativeObservation, NativeRunResult, NativeScenario, NativeStep } from '../src/native/binding.js';
import type { Scenario } from '../src/model/catalogue.js';
import type { KqueueTables } from '../src/native/observations/kqueue.js';
import { buildDocument } from '../src/model/document.js';
import { Runner } from '../src/native/runner.js';
import { PROPERTIES } from '../src/model/observed.js';
import { runAll, runManyOneByOne } from './runs.js';

export interface FakeOptions {
  /** Observations handed out to `pol` steps, in order, per backend. */
  pol?: Record<string, Array<Partial<NativeObservation> & { errno?: string }>>;
  /** Extra fields for the step at this index (e.g. timedOut). */
  patch?: Record<number, Partial<NativeStep>>;
  stopped?: string | null;
  /** Make kqueue available, with these tables (test/fixtures/kqueue-tables.ts). */
  kqueue?: KqueueTables;
}

/** poll's names with their normalised meanings, as the addon exports them. */
export const FAKE_POLL_FLAGS: FlagTable = [
  [0x1, 'IN', ['readable']],
  [0x4, 'OUT', ['writable']],
  [0x8, 'ERR', ['error']],
  [0x10, 'HUP', ['hangup', 'read-closed']],
  [0x20, 'NVAL', ['invalid']],
  [0x2000, 'RDHUP', ['read-closed']],
];

export function fakeBinding(options: FakeOptions = {}): Binding & { calls: NativeScenario[] } {
  const calls: NativeScenario[] = [];
  // Canned observations are handed out in order across runs.
  const next: Record<string, number> = {};
  const binding: Binding & { calls: NativeScenario[] } = {
    calls,
    sourceHash: 'hfake',
    backends: () => [
      { name: 'poll', asks: 'poll()', available: true, reason: null, observes: 'mask', persistent: false, expresses: [...PROPERTIES] },
      { name: 'epoll', asks: 'epoll_wait()', available: true, reason: null, observes: 'mask', persistent: false, expresses: [...PROPERTIES] },
      // Like the real registry, every mechanism is listed, the fake OS's missing ones unavailable.
      ...['epoll-et', 'epoll-oneshot', 'io_uring'].map((name) => ({ name, asks: name, available: false, reason: 'not on this fake OS', observes: 'mask' as const, persistent: name !== 'io_uring', expresses: [...PROPERTIES] })),
      options.kqueue
        ? { name: 'kqueue', asks: 'kevent()', available: true, reason: null, observes: 'kevents', persistent: false, expresses: [...PROPERTIES] }
        : { name: 'kqueue', asks: 'kevent()', available: false, reason: 'not on this fake OS', observes: 'kevents', persistent: false, expresses: [...PROPERTIES] },
      ...['kqueue-clear', 'kqueue-oneshot', 'kqueue-dispatch'].map((name) => ({ name, asks: name, available: false, reason: 'not on this fake OS', observes: 'kevents' as const, persistent: true, expresses: [...PROPERTIES] })),
      { name: 'select', asks: 'select()', available: true, reason: null, observes: 'mask', persistent: false, expresses: ['readable', 'writable', 'priority', 'invalid'] },
    ],
    // The real addon's lists (native/transports/): the catalogue in matrix/
    // uses every transport, and is validated against this list on load.
    transports: () => [
      {
        name: 'tcp', describes: 'TCP over IPv4 loopback', available: true, reason: null,
        endpoints: [{ letter: 'l', role: 'listener' }, { letter: 'c', role: 'client' }, { letter: 's', role: 'accepted socket' }, { letter: 'u', role: 'never-connected socket' }],
        actions: ['con', 'acc', 'snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'lin', 'clo', 'pol', 'nbc', 'ful', 'oob', 'soe', 'oil', 'arm'],
      },
      {
        name: 'tcp6', describes: 'tcp6', available: true, reason: null,
        endpoints: [{ letter: 'l', role: 'listener' }, { letter: 'c', role: 'client' }, { letter: 's', role: 'accepted socket' }, { letter: 'u', role: 'never-connected socket' }],
        actions: ['con', 'acc', 'snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'lin', 'clo', 'pol', 'nbc', 'ful', 'oob', 'soe', 'oil', 'arm'],
      },
      {
        name: 'unix', describes: 'unix', available: true, reason: null,
        endpoints: [{ letter: 'l', role: 'listener' }, { letter: 'c', role: 'client' }, { letter: 's', role: 'accepted socket' }, { letter: 'u', role: 'never-connected socket' }],
        actions: ['con', 'acc', 'snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'lin', 'clo', 'pol', 'nbc', 'ful', 'oob', 'soe', 'oil', 'arm'],
      },
      {
        name: 'unix-dgram', describes: 'unix-dgram', available: true, reason: null,
        endpoints: [{ letter: 'c', role: 'client, connected to s' }, { letter: 's', role: 'server, bound' }],
        actions: ['con', 'snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'clo', 'pol', 'ful', 'soe', 'arm'],
      },
      {
        name: 'udp', describes: 'udp', available: true, reason: null,
        endpoints: [{ letter: 'c', role: 'client, connected to s' }, { letter: 's', role: 'server, bound' }],
        actions: ['con', 'snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'clo', 'pol', 'ful', 'soe', 'arm'],
      },
      {
        name: 'socketpair', describes: 'socketpair', available: true, reason: null,
        endpoints: [{ letter: 'a', role: 'one end' }, { letter: 'b', role: 'the other end' }],
        actions: ['snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'lin', 'clo', 'pol', 'ful', 'oob', 'soe', 'oil', 'arm'],
      },
      {
        name: 'socketpair-dgram', describes: 'socketpair-dgram', available: true, reason: null,
        endpoints: [{ letter: 'a', role: 'one end' }, { letter: 'b', role: 'the other end' }],
        actions: ['snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'clo', 'pol', 'ful', 'soe', 'arm'],
      },
      {
        name: 'socketpair-seqpacket', describes: 'socketpair-seqpacket', available: true, reason: null,
        endpoints: [{ letter: 'a', role: 'one end' }, { letter: 'b', role: 'the other end' }],
        actions: ['snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'clo', 'pol', 'ful', 'soe', 'arm'],
      },
      {
        name: 'pipe', describes: 'pipe(2)', available: true, reason: null,
        endpoints: [{ letter: 'r', role: 'read end' }, { letter: 'w', role: 'write end' }],
        actions: ['snd', 'rcv', 'drn', 'clo', 'pol', 'ful', 'arm'],
      },
      {
        name: 'fifo', describes: 'fifo', available: true, reason: null,
        endpoints: [{ letter: 'r', role: 'read end' }, { letter: 'w', role: 'write end' }],
        actions: ['snd', 'rcv', 'drn', 'clo', 'pol', 'ful', 'opn', 'arm'],
      },
      {
        name: 'pty', describes: 'pty', available: true, reason: null,
        endpoints: [{ letter: 'm', role: 'master' }, { letter: 't', role: 'terminal' }],
        actions: ['snd', 'rcv', 'drn', 'clo', 'pol', 'ful', 'arm'],
      },
      {
        name: 'file', describes: 'file', available: true, reason: null,
        endpoints: [{ letter: 'f', role: 'a regular file, read-write' }],
        actions: ['snd', 'rcv', 'drn', 'clo', 'pol', 'arm'],
      },
    ],
    actions: () =>
      ['con', 'acc', 'snd', 'mor', 'rcv', 'drn', 'shr', 'shw', 'shb', 'lin', 'clo', 'pol', 'nbc', 'ful', 'oob', 'soe', 'opn', 'oil', 'arm'].map(
        (name, i) => ({ name, does: `does ${name}`, haproxy: i < 12 }),
      ),
    interests: () => ({ names: ['IN', 'OUT', 'PRI', 'RDHUP'], default: ['IN', 'OUT', 'RDHUP'] }),
    flagTables: () => ({
      poll: FAKE_POLL_FLAGS,
      epoll: FAKE_POLL_FLAGS.filter(([, name]) => name !== 'NVAL'),
      select: [[0x1, 'R', ['readable']], [0x2, 'W', ['writable']], [0x4, 'X', ['priority']]],
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

