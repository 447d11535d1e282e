// `pollmatrix check FILE...`: recorded result documents, from any OS, against
// the catalogue's expectations for each document's platform and backends.
// Exit 1 when an expectation is not met.
import { readFileSync } from 'node:fs';
import { loadCatalogue } from '../catalogue.js';
import { checkDocument, checkReportLines } from '../check.js';
import { parseDocumentText, resultDocuments, type ResultDocument } from '../document.js';
import { UsageError } from '../errors.js';
import { catalogueDir } from '../run-matrix.js';
import type { Command } from './command.js';

/** A file's result documents (a merged document holds several), validated. */
export function readDocuments(file: string): ResultDocument[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return resultDocuments(parseDocumentText(text, file));
}

export const check: Command = {
  name: 'check',
  summary: "recorded result documents against the catalogue's expectations",
  usage: 'usage: pollmatrix check FILE...',
  description:
    "Checks result documents (pollmatrix run --format json -o FILE), from any OS, against the catalogue's expectations for each document's platform and backends, and prints what was met and what was not. Every file is read and validated before anything is printed. Exit 1 when an expectation is not met.",
  options: [],
  positionals: true,
  run(parsed, { io, binding }) {
    if (parsed.positionals.length === 0) throw new UsageError('check needs at least one result file (pollmatrix run --format json -o FILE)');
    const documents = parsed.positionals.flatMap((file) => readDocuments(file).map((document) => ({ file, document })));
    const catalogue = loadCatalogue(catalogueDir, binding());
    let failed = false;
    const blocks = documents.map(({ file, document }) => {
      const report = checkDocument(catalogue, document);
      if (report.mismatches.length > 0) failed = true;
      return checkReportLines(report, file).join('\n');
    });
    io.out(blocks.join('\n\n') + '\n');
    return failed ? 1 : 0;
  },
};
