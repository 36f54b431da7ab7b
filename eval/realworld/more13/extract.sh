#!/usr/bin/env bash
# Re-create raw/ of the "more13" part (Japanese and Korean X thread drafts, blog comment pages, German and French news pages) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more13 "$@"
