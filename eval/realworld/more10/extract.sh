#!/usr/bin/env bash
# Re-create raw/ of the "more10" part (output files of tools that export or save social-media posts: tweet-to-Markdown examples, saved X tweet HTML fixtures, exporter READMEs with example outputs) from public repository mirrors, byte for byte:
# ../extract.sh with this part's name. Usage: ./extract.sh [MIRROR_ROOT]   (default /work/.mirror)
exec "$(cd "$(dirname "$0")" && pwd)/../extract.sh" more10 "$@"
