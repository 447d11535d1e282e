#!/usr/bin/env node
// The `pollmatrix` executable: the command line lives in app.ts.
import { main, wantColour } from './app.js';

// A reader that goes away (`pollmatrix | head`) is not an error worth a trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = main(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  colour: wantColour(process.stdout.isTTY, process.env),
});
