// Shared by the tests: run the CLI in-process, read the seed traces, make
// scratch folders that are gone when the tests end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import type { Binding } from '../src/native/binding.js';

export const testDir = path.dirname(fileURLToPath(import.meta.url));

const scratch: string[] = [];
process.on('exit', () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A new folder in the system's temporary folder (`prefix` + six random
 * characters), removed with everything in it when the test process exits:
 * npm test leaves nothing behind. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export interface Captured {
  code: number;
  out: string;
  err: string;
}

export function cli(argv: string[], binding?: Binding): Captured {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
  const code = binding ? main(argv, io, () => binding) : main(argv, io);
  return { code, out, err };
}

export interface SeedTrace {
  args: string[];
  lines: string[];
}

/** The six traces from haproxy's notes, as committed in fixtures/. */
export function seedTraces(): SeedTrace[] {
  const text = readFileSync(path.join(testDir, 'fixtures', 'seed-traces.txt'), 'utf8');
  const traces: SeedTrace[] = [];
  for (const block of text.split('\n$ ').slice(1)) {
    const [argsLine, ...rest] = block.trim().split('\n');
    traces.push({ args: argsLine.split(' '), lines: rest });
  }
  return traces;
}

/** Descriptor numbers out: `pol(c=4)` -> `pol(c=#)`, and accept()'s return. */
export function withoutDescriptors(line: string): string {
  return line.replace(/\(([lcs])=\d+\)/, '($1=#)').replace(/^(cmd #\d+ stp #\d+: acc\([lcs]=#\): ret=)\d+$/, '$1#');
}
