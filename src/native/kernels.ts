// The kernels pollmatrix measures, and the one place `--os NAME` is checked:
// the host's own (the addon built for this machine) or NetBSD's kernel code
// of 2016 run as a rump kernel in a child process (rump.ts).
import { didYouMean } from '../model/did-you-mean.js';
import { UsageError } from '../model/errors.js';
import type { Binding } from './binding.js';
import { RumpBinding, rumpStatus } from './rump.js';

export const KERNELS = {
  host: "this machine's own kernel (the default)",
  'netbsd-rump': "NetBSD's kernel code of 2016-07-28 (7.99.34) as a rump kernel in a child process; npm run build:rump builds it",
} as const;
export type KernelName = keyof typeof KERNELS;
const NAMES = Object.keys(KERNELS) as KernelName[];

/** A kernel name from `--os`; a UsageError naming the nearest otherwise. */
export function kernelName(text: string, where: string): KernelName {
  if ((NAMES as string[]).includes(text)) return text as KernelName;
  throw new UsageError(`${where}: unknown kernel '${text}' (${NAMES.map((n) => `${n}: ${KERNELS[n]}`).join('; ')})${didYouMean(text, NAMES)}`);
}

/** The binding that measures `kernel`: the host's own, or the rump build
 * (a UsageError saying how to build it when it is absent or stale). */
export function kernelBinding(kernel: KernelName, host: () => Binding, where: string): Binding {
  if (kernel === 'host') return host();
  const status = rumpStatus();
  if (!status.built) throw new UsageError(`${where}: --os netbsd-rump: ${status.why}`);
  return new RumpBinding(status.addon);
}
