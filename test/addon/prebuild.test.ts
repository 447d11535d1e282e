// The addon in use and the committed prebuild must both be built from the
// sources in native/: a stale binary would report results of old code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding, type Binding } from '../../src/native/binding.js';
import { packageRoot } from '../../src/model/package-root.js';

const require = createRequire(import.meta.url);
const { nativeSourceHash } = require('../../native/source-hash.cjs') as { nativeSourceHash: (root: string) => string };
const sourceHash = nativeSourceHash(packageRoot);
const prebuild = path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`, 'pollmatrix.node');
const havePrebuild = existsSync(prebuild);

test('the loaded addon was built from the current native sources', () => {
  assert.is(loadBinding().sourceHash, sourceHash);
});

(havePrebuild ? test : test.skip)(
  `the committed prebuild matches native/ (rebuild with npm run prebuildify) [${process.platform}-${process.arch}]`,
  () => {
    // Loaded by path, so a broken or stale prebuild cannot hide behind build/.
    const binding = require(prebuild) as Binding;
    assert.is(binding.sourceHash, sourceHash);
    assert.ok(binding.backends().some((b) => b.name === 'poll' && b.available));
  },
);

test('linux-x64 has a committed prebuild, so npm install compiles nothing there', () => {
  assert.ok(existsSync(path.join(packageRoot, 'prebuilds', 'linux-x64', 'pollmatrix.node')));
});

// Every committed prebuild, whatever its arch, embeds the hash of the sources
// it was built from as a string; one that cannot be loaded here is checked
// through its bytes.
const prebuilds = existsSync(path.join(packageRoot, 'prebuilds'))
  ? readdirSync(path.join(packageRoot, 'prebuilds')).map((dir) => path.join(packageRoot, 'prebuilds', dir, 'pollmatrix.node'))
  : [];
for (const file of prebuilds) {
  test(`${path.relative(packageRoot, file)} embeds the current source hash`, () => {
    assert.ok(existsSync(file), `${file} is missing`);
    assert.ok(readFileSync(file).includes(Buffer.from(sourceHash)), 'stale: rebuild it (README: Development)');
  });
}

// prebuildify writes an x86-64 binary into linux-arm64/ when CC/CXX are not
// the cross compilers (README: Development), so the ELF machine is checked.
const ELF_MACHINE: Record<string, number> = { 'linux-x64': 62, 'linux-arm64': 183 }; // EM_X86_64, EM_AARCH64
for (const [dir, machine] of Object.entries(ELF_MACHINE)) {
  const file = path.join(packageRoot, 'prebuilds', dir, 'pollmatrix.node');
  (existsSync(file) ? test : test.skip)(`prebuilds/${dir} is an ELF shared object for ${dir}`, () => {
    const header = readFileSync(file).subarray(0, 20);
    assert.equal([...header.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]); // \x7fELF
    assert.is(header.readUInt16LE(16), 3); // ET_DYN
    assert.is(header.readUInt16LE(18), machine);
  });
}

test.run();
