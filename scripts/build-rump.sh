#!/usr/bin/env bash
# Builds NetBSD's kernel code as a rump kernel (issue 15): the minimal
# component set pollmatrix measures, as PIC archives and shared libraries,
# with the rump headers, into .rump/ (ignored by git).
#
#   npm run build:rump [-- --force]
#
# Where the source comes from, first match wins:
#   1. $POLLMATRIX_RUMP_SRC, a folder holding either the two tarballs
#      buildrump.sh.tar.xz and src-netbsd-subset.tar.xz with their SHA256SUMS,
#      or the two unpacked trees buildrump.sh/ and src-netbsd/;
#   2. ../shared/netbsd-rump next to the repository (the tarballs);
#   3. git clones of the two pinned commits below (needs internet).
# The source is copied before anything is built or patched: a shared folder
# stays untouched.
#
# The output never looks complete when it is not: everything is built in
# .rump.partial/ and renamed to .rump/ when done, and .rump/BUILD-INFO is
# written before the rename. A second run with .rump/ present says so and
# exits 0; --force rebuilds (the old .rump/ stays until the new one is done).
# Exit codes: 0 built or already built, 1 the build failed (the log is kept),
# 2 bad usage or no source (one line).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/.rump
work=$root/.rump.partial
stamp=BUILD-INFO

# The pins: buildrump.sh of 2017-09-10, and the NetBSD-current source it pins
# in .srcgitrev (NetBSD 7.99.34 of 2016-07-28).
buildrump_repo=https://github.com/rumpkernel/buildrump.sh
buildrump_commit=6cccd464a9675ce19eaca569b1c9c2837492038c
netbsd_repo=https://github.com/rumpkernel/src-netbsd
netbsd_branch=buildrump-src
netbsd_commit=82f3a6905f6a3a65ceb3a21046de62437f61e7dd

# buildrump.sh builds every component and the rump_server utilities; the
# patch makes it build lib/librumpuser, lib/librump and this list only.
# rumpvfs gives the kernel a file system (rumpfs: FIFOs, AF_LOCAL names);
# net is the socket layer's interfaces, netinet IPv4 with TCP and UDP and a
# loopback 127.0.0.1/8, netinet6 IPv6, local AF_LOCAL sockets.
components="lib/librumpvfs lib/librumpnet
  sys/rump/net/lib/libnet sys/rump/net/lib/libnetinet
  sys/rump/net/lib/libnetinet6 sys/rump/net/lib/liblocal
  sys/rump/include"
jobs=${POLLMATRIX_RUMP_JOBS:-2}

usage() {
  echo "usage: scripts/build-rump.sh [--force]   (source: \$POLLMATRIX_RUMP_SRC, ../shared/netbsd-rump, or git clones)"
}
die_usage() { # one line, exit 2; nothing half-made is left behind
  echo "build-rump: $*" >&2
  rm -rf "$work"
  exit 2
}

force=false
for arg in "$@"; do
  case $arg in
  --force) force=true ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
  esac
done

if [ -f "$out/$stamp" ] && ! $force; then
  echo "build-rump: already built: $out ($(sed -n 's/^built: //p' "$out/$stamp")); --force rebuilds"
  exit 0
fi

start=$SECONDS

# Which source, and in which form. Decided before anything is written.
if [ -n "${POLLMATRIX_RUMP_SRC:-}" ]; then
  src=$POLLMATRIX_RUMP_SRC
  [ -d "$src" ] || die_usage "POLLMATRIX_RUMP_SRC=$src is not a folder"
elif [ -d "$root/../shared/netbsd-rump" ]; then
  src=$(cd "$root/../shared/netbsd-rump" && pwd)
else
  src=
fi
if [ -z "$src" ]; then
  form=clone
  command -v git >/dev/null ||
    die_usage "no NetBSD rump source: ../shared/netbsd-rump is missing, POLLMATRIX_RUMP_SRC is unset, and git is not installed to clone $netbsd_repo"
elif [ -f "$src/buildrump.sh.tar.xz" ] && [ -f "$src/src-netbsd-subset.tar.xz" ]; then
  form=tarballs
  [ -f "$src/SHA256SUMS" ] || die_usage "$src has the tarballs but no SHA256SUMS to verify them"
elif [ -x "$src/buildrump.sh/buildrump.sh" ] && [ -f "$src/src-netbsd/build.sh" ]; then
  form=trees
else
  die_usage "no NetBSD rump source in $src: expected buildrump.sh.tar.xz and src-netbsd-subset.tar.xz with SHA256SUMS, or the unpacked buildrump.sh/ and src-netbsd/"
fi

rm -rf "$work"
mkdir -p "$work"
log=$work/build.log
: >"$log"
failed() {
  echo "build-rump: FAILED: $* (after $((SECONDS - start)) s); the last lines of $log:" >&2
  tail -n 25 "$log" >&2
  echo "build-rump: the partial build stays in $work for a look; the next run removes it" >&2
  exit 1
}

case $form in
tarballs)
  echo "== source: the tarballs in $src"
  for f in buildrump.sh.tar.xz src-netbsd-subset.tar.xz; do
    grep -q " \*\?$f\$" "$src/SHA256SUMS" || die_usage "$src/SHA256SUMS has no line for $f"
  done
  (cd "$src" && sha256sum --check --strict --quiet SHA256SUMS) >>"$log" 2>&1 ||
    die_usage "checksum mismatch in $src (sha256sum --check SHA256SUMS): $(grep -m1 -i 'failed' "$log" || true)"
  echo "   SHA256SUMS verified"
  tar -xJf "$src/buildrump.sh.tar.xz" -C "$work"
  mkdir "$work/src-netbsd"
  tar -xJf "$src/src-netbsd-subset.tar.xz" -C "$work/src-netbsd"
  ;;
trees)
  echo "== source: the unpacked trees in $src (copied)"
  cp -a "$src/buildrump.sh" "$src/src-netbsd" "$work/"
  ;;
clone)
  echo "== source: no ../shared/netbsd-rump and no POLLMATRIX_RUMP_SRC; cloning the pinned commits"
  clone_at() { # repo commit dir [branch]: one commit, shallow where the server allows it
    git init -q "$3" || return
    if ! git -C "$3" fetch -q --depth 1 "$1" "$2" 2>/dev/null; then
      git -C "$3" fetch -q "$1" "${4:-HEAD}" || return
    fi
    git -C "$3" -c advice.detachedHead=false checkout -q "$2"
  }
  clone_at "$buildrump_repo" "$buildrump_commit" "$work/buildrump.sh" >>"$log" 2>&1 ||
    die_usage "no NetBSD rump source: ../shared/netbsd-rump is missing, POLLMATRIX_RUMP_SRC is unset, and cloning $buildrump_repo failed (offline?)"
  clone_at "$netbsd_repo" "$netbsd_commit" "$work/src-netbsd" "$netbsd_branch" >>"$log" 2>&1 ||
    die_usage "no NetBSD rump source: ../shared/netbsd-rump is missing, POLLMATRIX_RUMP_SRC is unset, and cloning $netbsd_repo failed (offline?)"
  ;;
esac

srcgitrev=$(cat "$work/buildrump.sh/.srcgitrev" 2>/dev/null || true)
[ "$srcgitrev" = "$netbsd_commit" ] ||
  echo "   note: this buildrump.sh pins NetBSD source ${srcgitrev:-(none)}, pollmatrix pins $netbsd_commit"
patch -d "$work/buildrump.sh" -p1 --quiet --forward <scripts/buildrump-minimal.patch >>"$log" 2>&1 ||
  failed "scripts/buildrump-minimal.patch does not apply to this buildrump.sh"

# The flags a 2016 tree needs from gcc 10 and later (../shared/netbsd-rump/README.md):
# -fcommon for the host tools (nbmake links "debug_file" twice otherwise) and
# the kernel code; warnings stay warnings. No -g: it would multiply the output
# size. DIAGNOSTIC stays on, as in NetBSD-current's GENERIC of that date.
# MKSTATICLIB=no builds the shared libraries and the PIC archives only.
echo "== buildrump.sh tools build install (-j$jobs; log: $log)"
(
  cd "$work"
  unset CFLAGS AFLAGS LDFLAGS # buildrump.sh refuses them from the environment
  HOST_CFLAGS="-O -fcommon" POLLMATRIX_RUMP_DIRS="$components" \
    ./buildrump.sh/buildrump.sh -q -j "$jobs" \
    -s src-netbsd -o obj -T obj/tooldir -d dest \
    -F DBG=-O2 -F CFLAGS="-fcommon -Wno-error" -F CWARNFLAGS="-Wno-error" \
    -V NOGCCERROR=1 -V MKSTATICLIB=no \
    tools build install
) >>"$log" 2>&1 || failed "buildrump.sh"

# native/os/netbsd-abi.h holds the NetBSD constants and structs a Linux
# program needs to call rump_sys_*; check them against NetBSD's own headers
# while the tree is here. The shim gives the headers their machine/ and x86/
# directories, and an empty pthread_types.h (sys/types.h wants it in userland).
echo "== native/os/netbsd-abi.h against NetBSD's headers (scripts/netbsd-abi-check.cc)"
if [ "$(uname -m)" = x86_64 ]; then
  shim=$work/abi-shim
  mkdir -p "$shim"
  ln -s "$work/src-netbsd/sys/arch/amd64/include" "$shim/machine"
  ln -s "$work/src-netbsd/sys/arch/x86/include" "$shim/x86"
  : >"$shim/pthread_types.h"
  ${CXX:-c++} -std=c++17 -fsyntax-only -nostdinc -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -D__NetBSD__=1 \
    -I "$shim" -I "$work/src-netbsd/include" -I "$work/src-netbsd/sys" -I "$work/src-netbsd/common/include" \
    -idirafter "$(${CXX:-c++} -print-file-name=include)" scripts/netbsd-abi-check.cc >>"$log" 2>&1 ||
    failed "native/os/netbsd-abi.h differs from NetBSD's headers"
  abi_check="native/os/netbsd-abi.h agrees with the NetBSD headers ($(grep -c '^SAME' scripts/netbsd-abi-check.cc) checks)"
else
  abi_check="not run: the check uses NetBSD's amd64 headers, this host is $(uname -m)"
fi
echo "   $abi_check"

# The result: the headers and the libraries, nothing of the source or objects.
mkdir -p "$work/out/lib" "$work/out/include"
cp -a "$work/dest/include/rump" "$work/out/include/"
cp -a "$work/dest/lib/." "$work/out/lib/"
for lib in rumpuser rump rumpvfs rumpnet rumpnet_net rumpnet_netinet rumpnet_netinet6 rumpnet_local; do
  [ -f "$work/out/lib/lib${lib}_pic.a" ] || failed "lib${lib}_pic.a was not built"
done

elapsed=$((SECONDS - start))
{
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in ${elapsed} s"
  echo "source: $form${src:+ from $src}"
  echo "buildrump.sh: $buildrump_commit"
  echo "src-netbsd: $netbsd_commit (NetBSD 7.99.34, 2016-07-28)"
  echo "components: rumpuser rump $(for c in $components; do basename "$c"; done | grep -v '^include$' | sed 's/^lib//' | tr '\n' ' ')"
  echo "flags: HOST_CFLAGS=-O -fcommon; -F DBG=-O2 -F CFLAGS=-fcommon -Wno-error -F CWARNFLAGS=-Wno-error -V NOGCCERROR=1 -V MKSTATICLIB=no -j$jobs"
  echo "abi-check: $abi_check"
  echo "host: $(uname -sr) $(uname -m), $(${CC:-cc} --version | head -n 1)"
  echo "archives:"
  (cd "$work/out/lib" && stat -c '  %n %s' ./*_pic.a | sed 's,\./,,')
} >"$work/out/$stamp"

# Swap in the finished tree. The old one (with --force) goes only now.
rm -rf "$out"
mv "$work/out" "$out"
rm -rf "$work"
archives=("$out"/lib/*_pic.a)
shared=("$out"/lib/*.so)
echo "build-rump: built $out in ${elapsed} s ($(du -sh "$out" | cut -f1)): ${#archives[@]} PIC archives, ${#shared[@]} shared libraries, headers in $out/include/rump"
