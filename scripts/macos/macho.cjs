#!/usr/bin/env node
// Reads a Mach-O header and its load commands, enough to check a cross-built
// darwin prebuild with no Mac and no otool: the CPU, the file type, the
// oldest macOS it runs on (LC_BUILD_VERSION), the libraries it needs
// (LC_LOAD_DYLIB), its symbol count (LC_SYMTAB) and whether it carries a
// code signature (LC_CODE_SIGNATURE: arm64 macOS loads nothing unsigned; the
// linker's ad-hoc signature is enough).
// <mach-o/loader.h> is the reference for every constant here.
//
//   node scripts/macos/macho.cjs FILE [x86_64|arm64]
// prints one line; with a CPU, exits 1 unless FILE is a 64-bit Mach-O
// dylib or bundle for that CPU.
'use strict';
const { readFileSync } = require('node:fs');

const MH_MAGIC_64 = 0xfeedfacf;
const CPU = { 0x01000007: 'x86_64', 0x0100000c: 'arm64' }; // CPU_TYPE_X86_64, CPU_TYPE_ARM64
const FILETYPE = { 1: 'object', 2: 'execute', 6: 'dylib', 8: 'bundle' }; // MH_*
const LC_SYMTAB = 0x2;
const LC_LOAD_DYLIB = 0xc;
const LC_CODE_SIGNATURE = 0x1d;
const LC_BUILD_VERSION = 0x32;
const LC_REQ_DYLD = 0x80000000; // set on commands dyld must understand
const PLATFORM = { 1: 'macos' };

/** @param {Buffer} bytes */
function readMachO(bytes) {
  if (bytes.length < 32 || bytes.readUInt32LE(0) !== MH_MAGIC_64) return undefined;
  const cputype = bytes.readUInt32LE(4);
  const filetype = bytes.readUInt32LE(12);
  const ncmds = bytes.readUInt32LE(16);
  const info = {
    cpu: CPU[cputype] ?? `cputype 0x${cputype.toString(16)}`,
    filetype: FILETYPE[filetype] ?? `filetype ${filetype}`,
    platform: undefined,
    minos: undefined,
    dylibs: [],
    symbols: undefined,
    signed: false,
  };
  let at = 32; // sizeof(struct mach_header_64)
  for (let i = 0; i < ncmds && at + 8 <= bytes.length; i++) {
    const cmd = bytes.readUInt32LE(at) & ~LC_REQ_DYLD;
    const size = bytes.readUInt32LE(at + 4);
    if (cmd === LC_BUILD_VERSION) {
      const platform = bytes.readUInt32LE(at + 8);
      const minos = bytes.readUInt32LE(at + 12); // xxxx.yy.zz nibbles
      info.platform = PLATFORM[platform] ?? `platform ${platform}`;
      info.minos = `${minos >>> 16}.${(minos >> 8) & 0xff}${minos & 0xff ? `.${minos & 0xff}` : ''}`;
    } else if (cmd === LC_LOAD_DYLIB) {
      const offset = bytes.readUInt32LE(at + 8);
      const name = bytes.subarray(at + offset, at + size);
      info.dylibs.push(name.subarray(0, name.indexOf(0) < 0 ? name.length : name.indexOf(0)).toString('utf8'));
    } else if (cmd === LC_CODE_SIGNATURE) {
      info.signed = true;
    } else if (cmd === LC_SYMTAB) {
      info.symbols = bytes.readUInt32LE(at + 12);
    }
    if (size < 8) break;
    at += size;
  }
  return info;
}

module.exports = { readMachO };

if (require.main === module) {
  const [file, want] = process.argv.slice(2);
  const info = readMachO(readFileSync(file));
  if (!info) {
    console.error(`${file}: not a 64-bit Mach-O file`);
    process.exit(1);
  }
  console.log(
    `   mach-o: ${info.cpu} ${info.filetype}, ${info.platform ?? 'no platform'} ${info.minos ?? '?'} or later, ` +
      `${info.symbols ?? '?'} symbols, ${info.signed ? 'signed' : 'unsigned'}, needs ${info.dylibs.join(' ') || 'no dylib'}`,
  );
  if (want && (info.cpu !== want || !['dylib', 'bundle'].includes(info.filetype))) {
    console.error(`${file}: a ${info.cpu} ${info.filetype}, not a ${want} dylib or bundle`);
    process.exit(1);
  }
  if (want === 'arm64' && !info.signed) {
    console.error(`${file}: no code signature, which arm64 macOS requires`);
    process.exit(1);
  }
}
