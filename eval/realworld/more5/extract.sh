#!/usr/bin/env bash
# Re-create raw/ of the "more5" part (forum threads, comment pages, thread drafts, post plans) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more5 "$@"
