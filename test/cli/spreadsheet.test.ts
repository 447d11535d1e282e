// Issue 18: a CSV made from hostile documents, opened by a real spreadsheet
// (LibreOffice Calc, headless, Debian's libreoffice-calc-nogui) with formula
// evaluation on, holds no formula: every payload, and every `steps` cell
// (which starts with `-`), is text. A control file converted in the same run
// shows that the spreadsheet does evaluate a formula it is given.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { render } from '../../src/index.js';
import { linuxDocument, PAYLOADS } from '../hostile.js';
import { scratchDir } from '../helpers.js';

const SOFFICE = '/usr/bin/soffice';
const present = existsSync(SOFFICE);
if (!present && process.env.CI === 'true') throw new Error(`${SOFFICE} is missing under CI=true: .ci/run installs libreoffice-calc-nogui`);

/** One document per payload, the payload in every field the CSV shows. */
function hostileCsv(): string {
  const documents = Object.values(PAYLOADS).map((payload, i) => {
    const doc = linuxDocument();
    doc.platform = { ...doc.platform, os: payload, kernel: payload, arch: `${payload}${i}` };
    doc.scenarios = doc.scenarios.slice(0, 1);
    const s = doc.scenarios[0];
    Object.assign(s, { id: payload, title: payload });
    s.runs.epoll.unstable[0].seen[1].text = payload;
    return doc;
  });
  return render(documents, { format: 'csv' });
}

(present ? test : test.skip)(
  `LibreOffice Calc, formulas evaluated, finds no formula in a CSV of hostile documents${present ? '' : ` (skipped: ${SOFFICE} is not installed; apt-get install libreoffice-calc-nogui)`}`,
  () => {
    const dir = scratchDir('pollmatrix-calc-');
    try {
      const csv = hostileCsv();
      writeFileSync(path.join(dir, 'report.csv'), csv);
      writeFileSync(path.join(dir, 'control.csv'), 'a,b\r\n=1+2,x;=3+4\r\n');
      // Comma (then semicolon, as Excel reads a CSV in much of Europe), double
      // quote, UTF-8, from line 1, ..., token 13: evaluate formulas (as Excel
      // does). A profile of its own, so no other soffice interferes.
      for (const separator of [44, 59]) {
        const out = path.join(dir, String(separator));
        const got = spawnSync(
          SOFFICE,
          [
            `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
            '--headless',
            `--infilter=CSV:${separator},34,76,1,,0,false,true,false,false,false,-1,true`,
            '--convert-to',
            'fods',
            '--outdir',
            out,
            path.join(dir, 'control.csv'),
            path.join(dir, 'report.csv'),
          ],
          { encoding: 'utf8', timeout: 180_000 },
        );
        assert.is(got.status, 0, got.stderr);
        const control = readFileSync(path.join(out, 'control.fods'), 'utf8');
        assert.ok((control.match(/table:formula=/g)?.length ?? 0) >= 1, `separator ${separator}, the control file: Calc evaluates what it is given`);
        const report = readFileSync(path.join(out, 'report.fods'), 'utf8');
        assert.equal(report.match(/table:formula="[^"]*"/g) ?? [], [], `separator ${separator}: formulas in the converted report`);
        if (separator !== 44) continue;
        // Every line made it, as text: steps cells and payloads behind their '.
        const rows = csv.trimEnd().split('\r\n').length;
        assert.is(report.match(/<table:table-row[ >]/g)?.length ?? 0, rows, 'one spreadsheet row per CSV line');
        assert.ok(report.includes('<text:p>&apos;-l clo -c pol</text:p>'), 'a steps cell is text');
        assert.ok(report.includes('<text:p>&apos;=HYPERLINK'), 'the = payload is text');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test.run();
