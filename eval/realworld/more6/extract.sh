#!/usr/bin/env bash
# Re-create raw/ of the "more6" part (CJK and English post plans and thread drafts, forum topics, recipe and blog comment pages) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more6 "$@"
