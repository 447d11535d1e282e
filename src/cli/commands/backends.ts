// `pollmatrix backends`: every mechanism, available here or not, and why.
import type { Command } from './command.js';
import { bindingForOs, OS_OPTION } from '../kernel-option.js';
import { alignedRows } from '../../present/text.js';
import { DESCRIPTOR_TABLE_OPTION, withDescriptorTable } from '../table-option.js';

export const backends: Command = {
  name: 'backends',
  summary: 'the readiness mechanisms: available here or not, and why',
  usage: 'usage: pollmatrix backends [--os NAME] [--descriptor-table private|shared]',
  description:
    'Lists every backend pollmatrix knows: whether it can run here, and what it asks the kernel (or why it cannot run). Each is probed on a native worker in the descriptor table the scenarios would run in.',
  options: [OS_OPTION, DESCRIPTOR_TABLE_OPTION],
  run(parsed, context) {
    const { io } = context;
    const rows = withDescriptorTable(parsed.values, bindingForOs(parsed.values, context, 'backends'), 'backends')
      .backends()
      .map((b): [string, string, string] => [b.name, b.available ? 'available' : 'unavailable', (b.available ? b.asks : b.reason) ?? '']);
    io.out(alignedRows(rows, io.columns));
    return 0;
  },
};
