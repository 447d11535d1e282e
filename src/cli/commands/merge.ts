// `pollmatrix merge`: one table from the result documents of several machines.
import { UsageError } from '../../model/errors.js';
import type { Command } from './command.js';
import { readDocumentFiles } from '../document-files.js';
import { knownNames } from '../../native/vocabulary.js';
import { emit, RENDER_OPTIONS, renderRequest } from '../render-options.js';

export const merge: Command = {
  name: 'merge',
  summary: 'one table from the result documents of several machines',
  usage: 'usage: pollmatrix merge [options] FILE...    (FILE - reads standard input)',
  description:
    'Reads result documents (pollmatrix run --format json -o FILE) and merged documents (merge --format json), validates each against the published schema (src/schema/*.schema.json), and prints one table across the machines: the table and the HTML report put them side by side, a row per pol step and mechanism and a column per machine, the scenarios where they differ first (two machines fit 120 columns, four 200; more are stacked); Markdown, CSV and JSON have a column per machine and backend. A column label names only what tells the machines apart (os, release, arch); a scenario one machine did not run says "not measured". A bad document is one line naming the file and the JSON path, exit 2.',
  options: RENDER_OPTIONS,
  positionals: true,
  run(parsed, { io, binding }) {
    const request = renderRequest('merge', parsed.values, 'merge');
    if (parsed.positionals.length === 0) throw new UsageError('merge needs at least one result file (pollmatrix run --format json -o FILE), or - for standard input');
    const documents = readDocumentFiles('merge', parsed.positionals, io, knownNames(binding())).map(({ document }) => document);
    emit(documents, request, io, 'merge');
    return 0;
  },
};
