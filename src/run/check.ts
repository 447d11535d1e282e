// Judging a result document, from any OS, against the catalogue's
// expectations for that document's platform (os, kernel release) and for each
// backend it measured. `pollmatrix check FILE...` and `run --check` print it.
import type { Scenario } from '../model/catalogue.js';
import type { ResultDocument } from '../model/document.js';
import { applies, isMeasured, mechanismExists, parseConstraint, RELEASE, type Expectation } from '../model/expectations.js';
import { runCellText } from '../present/matrix.js';
import { findPol, polSteps } from '../model/steps.js';
import type { ObservedStep } from '../model/observed.js';
import { escapeMarkdown } from '../present/render/markdown.js';

export interface Verdict {
  scenario: string;
  step: string;
  expectation: Expectation;
  expected: string;
  got: string;
}

export interface BackendTally {
  backend: string;
  met: number;
  notMet: number;
  /** The cell says `not measured`: the mechanism could not be asked there. */
  unjudged: number;
}

export interface DocumentCheck {
  platform: ResultDocument['platform'];
  /** One per backend the document measured, in its column order. */
  backends: BackendTally[];
  /** Literature not met: these decide check's exit status. */
  mismatches: Verdict[];
  /** Cells that differ from a recording (`measured: linux 6.18.44`): a
   * baseline from one machine, not a documented answer, so another kernel
   * may legitimately differ. They fail only `check --strict`. */
  baseline: Verdict[];
  /** Backends the document has columns for that cannot exist on its OS
   * (epoll on darwin): those columns were not measured there. */
  impossible: string[];
  met: number;
  /** Of those met, how many came from literature (not `measured:`). */
  metLiterature: number;
  /** Expectations for this platform whose scenario the document lacks (or
   * holds with other steps: an older catalogue). */
  absent: number;
  /** Backends with expectations for this platform that it did not measure. */
  unmeasured: string[];
  /** The run was stopped (Ctrl-C): `after 12 of 59 scenarios`. */
  interrupted?: { text: string; held: number };
}

/** Cell texts compared as sets: kevents (`READ EOF, WRITE EOF`) come back in
 * an order no source states, and a flag list's order means nothing. */
export function sameCell(expected: string, got: string): boolean {
  const canon = (t: string) =>
    t.split(', ').map((entry) => entry.split(' ').sort().join(' ')).sort().join(', ');
  return canon(expected) === canon(got);
}

/** Whether a recorded cell meets an expected one: the same text (as sets),
 * or, for a `has ...; lacks ...` constraint, an observation that shows every
 * `has` token and no `lacks` token. `step` is the observed pol (absent when
 * unstable or not reached). */
export function meets(expected: string, got: string, step: ObservedStep | undefined): boolean {
  const constraint = parseConstraint(expected);
  if (!constraint) return sameCell(expected, got);
  return constraint.has.every((t) => shows(t, step) === true) && constraint.lacks.every((t) => shows(t, step) === false);
}

/** Whether a pol's observation shows a constraint token: a flag name for a
 * mask (`HUP`), a filter with flags for kevents (`WRITE+EOF`: a WRITE kevent
 * with EOF). Undefined where the token cannot be judged: an errno, a failed
 * registration, no step, or a token of the other kind. */
function shows(token: string, step: ObservedStep | undefined): boolean | undefined {
  const obs = step?.observation;
  if (!step || !obs || obs.notMeasured !== undefined || obs.failedCall || step.ret < 0) return undefined;
  const [name, ...flags] = token.split('+');
  if (obs.kind === 'mask') return flags.length > 0 ? undefined : step.ret > 0 && (step.names ?? []).includes(name);
  if (obs.kind === 'kevents') return (step.kevents ?? []).some((k) => k.filter === name && flags.every((f) => k.flags.includes(f)));
  return undefined;
}

/** Why `check` cannot judge a document, or undefined: a kernel release its
 * version ranges cannot be applied to (they would be applied to a guess),
 * or no scenario at all (there is nothing to judge, and "no expectations"
 * would be untrue). */
export function uncheckable(document: ResultDocument): string | undefined {
  const { kernel } = document.platform;
  if (!RELEASE.test(kernel)) {
    return `platform.kernel: '${kernel}' is not a release check can compare (numbers joined by dots, such as 6.18.44-fc-v509, 24.1.0 or 14.2-RELEASE), so expectations for release ranges cannot be applied to it`;
  }
  if (document.scenarios.length === 0) {
    return `holds no scenarios${document.interrupted ? ` (interrupted ${document.interrupted})` : ''}: there is nothing to check`;
  }
  return undefined;
}

export function checkDocument(scenarios: Scenario[], document: ResultDocument): DocumentCheck {
  const { platform } = document;
  const tallies = document.backends.map((backend) => ({ backend, met: 0, notMet: 0, unjudged: 0 }));
  const result: DocumentCheck = {
    platform,
    backends: tallies,
    mismatches: [],
    baseline: [],
    impossible: document.backends.filter((b) => !mechanismExists(b, platform.os)),
    met: 0,
    metLiterature: 0,
    absent: 0,
    unmeasured: [],
    ...(document.interrupted ? { interrupted: { text: document.interrupted, held: document.scenarios.length } } : {}),
  };
  for (const scenario of scenarios) {
    const measured = document.scenarios.find((s) => s.id === scenario.id && s.steps === scenario.steps);
    const pols = polSteps(scenario.commands);
    for (const expectation of scenario.expect) {
      if (!applies(expectation, platform)) continue;
      const tally = tallies.find((t) => t.backend === expectation.backend);
      if (!tally) {
        if (!result.unmeasured.includes(expectation.backend)) result.unmeasured.push(expectation.backend);
        continue;
      }
      const run = measured?.runs[expectation.backend];
      for (const [step, expected] of Object.entries(expectation.cells)) {
        if (!run) {
          result.absent++;
          continue;
        }
        const pol = pols.find((p) => p.step === step)!;
        const got = runCellText(run, pol);
        const unstable = run.unstable?.some((u) => u.cmd === pol.cmd && u.stp === pol.stp) ?? false;
        if (got === 'not measured') tally.unjudged++;
        else if (meets(expected, got, unstable ? undefined : findPol(run.steps, pol))) {
          tally.met++;
          result.met++;
          if (!isMeasured(expectation)) result.metLiterature++;
        } else {
          tally.notMet++;
          (isMeasured(expectation) ? result.baseline : result.mismatches).push({ scenario: scenario.id, step, expectation, expected, got });
        }
      }
    }
  }
  return result;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The report for one document, as Markdown (it reads as plain text in a
 * terminal and renders in a CI job summary): a line naming the document,
 * `expected | got | source` for each expectation not met, one line per
 * backend, and a total. What comes from the document (its platform, its
 * backends, its cells) and the file's name are escaped as the Markdown
 * format escapes them, control characters included; the expectations are
 * the catalogue's own. */
export function checkReportLines(check: DocumentCheck, name: string): string[] {
  const platform = {
    os: escapeMarkdown(check.platform.os),
    kernel: escapeMarkdown(check.platform.kernel),
    arch: escapeMarkdown(check.platform.arch),
  };
  const lines = [`#### check ${escapeMarkdown(name)}: ${platform.os} ${platform.kernel} ${platform.arch}`, ''];
  if (check.interrupted) {
    lines.push(`**interrupted ${check.interrupted.text}**: the run was stopped, so the expectations of the scenarios it did not reach are not judged`, '');
  }
  const verdicts = (list: Verdict[]) => {
    lines.push('| scenario | step | on | expected | got | source |', '|---|---|---|---|---|---|');
    for (const m of list) {
      const source = m.expectation.source + (m.expectation.note ? ` (${m.expectation.note})` : '');
      lines.push(`| ${m.scenario} | ${m.step} | ${m.expectation.on} | ${cell(m.expected)} | ${escapeMarkdown(m.got)} | ${cell(source)} |`);
    }
    lines.push('');
  };
  if (check.mismatches.length > 0) verdicts(check.mismatches);
  if (check.baseline.length > 0) {
    const recordings = [...new Set(check.baseline.map((m) => m.expectation.source.replace(/^measured: /, '')))].join(', ');
    lines.push(`Differs from the recording on ${recordings} (a baseline, not literature: another kernel may differ; fails only --strict):`, '');
    verdicts(check.baseline);
  }
  for (const backend of check.impossible) {
    lines.push(`- ${platform.os} has no ${backend}: this document's ${backend} column was not measured on ${platform.os}`);
  }
  for (const { backend, ...t } of check.backends.map((b) => ({ ...b, backend: escapeMarkdown(b.backend) }))) {
    if (t.met + t.notMet + t.unjudged === 0) {
      lines.push(`- no expectations for ${platform.os}/${backend}`);
    } else {
      const unjudged = t.unjudged > 0 ? `, ${t.unjudged} not measured` : '';
      lines.push(`- ${platform.os}/${backend}: ${t.met} met, ${t.notMet} not met${unjudged}`);
    }
  }
  if (check.unmeasured.length > 0) {
    lines.push(`- this document did not measure ${check.unmeasured.join(', ')}, which ${platform.os} has expectations for`);
  }
  if (check.absent > 0) lines.push(`- ${check.absent} expectations are for scenarios this document lacks (or ran with other steps)`);
  const judged = check.met + check.mismatches.length + check.baseline.length;
  lines.push(
    judged === 0
      ? `- summary: no expectations for ${platform.os} ${platform.kernel} with ${check.backends.map((b) => escapeMarkdown(b.backend)).join(', ') || 'no backend'}`
      : `- summary: ${check.met} met (${check.metLiterature} from literature), ${check.mismatches.length} not met${check.baseline.length > 0 ? `, ${check.baseline.length} differ from the recording` : ''}`,
  );
  return lines;
}
