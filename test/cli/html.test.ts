// Issue 9, "An HTML report worth opening": the report opened in a real
// headless browser (Debian's chromium, driven by playwright-core), its
// filters used, and a screenshot taken (under the OS temp folder).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, scratchDir } from '../helpers.js';
import { addReadable, recordedSample } from '../recorded.js';
import { FORBIDDEN, PAYLOADS } from '../hostile.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
// CI installs chromium (.ci/run); there the test must run, never skip.
if (!present && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing under CI=true: .ci/run installs it`);
const title = `the HTML report in headless chromium: titles and steps visible, sticky header, marked differences, working filters${present ? '' : ` (skipped: ${CHROMIUM} is not installed; apt-get install chromium)`}`;

const dir = scratchDir('pollmatrix-html-');

function report(): string {
  const real = recordedSample();
  const other = structuredClone(real);
  other.platform.os = 'freebsd';
  other.platform.kernel = '14.2-RELEASE';
  // Machines that answer alike in all but a few scenarios.
  addReadable(other, 5);
  // A scenario only the second machine ran, on another transport, whose title
  // carries markup: a document from elsewhere must stay text.
  const unix = other.scenarios.find((s: { transport: string }) => s.transport === 'unix');
  other.scenarios.push({ ...structuredClone(unix), id: 'unix-only', title: '<img src=x onerror=alert(1)> title' });
  // Every hostile payload (test/hostile.ts) in the free-text fields a page shows.
  const payloads = Object.values(PAYLOADS).join(' ');
  Object.assign(other.scenarios[other.scenarios.length - 1], { shows: `shows ${payloads}` });
  other.scenarios.push({ ...structuredClone(unix), id: 'hostile', title: `hostile ${payloads}`, shows: payloads });
  const a = path.join(dir, 'a.json');
  const b = path.join(dir, 'b.json');
  writeFileSync(a, JSON.stringify(real));
  writeFileSync(b, JSON.stringify(other));
  const file = path.join(dir, 'report.html');
  const got = cli(['merge', '--format', 'html', '-o', file, a, b]);
  assert.is(got.code, 0, got.err);
  return file;
}

/** A merge of four machines (two OSes, two archs), as HTML. */
function fourMachines(): string {
  const files = ['linux 6.18.44 x86_64', 'linux 6.1.0 aarch64', 'freebsd 14.2-RELEASE amd64', 'netbsd 10.0 evbarm'].map((machine, i) => {
    const doc = recordedSample();
    [doc.platform.os, doc.platform.kernel, doc.platform.arch] = machine.split(' ');
    if (i > 0) addReadable(doc, i);
    // The widest cells a merge has: kevents and unstable answers, in one row.
    const run = doc.scenarios[0].runs.poll;
    const pol = run.steps.find((t: { action: string; implicit: boolean }) => t.action === 'pol' && !t.implicit);
    run.unstable = [{ cmd: pol.cmd, stp: pol.stp, seen: [{ text: 'READ EOF(ECONNRESET), WRITE EOF', count: 2 }, { text: `READ EOF(ECONNRESET) #${i}`, count: 1 }] }];
    const file = path.join(dir, `four-${i}.json`);
    writeFileSync(file, JSON.stringify(doc));
    return file;
  });
  const file = path.join(dir, 'four.html');
  const got = cli(['merge', '--format', 'html', '-o', file, ...files]);
  assert.is(got.code, 0, got.err);
  return file;
}

(present ? test : test.skip)(title, async () => {
  const file = report();
  const html = readFileSync(file, 'utf8');
  // (Payloads carry URLs as text; no tag or attribute may load one.)
  assert.not.match(html, /<(link|img|script|iframe)[^>]*\s(src|href)=|\s(src|href)=["']?https?:/, 'self-contained: no external resource');
  const { chromium } = await import('playwright-core');
  // A fresh profile each time (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(scratchDir('pollmatrix-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  try {
    const page = await browser.newPage();
    // Offline: any request leaving the page fails the test.
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    let alerted = false;
    page.on('dialog', async (d) => {
      alerted = true;
      await d.dismiss();
    });
    await page.goto(`file://${file}`);
    const count = () => page.locator('#count').textContent();
    const visibleRows = () => page.locator('tr.step:visible').count();
    const total = await page.locator('tr.step').count();
    assert.ok(total > 50);
    assert.is(await count(), `${total} of ${total} rows shown`);
    // Titles and steps are visible, not hidden in a tooltip.
    await page.getByText('connect() to a closed port', { exact: false }).first().waitFor({ state: 'visible' });
    assert.ok(await page.locator('tbody.scenario th code', { hasText: '-l clo -c pol' }).first().isVisible());
    // A difference is a symbol as well as a colour.
    const marked = page.locator('td.differs');
    assert.ok((await marked.count()) > 0);
    assert.match((await marked.first().textContent()) ?? '', /^◆/);
    // The header stays on screen while scrolling.
    await page.mouse.wheel(0, 3000);
    await page.waitForTimeout(100);
    const headerTop = await page.locator('thead th').first().evaluate((th) => th.getBoundingClientRect().top);
    assert.ok(Math.abs(headerTop) < 2, `header at ${headerTop}px`);
    await page.screenshot({ path: path.join(dir, 'scrolled.png') });
    await page.mouse.wheel(0, -3000);
    // Differences only.
    await page.locator('#only-diff').check();
    const differing = await visibleRows();
    assert.ok(differing > 0 && differing < total, `${differing} of ${total}`);
    assert.is(await page.locator('tr.step[data-differs="0"]:visible').count(), 0);
    assert.is(await count(), `${differing} of ${total} rows shown`);
    await page.locator('#only-diff').uncheck();
    // By transport: only unix ticked leaves the unix scenarios.
    const others = page.locator('input[name=transport]:not([value=unix])');
    assert.ok((await others.count()) > 1, 'several transports to filter');
    for (const box of await others.all()) await box.uncheck();
    const unix = await page.locator('tbody.scenario[data-transport="unix"]').count();
    assert.ok(unix > 0);
    assert.is(await page.locator('tbody.scenario:visible').count(), unix);
    assert.is(await page.locator('tbody.scenario:visible:not([data-transport="unix"])').count(), 0);
    for (const box of await others.all()) await box.check();
    // By backend: unticking select hides select's rows for both machines.
    const selectCells = page.locator('[data-backend="select"]:visible');
    assert.ok((await selectCells.count()) > 0);
    await page.locator('input[name=backend][value=select]').uncheck();
    assert.is(await selectCells.count(), 0);
    assert.ok((await page.locator('[data-backend="poll"]:visible').count()) > 0);
    await page.locator('input[name=backend][value=select]').check();
    await page.screenshot({ path: path.join(dir, 'report.png') });
    assert.is(alerted, false, 'markup from a document ran');
    // Markup from a document stays text: no element it could have made, and
    // its control and bidi characters shown as escapes.
    assert.is(await page.locator('body img, body svg, body b, body a, body iframe').count(), 0, 'an element from a document');
    assert.is(await page.locator('script').count(), 1, "the page's own script only");
    const hostile = (await page.locator('tbody.scenario tr.title th', { has: page.locator('code', { hasText: /^hostile$/ }) }).textContent()) ?? '';
    assert.ok(hostile.includes('hostile') && hostile.includes('\\x1b]0;pwned\\x07') && hostile.includes('\\u202e'), hostile);
    assert.not.ok(FORBIDDEN.test((await page.locator('body').textContent()) ?? ''), 'a raw control or bidi character on the page');
    // Side by side: the machines are columns of one row per mechanism, and
    // the scenarios where they differ come first.
    assert.equal(await page.locator('thead th').allTextContents(), ['step', 'mechanism', 'linux 6.18', 'freebsd 14.2']);
    assert.is(await page.locator('tbody.scenario').first().locator('tr.step[data-differs="1"]').count() > 0, true);
    // Four machines fit a 1400 px window: no sideways scrolling.
    await page.goto(`file://${fourMachines()}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1400, `four machines are ${width} px wide`);
    assert.is(await page.locator('thead th').count(), 6);
    await page.screenshot({ path: path.join(dir, 'four.png') });
    assert.equal(requests, []);
  } finally {
    await browser.close();
  }
});

test.run();
