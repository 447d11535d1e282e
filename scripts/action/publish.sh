#!/usr/bin/env bash
# On the host, after a VM job ran scripts/action/run.sh (or merge.sh) in a
# VM, where GITHUB_STEP_SUMMARY and GITHUB_OUTPUT are not files it can write:
# appends the folder's summary.md to the job summary and its outputs.txt to
# the step's outputs, as the Action's own step does.
#
#   scripts/action/publish.sh [DIR]     (default $POLLMATRIX_OUT)
set -euo pipefail
dir=${1:-${POLLMATRIX_OUT:?publish.sh needs the folder run.sh wrote}}
for f in summary.md outputs.txt; do
  [ -f "$dir/$f" ] || { echo "publish.sh: no $dir/$f: did run.sh run?" >&2; exit 1; }
done
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$dir/summary.md" >>"$GITHUB_STEP_SUMMARY"
[ -z "${GITHUB_OUTPUT:-}" ] || cat "$dir/outputs.txt" >>"$GITHUB_OUTPUT"
cat "$dir/outputs.txt"
