// A cache for what a test builds from the sources (a compiled harness, a
// compile's stamp), kept between runs so that `npm test` does not redo
// seconds of g++ when native/ did not change. It lives where npm tools keep
// theirs, node_modules/.cache/pollmatrix-tests/, so removing node_modules
// removes it; a key holds every input, and making one removes the same
// kind's other keys, so one state of native/ at a time is kept, never a
// growing pile (and nothing is left in /tmp).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/model/package-root.js';

const root = path.join(packageRoot, 'node_modules', '.cache', 'pollmatrix-tests');

/** The folder for `kind` (e.g. 'kq-harness') at `key`, not made yet. */
export function cacheDir(kind: string, key: string): string {
  return path.join(root, `${kind}-${key}`);
}

/** Makes the folder for `kind` at `key`, removing that kind's other keys. */
export function makeCacheDir(kind: string, key: string): string {
  const dir = cacheDir(kind, key);
  mkdirSync(root, { recursive: true });
  for (const entry of readdirSync(root)) {
    if (entry.startsWith(`${kind}-`) && entry !== path.basename(dir)) rmSync(path.join(root, entry), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}
