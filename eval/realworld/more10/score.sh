#!/usr/bin/env bash
# Score a reconstructor on this part alone: ../score.sh with PARTS=more10 (same options: HALF, VERBOSE, COMMAND...).
exec env PARTS=more10 "$(cd "$(dirname "$0")" && pwd)/../score.sh" "$@"
