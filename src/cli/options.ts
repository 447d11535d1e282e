// Command-line options: one spec per option drives parsing, `--help` and "did
// you mean". The parser is strict where util.parseArgs is lenient: a
// single-valued option given twice is an error (parseArgs keeps the last one
// silently), a repeated value of a repeatable option is folded, and an unknown
// option names the nearest known one.
import { UsageError } from '../model/errors.js';
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
  /** One short paragraph, ending with the default where there is one. */
  help: string;
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

/** Restricted Damerau-Levenshtein distance (a swap of two letters costs 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known word nearest to `word`, if it is near enough to be a typo. */
export function nearest(word: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const prefix = known.filter((k) => word.length >= 3 && k.startsWith(word));
  if (prefix.length === 1) return prefix[0];
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

export function didYouMean(word: string, known: string[]): string {
  const guess = nearest(word, known);
  return guess ? `; did you mean '${guess}'?` : '';
}

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

/** Throws "unknown NAME 'x' (NAMEs: a b c); did you mean 'y'?" unless
 * `value` is one of `known` (the addon's own list). */
export function knownName(what: string, value: string, known: string[], where = ''): void {
  if (known.includes(value)) return;
  throw new UsageError(`${where ? `${where}: ` : ''}unknown ${what} '${value}' (${what}s: ${known.join(' ')})${didYouMean(value, known)}`);
}

/** knownName(), then: the entry of the addon's list (backends(),
 * transports()) is available here, else "WHERE: WHAT NAME is not available
 * here: REASON". */
export function availableName(
  what: string,
  value: string,
  entries: Array<{ name: string; available: boolean; reason: string | null }>,
  where: string,
  knownWhere = where,
): void {
  knownName(what, value, entries.map((e) => e.name), knownWhere);
  const found = entries.find((e) => e.name === value)!;
  if (!found.available) throw new UsageError(`${where}: ${what} ${value} is not available here: ${found.reason}`);
}

/** Throws when two options that cannot hold together were both given. */
export function conflict(where: string, values: OptionValues, a: string, b: string, why: string): void {
  if (values[a] !== undefined && values[b] !== undefined) {
    throw new UsageError(`${where}: --${a} and --${b} cannot be used together (${why})`);
  }
}

/** `--help` text: usage, what the command does, one paragraph per option. */
export function helpText(command: { usage: string; description: string; options: OptionSpec[] }, width = 80, epilogue?: string): string {
  const w = Math.max(40, Math.min(width, 80));
  const out = [command.usage, '', wrapText(command.description, w), '', 'options:'];
  for (const spec of [...command.options, ...COMMON_OPTIONS]) {
    const names = [spec.short ? `-${spec.short}` : '', `--${spec.name}${spec.value ? ` ${spec.value}` : ''}`].filter(Boolean).join(', ');
    out.push(`  ${names}${spec.multiple ? ' (repeatable)' : ''}`);
    out.push(wrapText(spec.help, w, '      '));
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
