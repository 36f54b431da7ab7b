#!/usr/bin/env bash
# Re-create raw/ of the "more" part (Bluesky/X page copies, a Mastodon export, Readwise exports, thread drafts) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more "$@"
