// dev/poll/poll's command line, taken verbatim: `-v`, `-e`, then any number of
// `-l|-c|-s <action>[,<action>...]`. Like that tool, `-v` and `-e` act on the
// commands that follow them. pollmatrix adds long options of its own.
import { ACTIONS, isAction, type Action } from './actions.js';
import type { Side } from './binding.js';
import { UsageError } from './errors.js';

export interface ParsedCommand {
  side: Side;
  actions: Action[];
  /** `-v` was given before this command: its steps are printed. */
  verbose: boolean;
  /** `-e` was given before this command: its `pol` steps use epoll. */
  epoll: boolean;
}

// -u is pollmatrix's extension: a TCP socket that is never connected implicitly.
const SIDES: Record<string, Side> = { '-l': 'l', '-c': 'c', '-s': 's', '-u': 'u' };

/** Splits one action list (`snd,shw`). haproxy's tool stops at an empty word
 * and ignores an unknown one with a message; both would silently change the
 * scenario, so both are errors here. A single trailing comma is harmless there
 * and accepted here. */
export function parseActionList(list: string, where: string): Action[] {
  const words = list.endsWith(',') ? list.slice(0, -1).split(',') : list.split(',');
  return words.map((word, i) => {
    if (word === '') {
      throw new UsageError(`${where}: empty action at position ${i + 1} in '${list}'`);
    }
    if (!isAction(word)) {
      throw new UsageError(
        `${where}: unknown action '${word}' in '${list}' (actions: ${Object.keys(ACTIONS).join(' ')})`,
      );
    }
    return word;
  });
}

/** Parses haproxy-style arguments (no long options) into commands.
 * `where(i)` names argument i in error messages. */
export function parseHaproxyArgs(
  args: string[],
  where: (i: number) => string = (i) => `argument ${i + 1}`,
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
    } else if (Object.hasOwn(SIDES, arg)) {
      if (i + 1 >= args.length) {
        throw new UsageError(`${where(i)}: ${arg} needs an action list, e.g. ${arg} pol`);
      }
      const actions = parseActionList(args[i + 1], where(i + 1));
      commands.push({ side: SIDES[arg], actions, verbose, epoll });
      i++;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`${where(i)}: unknown option '${arg}' (dev/poll/poll options: -v -e -l -c -s; extension: -u)`);
    } else {
      throw new UsageError(`${where(i)}: '${arg}' is not an option; expected -l, -c, -s or -u before an action list`);
    }
  }
  if (commands.length === 0) {
    throw new UsageError('no command: give at least one of -l, -c or -s with an action list, e.g. -c pol');
  }
  return commands;
}

/** Splits a scenario's `steps` text (`-c snd,shw -s clo -c pol`) into words. */
export function splitSteps(steps: string): string[] {
  return steps.trim().split(/\s+/).filter((w) => w !== '');
}
