// Reading result documents named on the command line, for merge and check:
// each file read whole and validated against the schema (document.ts), `-`
// for standard input. Only a regular file or `-` is read, up to
// MAX_DOCUMENT_BYTES: a FIFO, a device or a folder is refused before a byte
// is read (a FIFO with no writer would block for ever), and a file that is
// not UTF-8 JSON is named for what it is (model/document-text.ts). A file
// that cannot be read or is not a document is one line naming it, exit 2.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { bytesProblem, bytesText, MAX_DOCUMENT_BYTES, megabytes } from '../model/document-text.js';
import { parseDocumentText, resultDocuments, type ResultDocument } from '../model/document.js';
import { UsageError } from '../model/errors.js';
import type { Io } from './commands/command.js';

/** What a path is, when it is not a regular file. */
function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'is a folder, not a document';
  if (stats.isFIFO()) return 'is a FIFO (named pipe), not a regular file; to read a pipe, give - and send it to standard input';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/** A regular file's bytes, at most one more than the limit. Opened without
 * blocking: opening a FIFO for reading would wait for a writer. */
function readRegularFile(file: string): Uint8Array {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  try {
    const stats = fstatSync(fd);
    const problem = notRegular(stats);
    if (problem) throw new UsageError(`${file}: ${problem}`);
    if (stats.size > MAX_DOCUMENT_BYTES) throw new UsageError(`${file}: is ${stats.size.toLocaleString('en-US')} bytes; pollmatrix reads documents of up to ${megabytes(MAX_DOCUMENT_BYTES)}`);
    return readUpTo(fd, MAX_DOCUMENT_BYTES + 1);
  } finally {
    closeSync(fd);
  }
}

/** Up to `limit` bytes of a descriptor, to its end. */
export function readUpTo(fd: number, limit: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.alloc(Math.min(1 << 20, limit - total));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      // Standard input may be a non-blocking pipe that is empty for now.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks);
}

/** Every result document in `files` (a merged document holds several),
 * with the name it was read from (`stdin` for -). */
export function readDocumentFiles(where: string, files: string[], io: Io): Array<{ file: string; document: ResultDocument }> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError(`${where}: - (standard input) given twice`);
  return files.flatMap((file) => {
    const source = file === '-' ? 'stdin' : file;
    let content: string | Uint8Array;
    try {
      if (file === '-') {
        if (!io.readStdin) throw new UsageError(`${where}: - needs standard input`);
        content = io.readStdin(MAX_DOCUMENT_BYTES + 1);
      } else content = readRegularFile(file);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${source}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    let text: string;
    if (typeof content === 'string') {
      if (content.length > MAX_DOCUMENT_BYTES) throw new UsageError(`${source}: holds more than ${megabytes(MAX_DOCUMENT_BYTES)}; pollmatrix reads documents of up to ${megabytes(MAX_DOCUMENT_BYTES)}`);
      text = content;
    } else {
      const problem = bytesProblem(content);
      if (problem) throw new UsageError(`${source}: ${problem}`);
      text = bytesText(content);
    }
    return resultDocuments(parseDocumentText(text, source)).map((document) => ({ file: source, document }));
  });
}
