// The engine's non-Linux branches cannot run here, so they are compiled here:
// every shared native source, with __linux__ undefined and the Linux-only
// socket macros taken away (test/portability/macos-like.h), warning-free.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packageRoot } from '../../src/model/package-root.js';

const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' });
const usable = gxx.status === 0 && process.platform === 'linux';
const napiDir = path.dirname(createRequire(import.meta.url).resolve('node-addon-api/package.json'));
// Every source binding.gyp compiles (a backend only some systems have guards
// its whole file, and compiles to nothing here). Not the system-call
// table's rump instance (native/os/rump*.cc): it exists only for a Linux
// host, against the rump kernel's headers (scripts/rump-addon.mk; its tests
// are test/addon/rump*.test.ts).
const folders = ['napi', 'engine', 'workers', 'backends', 'transports', 'os'];
const sources = folders.flatMap((dir) =>
  readdirSync(path.join(packageRoot, 'native', dir))
    .filter((f) => f.endsWith('.cc') && !(dir === 'os' && f.startsWith('rump')))
    .sort()
    .map((f) => `${dir}/${f}`),
);

function compile(source: string, extra: string[]): void {
  const args = [
    '-std=c++17', '-fsyntax-only', '-Wall', '-Wextra', '-Werror',
    '-I', napiDir, '-I', '/usr/include/node', // not native/: its limits.h would shadow <limits.h>
    '-DNAPI_VERSION=8', '-DNAPI_DISABLE_CPP_EXCEPTIONS', '-DPOLLMATRIX_SOURCE_HASH=hcheck',
    ...extra, path.join(packageRoot, 'native', source),
  ];
  const r = spawnSync('g++', args, { encoding: 'utf8' });
  if (r.status !== 0) assert.unreachable(`g++ ${args.join(' ')}\n${r.stderr}`);
}

for (const source of sources) {
  (usable ? test : test.skip)(`native/${source} compiles as macOS would take it (no __linux__, no MSG_NOSIGNAL/MSG_MORE/SOCK_CLOEXEC/POLLRDHUP)`, () => {
    compile(source, ['-U__linux__', '-include', path.join(packageRoot, 'test', 'portability', 'macos-like.h')]);
  });
}

test.run();
