#!/usr/bin/env bash
# The install step of action.yml (and of a BSD VM job, which calls it
# directly): installs pollmatrix from its own checkout, then says which addon
# it will use.
#
# npm ci compiles nothing where a prebuild for this OS and CPU is committed
# (node-gyp-build finds prebuilds/<platform>-<arch>/ at install), and
# compiles from source elsewhere (the BSDs). A prebuild is then loaded by its
# path, so the job log and the summary say whether it works here: the darwin
# prebuilds are cross-built on Linux with zig (scripts/macos-compile.sh), and
# a macOS runner is the first place that can load them. One that does not
# load is replaced by a build from source (build/Release, which node-gyp-build
# prefers), and the run goes on.
#
# Environment: POLLMATRIX_OUT (default $RUNNER_TEMP/pollmatrix) receives
# addon.md, the line for the summary; GITHUB_OUTPUT, when set, receives
# `addon` (the .node file in use, relative to the checkout) and `prebuild`
# (loaded, failed or none).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${POLLMATRIX_OUT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pollmatrix}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"

if [ "${POLLMATRIX_SKIP_NPM_CI:-}" != 1 ]; then
  echo "== npm ci in $root"
  npm ci --no-audit --no-fund
fi
[ -f dist/cli.js ] || npm run --silent build

tuple=$(node -p 'process.platform + "-" + process.arch')
prebuild=prebuilds/$tuple/pollmatrix.node
hash=$(node native/source-hash.cjs)

# Loads one .node file by path and prints one line about it; exit 1 (with
# the loader's message) when it does not load.
describe() {
  # shellcheck disable=SC2016 # the JavaScript's template strings, not shell expansions
  node -e '
    const [file, hash] = process.argv.slice(1);
    const b = require(require("path").resolve(file));
    const backends = b.backends().filter((x) => x.available).map((x) => x.name);
    const stale = b.sourceHash === hash ? "" : ` (STALE: built from ${b.sourceHash}, native/ is ${hash})`;
    console.log(`source hash ${b.sourceHash}${stale}; backends ${backends.join(", ") || "none"}`);
  ' "$1" "$hash"
}

state=none
if [ -f "$prebuild" ]; then
  echo "== load the committed prebuild $prebuild"
  if facts=$(describe "$prebuild" 2>"$out/prebuild-error.txt"); then
    state=loaded
    rm -f "$out/prebuild-error.txt"
    line="the committed prebuild \`$prebuild\` loaded on this runner: $facts"
  else
    state=failed
    cat "$out/prebuild-error.txt" >&2
    why=$(grep -m 1 -E 'Error|error' "$out/prebuild-error.txt" || head -n 1 "$out/prebuild-error.txt")
    line="the committed prebuild \`$prebuild\` did NOT load on this runner ($why); built from source instead"
    echo "== $line"
    npx --no-install node-gyp rebuild
  fi
else
  line="no prebuild for $tuple is committed; npm ci built the addon from source"
fi

in_use=$(node -p 'require("path").relative(process.argv[1], require("node-gyp-build").resolve(process.argv[1]))' "$root")
if [ "$state" != loaded ] || [ "$in_use" != "$prebuild" ]; then
  line="$line. The run uses \`$in_use\`: $(describe "$in_use")"
fi
echo "== addon: $line"
printf '%s\n' "- addon: $line" >"$out/addon.md"

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "addon=$in_use"
    echo "prebuild=$state"
  } >>"$GITHUB_OUTPUT"
fi
