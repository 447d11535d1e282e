// A merge side by side: one row per `pol` step and mechanism, one column per
// document (machine), so macOS's poll sits next to Linux's poll. The matrix
// (matrix.ts) puts every mechanism of every machine in one row, which on a
// terminal or a page means blocks a thousand lines apart; this pivot is what
// the table and the HTML report show for a merge. A cell differs when it
// disagrees with most of the other machines' cells of its row (normalised
// view), and the scenarios where the machines differ come first.
import type { ResultDocument, ScenarioResult } from '../model/document.js';
import { parseHaproxyArgs, splitSteps } from '../model/scenario-syntax.js';
import { findPol, polSteps } from '../model/steps.js';
import { documentLabels } from './labels.js';
import { markDifferences, runCellText, type Cell, type MatrixOptions } from './matrix.js';

export interface PivotColumn {
  /** What tells this machine from the others (labels.ts): `darwin 24.1`. */
  label: string;
  document: ResultDocument;
}

export interface PivotRow {
  scenario: ScenarioResult;
  /** `c:pol#2`. */
  step: string;
  cmd: number;
  stp: number;
  backend: string;
  /** One per document; `not measured` where it did not run this backend. */
  cells: Cell[];
  /** Some two measured cells disagree (normalised view). */
  differs: boolean;
}

export interface Pivot {
  columns: PivotColumn[];
  rows: PivotRow[];
  /** How many scenarios, at the top, have a row that differs. */
  differingScenarios: number;
}

export function buildPivot(documents: ResultDocument[], options: MatrixOptions = {}): Pivot {
  const labels = documentLabels(documents);
  const columns = documents.map((document, i) => ({ label: labels[i] || `#${i + 1}`, document }));
  const backends: string[] = [];
  for (const d of documents) for (const b of d.backends) if (!backends.includes(b)) backends.push(b);
  const scenarios: ScenarioResult[] = [];
  for (const d of documents) for (const s of d.scenarios) if (!scenarios.some((t) => t.id === s.id)) scenarios.push(s);
  const groups = scenarios.map((scenario) => {
    const rows: PivotRow[] = [];
    const commands = parseHaproxyArgs(splitSteps(scenario.steps));
    for (const pol of polSteps(commands)) {
      for (const backend of backends) {
        let measuredAnywhere = false;
        const cells = documents.map((document) => {
          const expresses = document.mechanisms.find((m) => m.name === backend)?.expresses ?? [];
          const mine = document.scenarios.find((s) => s.id === scenario.id);
          // A document from an older catalogue may hold different steps.
          const run = mine && mine.steps === scenario.steps ? mine.runs[backend] : undefined;
          if (!run) return { text: 'not measured', differs: false, expresses };
          measuredAnywhere = true;
          const unstable = run.unstable?.some((u) => u.cmd === pol.cmd && u.stp === pol.stp) ?? false;
          return { text: runCellText(run, pol, options), step: unstable ? undefined : findPol(run.steps, pol), differs: false, expresses };
        });
        if (!measuredAnywhere) continue;
        markDifferences(cells);
        const row = { scenario, ...pol, backend, cells: cells.map(({ expresses: _, ...cell }) => cell), differs: cells.some((c) => c.differs) };
        if (!options.onlyDiff || row.differs) rows.push(row);
      }
    }
    return rows;
  });
  const differing = groups.filter((rows) => rows.some((r) => r.differs));
  const same = groups.filter((rows) => !rows.some((r) => r.differs));
  return { columns, rows: [...differing, ...same].flat(), differingScenarios: differing.filter((rows) => rows.length > 0).length };
}
