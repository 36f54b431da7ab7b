#!/usr/bin/env bash
# Re-create raw/ of the "more9" part (multilingual thread drafts, post plans and single posts, two non-thread articles) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more9 "$@"
