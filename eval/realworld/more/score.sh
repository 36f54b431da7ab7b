#!/usr/bin/env bash
# Score a reconstructor on the real-world MORE set (this folder): 18 dumps (Bluesky, X and Twitter page copies as
# visible text, a Mastodon toot exported to Markdown, Readwise exports of tweets and threads, X and Bluesky thread
# drafts; en/es/zh/uk/ko) with hand-made line-level gold in gold/. Prints the scorer's summary line last.
# Usage: ./score.sh [COMMAND...]   (default: archiver parse --json; the dump path is appended)
#   HALF=tune ./score.sh ...        only the dumps of one half (manifest.tsv column 'half');
#                                   whoever tunes uses HALF=tune and never looks at the test half
#   VERBOSE=1 ./score.sh ...        one JSON line per dump first
# Scorer: $SCORE_DIR_PY, else ../../../../shared/eval/score_dir.py, else /work/shared/eval/score_dir.py.
# raw/ is checked against SHA256SUMS first; re-create it with ./extract.sh if it is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! (cd "$here/raw" 2>/dev/null && sha256sum -c --quiet "$here/SHA256SUMS" >/dev/null 2>&1); then
  echo "more dumps missing or changed: fetch the repositories in manifest.tsv, then run ./extract.sh" >&2
  exit 2
fi
scorer=${SCORE_DIR_PY:-}
[ -n "$scorer" ] || { [ -f "$here/../../../../shared/eval/score_dir.py" ] && scorer="$here/../../../../shared/eval/score_dir.py"; } || true
[ -n "$scorer" ] || scorer=/work/shared/eval/score_dir.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
while IFS=$'\t' read -r name repo commit path method licence format lang half; do
  case "$name" in \#*|'') continue;; esac
  [ -n "${HALF:-}" ] && [ "$half" != "$HALF" ] && continue
  cp "$here/raw/$name.txt" "$work/$name.txt"
  cp "$here/gold/$name.txt.gold.json" "$work/$name.gold.json"
done < "$here/manifest.tsv"
cmd=("$@"); [ ${#cmd[@]} -gt 0 ] || cmd=(archiver parse --json)
verbose=(); [ "${VERBOSE:-0}" = 1 ] && verbose=(--verbose)
python3 "$scorer" "$work" "${verbose[@]}" -- "${cmd[@]}"
