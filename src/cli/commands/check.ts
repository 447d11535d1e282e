// `pollmatrix check FILE...`: recorded result documents, from any OS, against
// the catalogue's expectations for each document's platform and backends.
// Exit 1 when an expectation is not met.
import { loadCatalogue } from '../../model/catalogue.js';
import { checkDocument, checkReportLines, uncheckable } from '../../run/check.js';
import { UsageError } from '../../model/errors.js';
import { catalogueDir } from '../../run/run-matrix.js';
import type { Command } from './command.js';
import { readDocumentFiles } from '../document-files.js';
import { knownNames } from '../../native/vocabulary.js';
import { vocabularyOf } from '../../native/vocabulary.js';

export const check: Command = {
  name: 'check',
  summary: "recorded result documents against the catalogue's expectations",
  usage: 'usage: pollmatrix check FILE...    (FILE - reads standard input)',
  description:
    "Checks result documents (pollmatrix run --format json -o FILE), from any OS, against the catalogue's expectations for each document's platform and backends, and prints what was met and what was not. Every file is read and validated before anything is printed. Literature decides: exit 1 when a documented expectation is not met. Cells recorded on one Linux machine (source measured: linux RELEASE) are a baseline: a difference from them is listed apart and fails only --strict.",
  options: [
    {
      name: 'strict',
      help: 'Also fail (exit 1) on cells that differ from a recording (measured: linux RELEASE) and on columns of a mechanism the OS does not have. Default: only literature decides the exit status.',
    },
  ],
  positionals: true,
  run(parsed, { io, binding }) {
    if (parsed.positionals.length === 0) throw new UsageError('check needs at least one result file (pollmatrix run --format json -o FILE), or - for standard input');
    const documents = readDocumentFiles('check', parsed.positionals, io, knownNames(binding()));
    for (const { file, document } of documents) {
      const problem = uncheckable(document);
      if (problem) throw new UsageError(`${file}: ${problem}`);
    }
    const catalogue = loadCatalogue(catalogueDir, vocabularyOf(binding()));
    let failed = false;
    const blocks = documents.map(({ file, document }) => {
      const report = checkDocument(catalogue, document);
      if (report.mismatches.length > 0) failed = true;
      if (parsed.values.strict && (report.baseline.length > 0 || report.impossible.length > 0)) failed = true;
      return checkReportLines(report, file).join('\n');
    });
    io.out(blocks.join('\n\n') + '\n');
    return failed ? 1 : 0;
  },
};
