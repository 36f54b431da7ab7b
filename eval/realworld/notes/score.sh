#!/usr/bin/env bash
# Score a reconstructor on this part alone: ../score.sh with PARTS=notes (same options: HALF, VERBOSE, COMMAND...).
exec env PARTS=notes "$(cd "$(dirname "$0")" && pwd)/../score.sh" "$@"
