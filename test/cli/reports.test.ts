// Issue 9, "Reports carry their context": Markdown escapes what comes from a
// document, splits wide merges and names a reproduce command that works; the
// CSV carries the platform of each cell.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { MARKDOWN_COLUMNS, codeSpan, escapeMarkdown } from '../../src/present/render/markdown.js';
import { cli, scratchDir } from '../helpers.js';
import { recordedSample } from '../recorded.js';

const real = recordedSample();
const dir = scratchDir('pollmatrix-reports-');

function files(): [string, string] {
  const other = structuredClone(real);
  other.platform.arch = 'aarch64';
  other.scenarios[0].title = 'a <script>alert(1)</script> `tick` | pipe *star* [link](x) & co';
  const a = path.join(dir, 'x64.json');
  const b = path.join(dir, 'arm64.json');
  writeFileSync(a, JSON.stringify(real));
  writeFileSync(b, JSON.stringify(other));
  return [a, b];
}

test('escapeMarkdown and codeSpan keep any text literal', () => {
  assert.is(escapeMarkdown('a <b>|`c`* _x_ x86_64 & [l](u)\nnext'), 'a &lt;b&gt;\\|\\`c\\`\\* \\_x\\_ x86_64 &amp; \\[l\\](u) next');
  assert.is(codeSpan('a`b'), '``a`b``');
  assert.is(codeSpan('`x'), '`` `x ``');
  assert.is(codeSpan('a|b', true), '`a\\|b`');
});

test('markdown of a wide merge: split tables, escaped document text, labels by arch, a reproduce line that runs', () => {
  const [a, b] = files();
  const got = cli(['merge', '--format', 'markdown', a, b]);
  assert.is(got.code, 0, got.err);
  const md = got.out;
  const columns = real.backends.length * 2;
  const tables = md.split('\n').filter((l) => l.startsWith('| scenario | step |'));
  assert.is(tables.length, Math.ceil(columns / MARKDOWN_COLUMNS));
  for (const header of tables) assert.ok(header.split(' | ').length - 2 <= MARKDOWN_COLUMNS, header);
  assert.match(md, new RegExp(`^#### Columns 1-${MARKDOWN_COLUMNS} of ${columns}$`, 'm'));
  assert.match(md, /\| x86_64 \/ poll \|/);
  assert.match(md, /\| aarch64 \/ poll \|/);
  // The first document's scenario text is shown; make the second one's first.
  const swapped = cli(['merge', '--format', 'markdown', b, a]).out;
  assert.ok(swapped.includes('a &lt;script&gt;alert(1)&lt;/script&gt; \\`tick\\` \\| pipe \\*star\\* \\[link\\](x) &amp; co'), swapped.split('\n').find((l) => l.includes('script')));
  assert.not.match(swapped, /<script|`tick`/);
  // Each scenario's steps and command are on their own lines...
  const lines = md.split('\n');
  const at = lines.findIndex((l) => l.startsWith('- `seed-connect-refused`: '));
  assert.equal(lines.slice(at + 1, at + 3), ['  - steps: `-l clo -c pol`', '  - reproduce: `npx pollmatrix trace -v -l clo -c pol` (add `--backend NAME`)']);
  assert.match(md, /Made with pollmatrix 0\.1\.0\. pollmatrix is not on the npm registry: .*`npm ci`/);
  // ...and the command runs: here, through the same CLI.
  const command = lines[at + 2].match(/`npx pollmatrix (trace [^`]*)`/)![1].split(' ');
  const traced = cli(command, loadBinding());
  assert.is(traced.code, 0, traced.err);
  assert.match(traced.out, /^#### BEGIN ####\ncmd #1 stp #1: clo\(l=3\): ret=0\n/);
});

test('csv: the platform of every cell, and whether it differs', () => {
  const [a, b] = files();
  const rows = cli(['merge', '--format', 'csv', a, b]).out.trimEnd().split('\r\n');
  assert.is(rows[0], 'scenario,title,steps,step,os,kernel,arch,backend,column,cell,differs,row_differs');
  const refused = rows.filter((r) => r.startsWith('seed-connect-refused,'));
  assert.is(refused.length, real.backends.length * 2);
  assert.ok(refused.some((r) => r.includes(`,linux,${real.platform.kernel},aarch64,select,aarch64 / select,R W,true,true`)), refused.join('\n'));
  assert.ok(refused.some((r) => r.includes(',x86_64,poll,x86_64 / poll,OUT HUP,false,true')));
});

test.run();
