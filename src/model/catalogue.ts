// The scenario catalogue: JSON files in matrix/, validated on load. An error
// names the file, the scenario and the field.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { parseExpectations, type Expectation } from './expectations.js';
import { parseHaproxyArgs, splitSteps, type Grammar } from './scenario-syntax.js';
import { type CommandSpec, polSteps } from './steps.js';

export interface Scenario {
  id: string;
  title: string;
  /** One line on what the scenario shows. */
  shows: string;
  /** A transport name (binding.transports()). */
  transport: string;
  /** haproxy dev/poll/poll syntax, e.g. `-c snd,shw -s clo -c pol`. */
  steps: string;
  /** What every `pol` asks for (interest names; [] is events=0); absent:
   * haproxy's IN OUT RDHUP. */
  interest?: string[];
  /** Where the scenario's question comes from. */
  source?: string;
  commands: CommandSpec[];
  /** What sources (or a run here) say its pol steps report, per OS and
   * backend (src/expectations.ts). Checked by `check` and `run --check`. */
  expect: Expectation[];
  /** Where it was read from. */
  file: string;
}

/** What a catalogue's names are checked against: the addon's lists, through
 * native/vocabulary.ts (the model itself knows no name). */
export interface Names {
  /** What a transport accepts; a UsageError naming `where` if unknown. */
  grammar(transport: string, where: string): Grammar;
  /** Interest names from a scenario's text; a UsageError if unknown. */
  interest(text: string, where: string): string[];
  readonly backendNames: string[];
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function field(obj: Record<string, unknown>, name: string, at: string): string {
  const value = obj[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${at}: field '${name}' must be a non-empty string`);
  }
  return value;
}

/** Validates one file's parsed JSON; `file` is used in messages only. */
export function parseCatalogueFile(json: unknown, file: string, names: Names): Scenario[] {
  const backends = names.backendNames;
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { scenarios?: unknown }).scenarios)) {
    throw new UsageError(`${file}: expected an object with a 'scenarios' array`);
  }
  return (json as { scenarios: unknown[] }).scenarios.map((item, i) => {
    let at = `${file}: scenarios[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new UsageError(`${at}: must be an object`);
    }
    const obj = item as Record<string, unknown>;
    const id = field(obj, 'id', at);
    if (!ID.test(id)) throw new UsageError(`${at}: field 'id' must be lower-case words joined by '-', got '${id}'`);
    at = `${file}: scenario '${id}'`;
    const known = ['id', 'title', 'shows', 'transport', 'steps', 'interest', 'source', 'expect'];
    const unknown = Object.keys(obj).filter((k) => !known.includes(k));
    if (unknown.length > 0) throw new UsageError(`${at}: unknown field '${unknown[0]}' (fields: ${known.join(' ')})`);
    const transport = field(obj, 'transport', at);
    const grammar = names.grammar(transport, `${at}: field 'transport'`);
    const steps = field(obj, 'steps', at);
    const words = splitSteps(steps);
    const flag = words.find((w) => w === '-v' || w === '-e');
    if (flag) throw new UsageError(`${at}: field 'steps': ${flag} belongs to the trace command, not to a scenario`);
    const parsed = parseHaproxyArgs(words, (w) => `${at}: field 'steps' word ${w + 1}`, grammar);
    const commands = parsed.map(({ side, actions }) => ({ side, actions }));
    if (obj.interest !== undefined && (typeof obj.interest !== 'string' || (obj.interest !== '' && obj.interest.trim() === ''))) {
      throw new UsageError(`${at}: field 'interest' must be a string of interest names ("" asks for nothing)`);
    }
    if (obj.source !== undefined && (typeof obj.source !== 'string' || obj.source.trim() === '')) {
      throw new UsageError(`${at}: field 'source' must be a non-empty string`);
    }
    return {
      id,
      title: field(obj, 'title', at),
      shows: field(obj, 'shows', at),
      transport,
      steps,
      ...(obj.interest !== undefined ? { interest: names.interest(obj.interest, `${at}: field 'interest'`) } : {}),
      ...(obj.source !== undefined ? { source: obj.source as string } : {}),
      commands,
      expect: parseExpectations(obj.expect, polSteps(commands).map((p) => p.step), at, backends),
      file,
    };
  });
}

/** Every *.json directly in `dir`, in name order; ids must be unique. */
export function loadCatalogue(dir: string, names: Names): Scenario[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const all: Scenario[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    for (const scenario of parseCatalogueFile(json, file, names)) {
      const twin = all.find((s) => s.id === scenario.id);
      if (twin) throw new UsageError(`${file}: scenario '${scenario.id}': id already used in ${twin.file}`);
      all.push(scenario);
    }
  }
  return all;
}
