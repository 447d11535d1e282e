// Issue "The matrix": normalisation, formats, merge and --check, on the fake
// binding (the recorded-results test runs the real addon: results.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCatalogueFile } from '../../src/model/catalogue.js';
import { checkDocument } from '../../src/run/check.js';
import { SCHEMA_VERSION } from '../../src/model/document.js';
import { buildMatrix } from '../../src/present/matrix.js';
import { disagree, normalise, normalisedText } from '../../src/present/normalise.js';
import { renderCsv } from '../../src/present/render/csv.js';
import { renderHtml } from '../../src/present/render/html.js';
import { renderMarkdown } from '../../src/present/render/markdown.js';
import { kevents as kevents_ } from '../../src/native/observations/kevents.js';
import { mask } from '../../src/native/observations/mask.js';
import { EV, asFlagTables, macosTables } from '../fixtures/kqueue-tables.js';
import { fakeBinding, fakeDocument } from '../fake-binding.js';
import { parseDocumentText } from '../../src/model/document.js';
import { traceLine } from '../../src/present/trace.js';
import { cli, scratchDir } from '../helpers.js';
import { main, wantColour } from '../../src/cli/main.js';
import { type ObservedStep, PROPERTIES } from '../../src/model/observed.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';

// Steps decoded the way the runner decodes them: the mask kind's module with
// the fake addon's tables (each bit's normalised meaning comes from there).
const tables = fakeBinding().flagTables();
const step = (backend: string, names: string[], extra: Partial<ObservedStep> = {}): ObservedStep => {
  const table = tables[backend === 'io_uring' ? 'poll' : backend];
  const raw = names.reduce((bits, name) => bits | (table.find(([, n]) => n === name)?.[0] ?? 0), 0);
  const native: ObservedStep = {
    cmd: 1, stp: 1, action: 'pol', side: 'c', fd: 4, implicit: false, ret: names.length > 0 ? 1 : 0, errno: null,
    endpointClosed: false, actedFd: 4, timedOut: false, backend: backend === 'io_uring' ? 'poll' : backend,
    observation: { kind: 'mask', ret: names.length > 0 ? 1 : 0, raw },
  };
  const decoded = native.ret >= 0 ? mask.decode(native, tables) : native;
  return { ...decoded, backend, ...extra };
};
const ALL = [...PROPERTIES];
const SELECT = ['readable', 'writable', 'priority', 'invalid'];

test('normalise(): poll and epoll bits', () => {
  assert.is(normalisedText(step('poll', ['IN', 'OUT', 'ERR', 'HUP', 'RDHUP'])), 'readable writable read-closed hangup error');
  assert.is(normalisedText(step('poll', ['IN', 'RDHUP'])), 'readable read-closed');
  assert.is(normalisedText(step('poll', ['NVAL'])), 'invalid');
  assert.is(normalisedText(step('poll', [])), '-');
  const ctl = step('epoll', [], { ret: -1, properties: [], errno: { name: 'EBADF', number: 9, message: 'Bad file descriptor' } });
  assert.is(normalisedText(ctl), 'invalid');
  assert.is(normalisedText(step('io_uring', ['IN', 'OUT', 'RDHUP'])), 'readable writable read-closed');
  assert.is(normalisedText({ ...ctl, backend: 'io_uring' }), 'invalid');
  // A mechanism that refuses the descriptor (epoll on a regular file) says
  // nothing about its state.
  const eperm = step('epoll', [], { ret: -1, properties: [], errno: { name: 'EPERM', number: 1, message: 'Operation not permitted' } });
  assert.is(normalisedText(eperm), null);
});

test('normalise(): select sets, and what select cannot say', () => {
  assert.is(normalisedText(step('select', ['R', 'W', 'X'])), 'readable writable priority');
  const notMeasured = step('select', [], { observation: { kind: 'mask', ret: 0, raw: 0, notMeasured: 'fd too big' } });
  assert.is(normalise(notMeasured), null);
});

test('normalise(): kqueue kevents (mio kqueue.rs semantics), decoded with macOS tables', () => {
  const kq = asFlagTables(macosTables);
  const k = (filter: number, flags: number, fflags = 0, data = 0, errno?: string) => ({
    ident: 4, filter, flags, fflags, data,
    ...(errno && flags & EV.ERROR ? { dataErrno: { name: errno, number: data, message: errno } } : {}),
    ...(errno && flags & EV.EOF ? { fflagsErrno: { name: errno, number: fflags, message: errno } } : {}),
  });
  const kstep = (kevents: ReturnType<typeof k>[]) =>
    kevents_.decode(
      { ...step('poll', []), backend: 'kqueue', ret: kevents.length, observation: { kind: 'kevents', ret: kevents.length, raw: 0, kevents } },
      kq,
    );
  const READ = -1, WRITE = -2;
  assert.is(normalisedText(kstep([k(READ, EV.ADD | EV.EOF, 54, 0, 'ECONNRESET'), k(WRITE, EV.ADD | EV.EOF)])), 'readable writable read-closed hangup error');
  assert.is(normalisedText(kstep([k(READ, EV.ERROR, 0, 9, 'EBADF'), k(WRITE, EV.ERROR, 0, 9, 'EBADF')])), 'invalid');
  assert.is(normalisedText(kstep([k(WRITE, EV.ERROR, 0, 32, 'EPIPE'), k(READ, EV.EOF)])), 'readable read-closed error');
});

test('disagree() compares only what both mechanisms can express', () => {
  // select cannot say "hangup": poll's HUP is not a disagreement with it...
  assert.is(disagree(step('poll', ['IN', 'OUT', 'HUP']), step('select', ['R', 'W']), ALL, SELECT), false);
  // ...but readability is.
  assert.is(disagree(step('poll', ['OUT', 'HUP']), step('select', ['R', 'W']), ALL, SELECT), true);
  assert.is(disagree(step('poll', ['OUT']), step('epoll', ['OUT']), ALL, ALL), false);
  assert.is(disagree(step('poll', ['OUT']), undefined, ALL, ALL), false);
});

const scenarios = parseCatalogueFile(
  {
    scenarios: [
      {
        id: 'refused', title: 'connect() to a closed port', shows: 'a | pipe in the text', transport: 'tcp',
        steps: '-l clo -c pol',
        expect: [
          { on: 'linux/poll', cells: { 'c:pol#1': 'OUT HUP' }, source: 'haproxy/haproxy doc/internals/notes-poll-connect.txt:9' },
          { on: 'darwin/kqueue', cells: { 'c:pol#1': 'x' }, source: 'https://example.org/x' },
        ],
      },
      { id: 'idle', title: 'idle', shows: 'nothing', transport: 'tcp', steps: '-s pol -c pol' },
    ],
  },
  'inline.json',
  vocabularyOf(fakeBinding()),
);

const linuxBinding = () =>
  fakeBinding({
    pol: {
      poll: [{ ret: 1, raw: 0x14 }, { ret: 1, raw: 0x4 }, { ret: 1, raw: 0x4 }],
      select: [{ ret: 2, raw: 0x3 }, { ret: 1, raw: 0x2 }, { ret: 1, raw: 0x2 }],
    },
  });

test('markdown: platform header, a GFM table, escaped cells, the trace command', () => {
  const doc = fakeDocument(linuxBinding(), scenarios, ['poll', 'select']);
  const md = renderMarkdown([doc], buildMatrix([doc]));
  const lines = md.split('\n');
  assert.is(lines[0], '### pollmatrix');
  assert.match(lines[2], /^- linux 6\.1 x86_64 · libc unknown · node v20 · pollmatrix 0\.1\.0/);
  assert.ok(lines.includes('| scenario | step | poll | select |'));
  assert.ok(lines.includes('|---|---|---|---|'));
  // refused: poll says not readable, select readable: both stand out.
  assert.ok(lines.includes('| `refused` | c:pol#1 | **OUT HUP** | **R W** |'), md);
  assert.ok(lines.includes('| `idle` | s:pol#1 | OUT | W |'), md);
  assert.ok(lines.some((l) => l.includes('a \\| pipe in the text')), 'pipes escaped');
  // The steps and the command each on their own line, under their scenario.
  const at = lines.indexOf('- `refused`: connect() to a closed port. a \\| pipe in the text');
  assert.ok(at > 0, md);
  assert.equal(lines.slice(at + 1, at + 3), ['  - steps: `-l clo -c pol`', '  - reproduce: `npx pollmatrix trace -v -l clo -c pol` (add `--backend NAME`)']);
  assert.ok(lines.some((l) => /^Made with pollmatrix 0\.1\.0\. pollmatrix is not on the npm registry: .*`npm ci`/.test(l)), md);
});

test('csv and html: quoting and escaping', () => {
  const doc = fakeDocument(linuxBinding(), scenarios, ['poll', 'select']);
  const csv = renderCsv(buildMatrix([doc])).split('\r\n');
  assert.is(csv[0], 'scenario,title,steps,step,os,kernel,arch,backend,column,cell,differs,row_differs');
  // A steps cell starts with -, which a spreadsheet reads as a formula: ' first (OWASP).
  assert.is(csv[1], `refused,connect() to a closed port,"'-l clo -c pol",c:pol#1,linux,6.1,x86_64,poll,poll,OUT HUP,true,true`);
  assert.is(csv[2], `refused,connect() to a closed port,"'-l clo -c pol",c:pol#1,linux,6.1,x86_64,select,select,R W,true,true`);
  assert.is(csv[3], `idle,idle,"'-s pol -c pol",s:pol#1,linux,6.1,x86_64,poll,poll,OUT,false,false`);
  const html = renderHtml([doc], buildMatrix([doc]));
  assert.match(html, /<td class="cell differs" data-backend="poll" [^>]*><span class="mark">◆<\/span>OUT HUP<\/td>/);
  assert.match(html, /a \| pipe in the text/);
});

test('run --format json: the result document', () => {
  const got = cli(['run', '--format', 'json', '--scenario', 'seed-connect-refused'], fakeBinding());
  assert.is(got.code, 0, got.err);
  const doc = JSON.parse(got.out);
  assert.is(doc.schemaVersion, SCHEMA_VERSION);
  assert.is(doc.platform.os, process.platform);
  assert.ok(typeof doc.platform.date === 'string');
  assert.equal(doc.backends, ['poll', 'epoll', 'select']);
  assert.equal(doc.mechanisms.find((m: { name: string }) => m.name === 'kqueue'), {
    name: 'kqueue', asks: 'kevent()', available: false, reason: 'not on this fake OS', observes: 'kevents', persistent: false,
    // Not compiled on Linux, where the recording was made: what it can
    // express depends on the OS that compiles it.
    expresses: [],
  });
  assert.equal(doc.scenarios.map((s: { id: string }) => s.id), ['seed-connect-refused']);
  assert.equal(Object.keys(doc.scenarios[0].runs), ['poll', 'epoll', 'select']);
});

test('--only-diff keeps the rows where mechanisms disagree', () => {
  const doc = fakeDocument(linuxBinding(), scenarios, ['poll', 'select']);
  assert.equal(buildMatrix([doc], { onlyDiff: true }).rows.map((r) => r.scenario.id), ['refused']);
  assert.equal(buildMatrix([doc], { view: 'normalised' }).rows[0].cells.map((c) => c.text), ['writable read-closed hangup', 'readable writable']);
});

function writeDocs() {
  const dir = scratchDir('pollmatrix-matrix-');
  const linux = fakeDocument(linuxBinding(), scenarios, ['poll', 'select'], 'linux', '6.18');
  const darwin = fakeDocument(fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x15 }] } }), [scenarios[0]], ['poll'], 'darwin', '24.1');
  const files = { linux: path.join(dir, 'linux.json'), darwin: path.join(dir, 'darwin.json'), dir };
  writeFileSync(files.linux, JSON.stringify(linux));
  writeFileSync(files.darwin, JSON.stringify(darwin));
  return files;
}

test('merge: one table whose columns are os × backend', () => {
  const files = writeDocs();
  const got = cli(['merge', '--format', 'csv', files.linux, files.darwin]);
  assert.is(got.code, 0, got.err);
  const lines = got.out.split('\r\n').map((l) => l.split(','));
  const pick = (l: string[]) => [l[0], l[4], l[5], l[7], l[8], l[9]].join('|');
  assert.equal(lines.slice(1, 7).map(pick), [
    'refused|linux|6.18|poll|linux 6.18 / poll|OUT HUP',
    'refused|linux|6.18|select|linux 6.18 / select|R W',
    'refused|darwin|24.1|poll|darwin 24.1 / poll|IN OUT HUP',
    'idle|linux|6.18|poll|linux 6.18 / poll|OUT',
    'idle|linux|6.18|select|linux 6.18 / select|W',
    'idle|darwin|24.1|poll|darwin 24.1 / poll|not measured', // darwin never ran it
  ]);
  const md = cli(['merge', '--format', 'markdown', '--only-diff', files.linux, files.darwin]);
  assert.match(md.out, /^- #1 linux 6\.18 .*\n- #2 darwin 24\.1 /m);
  assert.not.match(md.out, /`idle`/);
  const json = JSON.parse(cli(['merge', '--format', 'json', files.linux, files.darwin]).out);
  assert.equal(json.columns.map((c: { label: string }) => c.label), ['linux 6.18 / poll', 'linux 6.18 / select', 'darwin 24.1 / poll']);
});

test('a kernel that is not the machine\'s own says how it was measured, in every rendering; a transport it cannot measure says why', () => {
  const linux = fakeDocument(linuxBinding(), scenarios, ['poll'], 'linux', '6.18');
  const rump = {
    ...fakeDocument(linuxBinding(), scenarios, ['poll'], 'netbsd', '7.99.34'),
    transportsNotMeasured: { pty: 'no pty in a rump kernel' },
  };
  rump.platform = { ...rump.platform, measuredIn: 'rump kernel: NetBSD kernel code of 2016-07-28, in a process on linux 6.18.44' };
  const matrix = buildMatrix([linux, rump]);
  // The column label keeps "rump kernel": it never reads like a NetBSD machine's.
  assert.equal(matrix.columns.map((c) => c.label), ['linux 6.18 / poll', 'netbsd (rump kernel) 7.99 / poll']);
  const md = renderMarkdown([linux, rump], matrix);
  assert.match(md, /^- #2 netbsd 7\.99\.34 x86_64 · rump kernel: NetBSD kernel code of 2016-07-28, in a process on linux 6\.18\.44 · /m);
  assert.match(md, /^- #2 pty: not measured: no pty in a rump kernel$/m);
  assert.match(renderHtml([linux, rump], matrix), /<li>#2 netbsd 7\.99\.34 x86_64 · rump kernel: NetBSD kernel code of 2016-07-28/);
  assert.match(renderCsv(matrix), /,netbsd,7\.99\.34,x86_64,poll,netbsd \(rump kernel\) 7\.99 \/ poll,/);
  const dir = scratchDir('pollmatrix-matrix-');
  const file = path.join(dir, 'rump.json');
  writeFileSync(file, JSON.stringify(rump));
  const table = cli(['merge', file]);
  assert.is(table.code, 0, table.err);
  assert.match(table.out, /^netbsd 7\.99\.34 x86_64 · rump kernel: NetBSD kernel code of 2016-07-28/m);
  assert.match(table.out, /^pty: not measured: no pty in a rump kernel$/m);
  const merged = JSON.parse(cli(['merge', '--format', 'json', file]).out);
  assert.equal(merged.documents[0].transportsNotMeasured, { pty: 'no pty in a rump kernel' });
  assert.match(merged.columns[0].measuredIn, /^rump kernel: /);
});

test('run: the scenarios of a transport the kernel cannot measure are not run; the document says why', () => {
  const real = fakeBinding();
  const binding = { ...real, transports: () => real.transports().map((t) => (t.name === 'pty' ? { ...t, available: false, reason: 'no pty in this kernel' } : t)) };
  const got = cli(['run', '--format', 'json', '--scenario', 'pty-*', '--scenario', 'seed-connect-refused'], binding);
  assert.is(got.code, 0, got.err);
  const doc = JSON.parse(got.out);
  assert.equal(doc.scenarios.map((s: { id: string }) => s.id), ['seed-connect-refused']);
  assert.equal(doc.transportsNotMeasured, { pty: 'no pty in this kernel' });
  // Without one, the field is absent.
  assert.is(JSON.parse(cli(['run', '--format', 'json', '--scenario', 'seed-connect-refused'], real).out).transportsNotMeasured, undefined);
});

test('merge: bad files give one line and exit 2', () => {
  const files = writeDocs();
  const broken = path.join(files.dir, 'broken.json');
  writeFileSync(broken, '{"tool": "pollmatrix", ');
  const old = path.join(files.dir, 'old.json');
  writeFileSync(old, JSON.stringify({ tool: 'pollmatrix', schemaVersion: 99, platform: { os: 'x', kernel: '1' }, backends: [], scenarios: [] }));
  const cases: Array<[string[], RegExp]> = [
    [[broken], /broken\.json: not valid JSON: /],
    [[old], /old\.json: schema version 99 is not the one this pollmatrix reads \(2\)/],
    [[path.join(files.dir, 'missing.json')], /missing\.json: cannot read it \(ENOENT\)/],
    [[files.linux, '{}'], /\{\}: cannot read it/],
    [[], /merge needs at least one result file/],
  ];
  for (const [args, message] of cases) {
    const got = cli(['merge', ...args]);
    assert.is(got.code, 2, got.err);
    assert.is(got.err.split('\n').length, 2, got.err);
    assert.match(got.err, message);
  }
});

test('--check: expectations for this OS are checked, others are not applicable', () => {
  const doc = fakeDocument(linuxBinding(), scenarios, ['poll', 'select']);
  const report = checkDocument(scenarios, doc);
  assert.is(report.met, 1);
  assert.equal(report.mismatches, []);
  assert.equal(report.backends.map((b) => [b.backend, b.met, b.notMet]), [['poll', 1, 0], ['select', 0, 0]]);
  const wrong = fakeDocument(fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x4 }] } }), scenarios, ['poll']);
  assert.equal(
    checkDocument(scenarios, wrong).mismatches.map((m) => [m.scenario, m.expectation.on, m.step, m.expected, m.got]),
    [['refused', 'linux/poll', 'c:pol#1', 'OUT HUP', 'OUT']],
  );
});

(process.platform === 'linux' ? test : test.skip)('run --check exits 1 and lists expected | got | source on a mismatch (the seed expects Linux)', () => {
  // The fake's poll answers 0 to everything, so the seed expectations fail.
  const got = cli(['run', '--check', '--backend', 'poll', '--scenario', 'seed-connect-refused'], fakeBinding());
  assert.is(got.code, 1);
  assert.ok(
    got.err.includes('| seed-connect-refused | c:pol#1 | linux/poll | OUT HUP | - | haproxy/haproxy doc/internals/notes-poll-connect.txt:9 |'),
    got.err,
  );
  assert.match(got.err, /summary: 0 met \(0 from literature\), 1 not met/);
});

test('colour only on a colour terminal, never with NO_COLOR, never in a file', () => {
  assert.is(wantColour(true, {}), true);
  assert.is(wantColour(true, { NO_COLOR: '1' }), false);
  assert.is(wantColour(true, { NO_COLOR: '' }), true);
  assert.is(wantColour(false, {}), false);
  assert.is(wantColour(undefined, {}), false);
  const binding = () => fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x14 }], select: [{ ret: 2, raw: 0x3 }] } });
  const args = ['run', '--repeat', '1', '--backend', 'poll', '--backend', 'select', '--scenario', 'seed-connect-refused'];
  let out = '';
  const io = (colour: boolean) => ({ out: (t: string) => void (out = t), err: () => undefined, colour });
  main(args, io(true), binding);
  assert.match(out, /\u001b\[1;33mOUT HUP\u001b\[0m/); // the differing cells stand out
  main(args, io(false), binding);
  assert.not.match(out, /\u001b\[/);
  assert.match(out, /│ OUT HUP \* │ R W \*  ║/);
  const file = path.join(scratchDir('pollmatrix-matrix-'), 'table.txt');
  main([...args, '-o', file], io(true), binding);
  assert.not.match(readFileSync(file, 'utf8'), /\u001b\[/);
});

test('a cell that changes between repeated runs says it is unstable, with what was seen', () => {
  // poll answers OUT HUP, then OUT, then OUT HUP: three runs of 'refused'.
  const binding = fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x14 }, { ret: 1, raw: 0x4 }, { ret: 1, raw: 0x14 }] } });
  const doc = fakeDocument(binding, [scenarios[0]], ['poll'], 'linux', '6.1', 3);
  assert.is(doc.repeat, 3);
  assert.equal(doc.scenarios[0].runs.poll.unstable, [{ cmd: 2, stp: 1, seen: [{ text: 'OUT HUP', count: 2 }, { text: 'OUT', count: 1 }] }]);
  const matrix = buildMatrix([doc]);
  assert.is(matrix.rows[0].cells[0].text, 'unstable: OUT HUP (2/3) | OUT (1/3)');
  // An expectation is not met by an unstable cell, even by its majority.
  assert.equal(checkDocument([scenarios[0]], doc).mismatches.map((m) => m.got), ['unstable: OUT HUP (2/3) | OUT (1/3)']);
  // A stable one is not marked.
  const stable = fakeDocument(fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x14 }, { ret: 1, raw: 0x14 }] } }), [scenarios[0]], ['poll'], 'linux', '6.1', 2);
  assert.is(stable.scenarios[0].runs.poll.unstable, undefined);
});

test('run --repeat: a whole number from 1 to 1,000,000; --jobs from 1 to 64', () => {
  assert.is(JSON.parse(cli(['run', '--format', 'json', '--repeat', '5', '--scenario', 'seed-connect-refused'], fakeBinding()).out).repeat, 5);
  for (const [args, message] of [
    [['--repeat', '0'], /--repeat takes a whole number from 1 to 1000000, got '0'/],
    [['--repeat', '1000001'], /--repeat takes a whole number from 1 to 1000000, got '1000001'/],
    [['--jobs', '0'], /--jobs takes a whole number from 1 to 64, got '0'/],
    [['--jobs', 'x'], /--jobs takes a whole number from 1 to 64, got 'x'/],
  ] as const) {
    const bad = cli(['run', ...args], fakeBinding());
    assert.is(bad.code, 2);
    assert.match(bad.err, message);
  }
});

test('kqueue asked only OUT cannot say hangup or read-closed: its silence is not a difference (issue 16)', () => {
  // A peer's RST, asked with OUT only: poll reports HUP unasked; kqueue has
  // only EVFILT_WRITE registered, so no EV_EOF on a read filter can come.
  const [outOnly] = parseCatalogueFile(
    { scenarios: [{ id: 'rst-out', title: 't', shows: 's', transport: 'tcp', interest: 'OUT', steps: '-s lin,clo -c pol' }] },
    'inline.json',
    vocabularyOf(fakeBinding()),
  );
  const linux = fakeDocument(fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x14 }] } }), [outOnly], ['poll']);
  const writable = { ident: 4, filter: -2, flags: EV.ADD, fflags: 0, data: 1024 };
  const mac = fakeDocument(fakeBinding({ kqueue: macosTables, pol: { kqueue: [{ ret: 1, kevents: [writable] }] } }), [outOnly], ['kqueue'], 'darwin', '24.1.0');
  const [row] = buildMatrix([linux, mac], { view: 'normalised' }).rows;
  assert.equal(row.cells.map((c) => c.text), ['writable read-closed hangup', 'writable']);
  assert.is(row.differs, false, 'hangup and read-closed are unsaid by kqueue without a read filter');
  // The same kevent list for a scenario that asks IN and OUT is a real difference.
  const both = { ...outOnly, interest: undefined };
  const linux2 = fakeDocument(fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x14 }] } }), [both], ['poll']);
  const mac2 = fakeDocument(fakeBinding({ kqueue: macosTables, pol: { kqueue: [{ ret: 1, kevents: [writable] }] } }), [both], ['kqueue'], 'darwin', '24.1.0');
  assert.is(buildMatrix([linux2, mac2], { view: 'normalised' }).rows[0].differs, true);
});

test('kqueue: a kevent for another ident is counted in ret, not shown as an event, and the cell and trace say so (issue 16)', () => {
  const [sc] = parseCatalogueFile(
    { scenarios: [{ id: 'foreign', title: 't', shows: 's', transport: 'tcp', steps: '-c pol,pol,pol' }] },
    'inline.json',
    vocabularyOf(fakeBinding()),
  );
  const writable = { ident: 4, filter: -2, flags: EV.ADD, fflags: 0, data: 1024 };
  const binding = fakeBinding({
    kqueue: macosTables,
    pol: { kqueue: [{ ret: 1, ignored: 1 }, { ret: 3, kevents: [writable], ignored: 2 }, { ret: 1, kevents: [writable] }] },
  } as never);
  const doc = fakeDocument(binding, [sc], ['kqueue'], 'darwin', '24.1.0');
  const rows = buildMatrix([doc]).rows;
  assert.equal(rows.map((r) => r.cells[0].text), ['- (+1 for another ident, ignored)', 'WRITE (+2 for other idents, ignored)', 'WRITE']);
  // The document keeps the count, and survives its own schema.
  assert.is((parseDocumentText(JSON.stringify(doc), 'doc.json') as typeof doc).scenarios[0].runs.kqueue.steps[0].observation?.ignored, 1);
  const step = doc.scenarios[0].runs.kqueue.steps[0];
  assert.is(traceLine(step, 1000), 'cmd #1 stp #1: pol(c=4): ret=1 ev=0 [+1 for another ident, ignored]');
});

test.run();
