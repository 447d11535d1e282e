#!/usr/bin/env bash
# Cuts a Markdown job summary to at most LIMIT bytes, at a line boundary,
# and ends it with a line saying where the whole is. GitHub refuses a step
# summary over 1 MiB; run.sh and merge.sh keep theirs well below that.
#
#   scripts/action/cut-summary.sh WHOLE LIMIT ARTIFACT-NAME > SUMMARY
# exit 0 and the text as it is when it fits, exit 3 when it was cut.
# With GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID set, the
# artifact's name links to the run's artifacts.
set -euo pipefail
whole=$1
limit=$2
artifact=$3

size=$(wc -c <"$whole" | tr -d ' ')
if [ "$size" -le "$limit" ]; then
  cat "$whole"
  exit 0
fi
where="the artifact **$artifact**"
if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${GITHUB_RUN_ID:-}" ]; then
  where="[the artifact **$artifact**]($GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID#artifacts)"
fi
note="> **Cut here**: this summary stops at $limit bytes of $size. The whole of it is \`$(basename "$whole")\` in $where, with the JSON documents."
# Whole lines, counted in bytes (LC_ALL=C), leaving room for the note.
LC_ALL=C awk -v budget="$((limit - ${#note} - 2))" '
  { n = length($0) + 1; if (total + n > budget) exit; total += n; print }
' "$whole"
printf '\n%s\n' "$note"
exit 3
