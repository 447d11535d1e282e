// pollmatrix command line. Subcommands follow DESIGN.md's CLI contract:
//   pollmatrix                 the matrix for this machine (same as `run`)
//   pollmatrix run [options]   the matrix
//   pollmatrix trace [--backend NAME] [--json] [--timeout MS] <haproxy args>
//   pollmatrix merge FILE...   one table across OSes
//   pollmatrix list | backends | transports
// Exit codes: 0 done, 1 an expectation check failed (or a trace stopped where
// haproxy's tool gives up), 2 bad usage or bad input, 3 an internal error.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadBinding, packageRoot, type Binding } from './binding.js';
import { loadCatalogue, type Scenario } from './catalogue.js';
import { checkDocument, checkReportLines } from './check.js';
import { cmdCheck } from './commands/check.js';
import { buildDocument, parseDocument, type ResultDocument } from './document.js';
import { UsageError } from './errors.js';
import { DEFAULT_TRANSPORT, grammarFor, parseHaproxyArgs, parseInterest } from './haproxy-args.js';
import { runFuzz } from './fuzz.js';
import { defaultJobs, MAX_JOBS, MAX_REPEAT, parseJobs } from './jobs.js';
import { buildMatrix, runAll, type View } from './matrix.js';
import { platformFacts } from './platform.js';
import { renderCsv } from './render/csv.js';
import { renderHtml } from './render/html.js';
import { renderMergeJson, renderRunJson } from './render/json.js';
import { renderMarkdown } from './render/markdown.js';
import { renderTable } from './render/table.js';
import { DEFAULT_TIMEOUT_MS, Runner } from './runner.js';
import { BEGIN, END, traceLine } from './trace.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Standard output is a colour terminal (a TTY, and NO_COLOR unset). */
  colour?: boolean;
}

const USAGE_LINES = `usage: pollmatrix [run] [--format table|markdown|json|csv|html] [-o FILE] [--backend NAME]...
                      [--scenario ID|GLOB]... [--only-diff] [--view raw|normalised] [--raw]
                      [--timeout MS] [--repeat N] [--jobs N] [--check]
       pollmatrix trace [--transport NAME] [--interest 'IN OUT ...'] [--backend NAME] [--json] [--timeout MS]
                        [-v] [-e] -<letter> <actions> ...
       pollmatrix merge [--format ...] [-o FILE] [--only-diff] [--view raw|normalised] [--raw] FILE...
       pollmatrix fuzz [--seed S] [--count N] [--transport NAME]... [--backend NAME]... [--timeout MS] [--jobs N]
       pollmatrix check FILE...
       pollmatrix list
       pollmatrix backends
       pollmatrix transports`;

/** The usage text, with the addon's own lists of endpoints and actions. */
function usage(binding: Binding | undefined): string {
  if (!binding) return USAGE_LINES;
  const tcp = binding.transports().find((t) => t.name === DEFAULT_TRANSPORT);
  const endpoints = tcp ? tcp.endpoints.map((e) => `-${e.letter} ${e.role}`).join(', ') : '';
  const { names, default: dflt } = binding.interests();
  return `${USAGE_LINES}
endpoints (tcp, the default transport; pollmatrix transports lists the others): ${endpoints}
interest: any of ${names.join(' ')}; default '${dflt.join(' ')}' (haproxy's); '' asks for nothing (events=0)
actions (haproxy dev/poll/poll's first, then pollmatrix's):
${binding
  .actions()
  .map((a) => `  ${a.name}  ${a.does}`)
  .join('\n')}`;
}

export const catalogueDir = path.join(packageRoot, 'matrix');

/** Colour only on a terminal, and never with NO_COLOR set to anything but
 * the empty string (https://no-color.org). */
export function wantColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return isTTY === true && !env.NO_COLOR;
}

const FORMATS = ['table', 'markdown', 'json', 'csv', 'html'] as const;
type Format = (typeof FORMATS)[number];

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 1 || ms > 600000) {
    throw new UsageError(`--timeout takes whole milliseconds from 1 to 600000, got '${text}'`);
  }
  return ms;
}

/** Every scenario runs this often per backend by default: enough to show a
 * cell that changes from run to run, cheap enough (the catalogue takes
 * milliseconds). */
export const DEFAULT_REPEAT = 3;

function parseRepeat(text: string | undefined): number {
  if (text === undefined) return DEFAULT_REPEAT;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_REPEAT) {
    throw new UsageError(`--repeat takes a whole number from 1 to ${MAX_REPEAT}, got '${text}'`);
  }
  return n;
}

function parseFormat(text: string | undefined): Format {
  const format = text ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(' ')}, got '${format}'`);
  }
  return format as Format;
}

function parseView(text: string | undefined): View {
  const view = text ?? 'raw';
  if (view !== 'raw' && view !== 'normalised') throw new UsageError(`--view must be raw or normalised, got '${view}'`);
  return view;
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

const renderOptions = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'only-diff': { type: 'boolean' },
  view: { type: 'string' },
  raw: { type: 'boolean' },
} as const;

interface RenderRequest {
  format: Format;
  output?: string;
  onlyDiff: boolean;
  view: View;
  hex: boolean;
}

function renderRequest(values: { format?: string; output?: string; 'only-diff'?: boolean; view?: string; raw?: boolean }): RenderRequest {
  return {
    format: parseFormat(values.format),
    output: values.output,
    onlyDiff: values['only-diff'] ?? false,
    view: parseView(values.view),
    hex: values.raw ?? false,
  };
}

/** Renders documents in the requested format to stdout or -o FILE. */
function emit(documents: ResultDocument[], request: RenderRequest, io: Io, kind: 'run' | 'merge'): void {
  const matrix = buildMatrix(documents, { view: request.view, hex: request.hex, onlyDiff: request.onlyDiff });
  let text: string;
  switch (request.format) {
    case 'table':
      text = renderTable(documents, matrix, request.output === undefined && io.colour === true);
      break;
    case 'markdown':
      text = renderMarkdown(documents, matrix);
      break;
    case 'csv':
      text = renderCsv(matrix);
      break;
    case 'html':
      text = renderHtml(documents, matrix);
      break;
    case 'json':
      text = kind === 'run' ? renderRunJson(documents[0], matrix, request.onlyDiff) : renderMergeJson(documents, matrix, request.onlyDiff);
      break;
  }
  if (request.output !== undefined) {
    try {
      writeFileSync(request.output, text);
    } catch (err) {
      throw new UsageError(`-o ${request.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else {
    io.out(text);
  }
}

function cmdRun(binding: Binding, args: string[], io: Io): number {
  const { values } = options(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        ...renderOptions,
        backend: { type: 'string', multiple: true },
        scenario: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        repeat: { type: 'string' },
        jobs: { type: 'string' },
        check: { type: 'boolean' },
      },
    }),
  );
  const request = renderRequest(values);
  const runner = new Runner(binding);
  const timeoutMs = parseTimeout(values.timeout);
  const backends = values.backend ?? runner.availableBackends();
  backends.forEach((b) => runner.checkBackend(b));
  const scenarios = selectScenarios(loadCatalogue(catalogueDir, binding), values.scenario ?? []);
  const repeat = parseRepeat(values.repeat);
  const jobs = parseJobs(values.jobs);
  const runs = runAll(runner, scenarios, backends, timeoutMs, repeat, jobs);
  const firstRun = runs.values().next().value?.values().next().value;
  const document = buildDocument({
    platform: platformFacts(binding, firstRun?.descriptorTable ?? 'unknown', firstRun?.network),
    date: new Date(),
    timeoutMs,
    repeat,
    backends,
    mechanisms: binding.backends(),
    scenarios,
    runs,
  });
  emit([document], request, io, 'run');
  if (!values.check) return 0;
  const report = checkDocument(scenarios, document);
  io.err(checkReportLines(report, 'this run').join('\n') + '\n');
  return report.mismatches.length > 0 ? 1 : 0;
}

function cmdMerge(args: string[], io: Io): number {
  const { values, positionals } = options(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: renderOptions }),
  );
  const request = renderRequest(values);
  if (positionals.length === 0) throw new UsageError('merge needs at least one result file (pollmatrix run --format json -o FILE)');
  const documents = positionals.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    return parseDocument(json, file);
  });
  emit(documents, request, io, 'merge');
  return 0;
}

function cmdTrace(binding: Binding, args: string[], io: Io): number {
  let backend: string | undefined;
  let transport = DEFAULT_TRANSPORT;
  let interestText: string | undefined;
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
      if (i + 1 >= args.length) throw new UsageError(`trace: ${name} needs a value`);
      return args[++i];
    };
    if (name === '--backend') backend = value();
    else if (name === '--transport') transport = value();
    else if (name === '--interest') interestText = value();
    else if (name === '--timeout') timeoutText = value();
    else if (arg === '--json') json = true;
    else if (arg === '-h' || arg === '--help') {
      io.out(usage(binding) + '\n');
      return 0;
    } else if (arg.startsWith('--')) {
      throw new UsageError(`trace: unknown option '${arg}' (--transport --interest --backend --json --timeout)`);
    }
    else {
      haproxyArgs.push(arg);
      positions.push(i);
    }
  }
  const timeoutMs = parseTimeout(timeoutText);
  const grammar = grammarFor(binding, transport, 'trace: --transport');
  const available = binding.transports().find((t) => t.name === transport);
  if (available && !available.available) throw new UsageError(`trace: transport ${transport} is not available here: ${available.reason}`);
  const interest = interestText === undefined ? undefined : parseInterest(interestText, binding, 'trace: --interest');
  const commands = parseHaproxyArgs(haproxyArgs, (i) => `trace: argument ${positions[i] + 1}`, grammar);
  const runner = new Runner(binding);
  if (backend !== undefined) runner.checkBackend(backend);
  if (backend !== undefined && backend !== 'epoll' && commands.some((c) => c.epoll)) {
    throw new UsageError(`trace: -e asks for epoll but --backend asks for ${backend}`);
  }
  if (commands.some((c) => c.epoll)) runner.checkBackend('epoll');
  const chosen = backend ?? 'poll';
  const run = runner.runCommands(
    commands.map((c) => ({ side: c.side, actions: c.actions, backend: c.epoll ? 'epoll' : chosen })),
    { transport, interest, timeoutMs },
  );
  if (run.setupError) throw new Error(`could not set up the sockets: ${run.setupError}`);
  if (json) {
    const document = {
      command: ['pollmatrix', 'trace', ...args].join(' '),
      platform: platformFacts(binding, run.descriptorTable, run.network),
      timeoutMs,
      steps: run.steps,
      stopped: run.stopped,
      leaked: run.leaked,
    };
    io.out(JSON.stringify(document, null, 2) + '\n');
  } else {
    // haproxy's tool prints a step only if -v came before its command.
    const verbose = (cmd: number) => commands[cmd - 1]?.verbose ?? false;
    const haproxyActions = new Set(binding.actions().filter((a) => a.haproxy).map((a) => a.name));
    const lines = [BEGIN, ...run.steps.filter((s) => verbose(s.cmd)).map((s) => traceLine(s, timeoutMs, haproxyActions))];
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

/** A whole number option within [low, high], or `fallback`. */
function wholeOption(name: string, text: string | undefined, low: number, high: number, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < low || n > high) throw new UsageError(`${name} takes a whole number from ${low} to ${high}, got '${text}'`);
  return n;
}

function cmdFuzz(binding: Binding, args: string[], io: Io): number {
  const { values } = options(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        seed: { type: 'string' },
        count: { type: 'string' },
        transport: { type: 'string', multiple: true },
        backend: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        jobs: { type: 'string' },
      },
    }),
  );
  const runner = new Runner(binding);
  const backends = values.backend ?? [];
  backends.forEach((b) => runner.checkBackend(b));
  const transports = values.transport ?? [];
  for (const t of transports) {
    const found = binding.transports().find((x) => x.name === t);
    grammarFor(binding, t, '--transport');
    if (found && !found.available) throw new UsageError(`--transport: ${t} is not available here: ${found.reason}`);
  }
  const fuzzOptions = {
    seed: wholeOption('--seed', values.seed, 0, 2 ** 32 - 1, 1),
    count: wholeOption('--count', values.count, 1, 10_000_000, 1000),
    transports,
    backends,
    // Short: a random scenario often waits for the bound (an accept with
    // nothing pending, a drain whose peer stays open).
    timeoutMs: values.timeout === undefined ? FUZZ_TIMEOUT_MS : parseTimeout(values.timeout),
    // Random runs mostly wait for their step bound, so more workers than
    // cores keep the cores busy.
    jobs: values.jobs === undefined ? Math.min(MAX_JOBS, 4 * defaultJobs()) : parseJobs(values.jobs),
  };
  const report = runFuzz(binding, fuzzOptions);
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  const lines = [
    `fuzz: seed ${fuzzOptions.seed}, ${report.cases} scenarios run twice (${report.runs} runs) in ${report.seconds.toFixed(1)} s`,
    `fuzz: resident memory ${mb(report.rss.first)} after the warm-up, ${mb(report.rss.last)} at the end`,
    `fuzz: open descriptors ${report.descriptors.first ?? 'unknown'} after the warm-up, ${report.descriptors.last ?? 'unknown'} at the end`,
  ];
  const problems = report.failures.map((f) => `FAIL scenario ${f.index}: ${f.problem}
  reproduce: ${f.reproducer}`);
  if (report.descriptors.first !== null && report.descriptors.last !== null && report.descriptors.last > report.descriptors.first) {
    problems.push(`FAIL the process's open descriptors grew from ${report.descriptors.first} to ${report.descriptors.last}`);
  }
  if (report.rss.last > report.rss.first + FUZZ_RSS_GROWTH) {
    problems.push(`FAIL resident memory grew by more than ${mb(FUZZ_RSS_GROWTH)}`);
  }
  io.out([...lines, ...problems, problems.length > 0 ? `fuzz: ${problems.length} failure(s)` : 'fuzz: ok'].join('\n') + '\n');
  return problems.length > 0 ? 1 : 0;
}

/** fuzz's step bound unless --timeout says otherwise. */
export const FUZZ_TIMEOUT_MS = 20;
/** Growth of resident memory that fuzz calls a leak. */
const FUZZ_RSS_GROWTH = 64 * 2 ** 20;

function cmdList(binding: Binding, args: string[], io: Io): number {
  options(() => parseArgs({ args, strict: true, options: {} }));
  for (const s of loadCatalogue(catalogueDir, binding)) {
    io.out(`${s.id.padEnd(40)} ${s.transport.padEnd(20)} ${s.steps.padEnd(40)} ${s.title}\n`);
  }
  return 0;
}

function cmdTransports(binding: Binding, args: string[], io: Io): number {
  options(() => parseArgs({ args, strict: true, options: {} }));
  for (const t of binding.transports()) {
    const status = t.available ? t.describes : `unavailable: ${t.reason}`;
    io.out(`${t.name}\n  ${status}\n  endpoints: ${t.endpoints.map((e) => `-${e.letter} ${e.role}`).join(', ')}\n  actions: ${t.actions.join(' ')}\n`);
  }
  return 0;
}

function cmdBackends(binding: Binding, args: string[], io: Io): number {
  options(() => parseArgs({ args, strict: true, options: {} }));
  for (const b of binding.backends()) {
    io.out(`${b.name.padEnd(16)} ${b.available ? 'available  ' : 'unavailable'} ${b.available ? b.asks : b.reason}\n`);
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
      case 'merge':
        return cmdMerge(rest, io);
      case 'fuzz':
        return cmdFuzz(getBinding(), rest, io);
      case 'check':
        return cmdCheck(getBinding(), rest, io);
      case 'list':
        return cmdList(getBinding(), rest, io);
      case 'transports':
        return cmdTransports(getBinding(), rest, io);
      case 'backends':
        return cmdBackends(getBinding(), rest, io);
      case '-h':
      case '--help':
      case 'help':
        io.out(usage(getBinding()) + '\n');
        return 0;
      default:
        if (sub.startsWith('-')) return cmdRun(getBinding(), argv, io);
        throw new UsageError(`unknown command '${sub}' (commands: run trace fuzz merge check list backends transports)`);
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
