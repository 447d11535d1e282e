// Issue 18, "Documents from anyone, safely": every payload of test/hostile.ts
// in every string field of a document, through `merge` in every format and
// through `check`. A document is refused (one line, exit 2, nothing a
// terminal obeys in it) or rendered with nothing raw a terminal, a
// spreadsheet, a Markdown renderer or a browser would obey. Markdown is
// rendered by cmark-gfm (Debian's, as GitHub's renderer is built on it):
// every row of every table has as many cells as its header, and no tag but
// the report's own. The spreadsheet (LibreOffice) and the browser (chromium)
// have their own tests: spreadsheet.test.ts and html.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.js';
import { FORMATS, renderDocuments, type Format } from '../../src/present/render/index.js';
import { darwinDocument, FIELDS, FORBIDDEN, hostile, linuxDocument, parseCsv, PAYLOADS } from '../hostile.js';
import { CSV_HEADER } from '../../src/present/render/csv.js';
import { render } from '../../src/index.js';
import { loadCatalogue } from '../../src/model/catalogue.js';
import { parseDocumentText, resultDocuments } from '../../src/model/document.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';
import { checkDocument, checkReportLines } from '../../src/run/check.js';
import { catalogueDir } from '../../src/run/run-matrix.js';
import { fakeBinding } from '../fake-binding.js';
import { scratchDir } from '../helpers.js';

const CMARK = '/usr/bin/cmark-gfm';
const haveCmark = existsSync(CMARK);
if (!haveCmark && process.env.CI === 'true') throw new Error(`${CMARK} is missing under CI=true: .ci/run installs it`);

function run(argv: string[], stdin: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), readStdin: () => stdin });
  return { code, out, err };
}

/** The tags the Markdown report makes itself, once rendered. */
const MARKDOWN_TAGS = new Set(['h3', 'h4', 'ul', 'li', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'strong']);
/** The tags the HTML report makes itself. */
const HTML_TAGS = new Set('html head meta title style body h1 ul li p form fieldset legend label input span table thead tbody tr th td code strong br script'.split(' '));

const tags = (html: string) => [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase());

/** Every table of cmark-gfm's HTML: each row's cell count. */
function tableShapes(html: string): number[][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) => [...t[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => (r[1].match(/<t[hd][ >]/g) ?? []).length));
}

/** The terminal table: within one table every line is as wide as its first. */
function tableIsRectangular(text: string): string | undefined {
  let width: number | undefined;
  for (const line of text.split('\n')) {
    if (!/^[╔║╟╚]/.test(line)) {
      width = undefined;
      continue;
    }
    const w = [...line].length;
    if (line.startsWith('╔')) width = w;
    else if (w !== width) return line;
  }
  return undefined;
}

/** What every output of an accepted document must hold, per format. */
function checkOutput(format: string, out: string, label: string): void {
  const raw = out.replace(/\u001b\[[0-9;]*m/g, '');
  assert.not.ok(FORBIDDEN.test(raw), `${label}: a raw control, bidi or invisible character: ${JSON.stringify(raw.match(FORBIDDEN)?.[0])}`);
  if (format === 'table') assert.is(tableIsRectangular(out), undefined, `${label}: a table line of another width`);
  if (format === 'csv') {
    const records = parseCsv(out);
    // An interrupted document adds a last column, `interrupted`.
    assert.equal(records[0].slice(0, CSV_HEADER.length), CSV_HEADER, label);
    for (const record of records) {
      assert.is(record.length, records[0].length, `${label}: ${JSON.stringify(record)}`);
      for (const cell of record) assert.ok(cell === '-' || !/^[=+\-@\t\r]/.test(cell), `${label}: formula-like cell ${JSON.stringify(cell)}`);
    }
    // Read with `;` as the separator (as Excel does in much of Europe), no piece starts a formula either.
    for (const line of out.split('\r\n')) {
      for (const piece of line.split(';').slice(1)) assert.not.match(piece, /^[\s"]*[=+\-@]/, `${label}: a formula after a ';' in ${JSON.stringify(line)}`);
    }
  }
  if (format === 'html') {
    const foreign = tags(out).filter((t) => !HTML_TAGS.has(t));
    assert.equal(foreign, [], `${label}: tags the report does not make`);
    assert.is(out.match(/<script/g)?.length, 1, `${label}: one script, the report's own`);
  }
  if (format === 'json') JSON.parse(out);
}

const formats = FORMATS as string[];
const catalogue = loadCatalogue(catalogueDir, vocabularyOf(fakeBinding()));
const counts = { accepted: 0, refused: 0, documents: 0 };

test('every payload in every string field: refused in one clean line, or inert in every format and in check', () => {
  const plain = JSON.stringify(darwinDocument());
  const plainDarwinDoc = darwinDocument();
  const plainLinuxDoc = linuxDocument();
  const dir = scratchDir('pollmatrix-hostile-');
  const plainDarwin = path.join(dir, 'darwin.json');
  const plainLinux = path.join(dir, 'linux.json');
  writeFileSync(plainDarwin, plain);
  writeFileSync(plainLinux, JSON.stringify(linuxDocument()));
  const markdownBatches: Array<{ label: string; markdown: string }> = [];
  for (const field of FIELDS) {
    for (const [name, payload] of Object.entries(PAYLOADS)) {
      const label = `${field.field} = ${name}`;
      const text = JSON.stringify(hostile(field, payload));
      counts.documents++;
      // The command line, merged with the other OS's plain document (so that
      // platform fields reach the column labels) ...
      const got = run(['merge', '-', field.doc === 'linux' ? plainDarwin : plainLinux], text);
      if (got.code === 2) {
        counts.refused++;
        assert.is(got.err.split('\n').length, 2, `${label}: ${got.err}`);
        assert.not.ok(FORBIDDEN.test(got.err.slice(0, -1)), `${label}: raw character in ${JSON.stringify(got.err)}`);
        continue;
      }
      assert.is(got.code, 0, `${label}: ${got.err}`);
      counts.accepted++;
      // ... then every other format from the same documents (what merge --format does).
      const documents = [...resultDocuments(parseDocumentText(text, 'stdin')), field.doc === 'linux' ? plainDarwinDoc : plainLinuxDoc];
      const outputs: Record<string, string> = { table: got.out };
      for (const format of formats.filter((f) => f !== 'table')) outputs[format] = renderDocuments(documents, 'merge', { format: format as Format });
      for (const [format, out] of Object.entries(outputs)) checkOutput(format, out, `${label} --format ${format}`);
      markdownBatches.push({ label, markdown: outputs.markdown });
      // check's report, without loading the catalogue again for each document
      // (the command itself is run once per field below).
      for (const document of resultDocuments(parseDocumentText(text, 'stdin'))) {
        const report = checkReportLines(checkDocument(catalogue, document), `stdin ${payload}`).join('\n');
        assert.not.ok(FORBIDDEN.test(report), `${label}: check printed a raw character: ${JSON.stringify(report)}`);
      }
    }
  }
  // check itself, once per field, with every payload at once where it applies.
  for (const field of FIELDS) {
    const got = run(['check', '-'], JSON.stringify(hostile(field, Object.values(PAYLOADS).join(' '))));
    assert.ok(got.code <= 2, `check, ${field.field}: exit ${got.code}: ${got.err}`);
    for (const t of [got.out, got.err]) assert.not.ok(FORBIDDEN.test(t.replace(/\n$/, '')), `check, ${field.field}: a raw character: ${JSON.stringify(t)}`);
  }
  assert.ok(counts.accepted > 100, `accepted ${counts.accepted}: the payloads reach the renderers`);
  if (!haveCmark) return;
  // One cmark-gfm run for all: each report is a section of its own.
  const joined = markdownBatches.map((b) => b.markdown).join('\n\n* * *\n\n');
  const html = spawnSync(CMARK, ['-e', 'table', '-e', 'autolink', '-e', 'strikethrough'], { input: joined, encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.is(html.status, 0, html.stderr);
  const sections = html.stdout.split('<hr />');
  assert.is(sections.length, markdownBatches.length, 'a report ended early or ran into the next');
  sections.forEach((section, i) => {
    const { label } = markdownBatches[i];
    const foreign = tags(section).filter((t) => !MARKDOWN_TAGS.has(t));
    assert.equal(foreign, [], `${label}: markdown rendered to tags the report does not make`);
    for (const rows of tableShapes(section)) assert.ok(rows.every((n) => n === rows[0]), `${label}: rows of ${rows.join(', ')} cells`);
  });
});

test('the escapes are visible: an OSC title in a title shows as \\x1b]0;pwned\\x07; in the libc, which is ASCII words, it is refused, and render() shows it visibly', () => {
  const osc = '\u001b]0;pwned\u0007';
  const doc = linuxDocument();
  doc.scenarios[0].title = osc;
  const got = run(['merge', '--format', 'markdown', '-'], JSON.stringify(doc));
  assert.is(got.code, 0, got.err);
  assert.ok(got.out.includes('\\\\x1b\\]0;pwned\\\\x07'), got.out.split('\n').find((l) => l.includes('pwned')));
  const json = run(['merge', '--format', 'json', '-'], JSON.stringify(doc));
  assert.is(JSON.parse(json.out).documents[0].scenarios[0].title, osc, 'JSON keeps the value, escaped');
  assert.ok(json.out.includes('"title": "\\u001b]0;pwned\\u0007"'));
  const libc = linuxDocument();
  libc.platform.libc = osc;
  const refused = run(['merge', '-'], JSON.stringify(libc));
  assert.is(refused.err, 'pollmatrix: stdin: platform.libc: expected printable ASCII words, or null\n');
  assert.ok(render(libc).startsWith(`linux ${libc.platform.kernel} ${libc.platform.arch} · \\x1b]0;pwned\\x07 · `), render(libc).split('\n')[0]);
});

test('error messages quote document text and file names visibly, on one line', () => {
  const twice = linuxDocument();
  twice.scenarios[1].id = '\u001b]0;pwned\u0007\n';
  twice.scenarios[0].id = twice.scenarios[1].id;
  const cases = [
    JSON.stringify(twice),
    `{"tool": "pollmatrix", \u001b]0;pwned\u0007 \u009b31m}`,
    `\u202e{"tool"`,
  ];
  for (const text of cases) {
    const got = run(['merge', '-'], text);
    assert.is(got.code, 2, got.err);
    assert.is(got.err.split('\n').length, 2, got.err);
    assert.not.ok(FORBIDDEN.test(got.err.slice(0, -1)), JSON.stringify(got.err));
  }
  const named = run(['merge', `/nonexistent/\u001b]0;pwned\u0007.json`], '');
  assert.is(named.code, 2);
  assert.ok(named.err.includes('\\x1b]0;pwned\\x07.json'), named.err);
});

test.run();
