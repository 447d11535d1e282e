// The darwin prebuilds are cross-built on Linux with zig (scripts/macos-compile.sh,
// `npm run build:darwin`) and nothing here can load them. What can be checked
// cheaply: each is a Mach-O for its CPU carrying the current source hash,
// node-gyp-build picks it on that platform, the script builds what binding.gyp
// builds on a Mac, and (where zig is installed) the macOS-only sources still
// compile for both CPUs with warnings as errors, and a warning does fail the
// check. The full compile and link of both binaries is .ci/run's.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scratchDir } from '../helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { nativeSourceHash } = require('../../native/source-hash.cjs') as { nativeSourceHash: (root: string) => string };
const { readMachO } = require('../../scripts/macos/macho.cjs') as {
  readMachO: (bytes: Buffer) => { cpu: string; filetype: string; platform?: string; minos?: string; dylibs: string[]; signed: boolean } | undefined;
};
const sourceHash = nativeSourceHash(root);

const ARCHES = { x64: 'x86_64', arm64: 'arm64' } as const;

for (const [arch, cpu] of Object.entries(ARCHES)) {
  const file = path.join(root, 'prebuilds', `darwin-${arch}`, 'pollmatrix.node');

  test(`prebuilds/darwin-${arch} is a Mach-O ${cpu} for macOS 11+, needing only the system's libraries, with the current source hash (npm run build:darwin)`, () => {
    assert.ok(existsSync(file), `${file} is missing: npm run build:darwin`);
    const bytes = readFileSync(file);
    const info = readMachO(bytes);
    assert.ok(info, 'not a 64-bit Mach-O file');
    assert.is(info.cpu, cpu);
    assert.ok(['dylib', 'bundle'].includes(info.filetype), info.filetype);
    assert.is(info.platform, 'macos');
    assert.ok(Number(info.minos?.split('.')[0]) <= 11, `needs macOS ${info.minos}`);
    // zig links libc++ in statically; anything outside /usr/lib would not
    // be on a user's Mac.
    assert.ok(info.dylibs.length > 0 && info.dylibs.every((d) => d.startsWith('/usr/lib/')), info.dylibs.join(' '));
    // arm64 macOS refuses to map unsigned code; zig's linker signs ad hoc.
    if (cpu === 'arm64') assert.ok(info.signed, 'no code signature');
    assert.ok(bytes.includes(Buffer.from(sourceHash)), `stale: built from other sources than ${sourceHash}; npm run build:darwin`);
  });

  test(`node-gyp-build picks prebuilds/darwin-${arch}/pollmatrix.node on darwin-${arch}`, () => {
    const picked = spawnSync(process.execPath, ['-p', `require('node-gyp-build').resolve(${JSON.stringify(root)})`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, npm_config_platform: 'darwin', npm_config_arch: arch, PREBUILDS_ONLY: '1' },
    });
    assert.is(picked.status, 0, picked.stderr);
    assert.is(path.relative(root, picked.stdout.trim()), path.join('prebuilds', `darwin-${arch}`, 'pollmatrix.node'));
  });
}

// binding.gyp read by gyp itself for OS=mac and OS=linux, as the script
// does. Everything below starts at import, so that it runs while other test
// files run, and the tests wait for it.
interface GypTarget {
  sources: string[];
  defines: string[];
}

function gypTarget(os: string): Promise<GypTarget> {
  const args = [path.join('node_modules', 'node-gyp', 'gyp', 'gyp_main.py'), 'binding.gyp', '--depth=.', '-f', 'scripts/macos/gyp_target.py',
    '-I', 'scripts/macos/target-defaults.gypi', `-DOS=${os}`];
  return new Promise((resolve, reject) => {
    execFile('python3', args, { cwd: root, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`gyp OS=${os}: ${stderr || error.message}`)) : resolve((JSON.parse(stdout) as { targets: GypTarget[] }).targets[0]),
    );
  });
}

/** The sources whose code a Mac build compiles and a Linux build does not:
 * binding.gyp builds every file of native/backends/ everywhere, and each
 * mechanism's file guards itself with its HAVE_* macro (kqueue's with
 * HAVE_KQUEUE, which only the Mac and BSD builds define). */
function macSpecific(mac: GypTarget): string[] {
  return mac.sources.filter((f) => f.endsWith('.cc') && /^#if(def)? .*HAVE_KQUEUE/m.test(readFileSync(path.join(root, f), 'utf8')));
}

const havePython = spawnSync('python3', ['--version']).status === 0;
const sources = havePython ? Promise.all([gypTarget('mac'), gypTarget('linux')]) : undefined;
sources?.catch(() => {}); // reported by the tests that await it

(havePython ? test : test.skip)(
  `binding.gyp on a Mac builds kqueue and no Linux backend, and every .cc under native/ is built on some OS${havePython ? '' : ' (SKIPPED: no python3, which gyp needs)'}`,
  async () => {
    const [mac, linux] = await sources!;
    const globbed = (readdirSync(path.join(root, 'native'), { recursive: true }) as string[])
      .map((f) => `native/${f.split(path.sep).join('/')}`)
      .filter((f) => f.endsWith('.cc'));
    assert.ok(globbed.length > 10);
    // The rump kernel's instance of the system-call table is linked by
    // scripts/rump-addon.mk into the rump build of the addon, never by gyp.
    const rumpMk = readFileSync(path.join(root, 'scripts', 'rump-addon.mk'), 'utf8');
    const rump = (f: string) => rumpMk.includes(`$(ROOT)/${f}`);
    for (const f of globbed) assert.ok(mac.sources.includes(f) || linux.sources.includes(f) || rump(f), `${f} is built on no OS`);
    assert.ok(['native/os/rump.cc', 'native/os/rump_settle.cc', 'native/os/rump_errnos.cc'].every(rump), 'rump-addon.mk lists the rump instance');
    assert.ok(mac.defines.includes('HAVE_KQUEUE'), mac.defines.join(' '));
    assert.not.ok(mac.defines.some((d) => /^HAVE_(EPOLL|IO_URING)$/.test(d)), mac.defines.join(' '));
    assert.not.ok(linux.defines.includes('HAVE_KQUEUE'), linux.defines.join(' '));
    assert.ok(macSpecific(mac).some((f) => /kqueue/.test(f)), `Mac-specific sources: ${macSpecific(mac).join(' ')}`);
  },
);

// zig is installed by .ci/run (scripts/macos/zig.sh install), never by npm ci.
const zig = spawnSync(path.join(root, 'scripts', 'macos', 'zig.sh'), ['path'], { encoding: 'utf8' });
const zigSkip = zig.status === 0 ? undefined : (zig.stderr.trim() || 'zig is not installed');
const canCompile = zigSkip === undefined && havePython;
const skipped = zigSkip ? ` (SKIPPED: ${zigSkip})` : havePython ? '' : ' (SKIPPED: no python3)';

// One run of the script's --only mode (its flags, both CPUs, no link) over
// the sources only a Mac compiles, plus a file with one warning.
const warns = path.join(scratchDir('pollmatrix-macos-warn-'), 'warns.cc');
writeFileSync(warns, 'int pollmatrix_warns(int a) { int unused; return a; }\n');
const compiled = canCompile
  ? sources!.then(([mac]) => {
      const macOnly = macSpecific(mac);
      return new Promise<{ status: number; output: string; macOnly: string[] }>((resolve) => {
        execFile(path.join(root, 'scripts', 'macos-compile.sh'), ['--only', ...macOnly, warns], { cwd: root, encoding: 'utf8' }, (error, stdout, stderr) =>
          resolve({ status: error ? Number(error.code) : 0, output: stdout + stderr, macOnly }),
        );
      });
    })
  : undefined;
compiled?.catch(() => {});

(canCompile ? test : test.skip)(
  `zig compiles the macOS-only sources for x86_64 and arm64 macOS with 0 warnings, and one warning fails the check${skipped}`,
  async () => {
    const { status, output, macOnly } = await compiled!;
    assert.ok(macOnly.length > 0);
    assert.is(status, 1, output);
    // A block per failing file and CPU: the warning file's, twice, and no other.
    const failing = [...output.matchAll(/^--- (\S+) \((\S+)\):$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.equal(failing, [`${warns} x86_64-macos.11.0`, `${warns} aarch64-macos.11.0`]);
    assert.match(output, /unused variable 'unused' \[-Werror,-Wunused-variable\]/);
  },
);

test.run();
