// pollmatrix command line. Subcommands follow DESIGN.md's CLI contract:
//   pollmatrix                 the matrix for this machine (same as `run`)
//   pollmatrix run [options]   the matrix
//   pollmatrix trace [--backend NAME] [--json] [--timeout MS] <haproxy args>
//   pollmatrix list | backends
// Exit codes: 0 done, 1 a trace stopped where haproxy's tool gives up,
// 2 bad usage or bad input, 3 an internal error (a bug: please report it).
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadBinding, packageRoot, type Binding } from './binding.js';
import { loadCatalogue, type Scenario } from './catalogue.js';
import { UsageError } from './errors.js';
import { parseHaproxyArgs } from './haproxy-args.js';
import { buildRows, runMatrix } from './matrix.js';
import { platformFacts, platformLine } from './platform.js';
import { renderTable } from './render-table.js';
import { DEFAULT_TIMEOUT_MS, Runner } from './runner.js';
import { BEGIN, END, traceLine } from './trace.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `usage: pollmatrix [run] [--backend NAME]... [--scenario ID|GLOB]... [--raw] [--timeout MS]
       pollmatrix trace [--backend NAME] [--json] [--timeout MS] [-v] [-e] -l|-c|-s <actions> ...
       pollmatrix list
       pollmatrix backends
actions: con acc snd mor rcv drn shr shw shb lin clo pol (haproxy dev/poll/poll syntax)`;

export const catalogueDir = path.join(packageRoot, 'matrix');

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 1 || ms > 600000) {
    throw new UsageError(`--timeout takes whole milliseconds from 1 to 600000, got '${text}'`);
  }
  return ms;
}

/** Runs util.parseArgs, turning its errors into one-line usage errors. */
function options<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

export function selectScenarios(all: Scenario[], patterns: string[]): Scenario[] {
  if (patterns.length === 0) return all;
  const chosen = all.filter((s) => patterns.some((p) => globToRegExp(p).test(s.id)));
  const unmatched = patterns.filter((p) => !all.some((s) => globToRegExp(p).test(s.id)));
  if (unmatched.length > 0) {
    throw new UsageError(`--scenario '${unmatched[0]}' matches no scenario (see pollmatrix list)`);
  }
  return chosen;
}

function cmdRun(binding: Binding, args: string[], io: Io): number {
  const { values } = options(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        backend: { type: 'string', multiple: true },
        scenario: { type: 'string', multiple: true },
        raw: { type: 'boolean' },
        timeout: { type: 'string' },
      },
    }),
  );
  const runner = new Runner(binding);
  const timeoutMs = parseTimeout(values.timeout);
  const backends = values.backend ?? runner.availableBackends();
  backends.forEach((b) => runner.checkBackend(b));
  const scenarios = selectScenarios(loadCatalogue(catalogueDir), values.scenario ?? []);
  const matrix = runMatrix(runner, scenarios, backends, timeoutMs);
  const firstRun = matrix.runs.values().next().value?.values().next().value;
  const platform = platformFacts(binding, firstRun?.descriptorTable ?? 'unknown');
  const rows = values.raw ? buildRows(scenarios, backends, matrix.runs, true) : matrix.rows;
  io.out(platformLine(platform) + '\n');
  io.out(renderTable(backends, rows));
  return 0;
}

function cmdTrace(binding: Binding, args: string[], io: Io): number {
  let backend: string | undefined;
  let json = false;
  let timeoutText: string | undefined;
  const haproxyArgs: string[] = [];
  const positions: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
      return args[++i];
    };
    if (name === '--backend') backend = value();
    else if (name === '--timeout') timeoutText = value();
    else if (arg === '--json') json = true;
    else if (arg === '-h' || arg === '--help') {
      io.out(USAGE + '\n');
      return 0;
    } else if (arg.startsWith('--')) throw new UsageError(`trace: unknown option '${arg}' (--backend --json --timeout)`);
    else {
      haproxyArgs.push(arg);
      positions.push(i);
    }
  }
  const timeoutMs = parseTimeout(timeoutText);
  const commands = parseHaproxyArgs(haproxyArgs, (i) => `trace: argument ${positions[i] + 1}`);
  const runner = new Runner(binding);
  if (backend !== undefined) runner.checkBackend(backend);
  if (backend !== undefined && backend !== 'epoll' && commands.some((c) => c.epoll)) {
    throw new UsageError(`trace: -e asks for epoll but --backend asks for ${backend}`);
  }
  if (commands.some((c) => c.epoll)) runner.checkBackend('epoll');
  const chosen = backend ?? 'poll';
  const run = runner.runCommands(
    commands.map((c) => ({ side: c.side, actions: c.actions, backend: c.epoll ? 'epoll' : chosen })),
    timeoutMs,
  );
  if (run.setupError) throw new Error(`could not set up the sockets: ${run.setupError}`);
  if (json) {
    const document = {
      command: ['pollmatrix', 'trace', ...args].join(' '),
      platform: platformFacts(binding, run.descriptorTable),
      timeoutMs,
      steps: run.steps,
      stopped: run.stopped,
      leaked: run.leaked,
    };
    io.out(JSON.stringify(document, null, 2) + '\n');
  } else {
    // haproxy's tool prints a step only if -v came before its command.
    const verbose = (cmd: number) => commands[cmd - 1]?.verbose ?? false;
    const lines = [BEGIN, ...run.steps.filter((s) => verbose(s.cmd)).map((s) => traceLine(s, timeoutMs))];
    if (!run.stopped) lines.push(END); // that tool exits before its END line
    io.out(lines.join('\n') + '\n');
    if (!commands.some((c) => c.verbose)) io.err('pollmatrix: add -v to print each step, as with dev/poll/poll\n');
  }
  if (run.stopped) {
    io.err(`pollmatrix: stopped: ${run.stopped}\n`);
    return 1;
  }
  return 0;
}

function cmdList(args: string[], io: Io): number {
  options(() => parseArgs({ args, strict: true, options: {} }));
  for (const s of loadCatalogue(catalogueDir)) io.out(`${s.id.padEnd(36)} ${s.steps.padEnd(36)} ${s.title}\n`);
  return 0;
}

function cmdBackends(binding: Binding, args: string[], io: Io): number {
  options(() => parseArgs({ args, strict: true, options: {} }));
  for (const b of binding.backends()) {
    io.out(`${b.name.padEnd(8)} ${b.available ? 'available  ' : 'unavailable'} ${b.available ? b.asks : b.reason}\n`);
  }
  return 0;
}

/** Runs the CLI; returns the exit code. `binding` is injectable for tests. */
export function main(argv: string[], io: Io, getBinding: () => Binding = loadBinding): number {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case undefined:
        return cmdRun(getBinding(), [], io);
      case 'run':
        return cmdRun(getBinding(), rest, io);
      case 'trace':
        return cmdTrace(getBinding(), rest, io);
      case 'list':
        return cmdList(rest, io);
      case 'backends':
        return cmdBackends(getBinding(), rest, io);
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE + '\n');
        return 0;
      default:
        if (sub.startsWith('-')) return cmdRun(getBinding(), argv, io);
        throw new UsageError(`unknown command '${sub}' (commands: run trace list backends)`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`pollmatrix: ${err.message}\n`);
      return 2;
    }
    io.err(`pollmatrix: internal error: ${(err as Error).message ?? String(err)}\n`);
    if (process.env.POLLMATRIX_DEBUG) io.err(`${(err as Error).stack}\n`);
    return 3;
  }
}
