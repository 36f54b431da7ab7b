"""Exact and near-duplicate detection among parts: normalised hashes, then sketch-blocked fuzzy matching."""

from __future__ import annotations

import gc
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from .models import Duplicate, Thread
from .normalize import content_hash, normalize_text

NEAR_THRESHOLD = 0.80
SHINGLE_WORDS = 3
SKETCH_SIZE = 12
MAX_BUCKET = 50  # a shingle shared by more texts than this is boilerplate, not evidence
MIN_CHARS = 40


def sketch(text: str, k: int = SKETCH_SIZE) -> list[int]:
    """Bottom-k sketch of a text's word shingles: similar texts share some of these hashes."""
    return _sketch_normalized(normalize_text(text).casefold(), k)


def _sketch_normalized(norm: str, k: int = SKETCH_SIZE) -> list[int]:
    words = norm.split()
    if len(words) < SHINGLE_WORDS:
        grams = {" ".join(words)}
    else:
        grams = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    hashes = sorted(zlib.crc32(g.encode()) for g in grams)
    return hashes[:k]


def similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two texts after normalisation (rapidfuzz's normalised Indel ratio)."""
    return fuzz.ratio(normalize_text(a).casefold(), normalize_text(b).casefold()) / 100.0


def near_pairs(texts: Sequence[str], threshold: float = NEAR_THRESHOLD) -> Iterable[tuple[int, int, float]]:
    """Index pairs (i < j) of different texts whose similarity is at least `threshold`.

    Each distinct text is compared once (by its first index); exact copies are not near pairs.
    """
    first: dict[str, int] = {}
    folded: dict[int, str] = {}
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        if len(text) < MIN_CHARS:
            continue
        norm = normalize_text(text).casefold()
        if norm in first:
            continue
        first[norm] = i
        folded[i] = norm
        for h in _sketch_normalized(norm):
            buckets[h].append(i)
    seen: set[tuple[int, int]] = set()
    cutoff = threshold * 100
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                score = fuzz.ratio(folded[i], folded[j], score_cutoff=cutoff)
                if score:
                    yield i, j, score / 100.0


def find_duplicates(threads: list[Thread]) -> list[Duplicate]:
    """Exact groups across different threads, and near pairs, among all parts of a parse."""
    enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: see reconstruct.reconstruct_text
    try:
        return _find_duplicates(threads)
    finally:
        if enabled:
            gc.enable()


def _find_duplicates(threads: list[Thread]) -> list[Duplicate]:
    refs: list[tuple[str, int | None]] = []
    texts: list[str] = []
    for t in threads:
        for p in t.parts:
            refs.append((t.id, p.n))
            texts.append(p.text)
    out: list[Duplicate] = []
    groups: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        if normalize_text(text):
            groups[content_hash(text)].append(i)
    for members in groups.values():
        if len(members) > 1:
            out.append(Duplicate("exact", 1.0, [refs[i] for i in members]))
    for i, j, s in near_pairs(texts):
        out.append(Duplicate("near", s, [refs[i], refs[j]]))
    return out
