// Command-line options: one spec per option drives parsing, `--help` and "did
// you mean". The parser is strict where util.parseArgs is lenient: a
// single-valued option given twice is an error (parseArgs keeps the last one
// silently), a repeated value of a repeatable option is folded, and an unknown
// option names the nearest known one.
import { didYouMean } from '../model/did-you-mean.js';
import { UsageError } from '../model/errors.js';
import type { Limits, Range } from '../model/observed.js';
import { wrapText, wrapWords } from '../present/text.js';

export interface OptionSpec {
  /** Long name without dashes: `format`. */
  name: string;
  /** One letter: `o` for `-o`. */
  short?: string;
  /** Takes a value, shown in help as this word (`FILE`); absent: a flag. */
  value?: string;
  /** May be given more than once; the values are collected, duplicates folded. */
  multiple?: boolean;
  /** One short paragraph, ending with the default where there is one; a
   * function where it states the addon's limits (asked only for --help). */
  help: string | ((limits: Limits) => string);
}

export type OptionValues = Record<string, string | string[] | boolean | undefined>;

export interface ParsedOptions {
  values: OptionValues;
  positionals: string[];
  /** Where each positional was in the arguments (0-based). */
  positionalIndex: number[];
}

/** Options every subcommand takes. */
export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'help', short: 'h', help: 'Print this help and exit.' },
  { name: 'version', help: "Print pollmatrix's version and exit." },
];

/**
 * Parses `args` against `specs` (COMMON_OPTIONS are added). `where` prefixes
 * every message (`run`). `keepAsPositional` lets a command take words that
 * look like options (trace's haproxy `-c`, `-v`).
 */
export function parseOptions(
  where: string,
  args: string[],
  specs: OptionSpec[],
  settings: { positionals?: boolean; keepAsPositional?: (arg: string) => boolean } = {},
): ParsedOptions {
  const all = [...specs, ...COMMON_OPTIONS];
  const values: OptionValues = {};
  const positionals: string[] = [];
  const positionalIndex: number[] = [];
  const seen = new Set<string>();
  const longNames = all.map((s) => `--${s.name}`);
  const positional = (arg: string, index: number) => {
    if (!settings.positionals) throw new UsageError(`${where}: unexpected argument '${arg}' (see pollmatrix ${where} --help)`);
    positionals.push(arg);
    positionalIndex.push(index);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      args.slice(i + 1).forEach((a, j) => positional(a, i + 1 + j));
      break;
    }
    if (arg === '-' || !arg.startsWith('-') || settings.keepAsPositional?.(arg)) {
      positional(arg, i);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    let shown = arg;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq > 0) inline = arg.slice(eq + 1);
      shown = `--${name}`;
      spec = all.find((s) => s.name === name);
    } else if (arg.length === 2) {
      spec = all.find((s) => s.short === arg[1]);
    }
    if (!spec) {
      throw new UsageError(`${where}: unknown option '${shown}'${didYouMean(shown, longNames)} (see pollmatrix ${where} --help)`);
    }
    const label = `--${spec.name}`;
    let value: string | boolean = true;
    if (spec.value) {
      if (inline !== undefined) value = inline;
      else if (i + 1 < args.length) value = args[++i];
      else throw new UsageError(`${where}: ${label} needs a value (${spec.value})`);
    } else if (inline !== undefined) {
      throw new UsageError(`${where}: ${label} takes no value, got '${arg}'`);
    }
    if (spec.multiple) {
      const list = (values[spec.name] as string[] | undefined) ?? [];
      // The same value twice means the same thing once: fold it.
      if (!list.includes(value as string)) list.push(value as string);
      values[spec.name] = list;
    } else {
      if (seen.has(spec.name)) throw new UsageError(`${where}: ${label} given twice; give it once`);
      values[spec.name] = value;
    }
    seen.add(spec.name);
  }
  return { values, positionals, positionalIndex };
}

/** Throws when two options that cannot hold together were both given. */
export function conflict(where: string, values: OptionValues, a: string, b: string, why: string): void {
  if (values[a] !== undefined && values[b] !== undefined) {
    throw new UsageError(`${where}: --${a} and --${b} cannot be used together (${why})`);
  }
}

/** `--help` text: usage, what the command does, one paragraph per option. */
export function helpText(
  command: { usage: string; description: string; options: OptionSpec[] },
  limits: () => Limits,
  width = 80,
  epilogue?: string,
): string {
  const w = Math.max(40, Math.min(width, 80));
  const out = [command.usage, '', wrapText(command.description, w), '', 'options:'];
  for (const spec of [...command.options, ...COMMON_OPTIONS]) {
    const names = [spec.short ? `-${spec.short}` : '', `--${spec.name}${spec.value ? ` ${spec.value}` : ''}`].filter(Boolean).join(', ');
    out.push(`  ${names}${spec.multiple ? ' (repeatable)' : ''}`);
    out.push(wrapText(typeof spec.help === 'function' ? spec.help(limits()) : spec.help, w, '      '));
  }
  if (epilogue) {
    out.push('');
    // A list line (`  name  what it does`) wraps under its text.
    for (const line of epilogue.split('\n')) {
      const [, head, text] = line.match(/^( *\S+ +)(.*)$/) ?? ['', '', line];
      out.push(...wrapWords(text, w, ' '.repeat(head.length || 4), head));
    }
  }
  return out.join('\n') + '\n';
}

/** A whole number within `range`, from an option's text; `fallback` when
 * the option was not given. */
export function wholeNumberOption(name: string, text: string | undefined, range: Pick<Range, 'min' | 'max'>, fallback: number, unit = 'a whole number'): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < range.min || n > range.max) throw new UsageError(`--${name} takes ${unit} from ${range.min} to ${range.max}, got '${text}'`);
  return n;
}

/** --timeout MS, within the addon's limits; `fallback` defaults to theirs. */
export const timeoutOption = (text: string | undefined, limits: Limits, fallback = limits.timeoutMs.default) =>
  wholeNumberOption('timeout', text, limits.timeoutMs, fallback, 'whole milliseconds');

/** --timeout's help, stating the addon's bounds. */
export const timeoutHelp = (limits: Limits, fallback = limits.timeoutMs.default) =>
  `Bound on a step that would block (an accept with nothing pending), in milliseconds from ${limits.timeoutMs.min} to ${limits.timeoutMs.max}. Default: ${fallback}.`;
