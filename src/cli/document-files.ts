// Reading result documents named on the command line, for merge and check:
// each file read whole and validated against the schema (document.ts), `-`
// for standard input. Only a regular file or `-` is read, up to
// MAX_DOCUMENT_BYTES: a FIFO, a device or a folder is refused before a byte
// is read (a FIFO with no writer would block for ever), and a file that is
// not UTF-8 JSON is named for what it is (model/document-text.ts). A file
// that cannot be read or is not a document is one line naming it, exit 2.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { bytesProblem, bytesText, MAX_DOCUMENT_BYTES, megabytes } from '../model/document-text.js';
import { isMergedDocument, parseDocumentText, resultDocuments, type MergedDocument, type ResultDocument } from '../model/document.js';
import type { KnownNames } from '../model/document-rules.js';
import { UsageError } from '../model/errors.js';
import { buildMatrix, type MatrixOptions } from '../present/matrix.js';
import { mergedDocument } from '../present/render/json.js';
import type { Io } from './commands/command.js';


/** A merged document's table (columns and rows, as text) is what its
 * documents give, in one of the views merge writes (raw, --raw, normalised;
 * every row or --only-diff): pollmatrix never reads that table, but a reader
 * of the file would, so an edited one is refused. */
function checkMergedTable(doc: MergedDocument, source: string): void {
  const fail = (at: string, what: string) => {
    throw new UsageError(`${source}: ${at}: ${what}; merge the result documents again (or it was merged by another pollmatrix version)`);
  };
  const text = (value: unknown) => JSON.stringify(value);
  const views: MatrixOptions[] = [{}, { hex: true }, { view: 'normalised' }];
  const tables = views.flatMap((view) => [false, true].map((onlyDiff) => () => mergedDocument(doc.documents, buildMatrix(doc.documents, { ...view, onlyDiff }))));
  const first = tables[0]();
  const columns = first.columns;
  doc.columns.forEach((c, i) => {
    if (text(c) !== text(columns[i])) fail(`columns[${i}]`, `${text(c)}, but its documents give ${text(columns[i] ?? 'no such column')}`);
  });
  if (doc.columns.length !== columns.length) fail('columns', `${doc.columns.length} columns, but its documents give ${columns.length}`);
  const rows = text(doc.rows);
  if (rows === text(first.rows) || tables.slice(1).some((table) => text(table().rows) === rows)) return;
  const same = tables.map((t) => t().rows).find((r) => r.length === doc.rows.length) ?? first.rows;
  doc.rows.forEach((row, i) => {
    const want = same[i];
    if (!want) fail(`rows[${i}]`, 'a row its documents do not give');
    for (const key of ['scenario', 'steps', 'step', 'differs'] as const) if (row[key] !== want[key]) fail(`rows[${i}].${key}`, `${text(row[key])}, but its documents give ${text(want[key])}`);
    row.cells.forEach((cell, k) => {
      if (cell !== want.cells[k]) fail(`rows[${i}].cells[${k}]`, `says '${cell}', but its documents give '${want.cells[k] ?? 'no such cell'}'`);
    });
    if (row.cells.length !== want.cells.length) fail(`rows[${i}].cells`, `${row.cells.length} cells, but its documents give ${want.cells.length}`);
  });
  fail('rows', `${doc.rows.length} rows, but its documents give ${same.length}`);
}

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
export function readDocumentFiles(where: string, files: string[], io: Io, known?: KnownNames): Array<{ file: string; document: ResultDocument }> {
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
    const parsed = parseDocumentText(text, source, known);
    if (isMergedDocument(parsed)) checkMergedTable(parsed, source);
    return resultDocuments(parsed).map((document) => ({ file: source, document }));
  });
}
