#!/usr/bin/env bash
# Score a reconstructor on this part alone: ../score.sh with PARTS=more15 (same options: HALF, VERBOSE, COMMAND...).
exec env PARTS=more15 "$(cd "$(dirname "$0")" && pwd)/../score.sh" "$@"
