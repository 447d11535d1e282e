#!/usr/bin/env bash
# Loads the committed linux-arm64 prebuild for real: Debian's arm64 nodejs,
# unpacked into a sysroot, runs under qemu-aarch64(-static) and runs the seed
# scenarios through prebuilds/linux-arm64/*.node. Skips (exit 0, with the
# reason) where qemu or the arm64 packages cannot be had. Leaves the host's
# apt configuration alone: the arm64 package lists live in a temporary dir.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

skip() {
  echo "arm64-smoke: SKIPPED: $*"
  exit 0
}

prebuild=$(find prebuilds/linux-arm64 -name '*.node' 2>/dev/null | head -n 1)
[ -n "$prebuild" ] || skip "no prebuilds/linux-arm64/*.node is committed"
[ "$(uname -s)" = Linux ] || skip "needs Linux (qemu-user), this is $(uname -s)"

# qemu-user's dynamic qemu-aarch64 does as well as qemu-user-static's: the
# sysroot is given with -L either way.
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
if [ -z "$qemu" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y qemu-user-static >/dev/null 2>&1 ||
      skip "apt-get install qemu-user-static failed"
  fi
  qemu=$(command -v qemu-aarch64-static || true)
fi
[ -n "$qemu" ] || skip "neither qemu-aarch64-static nor qemu-aarch64 is installed (apt-get install qemu-user-static, as root)"
command -v apt-get >/dev/null || skip "apt-get is needed to fetch Debian's arm64 nodejs"

work=$(mktemp -d "${TMPDIR:-/tmp}/pollmatrix-arm64.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/sysroot"
: >"$work/status"
apt_arm64=(
  -o APT::Architecture=arm64 -o APT::Architectures::=arm64
  -o Dir::State::Lists="$work/lists" -o Dir::State::Status="$work/status"
  -o Dir::Cache="$work/cache" -o APT::Sandbox::User=root
)
echo "== arm64 package lists (private to $work)"
apt-get "${apt_arm64[@]}" update >"$work/update.log" 2>&1 || skip "apt-get update for arm64 failed: $(tail -n 1 "$work/update.log")"
# nodejs and everything it depends on; the status file is empty, so the
# closure includes libc6, libstdc++6 and the rest.
mapfile -t packages < <(apt-cache "${apt_arm64[@]}" depends --recurse --no-recommends --no-suggests \
  --no-conflicts --no-breaks --no-replaces --no-enhances --no-pre-depends nodejs 2>/dev/null |
  grep -v '^ ' | grep -v '^<' | sed 's/:arm64$//' | sort -u)
[ "${#packages[@]}" -gt 0 ] || skip "apt-cache finds no arm64 nodejs"
echo "== download ${#packages[@]} arm64 packages: ${packages[*]}"
(cd "$work/debs" && apt-get "${apt_arm64[@]}" download "${packages[@]}" >"$work/download.log" 2>&1) ||
  skip "apt-get download failed: $(tail -n 1 "$work/download.log")"
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/sysroot"; done
node_bin="$work/sysroot/usr/bin/node"
[ -x "$node_bin" ] || node_bin="$work/sysroot/usr/bin/nodejs"
[ -x "$node_bin" ] || skip "the nodejs package held no usr/bin/node"
run_arm64() { "$qemu" -L "$work/sysroot" "$node_bin" "$@"; }

echo "== node under qemu: $(run_arm64 -p 'process.version + " " + process.arch')"

# A package tree with the arm64 prebuild and no build/ (node-gyp-build would
# take an x64 build/ first): the compiled CLI, the catalogue, the schemas, the JS deps.
[ -f dist/cli.js ] || npm run --silent build
pkg="$work/pkg"
mkdir -p "$pkg/prebuilds"
cp -r package.json dist matrix "$pkg/"
mkdir -p "$pkg/src/model" && cp -r src/model/schema "$pkg/src/model/" # the JSON Schemas documents are checked against
cp -r prebuilds/linux-arm64 "$pkg/prebuilds/"
ln -s "$root/node_modules" "$pkg/node_modules"

echo "== load $prebuild"
# shellcheck disable=SC2016 # the JavaScript's template string, not a shell expansion
run_arm64 -e '
  const b = require(process.argv[1]);
  console.log("loaded", process.argv[1], "on", process.arch, "source hash", b.sourceHash);
  console.log(b.backends().map((x) => `${x.name}: ${x.available ? "available" : "unavailable (" + x.reason + ")"}`).join("\n"));
' "$root/$prebuild"

echo "== the seed scenarios through the arm64 prebuild"
run_arm64 "$pkg/dist/cli.js" run --repeat 1 --scenario 'seed-*' --format table
run_arm64 "$pkg/dist/cli.js" run --repeat 1 --scenario 'seed-*' --format json -o "$work/arm64.json"
run_arm64 "$pkg/dist/cli.js" check "$work/arm64.json"
echo "arm64-smoke: OK: the linux-arm64 prebuild ran the seed scenarios under qemu"
