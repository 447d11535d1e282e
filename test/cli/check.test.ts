// `pollmatrix check`: recorded documents from any OS against the catalogue's
// expectations for that OS, kernel release and backend; the expectation
// format and its validation; the script that records measured Linux cells.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withMeasured } from '../../scripts/record-expectations.js';
import { loadBinding } from '../../src/native/binding.js';
import { loadCatalogue, parseCatalogueFile } from '../../src/model/catalogue.js';
import { meets } from '../../src/run/check.js';
import { Runner } from '../../src/native/runner.js';
import { compareReleases, inRange, isMeasured, parseOn } from '../../src/model/expectations.js';
import { fakeBinding, fakeDocument } from '../fake-binding.js';
import { cli, scratchDir } from '../helpers.js';
import { packageRoot } from '../../src/model/package-root.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';
import { runAll } from '../runs.js';
import { observationKind } from '../../src/native/observations/index.js';
import type { NativeStep } from '../../src/model/observed.js';

const recorded = path.join(packageRoot, 'matrix', 'results', 'linux-x64.json');
const catalogue = loadCatalogue(path.join(packageRoot, 'matrix'), vocabularyOf(loadBinding()));
const dir = scratchDir('pollmatrix-check-');

/** The recorded Linux document under another OS's name. */
function relabelled(os: string, kernel: string): string {
  const doc = JSON.parse(readFileSync(recorded, 'utf8'));
  doc.platform.os = os;
  doc.platform.kernel = kernel;
  const file = path.join(dir, `${os}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

test('check passes on the document recorded here, and says what it judged per backend', () => {
  const got = cli(['check', recorded]);
  assert.is(got.code, 0, got.out + got.err);
  assert.not.match(got.out, /\| expected \|/);
  for (const backend of ['poll', 'epoll', 'io_uring', 'select']) {
    assert.match(got.out, new RegExp(`- linux/${backend}: [1-9]\\d* met, 0 not met`));
  }
  assert.match(got.out, /summary: \d+ met \([1-9]\d* from literature\), 0 not met/);
});

test('check fails (exit 1) on that document relabelled darwin: expected | got | source for each miss', () => {
  const got = cli(['check', relabelled('darwin', '24.1.0')]);
  assert.is(got.code, 1, got.out + got.err);
  assert.match(got.out, /^#### check .*darwin\.json: darwin 24\.1\.0 x86_64$/m);
  assert.ok(got.out.includes('| scenario | step | on | expected | got | source |'), got.out);
  const rows = got.out.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| scenario') && l.includes('darwin/'));
  assert.ok(rows.length > 0, got.out);
  for (const row of rows) {
    const [, , , on, expected, gotCell, source] = row.split(/(?<!\\)\| /).map((c) => c.trim().replace(/ \|$/, ''));
    assert.match(on, /^darwin/);
    assert.ok(expected !== '' && gotCell !== '', row);
    assert.match(source, /^(https?:\/\/|[\w.-]+\/[\w.-]+ \S+:\d+)/, row);
  }
  // The Linux-only mechanisms have nothing for darwin, and kqueue was not measured.
  assert.match(got.out, /- no expectations for darwin\/epoll/);
  assert.match(got.out, /- no expectations for darwin\/select/);
  assert.match(got.out, /did not measure kqueue, which darwin has expectations for/);
  assert.match(got.out, /summary: \d+ met \(\d+ from literature\), [1-9]\d* not met/);
});

test('the relabelled darwin document: its epoll and io_uring columns cannot exist on darwin, and check says so', () => {
  const got = cli(['check', relabelled('darwin', '24.1.0')]);
  for (const backend of ['epoll', 'epoll-et', 'epoll-oneshot', 'io_uring']) {
    assert.ok(got.out.includes(`- darwin has no ${backend}: this document's ${backend} column was not measured on darwin\n`), got.out);
  }
  assert.not.match(got.out, /darwin has no (poll|select)\b/);
});

test('a cell that differs from the Linux recording is listed apart, and fails only --strict', () => {
  // linux 7.0: a kernel the recording (measured: linux 6.18.44) was not made
  // on. Change one cell that only a recording covers.
  const doc = JSON.parse(readFileSync(recorded, 'utf8'));
  doc.platform.kernel = '7.0.0';
  type Step = { action: string; implicit: boolean; ret: number; observation: { raw: number }; rawHex: string; names: string[]; properties?: string[] };
  const firstPol = (id: string): Step => doc.scenarios.find((s: { id: string }) => s.id === id).runs.poll.steps.find((st: Step) => st.action === 'pol' && !st.implicit);
  const scenario = catalogue.find(
    (s) =>
      s.expect.some((e) => e.source.startsWith('measured:') && e.backend === 'poll') &&
      !s.expect.some((e) => !e.source.startsWith('measured:') && e.backend === 'poll') &&
      firstPol(s.id)?.ret > 0,
  )!;
  const pol = firstPol(scenario.id);
  // OUT flipped in the raw mask, then decoded as this OS decodes it (its C
  // form, names and properties must agree for the document to be read).
  pol.observation.raw ^= 0x4;
  Object.assign(pol, observationKind('mask')!.decode(pol as unknown as NativeStep, loadBinding().flagTables()));
  const file = path.join(dir, 'linux-7.0.json');
  writeFileSync(file, JSON.stringify(doc));
  const got = cli(['check', file]);
  assert.is(got.code, 0, got.out);
  assert.match(got.out, /Differs from the recording on linux 6\.\d+\.\d+\S* \(a baseline, not literature/);
  assert.ok(got.out.split('\n').some((l) => l.startsWith(`| ${scenario.id} | `) && l.includes('| linux/poll |')), got.out);
  assert.match(got.out, /summary: \d+ met \(\d+ from literature\), 0 not met, 1 differ from the recording/);
  assert.is(cli(['check', '--strict', file]).code, 1);
  assert.is(cli(['check', '--strict', recorded]).code, 0, 'the recording itself passes --strict');
});

test('a platform with nothing applicable says so plainly, and passes', () => {
  const doc = fakeDocument(fakeBinding(), catalogue.slice(0, 2), ['select'], 'netbsd', '10.0');
  const file = path.join(dir, 'netbsd.json');
  writeFileSync(file, JSON.stringify(doc));
  const got = cli(['check', file]);
  assert.is(got.code, 0, got.out);
  assert.match(got.out, /- no expectations for netbsd\/select\n/);
  assert.match(got.out, /- summary: no expectations for netbsd 10\.0 with select/);
  assert.not.match(got.out, /0 met/);
});

test('check: bad input is one line and exit 2, before anything is judged', () => {
  for (const [args, message] of [
    [[], /check needs at least one result file/],
    [[path.join(dir, 'absent.json')], /absent\.json: cannot read it \(ENOENT\)/],
    [[recorded, path.join(dir, 'absent.json')], /absent\.json: cannot read it/],
  ] as const) {
    const got = cli(['check', ...args]);
    assert.is(got.code, 2, got.err);
    assert.is(got.out, '');
    assert.is(got.err.trim().split('\n').length, 1, got.err);
    assert.match(got.err, message);
  }
});

(process.platform === 'linux' ? test : test.skip)('run --check is the same check on a fresh run (Linux: the seed passes)', () => {
  const got = cli(['run', '--check', '--repeat', '1', '--scenario', 'seed-*', '--format', 'csv']);
  assert.is(got.code, 0, got.err);
  assert.match(got.err, /^#### check this run: linux /m);
  assert.match(got.err, /- linux\/poll: [1-9]\d* met, 0 not met/);
});

test('`on`: os[range]/backend, releases compared numerically, part by part', () => {
  const backends = ['poll', 'kqueue'];
  assert.equal(parseOn('darwin>=24.4,<25/poll', backends), {
    os: 'darwin',
    range: [{ op: '>=', release: '24.4' }, { op: '<', release: '25' }],
    backend: 'poll',
  });
  assert.is(compareReleases('24.4.0', '24.4'), 0);
  assert.is(compareReleases('6.10.2', '6.9'), 1);
  assert.is(compareReleases('14.1-RELEASE', '14.2'), -1);
  const range = parseOn('darwin>=24.4,<25/poll', backends).range;
  assert.is(inRange(range, '24.4.0'), true);
  assert.is(inRange(range, '24.3.9'), false);
  assert.is(inRange(range, '25.0.0'), false);
  assert.is(inRange([], 'anything'), true);
  assert.is(inRange(parseOn('freebsd>=14/kqueue', backends).range, '14.1-RELEASE'), true);
  for (const bad of ['darwin/epol', 'haiku/poll', 'darwin>=x/poll', 'darwin', 'linux/poll/x']) {
    assert.throws(() => parseOn(bad, backends), new RegExp(bad.replace(/[/.>=]/g, '.')));
  }
});

test('catalogue: an expectation error names the file, the scenario and the field', () => {
  const scenario = (expect: unknown) => ({
    scenarios: [{ id: 'refused', title: 't', shows: 's', transport: 'tcp', steps: '-l clo -c pol', expect }],
  });
  const entry = { on: 'linux/poll', cells: { 'c:pol#1': 'OUT HUP' }, source: 'haproxy/haproxy doc/internals/notes-poll-connect.txt:9' };
  const cases: Array<[unknown, RegExp]> = [
    [{ 'linux/poll': {} }, /f\.json: scenario 'refused': field 'expect' must be an array/],
    [[{ ...entry, on: 'linux/kevent' }], /field 'expect\[0\]\.on': 'linux\/kevent': unknown backend 'kevent'/],
    [[{ ...entry, source: undefined }], /field 'expect\[0\]\.source' must be/],
    [[{ ...entry, source: 'haproxy notes' }], /field 'expect\[0\]\.source' must be 'owner\/repo path:line'/],
    [[{ ...entry, on: 'darwin/poll', source: 'measured: linux 6.1' }], /field 'expect\[0\]\.source': 'measured:' is for Linux/],
    [[entry, { ...entry, cells: { 's:pol#1': 'OUT' } }], /field 'expect\[1\]\.cells\.s:pol#1': not a pol step of this scenario \(c:pol#1\)/],
    [[{ ...entry, cells: { 'c:pol#1': 'has out' } }], /field 'expect\[0\]\.cells\.c:pol#1': 'has out': a constraint is/],
    [[{ ...entry, cells: {} }], /field 'expect\[0\]\.cells' must map step labels/],
    [[{ ...entry, year: 2022 }], /field 'expect\[0\]\.year' is not a field/],
  ];
  for (const [expect, message] of cases) {
    assert.throws(() => parseCatalogueFile(scenario(expect), 'f.json', vocabularyOf(fakeBinding())), message);
  }
  const [parsed] = parseCatalogueFile(scenario([entry, { ...entry, on: 'darwin>=23/kqueue', source: 'https://example.org/p', note: 'n' }]), 'f.json', vocabularyOf(fakeBinding()));
  assert.equal(parsed.expect.map((e) => [e.os, e.range.length, e.backend, e.note]), [['linux', 0, 'poll', undefined], ['darwin', 1, 'kqueue', 'n']]);
});

test('a constraint is met only by a pol that returned: has and lacks, on flags or on kevents, never by an errno', () => {
  const pol = (names: string[], ret = 1) => ({ ret, names, observation: { ret, raw: 1, kind: 'mask' } }) as never;
  assert.is(meets('has HUP; lacks ERR', 'OUT HUP', pol(['OUT', 'HUP'])), true);
  assert.is(meets('has HUP; lacks ERR', 'OUT ERR HUP', pol(['OUT', 'ERR', 'HUP'])), false);
  assert.is(meets('lacks IN HUP', '-', pol([], 0)), true);
  const ebadf = { ret: -1, names: [], observation: { ret: -1, raw: 0, kind: 'mask' } } as never;
  assert.is(meets('lacks IN', 'EBADF', ebadf), false);
  assert.is(meets('lacks IN', 'unstable: OUT (2/3) | - (1/3)', undefined), false);
  // kevents: a filter, with the flags it must carry.
  const kev = (list: Array<[string, string[]]>) =>
    ({ ret: list.length, observation: { ret: list.length, raw: 0, kind: 'kevents' }, kevents: list.map(([filter, flags]) => ({ filter, flags, fflags: 0, data: 0 })) }) as never;
  assert.is(meets('has WRITE+EOF; lacks READ', 'WRITE EOF', kev([['WRITE', ['ADD', 'EOF']]])), true);
  assert.is(meets('has WRITE+EOF', 'WRITE', kev([['WRITE', ['ADD']]])), false);
  assert.is(meets('lacks READ', 'READ EOF, WRITE', kev([['READ', ['EOF']], ['WRITE', []]])), false);
  assert.is(meets('lacks READ', '-', kev([])), true);
  assert.is(meets('has WRITE+EOF', 'OUT HUP', pol(['OUT', 'HUP'])), false, 'a kevent token never meets a mask');
  // Exact cells compare as sets: kevents come back in no stated order.
  assert.is(meets('READ EOF, WRITE EOF', 'WRITE EOF, READ EOF', undefined), true);
  assert.is(meets('OUT HUP', 'OUT', pol(['OUT'])), false);
});

test('every expectation in the catalogue has a source; measured ones are Linux only', () => {
  const all = catalogue.flatMap((s) => s.expect);
  assert.ok(all.length > 0);
  for (const e of all) {
    assert.ok(e.source.length > 0);
    if (isMeasured(e)) assert.is(e.os, 'linux', e.on);
  }
});

test('recording measured cells never replaces a literature entry, and replaces older measured ones', () => {
  const literature = { on: 'linux/poll', cells: { 'c:pol#1': 'IN OUT ERR HUP RDHUP' }, source: 'haproxy/haproxy doc/internals/notes-poll-connect.txt:90' };
  const older = { on: 'linux/poll', cells: { 'c:pol#2': 'OLD' }, source: 'measured: linux 5.10' };
  const [scenario] = parseCatalogueFile(
    { scenarios: [{ id: 'resp', title: 't', shows: 's', transport: 'tcp', steps: '-s snd,lin,clo -c pol,rcv,pol', expect: [literature, older] }] },
    'f.json',
    vocabularyOf(fakeBinding()),
  );
  // The fake answers poll's two pols with OUT, then IN: the literature cell disagrees, and stays.
  const runner = new Runner(fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x4 }, { ret: 1, raw: 0x1 }] } }));
  const runs = runAll(runner, [scenario], ['poll']).get('resp')!;
  const result = withMeasured([literature, older], scenario, runs, '6.18.1');
  assert.equal(result.expect, [literature, { on: 'linux/poll', cells: { 'c:pol#2': 'IN' }, source: 'measured: linux 6.18.1' }]);
  assert.is(result.added, 1);
});

test.run();
