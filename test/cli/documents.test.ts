// Issue 9, "Documents are a contract": every document merge reads is checked
// against the published schema; a bad one is one line naming the file and
// the JSON path, exit 2, and nothing else can escape (seeded mutants of a
// real document).
import { spawnSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.js';
// A seeded generator (fuzz's), so a failure names a mutant that can be rebuilt.
import { random } from '../../src/run/fuzz/generate.js';
import { FORMATS } from '../../src/present/render/index.js';
import { cli, scratchDir } from '../helpers.js';
import { firstMaskPol, recordedSample } from '../recorded.js';
import { MAX_DOCUMENT_BYTES } from '../../src/model/document-text.js';
import { packageRoot } from '../../src/model/package-root.js';

// The recorded Linux results, cut to a few scenarios of each transport so
// that 120 mutants run in seconds.
const real = recordedSample();
const dir = scratchDir('pollmatrix-docs-');
const realFile = path.join(dir, 'recorded-sample.json');
writeFileSync(realFile, JSON.stringify(real));
const at = firstMaskPol(real);
const pol = `scenarios[${at.i}].runs.${at.backend}.steps[${at.j}]`;
const polOf = (d: any) => d.scenarios[at.i].runs[at.backend].steps[at.j];
// A pipe scenario, whose -r the bad steps below name.
const pipeAt = real.scenarios.findIndex((s: { transport: string }) => s.transport === 'pipe');

function write(name: string, doc: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

function mutate(edit: (doc: any) => void): any {
  const doc = structuredClone(real);
  edit(doc);
  return doc;
}

test("the problems the issue found: each is one line naming the file and the JSON path, exit 2", () => {
  const cases: Array<[string, (d: any) => void, string]> = [
    ['names.json', (d) => (polOf(d).names = 5), `${pol}.names: expected array of flag names`],
    ['null-step.json', (d) => (d.scenarios[0].runs.epoll.steps = [null]), 'scenarios[0].runs.epoll.steps[0]: expected a step object'],
    ['number-steps.json', (d) => (d.scenarios[0].runs.epoll.steps = [1, 2, 3]), 'scenarios[0].runs.epoll.steps[0]: expected a step object'],
    ['no-date.json', (d) => delete d.platform.date, "platform: missing field 'date'"],
    ['no-mechanisms.json', (d) => delete d.mechanisms, "missing field 'mechanisms'"],
    ['no-kind.json', (d) => delete polOf(d).observation.kind, `${pol}.observation: missing field 'kind'`],
    ['new-kind.json', (d) => (polOf(d).observation.kind = 'bitset'), `${pol}.observation.kind: unknown observation kind 'bitset'`],
    ['no-rawhex.json', (d) => delete polOf(d).rawHex, `${pol}: missing field 'rawHex'`],
    ['unknown-backend.json', (d) => d.backends.push('iocp'), `backends[${real.backends.length}]: unknown backend 'iocp' (backends: poll epoll`],
    ['twice.json', (d) => d.backends.push('poll'), `backends: items 0 and ${real.backends.length} are the same; expected a non-empty array of backend names, each once`],
    ['side.json', (d) => (d.scenarios[1].runs.select.steps[0].side = 'CL'), 'scenarios[1].runs.select.steps[0].side: expected a single lower-case letter (the endpoint)'],
    ['bad-steps.json', (d) => (d.scenarios[pipeAt].steps = '-r pol,,rcv'), `scenarios[${pipeAt}].steps: word 2: empty action at position 2 in 'pol,,rcv'`],
    ['dup-id.json', (d) => (d.scenarios[1].id = d.scenarios[0].id), `scenarios[1].id: '${real.scenarios[0].id}' appears twice`],
    ['odd-key.json', (d) => (d.scenarios[0].runs['a b'] = d.scenarios[0].runs.poll), `scenarios[0].runs["a b"]: 'a b' is not in 'backends'`],
  ];
  for (const [name, edit, message] of cases) {
    const file = write(name, mutate(edit));
    const got = cli(['merge', file]);
    assert.is(got.code, 2, `${name}: ${got.err}`);
    assert.is(got.out, '');
    assert.ok(got.err.startsWith(`pollmatrix: ${file}: ${message}`), `${name}: ${got.err}`);
    assert.is(got.err.split('\n').length, 2, got.err);
  }
});

test('additional fields (from a newer engine) are allowed; types of known fields are not loosened', () => {
  const newer = mutate((d) => {
    d.scenarios[0].interest = ['IN'];
    polOf(d).soError = { name: 'ECONNREFUSED', number: 111, message: 'Connection refused' };
    polOf(d).observation.kind = 'mask';
    d.scenarios[0].somethingNew = { any: 'thing' };
    polOf(d).somethingNew = [1, 2, 3];
  });
  const got = cli(['merge', write('newer.json', newer)]);
  assert.is(got.code, 0, got.err);
});

test('merge - reads standard input; a merged document merges again', () => {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), readStdin: () => readFileSync(realFile, 'utf8') };
  assert.is(main(['merge', '--format', 'json', '-', realFile], io), 0, err);
  const merged = JSON.parse(out);
  assert.is(merged.kind, 'merge');
  assert.is(merged.documents.length, 2);
  const again = cli(['merge', '--format', 'csv', write('merged.json', merged)]);
  assert.is(again.code, 0, again.err);
  assert.match(again.out, /^seed-connect-refused,.*,#2 \/ select,R W,/m);
  let bad = '';
  main(['merge', '-'], { out: () => undefined, err: (t) => void (bad += t), readStdin: () => '{"tool": "pollmatrix"' });
  assert.match(bad, /^pollmatrix: stdin: not valid JSON: /);
});

test('only a regular file or - is read, up to a size limit; a BOM is accepted; UTF-16, compressed and binary files are named as such', () => {
  const text = JSON.stringify(real);
  const bytes = (name: string, content: Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const bom = bytes('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  assert.is(cli(['merge', '--format', 'csv', bom]).code, 0, 'a UTF-8 byte order mark is accepted');
  const stdinBom = main(['merge', '--format', 'csv', '-'], { out: () => undefined, err: () => undefined, readStdin: () => `\ufeff${text}` });
  assert.is(stdinBom, 0, 'on standard input too');
  const big = path.join(dir, 'big.json');
  writeFileSync(big, '');
  truncateSync(big, MAX_DOCUMENT_BYTES + 1);
  const cases: Array<[string, string, RegExp]> = [
    ['a folder', dir, /: is a folder, not a document$/],
    ['a device', '/dev/zero', /^pollmatrix: \/dev\/zero: is a device, not a regular file$/],
    ['UTF-16 with a BOM', bytes('u16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), /: is UTF-16 text; pollmatrix reads UTF-8 \(convert it: iconv -f UTF-16 -t UTF-8\)$/],
    ['UTF-16 big-endian', bytes('u16be.json', Buffer.from([0xfe, 0xff, 0, 0x7b, 0, 0x7d])), /: is UTF-16 text/],
    ['UTF-16 without a BOM', bytes('u16le.json', Buffer.from(text, 'utf16le')), /: is UTF-16 text/],
    ['UTF-32', bytes('u32.json', Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0])), /: is UTF-32 text/],
    ['gzip', bytes('r.json.gz', gzipSync(text)), /: is gzip-compressed; decompress it first \(gunzip\)$/],
    ['binary', bytes('binary.json', Buffer.from([0x7b, 0x22, 0x01, 0x00, 0xff, 0x10, 0x80, 0x7d])), /: is binary data, not a JSON document \(a NUL byte at offset 3\)$/],
    ['Latin-1', bytes('latin1.json', Buffer.from('{"tool": "pollmatrix", "x": "caf\xe9"}', 'latin1')), /: is not UTF-8 text \(a byte sequence that is not UTF-8\); pollmatrix reads UTF-8 JSON$/],
    ['too big', big, /: is 67,108,865 bytes; pollmatrix reads documents of up to 64 MB$/],
    ['10,000 levels deep', write('deep.json', `{"deep": ${'['.repeat(10_000)}${']'.repeat(10_000)}, ${text.slice(1)}`), /: deep\[0\]\[0\]\[0\]\[0\]\[0\]\.\.\.: nested deeper than 64 levels, more than any document needs$/],
  ];
  for (const [name, file, message] of cases) {
    for (const command of [['merge', '--format', 'json'], ['check']]) {
      const got = cli([...command, file]);
      assert.is(got.code, 2, `${name}: ${got.err}`);
      assert.is(got.out, '', name);
      assert.match(got.err.trimEnd(), message, name);
      assert.is(got.err.split('\n').length, 2, got.err);
    }
  }
  let err = '';
  const huge = main(['merge', '-'], { out: () => undefined, err: (t) => void (err += t), readStdin: (limit) => Buffer.alloc(limit, 0x20) });
  assert.is(huge, 2);
  assert.is(err, 'pollmatrix: stdin: holds more than 64 MB; pollmatrix reads documents of up to 64 MB\n');
});

test('merge and check on a FIFO: refused at once, not read (a FIFO with no writer would block for ever)', () => {
  const fifo = path.join(dir, 'fifo.json');
  assert.is(spawnSync('mkfifo', [fifo]).status, 0);
  for (const command of ['merge', 'check']) {
    const got = spawnSync(process.execPath, ['--import', 'tsx', path.join(packageRoot, 'src', 'cli.ts'), command, fifo], { encoding: 'utf8', timeout: 60_000 });
    assert.is(got.signal, null, `${command} hung on a FIFO`);
    assert.is(got.status, 2, got.stderr);
    assert.is(got.stderr, `pollmatrix: ${fifo}: is a FIFO (named pipe), not a regular file; to read a pipe, give - and send it to standard input\n`);
  }
});

type Path = Array<string | number>;
function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

const REPLACEMENTS: unknown[] = [null, true, false, 0, -1, 2.5, 1e21, '', 'x', '<b>`|*_', [], {}, [1, 2, 3], [null], { a: 1 }, ['IN'], 'poll', 'c'];

const ALL_PATHS = paths(real).filter((p) => p.length > 0);
// Biased towards what renderers read: platform, backends, scenario heads, observations.
const READ_BY_RENDERERS = ALL_PATHS.filter((p) => p.includes('observation') || p.includes('names') || p[0] !== 'scenarios' || p.length <= 3);

/** Every view, so a renderer that reads a field only in one view is reached. */
const VIEWS = [[], ['--raw'], ['--view', 'normalised']];

function mutant(seed: number): { doc: any; what: string } {
  const next = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
  const doc = structuredClone(real);
  const at = pick(next() < 0.6 ? READ_BY_RENDERERS : ALL_PATHS);
  const parent = at.slice(0, -1).reduce((v: any, k) => v[k], doc);
  const key = at[at.length - 1];
  const kind = pick(['delete', 'replace', 'replace', 'duplicate', 'rename']);
  let what = `${kind} ${at.join('.')}`;
  if (kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (kind === 'duplicate' && Array.isArray(parent)) {
    parent.push(structuredClone(parent[key as number]));
  } else if (kind === 'rename' && !Array.isArray(parent)) {
    parent[`${String(key)}x`] = parent[key];
    delete parent[key];
  } else {
    const value = pick(REPLACEMENTS);
    what = `set ${at.join('.')} = ${JSON.stringify(value)}`;
    parent[key] = structuredClone(value);
  }
  return { doc, what };
}

test('120 seeded mutants of a real document: exit 0, or one line naming the file and exit 2; never undefined, NaN or [object Object]', () => {
  let accepted = 0;
  let rejected = 0;
  for (let seed = 1; seed <= 120; seed++) {
    const { doc, what } = mutant(seed);
    const file = write(`mutant-${seed}.json`, doc);
    const format = FORMATS[seed % FORMATS.length];
    const got = cli(['merge', '--format', format, ...VIEWS[seed % VIEWS.length], file]);
    const label = `mutant ${seed} (${what}, --format ${format} ${VIEWS[seed % VIEWS.length].join(' ')})`;
    assert.ok(got.code === 0 || got.code === 2, `${label}: exit ${got.code}: ${got.err}`);
    if (got.code === 2) {
      rejected++;
      assert.is(got.out, '', label);
      assert.ok(got.err.startsWith(`pollmatrix: ${file}: `), `${label}: ${got.err}`);
      assert.is(got.err.split('\n').length, 2, `${label}: ${got.err}`);
    } else accepted++;
    for (const text of [got.out, got.err]) assert.not.match(text, /undefined|NaN|\[object Object\]/, label);
  }
  // Both outcomes occur: the mutants reach the validator and the renderers
  // (which checks meaning too, so most mutants are refused).
  assert.ok(accepted > 5 && rejected > 10, `accepted ${accepted}, rejected ${rejected}`);
  if (process.env.POLLMATRIX_MUTANTS) console.log(`mutants: ${accepted} accepted, ${rejected} rejected`);
});

test.run();
