// `pollmatrix list`: the catalogue's scenarios, aligned on any step length.
import { loadCatalogue } from '../../model/catalogue.js';
import { catalogueDir } from '../../run/run-matrix.js';
import { alignedRows } from '../../present/text.js';
import type { Command } from './command.js';
import { vocabularyOf } from '../../native/vocabulary.js';

export const list: Command = {
  name: 'list',
  summary: 'the scenarios of the catalogue: id, transport, steps, title',
  usage: 'usage: pollmatrix list',
  description:
    'Lists every scenario of the catalogue (matrix/*.json): its id (for run --scenario), its transport (for trace --transport), its steps in haproxy dev/poll/poll syntax (for trace -v) and its title.',
  options: [],
  run(_parsed, { io, binding }) {
    const rows = loadCatalogue(catalogueDir, vocabularyOf(binding())).map((s) => [s.id, s.transport, s.steps, s.title]);
    io.out(alignedRows(rows, io.columns));
    return 0;
  },
};
