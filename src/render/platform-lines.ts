// One line of platform facts per document, above every rendering.
import type { ResultDocument } from '../document.js';
import { platformLine } from '../platform.js';

export function platformLines(documents: ResultDocument[]): string[] {
  return documents.map((d) => `${platformLine(d.platform)} · ${d.platform.date}`);
}

/** The command that reproduces a scenario's trace on any machine. */
export function traceCommand(steps: string): string {
  return `npx pollmatrix trace -v ${steps}`;
}

export const DIFFERS_NOTE = 'differs from the other mechanisms in its row (normalised view)';
