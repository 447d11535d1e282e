// `--os NAME`: which kernel a command measures or describes (run, trace,
// backends, transports). The names and their check are the native layer's
// (native/kernels.ts); this is the option's spec and its one use.
import { KERNELS, kernelBinding, kernelName } from '../native/kernels.js';
import type { Binding } from '../native/binding.js';
import type { Context } from './commands/command.js';
import type { OptionSpec, OptionValues } from './options.js';

export const OS_OPTION: OptionSpec = {
  name: 'os',
  value: 'NAME',
  help: `The kernel: ${Object.entries(KERNELS)
    .map(([name, what]) => `${name}, ${what}`)
    .join('; ')}. A rump kernel's results say so in every rendering: they are NetBSD's code of that date in a process on this machine, not a NetBSD machine. Default: host.`,
};

/** The binding for `--os` (the context's own without it). */
export function bindingForOs(values: OptionValues, context: Pick<Context, 'binding'>, where: string): Binding {
  const text = values.os as string | undefined;
  if (text === undefined) return context.binding();
  return kernelBinding(kernelName(text, `${where}: --os`), context.binding, where);
}
