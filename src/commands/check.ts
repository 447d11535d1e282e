// `pollmatrix check FILE...`: recorded result documents, from any OS, against
// the catalogue's expectations for each document's platform and backends.
// Exit 1 when an expectation is not met.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot, type Binding } from '../binding.js';
import { loadCatalogue } from '../catalogue.js';
import { checkDocument, checkReportLines } from '../check.js';
import { parseDocument, type ResultDocument } from '../document.js';
import { UsageError } from '../errors.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function readDocument(file: string): ResultDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  return parseDocument(json, file);
}

export function cmdCheck(binding: Binding, args: string[], io: Io): number {
  let positionals: string[];
  try {
    positionals = parseArgs({ args, strict: true, allowPositionals: true, options: {} }).positionals;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  if (positionals.length === 0) throw new UsageError('check needs at least one result file (pollmatrix run --format json -o FILE)');
  // Every file is read and validated before anything is printed.
  const documents = positionals.map((file) => ({ file, document: readDocument(file) }));
  const catalogue = loadCatalogue(path.join(packageRoot, 'matrix'), binding);
  let failed = false;
  const blocks = documents.map(({ file, document }) => {
    const check = checkDocument(catalogue, document);
    if (check.mismatches.length > 0) failed = true;
    return checkReportLines(check, file).join('\n');
  });
  io.out(blocks.join('\n\n') + '\n');
  return failed ? 1 : 0;
}
