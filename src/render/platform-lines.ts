// One line of platform facts per document, above every rendering.
import type { ResultDocument } from '../document.js';
import { platformLine } from '../platform.js';

export function platformLines(documents: ResultDocument[]): string[] {
  return documents.map((d) => `${platformLine(d.platform)} · ${d.platform.date}`);
}

/** The command that reproduces a scenario's trace on any machine. */
export function traceCommand(scenario: { steps: string; transport: string; interest?: string[] }): string {
  const transport = scenario.transport === 'tcp' ? '' : ` --transport ${scenario.transport}`;
  const interest = scenario.interest !== undefined ? ` --interest '${scenario.interest.join(' ')}'` : '';
  return `npx pollmatrix trace${transport}${interest} -v ${scenario.steps}`;
}

export const DIFFERS_NOTE = 'differs from the other mechanisms in its row (normalised view)';
