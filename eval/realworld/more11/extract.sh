#!/usr/bin/env bash
# Re-create raw/ of the "more11" part (X thread drafts with Russian or English notes, a Chinese/English post plan, two blog articles) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more11 "$@"
