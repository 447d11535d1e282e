// `pollmatrix run`: the matrix for this machine.
import { checkDocument, checkReportLines } from '../../run/check.js';
import type { ResultDocument } from '../../model/document.js';
import { ProgressBar } from '../../present/progress.js';
import { defaultJobs } from '../../native/jobs.js';
import { catalogueDir, DEFAULT_REPEAT, runMatrix, runMatrixSync, scenariosFor, selectScenarios, type RunMatrixOptions } from '../../run/run-matrix.js';
import { loadCatalogue } from '../../model/catalogue.js';
import type { Command, Context } from './command.js';
import { timeoutHelp, timeoutOption, wholeNumberOption, type ParsedOptions } from '../options.js';
import { vocabularyOf } from '../../native/vocabulary.js';
import { emit, RENDER_OPTIONS, renderRequest } from '../render-options.js';
import { bindingForOs, OS_OPTION } from '../kernel-option.js';
import { DESCRIPTOR_TABLE_OPTION, descriptorTableOption } from '../table-option.js';
import type { Binding } from '../../native/binding.js';
import { RumpBinding, rumpStatus } from '../../native/rump.js';

function finish(documents: ResultDocument[], parsed: ParsedOptions, context: Context, options: RunMatrixOptions): number {
  const { io } = context;
  emit(documents, renderRequest('run', parsed.values, 'run'), io, 'run');
  const interrupted = documents.find((d) => d.interrupted);
  if (interrupted) {
    io.err(`pollmatrix: interrupted ${interrupted.interrupted}; the output holds those\n`);
    return 130;
  }
  if (!parsed.values.check) return 0;
  const report = checkDocument(scenariosFor(options), documents[0]);
  io.err(checkReportLines(report, 'this run').join('\n') + '\n');
  return report.mismatches.length > 0 ? 1 : 0;
}

/** `pollmatrix` with no arguments adds the NetBSD column (a rump kernel)
 * where its build exists, and says in one line how to get it where not. */
function netbsdColumn(context: Context): Binding | undefined {
  if (!context.bare) return undefined;
  const status = rumpStatus();
  if (status.built) return new RumpBinding(status.addon);
  context.io.err(`pollmatrix: no NetBSD column: ${status.why}\n`);
  return undefined;
}

/** The NetBSD column's run; a failure there costs only that column. */
function withNetbsd<T extends ResultDocument | Promise<ResultDocument>>(run: () => T, context: Context): T | undefined {
  try {
    const document = run();
    return (document instanceof Promise ? document.catch((err: unknown) => noColumn(err, context)) : document) as T;
  } catch (err) {
    return noColumn(err, context) as T | undefined;
  }
}

function noColumn(err: unknown, context: Context): undefined {
  context.io.err(`pollmatrix: no NetBSD column: ${(err as Error)?.message ?? String(err)}\n`);
  return undefined;
}

export const run: Command = {
  name: 'run',
  summary: 'the matrix: every scenario through every backend (the default)',
  usage: 'usage: pollmatrix [run] [options]',
  description:
    'Runs the scenarios of the catalogue (matrix/*.json) through the readiness mechanisms available here and prints one row per pol step (c:pol#2 is the client\'s second pol) and one column per backend. Every cell was measured: "not measured" means the mechanism was not or could not be asked, "not reached" that the scenario stopped earlier, "unstable: ..." that repeated runs disagreed.\n\nOn a terminal the table fits its width and a run longer than a second shows progress on standard error; Ctrl-C stops between two runs and prints the scenarios that completed (exit 130).',
  options: [
    ...RENDER_OPTIONS,
    { name: 'backend', value: 'NAME', multiple: true, help: 'Only this mechanism (pollmatrix backends lists them); a name given twice counts once. Default: every available backend.' },
    { name: 'scenario', value: 'ID|GLOB', multiple: true, help: 'Only the scenarios whose id matches (seed-*); see pollmatrix list. Default: every scenario.' },
    { name: 'timeout', value: 'MS', help: (limits) => timeoutHelp(limits) },
    {
      name: 'repeat',
      value: 'N',
      help: (limits) =>
        `Run each scenario N times per backend (${limits.repeat.min} to ${limits.repeat.max}); a cell that was not the same every time reads unstable, with every answer and its count. Default: ${DEFAULT_REPEAT}.`,
    },
    {
      name: 'jobs',
      value: 'N',
      help: (limits) =>
        `Runs at once, each on a native worker with its own descriptor table unless --descriptor-table shared (${limits.jobs.min} to ${limits.jobs.max}); the result is the same for any N. Default: one per core (${defaultJobs(limits)} here).`,
    },
    OS_OPTION,
    DESCRIPTOR_TABLE_OPTION,
    {
      name: 'check',
      help: "Compare the cells with the catalogue's expectations for this OS and print each one expected vs got on standard error; exit 1 if any is not met. Default: no check.",
    },
  ],
  run(parsed, context) {
    const { values } = parsed;
    renderRequest('run', values, 'run'); // bad rendering options fail before the run
    const descriptorTable = descriptorTableOption(values, 'run');
    const binding = bindingForOs(values, context, 'run');
    const vocabulary = vocabularyOf(binding);
    const { limits } = vocabulary;
    for (const name of (values.backend as string[] | undefined) ?? []) vocabulary.knownBackend(name);
    // The flag's name in the message, before anything runs (runMatrix names its option).
    if (values.scenario) selectScenarios(loadCatalogue(catalogueDir, vocabulary), values.scenario as string[], '--scenario');
    const { io } = context;
    const progress = io.progress ? new ProgressBar({ write: io.err, columns: io.progress.columns }, 'runs', Date.now, io.progress.afterMs) : undefined;
    const netbsd = netbsdColumn(context);
    const options: RunMatrixOptions = {
      binding,
      descriptorTable,
      backends: values.backend as string[] | undefined,
      scenarios: values.scenario as string[] | undefined,
      timeoutMs: timeoutOption(values.timeout as string | undefined, limits),
      repeat: wholeNumberOption('repeat', values.repeat as string | undefined, limits.repeat, DEFAULT_REPEAT),
      jobs: wholeNumberOption('jobs', values.jobs as string | undefined, limits.jobs, defaultJobs(limits)),
      signal: io.signal,
      onProgress: progress && ((done, total) => progress.update(done, total)),
    };
    if (!io.signal) {
      const document = runMatrixSync(options);
      const other = netbsd && !document.interrupted ? withNetbsd(() => runMatrixSync({ ...options, binding: netbsd }), context) : undefined;
      progress?.clear();
      return finish(other ? [document, other] : [document], parsed, context, options);
    }
    return runMatrix(options).then(async (document) => {
      const other = netbsd && !document.interrupted ? await withNetbsd(() => runMatrix({ ...options, binding: netbsd }), context) : undefined;
      progress?.clear();
      return finish(other ? [document, other] : [document], parsed, context, options);
    });
  },
};
