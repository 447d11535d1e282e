// `--descriptor-table private|shared` (issue 16): the scenarios run on
// workers of the pool the option picks (native/workers/worker.h), the
// backends are probed there, and the platform line says which was used.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocumentText, runMatrix, type ResultDocument } from '../../src/index.js';
import { buildMatrix } from '../../src/present/matrix.js';
import { cli } from '../helpers.js';

// TCP (with its implicit connect and accept), a FIFO, a socketpair and a
// pipe: a handful of transports, through a mechanism that asks afresh and
// one that keeps a registration.
const scenarios = ['seed-*', 'fifo-writer-came-and-went', 'ful-socketpair-peer-closes', 'ful-pipe-default-interest', 'ev0-tcp-rst'];
const args = ['run', '--format', 'json', '--repeat', '2', '--backend', 'poll', '--backend', 'epoll-et', ...scenarios.flatMap((s) => ['--scenario', s])];

function runDocument(extra: string[]): ResultDocument {
  const got = cli([...args, ...extra]);
  assert.is(got.code, 0, got.err);
  return parseDocumentText(got.out, 'run') as ResultDocument;
}

const cells = (d: ResultDocument) => buildMatrix([d]).rows.map((r) => `${r.scenario} ${r.step}: ${r.cells.map((c) => c.text).join(' | ')}`);

test('run --descriptor-table shared gives the same cells as private, and its document and platform line say shared', () => {
  const shared = runDocument(['--descriptor-table', 'shared']);
  const priv = runDocument(['--descriptor-table', 'private']);
  assert.is(shared.platform.descriptorTable, 'shared');
  assert.is(priv.platform.descriptorTable, process.platform === 'linux' ? 'private' : 'shared');
  assert.ok(cells(shared).length >= 15, 'every scenario has its rows');
  assert.equal(cells(shared), cells(priv));
  const table = cli(['run', '--repeat', '1', '--backend', 'poll', '--scenario', 'seed-connect-refused', '--descriptor-table', 'shared']);
  assert.is(table.code, 0, table.err);
  assert.match(table.out, /descriptor table: shared/);
  // A bug report's reproduce line asks for the table the cells came from.
  const md = cli(['run', '--repeat', '1', '--backend', 'poll', '--scenario', 'seed-connect-refused', '--descriptor-table', 'shared', '--format', 'markdown']);
  assert.is(md.code, 0, md.err);
  assert.match(md.out, /reproduce: `npx pollmatrix trace --descriptor-table shared -v -l clo -c pol`/);
  const mdPrivate = cli(['run', '--repeat', '1', '--backend', 'poll', '--scenario', 'seed-connect-refused', '--format', 'markdown']);
  assert.match(mdPrivate.out, /reproduce: `npx pollmatrix trace -v -l clo -c pol`/);
});

test('trace and backends take --descriptor-table; trace --json says which table it ran in', () => {
  const trace = cli(['trace', '--json', '--descriptor-table', 'shared', '-l', 'clo', '-c', 'pol']);
  assert.is(trace.code, 0, trace.err);
  assert.is(JSON.parse(trace.out).platform.descriptorTable, 'shared');
  const backends = cli(['backends', '--descriptor-table', 'shared']);
  assert.is(backends.code, 0, backends.err);
  assert.match(backends.out, /^poll +available/m);
});

test('fuzz in the shared table: two runs of a case agree once descriptor numbers are left out', () => {
  // Four workers share one table with Node's threads, so numbers differ
  // from run to run (src/run/fuzz/run.ts unnumbered()). The persistent
  // modes are in: their `arm` after `clo` acts on a number certain to be
  // closed (native/backends/persistent.h rearm_fd()), not on the old one,
  // which another worker may hold by then.
  const got = cli(['fuzz', '--count', '300', '--seed', '7', '--jobs', '4', '--transport', 'socketpair', '--transport', 'fifo', '--transport', 'tcp', '--backend', 'poll', '--backend', 'epoll', '--backend', 'epoll-oneshot', '--backend', 'epoll-et', '--descriptor-table', 'shared']);
  assert.match(got.out, /fuzz: seed 7, 300 scenarios run twice/);
  assert.is(got.code, 0, got.out);
});

test("the API: runMatrix's descriptorTable picks the table, and refuses anything else", async () => {
  const doc = await runMatrix({ scenarios: ['seed-connect-refused'], backends: ['poll'], repeat: 1, descriptorTable: 'shared' });
  assert.is(doc.platform.descriptorTable, 'shared');
  await runMatrix({ descriptorTable: 'both' as never }).then(
    () => assert.unreachable('a bad descriptorTable was accepted'),
    (err: Error) => assert.is(err.message, "descriptorTable: 'both' is not a descriptor table (private or shared)"),
  );
});

test.run();
