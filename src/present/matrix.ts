// The matrix: one row per `pol` step of each scenario, one column per
// (platform, backend). It is built from result documents, so a run on this
// machine and a merge of several machines' runs are the same thing.
import type { ResultDocument, ScenarioResult } from '../model/document.js';
import { parseHaproxyArgs, splitSteps } from '../model/scenario-syntax.js';
import { disagree, normalise, normalisedText } from './normalise.js';
import { observationKind } from '../native/observations/index.js';
import { columnLabel, documentLabels } from './labels.js';
import type { ObservedStep, ScenarioRun } from '../model/observed.js';
import { findPol, polSteps } from '../model/steps.js';

export type View = 'raw' | 'normalised';

export interface Column {
  /** `epoll` for one document; `linux 6.18 / epoll` when merging (labels.ts). */
  label: string;
  backend: string;
  document: ResultDocument;
  /** What the mechanism can express at all, as the document's machine said. */
  expresses: string[];
  /** The kind of its observations (BackendInfo.observes). */
  observes?: string;
}

export interface Cell {
  text: string;
  /** The observed step; absent when not measured or not reached. */
  step?: ObservedStep;
  /** Disagrees with most of the row's other cells (normalised view). */
  differs: boolean;
}

export interface MatrixRow {
  scenario: ScenarioResult;
  /** The observed step, named by endpoint and rank: `c:pol#2`. */
  step: string;
  cmd: number;
  stp: number;
  cells: Cell[];
  /** Some two measured cells disagree (normalised view). */
  differs: boolean;
}

export interface Matrix {
  columns: Column[];
  rows: MatrixRow[];
}

/** What a cell says about one observed `pol` step (raw view). */
export function cellText(step: ObservedStep | undefined, raw = false): string {
  if (!step) return 'not reached';
  const obs = step.observation;
  if (!obs || obs.notMeasured !== undefined) return 'not measured';
  const errno = step.errno?.name ?? (step.errno ? `errno ${step.errno.number}` : '');
  if (obs.failedCall) return `${obs.failedCall.replace(/\(.*$/, '')} ${errno}`;
  if (step.ret < 0) return errno;
  return observationKind(obs.kind)?.cell(step, raw) ?? `unknown observation kind '${obs.kind}'`;
}

/** The cell of a recorded run: its step's text, or what the repeats saw. */
export function runCellText(
  run: Pick<ScenarioRun, 'steps' | 'unstable'>,
  pol: { cmd: number; stp: number },
  options: Pick<MatrixOptions, 'view' | 'hex'> = {},
): string {
  const unstable = run.unstable?.find((u) => u.cmd === pol.cmd && u.stp === pol.stp);
  if (unstable) {
    const total = unstable.seen.reduce((n, s) => n + s.count, 0);
    return `unstable: ${unstable.seen.map((s) => `${s.text} (${s.count}/${total})`).join(' | ')}`;
  }
  const step = findPol(run.steps, pol);
  return options.view === 'normalised' ? (normalisedText(step) ?? cellText(step)) : cellText(step, options.hex);
}

export interface MatrixOptions {
  view?: View;
  /** Raw mask before the names (raw view). */
  hex?: boolean;
  onlyDiff?: boolean;
}

function columnsOf(documents: ResultDocument[]): Column[] {
  const labels = documentLabels(documents);
  return documents.flatMap((document, i) =>
    document.backends.map((backend) => ({
      label: columnLabel(labels[i], backend),
      backend,
      document,
      expresses: document.mechanisms.find((m) => m.name === backend)?.expresses ?? [],
      observes: document.mechanisms.find((m) => m.name === backend)?.observes,
    })),
  );
}

export function buildMatrix(documents: ResultDocument[], options: MatrixOptions = {}): Matrix {
  const columns = columnsOf(documents);
  const scenarios: ScenarioResult[] = [];
  for (const document of documents) {
    for (const s of document.scenarios) if (!scenarios.some((t) => t.id === s.id)) scenarios.push(s);
  }
  const rows: MatrixRow[] = [];
  for (const scenario of scenarios) {
    const commands = parseHaproxyArgs(splitSteps(scenario.steps));
    const expresses = columns.map((column) => sayable(column, scenario.interest));
    for (const pol of polSteps(commands)) {
      const cells: Array<Cell & { expresses: string[] }> = columns.map((column, c) => {
        const mine = column.document.scenarios.find((s) => s.id === scenario.id);
        // A document from an older catalogue may hold different steps.
        const run = mine && mine.steps === scenario.steps ? mine.runs[column.backend] : undefined;
        if (!run) return { text: 'not measured', differs: false, expresses: expresses[c] };
        const unstable = run.unstable?.some((u) => u.cmd === pol.cmd && u.stp === pol.stp) ?? false;
        // An unstable cell has no one answer to compare with its row.
        const step = unstable ? undefined : findPol(run.steps, pol);
        return { text: runCellText(run, pol, options), step, differs: false, expresses: expresses[c] };
      });
      markDifferences(cells);
      const row = {
        scenario,
        ...pol,
        cells: cells.map(({ expresses: _, ...cell }) => cell),
        differs: cells.some((c) => c.differs),
      };
      if (!options.onlyDiff || row.differs) rows.push(row);
    }
  }
  return { columns, rows };
}

/** What a column's mechanism can say for a scenario: what it expresses at
 * all, less what its kind cannot show with the scenario's interest (kqueue
 * asked only OUT has no read filter, so it cannot say read-closed). */
function sayable(column: Column, interest: string[] | undefined): string[] {
  const unsaid = interest === undefined ? [] : (observationKind(column.observes)?.unsaid?.(interest) ?? []);
  return column.expresses.filter((p) => !(unsaid as string[]).includes(p));
}

/** A cell differs when it disagrees with more than half of the other measured
 * cells of its row, so the odd one out stands out, not the whole row. */
export function markDifferences(cells: Array<Cell & { expresses: string[] }>): void {
  const measured = cells.filter((c) => normalise(c.step) !== null);
  if (measured.length < 2) return;
  for (const cell of measured) {
    const against = measured.filter(
      (other) => other !== cell && disagree(cell.step, other.step, cell.expresses, other.expresses),
    ).length;
    cell.differs = against * 2 > measured.length - 1;
  }
}
