// The GitHub workflows cannot run here; what can be checked is that they are
// valid YAML, well-formed jobs, and that every command they run is one of the
// project's own.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { packageRoot } from '../src/binding.js';

const dir = path.join(packageRoot, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

// npm's own verbs and the project's declared tools; nothing fetched from
// elsewhere, no curl | sh.
const OWN = [/^npm (ci|test)$/, /^npx pollmatrix (run|merge) /, /^npx node-gyp rebuild$/, /^npx prebuildify --napi --strip /];

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
        if (step.uses) assert.match(step.uses, /^(actions\/[a-z-]+|vmactions\/freebsd-vm)@v\d+$/);
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
  for (const needle of ['ubuntu-latest', 'macos-latest', 'macos-13', 'vmactions/freebsd-vm', 'npx pollmatrix merge --format markdown']) {
    assert.ok(text.includes(needle), needle);
  }
});

test.run();
