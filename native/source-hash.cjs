#!/usr/bin/env node
// Prints a hash of everything that goes into the native addon: binding.gyp and
// native/**/*.cc|*.h|*.def, each by name and content, in sorted order. binding.gyp
// embeds it in the build (POLLMATRIX_SOURCE_HASH) and the tests compare the
// loaded addon's hash with this one, so a stale prebuild cannot go unnoticed.
// Line endings are normalised so a Windows checkout hashes the same.
'use strict';
const { createHash } = require('node:crypto');
const { readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

function nativeSourceHash(root) {
  const files = ['binding.gyp'].concat(
    readdirSync(path.join(root, 'native'), { recursive: true })
      .map((f) => f.split(path.sep).join('/'))
      .filter((f) => /\.(cc|h|def)$/.test(f))
      .map((f) => 'native/' + f),
  ).sort();
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f + '\0');
    hash.update(readFileSync(path.join(root, f), 'utf8').replace(/\r\n/g, '\n'));
    hash.update('\0');
  }
  // A C identifier-like token, so binding.gyp can pass it as a bare define.
  return 'h' + hash.digest('hex').slice(0, 32);
}

module.exports = { nativeSourceHash };
if (require.main === module) process.stdout.write(nativeSourceHash(path.join(__dirname, '..')));
