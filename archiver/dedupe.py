"""Exact and near-duplicate detection among parts: normalised hashes, then sketch-blocked fuzzy matching."""

from __future__ import annotations

import functools
import gc
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz

from .models import Duplicate, Thread
from .normalize import normalize_text, normalized_hash

NEAR_THRESHOLD = 0.80
SHINGLE_WORDS = 3
SKETCH_SIZE = 12
MAX_BUCKET = 50  # a shingle shared by more texts than this is boilerplate, not evidence
MIN_CHARS = 40
# Near pairs a text keeps with the texts before it: its PARTNER_CAP most similar ones (see
# `choose_partners`; `archiver duplicates --help` says "three"). A press service's or a bot's
# templated paragraphs are near duplicates of hundreds of others: keeping every verified pair stored
# up to hundreds per text (issue J: 937,612 pairs for 30,000 paragraphs; 535,190 in
# benchmarks/neardup_templated.py). Three make the pairs grow linearly with the texts (at most three
# charged to a text) and still put every text that has a near twin in a pair.
PARTNER_CAP = 3
# Edit distance costs the product of two texts' lengths: two 95,000-character paragraphs take a
# tenth of a second, and a dump of fifty such lines thousands of pairs. Texts this long are
# compared by the share of their word shingles they have in common (Jaccard), which is linear.
FUZZY_MAX_CHARS = 5_000


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
    """Similarity in [0, 1] of two texts after normalisation (`folded_similarity`)."""
    return folded_similarity(normalize_text(a).casefold(), normalize_text(b).casefold())


def shingle_similarity(a: str, b: str) -> float:
    """Jaccard index of the word 3-shingles of two folded texts (the measure for long texts)."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


@functools.lru_cache(maxsize=256)
def _shingles(norm: str) -> frozenset[int]:
    """Hashes of a folded text's word 3-shingles (cached: a long text meets many candidates)."""
    words = norm.split()
    if len(words) < SHINGLE_WORDS:
        return frozenset({zlib.crc32(" ".join(words).encode())})
    return frozenset(zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode())
                     for i in range(len(words) - SHINGLE_WORDS + 1))


def folded_similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """Similarity in [0, 1] of two folded texts, 0.0 below `cutoff`: the normalised Indel ratio, or
    for texts longer than FUZZY_MAX_CHARS the Jaccard index of their word shingles."""
    if len(a) + len(b) > 2 * FUZZY_MAX_CHARS:
        score = shingle_similarity(a, b)
        return score if score >= cutoff else 0.0
    return fuzz.ratio(a, b, score_cutoff=cutoff * 100) / 100.0


def near_pairs(texts: Sequence[str], threshold: float = NEAR_THRESHOLD,
               normalized: Sequence[str] | None = None) -> Iterable[tuple[int, int, float]]:
    """Index pairs (i < j) of different texts whose similarity is at least `threshold`, capped.

    `normalized`, the texts already through `normalize_text`, spares normalising them again.

    Each distinct text is compared once (by its first index); exact copies are not near pairs. Of
    the pairs found, each text keeps those with its `PARTNER_CAP` most similar texts before it, and
    a text with no near twin before it keeps the pair with its first near twin after it
    (`choose_partners`): a cluster of n templated texts gives at most PARTNER_CAP * n pairs, not
    n * (n - 1) / 2. Pairs come in the order they were found.
    """
    first: dict[str, int] = {}
    folded: dict[int, str] = {}
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        if len(text) < MIN_CHARS:
            continue
        norm = (normalized[i] if normalized is not None else normalize_text(text)).casefold()
        if norm in first:
            continue
        first[norm] = i
        folded[i] = norm
        for h in _sketch_normalized(norm):
            buckets[h].append(i)
    seen: set[tuple[int, int]] = set()
    found: list[tuple[int, int, float]] = []
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                score = folded_similarity(folded[i], folded[j], threshold)
                if score:
                    found.append((i, j, score))
    if not found:
        return
    earlier, later, score = (np.array(column) for column in zip(*found))
    kept = choose_partners(later, earlier, score, earlier, np.zeros(len(texts), dtype=bool))
    for at in kept.tolist():
        yield found[at]


def choose_partners(later: np.ndarray, earlier: np.ndarray, closeness: np.ndarray, tie: np.ndarray,
                    linked: np.ndarray, stored: Callable[[np.ndarray], np.ndarray] | None = None,
                    cap: int | None = None) -> np.ndarray:
    """Which verified near pairs (later[i], earlier[i]) to keep, as sorted indexes into the arrays.

    Texts are codes (small ints) in the order they were indexed, each pair's `later` after its
    `earlier`. A text keeps its pairs with the `cap` (PARTNER_CAP) earlier texts closest to it (the
    highest `closeness`, then the lowest `tie`: a rank of the earlier text's id). A text with no near
    pair of its own with an earlier text keeps, besides, its pair with the first later text that is
    near it, unless it had a pair already (`stored(codes)` tells which of the codes asked have one
    in the archive). So every text with a near twin keeps at least one pair, and each text is charged
    at most `cap` pairs: its own, or that one. `linked[c]` says that text c needs no such pair (it
    has pairs of its own, or its first later twin was met); it is updated here, so a caller may give
    the pairs in batches, in order of `later`, with the same array. The choice for a text depends
    only on the texts before it and its first later twin: indexed chunk by chunk or in one pass, the
    pairs kept are the same.
    """
    cap = PARTNER_CAP if cap is None else cap
    if not len(later):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((tie, -closeness, later))
    lat, ear = later[order], earlier[order]
    starts = np.flatnonzero(np.r_[True, lat[1:] != lat[:-1]])
    place = np.arange(len(lat)) - np.repeat(starts, np.diff(np.r_[starts, len(lat)]))
    keep = place < cap
    linked[lat[starts]] = True  # texts with near pairs of their own (each is after all of its earlier ones)
    # a text with none: its pair with the first later text near it (`lat` is sorted), when that pair
    # is not kept anyway and the text has no pair stored
    need = ~linked[ear]
    first_ear, at = np.unique(ear[need], return_index=True)
    first = np.flatnonzero(need)[at]
    linked[first_ear] = True
    ask = first[~keep[first]]
    if stored is not None and len(ask):
        ask = ask[~stored(ear[ask])]
    keep[ask] = True
    return np.sort(order[keep])


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
    norms = [normalize_text(text) for text in texts]
    for i, norm in enumerate(norms):
        if norm:
            groups[normalized_hash(norm)].append(i)
    for members in groups.values():
        if len(members) > 1:
            out.append(Duplicate("exact", 1.0, [refs[i] for i in members]))
    for i, j, s in near_pairs(texts, normalized=norms):
        out.append(Duplicate("near", s, [refs[i], refs[j]]))
    return out
