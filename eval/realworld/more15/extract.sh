#!/usr/bin/env bash
# Re-create raw/ of the "more15" part (news and blog pages quoting embedded tweets and Instagram posts in English, German, French and Spanish; a Korean and a Russian news page) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more15 "$@"
