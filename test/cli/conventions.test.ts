// Issue 9, "CLI conventions" and "Tables fit the terminal": --version and
// --help everywhere, did-you-mean, colour switches, repeated and conflicting
// options, and no line wider than a 100-column terminal. The widths are
// checked on a run of every transport's first scenarios; the whole
// catalogue's run is long (test/long.ts: POLLMATRIX_LONG_TESTS=1).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding, type Binding } from '../../src/native/binding.js';
import { main, wantColour } from '../../src/cli/main.js';
import { COMMANDS } from '../../src/cli/commands/registry.js';
import { fakeBinding } from '../fake-binding.js';
import { cli, scratchDir } from '../helpers.js';
import { addReadable, recordedSample } from '../recorded.js';
import { packageRoot } from '../../src/model/package-root.js';
import { LONG_WHY, longTest } from '../long.js';

const version = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

function run(argv: string[], io: { colour?: boolean; columns?: number } = {}, binding: Binding = fakeBinding()) {
  let out = '';
  let err = '';
  const code = main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), ...io }, () => binding);
  return { code, out, err };
}

// eslint-disable-next-line no-control-regex
const visible = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '');
const widest = (text: string) => Math.max(0, ...text.split('\n').map((l) => [...visible(l)].length));

test('--version: at the top and on every subcommand', () => {
  for (const argv of [['--version'], ...COMMANDS.map((c) => [c.name, '--version'])]) {
    const got = cli(argv, fakeBinding());
    assert.is(got.code, 0, argv.join(' '));
    assert.is(got.out, `pollmatrix ${version}\n`);
  }
});

test('--help and -h on every subcommand: usage, and one paragraph per option with its default', () => {
  for (const command of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      const got = cli([command.name, flag], fakeBinding());
      assert.is(got.code, 0, `${command.name} ${flag}: ${got.err}`);
      assert.ok(got.out.startsWith('usage: pollmatrix'), got.out);
      assert.ok(widest(got.out) <= 80, `${command.name} ${flag}: a line of ${widest(got.out)} columns`);
      for (const option of command.options) {
        assert.ok(got.out.includes(`--${option.name}`), `${command.name} --help names --${option.name}`);
      }
    }
  }
  const runHelp = cli(['run', '--help']).out;
  for (const name of ['only-diff', 'view', 'raw', 'check', 'repeat', 'timeout', 'format', 'backend', 'jobs']) {
    const paragraph = runHelp.split(`--${name}`)[1].split(/\n {2}-/)[0].replace(/\s+/g, ' ');
    assert.match(paragraph, /Default: /, `--${name} states its default`);
  }
  assert.ok(widest(cli(['--help']).out) <= 80);
  assert.match(cli(['--help']).out, /^ {2}merge +one table/m);
  assert.match(cli(['merge', '--help']).out, /FILE - reads standard input/);
  assert.match(cli(['trace', '--help']).out, /endpoints \(tcp, the default transport[^]*?:\s+-l /);
});

test('did you mean: a mistyped command, option or value names the nearest', () => {
  const cases: Array<[string[], RegExp]> = [
    [['rnu'], /^pollmatrix: unknown command 'rnu'; did you mean 'run'\? \(commands: run trace fuzz merge check list backends transports\)\n$/],
    [['merg'], /did you mean 'merge'\?/],
    [['run', '--scenarios', 'x'], /^pollmatrix: run: unknown option '--scenarios'; did you mean '--scenario'\?/],
    [['run', '--only-dif'], /did you mean '--only-diff'\?/],
    [['run', '--format', 'markdwn'], /--format must be one of table markdown json csv html, got 'markdwn'; did you mean 'markdown'\?/],
    [['trace', '--bakend', 'poll', '-c', 'pol'], /^pollmatrix: trace: unknown option '--bakend'; did you mean '--backend'\?/],
    [['run', '--view', 'normalized'], /did you mean 'normalised'\?/],
    [['run', '--backend', 'epol'], /^pollmatrix: unknown backend 'epol' \(backends: [^)]*\); did you mean 'epoll'\?/],
    [['trace', '--transport', 'tpc', '-c', 'pol'], /^pollmatrix: trace: --transport: unknown transport 'tpc' \(transports: .*\); did you mean 'tcp'\?/],
  ];
  for (const [argv, message] of cases) {
    const got = cli(argv, fakeBinding());
    assert.is(got.code, 2, argv.join(' '));
    assert.is(got.err.split('\n').length, 2, got.err);
    assert.match(got.err, message);
  }
});

test('colour: FORCE_COLOR, NO_COLOR, TERM=dumb, a terminal', () => {
  assert.is(wantColour(true, {}), true);
  assert.is(wantColour(true, { TERM: 'dumb' }), false);
  assert.is(wantColour(true, { NO_COLOR: '1' }), false);
  assert.is(wantColour(false, { FORCE_COLOR: '1' }), true);
  assert.is(wantColour(true, { FORCE_COLOR: '0' }), false);
  assert.is(wantColour(false, { FORCE_COLOR: '' }), false);
  assert.is(wantColour(undefined, { TERM: 'xterm' }), false);
});

const refused = ['run', '--repeat', '1', '--backend', 'poll', '--backend', 'select', '--scenario', 'seed-connect-refused'];
const differing = () => fakeBinding({ pol: { poll: [{ ret: 1, raw: 0x14 }], select: [{ ret: 2, raw: 0x3 }] } });

test('--color and --no-color override the terminal', () => {
  assert.match(run([...refused, '--color'], { colour: false }, differing()).out, /\u001b\[1;33mOUT HUP\u001b\[0m/);
  const plain = run([...refused, '--no-color'], { colour: true }, differing()).out;
  assert.not.match(plain, /\u001b\[/);
  assert.match(plain, /OUT HUP \*/);
});

(process.platform === 'linux' ? test : test.skip)('the real executable: TERM=dumb and NO_COLOR give no escape codes, FORCE_COLOR gives them in a pipe (Linux: select differs from poll there)', async () => {
  const { execFile } = await import('node:child_process');
  // The five executables at once: each is mostly node and tsx starting.
  const exe = (env: Record<string, string>) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(packageRoot, 'src', 'cli.ts'), ...refused],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm', ...env } },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      ),
    );
  const [dumb, noColour, pipe, forced, forcedDumb] = await Promise.all(
    ([{ TERM: 'dumb' }, { NO_COLOR: '1' }, {}, { FORCE_COLOR: '1' }, { FORCE_COLOR: '1', TERM: 'dumb' }] as Array<Record<string, string>>).map(exe),
  );
  // A pipe is not a terminal: no colour unless forced. On Linux select()
  // reports the refused socket readable, poll() does not: both cells differ.
  for (const plain of [dumb, noColour, pipe]) {
    assert.is(plain.status, 0, plain.stderr);
    assert.not.match(plain.stdout, /\u001b\[/);
    assert.match(plain.stdout, /R W \*/);
  }
  assert.match(forced.stdout, /\u001b\[1;33mR W\u001b\[0m/);
  assert.match(forcedDumb.stdout, /\u001b\[1;33m/);
});

test('a repeated --backend or --scenario is folded; a single-valued option twice is an error', () => {
  const got = cli(['run', '--format', 'json', '--backend', 'poll', '--backend', 'poll', '--scenario', 'seed-connect-refused', '--scenario', 'seed-connect-refused'], fakeBinding());
  assert.is(got.code, 0, got.err);
  const doc = JSON.parse(got.out);
  assert.equal(doc.backends, ['poll']);
  assert.is(doc.scenarios.length, 1);
  const table = cli(['run', '--backend', 'poll', '--backend', 'poll', '--scenario', 'seed-connect-refused'], fakeBinding());
  assert.is(table.out.split('\n').find((l) => l.includes('scenario'))!.match(/poll/g)!.length, 1, table.out);
  const twice = cli(['run', '--format', 'csv', '--format', 'json'], fakeBinding());
  assert.is(twice.code, 2);
  assert.is(twice.err, 'pollmatrix: run: --format given twice; give it once\n');
});

test('conflicting options are an error, never silently dropped', () => {
  const cases: Array<[string[], RegExp]> = [
    [['run', '--raw', '--view', 'normalised'], /--raw and --view normalised cannot be used together/],
    [['merge', '--raw', '--view', 'normalised', 'x.json'], /--raw and --view normalised cannot be used together/],
    [['run', '--color', '--no-color'], /--color and --no-color cannot be used together/],
    [['run', '--color', '--format', 'csv'], /--color applies to --format table only, not csv/],
    [['run', '--format', 'json', '--view', 'normalised'], /--view shapes table cells; --format json writes the whole result document/],
    [['run', '--format', 'json', '--raw'], /--raw shapes table cells/],
    [['list', 'extra'], /^pollmatrix: list: unexpected argument 'extra'/],
    [['run', '--json'], /unknown option '--json'/],
    [['trace', '--json=yes', '-c', 'pol'], /--json takes no value/],
  ];
  for (const [argv, message] of cases) {
    const got = cli(argv, fakeBinding());
    assert.is(got.code, 2, `${argv.join(' ')}: ${got.err}`);
    assert.is(got.err.split('\n').length, 2, got.err);
    assert.match(got.err, message);
  }
});

function mergedFiles(count: number): string[] {
  const dir = scratchDir('pollmatrix-width-');
  const source = recordedSample();
  return Array.from({ length: count }, (_, i) => {
    const doc = structuredClone(source);
    doc.platform.arch = i % 2 === 0 ? 'x86_64' : 'aarch64';
    doc.platform.kernel = `6.${i}.1`;
    const file = path.join(dir, `m${i}.json`);
    writeFileSync(file, JSON.stringify(doc));
    return file;
  });
}

const realBinding = process.platform === 'linux' ? loadBinding() : fakeBinding();
// The seed and the first four scenarios of each transport, as recorded: real
// cells of every transport, in a quarter of the catalogue's time.
const sample = (recordedSample().scenarios as Array<{ id: string }>).flatMap((s) => ['--scenario', s.id]);

test('on a 100-column terminal no line of any command is wider than 100; files and pipes keep full width', () => {
  const files = mergedFiles(4);
  const commands: string[][] = [
    ['run', '--repeat', '1', ...sample],
    ['run', '--repeat', '1', '--view', 'normalised', '--scenario', 'seed-*', '--scenario', 'fifo-*'],
    ['run', '--repeat', '1', '--raw', '--scenario', 'seed-*'],
    ['merge', files[0], files[1]],
    ['merge', '--view', 'normalised', ...files],
    ['list'],
    ['backends'],
    ['transports'],
    ['--help'],
    ...COMMANDS.map((c) => [c.name, '--help']),
  ];
  const report: string[] = [];
  for (const argv of commands) {
    const narrow = run(argv, { columns: 100, colour: true }, realBinding);
    assert.is(narrow.code, 0, `${argv.join(' ')}: ${narrow.err}`);
    report.push(`${argv.slice(0, 3).join(' ')}: ${widest(narrow.out)}`);
    assert.ok(widest(narrow.out) <= 100, `${argv.join(' ')}: a line of ${widest(narrow.out)} columns`);
  }
  if (process.env.POLLMATRIX_WIDTHS) console.log(report.join('\n'));
  // The same tables to a pipe are wider: nothing is cut.
  assert.ok(widest(run(['merge', ...files], {}, realBinding).out) > 100);
  assert.ok(widest(run(['run', '--repeat', '1', '--view', 'normalised', '--scenario', 'seed-*'], {}, realBinding).out) > 100);
  // Four machines side by side do not fit 100 columns: they are stacked into
  // blocks of machines that each repeat the scenario, step and mechanism.
  const stacked = run(['merge', ...files], { columns: 100 }, realBinding).out;
  assert.match(stacked, /^machines 1-\d of 4$/m);
  assert.match(stacked, /^machines \d-4 of 4 \(continued\)$/m);
  assert.not.match(stacked, /undefined|NaN|\[object Object\]/);
});

longTest(`on a 100-column terminal the whole catalogue's run, every backend, is no wider than 100${LONG_WHY}`, () => {
  const narrow = run(['run', '--repeat', '1'], { columns: 100, colour: true }, realBinding);
  assert.is(narrow.code, 0, narrow.err);
  assert.ok(widest(narrow.out) <= 100, `a line of ${widest(narrow.out)} columns`);
});

test('a merge side by side: a column per machine for each mechanism, two machines in 120 columns, four in 200, differences first', () => {
  const files = mergedFiles(4);
  // The second machine answers differently in one scenario (poll sees IN as well).
  const changed = JSON.parse(readFileSync(files[1], 'utf8'));
  const [late] = addReadable(changed);
  writeFileSync(files[1], JSON.stringify(changed));
  for (const [count, columns] of [[2, 120], [4, 200]]) {
    const got = run(['merge', ...files.slice(0, count)], { columns, colour: true }, realBinding);
    assert.is(got.code, 0, got.err);
    assert.ok(widest(got.out) <= columns, `${count} machines: a line of ${widest(got.out)} columns`);
    assert.not.match(got.out, /^machines \d/m, `${count} machines in ${columns} columns are not stacked`);
    const header = got.out.split('\n').find((l) => l.startsWith('║ scenario'))!;
    assert.match(visible(header), count === 2 ? /scenario .* step .* mechanism .* 6\.0 x86_64 .* 6\.1 aarch64 / : /6\.0 x86_64 .* 6\.1 aarch64 .* 6\.2 x86_64 .* 6\.3 aarch64 /);
    assert.match(got.out, /^side by side, a column per machine: the 1 of \d+ scenarios where they differ come first$/m);
    // The differing scenario is the first one in the table, however late in the catalogue.
    const firstRow = got.out.split('\n').find((l) => l.startsWith('║ ') && !l.includes('scenario'))!;
    assert.ok(visible(firstRow).includes(late.slice(0, 12)), firstRow);
  }
});

test('merged column labels are unique and name what differs: release, arch, or #n for twins', () => {
  const [a, b] = mergedFiles(2);
  const json = JSON.parse(cli(['merge', '--format', 'json', a, b], realBinding).out);
  const labels: string[] = json.columns.map((c: { label: string }) => c.label);
  assert.is(new Set(labels).size, labels.length);
  assert.is(labels[0], '6.0 x86_64 / poll');
  assert.ok(labels.includes('6.1 aarch64 / poll'), labels.join(', '));
  const twins = JSON.parse(cli(['merge', '--format', 'json', a, a], realBinding).out);
  assert.equal(twins.columns.slice(0, 1).map((c: { label: string }) => c.label), ['#1 / poll']);
  assert.ok(twins.columns.some((c: { label: string }) => c.label === '#2 / poll'));
});

test('list stays aligned whatever the step length, and wraps titles under themselves on a terminal', () => {
  const out = cli(['list']).out.trimEnd().split('\n');
  const stepsAt = out.map((l) => l.indexOf(' -'));
  assert.is(new Set(stepsAt).size, 1, 'every steps column starts at the same place');
  const narrow = run(['list'], { columns: 100 }).out.split('\n').filter(Boolean);
  const heads = narrow.filter((l) => !l.startsWith(' '));
  assert.is(heads.length, out.length, 'one head line per scenario');
  assert.is(new Set(heads.map((l) => l.indexOf(' -'))).size, 1, 'steps aligned on a terminal too');
  assert.ok(widest(narrow.join('\n')) <= 100);
});

test.run();
