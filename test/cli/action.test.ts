// The Action's shell steps (scripts/action/*.sh, which action.yml and the
// BSD VM jobs run) run here against the real CLI (dist/cli.js, built by
// npm run build) with fake GITHUB_* variables: the step summary and the
// step outputs are temporary files, as on a runner. A small scenario set
// keeps it fast; the table, the check report, the 1 MiB cut and both outputs
// are what is checked.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { observationKind } from '../../src/native/observations/index.js';
import { loadBinding } from '../../src/native/binding.js';
import type { NativeStep } from '../../src/model/observed.js';
import { scratchDir } from '../helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const scripts = path.join(root, 'scripts', 'action');
const MiB = 1024 * 1024;

// The Action runs the built CLI; npm ci builds it (prepare), this is for a tree without.
if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);
}

interface Runner {
  dir: string;
  summary: string;
  output: string;
  out: string;
  env: NodeJS.ProcessEnv;
}

/** A fake runner: GITHUB_STEP_SUMMARY and GITHUB_OUTPUT are empty files. */
function runner(extra: NodeJS.ProcessEnv = {}): Runner {
  const dir = scratchDir('pollmatrix-action-');
  const summary = path.join(dir, 'step-summary.md');
  const output = path.join(dir, 'github-output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const out = path.join(dir, 'runner-temp', 'pollmatrix');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'someone/project',
    GITHUB_RUN_ID: '4242',
    GITHUB_ACTION_PATH: root,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: path.join(dir, 'runner-temp'),
    POLLMATRIX_SCENARIOS: 'seed-*',
    POLLMATRIX_REPEAT: '1',
    NO_COLOR: '1',
    ...extra,
  };
  return { dir, summary, output, out, env };
}

interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

function sh(script: string, r: Runner, args: string[] = []): Promise<Ran> {
  return new Promise((resolve) => {
    execFile('bash', [path.join(scripts, script), ...args], { cwd: r.dir, env: r.env, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** GITHUB_OUTPUT's name=value lines. */
function outputs(r: Runner): Record<string, string> {
  const lines = readFileSync(r.output, 'utf8').split('\n').filter((l) => l.includes('='));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

// Started at import, so that they run while other test files run: one
// install and one run shared by the tests below, then what needs that run.
const main = runner();
const installed = sh('install.sh', { ...main, env: { ...main.env, POLLMATRIX_SKIP_NPM_CI: '1' } });
const ran = installed.then((i) => (i.status === 0 ? sh('run.sh', main) : undefined));
const small = runner({ POLLMATRIX_SUMMARY_LIMIT: '2500', POLLMATRIX_NAME: 'pollmatrix-small', POLLMATRIX_FORMAT: 'csv', POLLMATRIX_CHECK: 'false' });
const ranSmall = installed.then(() => sh('run.sh', small));
const merging = runner();
const merged = ran.then(() => sh('merge.sh', merging, [main.out]));

test('install.sh says which addon the run uses and whether the committed prebuild loaded', async () => {
  const install = await installed;
  assert.is(install.status, 0, install.stdout + install.stderr);
  const o = outputs(main);
  assert.match(o.addon, /\.node$/);
  const tuple = `${process.platform}-${process.arch}`;
  const committed = existsSync(path.join(root, 'prebuilds', tuple, 'pollmatrix.node'));
  assert.is(o.prebuild, committed ? 'loaded' : 'none');
  const line = readFileSync(path.join(main.out, 'addon.md'), 'utf8');
  assert.match(line, /^- addon: /);
  if (committed) assert.ok(line.includes(`\`prebuilds/${tuple}/pollmatrix.node\` loaded on this runner`), line);
});

test('run.sh: the job summary holds the table, the check report and the addon line, well under 1 MiB', async () => {
  const run = await ran;
  assert.ok(run, 'install.sh failed');
  assert.is(run.status, 0, run.stdout + run.stderr);
  const summary = readFileSync(main.summary, 'utf8');
  assert.ok(summary.length > 0 && statSync(main.summary).size < MiB);
  assert.match(summary, /^## pollmatrix on \S+-(x64|arm64)\n/);
  assert.match(summary, /^\| scenario \| step \|/m);
  assert.match(summary, /^\| `seed-connect-refused` \| c:pol#1 \|/m);
  assert.match(summary, /^- addon: /m);
  assert.match(summary, /^- check: 0 cells differ from the literature, 0 differ only from a recorded baseline$/m);
  assert.match(summary, /^- summary: \d+ met \(\d+ from literature\), 0 not met$/m);
  assert.not.match(summary, /Cut here/);
});

test('run.sh: outputs the document, the difference counts and a unique artifact name', async () => {
  const run = await ran;
  assert.ok(run && run.status === 0);
  const o = outputs(main);
  assert.ok(o.document.startsWith(main.out + path.sep), o.document);
  const document = JSON.parse(readFileSync(o.document, 'utf8')) as { platform: { os: string }; scenarios: Array<{ id: string }> };
  assert.ok(document.scenarios.length > 0 && document.scenarios.every((s) => s.id.startsWith('seed-')));
  assert.is(o.differences, '0');
  assert.is(o['recording-differences'], '0');
  assert.is(o['summary-cut'], 'false');
  assert.match(o['artifact-name'], /^pollmatrix-[a-z]+-[\w.+-]+-(x64|arm64)$/);
  assert.is(o.directory, main.out);
  assert.is(o.report, path.join(main.out, `${o['artifact-name']}.md`));
  for (const f of [o.document, o.report, path.join(main.out, `${o['artifact-name']}.summary.md`), path.join(main.out, `${o['artifact-name']}.check.md`)]) {
    assert.ok(existsSync(f), f);
  }
});

test('run.sh: past the summary limit the summary is cut at a line and points to the artifact (and check: false checks nothing)', async () => {
  const r = await ranSmall;
  assert.is(r.status, 0, r.stdout + r.stderr);
  const summary = readFileSync(small.summary, 'utf8');
  assert.ok(Buffer.byteLength(summary) <= 2500, `${Buffer.byteLength(summary)} bytes`);
  assert.match(summary, /^## pollmatrix on /);
  assert.ok(summary.endsWith(
    '\n> **Cut here**: this summary stops at 2500 bytes of ' +
      `${statSync(path.join(small.out, 'pollmatrix-small.summary.md')).size}. The whole of it is \`pollmatrix-small.summary.md\` in ` +
      '[the artifact **pollmatrix-small**](https://github.com/someone/project/actions/runs/4242#artifacts), with the JSON documents.\n',
  ), summary.slice(-400));
  assert.not.match(summary, /^- check: /m, 'check: false runs no check');
  const o = outputs(small);
  assert.is(o['summary-cut'], 'true');
  assert.is(o.differences, '0');
  assert.is(o['artifact-name'], 'pollmatrix-small');
  assert.is(o.report, path.join(small.out, 'pollmatrix-small.csv'));
  assert.match(readFileSync(o.report, 'utf8'), /^scenario,/);
});

test('run.sh refuses a bad input with one line and exit 2, before running anything', async () => {
  for (const [name, value] of [['POLLMATRIX_CHECK', 'maybe'], ['POLLMATRIX_SUMMARY_LIMIT', '1MiB'], ['POLLMATRIX_FORMAT', 'pdf']]) {
    const bad = runner({ [name]: value });
    const r = await sh('run.sh', bad);
    assert.is(r.status, 2, `${name}=${value}`);
    assert.match(r.stderr, /^pollmatrix action: .*\n$/);
    assert.is(readFileSync(bad.output, 'utf8'), '');
  }
});

// `check` prints Markdown, not a count: count-differences.mjs reads its
// table of cells not met and tells literature from a recorded baseline
// (`measured: ...`). Here on the real output, for a document whose pol
// cells were all changed to something no source says.
test('the differences count follows check: literature and recording apart, adding up to what is not met', async () => {
  const run = await ran;
  assert.ok(run && run.status === 0);
  const document = JSON.parse(readFileSync(outputs(main).document, 'utf8')) as {
    scenarios: Array<{
      runs: Record<string, { steps: Array<{ action: string; names?: string[]; rawHex?: string; properties?: string[]; ret: number; observation?: { raw: number } }> }>;
    }>;
  };
  // Every decoded pol says only its mechanism's priority bit (PRI, X),
  // decoded as this OS decodes it, so the document is still read and every
  // cell disagrees.
  const tables = loadBinding().flagTables();
  for (const scenario of document.scenarios) {
    for (const backend of Object.values(scenario.runs)) {
      for (const step of backend.steps) {
        if (step.action !== 'pol' || !step.names || !step.observation) continue;
        const table = tables[(step as { backend?: string }).backend ?? ''] ?? [];
        step.observation.raw = table.find(([, , props]) => props?.includes('priority'))?.[0] ?? 0;
        Object.assign(step, observationKind('mask')!.decode(step as unknown as NativeStep, tables));
      }
    }
  }
  const tampered = path.join(main.dir, 'tampered.json');
  writeFileSync(tampered, JSON.stringify(document));
  const check = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', tampered], { encoding: 'utf8' });
  assert.is(check.status, 1, check.stderr);
  const notMet = [...check.stdout.matchAll(/^- summary: .*?(\d+) not met(?:, (\d+) differ from the recording)?$/gm)].reduce(
    (n, m) => n + Number(m[1]) + Number(m[2] ?? 0),
    0,
  );
  assert.ok(notMet > 0);
  const report = path.join(main.dir, 'check.md');
  writeFileSync(report, check.stdout);
  const counted = spawnSync(process.execPath, [path.join(scripts, 'count-differences.mjs'), report], { encoding: 'utf8' });
  assert.is(counted.status, 0, counted.stderr);
  const c = Object.fromEntries(counted.stdout.trim().split('\n').map((l) => l.split('=')));
  assert.is(c.split, 'rows');
  assert.is(Number(c.literature) + Number(c.recording), notMet);
  assert.is(Number(c['not-met']), notMet);
  const measuredRows = check.stdout.split('\n').filter((l) => /\| measured: [^|]*\|$/.test(l)).length;
  assert.is(Number(c.recording), measuredRows);
  assert.ok(Number(c.literature) > 0, check.stdout);
});

test('merge.sh: every document under a folder in one table, with the check, in the summary and its outputs', async () => {
  const r = await merged;
  assert.is(r.status, 0, r.stdout + r.stderr);
  const summary = readFileSync(merging.summary, 'utf8');
  assert.match(summary, /^## pollmatrix on 1 machines\n/);
  assert.match(summary, /^\| scenario \| step \|/m);
  assert.match(summary, /^#### check /m);
  const o = outputs(merging);
  assert.is(o.documents, '1');
  assert.is(o.differences, '0');
  assert.ok(existsSync(o.merged));
});

test('publish.sh hands a VM run\'s summary and outputs to the host job', async () => {
  const run = await ran;
  assert.ok(run && run.status === 0);
  const host = runner();
  const r = await sh('publish.sh', host, [main.out]);
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(host.summary, 'utf8'), readFileSync(path.join(main.out, 'summary.md'), 'utf8'));
  assert.is(outputs(host)['artifact-name'], outputs(main)['artifact-name']);
});

// action.yml passes every input to the scripts and every output from them.
test('action.yml: composite; each input reaches run.sh, each output comes from a step that writes it', () => {
  const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: Array<{ id?: string; uses?: string; env?: Record<string, string> }> };
  };
  assert.is(action.runs.using, 'composite');
  for (const wanted of ['scenarios', 'backends', 'repeat', 'format', 'check']) assert.ok(wanted in action.inputs, wanted);
  const runStep = action.runs.steps.find((s) => s.id === 'run')!;
  const passed = Object.values(runStep.env ?? {}).join(' ');
  for (const input of Object.keys(action.inputs)) {
    if (input === 'node-version') continue; // setup-node's
    assert.ok(passed.includes(`inputs.${input} }}`), `input ${input} is not passed to run.sh`);
  }
  const written = {
    install: readFileSync(path.join(scripts, 'install.sh'), 'utf8'),
    run: readFileSync(path.join(scripts, 'run.sh'), 'utf8'),
  };
  for (const [name, { value }] of Object.entries(action.outputs)) {
    const [, step, key] = value.match(/^\$\{\{ steps\.(\w+)\.outputs\.([\w-]+) \}\}$/) ?? [];
    assert.ok(step in written, `${name}: ${value}`);
    assert.ok(written[step as keyof typeof written].includes(`echo "${key}=`), `${step} never writes ${key}`);
  }
  const setupNode = action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
  assert.ok(setupNode && Number(setupNode.uses!.split('@v')[1]) >= 5, 'setup-node@v5 or later runs on node24');
  assert.ok(Number(action.inputs['node-version'].default) >= 20, 'engines: node >= 20');
});

test.run();
