// Platform facts printed above every table and stored in every result.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { addonBuild, type Binding } from './binding.js';
import { packageRoot } from '../model/package-root.js';
import type { Platform } from '../model/platform.js';

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function platformFacts(binding: Binding, descriptorTable: string, network?: string): Platform {
  const native = binding.platform();
  const addon = addonBuild(binding);
  return {
    os: native.os ?? os.platform(),
    kernel: native.release ?? os.release(),
    arch: native.machine ?? os.arch(),
    libc: native.libc ?? null,
    node: process.version,
    pollmatrix: toolVersion(),
    descriptorTable,
    ...(network ? { network } : {}),
    ...(native.measuredIn ? { measuredIn: native.measuredIn } : {}),
    ...(addon ? { addon } : {}),
  };
}

