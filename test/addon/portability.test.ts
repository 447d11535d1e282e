// The engine's non-Linux branches cannot run here, so they are compiled here:
// every shared native source, with __linux__ undefined and the Linux-only
// socket macros taken away (test/portability/macos-like.h), warning-free.
//
// One g++ per source, one after the other, is about 10 s. A source that
// compiled leaves a stamp in a folder named by a hash of all that goes in:
// every native source and header (native/source-hash.cjs), macos-like.h,
// the flags, node-addon-api's and node's versions and g++'s; while none of it
// changes, the stamp stands for the compile. Under POLLMATRIX_LONG_TESTS=1 (CI) every source is compiled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packageRoot } from '../../src/model/package-root.js';
import { LONG_TESTS } from '../long.js';
import { cacheDir, makeCacheDir } from '../cache.js';

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

const macosLike = path.join(packageRoot, 'test', 'portability', 'macos-like.h');
const flags = [
  '-std=c++17', '-fsyntax-only', '-Wall', '-Wextra', '-Werror',
  '-I', napiDir, '-I', '/usr/include/node', // not native/: its limits.h would shadow <limits.h>
  '-DNAPI_VERSION=8', '-DNAPI_DISABLE_CPP_EXCEPTIONS', '-DPOLLMATRIX_SOURCE_HASH=hcheck',
  '-U__linux__', '-include', macosLike,
];

const { nativeSourceHash } = createRequire(import.meta.url)('../../native/source-hash.cjs') as { nativeSourceHash: (root: string) => string };
const stampKey = usable
  ? createHash('sha256')
        .update(nativeSourceHash(packageRoot))
        .update(readFileSync(macosLike))
        .update(readFileSync(path.join(napiDir, 'package.json')))
        .update(JSON.stringify(flags))
        .update(gxx.stdout ?? '')
        .update(process.version) // the headers in /usr/include/node
        .digest('hex')
        .slice(0, 24)
  : '';
const stampDir = usable ? cacheDir('portability', stampKey) : '';
const stamp = (source: string) => path.join(stampDir, `${source.replace(/\//g, '_')}.ok`);
const compiledBefore = (source: string) => usable && !LONG_TESTS && existsSync(stamp(source));

function compile(source: string): void {
  if (compiledBefore(source)) return;
  const args = [...flags, path.join(packageRoot, 'native', source)];
  const r = spawnSync('g++', args, { encoding: 'utf8' });
  if (r.status !== 0) assert.unreachable(`g++ ${args.join(' ')}\n${r.stderr}`);
  try {
    if (!existsSync(stampDir)) makeCacheDir('portability', stampKey);
    writeFileSync(stamp(source), '');
  } catch {
    // No stamp: the next run compiles it again.
  }
}

for (const source of sources) {
  const reused = compiledBefore(source) ? ` (compiled before from the same sources, flags and g++, ${path.basename(stampDir)}; POLLMATRIX_LONG_TESTS=1 compiles afresh)` : '';
  (usable ? test : test.skip)(`native/${source} compiles as macOS would take it (no __linux__, no MSG_NOSIGNAL/MSG_MORE/SOCK_CLOEXEC/POLLRDHUP)${reused}`, () => {
    compile(source);
  });
}

test.run();
