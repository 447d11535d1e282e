// The shape ARCHITECTURE.md draws, kept by a test: src/ in layer folders
// whose imports only go down (model <- native <- present <- run <- cli <-
// the root's entry points), no import cycle, few files at either root, and
// N-API only in native/napi/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packageRoot } from '../../src/model/package-root.js';

const LAYERS = ['model', 'native', 'present', 'run', 'cli'];
const src = path.join(packageRoot, 'src');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(name) ? [p] : [];
  });
}

/** A file's layer: its folder's rank, or one above every layer at the root. */
const rank = (file: string) => {
  const parts = path.relative(src, file).split(path.sep);
  return parts.length === 1 ? LAYERS.length : LAYERS.indexOf(parts[0]);
};

/** Every relative import (type-only ones too: they are arrows all the same). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => path.join(path.dirname(file), m[1]).replace(/\.js$/, '.ts'));
}

const graph = new Map(files(src, /\.ts$/).map((f) => [f, imports(f)]));

test('every src/ file is in a layer folder or is one of at most 5 at the root', () => {
  for (const file of graph.keys()) assert.ok(rank(file) >= 0, `${path.relative(src, file)} is in no layer folder (${LAYERS.join(', ')})`);
  const root = readdirSync(src).filter((name) => !statSync(path.join(src, name)).isDirectory());
  assert.ok(root.length <= 5, `src/ has ${root.length} files at its root: ${root.join(' ')}`);
});

test('imports go down the layers, never up', () => {
  const up: string[] = [];
  for (const [file, deps] of graph) {
    for (const dep of deps) if (rank(dep) > rank(file)) up.push(`${path.relative(src, file)} -> ${path.relative(src, dep)}`);
  }
  assert.equal(up, []);
});

test('the import graph has no cycle', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, stack: string[]) => {
    state.set(file, 'open');
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), file, dep].map((f) => path.relative(src, f)).join(' -> '));
      else if (!state.has(dep)) visit(dep, [...stack, file]);
    }
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, []);
  assert.equal(cycles, []);
});

test('every import names a file that exists', () => {
  for (const [file, deps] of graph) for (const dep of deps) assert.ok(graph.has(dep), `${path.relative(src, file)} imports ${path.relative(src, dep)}, which is not there`);
});

const native = path.join(packageRoot, 'native');

test('native/: at most 6 files at its root, and only napi/ includes napi.h', () => {
  const root = readdirSync(native).filter((name) => !statSync(path.join(native, name)).isDirectory());
  assert.ok(root.length <= 6, `native/ has ${root.length} files at its root: ${root.join(' ')}`);
  const napi = files(native, /\.(cc|h|def)$/).filter((f) => /#include\s*[<"]napi\.h[>"]/.test(readFileSync(f, 'utf8')));
  assert.ok(napi.length > 0, 'the JavaScript boundary includes napi.h somewhere');
  assert.equal(napi.filter((f) => !f.startsWith(path.join(native, 'napi') + path.sep)).map((f) => path.relative(packageRoot, f)), []);
});

test.run();
