#!/usr/bin/env node
// The `pollmatrix` executable: wires the process (stdout, stderr, Ctrl-C,
// colour, the terminal's width) to main() in cli/main.ts.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main, wantColour, type Io } from './cli/main.js';
import { readUpTo } from './cli/document-files.js';

/** POLLMATRIX_PROGRESS_AFTER_MS: how long a run goes before the bar shows. */
function progressDelay(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.POLLMATRIX_PROGRESS_AFTER_MS;
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A reader that goes away (`pollmatrix | head`) is not an error worth a trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const interrupt = new AbortController();
  // The first Ctrl-C stops a run between two runs; a second one ends at once.
  process.once('SIGINT', () => {
    interrupt.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const io: Io = {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    colour: wantColour(process.stdout.isTTY, process.env),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    progress: process.stderr.isTTY ? { columns: process.stderr.columns, afterMs: progressDelay(process.env) } : undefined,
    readStdin: (limit) => readUpTo(0, limit),
    signal: interrupt.signal,
  };
  Promise.resolve(main(process.argv.slice(2), io)).then((code) => {
    process.exitCode = code;
  });
}
