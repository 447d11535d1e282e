// What a subcommand is: its help, its options and what it does. cli.ts finds
// it in the registry (registry.ts), parses its options, answers --help and
// --version, then calls run().
import type { Binding } from '../../native/binding.js';
import type { OptionSpec, ParsedOptions } from '../options.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Standard output wants colour (a terminal, NO_COLOR unset, TERM not dumb,
   * or FORCE_COLOR): see wantColour() in cli.ts. */
  colour?: boolean;
  /** Width of the terminal on standard output; undefined for a file or pipe. */
  columns?: number;
  /** Standard error is a terminal of this width: runs longer than afterMs
   * (default 1000) draw progress. */
  progress?: { columns?: number; afterMs?: number };
  /** Reads standard input (`merge -`) to its end, or `limit` bytes of it
   * when it is longer: its bytes, or text (tests). */
  readStdin?: (limit: number) => string | Uint8Array;
  /** Set by Ctrl-C: `run` stops between two runs and prints what it has.
   * With a signal, `run` is asynchronous and main() returns a Promise. */
  signal?: AbortSignal;
}

export interface Context {
  io: Io;
  binding: () => Binding;
  /** The arguments after the subcommand's name. */
  args: string[];
  /** `pollmatrix` with no arguments at all, with the real addon: `run`
   * then adds the NetBSD column where its rump build exists. */
  bare?: boolean;
}

export interface Command {
  name: string;
  /** One line for `pollmatrix --help`. */
  summary: string;
  usage: string;
  /** What the command does, for `pollmatrix NAME --help`. */
  description: string;
  options: OptionSpec[];
  /** Text after the options; a function when it lists the addon's own
   * vocabulary (endpoints, actions). */
  epilogue?: string | ((binding: Binding) => string);
  /** Takes words that are not options (file names, haproxy arguments). */
  positionals?: boolean;
  /** Words kept as positionals even though they look like options. */
  keepAsPositional?: (arg: string) => boolean;
  run: (parsed: ParsedOptions, context: Context) => number | Promise<number>;
}
