// Bad input: one clear line on stderr, exit code 2, no stack trace.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCatalogueFile } from '../../src/model/catalogue.js';
import { fakeBinding } from '../fake-binding.js';
import { cli, testDir } from '../helpers.js';
import { listed, recorded } from '../vocabulary.js';
import { vocabularyOf } from '../../src/native/vocabulary.js';

// The addon's lists, as recorded (fixtures/vocabulary.json): messages name them.
const v = recorded();
const transport = (name: string) => v.transports.find((t) => t.name === name)!;
const endpoints = (name: string) => listed(transport(name).endpoints.map((e) => `-${e.letter} ${e.role}`), ', ');

const cases: Array<[string, string[], RegExp]> = [
  ['unknown action', ['trace', '-v', '-c', 'snd,xyz'], /^pollmatrix: trace: argument 3: unknown action 'xyz' in 'snd,xyz'/],
  ['missing action list', ['trace', '-v', '-c'], /^pollmatrix: trace: argument 2: -c needs an action list/],
  ['empty action', ['trace', '-c', 'pol,,rcv'], /empty action at position 2 in 'pol,,rcv'/],
  ['trailing comma', ['trace', '-c', 'pol,'], /^pollmatrix: trace: argument 2: 'pol,' ends with a comma; give the action that follows it, or drop the comma$/m],
  ['interest of spaces only', ['trace', '--interest', '   ', '-c', 'pol'], /^pollmatrix: trace: --interest: ' {3}' is only spaces; give interest names, or '' to ask for nothing \(events=0\)$/m],
  ['no command', ['trace', '-v'], /^pollmatrix: no command: give at least one endpoint with an action list, e.g. -l pol/],
  ['unknown backend', ['trace', '--backend', 'iocp', '-c', 'pol'], new RegExp(`^pollmatrix: unknown backend 'iocp' \\(backends: ${listed(v.backends.map((b) => b.name))}\\)`)],
  ['unavailable backend', ['trace', '--backend', 'kqueue', '-c', 'pol'], /^pollmatrix: backend 'kqueue' is not available here: /],
  ['-e with another backend', ['trace', '--backend', 'select', '-e', '-c', 'pol'], /-e asks for epoll but --backend asks for select/],
  ['unknown trace option', ['trace', '--colour', '-c', 'pol'], /^pollmatrix: trace: unknown option '--colour'/],
  ['unknown endpoint letter', ['trace', '-x', '-c', 'pol'], new RegExp(`^pollmatrix: trace: argument 1: transport tcp has no endpoint -x \\(${endpoints('tcp')}\\)`)],
  ['unknown haproxy option', ['trace', '-xy', '-c', 'pol'], /^pollmatrix: trace: argument 1: unknown option '-xy'/],
  ['stray word', ['trace', 'pol'], /'pol' is not an option; expected -l, -c, -s, -u before an action list/],
  ['unknown transport', ['trace', '--transport', 'carrier-pigeon', '-c', 'pol'], new RegExp(`^pollmatrix: trace: --transport: unknown transport 'carrier-pigeon' \\(transports: ${listed(v.transports.map((t) => t.name))}\\)`)],
  ['letter of another transport', ['trace', '--transport', 'pipe', '-c', 'pol'], new RegExp(`^pollmatrix: trace: argument 3: transport pipe has no endpoint -c \\(${endpoints('pipe')}\\)`)],
  ['action the transport cannot do', ['trace', '--transport', 'pipe', '-w', 'shw'], new RegExp(`^pollmatrix: trace: argument 4: transport pipe cannot do 'shw' on -w \\(its actions: ${listed(transport('pipe').actions)}\\)`)],
  ['unknown interest', ['trace', '--interest', 'IN NVAL', '-c', 'pol'], new RegExp(`^pollmatrix: trace: --interest: 'NVAL' is not an interest \\(names: ${listed(v.interests.names)}; '' asks for nothing\\)`)],
  // A bit the mechanism has no set or filter for: refused, naming the bit, the step and the mechanism.
  ['interest select cannot ask', ['trace', '--backend', 'select', '--interest', 'IN RDBAND', '-s', 'clo', '-c', 'pol'], /^pollmatrix: trace: --interest 'IN RDBAND': RDBAND refused at cmd #2 stp #1 \(pol on select\): select has no set for RDBAND\n$/],
  ['bad timeout', ['trace', '--timeout', '0', '-c', 'pol'], new RegExp(`--timeout takes whole milliseconds from ${v.limits.timeoutMs.min} to ${v.limits.timeoutMs.max}, got '0'`)],
  ['unknown run option', ['run', '--frobnicate'], /^pollmatrix: run: unknown option '--frobnicate' \(see pollmatrix run --help\)\n$/],
  ['unknown scenario', ['run', '--scenario', 'nope-*'], /--scenario 'nope-\*' matches no scenario/],
  ['unknown command', ['frob'], /^pollmatrix: unknown command 'frob'/],
  ['bad fuzz seed', ['fuzz', '--seed', '-1'], /^pollmatrix: --seed takes a whole number from 0 to 4294967295, got '-1'/],
  ['bad fuzz count', ['fuzz', '--count', '0'], /^pollmatrix: --count takes a whole number from 1 to 10000000, got '0'/],
  ['unknown fuzz transport', ['fuzz', '--transport', 'carrier-pigeon'], /^pollmatrix: fuzz: unknown transport 'carrier-pigeon' \(transports: .*tcp/],
  ['bad descriptor table for run', ['run', '--descriptor-table', 'maybe'], /^pollmatrix: run: --descriptor-table: 'maybe' is not a descriptor table \(private or shared\)$/m],
  ['bad descriptor table for trace', ['trace', '--descriptor-table', 'Shared', '-c', 'pol'], /^pollmatrix: trace: --descriptor-table: 'Shared' is not a descriptor table \(private or shared\)$/m],
  ['bad descriptor table for fuzz', ['fuzz', '--descriptor-table', ''], /^pollmatrix: fuzz: --descriptor-table: '' is not a descriptor table/],
  ['bad descriptor table for backends', ['backends', '--descriptor-table', 'private,shared'], /^pollmatrix: backends: --descriptor-table: 'private,shared' is not a descriptor table/],
  ['a shared table with a rump kernel', ['run', '--os', 'netbsd-rump', '--descriptor-table', 'shared'], /^pollmatrix: run: --descriptor-table shared applies to the host kernel only/],
  ['bad jobs', ['run', '--jobs', '0'], new RegExp(`^pollmatrix: --jobs takes a whole number from ${v.limits.jobs.min} to ${v.limits.jobs.max}, got '0'`)],
];

for (const [name, argv, message] of cases) {
  test(`${name}: one line, exit 2`, () => {
    const got = cli(argv, fakeBinding());
    assert.is(got.code, 2, got.err);
    assert.is(got.out, '');
    assert.is(got.err.split('\n').length, 2, got.err); // one line and its newline
    assert.match(got.err, message);
  });
}

test('catalogue errors name the file, the scenario and the field', () => {
  const bad = (scenario: object) => () => parseCatalogueFile({ scenarios: [scenario] }, 'matrix/x.json', vocabularyOf(fakeBinding()));
  const base = { id: 'ok-id', title: 't', shows: 's', transport: 'tcp', steps: '-c pol' };
  assert.throws(bad({ ...base, steps: '-c pol,bogus' }), /matrix\/x\.json: scenario 'ok-id': field 'steps' word 2: unknown action 'bogus'/);
  assert.throws(bad({ ...base, title: '' }), /matrix\/x\.json: scenario 'ok-id': field 'title' must be a non-empty string/);
  assert.throws(bad({ ...base, id: 'Bad Id' }), /matrix\/x\.json: scenarios\[0\]: field 'id' must be lower-case words/);
  assert.throws(bad({ ...base, transport: 'carrier-pigeon' }), new RegExp(`scenario 'ok-id': field 'transport': unknown transport 'carrier-pigeon' \\(transports: ${listed(v.transports.map((t) => t.name))}\\)`));
  assert.throws(bad({ ...base, transport: 'pipe', steps: '-r pol -w shw' }), /field 'steps' word 4: transport pipe cannot do 'shw' on -w/);
  assert.throws(bad({ ...base, interest: 'IN BOGUS' }), /scenario 'ok-id': field 'interest': 'BOGUS' is not an interest/);
  assert.throws(bad({ ...base, steps: '-e -c pol' }), /field 'steps': -e belongs to the trace command/);
  assert.throws(bad({ ...base, colour: 'red' }), /unknown field 'colour'/);
  assert.throws(() => parseCatalogueFile([], 'matrix/y.json', vocabularyOf(fakeBinding())), /matrix\/y\.json: expected an object with a 'scenarios' array/);
});

test('the real executable: bad input gives one line and exit 2, no stack trace', () => {
  const cliPath = path.join(testDir, '..', 'src', 'cli.ts');
  const got = spawnSync(process.execPath, ['--import', 'tsx', cliPath, 'trace', '-v', '-c', 'pol,nope'], {
    encoding: 'utf8',
  });
  assert.is(got.status, 2);
  assert.is(got.stdout, '');
  assert.is(got.stderr, "pollmatrix: trace: argument 3: unknown action 'nope' in 'pol,nope' (actions: con acc snd mor rcv drn shr shw shb lin clo pol nbc ful oob soe opn oil arm sto rve dup swp)\n");
});

test.run();
