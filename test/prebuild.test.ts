// The addon in use and the committed prebuild must both be built from the
// sources in native/: a stale binary would report results of old code.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding, packageRoot, type Binding } from '../src/binding.js';

const require = createRequire(import.meta.url);
const { nativeSourceHash } = require('../native/source-hash.cjs') as { nativeSourceHash: (root: string) => string };
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

test.run();
