#!/usr/bin/env bash
# Re-create raw/ (the dumps of the "more2" set: thread drafts (X, in English and Japanese),
# twitter.com/x.com page copies, blog pages with reader comments) from public repository mirrors, byte for byte.
# Mirror each repository listed in manifest.tsv first, as MIRROR_ROOT/OWNER+NAME/repo (a bare
# git directory, or a clone whose repo/.git holds the commit named), then run:
#   ./extract.sh MIRROR_ROOT          (default: /work/.mirror)
# method raw : git show COMMIT:PATH, unchanged (no cleaning).
# method html: git show COMMIT:PATH | python3 visible_text.py  (a saved HTML page turned into the
#              text a reader copying it from the browser would get; see SOURCES.md).
# Ends by checking every file against SHA256SUMS (when that file exists).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mirrors=${1:-/work/.mirror}
out="$here/raw"
mkdir -p "$out"
while IFS=$'\t' read -r name repo commit path method _rest; do
  case "$name" in \#*|'') continue;; esac
  gd="$mirrors/${repo/\//+}/repo"
  [ -d "$gd/.git" ] && gd="$gd/.git"
  [ -d "$gd" ] || { echo "missing mirror for $repo: mirror $repo first" >&2; exit 2; }
  case "$method" in
    raw)  git --git-dir="$gd" show "$commit:$path" > "$out/$name.txt" ;;
    html) git --git-dir="$gd" show "$commit:$path" | python3 "$here/visible_text.py" > "$out/$name.txt" ;;
    *) echo "unknown method $method" >&2; exit 2 ;;
  esac
done < "$here/manifest.tsv"
if [ -f "$here/SHA256SUMS" ]; then
  (cd "$out" && sha256sum -c --quiet "$here/SHA256SUMS") && echo "extracted $(wc -l < "$here/SHA256SUMS") dumps into $out, all sha256 match"
fi
