// `-o FILE`: the text goes to a temporary file in FILE's folder, which is then
// renamed over FILE. A rename within one file system is atomic, so a reader
// sees the old file or the new one, and a failed write (a full disk) leaves the
// old file as it was and no temporary file behind.
import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../model/errors.js';

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const text = (e.message ?? String(err)).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '').replace(/, \w+$/, '');
  return e.code ? `${e.code} (${text})` : text;
}

export function writeFileAtomic(file: string, text: string): void {
  const target = path.resolve(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(target).mode & 0o777;
  } catch {
    // A new file: the default mode.
  }
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (err) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
    throw new UsageError(`-o ${file}: cannot write it: ${reason(err)}; the old file, if any, is unchanged`);
  }
}
