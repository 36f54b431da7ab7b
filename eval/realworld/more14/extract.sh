#!/usr/bin/env bash
# Re-create raw/ of the "more14" part (blog and Substack pages with comments, a Reddit comment page, a Japanese blog article quoting tweets, a Discord message kept as Markdown, news pages in German, Portuguese, Spanish, French and Japanese) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more14 "$@"
