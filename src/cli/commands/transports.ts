// `pollmatrix transports`: what a scenario can run over, with its endpoint
// letters and the actions it takes.
import { wrapWords } from '../../present/text.js';
import type { Command } from './command.js';
import { bindingForOs, OS_OPTION } from '../kernel-option.js';

export const transports: Command = {
  name: 'transports',
  summary: 'what a scenario can run over: endpoint letters and actions',
  usage: 'usage: pollmatrix transports [--os NAME]',
  description: 'Lists every transport pollmatrix knows (trace --transport NAME, a scenario\'s "transport"): what it is, or why it is not available here, its endpoint letters and the actions it takes.',
  options: [OS_OPTION],
  run(parsed, context) {
    const { io } = context;
    for (const t of bindingForOs(parsed.values, context, 'transports').transports()) {
      const status = t.available ? t.describes : `unavailable: ${t.reason}`;
      const lines = [
        t.name,
        ...wrapWords(status, io.columns, '    ', '  '),
        ...wrapWords(`endpoints: ${t.endpoints.map((e) => `-${e.letter} ${e.role}`).join(', ')}`, io.columns, '    ', '  '),
        ...wrapWords(`actions: ${t.actions.join(' ')}`, io.columns, '    ', '  '),
      ];
      io.out(lines.join('\n') + '\n');
    }
    return 0;
  },
};
