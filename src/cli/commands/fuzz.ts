// `pollmatrix fuzz`: random valid scenarios, each run twice (src/run/fuzz/).
// Exit 1 on any failure, each printed with the trace command that shows it.
import { defaultJobs } from '../../native/jobs.js';
import { runFuzz } from '../../run/fuzz/run.js';
import { unsettledSummary } from '../../run/fuzz/unsettled.js';
import { shellLines, wrapWords } from '../../present/text.js';
import type { Command } from './command.js';
import { vocabularyOf } from '../../native/vocabulary.js';
import { timeoutOption, wholeNumberOption } from '../options.js';
import type { Limits } from '../../model/observed.js';
import { DESCRIPTOR_TABLE_OPTION, descriptorTableOption } from '../table-option.js';
import { inDescriptorTable } from '../../native/descriptor-table.js';

/** fuzz's step bound unless --timeout says otherwise: short, because a
 * random scenario often waits for it (an accept with nothing pending). */
const FUZZ_TIMEOUT_MS = 20;
/** Growth of resident memory that fuzz calls a leak. */
const FUZZ_RSS_GROWTH = 64 * 2 ** 20;
/** Random runs mostly wait for their step bound, so more workers than cores
 * keep the cores busy. */
const fuzzJobs = (limits: Limits) => Math.min(limits.jobs.max, 4 * defaultJobs(limits));

export const fuzz: Command = {
  name: 'fuzz',
  summary: 'random scenarios, each run twice: crashes, leaks, hangs, changes',
  usage: [
    'usage: pollmatrix fuzz [--seed S] [--count N] [--transport NAME]...',
    '                       [--backend NAME]... [--timeout MS] [--jobs N]',
    '                       [--descriptor-table private|shared]',
  ].join('\n'),
  description:
    'Generates random valid scenarios over the transports and backends available here, and runs each twice. A scenario fails when its two runs differ, when it leaves a descriptor open, when its endpoints cannot be set up or when its runs take longer than their step bounds allow; the whole run fails when the process\'s descriptors or resident memory grow. Each failure is shrunk and printed as the pollmatrix trace command that reproduces it. Exit 1 on any failure.',
  options: [
    { name: 'seed', value: 'S', help: 'The seed of the random scenarios (0 to 4294967295); a seed always gives the same scenarios. Default: 1.' },
    { name: 'count', value: 'N', help: 'How many scenarios (1 to 10000000). Default: 1000.' },
    { name: 'transport', value: 'NAME', multiple: true, help: 'Only scenarios over this transport (pollmatrix transports lists them). Default: every available transport.' },
    { name: 'backend', value: 'NAME', multiple: true, help: 'Only this mechanism (pollmatrix backends lists them). Default: every available backend.' },
    { name: 'timeout', value: 'MS', help: (limits) => `Bound on a step that would block, in milliseconds from ${limits.timeoutMs.min} to ${limits.timeoutMs.max}. Default: ${FUZZ_TIMEOUT_MS}.` },
    { name: 'jobs', value: 'N', help: (limits) => `Runs at once, each on a native worker (${limits.jobs.min} to ${limits.jobs.max}). Default: four per core (${fuzzJobs(limits)} here).` },
    DESCRIPTOR_TABLE_OPTION,
  ],
  run(parsed, { io, binding }) {
    const { values } = parsed;
    const descriptorTable = descriptorTableOption(values, 'fuzz');
    const b = inDescriptorTable(binding(), descriptorTable);
    const { limits } = vocabularyOf(b);
    const backends = (values.backend as string[] | undefined) ?? [];
    backends.forEach((name) => vocabularyOf(b).backend(name, 'fuzz'));
    const transports = (values.transport as string[] | undefined) ?? [];
    transports.forEach((name) => vocabularyOf(b).transport(name, 'fuzz'));
    const options = {
      seed: wholeNumberOption('seed', values.seed as string | undefined, { min: 0, max: 2 ** 32 - 1 }, 1),
      count: wholeNumberOption('count', values.count as string | undefined, { min: 1, max: 10_000_000 }, 1000),
      transports,
      backends,
      timeoutMs: timeoutOption(values.timeout as string | undefined, limits, FUZZ_TIMEOUT_MS),
      jobs: wholeNumberOption('jobs', values.jobs as string | undefined, limits.jobs, fuzzJobs(limits)),
      descriptorTable,
    };
    const report = runFuzz(b, options);
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
    const lines = [
      `fuzz: seed ${options.seed}, ${report.cases} scenarios run twice (${report.runs} runs) in ${report.seconds.toFixed(1)} s`,
      `fuzz: resident memory ${mb(report.rss.first)} after the warm-up, ${mb(report.rss.last)} at the end`,
      `fuzz: open descriptors ${report.descriptors.first ?? 'unknown'} after the warm-up, ${report.descriptors.last ?? 'unknown'} at the end`,
    ];
    const left = unsettledSummary(options.transports, options.descriptorTable);
    if (left.length > 0) lines.push(`fuzz: left out, as they vary from run to run for the reasons in UNSETTLED (src/run/fuzz/unsettled.ts): ${left.join('; ')}`);
    // On a terminal every line fits its width; the reproducer breaks with \.
    const wrap = (text: string) => wrapWords(text, io.columns, '    ', '').join('\n');
    const problems = report.failures.map((f) => [wrap(`FAIL scenario ${f.index}: ${f.problem}`), ...shellLines(f.reproducer, io.columns, '  reproduce: ')].join('\n'));
    const { first, last } = report.descriptors;
    if (first !== null && last !== null && last > first) problems.push(wrap(`FAIL the process's open descriptors grew from ${first} to ${last}`));
    if (report.rss.last > report.rss.first + FUZZ_RSS_GROWTH) problems.push(wrap(`FAIL resident memory grew by more than ${mb(FUZZ_RSS_GROWTH)}`));
    const summary = problems.length > 0 ? `fuzz: ${problems.length} failure(s)` : 'fuzz: ok';
    io.out([...lines.map(wrap), ...problems, summary].join('\n') + '\n');
    return problems.length > 0 ? 1 : 0;
  },
};
