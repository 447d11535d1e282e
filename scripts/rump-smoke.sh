#!/usr/bin/env bash
# Builds scripts/rump-smoke.cc against the rump kernel in .rump/ (npm run
# build:rump) and runs it three ways: as a program, as a non-root user (when
# run as root and setpriv is there), and as a Node addon loaded with
# process.dlopen. Skips (exit 0, with the reason) when .rump/ is not built;
# exit 1 when a build or a run fails.
#
# The link is the recipe for any program or addon that embeds the kernel:
# the PIC archives whole (components register themselves from constructors,
# which a plain archive link would drop), their symbols kept out of the
# dynamic table (--exclude-libs,ALL; an addon exports only its N-API entry
# points), and nothing else but pthreads.
set -euo pipefail
cd "$(dirname "$0")/.."
rump=.rump
out=$rump/smoke

if [ ! -f "$rump/BUILD-INFO" ]; then
  echo "rump-smoke: SKIPPED: no rump kernel in $rump/ (npm run build:rump builds it)"
  exit 0
fi
start=$SECONDS
mkdir -p "$out"

archives=()
for lib in rumpnet_local rumpnet_netinet6 rumpnet_netinet rumpnet_net rumpnet rumpvfs rump rumpuser; do
  archives+=("$rump/lib/lib${lib}_pic.a")
done
cxxflags=(-std=c++17 -O2 -Wall -Wextra -I "$rump/include" -I native/os)
# shellcheck disable=SC2054 # the commas belong to ld's -Wl, options
rump_link=(-Wl,--whole-archive "${archives[@]}" -Wl,--no-whole-archive -Wl,--exclude-libs,ALL -lpthread)
cxx=${CXX:-c++}

failed() {
  echo "rump-smoke: FAILED: $*" >&2
  exit 1
}
# runs "$@", keeps its output in $1.log, and names a rump kernel panic
# (rumpuser_exit aborts the process: exit 134, SIGABRT)
run_logged() {
  local log=$1
  shift
  local rc=0
  timeout 120 "$@" >"$log" 2>&1 || rc=$?
  case $rc in
  0) ;;
  124) failed "$* did not finish within 120 s (log: $log)" ;;
  134) failed "$* aborted: a rump kernel panic ($(grep -m1 '^panic:' "$log" || echo 'no panic line'); log: $log)" ;;
  *) failed "$* exited $rc (log: $log): $(tail -n 1 "$log")" ;;
  esac
}

echo "== build $out/rump-smoke and $out/rump-smoke.node"
"$cxx" "${cxxflags[@]}" -o "$out/rump-smoke" scripts/rump-smoke.cc "${rump_link[@]}" ||
  failed "the program does not build"
echo "   program: $(stat -c %s "$out/rump-smoke") bytes"
# node_api.h from Node's own headers (npm's nodedir is /usr here)
node_include=$(node -p 'require("path").join(process.execPath, "..", "..", "include", "node")')
addon=true
if [ -f "$node_include/node_api.h" ]; then
  printf '{ global: napi_register_module_v1; node_api_module_get_api_version_v1; local: *; };\n' >"$out/addon.map"
  "$cxx" "${cxxflags[@]}" -shared -fPIC -DRUMP_SMOKE_NODE -I "$node_include" -o "$out/rump-smoke.node" \
    scripts/rump-smoke.cc "${rump_link[@]}" -Wl,--version-script="$out/addon.map" ||
    failed "the addon does not build"
  strip -o "$out/rump-smoke.node.stripped" "$out/rump-smoke.node"
  echo "   addon: $(stat -c %s "$out/rump-smoke.node") bytes, $(stat -c %s "$out/rump-smoke.node.stripped") stripped"
else
  addon=false
fi

echo "== $out/rump-smoke"
run_logged "$out/program.log" "$out/rump-smoke"
cat "$out/program.log"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  echo "== as nobody (uid 65534)"
  run_logged "$out/nobody.log" setpriv --reuid=65534 --regid=65534 --clear-groups "$PWD/$out/rump-smoke"
  grep -E '^(rump_init|rump-smoke):' "$out/nobody.log"
fi

if ! $addon; then
  echo "== in Node: SKIPPED: no node_api.h in $node_include"
else
  echo "== in Node $(node --version): process.dlopen($out/rump-smoke.node).run()"
  run_logged "$out/node.log" node -e '
  const addon = { exports: {} };
  process.dlopen(addon, process.argv[1]);
  process.exitCode = addon.exports.run();
' "$PWD/$out/rump-smoke.node"
  grep -E '^(rump_init|rump-smoke):' "$out/node.log"
fi

echo "rump-smoke: OK in $((SECONDS - start)) s"
