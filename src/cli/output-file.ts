// `-o FILE`: the text goes to a temporary file in FILE's folder, which is then
// renamed over FILE. A rename within one file system is atomic, so a reader
// sees the old file or the new one, and a failed write (a full disk) leaves the
// old file as it was and no temporary file behind.
//
// -o writes regular files only. It is checked before anything runs (a
// mistyped folder must not throw away minutes of measurement), and again
// just before the rename: FILE must be a regular file that may be replaced,
// or a new name in a folder where a file can be created. A rename would
// replace a symbolic link, a FIFO or a device with a regular file (as root,
// `-o /dev/null` would replace the device), so those are refused, as is a
// read-only file; for a pipe, a terminal or /dev/stdout, leave out -o and
// use standard output. Every refusal is one line naming the problem.
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, closeSync, constants, lstatSync, openSync, readlinkSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../model/errors.js';

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const text = (e.message ?? String(err)).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '').replace(/, \w+$/, '');
  return e.code ? `${e.code} (${text})` : text;
}

const USE_STDOUT = '-o writes regular files only: leave out -o to write to standard output (a pipe, a terminal)';

/** What FILE is, when it is not something -o may replace. */
function notReplaceable(file: string, stats: Stats): string | undefined {
  if (stats.isSymbolicLink()) {
    let to = '';
    try {
      to = ` to ${readlinkSync(file)}`;
    } catch {
      // Unreadable link: name it without its target.
    }
    return `is a symbolic link${to}; -o never replaces a link: name the file itself, or leave out -o to write to standard output`;
  }
  if (stats.isDirectory()) return 'is a folder; give a file name';
  if (stats.isFIFO()) return `is a FIFO (named pipe); ${USE_STDOUT}`;
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return `is a device; ${USE_STDOUT}`;
  if (stats.isSocket()) return `is a socket; ${USE_STDOUT}`;
  if (!stats.isFile()) return `is not a regular file; ${USE_STDOUT}`;
  // Root may write a file without a write bit; a file that says read-only
  // is left alone all the same.
  if ((stats.mode & 0o222) === 0) return `is read-only (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}); -o does not replace a read-only file`;
  try {
    accessSync(file, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EROFS' ? 'is on a read-only file system' : `is read-only for this user (${reason(err)}); -o does not replace it`;
  }
  return undefined;
}

/** The folder -o would create FILE in, checked: it exists, is a folder, and
 * a file can be made there (a probe file, made and removed at once). */
function checkFolder(file: string, target: string): void {
  const folder = path.dirname(target);
  let stats: Stats;
  try {
    stats = statSync(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`-o ${file}: folder ${folder} does not exist`);
    if (code === 'ENOTDIR') throw new UsageError(`-o ${file}: a part of ${folder} is not a folder`);
    throw new UsageError(`-o ${file}: cannot look at folder ${folder}: ${reason(err)}`);
  }
  if (!stats.isDirectory()) throw new UsageError(`-o ${file}: ${folder} is not a folder`);
  const probe = temporaryName(target);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (err) {
    throw new UsageError(`-o ${file}: cannot create a file in ${folder}: ${reason(err)}`);
  }
}

const temporaryName = (target: string) => path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

/**
 * Checks that -o FILE can be written: a regular file that may be replaced,
 * or a new file in a folder where one can be made. Throws a UsageError
 * naming the problem; returns the mode of the file it will replace
 * (undefined for a new file).
 */
export function checkOutputFile(file: string): number | undefined {
  if (file === '') throw new UsageError("-o needs a file name, got ''");
  if (file.endsWith('/')) throw new UsageError(`-o ${file}: names a folder; give a file name`);
  const target = path.resolve(file);
  let stats: Stats | undefined;
  try {
    stats = lstatSync(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new UsageError(`-o ${file}: a part of the path is not a folder`);
    if (code !== 'ENOENT') throw new UsageError(`-o ${file}: cannot look at it: ${reason(err)}`);
  }
  if (stats) {
    const problem = notReplaceable(target, stats);
    if (problem) throw new UsageError(`-o ${file}: ${problem}`);
  }
  checkFolder(file, target);
  return stats ? stats.mode & 0o777 : undefined;
}

export function writeFileAtomic(file: string, text: string): void {
  // Again, just before writing: the run may have taken minutes.
  const mode = checkOutputFile(file);
  const target = path.resolve(file);
  const temporary = temporaryName(target);
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
