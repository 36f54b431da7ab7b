#!/usr/bin/env bash
# Re-create raw/ of the "more7" part (English LinkedIn post plans and an X launch thread draft) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more7 "$@"
