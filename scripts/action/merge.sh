#!/usr/bin/env bash
# The last job of examples/pollmatrix-matrix.yml: every result document under
# a folder (the artifacts of the collecting jobs, downloaded one folder
# each), merged into one table whose columns are OS x mechanism, with each
# document's check report, in the job summary (cut like run.sh's) and in a
# folder to upload.
#
#   scripts/action/merge.sh RESULTS-DIR
#
# Environment: POLLMATRIX_OUT (default $RUNNER_TEMP/pollmatrix-merged),
# POLLMATRIX_CHECK (true or false, default true), POLLMATRIX_SUMMARY_LIMIT
# (default 600000), POLLMATRIX_NAME (the artifact to upload it as, default
# pollmatrix-merged), GITHUB_STEP_SUMMARY and GITHUB_OUTPUT when set.
# Outputs: merged (the Markdown table), directory, documents (how many),
# differences and recording-differences (summed over the documents),
# summary-cut.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli=(node "$root/dist/cli.js")

results=${1:?usage: merge.sh RESULTS-DIR}
out=${POLLMATRIX_OUT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pollmatrix-merged}
check=${POLLMATRIX_CHECK:-true}
limit=${POLLMATRIX_SUMMARY_LIMIT:-600000}
name=${POLLMATRIX_NAME:-pollmatrix-merged}
mkdir -p "$out"
out=$(cd "$out" && pwd)

mapfile -t documents < <(find "$results" -name '*.json' -type f | LC_ALL=C sort)
if [ "${#documents[@]}" -eq 0 ]; then
  echo "pollmatrix merge: no result document (*.json) under $results" >&2
  exit 2
fi
echo "== merge ${#documents[@]} documents: ${documents[*]}"
"${cli[@]}" merge --format markdown -o "$out/merged.md" "${documents[@]}"
"${cli[@]}" merge --format json -o "$out/merged.json" "${documents[@]}"

differences=0
recording=0
full=$out/merged.summary.md
{
  echo "## pollmatrix on ${#documents[@]} machines"
  echo
  if [ "$check" = true ]; then
    status=0
    "${cli[@]}" check "${documents[@]}" >"$out/check.md" || status=$?
    [ "$status" -le 1 ] || { cat "$out/check.md" >&2; exit "$status"; }
    counts=$(node "$here/count-differences.mjs" "$out/check.md")
    differences=$(echo "$counts" | sed -n 's/^literature=//p')
    recording=$(echo "$counts" | sed -n 's/^recording=//p')
    echo "- check: $differences cells differ from the literature, $recording differ only from a recorded baseline (per document below the table)"
    echo
  fi
  cat "$out/merged.md"
  if [ "$check" = true ]; then
    echo
    cat "$out/check.md"
  fi
} >"$full"

cut=false
"$here/cut-summary.sh" "$full" "$limit" "$name" >"$out/summary.md" || {
  status=$?
  [ "$status" = 3 ] || exit "$status"
  cut=true
}
echo "== summary: $(wc -c <"$out/summary.md" | tr -d ' ') bytes (whole: $(wc -c <"$full" | tr -d ' '), limit: $limit, cut: $cut)"
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
{
  echo "merged=$out/merged.md"
  echo "directory=$out"
  echo "documents=${#documents[@]}"
  echo "differences=$differences"
  echo "recording-differences=$recording"
  echo "summary-cut=$cut"
} >"$out/outputs.txt"
[ -z "${GITHUB_OUTPUT:-}" ] || cat "$out/outputs.txt" >>"$GITHUB_OUTPUT"
