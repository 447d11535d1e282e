// `pollmatrix backends`: every mechanism, available here or not, and why.
import type { Command } from './command.js';
import { bindingForOs, OS_OPTION } from '../kernel-option.js';
import { alignedRows } from '../../present/text.js';
import { DESCRIPTOR_TABLE_OPTION, withDescriptorTable } from '../table-option.js';
import type { BackendInfo } from '../../model/observed.js';

/** One backend's mapping of the interest bits (native/backends/interest.h),
 * indented under its name. */
function interestRows(backend: BackendInfo, columns: number | undefined): string {
  const mapping = backend.interest ?? [];
  if (mapping.length === 0) return `  no mapping in this build: ${backend.reason ?? 'the addon gives none'}\n`;
  const rows = mapping.map((m): [string, string, string] => [
    `  ${m.name}`,
    m.asks === null ? 'refused' : m.asks,
    m.note ?? '',
  ]);
  return alignedRows(rows, columns);
}

export const backends: Command = {
  name: 'backends',
  summary: 'the readiness mechanisms: available here or not, and why',
  usage: 'usage: pollmatrix backends [--interest] [--os NAME]\n                          [--descriptor-table private|shared]',
  description:
    'Lists every backend pollmatrix knows: whether it can run here, and what it asks the kernel (or why it cannot run). Each is probed on a native worker in the descriptor table the scenarios would run in.',
  options: [
    {
      name: 'interest',
      help: "For each backend, what it asks for each interest bit (IN OUT PRI ...): the mechanism's own flag or set, 'nothing' with why, or 'refused' with why (a pol asking a refused bit is not measured). Default: one line per backend.",
    },
    OS_OPTION,
    DESCRIPTOR_TABLE_OPTION,
  ],
  run(parsed, context) {
    const { io } = context;
    const list = withDescriptorTable(parsed.values, bindingForOs(parsed.values, context, 'backends'), 'backends').backends();
    if (parsed.values.interest) {
      io.out(list.map((b) => `${b.name}\n${interestRows(b, io.columns)}`).join('\n'));
      return 0;
    }
    const rows = list.map((b): [string, string, string] => [b.name, b.available ? 'available' : 'unavailable', (b.available ? b.asks : b.reason) ?? '']);
    io.out(alignedRows(rows, io.columns));
    return 0;
  },
};
