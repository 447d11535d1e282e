// dev/poll/poll's command line, taken verbatim: `-v`, `-e`, then any number of
// `-<letter> <action>[,<action>...]`. Like that tool, `-v` and `-e` act on the
// commands that follow them. The letters and actions a transport takes come
// from the addon (binding.transports()): a Grammar holds one transport's.
// Without a grammar only the syntax is checked (a document from another
// machine is read that way).
import { UsageError } from './errors.js';
import type { ActionValue } from './observed.js';

/** An action word as a command gives it: `snd`, or `lwm=5` for an action
 * that takes a value. */
export type Action = string;

export interface ParsedCommand {
  side: string;
  actions: Action[];
  /** `-v` was given before this command: its steps are printed. */
  verbose: boolean;
  /** `-e` was given before this command: its `pol` steps use epoll. */
  epoll: boolean;
}

/** What one transport accepts, from the addon's lists. */
export interface Grammar {
  transport: string;
  /** Endpoint letters with what each is. */
  endpoints: Array<{ letter: string; role: string }>;
  /** The actions this transport can do. */
  actions: string[];
  /** Every action pollmatrix knows. */
  known: string[];
  /** The actions that take a value (`lwm=5`), with what it may be. */
  values: Record<string, ActionValue>;
}

/** haproxy's dev/poll/poll speaks TCP: a reproduce command for a tcp
 * scenario needs no --transport. The addon declares its default transport
 * (native/limits.h, limits().defaultTransport), which the CLI uses; this is
 * for documents read without an addon, and test/addon/vocabulary.test.ts
 * holds the two equal. */
export const HAPROXY_TRANSPORT = 'tcp';

const ACTION_WORD = /^[a-z]{3}(=[0-9]{1,10})?$/;

/** An action word's name and value: `lwm=5` is lwm and 5. */
export function splitActionWord(word: Action): { name: string; value?: number } {
  const eq = word.indexOf('=');
  return eq < 0 ? { name: word } : { name: word.slice(0, eq), value: Number(word.slice(eq + 1)) };
}

/** The word a recorded step's action and value make (`lwm=5`). */
export function actionWord(step: { action: string; value?: number }): Action {
  return step.value === undefined ? step.action : `${step.action}=${step.value}`;
}

/** Why a word's value does not fit its action, or undefined when it does:
 * a valued action needs one (`lwm=N`), any other takes none. */
function valueProblem(word: string, name: string, grammar: Grammar): string | undefined {
  const wanted = grammar.values[name];
  const text = word.includes('=') ? word.slice(word.indexOf('=') + 1) : undefined;
  if (!wanted) return text === undefined ? undefined : `'${name}' takes no value`;
  const range = `${wanted.unit} from ${wanted.min} to ${wanted.max}`;
  if (text === undefined) return `'${name}' needs a value: ${name}=N, ${range}`;
  const value = /^[0-9]{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(value >= wanted.min && value <= wanted.max)) return `'${word}': the value must be ${range}`;
  return undefined;
}

/** Splits one action list (`snd,shw`). haproxy's tool stops at an empty word
 * and ignores an unknown one with a message; both would silently change the
 * scenario, so both are errors here. A trailing comma is one too: it reads
 * as an action left out (`pol,` where `pol,rcv` was meant). */
export function parseActionList(list: string, where: string, grammar?: Grammar, letter?: string): Action[] {
  if (list.endsWith(',') && list.length > 1) {
    throw new UsageError(`${where}: '${list}' ends with a comma; give the action that follows it, or drop the comma`);
  }
  const words = list.split(',');
  return words.map((word, i) => {
    if (word === '') {
      throw new UsageError(`${where}: empty action at position ${i + 1} in '${list}'`);
    }
    const { name } = splitActionWord(word);
    if (grammar ? !grammar.known.includes(name) : !ACTION_WORD.test(word)) {
      const known = grammar ? ` (actions: ${grammar.known.join(' ')})` : '';
      throw new UsageError(`${where}: unknown action '${word}' in '${list}'${known}`);
    }
    if (!grammar) return word;
    const problem = valueProblem(word, name, grammar);
    if (problem) throw new UsageError(`${where}: ${problem} in '${list}'`);
    if (!grammar.actions.includes(name)) {
      throw new UsageError(
        `${where}: transport ${grammar.transport} cannot do '${name}' on -${letter} (its actions: ${grammar.actions.join(' ')})`,
      );
    }
    return word;
  });
}

function letters(grammar: Grammar): string {
  return grammar.endpoints.map((e) => `-${e.letter} ${e.role}`).join(', ');
}

/** Parses haproxy-style arguments (no long options) into commands.
 * `where(i)` names argument i in error messages. */
export function parseHaproxyArgs(
  args: string[],
  where: (i: number) => string = (i) => `argument ${i + 1}`,
  grammar?: Grammar,
): ParsedCommand[] {
  const commands: ParsedCommand[] = [];
  let verbose = false;
  let epoll = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-v') {
      verbose = true;
    } else if (arg === '-e') {
      epoll = true;
    } else if (/^-[a-z]$/.test(arg)) {
      const letter = arg.slice(1);
      if (grammar && !grammar.endpoints.some((e) => e.letter === letter)) {
        throw new UsageError(`${where(i)}: transport ${grammar.transport} has no endpoint ${arg} (${letters(grammar)})`);
      }
      if (i + 1 >= args.length) {
        throw new UsageError(`${where(i)}: ${arg} needs an action list, e.g. ${arg} pol`);
      }
      const actions = parseActionList(args[i + 1], where(i + 1), grammar, letter);
      commands.push({ side: letter, actions, verbose, epoll });
      i++;
    } else if (arg.startsWith('-')) {
      const sides = grammar ? grammar.endpoints.map((e) => `-${e.letter}`).join(' ') : '-<letter>';
      throw new UsageError(`${where(i)}: unknown option '${arg}' (dev/poll/poll options: -v -e ${sides})`);
    } else {
      const sides = grammar ? grammar.endpoints.map((e) => `-${e.letter}`).join(', ') : 'an endpoint letter';
      throw new UsageError(`${where(i)}: '${arg}' is not an option; expected ${sides} before an action list`);
    }
  }
  if (commands.length === 0) {
    const example = grammar ? `-${grammar.endpoints[0]?.letter ?? 'c'}` : '-c';
    throw new UsageError(`no command: give at least one endpoint with an action list, e.g. ${example} pol`);
  }
  return commands;
}

/** Splits a scenario's `steps` text (`-c snd,shw -s clo -c pol`) into words. */
export function splitSteps(steps: string): string[] {
  return steps.trim().split(/\s+/).filter((w) => w !== '');
}
