// The meaning of a result document, beyond the shape its schema checks: a
// document can come from anyone, and one that is wrong in meaning must not be
// shown as measured. Each rule is one line naming the JSON path.
//
// - ids unique; steps that parse for their transport and hold a pol, whose
//   runs' steps are the steps the text says;
// - a run per listed backend, each described in `mechanisms`, its pol steps
//   asking that backend, with the observation kind it observes;
// - a pol's return value the same in its step and its observation; an errno
//   when it failed; rawHex and the flag names consistent with the raw mask
//   (one name per set bit: a bit with no name is ???[0x..]); kevents decoded
//   one for one;
// - an unstable cell on a pol step, its counts adding up to `repeat`;
// - `interrupted` counting the scenarios the document holds;
// - a real date.
// With `known` (this pollmatrix's names, from the addon), transports,
// actions, backends, interest names and observation kinds must be ones it
// knows, unless the document says a newer pollmatrix made it: such names are
// then shown as they are, and the platform line says the document is newer.
// With `known.machine` and a document from this OS and machine, every pol is
// decoded again with this OS's own tables and must match what it says.
import type { ResultDocument, ScenarioResult } from './result-document.js';
import { OBSERVATION_KINDS, type ObservedStep } from './observed.js';
import { actionWord, parseHaproxyArgs, splitSteps, type Grammar, type ParsedCommand } from './scenario-syntax.js';
import { jsonPathKey } from './schema/validate.js';
import { polSteps } from './steps.js';

/** The names a pollmatrix knows: every one its addon lists, available here
 * or not. */
export interface KnownNames {
  /** This pollmatrix's version. */
  version: string;
  backends: string[];
  transports: Array<Pick<Grammar, 'endpoints' | 'actions'> & { name: string }>;
  actions: string[];
  /** The actions that take a value, with what it may be. */
  values: Grammar['values'];
  interests: string[];
  /** This machine, and a pol step decoded again with its OS's tables
   * (names, rawHex, kevents, keventText, properties). */
  machine?: { os: string; arch: string; decode(step: ObservedStep): ObservedStep };
}

type Fail = (at: string, what: string) => never;

/** -1, 0 or 1: `a` is an older, the same or a newer version than `b`
 * (major.minor.patch; a pre-release before its release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^(\d+)\.(\d+)\.(\d+)(-)?/.exec(v);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ? 0 : 1] : [0, 0, 0, 0];
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return Math.sign(x[i] - y[i]);
  return 0;
}

/** The document says a pollmatrix newer than `version` made it. */
export const fromNewer = (doc: Pick<ResultDocument, 'platform'>, version: string) => compareVersions(doc.platform.pollmatrix, version) > 0;

export const hexMask = (value: number) => (value === 0 ? '0' : `0x${(value >>> 0).toString(16)}`);

const bitCount = (value: number) => {
  let n = 0;
  for (let v = value >>> 0; v !== 0; v >>>= 1) n += v & 1;
  return n;
};

export function checkResult(doc: ResultDocument, prefix: string, fail: Fail, known?: KnownNames): void {
  const newer = known !== undefined && fromNewer(doc, known.version);
  const strict = known !== undefined && !newer;
  const list = (names: string[]) => names.join(' ');
  const unknown = (what: string, name: string, names: string[]) =>
    `unknown ${what} '${name}' (${what}s: ${list(names)}); the document says pollmatrix ${doc.platform.pollmatrix} made it, and this one (${known!.version}) knows every name up to its own version`;
  const date = new Date(doc.platform.date);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== doc.platform.date.slice(0, 10)) {
    fail(`${prefix}platform.date`, `'${doc.platform.date}' is not a real date`);
  }
  const mechanisms = new Map<string, ResultDocument['mechanisms'][number]>();
  doc.mechanisms.forEach((m, i) => {
    if (mechanisms.has(m.name)) fail(`${prefix}mechanisms[${i}].name`, `'${m.name}' is described twice`);
    mechanisms.set(m.name, m);
  });
  doc.backends.forEach((backend, i) => {
    if (strict && !known.backends.includes(backend)) fail(`${prefix}backends[${i}]`, unknown('backend', backend, known.backends));
    if (!mechanisms.has(backend)) fail(`${prefix}backends[${i}]`, `'${backend}' is measured but 'mechanisms' does not describe it (what it can express)`);
  });
  if (doc.interrupted !== undefined) {
    const [, done, total] = /^after (\d+) of (\d+) scenarios$/.exec(doc.interrupted)!.map(Number);
    if (done !== doc.scenarios.length) fail(`${prefix}interrupted`, `says ${done} scenarios completed, but the document holds ${doc.scenarios.length}`);
    if (done >= total) fail(`${prefix}interrupted`, `says ${done} of ${total} scenarios: an interrupted run completed fewer than it planned`);
  }
  const ids = new Set<string>();
  doc.scenarios.forEach((s, i) => {
    const at = `${prefix}scenarios[${i}]`;
    if (ids.has(s.id)) fail(`${at}.id`, `'${s.id}' appears twice`);
    ids.add(s.id);
    const commands = scenarioCommands(s, at, fail, strict ? known : undefined, unknown);
    const pols = polSteps(commands);
    if (pols.length === 0) fail(`${at}.steps`, `'${s.steps}' has no pol step: there is nothing to show`);
    s.interest?.forEach((name, k) => {
      if (strict && !known.interests.includes(name)) fail(`${at}.interest[${k}]`, unknown('interest', name, known.interests));
    });
    for (const backend of doc.backends) {
      if (!Object.hasOwn(s.runs, backend)) fail(`${at}.runs`, `no run for '${backend}', which 'backends' lists`);
    }
    for (const [backend, run] of Object.entries(s.runs)) {
      const where = `${at}.runs${jsonPathKey(backend)}`;
      if (!doc.backends.includes(backend)) fail(where, `'${backend}' is not in 'backends'`);
      checkRunSteps(run.steps, commands, where, fail, strict ? known : undefined);
      const observes = mechanisms.get(backend)?.observes;
      run.steps.forEach((step, j) => {
        const stepAt = `${where}.steps[${j}]`;
        if (step.action !== 'pol' || step.implicit) return;
        if (step.backend !== undefined && step.backend !== backend) fail(`${stepAt}.backend`, `'${step.backend}' in the run of '${backend}'`);
        const obs = step.observation;
        if (!obs) return;
        if (!(OBSERVATION_KINDS as readonly string[]).includes(obs.kind)) {
          if (!newer) fail(`${stepAt}.observation.kind`, `unknown observation kind '${obs.kind}' (a newer pollmatrix?)`);
          return;
        }
        if (observes !== undefined && observes !== obs.kind && !newer) fail(`${stepAt}.observation.kind`, `'${obs.kind}', but '${backend}' observes '${observes}' ('mechanisms')`);
        checkObservation(step, stepAt, fail);
        if (strict && known.machine && known.machine.os === doc.platform.os && known.machine.arch === doc.platform.arch) {
          checkAgainstThisOs(step, stepAt, fail, known.machine.decode);
        }
      });
      const unstable = new Set<string>();
      run.unstable?.forEach((u, k) => {
        const uAt = `${where}.unstable[${k}]`;
        if (!pols.some((p) => p.cmd === u.cmd && p.stp === u.stp)) fail(uAt, `cmd ${u.cmd} stp ${u.stp} is not a pol step of '${s.steps}'`);
        if (unstable.has(`${u.cmd}/${u.stp}`)) fail(uAt, `cmd ${u.cmd} stp ${u.stp} is listed twice`);
        unstable.add(`${u.cmd}/${u.stp}`);
        const total = u.seen.reduce((n, seen) => n + seen.count, 0);
        if (doc.repeat !== undefined && total !== doc.repeat) fail(`${uAt}.seen`, `counts add up to ${total}, but each scenario ran ${doc.repeat} times ('repeat')`);
        if (new Set(u.seen.map((seen) => seen.text)).size !== u.seen.length) fail(`${uAt}.seen`, 'the same text twice: an unstable cell lists each answer once');
      });
    }
  });
}

/** The scenario's commands, parsed for its transport where it is known. */
function scenarioCommands(
  s: ScenarioResult,
  at: string,
  fail: Fail,
  known: KnownNames | undefined,
  unknown: (what: string, name: string, names: string[]) => string,
): ParsedCommand[] {
  let grammar: Grammar | undefined;
  if (known) {
    const transport = known.transports.find((t) => t.name === s.transport);
    if (!transport) fail(`${at}.transport`, unknown('transport', s.transport, known.transports.map((t) => t.name)));
    grammar = { transport: transport.name, endpoints: transport.endpoints, actions: transport.actions, known: known.actions, values: known.values };
  }
  const words = splitSteps(s.steps);
  if (words.join(' ') !== s.steps) fail(`${at}.steps`, `'${s.steps}': words separated by one space each, nothing before or after`);
  const flag = words.find((w) => w === '-v' || w === '-e');
  if (flag) fail(`${at}.steps`, `${flag} belongs to the trace command, not to a scenario`);
  try {
    return parseHaproxyArgs(words, (w) => `word ${w + 1}`, grammar);
  } catch (err) {
    return fail(`${at}.steps`, (err as Error).message);
  }
}

/** A run's steps are the scenario's: each explicit step at its command and
 * position, with its action and endpoint, once and in order; implicit ones
 * (haproxy's con and acc) at position 0. */
function checkRunSteps(steps: ObservedStep[], commands: ParsedCommand[], where: string, fail: Fail, known: KnownNames | undefined): void {
  let last = 0;
  steps.forEach((step, j) => {
    const at = `${where}.steps[${j}]`;
    const command = commands[step.cmd - 1];
    if (!command) fail(`${at}.cmd`, `${step.cmd}, but the steps have ${commands.length} command(s)`);
    if (step.implicit) {
      // haproxy's implicit accept acts on the listener, whatever the command.
      if (step.stp !== 0) fail(`${at}.stp`, `${step.stp}: an implicit step comes before its command's first (stp 0)`);
      if (known && !known.actions.includes(step.action)) fail(`${at}.action`, `unknown action '${step.action}'`);
    } else {
      if (step.side !== command.side) fail(`${at}.side`, `'${step.side}', but command ${step.cmd} is -${command.side}`);
      const action = command.actions[step.stp - 1];
      if (action === undefined) fail(`${at}.stp`, `${step.stp}, but command ${step.cmd} has ${command.actions.length} action(s)`);
      if (actionWord(step) !== action) fail(`${at}.action`, `'${actionWord(step)}', but the steps say '${action}' there`);
    }
    const order = step.cmd * 100_000 + step.stp;
    if (order < last || (order === last && !step.implicit)) fail(at, `cmd ${step.cmd} stp ${step.stp} out of order or twice`);
    last = order;
  });
}

/** What a pol's observation says agrees with itself, whatever OS made it. */
function checkObservation(step: ObservedStep, at: string, fail: Fail): void {
  const obs = step.observation!;
  if (obs.notMeasured !== undefined) return;
  for (const field of ['ret', 'raw'] as const) if (obs[field] === undefined) fail(`${at}.observation`, `missing field '${field}'`);
  if (obs.ret !== step.ret) fail(`${at}.ret`, `${step.ret}, but its observation returned ${obs.ret}`);
  if (step.ret < 0 && !step.errno) fail(`${at}.errno`, `the pol failed (ret ${step.ret}) and no errno says why`);
  if (obs.kind === 'mask') {
    const raw = step.ret > 0 ? obs.raw : 0;
    if (step.rawHex !== hexMask(raw)) fail(`${at}.rawHex`, `'${step.rawHex}', but the raw mask is ${hexMask(raw)}`);
    const names = step.names ?? [];
    if (names.length !== bitCount(raw)) fail(`${at}.names`, `${names.length} name(s) for the ${bitCount(raw)} bit(s) of ${hexMask(raw)}`);
    if (new Set(names).size !== names.length) fail(`${at}.names`, 'a name twice');
    for (const name of names) {
      const bit = /^\?\?\?\[(0x[0-9a-f]+)\]$/.exec(name)?.[1];
      if (bit !== undefined && (bitCount(Number(bit)) !== 1 || (raw & Number(bit)) === 0)) fail(`${at}.names`, `'${name}' is not a bit of ${hexMask(raw)}`);
    }
  }
  if (obs.kind === 'kevents' && step.kevents !== undefined && step.kevents.length !== (obs.kevents ?? []).length) {
    fail(`${at}.kevents`, `${step.kevents.length} decoded, but the observation returned ${(obs.kevents ?? []).length}`);
  }
}

/** A pol of this OS and machine, decoded again with its tables. */
function checkAgainstThisOs(step: ObservedStep, at: string, fail: Fail, decode: (step: ObservedStep) => ObservedStep): void {
  if (step.observation?.notMeasured !== undefined) return;
  const again = decode(step);
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  // A field left out is said so, never printed as "undefined".
  const shown = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v));
  for (const field of ['names', 'kevents', 'keventText', 'properties'] as const) {
    if (!same(step[field], again[field])) {
      fail(`${at}.${field}`, `${shown(step[field])}, but this OS decodes the raw observation as ${shown(again[field])}`);
    }
  }
}
