// README's "What the literature says" is generated from the catalogue's
// expectations (scripts/literature.ts); it must be in step with them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BEGIN, END, literatureSection, withLiterature } from '../../scripts/literature.js';
import { loadBinding } from '../../src/native/binding.js';
import { loadCatalogue } from '../../src/model/catalogue.js';
import { packageRoot } from '../../src/model/package-root.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';

const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
const catalogue = loadCatalogue(path.join(packageRoot, 'matrix'), vocabularyOf(loadBinding()));

test('README holds the generated section exactly (npm run literature rewrites it)', () => {
  assert.ok(readme.includes(BEGIN) && readme.includes(END), 'markers missing: npm run literature');
  assert.is(withLiterature(readme, literatureSection(catalogue)), readme, 'README.md is out of step: npm run literature');
});

test('one table per OS with a source on every row; measured cells are counted, not listed', () => {
  const section = literatureSection(catalogue);
  const tables = section.split('\n').filter((l) => l.startsWith('### '));
  assert.ok(tables.length >= 3, tables.join(', '));
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  for (const row of rows) assert.match(row, /\| (<https?:\/\/[^>]+>|`[\w.-]+\/[\w.-]+ \S+:\d+`) \|/);
  assert.not.match(section, /measured: linux \d/);
  const literatureCells = catalogue.flatMap((s) => s.expect).filter((e) => !e.source.startsWith('measured:'));
  assert.is(rows.length, literatureCells.reduce((n, e) => n + Object.keys(e.cells).length, 0));
});

test('a catalogue change shows up as a README that is out of step', () => {
  const changed = catalogue.map((s, i) => (i === 0 ? { ...s, expect: s.expect.slice(1) } : s));
  assert.is.not(withLiterature(readme, literatureSection(changed)), readme);
});

test.run();
