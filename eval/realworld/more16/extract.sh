#!/usr/bin/env bash
# Re-create raw/ of the "more16" part (thread drafts and launch posts kept in Markdown: X/Bluesky/Mastodon thread drafts with inline, bold, heading and trailing-free markers, an English+Korean pair of threads, a Mastodon launch plan with threads and single toots, post plans in Korean, Chinese and English, a Korean GeekNews submission and a Chinese Xiaohongshu note) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more16 "$@"
