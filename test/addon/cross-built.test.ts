// A document made with a cross-built addon says so (issue 16): the darwin
// prebuilds are built with zig on Linux (scripts/macos-compile.sh) and no Mac
// has loaded them before they measure. The prebuilds cannot be rebuilt or
// loaded here, so the macro path is tested in its parts: the script defines
// PM_CROSS_BUILT, native/napi/build.h turns it into "cross-built" (compiled
// here with and without it), platform() exports it (the same addon_build()
// this addon was built with: absent), and the TypeScript puts it in the
// document and the platform line (test/unit/api.test.ts has the fake side).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addonBuild, loadBinding, packageRoot } from '../../src/native/binding.js';
import { platformFacts } from '../../src/native/platform.js';
import { scratchDir } from '../helpers.js';

const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' }).status === 0;
const withGxx = gxx ? test : test.skip;

function addonBuildWith(defines: string[]): string {
  const dir = scratchDir('pollmatrix-build-h-');
  try {
    const main = path.join(dir, 'main.cc');
    writeFileSync(main, `#include <cstdio>\n#include "native/napi/build.h"\nint main() { const char *b = pollmatrix::addon_build(); std::printf("%s", b ? b : "(none)"); }\n`);
    const exe = path.join(dir, 'main');
    const built = spawnSync('g++', ['-std=c++17', '-Wall', '-Wextra', '-Werror', ...defines, '-I', packageRoot, main, '-o', exe], { encoding: 'utf8' });
    assert.is(built.status, 0, built.stderr);
    return spawnSync(exe, { encoding: 'utf8' }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

withGxx(`native/napi/build.h: "cross-built" with PM_CROSS_BUILT=1 (as scripts/macos-compile.sh builds), nothing without${gxx ? '' : ' (skipped: needs g++)'}`, () => {
  assert.is(addonBuildWith(['-DPM_CROSS_BUILT=1']), 'cross-built');
  assert.is(addonBuildWith([]), '(none)');
});

test('scripts/macos-compile.sh builds the darwin prebuilds with PM_CROSS_BUILT=1', () => {
  const script = readFileSync(path.join(packageRoot, 'scripts', 'macos-compile.sh'), 'utf8');
  assert.match(script, /^defines\+=\("PM_CROSS_BUILT=1"\)$/m);
});

test("this addon was built here: platform() says nothing of cross-building, and the document says which file was loaded", () => {
  const binding = loadBinding();
  assert.is(binding.platform().addon, undefined);
  const file = (createRequire(import.meta.url)('node-gyp-build') as { path(dir: string): string }).path(packageRoot);
  const expected = path.relative(packageRoot, file).startsWith(`prebuilds${path.sep}`) ? 'prebuild' : 'source';
  assert.is(addonBuild(binding), expected);
  assert.is(platformFacts(binding, 'private').addon, expected);
});

test.run();
