#!/usr/bin/env bash
# Re-create a part's raw/ (its dumps) from public repository mirrors, byte for byte.
# Mirror each repository listed in PART/manifest.tsv first, as MIRROR_ROOT/OWNER+NAME/repo (a bare
# git directory, or a clone whose repo/.git holds the commit named), then run:
#   ./extract.sh PART [MIRROR_ROOT]      (PART: pages, notes, more, more2, more3, more4, more5, more6, more7, more8, more9, more10, more11, more12, more13, more14, more15 or more16; default root /work/.mirror)
# method raw : git show COMMIT:PATH, unchanged (no cleaning).
# method html: git show COMMIT:PATH | python3 visible_text.py  (a saved HTML page turned into the
#              text a reader copying it from the browser would get; the dev set's script, unchanged).
# Ends by checking every file against PART/SHA256SUMS.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
part=${1:?usage: ./extract.sh PART [MIRROR_ROOT]}
here="$root/$part"
[ -f "$here/manifest.tsv" ] || { echo "no part named $part (no $here/manifest.tsv)" >&2; exit 2; }
mirrors=${2:-/work/.mirror}
out="$here/raw"
mkdir -p "$out"
while IFS=$'\t' read -r name repo commit path method _rest; do
  case "$name" in \#*|'') continue;; esac
  gd="$mirrors/${repo/\//+}/repo"
  [ -d "$gd/.git" ] && gd="$gd/.git"
  [ -d "$gd" ] || { echo "missing mirror for $repo: mirror $repo first" >&2; exit 2; }
  case "$method" in
    raw)  git --git-dir="$gd" show "$commit:$path" > "$out/$name.txt" ;;
    html) git --git-dir="$gd" show "$commit:$path" | python3 "$root/visible_text.py" > "$out/$name.txt" ;;
    *) echo "unknown method $method" >&2; exit 2 ;;
  esac
done < "$here/manifest.tsv"
(cd "$out" && sha256sum -c --quiet "$here/SHA256SUMS") && echo "extracted $(wc -l < "$here/SHA256SUMS") dumps into $out, all sha256 match"
