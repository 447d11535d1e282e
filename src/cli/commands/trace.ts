// `pollmatrix trace`: one scenario in haproxy dev/poll/poll's syntax, printed
// as that tool's trace. The addon runs the whole scenario in one call (no
// JavaScript between two steps, so timing matches a C program); the lines are
// written, in one write, as soon as that call returns.
import { UsageError } from '../../model/errors.js';
import type { Binding } from '../../native/binding.js';
import { parseHaproxyArgs } from '../../model/scenario-syntax.js';
import { platformFacts } from '../../native/platform.js';
import { Runner } from '../../native/runner.js';
import { BEGIN, END, traceLine } from '../../present/trace.js';
import type { Command } from './command.js';
import { timeoutHelp, timeoutOption } from '../options.js';
import { vocabularyOf } from '../../native/vocabulary.js';
import { bindingForOs, OS_OPTION } from '../kernel-option.js';
import { DESCRIPTOR_TABLE_OPTION, withDescriptorTable } from '../table-option.js';

export const trace: Command = {
  name: 'trace',
  summary: "one scenario in dev/poll/poll's syntax, printed as its trace",
  usage: [
    "usage: pollmatrix trace [--transport NAME] [--interest 'IN OUT ...']",
    '                        [--backend NAME] [--json] [--timeout MS] [--os NAME]',
    '                        [--descriptor-table private|shared]',
    '                        [-v] [-e] -<letter> <actions> ...',
  ].join('\n'),
  description:
    "Takes dev/poll/poll's arguments as they are and prints that tool's trace, byte for byte apart from descriptor numbers (on Linux even those match). -v prints the steps and -e switches pol to epoll, each for the commands that follow it, as in haproxy's tool. The whole scenario runs in one native call; its lines are written as soon as it returns.",
  options: [
    {
      name: 'transport',
      value: 'NAME',
      help: (limits) => `What the endpoints are (pollmatrix transports lists them with their letters and actions). Default: ${limits.defaultTransport}.`,
    },
    {
      name: 'interest',
      value: "'NAMES'",
      help: "What every pol asks for: interest names separated by spaces ('' asks for nothing, events=0). Default: haproxy's IN OUT RDHUP.",
    },
    { name: 'backend', value: 'NAME', help: 'The mechanism every pol asks (pollmatrix backends lists them). Default: poll, or epoll after -e.' },
    { name: 'json', help: 'Print every observation as JSON (return value, errno name, number and text, raw mask, decoded names) instead of the trace. Default: the trace.' },
    { name: 'timeout', value: 'MS', help: (limits) => timeoutHelp(limits) },
    OS_OPTION,
    DESCRIPTOR_TABLE_OPTION,
  ],
  epilogue: (binding: Binding) => {
    const { defaultTransport } = vocabularyOf(binding).limits;
    const tcp = binding.transports().find((t) => t.name === defaultTransport);
    const endpoints = tcp ? tcp.endpoints.map((e) => `-${e.letter} ${e.role}`).join(', ') : '';
    const { names, default: dflt } = binding.interests();
    return [
      `endpoints (${defaultTransport}, the default transport; pollmatrix transports lists the others): ${endpoints}`,
      `interest: any of ${names.join(' ')}; default '${dflt.join(' ')}' (haproxy's); '' asks for nothing (events=0)`,
      "actions (haproxy dev/poll/poll's first, then pollmatrix's):",
      ...binding.actions().map((a) => (a.value ? `  ${a.name}=N  ${a.does} (N: ${a.value.unit}, ${a.value.min} to ${a.value.max})` : `  ${a.name}  ${a.does}`)),
    ].join('\n');
  },
  positionals: true,
  // haproxy's own options (-v -e -l -c -s -u) and action lists pass through.
  keepAsPositional: (arg) => !arg.startsWith('--') && arg !== '-h',
  run(parsed, context) {
    const { io, args } = context;
    const kernel = withDescriptorTable(parsed.values, bindingForOs(parsed.values, context, 'trace'), 'trace');
    const binding = () => kernel;
    const backend = parsed.values.backend as string | undefined;
    const json = parsed.values.json === true;
    const vocabulary = vocabularyOf(binding());
    const timeoutMs = timeoutOption(parsed.values.timeout as string | undefined, vocabulary.limits);
    const transport = (parsed.values.transport as string | undefined) ?? vocabulary.limits.defaultTransport;
    const interestText = parsed.values.interest as string | undefined;
    vocabulary.transport(transport, 'trace', 'trace: --transport');
    const grammar = vocabulary.grammar(transport, 'trace: --transport');
    // '' asks for nothing (events=0); only spaces is more likely a mistake
    // than that, so it is refused rather than read as ''.
    if (interestText !== undefined && interestText !== '' && interestText.trim() === '') {
      throw new UsageError(`trace: --interest: '${interestText}' is only spaces; give interest names, or '' to ask for nothing (events=0)`);
    }
    const interest = interestText === undefined ? undefined : vocabulary.interest(interestText, 'trace: --interest');
    const commands = parseHaproxyArgs(parsed.positionals, (i) => `trace: argument ${parsed.positionalIndex[i] + 1}`, grammar);
    const runner = new Runner(binding());
    if (backend !== undefined) vocabulary.backend(backend);
    if (backend !== undefined && backend !== 'epoll' && commands.some((c) => c.epoll)) {
      throw new UsageError(`trace: -e asks for epoll but --backend asks for ${backend}`);
    }
    if (commands.some((c) => c.epoll)) vocabulary.backend('epoll');
    const chosen = backend ?? 'poll';
    if (interest !== undefined) refuseUnmapped(vocabulary, commands, chosen, interest);
    const run = runner.runCommands(
      commands.map((c) => ({ side: c.side, actions: c.actions, backend: c.epoll ? 'epoll' : chosen })),
      { transport, interest, timeoutMs },
    );
    if (run.setupError) throw new Error(`could not set up the sockets: ${run.setupError}`);
    if (json) {
      const document = {
        command: ['pollmatrix', 'trace', ...args].join(' '),
        platform: platformFacts(binding(), run.descriptorTable, run.network),
        timeoutMs,
        steps: run.steps,
        stopped: run.stopped,
        leaked: run.leaked,
      };
      io.out(JSON.stringify(document, null, 2) + '\n');
    } else {
      // haproxy's tool prints a step only if -v came before its command.
      const verbose = (cmd: number) => commands[cmd - 1]?.verbose ?? false;
      const haproxyActions = new Set(binding().actions().filter((a) => a.haproxy).map((a) => a.name));
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
  },
};

/** A bit the mechanism of a `pol` cannot ask for is refused before anything
 * runs, naming the bit, the mechanism and the first step that would ask it
 * (`cmd #2 stp #1`, as the trace numbers them); the addon would report that
 * step "not measured" with the same reason. */
function refuseUnmapped(
  vocabulary: ReturnType<typeof vocabularyOf>,
  commands: ReturnType<typeof parseHaproxyArgs>,
  chosen: string,
  interest: string[],
): void {
  for (const [c, command] of commands.entries()) {
    const stp = command.actions.indexOf('pol');
    if (stp < 0) continue;
    const backend = command.epoll ? 'epoll' : chosen;
    const refused = vocabulary.refusedInterest(backend, interest);
    if (refused) {
      throw new UsageError(
        `trace: --interest '${interest.join(' ')}': ${refused.bit} refused at cmd #${c + 1} stp #${stp + 1} (pol on ${backend}): ${refused.why}`,
      );
    }
  }
}
