// Platform facts printed above every table and stored in every result.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot, type Binding } from './binding.js';

export interface Platform {
  os: string;
  kernel: string;
  arch: string;
  libc: string | null;
  node: string;
  pollmatrix: string;
  /** 'private': each scenario ran with its own descriptor table. */
  descriptorTable: string;
  /** 'private': the sockets lived in a network namespace of pollmatrix's
   * own (native/worker.h); 'host': in the host's. Absent in older results. */
  network?: string;
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function platformFacts(binding: Binding, descriptorTable: string, network?: string): Platform {
  const native = binding.platform();
  return {
    os: os.platform(),
    kernel: native.release ?? os.release(),
    arch: native.machine ?? os.arch(),
    libc: native.libc ?? null,
    node: process.version,
    pollmatrix: toolVersion(),
    descriptorTable,
    ...(network ? { network } : {}),
  };
}

export function platformLine(p: Platform): string {
  return [
    `${p.os} ${p.kernel} ${p.arch}`,
    p.libc ?? 'libc unknown',
    `node ${p.node}`,
    `pollmatrix ${p.pollmatrix}`,
    `descriptor table: ${p.descriptorTable}`,
    ...(p.network ? [`network: ${p.network}`] : []),
  ].join(' · ');
}
