// Reading result documents named on the command line, for merge and check:
// each file read whole and validated against the schema (document.ts), `-`
// for standard input. A file that cannot be read or is not a document is one
// line naming it, exit 2.
import { readFileSync } from 'node:fs';
import { parseDocumentText, resultDocuments, type ResultDocument } from '../model/document.js';
import { UsageError } from '../model/errors.js';
import type { Io } from './commands/command.js';

/** Every result document in `files` (a merged document holds several),
 * with the name it was read from (`stdin` for -). */
export function readDocumentFiles(where: string, files: string[], io: Io): Array<{ file: string; document: ResultDocument }> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError(`${where}: - (standard input) given twice`);
  return files.flatMap((file) => {
    const source = file === '-' ? 'stdin' : file;
    let text: string;
    try {
      if (file === '-') {
        if (!io.readStdin) throw new UsageError(`${where}: - needs standard input`);
        text = io.readStdin();
      } else text = readFileSync(file, 'utf8');
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${source}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return resultDocuments(parseDocumentText(text, source)).map((document) => ({ file: source, document }));
  });
}
