// `pollmatrix backends`: every mechanism, available here or not, and why.
import type { Command } from './command.js';
import { alignedRows } from '../../present/text.js';

export const backends: Command = {
  name: 'backends',
  summary: 'the readiness mechanisms: available here or not, and why',
  usage: 'usage: pollmatrix backends',
  description: 'Lists every backend pollmatrix knows: whether it can run here, and what it asks the kernel (or why it cannot run).',
  options: [],
  run(_parsed, { io, binding }) {
    const rows = binding()
      .backends()
      .map((b): [string, string, string] => [b.name, b.available ? 'available' : 'unavailable', (b.available ? b.asks : b.reason) ?? '']);
    io.out(alignedRows(rows, io.columns));
    return 0;
  },
};
