"""Counts in words: `1 part`, `2 parts`, for every line the commands print."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """`n word`, the word in the plural unless n is 1: `1 part`, `0 parts`, `1 near-duplicate pair`;
    `many` gives a plural that is not the word with an `s` (`plural(2, "copy", "copies")`)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
