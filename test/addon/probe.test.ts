// The availability probe runs where the scenarios run (native/workers/probe.h,
// issue 16): on a worker of the pool the scenarios use, in that pool's
// descriptor table, never on Node's thread in the host's table.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding, packageRoot } from '../../src/native/binding.js';

const binding = loadBinding();
const onLinux = process.platform === 'linux' ? test : test.skip;

// A child whose own table is full: it opens /dev/null until EMFILE (under
// `ulimit -n 64`, so quickly), then asks the addon. Only a table other than
// Node's has room for a descriptor now. A probe on Node's thread (what
// backends() did before) fails epoll_create1() with EMFILE and says
// "unavailable"; a worker of the private pool starts with a copy of that
// table, closes 3 and up (workers/worker.h) and has room, as its scenarios
// do. A worker of the shared pool lives in the full table, as its scenarios
// do. The test passes only if each probe answers what its scenarios meet.
const child = `
const addon = require('node-gyp-build')(${JSON.stringify(packageRoot)});
const fs = require('fs');
const held = [];
let full = '';
try { for (;;) held.push(fs.openSync('/dev/null', 'r')); } catch (e) { full = e.code; }
const scenario = { transport: 'pipe', commands: [{ side: 'w', actions: ['pol'], backend: 'epoll' }] };
const epoll = (list) => list.find((b) => b.name === 'epoll');
const out = { full, private: epoll(addon.backends()), shared: epoll(addon.backends({ sharedTable: true })) };
out.privateRun = addon.runMany([scenario], { repeat: 1, jobs: 1 })[0][0].result;
try { addon.run({ ...scenario, sharedTable: true }); out.sharedRun = 'ran'; } catch (e) { out.sharedRun = e.message; }
process.stdout.write(JSON.stringify(out));
`;

onLinux('the probe runs on a worker of the scenarios\' pool, in their table: a full host table fails only the shared pool', () => {
  const r = spawnSync('sh', ['-c', 'ulimit -n 64 && exec "$0" -e "$1"', process.execPath, child], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.full, 'EMFILE', "the child's own table was full");
  // The private pool: the probe and the scenarios agree it can run.
  assert.is(out.private.available, true, 'probed in a private table, which has room');
  const pol = out.privateRun.steps.find((s: { action: string }) => s.action === 'pol');
  assert.is(out.privateRun.descriptorTable, 'private');
  assert.is(pol.observation.notMeasured, undefined, 'the scenario measured what the probe promised');
  assert.is(pol.ret, 1, 'epoll_wait() found the empty pipe writable');
  // The shared pool: the probe and the scenarios agree it cannot.
  assert.is(out.shared.available, false, 'probed in the full shared table');
  assert.is(out.shared.reason, 'epoll_create1() fails here');
  assert.match(out.sharedRun, /epoll is not available here: epoll_create1\(\) fails here/);
});

test('backends() takes { sharedTable: boolean } and nothing else', () => {
  assert.equal(binding.backends({ sharedTable: false }).map((b) => b.name), binding.backends().map((b) => b.name));
  assert.throws(() => binding.backends({ sharedTable: 'yes' } as never), /backends\(\) takes \{ sharedTable: boolean \}/);
});

test.run();
