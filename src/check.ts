// `run --check`: the catalogue's expectations against what was measured.
import type { Scenario } from './catalogue.js';
import type { ResultDocument } from './document.js';
import { polSteps, runCellText } from './matrix.js';

export interface Mismatch {
  scenario: string;
  key: string;
  step: string;
  expected: string;
  got: string;
}

export interface CheckReport {
  met: number;
  mismatches: Mismatch[];
  /** Expectations for an OS or backend this document did not measure. */
  notApplicable: number;
}

export function checkExpectations(scenarios: Scenario[], document: ResultDocument): CheckReport {
  const report: CheckReport = { met: 0, mismatches: [], notApplicable: 0 };
  for (const scenario of scenarios) {
    const measured = document.scenarios.find((s) => s.id === scenario.id);
    const labels = polSteps(scenario.commands);
    for (const [key, cells] of Object.entries(scenario.expect)) {
      const [os, backend] = key.split('/');
      const run = measured?.runs[backend];
      for (const [label, expected] of Object.entries(cells)) {
        if (os !== document.platform.os || !run) {
          report.notApplicable++;
          continue;
        }
        const pol = labels.find((p) => p.step === label)!;
        const got = runCellText(run, pol);
        if (got === expected) report.met++;
        else report.mismatches.push({ scenario: scenario.id, key, step: label, expected, got });
      }
    }
  }
  return report;
}

export function checkLines(report: CheckReport): string[] {
  const lines = report.mismatches.map(
    (m) => `check: ${m.scenario} ${m.step} ${m.key}: expected '${m.expected}', got '${m.got}'`,
  );
  lines.push(
    `check: ${report.met} expectations met, ${report.mismatches.length} not met, ${report.notApplicable} for other platforms or backends`,
  );
  return lines;
}
