#!/usr/bin/env bash
# Re-create raw/ of the "more12" part (post plans, single posts, an article, a saved X page fixture, a LinkedIn post archive) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more12 "$@"
