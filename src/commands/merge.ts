// `pollmatrix merge`: one table from the result documents of several machines.
import { readFileSync } from 'node:fs';
import { parseDocumentText, resultDocuments } from '../document.js';
import { UsageError } from '../errors.js';
import type { Command } from './command.js';
import { emit, RENDER_OPTIONS, renderRequest } from './render-options.js';

export const merge: Command = {
  name: 'merge',
  summary: 'one table from the result documents of several machines',
  usage: 'usage: pollmatrix merge [options] FILE...    (FILE - reads standard input)',
  description:
    'Reads result documents (pollmatrix run --format json -o FILE) and merged documents (merge --format json), validates each against the published schema (src/schema/*.schema.json), and prints one table whose columns are platform × backend. A column label names only what tells the machines apart (os, release, arch); a scenario one machine did not run says "not measured". A bad document is one line naming the file and the JSON path, exit 2.',
  options: RENDER_OPTIONS,
  positionals: true,
  run(parsed, { io }) {
    const request = renderRequest('merge', parsed.values, 'merge');
    if (parsed.positionals.length === 0) throw new UsageError('merge needs at least one result file (pollmatrix run --format json -o FILE), or - for standard input');
    if (parsed.positionals.filter((f) => f === '-').length > 1) throw new UsageError('merge: - (standard input) given twice');
    const documents = parsed.positionals.flatMap((file) => {
      const source = file === '-' ? 'stdin' : file;
      let text: string;
      try {
        if (file === '-') {
          if (!io.readStdin) throw new UsageError('merge: - needs standard input');
          text = io.readStdin();
        } else text = readFileSync(file, 'utf8');
      } catch (err) {
        if (err instanceof UsageError) throw err;
        throw new UsageError(`${source}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      return resultDocuments(parseDocumentText(text, source));
    });
    emit(documents, request, io, 'merge');
    return 0;
  },
};
