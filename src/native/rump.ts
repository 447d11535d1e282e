// NetBSD's kernel code as a second kernel (issue 15): the rump build of the
// addon (.rump/pollmatrix-rump.node: the same engine over native/os/rump.cc,
// linked with NetBSD's kernel of 2016-07-28 as a rump kernel) behind the
// Binding interface, so the rest of the pipeline runs unchanged.
//
// The addon never loads in this process. A rump kernel's state is global
// and a kernel panic aborts its process, so the kernel lives in a child
// process of its own (node -e, CHILD below), which boots one kernel and
// answers calls, one at a time, until its input closes. The kernel's
// console is the child's standard output, so answers come back on
// descriptor 3, never on 1. The Binding interface is synchronous: a worker
// thread (HOLDER below) owns the child and its pipes, and this thread
// waits for each answer with Atomics.wait. Each worker of the engine in the
// child runs in a rump process of its own, whose descriptors are closed
// after every scenario (native/os/rump.cc, native/workers/worker.h).
//
// What can go wrong becomes one clear Error (code ERR_POLLMATRIX_KERNEL):
// a panic (the child aborts; its console's `panic:` line says why, and the
// scenario that caused it is found by running the batch's scenarios one at
// a time, each in a fresh kernel), a child that does not answer within what
// its runs may take (it is killed), a kernel that does not boot. The next
// call starts a fresh child. Nothing is left behind: the child exits when
// its input closes, and is killed when this process exits.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { packageRoot } from '../model/package-root.js';
import type { Binding, NativeOutcome, NativePlatform, NativeRunResult, NativeScenario, RunManyOptions } from './binding.js';
import type { ActionInfo, BackendInfo, FlagTable, Limits, TransportInfo } from '../model/observed.js';

/** Where `npm run build:rump` puts the kernel and the addon. */
export const RUMP_DIR = path.join(packageRoot, '.rump');
export const RUMP_ADDON = path.join(RUMP_DIR, 'pollmatrix-rump.node');
/** How to get one, in a line. */
export const RUMP_BUILD_HINT =
  'npm run build:rump builds it (NetBSD kernel code from ../shared/netbsd-rump or $POLLMATRIX_RUMP_SRC, about 6 CPU-minutes, then the addon)';

export type RumpStatus = { built: true; addon: string } | { built: false; why: string };

/** Whether the rump build is there and made from the current native/
 * sources (its embedded source hash, read from its bytes: loading it here
 * would boot a kernel in this process). */
export function rumpStatus(addon = RUMP_ADDON): RumpStatus {
  if (!existsSync(path.join(path.dirname(addon), 'BUILD-INFO'))) return { built: false, why: `no NetBSD rump kernel in ${path.dirname(addon)}: ${RUMP_BUILD_HINT}` };
  if (!existsSync(addon)) return { built: false, why: `no rump build of the addon (${addon}): ${RUMP_BUILD_HINT}` };
  const require = createRequire(import.meta.url);
  const { nativeSourceHash } = require(path.join(packageRoot, 'native', 'source-hash.cjs')) as { nativeSourceHash: (root: string) => string };
  if (!readFileSync(addon).includes(Buffer.from(nativeSourceHash(packageRoot)))) {
    return { built: false, why: `${addon} was built from other native/ sources than these: npm run build:rump-addon rebuilds it` };
  }
  return { built: true, addon };
}

/** A child's failure that is the kernel's: a panic, a kernel that did not
 * boot or did not answer. `scenario` is the index in a runMany() call of
 * the scenario that caused it, where one did. */
export interface KernelCrash extends Error {
  code: 'ERR_POLLMATRIX_KERNEL';
  scenario?: number;
}

export function isKernelCrash(err: unknown): err is KernelCrash {
  return err instanceof Error && (err as Partial<KernelCrash>).code === 'ERR_POLLMATRIX_KERNEL';
}

// The child: loads the rump addon (argv[1]) and answers requests, one JSON
// line each on its standard input, with one JSON line each on descriptor 3,
// until its input closes. Ctrl-C is the parent's to handle.
const CHILD = `
const fs = require('fs');
process.on('SIGINT', () => {});
const loaded = { exports: {} };
process.dlopen(loaded, process.argv[1]);
const addon = loaded.exports;
const pause = new Int32Array(new SharedArrayBuffer(4));
function io(op) {
  for (;;) {
    try { return op(); } catch (err) { if (err.code !== 'EAGAIN') throw err; Atomics.wait(pause, 0, 0, 1); }
  }
}
function answer(request) {
  try {
    if (request.call === 'describe') {
      return { id: request.id, value: { backends: addon.backends(), transports: addon.transports(), actions: addon.actions(),
        interests: addon.interests(), flagTables: addon.flagTables(), platform: addon.platform(), limits: addon.limits(), sourceHash: addon.sourceHash } };
    }
    return { id: request.id, value: addon[request.call](...request.args) };
  } catch (err) {
    return { id: request.id, error: { message: String(err && err.message), name: err && err.name, code: err && err.code,
      scenario: err && err.scenario, run: err && err.run, boundMs: err && err.boundMs } };
  }
}
const chunk = Buffer.alloc(1 << 16);
let pending = '';
for (;;) {
  const n = io(() => fs.readSync(0, chunk, 0, chunk.length, null));
  if (n === 0) process.exit(0);
  pending += chunk.toString('utf8', 0, n);
  for (let nl; (nl = pending.indexOf('\\n')) >= 0; ) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    const text = Buffer.from(JSON.stringify(answer(JSON.parse(line))) + '\\n');
    for (let at = 0; at < text.length; ) at += io(() => fs.writeSync(3, text, at));
  }
}
`;

// The worker thread that holds the child: starts it at the first request
// (and again after it died), passes requests to it and its answers, its pid
// and its death back on `port`, counting each message in `flag` so that the
// waiting thread wakes. It keeps the last lines of the kernel's console and
// of the child's standard error for a death's message.
const HOLDER = `
const { parentPort, workerData } = require('worker_threads');
const { spawn } = require('child_process');
const { flag, port, addon, child: code } = workerData;
let child, pending, lines = '', console_ = '', stderr = '';
function send(message) {
  port.postMessage(message);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}
function start() {
  lines = console_ = stderr = '';
  const me = spawn(process.execPath, ['-e', code, addon], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], windowsHide: true });
  child = me;
  me.stdin.on('error', () => {});
  me.stdio[3].setEncoding('utf8');
  me.stdio[3].on('data', (text) => {
    lines += text;
    for (let nl; (nl = lines.indexOf('\\n')) >= 0; ) {
      const line = lines.slice(0, nl);
      lines = lines.slice(nl + 1);
      send(JSON.parse(line));
    }
  });
  me.stdout.setEncoding('utf8');
  me.stdout.on('data', (text) => { console_ = (console_ + text).slice(-8192); });
  me.stderr.setEncoding('utf8');
  me.stderr.on('data', (text) => { stderr = (stderr + text).slice(-8192); });
  me.on('error', (err) => { if (child === me) { child = undefined; send({ id: pending, died: { error: err.message } }); } });
  me.on('exit', (status, signal) => {
    if (child !== me) return;
    child = undefined;
    send({ id: pending, died: { status, signal, console: console_, stderr } });
  });
  send({ pid: me.pid });
}
parentPort.on('message', (request) => {
  if (!child) start();
  pending = request.id;
  child.stdin.write(JSON.stringify(request) + '\\n');
});
`;

interface Description {
  backends: BackendInfo[];
  transports: TransportInfo[];
  actions: ActionInfo[];
  interests: { names: string[]; default: string[] };
  flagTables: Record<string, FlagTable>;
  limits: Limits;
  platform: NativePlatform;
  sourceHash: string;
}

/** How long a child may take beyond what its runs may: starting Node and
 * booting the kernel take well under a second on an idle machine. */
const CHILD_SLACK_MS = 30_000;

/** A run's bound as the engine reckons it (native/workers/runs.cc
 * run_bound_ms): each step waits at most its timeout plus the settle bound. */
function runBoundMs(s: NativeScenario): number {
  const timeout = s.timeoutMs ?? 1000;
  const steps = s.commands.reduce((n, c) => n + c.actions.length + 2, 0);
  return steps * (timeout + Math.min(timeout, 50)) + 2000;
}

/** Killed when this process exits, whatever the bindings' state. */
const children = new Set<number>();
process.on('exit', () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

interface Reply<T> {
  id?: number;
  pid?: number;
  value?: T;
  error?: { message: string; name?: string; code?: string; scenario?: number; run?: number; boundMs?: number };
  died?: { status?: number | null; signal?: string | null; console?: string; stderr?: string; error?: string };
}

export class RumpBinding implements Binding {
  private description: Description | undefined;
  private holder: { worker: Worker; port: MessagePort; flag: Int32Array } | undefined;
  private pid: number | undefined;
  private sequence = 0;

  constructor(readonly addon: string = RUMP_ADDON) {}

  private start(): NonNullable<RumpBinding['holder']> {
    if (!this.holder) {
      const { port1, port2 } = new MessageChannel();
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(HOLDER, { eval: true, workerData: { flag, port: port2, addon: this.addon, child: CHILD }, transferList: [port2] });
      worker.unref();
      this.holder = { worker, port: port1, flag };
    }
    return this.holder;
  }

  /** One call to the kernel's process; its answer, or a clear Error. */
  private call<T>(call: string, args: unknown[], boundMs: number): T {
    const { worker, port, flag } = this.start();
    const id = ++this.sequence;
    const fail = (what: string): never => {
      throw Object.assign(new Error(`the NetBSD rump kernel ${what}`), { code: 'ERR_POLLMATRIX_KERNEL' as const });
    };
    worker.postMessage({ id, call, args });
    const deadline = Date.now() + boundMs + CHILD_SLACK_MS;
    for (;;) {
      const seen = Atomics.load(flag, 0);
      const reply = receiveMessageOnPort(port)?.message as Reply<T> | undefined;
      if (reply?.pid !== undefined) {
        this.pid = reply.pid;
        children.add(reply.pid);
        continue;
      }
      if (reply?.died) {
        if (this.pid !== undefined) children.delete(this.pid);
        this.pid = undefined;
        if (reply.id !== id) continue;
        const { status, signal, console: text = '', stderr = '', error } = reply.died;
        if (error) fail(`could not be started: ${error}`);
        const panic = text.split('\n').find((line) => line.startsWith('panic:'));
        const last = stderr.split('\n').filter((l) => l.trim() !== '').pop();
        const how = signal ? `was killed by ${signal}` : `exited with status ${status}`;
        fail(`${panic ? `panicked (${panic.trim()}) and its process ${how}` : `process ${how}`}${!panic && last ? `: ${last}` : ''} during ${call}()`);
      }
      if (reply?.id === id) {
        if (reply.error) {
          const { message, name, ...fields } = reply.error;
          const err = name === 'TypeError' ? new TypeError(message) : new Error(message);
          throw Object.assign(err, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null)));
        }
        return reply.value as T;
      }
      if (reply) continue; // an answer to a call that timed out
      const left = deadline - Date.now();
      if (left <= 0) {
        if (this.pid !== undefined) process.kill(this.pid, 'SIGKILL');
        fail(`did not answer ${call}() within ${boundMs + CHILD_SLACK_MS} ms: its process was killed`);
      }
      Atomics.wait(flag, 0, seen, left);
    }
  }

  /** Ends the kernel's process (it also ends with this process). */
  close(): void {
    if (this.pid !== undefined) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      children.delete(this.pid);
    }
    void this.holder?.worker.terminate();
    this.holder = undefined;
    this.pid = undefined;
  }

  private describe(): Description {
    this.description ??= this.call<Description>('describe', [], 0);
    return this.description;
  }

  run(scenario: NativeScenario): NativeRunResult {
    return this.call<NativeRunResult>('run', [scenario], runBoundMs(scenario));
  }

  /** One child for the whole batch. When it crashes, each scenario runs
   * alone, so the error can name the one that crashed the kernel. */
  runMany(scenarios: NativeScenario[], options: RunManyOptions = {}): NativeOutcome[][] {
    const repeat = options.repeat ?? 1;
    const bound = (list: NativeScenario[]) => list.reduce((n, s) => n + runBoundMs(s), 0) * repeat;
    try {
      return this.call<NativeOutcome[][]>('runMany', [scenarios, options], bound(scenarios));
    } catch (err) {
      if (!isKernelCrash(err) || scenarios.length < 2) throw err;
      scenarios.forEach((s, i) => {
        try {
          this.call('runMany', [[s], options], bound([s]));
        } catch (alone) {
          if (isKernelCrash(alone)) throw Object.assign(alone, { scenario: i });
          throw alone;
        }
      });
      throw err;
    }
  }

  backends(): BackendInfo[] {
    return this.describe().backends;
  }

  transports(): TransportInfo[] {
    return this.describe().transports;
  }

  actions(): ActionInfo[] {
    return this.describe().actions;
  }

  interests(): { names: string[]; default: string[] } {
    return this.describe().interests;
  }

  flagTables(): Record<string, FlagTable> {
    return this.describe().flagTables;
  }

  platform(): NativePlatform {
    return this.describe().platform;
  }

  limits(): Limits {
    return this.describe().limits;
  }

  get sourceHash(): string {
    return this.describe().sourceHash;
  }
}
