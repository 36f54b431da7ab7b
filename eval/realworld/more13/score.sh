#!/usr/bin/env bash
# Score a reconstructor on this part alone: ../score.sh with PARTS=more13 (same options: HALF, VERBOSE, COMMAND...).
exec env PARTS=more13 "$(cd "$(dirname "$0")" && pwd)/../score.sh" "$@"
