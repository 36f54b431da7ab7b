#!/usr/bin/env bash
# Re-create raw/ of the "more8" part (Bluesky, Mastodon, Threads, Jike, Weibo and WeChat post drafts and X thread drafts) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more8 "$@"
