#!/usr/bin/env bash
# The run step of action.yml (and of a BSD VM job, which calls it directly):
# runs pollmatrix on this machine, writes the JSON document, the report in
# the chosen format and the check report into one folder (the artifact),
# and puts the Markdown table with the check summary into the job summary,
# cut well below GitHub's 1 MiB limit.
#
# Environment (action.yml sets it from its inputs; every one is optional):
#   POLLMATRIX_SCENARIOS      scenario ids or globs, separated by spaces or
#                             newlines (default: the whole catalogue)
#   POLLMATRIX_BACKENDS       mechanisms, likewise (default: every available)
#   POLLMATRIX_REPEAT         runs per scenario and backend (default 3)
#   POLLMATRIX_FORMAT         the report written beside the document:
#                             markdown (default), table, csv, html or json
#   POLLMATRIX_CHECK          true (default) or false: pollmatrix check
#   POLLMATRIX_SUMMARY_LIMIT  bytes of job summary at most (default 600000;
#                             GitHub refuses a step summary over 1 MiB)
#   POLLMATRIX_NAME           the artifact's name (default pollmatrix-<os>-
#                             <os version>-<arch>, e.g. pollmatrix-macos-15.5-arm64)
#   POLLMATRIX_OUT            the folder (default $RUNNER_TEMP/pollmatrix)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT   appended to when set
#
# Outputs: document (the JSON file), report, directory, artifact-name,
# differences (cells that differ from the literature), recording-differences
# (cells that differ only from a recorded baseline: `measured: ...`),
# summary-cut (true or false).
#
# The exit status is pollmatrix's for the run; differences found by check do
# not fail the step (read the `differences` output to fail a job on them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli=(node "$root/dist/cli.js")

out=${POLLMATRIX_OUT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pollmatrix}
repeat=${POLLMATRIX_REPEAT:-3}
format=${POLLMATRIX_FORMAT:-markdown}
check=${POLLMATRIX_CHECK:-true}
limit=${POLLMATRIX_SUMMARY_LIMIT:-600000}
mkdir -p "$out"
out=$(cd "$out" && pwd)

case "$check" in true | false) ;; *) echo "pollmatrix action: check is true or false, not '$check'" >&2; exit 2 ;; esac
case "$limit" in '' | *[!0-9]*) echo "pollmatrix action: summary-limit is a number of bytes, not '$limit'" >&2; exit 2 ;; esac
case "$format" in
  markdown) ext=md ;;
  table) ext=txt ;;
  csv | html | json) ext=$format ;;
  *) echo "pollmatrix action: format is markdown, table, csv, html or json, not '$format'" >&2; exit 2 ;;
esac

# The OS as a person names it, with its version: ubuntu-24.04, macos-15.5,
# freebsd-14.3-RELEASE, openbsd-7.7, netbsd-10.1.
os_label() {
  case "$(uname -s)" in
    Darwin) echo "macos-$(sw_vers -productVersion)" ;;
    Linux)
      if [ -r /etc/os-release ]; then
        # shellcheck disable=SC1091 # the running system's file
        (. /etc/os-release && echo "${ID:-linux}-${VERSION_ID:-$(uname -r)}")
      else
        echo "linux-$(uname -r)"
      fi
      ;;
    *) echo "$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -r)" ;;
  esac
}
arch=$(node -p process.arch)
label="$(os_label)-$arch"
name=${POLLMATRIX_NAME:-pollmatrix-$label}
# An artifact name may not hold " : < > | * ? \ / or control characters.
name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._+-' '_')

doc=$out/$name.json
report=$out/$name.$ext
check_md=$out/$name.check.md
full=$out/$name.summary.md

args=(run --format json -o "$doc" --repeat "$repeat")
set -f # globs such as seed-* are pollmatrix's to match, not the shell's
for s in ${POLLMATRIX_SCENARIOS:-}; do args+=(--scenario "$s"); done
for b in ${POLLMATRIX_BACKENDS:-}; do args+=(--backend "$b"); done
set +f
echo "== pollmatrix ${args[*]}"
"${cli[@]}" "${args[@]}"

# The table for the summary is Markdown whatever the report's format.
"${cli[@]}" merge --format markdown -o "$out/table.md" "$doc"
case "$format" in
  json) report=$doc ;;
  markdown) cp "$out/table.md" "$report" ;;
  *) "${cli[@]}" merge --format "$format" -o "$report" "$doc" ;;
esac

differences=0
recording=0
if [ "$check" = true ]; then
  echo "== pollmatrix check"
  status=0
  # From the folder, so that the report names the file as the artifact holds it.
  (cd "$out" && "${cli[@]}" check "$(basename "$doc")") >"$check_md" || status=$?
  # 1: an expectation is not met, which is a finding, not a failure here.
  [ "$status" -le 1 ] || { cat "$check_md"; exit "$status"; }
  cat "$check_md"
  counts=$(node "$here/count-differences.mjs" "$check_md")
  differences=$(echo "$counts" | sed -n 's/^literature=//p')
  recording=$(echo "$counts" | sed -n 's/^recording=//p')
  split=$(echo "$counts" | sed -n 's/^split=//p')
fi

# The whole summary, kept in the artifact; then the part of it that fits.
{
  echo "## pollmatrix on $label"
  echo
  [ ! -f "$out/addon.md" ] || cat "$out/addon.md"
  echo "- document: \`$(basename "$doc")\` in the artifact **$name**"
  if [ "$check" = true ]; then
    echo "- check: $differences cells differ from the literature, $recording differ only from a recorded baseline"
    [ "${split:-rows}" = rows ] || echo "  (check's report had no table to tell them apart: every cell not met is counted against the literature)"
    echo
    cat "$check_md"
  fi
  echo
  cat "$out/table.md"
} >"$full"
rm -f "$out/table.md"

size=$(wc -c <"$full" | tr -d ' ')
cut=false
summary=$out/summary.md
"$here/cut-summary.sh" "$full" "$limit" "$name" >"$summary" || {
  status=$?
  [ "$status" = 3 ] || exit "$status"
  cut=true
}
echo "== summary: $(wc -c <"$summary" | tr -d ' ') bytes (whole: $size, limit: $limit, cut: $cut)"

[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$summary" >>"$GITHUB_STEP_SUMMARY"
{
  echo "document=$doc"
  echo "report=$report"
  echo "directory=$out"
  echo "artifact-name=$name"
  echo "differences=$differences"
  echo "recording-differences=$recording"
  echo "summary-cut=$cut"
} >"$out/outputs.txt"
[ -z "${GITHUB_OUTPUT:-}" ] || cat "$out/outputs.txt" >>"$GITHUB_OUTPUT"
