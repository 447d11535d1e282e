// pollmatrix's command line: finds the subcommand in the registry
// (commands/registry.ts), parses its options, answers --help and --version,
// and turns errors into exit codes. src/cli.ts is the `pollmatrix` executable
// that calls it.
//   pollmatrix                 the matrix for this machine (same as `run`)
//   pollmatrix run [options]   the matrix
//   pollmatrix trace ...       one scenario, as haproxy's dev/poll/poll prints it
//   pollmatrix merge FILE...   one table across machines
//   pollmatrix list | backends
// Exit codes: 0 done, 1 an expectation check failed (or a trace stopped where
// haproxy's tool gives up), 2 bad usage or bad input, 3 an internal error,
// 130 a run stopped by Ctrl-C (its output holds what completed).
import { loadBinding, type Binding } from '../native/binding.js';
import type { Command, Io } from './commands/command.js';
import { didYouMean } from '../model/did-you-mean.js';
import { helpText, parseOptions } from './options.js';
import { COMMANDS } from './commands/registry.js';
import { UsageError } from '../model/errors.js';
import { toolVersion } from '../native/platform.js';
import { vocabularyOf } from '../native/vocabulary.js';
import { visible } from '../model/visible.js';

export type { Io } from './commands/command.js';

/**
 * Colour on standard output: FORCE_COLOR (any value but 0 or false) forces it;
 * otherwise only on a terminal, never with NO_COLOR set to anything but the
 * empty string (https://no-color.org), never with TERM=dumb. --color and
 * --no-color override all of these.
 */
export function wantColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: pollmatrix [COMMAND] [options]      (no command: run)',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'pollmatrix COMMAND --help describes a command and its options, with defaults.',
    'options: -h, --help   this help; --version   the version',
    'environment: NO_COLOR, FORCE_COLOR, TERM=dumb (colour);',
    '             POLLMATRIX_DEBUG (stack traces on internal errors);',
    '             POLLMATRIX_PROGRESS_AFTER_MS (progress after this many ms; 1000)',
    'exit codes: 0 done, 1 a check failed or a trace stopped, 2 bad usage or input,',
    '            3 internal error, 130 a run stopped by Ctrl-C',
    '',
  ].join('\n');
}

function dispatch(argv: string[], io: Io, getBinding: () => Binding): number | Promise<number> {
  const [first, ...rest] = argv;
  if (first === '-h' || first === '--help' || first === 'help') {
    io.out(usage());
    return 0;
  }
  if (first === '--version') {
    io.out(`pollmatrix ${toolVersion()}\n`);
    return 0;
  }
  let command: Command | undefined;
  let args = rest;
  if (first === undefined || first.startsWith('-')) {
    command = COMMANDS.find((c) => c.name === 'run')!;
    args = argv;
  } else {
    command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      const names = COMMANDS.map((c) => c.name);
      throw new UsageError(`unknown command '${first}'${didYouMean(first, names)} (commands: ${names.join(' ')})`);
    }
  }
  const parsed = parseOptions(command.name, args, command.options, {
    positionals: command.positionals,
    keepAsPositional: command.keepAsPositional,
  });
  if (parsed.values.help) {
    const epilogue = typeof command.epilogue === 'function' ? command.epilogue(getBinding()) : command.epilogue;
    io.out(helpText(command, () => vocabularyOf(getBinding()).limits, io.columns, epilogue));
    return 0;
  }
  if (parsed.values.version) {
    io.out(`pollmatrix ${toolVersion()}\n`);
    return 0;
  }
  return command.run(parsed, { io, binding: getBinding, args, bare: argv.length === 0 && getBinding === loadBinding });
}

/** Every error is one line, whatever it quotes: a document's id, a JSON
 * snippet or a file name may carry escape sequences or line breaks, which
 * show as visible escapes (model/visible.ts). */
function failure(err: unknown, io: Io): number {
  if (err instanceof UsageError) {
    io.err(`pollmatrix: ${visible(err.message)}\n`);
    return 2;
  }
  io.err(`pollmatrix: internal error: ${visible((err as Error)?.message ?? String(err))}\n`);
  if (process.env.POLLMATRIX_DEBUG) io.err(`${String((err as Error)?.stack).split('\n').map(visible).join('\n')}\n`);
  return 3;
}

/** Runs the CLI; returns the exit code. `getBinding` is injectable for tests.
 * Synchronous unless `io.signal` is set and the command is `run`: then a
 * Promise, so Ctrl-C is heard between runs. */
export function main(argv: string[], io: Io & { signal?: undefined }, getBinding?: () => Binding): number;
export function main(argv: string[], io: Io, getBinding?: () => Binding): number | Promise<number>;
export function main(argv: string[], io: Io, getBinding: () => Binding = loadBinding): number | Promise<number> {
  try {
    const code = dispatch(argv, io, getBinding);
    return typeof code === 'number' ? code : code.catch((err: unknown) => failure(err, io));
  } catch (err) {
    return failure(err, io);
  }
}
