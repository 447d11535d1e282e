// Issue 18, "Validate meaning, not only shape": documents whose every field
// has the right type but which are wrong in meaning. Each is refused by
// merge (or check) in one clear line naming the JSON path, exit 2: never an
// internal error, never a hang, never shown as if measured.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.js';
import { mergeDocuments } from '../../src/index.js';
import { darwinDocument, linuxDocument } from '../hostile.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '../../src/model/schema/validate.js';
import { recorded } from '../vocabulary.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function run(argv: string[], stdin: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), readStdin: () => stdin });
  return { code, out, err };
}

// The small Linux document of test/hostile.ts: seed-connect-refused (-l clo
// -c pol: the client's pol returns OUT HUP), closed-client, nbc-refused and
// fifo-reader-no-writer, through poll, epoll and select; interrupted after
// its 4 of 300 scenarios; repeat 3.
const poll = (d: Doc, i = 0) => d.scenarios[i].runs.poll;
const pol = (d: Doc, i = 0, backend = 'poll') => d.scenarios[i].runs[backend].steps.find((t: Doc) => t.action === 'pol' && !t.implicit);

function merged(edit: (m: Doc) => void): Doc {
  const m = JSON.parse(JSON.stringify(mergeDocuments([linuxDocument(), darwinDocument()])));
  edit(m);
  return m;
}

/** [what is wrong, the edit, the message (after 'pollmatrix: stdin: '), the command]. */
const CASES: Array<[string, (d: Doc) => Doc | void, RegExp, string?]> = [
  // Steps must parse for their transport, hold a pol, and be what was run.
  ['steps with a letter the transport lacks', (d) => (d.scenarios[0].steps = '-l clo -r pol'), /^scenarios\[0\]\.steps: word 3: transport tcp has no endpoint -r/],
  ['steps with an action the transport cannot do', (d) => (d.scenarios[3].steps = '-r opn,shw,pol'), /^scenarios\[3\]\.steps: word 2: transport fifo cannot do 'shw' on -r/],
  ['steps with an unknown action', (d) => (d.scenarios[0].steps = '-l clo -c pol,xyz'), /^scenarios\[0\]\.steps: word 4: unknown action 'xyz'/],
  ['steps ending with a comma', (d) => (d.scenarios[0].steps = '-l clo -c pol,'), /^scenarios\[0\]\.steps: word 4: 'pol,' ends with a comma/],
  ['steps with -v', (d) => (d.scenarios[0].steps = '-v -l clo -c pol'), /^scenarios\[0\]\.steps: -v belongs to the trace command, not to a scenario$/],
  ['steps with odd spacing', (d) => (d.scenarios[0].steps = '-l clo  -c pol'), /^scenarios\[0\]\.steps: '-l clo {2}-c pol': words separated by one space each/],
  ['steps without a pol', (d) => (d.scenarios[0].steps = '-l clo -c clo'), /^scenarios\[0\]\.steps: '-l clo -c clo' has no pol step: there is nothing to show$/],
  ['steps that are not what the runs ran', (d) => (d.scenarios[0].steps = '-l clo -c snd,pol'), /^scenarios\[0\]\.runs\.poll\.steps\[\d\]\.action: 'pol', but the steps say 'snd' there$/],
  ['a run step beyond the commands', (d) => (pol(d).cmd = 9), /^scenarios\[0\]\.runs\.poll\.steps\[\d\]\.cmd: 9, but the steps have 2 command\(s\)$/],
  ['a run step on another endpoint', (d) => (pol(d).side = 's'), /^scenarios\[0\]\.runs\.poll\.steps\[\d\]\.side: 's', but command 2 is -c$/],
  ['run steps out of order', (d) => poll(d).steps.reverse(), /^scenarios\[0\]\.runs\.poll\.steps\[\d\]: cmd \d stp \d out of order or twice$/],
  // Names must be known to this pollmatrix (the document says it is not newer).
  ['an unknown transport', (d) => (d.scenarios[0].transport = 'carrier-pigeon'), /^scenarios\[0\]\.transport: unknown transport 'carrier-pigeon' \(transports: tcp .*\); the document says pollmatrix 0\.1\.0 made it/],
  ['a transport name in capitals', (d) => (d.scenarios[0].transport = 'TCP'), /^scenarios\[0\]\.transport: expected a transport name/],
  ['an unknown backend', (d) => d.backends.push('iocp'), /^backends\[3\]: unknown backend 'iocp' \(backends: poll epoll/],
  ['a backend no mechanism describes', (d) => (d.mechanisms = d.mechanisms.filter((m: Doc) => m.name !== 'epoll')), /^backends\[1\]: 'epoll' is measured but 'mechanisms' does not describe it/],
  ['a mechanism described twice', (d) => d.mechanisms.push(d.mechanisms[0]), /^mechanisms\[\d+\]\.name: 'poll' is described twice$/],
  ['an empty backend list', (d) => {
    d.backends = [];
    for (const s of d.scenarios) s.runs = {};
  }, /^backends: expected a non-empty array of backend names, each once$/],
  ['a pol asking another backend than its run', (d) => (pol(d).backend = 'epoll'), /^scenarios\[0\]\.runs\.poll\.steps\[\d\]\.backend: 'epoll' in the run of 'poll'$/],
  ['an unknown observation kind', (d) => (pol(d).observation.kind = 'bitset'), /^scenarios\[0\]\.runs\.poll\.steps\[\d\]\.observation\.kind: unknown observation kind 'bitset' \(a newer pollmatrix\?\)$/],
  ["an observation kind its backend does not observe", (d) => (pol(d).observation.kind = 'kevents'), /\.observation\.kind: 'kevents', but 'poll' observes 'mask' \('mechanisms'\)$/],
  ['an unknown interest', (d) => (d.scenarios[3].interest = ['BOGUS']), /^scenarios\[3\]\.interest\[0\]: unknown interest 'BOGUS' \(interests: IN OUT PRI RDHUP RDNORM RDBAND WRNORM WRBAND MSG ERR HUP\)/],
  ['an interest twice', (d) => (d.scenarios[3].interest = ['IN', 'IN']), /^scenarios\[3\]\.interest: items 0 and 1 are the same; expected array of interest names, each once$/],
  // Masks must agree with their names and numbers be in range.
  ['flag names another mask would have', (d) => (pol(d).names = ['IN', 'HUP']), /\.names: \["IN","HUP"\], but this OS decodes the raw observation as \["OUT","HUP"\]$/],
  ['an invented flag name', (d) => (pol(d).names = ['OUT', 'SPARKLY']), /\.names: \["OUT","SPARKLY"\], but this OS decodes the raw observation as \["OUT","HUP"\]$/],
  ['fewer names than set bits', (d) => (pol(d).names = ['OUT']), /\.names: 1 name\(s\) for the 2 bit\(s\) of 0x14$/],
  ['an unnamed bit that is not set', (d) => (pol(d).names = ['OUT', '???[0x1000]']), /\.names: '\?\?\?\[0x1000\]' is not a bit of 0x14$/],
  ['rawHex that is not the raw mask', (d) => (pol(d).rawHex = '0x15'), /\.rawHex: '0x15', but the raw mask is 0x14$/],
  ['tampered normalised properties', (d) => (pol(d).properties = ['readable']), /\.properties: \["readable"\], but this OS decodes the raw observation as \["writable","read-closed","hangup"\]$/],
  ['an unknown property', (d) => (pol(d).properties = ['sparkly']), /\.properties\[0\]: expected a normalised property/],
  ['a negative raw mask', (d) => (pol(d).observation.raw = -1), /\.observation\.raw: expected a mask from 0 to 4294967295 \(32 bits\)$/],
  ['a raw mask wider than 32 bits', (d) => (pol(d).observation.raw = 2 ** 40), /\.observation\.raw: expected a mask from 0 to 4294967295/],
  ['a return value below -1', (d) => (pol(d).ret = -5), /\.ret: expected a return value from -1 to 2147483647$/],
  ['a return value that its observation does not have', (d) => (pol(d).ret = 2), /\.ret: 2, but its observation returned 1$/],
  ['a failed pol without an errno', (d) => Object.assign(pol(d), { ret: -1, errno: null, observation: { ...pol(d).observation, ret: -1 }, rawHex: '0', names: [], properties: [] }), /\.errno: the pol failed \(ret -1\) and no errno says why$/],
  ['a huge errno number', (d) => (pol(d, 1, 'epoll').errno.number = 99999), /\.errno\.number: expected an errno number from 0 to 4095$/],
  ['an errno name that is not one', (d) => (pol(d, 1, 'epoll').errno.name = 'ebadf'), /\.errno\.name: expected an errno name \(ECONNREFUSED\) or null$/],
  ['a huge descriptor number', (d) => (pol(d).fd = 2 ** 40), /\.fd: expected a descriptor number from -1 to 2147483647$/],
  ['a negative leaked descriptor', (d) => (poll(d).leaked = [-5]), /\.leaked\[0\]: expected a descriptor number from -1 to 2147483647$/],
  ['a timeout of 0', (d) => (d.timeoutMs = 0), /^timeoutMs: expected a whole number of milliseconds from 1 to 600000$/],
  ['a timeout of a week', (d) => (d.timeoutMs = 7 * 86_400_000), /^timeoutMs: expected a whole number of milliseconds from 1 to 600000$/],
  ['repeat 0', (d) => (d.repeat = 0), /^repeat: expected a whole number from 1 to 1000000$/],
  // Unstable cells, interruption, dates, ids, platform.
  ['an unstable cell on a step that is no pol', (d) => (d.scenarios[0].runs.epoll.unstable[0].cmd = 1), /\.unstable\[0\]: cmd 1 stp 1 is not a pol step of '-l clo -c pol'$/],
  ['unstable counts that are not the runs', (d) => (d.scenarios[0].runs.epoll.unstable[0].seen[0].count = 5), /\.unstable\[0\]\.seen: counts add up to 6, but each scenario ran 3 times \('repeat'\)$/],
  ['an unstable cell with one answer', (d) => d.scenarios[0].runs.epoll.unstable[0].seen.pop(), /\.unstable\[0\]\.seen: expected an array of at least two \{text, count\}$/],
  ['an interruption counting other scenarios', (d) => (d.interrupted = 'after 2 of 300 scenarios'), /^interrupted: says 2 scenarios completed, but the document holds 4$/],
  ['an interruption after every scenario', (d) => (d.interrupted = 'after 4 of 4 scenarios'), /^interrupted: says 4 of 4 scenarios: an interrupted run completed fewer than it planned$/],
  ['an interruption in words', (d) => (d.interrupted = 'yesterday'), /^interrupted: expected 'after N of M scenarios'$/],
  ['a date that does not exist', (d) => (d.platform.date = '2026-02-30T10:00:00Z'), /^platform\.date: '2026-02-30T10:00:00Z' is not a real date$/],
  ['an id twice', (d) => (d.scenarios[1].id = d.scenarios[0].id), /^scenarios\[1\]\.id: 'seed-connect-refused' appears twice$/],
  ['an id that is no catalogue id', (d) => (d.scenarios[0].id = 'Seed Connect'), /^scenarios\[0\]\.id: expected a scenario id/],
  ['an OS name that is none', (d) => (d.platform.os = 'Linux 6'), /^platform\.os: expected an OS name/],
  ['a pollmatrix version that is none', (d) => (d.platform.pollmatrix = 'latest'), /^platform\.pollmatrix: expected a pollmatrix version/],
  ['a descriptor table that is neither', (d) => (d.platform.descriptorTable = 'maybe'), /^platform\.descriptorTable: expected 'private', 'shared' or 'unknown'$/],
  ['decoded kevents that are not the returned ones', () => {
    const d = darwinDocument();
    pol(d, 0, 'kqueue').kevents = [];
    return d;
  }, /\.runs\.kqueue\.steps\[\d\]\.kevents: 0 decoded, but the observation returned 1$/],
  // A merge's own table is what its documents give.
  ['a merged cell edited', () => merged((m) => (m.rows[0].cells[0] = 'IN')), /^rows\[0\]\.cells\[0\]: says 'IN', but its documents give 'OUT HUP'; merge the result documents again/],
  ['a merged column relabelled', () => merged((m) => (m.columns[0].label = 'freebsd / poll')), /^columns\[0\]: .*freebsd \/ poll.*, but its documents give .*; merge the result documents again/],
  ['a merged row left out', () => merged((m) => m.rows.splice(1, 1)), /^rows\[1\]\.\w+: .*but its documents give .*; merge the result documents again/],
  ['a merged row marked as differing', () => merged((m) => (m.rows[0].differs = !m.rows[0].differs)), /^rows\[0\]\.differs: (true|false), but its documents give (true|false)/],
  // check applies release ranges only to a release it can read, and judges something.
  ['check: a kernel release that is no release', (d) => (d.platform.kernel = 'banana'), /^platform\.kernel: 'banana' is not a release check can compare/, 'check'],
  ['check: a release with a glued suffix', (d) => (d.platform.kernel = '6x.1'), /^platform\.kernel: '6x\.1' is not a release check can compare/, 'check'],
  ['check: a document with no scenarios', (d) => {
    d.scenarios = [];
    d.interrupted = 'after 0 of 300 scenarios';
  }, /^holds no scenarios \(interrupted after 0 of 300 scenarios\): there is nothing to check$/, 'check'],
];

test(`${CASES.length} documents wrong in meaning: each one line naming the path, exit 2, no internal error`, () => {
  for (const [name, edit, message, command = 'merge'] of CASES) {
    const base = linuxDocument();
    // An edit that builds a document of its own returns it.
    const made = edit(base);
    const doc = made?.tool === 'pollmatrix' ? made : base;
    const got = run([command, '-'], JSON.stringify(doc));
    assert.is(got.code, 2, `${name}: exit ${got.code}: ${got.err}${got.out.slice(0, 200)}`);
    assert.is(got.out, '', name);
    assert.ok(got.err.startsWith('pollmatrix: stdin: '), `${name}: ${got.err}`);
    assert.is(got.err.split('\n').length, 2, `${name}: ${got.err}`);
    assert.match(got.err.slice('pollmatrix: stdin: '.length, -1), message, name);
  }
});

test('the same documents, right: merge and check take them (the cases above break one thing each)', () => {
  for (const command of ['merge', 'check']) {
    const got = run([command, '-'], JSON.stringify(linuxDocument()));
    assert.ok(got.code === 0 || got.code === 1, `${command}: ${got.err}`);
  }
  assert.is(run(['merge', '-'], JSON.stringify(merged(() => undefined))).code, 0);
});

test('a document from a newer pollmatrix may use names this one does not know: shown unchecked, and the platform line says so', () => {
  const doc = linuxDocument();
  doc.platform.pollmatrix = '9.0.0';
  doc.scenarios[0].transport = 'quic';
  doc.scenarios[0].steps = '-l clo -c pol';
  pol(doc).observation.kind = 'bitset';
  const got = run(['merge', '-'], JSON.stringify(doc));
  assert.is(got.code, 0, got.err);
  assert.match(got.out, /pollmatrix 9\.0\.0 \(newer than this 0\.1\.0: names it does not know are shown unchecked\)/);
  assert.match(got.out, /unknown observation kind 'bitset'/);
});

test('an interrupted run is marked in every format and in check', () => {
  const text = JSON.stringify(linuxDocument());
  for (const format of ['table', 'markdown', 'html']) {
    const got = run(['merge', '--format', format, '-'], text);
    assert.ok(got.out.includes('interrupted after 4 of 300 scenarios'), format);
  }
  const csv = run(['merge', '--format', 'csv', '-'], text).out.split('\r\n');
  assert.ok(csv[0].endsWith(',row_differs,interrupted'), csv[0]);
  assert.ok(csv[1].endsWith(',after 4 of 300 scenarios'), csv[1]);
  assert.is(JSON.parse(run(['merge', '--format', 'json', '-'], text).out).documents[0].interrupted, 'after 4 of 300 scenarios');
  const checked = run(['check', '-'], text);
  assert.match(checked.out, /\*\*interrupted after 4 of 300 scenarios\*\*: the run was stopped, so the expectations of the scenarios it did not reach are not judged/);
});

test("the schema's bounds are the run's own limits (a document from any run fits them)", () => {
  const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'result.schema.json'), 'utf8'));
  assert.is(schema.properties.timeoutMs.maximum, recorded().limits.timeoutMs.max);
  assert.is(schema.properties.repeat.maximum, recorded().limits.repeat.max);
});

test.run();
