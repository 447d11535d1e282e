// The facts about the machine a document was measured on, printed above
// every table and stored in every result (native/platform.ts gathers them).

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
   * own (native/workers/worker.h); 'host': in the host's. Absent in older results. */
  network?: string;
  /** How the kernel was measured when it is not the machine's own: "rump
   * kernel: NetBSD kernel code of 2016-07-28, in a process on linux
   * 6.18.44" (src/native/rump.ts). Every rendering shows it, so such a
   * column never passes for a machine running that kernel. Absent for the
   * host's own kernel. */
  measuredIn?: string;
  /** How the addon that measured was built: 'source' (on this machine),
   * 'prebuild' (a committed binary made on its own OS) or 'cross-built'
   * (made for this OS on another, never loaded on it before: the darwin
   * prebuilds). The platform line shows 'cross-built', so a first macOS
   * run is labelled for what it is. Absent in older results. */
  addon?: AddonBuild;
}

export const ADDON_BUILDS = ['source', 'prebuild', 'cross-built'] as const;
export type AddonBuild = (typeof ADDON_BUILDS)[number];
