// Every subcommand, in the order `pollmatrix --help` lists them. A new
// subcommand is one file in this folder and one line here.
import { backends } from './backends.js';
import { check } from './check.js';
import type { Command } from './command.js';
import { fuzz } from './fuzz.js';
import { list } from './list.js';
import { merge } from './merge.js';
import { run } from './run.js';
import { trace } from './trace.js';
import { transports } from './transports.js';

export const COMMANDS: Command[] = [run, trace, fuzz, merge, check, list, backends, transports];
