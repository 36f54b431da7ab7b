#!/usr/bin/env bash
# Re-create raw/ of the "more2" part (thread drafts with code, twitter.com/x.com page copies, blog comments) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more2 "$@"
