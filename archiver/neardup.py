"""Near-duplicates across the whole archive: MinHash LSH candidates, rapidfuzz similarity, stored pairs.

Every fragment of at least `MIN_CHARS` characters gets a MinHash signature (datasketch) of its
character 5-grams (normalised, case-folded text). The signature is cut into `BANDS` bands of
`ROWS` values; each band becomes one 64-bit key in `fragment_bands (key, fragment_id)`, a
WITHOUT ROWID table keyed on the band key. Two texts whose bands agree anywhere are candidates;
a candidate pair is kept when rapidfuzz's normalised Indel similarity of the two texts is at least
`NEAR_THRESHOLD` (the same measure `archiver parse` reports). Pairs go to `near_duplicates` with
the lower fragment id first, the similarity and `METHOD`. Nothing is ever merged.

Not every near pair is stored: a fragment keeps its pairs with the `PARTNER_CAP` (3) most similar
fragments indexed before it, and a fragment that none before it is near keeps, besides, its pair
with the first later fragment that is (`dedupe.choose_partners`). Every fragment with a near
duplicate among its candidates thus has at least one stored pair, and each is charged at most
PARTNER_CAP pairs, so the stored pairs grow linearly with the fragments of a cluster: 30,000
templated paragraphs (a bot's or a press service's "On {date} the {city} court fined {name}
{amount} tenge...", each near thousands of others) stored 535,190 pairs and now at most 90,000
(benchmarks/neardup_templated.py). `near_duplicates` is therefore a graph that links every
near-duplicated fragment to some of its twins, not a list of all pairs: in a cluster of more than
four copies, two of them may have no stored pair with each other. The choice depends only on the
fragments indexed before, so it is the same chunk by chunk, in one pass, or ingest after ingest.

The index is incremental: `index_pending` looks at fragments added since the last run (by rowid,
remembered in `neardup_index`), probes the stored band keys for them, chunk by chunk, and adds
their own keys. A new dump is thus checked against the whole archive with a few index lookups per
fragment, never by loading the archive into memory. A large backlog (an import of many posts, a
rebuild after the parameters change) takes a one-pass path with the same result: its own keys
sorted in memory, the stored keys probed once, its keys written in key order. Any write path that
adds fragments without calling it is caught up by the next ingest.

The public projection's index. Because the choice depends on what was indexed before, the pairs of
the archive's index are not those the public sources alone would give: a text first brought by a
private source is indexed earlier than the public sources would have brought it, and private texts
take partner slots. While the archive keeps its public projection (archiver/projection.py), a
second index, of the same code with the projection's tables (`PUBLIC`: `pub_fragment_bands`,
`pub_near_duplicates`, and `pub_params` and `pub_indexed_seq` in `neardup_index`), indexes the
fragments seen in a public source in `pub_fragments.seq` order, the order the public sources alone
would have stored them in: its pairs are exactly those of the archive of the public sources alone,
and the public view `public_near_duplicates` reads them. `index_pending` brings it up to date after
the archive's own index, the same way (chunk by chunk, a large backlog in one pass). The projection
starts as a copy of the archive's index (every source is public until then), and a rebuild of the
projection indexes it again from nothing; an archive with nothing private keeps no second index.

Through one band key a fragment meets at most `KEY_CAP` earlier fragments, the key's lowest ids:
keys shared by many texts come from shared boilerplate (link prefixes, stock phrases in short
posts), and comparing every new text with all of a bucket's members would cost more the larger the
archive grows. A cluster of real copies stays linked, each new copy meeting `KEY_CAP` of them.

Band parameters: with r = 4 rows per band and b = 12 bands, a pair is a candidate with probability
1 - (1 - J^4)^12, where J is the Jaccard similarity of the two shingle sets: 0.54 at J = 0.5, 0.81 at
J = 0.6, 0.96 at J = 0.7, 0.998 at J = 0.8. Edited copies at or just above the 0.8 threshold mostly
have J between 0.5 and 0.9; benchmarks/neardup_scale.py measures 97% of planted pairs found.
"""

from __future__ import annotations

import json
import sqlite3
import time
from array import array
from bisect import insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from operator import itemgetter

import numpy as np
from rapidfuzz import fuzz, process

from .dedupe import FUZZY_MAX_CHARS, MIN_CHARS, NEAR_THRESHOLD, choose_partners, folded_similarity, shingle_similarity
from .fts import projected
from .normalize import normalize_text

SHINGLE_CHARS = 5
ROWS = 4
BANDS = 12
NUM_PERM = ROWS * BANDS
SEED = 1
METHOD = "minhash-lsh"
# Changing any of these invalidates the stored band keys: `index_pending` then rebuilds the index.
PARAMS = f"datasketch-affine32 seed={SEED} char{SHINGLE_CHARS} r={ROWS} b={BANDS}"
CHUNK = 5000  # fragments signed and probed per step
LONG_CHARS = 1_000_000  # texts longer than this are signed a slice at a time
MAX_CANDIDATES = 200  # candidates verified per fragment, most shared bands first
# Through one band key a fragment meets at most KEY_CAP earlier fragments: those with the lowest ids.
# A key shared by hundreds of texts is boilerplate (a t.co link prefix, "New paper", "<LINK>" in short
# posts: the four minima of a band fall on the shared shingles), not a cluster of copies; without a cap
# every new text in such a bucket is compared with all its members, a cost that grows with the archive.
# A true cluster of copies stays linked: each new copy meets KEY_CAP of them in every band it shares.
KEY_CAP = 20
ID_CHARS = 16  # a fragment id's length (normalize.fragment_id)
BAND_ROWS = 250_000  # band rows written per statement
BULK_CACHE_KIB = 64 * 1024  # page cache (KiB) while a large backlog is indexed in one transaction
# (it reads the fragments in rowid order and writes the keys in key order: a larger cache only adds memory)
BULK_BACKLOG = 20_000
SHORT = -1  # in a presigned index: a text too short to be indexed


@dataclass(frozen=True)
class IndexTables:
    """The tables one near-duplicate index keeps: the archive's (`ARCHIVE`), or the public projection's
    (`PUBLIC`), which indexes the fragments seen in a public source in `pub_fragments.seq` order, the
    order the public sources alone would have stored them in (archiver/projection.py)."""

    bands: str  # its band keys (key, fragment_id)
    pairs: str  # its near-duplicate pairs
    params: str  # its rows in `neardup_index`: the band parameters it was made with,
    mark: str  # and the position of the last fragment it indexed
    fragments: str  # what it indexes: a FROM clause with the fragments' `id` and `text`,
    pos: str  # and their position in its order, an integer key
    top: str  # SQL: the last fragment's position

    def select(self, columns: str, where: str) -> str:
        """SELECT the position and `columns` of the fragments `where`, in order."""
        return f"select {self.pos}, {columns} from {self.fragments} where {where} order by {self.pos}"


ARCHIVE = IndexTables("fragment_bands", "near_duplicates", "params", "indexed_rowid", "fragments", "rowid",
                      "select coalesce(max(rowid), 0) from fragments")
PUBLIC = IndexTables("pub_fragment_bands", "pub_near_duplicates", "pub_params", "pub_indexed_seq",
                     "pub_fragments p join fragments f on f.rowid = p.fragment_rowid", "p.seq",
                     "select coalesce(max(seq), 0) from pub_fragments")

_POLY = np.uint32(16777619)
_MIX1 = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)
_MIX3 = np.uint64(0x94D049BB133111EB)
_KEY_BITS = 56
_TEMPLATE = None  # the datasketch MinHash whose permutations every signature uses


def fold(text: str) -> str:
    """The form texts are compared in: normalised (NFC, spacers removed, whitespace folded) and case-folded."""
    return normalize_text(text).casefold()


def shingle_hashes(folded: str) -> np.ndarray:
    """32-bit hashes of the text's character 5-grams (the whole text when shorter), distinct values only."""
    cps = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
    n = len(cps) - SHINGLE_CHARS + 1
    if n < 1:
        cps = np.concatenate([cps, np.zeros(SHINGLE_CHARS - len(cps), dtype=np.uint32)])
        n = 1
    h = cps[:n].copy()
    with np.errstate(over="ignore"):
        for j in range(1, SHINGLE_CHARS):
            h = h * _POLY + cps[j:n + j]
    return np.unique(h)


def signature(folded: str) -> np.ndarray:
    """The datasketch MinHash (affine32 scheme, `NUM_PERM` values) of a folded text's shingles."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, permutations=_template().permutations, scheme="affine32", hashfunc=int)
    m.update_batch(shingle_hashes(folded))
    return m.hashvalues


def _fmix32(h: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer datasketch's affine32 scheme applies to each input hash."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _template():
    """The seeded datasketch MinHash (imported here: datasketch's package imports scipy, half a
    second that a command that never signs a text should not pay)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        from datasketch import MinHash

        _TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
    return _TEMPLATE


_PERMUTATIONS: tuple[np.ndarray, np.ndarray] | None = None


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch's seeded affine32 MinHash, drawn the way datasketch 2 draws them
    (an odd `a` and any `b` from numpy's RandomState(SEED)), without importing datasketch: its
    package imports scipy, half a second on every ingest. tests/test_dedupe.py checks they agree."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        gen = np.random.RandomState(SEED)
        a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
        _PERMUTATIONS = (a, b)
    return _PERMUTATIONS


def signatures(folded: Sequence[str]) -> np.ndarray:
    """(len(folded), NUM_PERM) MinHash values: for each text exactly `signature(text)`, computed for
    all the texts at once (one numpy pass over their concatenated shingles, a minimum per text and
    permutation), about ten times faster than a datasketch MinHash per text."""
    n = len(folded)
    out = np.empty((n, NUM_PERM), dtype=np.uint32)
    lengths = np.fromiter((len(f) for f in folded), dtype=np.int64, count=n)
    short = np.flatnonzero(lengths < SHINGLE_CHARS)
    for i in short.tolist():  # texts shorter than one shingle: the padded whole text, as signature() does
        out[i] = signature(folded[i])
    long = np.flatnonzero(lengths > LONG_CHARS)
    for i in long.tolist():  # a very long text (a 20 MB line): a slice of its shingles at a time
        out[i] = _long_signature(folded[i])
    full = np.flatnonzero((lengths >= SHINGLE_CHARS) & (lengths <= LONG_CHARS))
    if not len(full):
        return out
    texts = [folded[i] for i in full.tolist()] if len(full) < n else folded
    lens = lengths[full]
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    m = len(cps) - SHINGLE_CHARS + 1
    h = cps[:m].copy()
    with np.errstate(over="ignore"):
        for j in range(1, SHINGLE_CHARS):
            h = h * _POLY + cps[j:m + j]
    # keep the windows that lie inside one text (drop the SHINGLE_CHARS - 1 that straddle each boundary)
    ends = np.cumsum(lens)
    keep = np.ones(m, dtype=bool)
    for d in range(1, SHINGLE_CHARS):
        idx = ends - SHINGLE_CHARS + d
        keep[idx[idx < m]] = False
    h = h[keep]
    counts = lens - SHINGLE_CHARS + 1
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    a, b = _permutations()
    with np.errstate(over="ignore"):
        hv = _fmix32(h)  # datasketch's affine32 scheme: MurmurHash3 finalizer, then a * hv + b mod 2^32
        for j in range(NUM_PERM):
            out[full, j] = np.minimum.reduceat(hv * a[j] + b[j], offsets)
    return out


def _long_signature(folded: str) -> np.ndarray:
    """`signatures` for one long text, its shingles taken LONG_CHARS at a time (the minimum over
    all of them is the minimum of the slices' minima): memory bounded by the slice, not the text."""
    a, b = _permutations()
    cps = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
    windows = len(cps) - SHINGLE_CHARS + 1
    out = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, windows, LONG_CHARS):
        end = min(windows, start + LONG_CHARS)
        h = cps[start:end].copy()
        with np.errstate(over="ignore"):
            for j in range(1, SHINGLE_CHARS):
                h = h * _POLY + cps[start + j:end + j]
            hv = _fmix32(h)
            for j in range(NUM_PERM):
                out[j] = min(out[j], (hv * a[j] + b[j]).min())
    return out


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """(n, BANDS) signed 64-bit keys: the band number in the top byte, a hash of its ROWS values below."""
    sig = np.asarray(signatures, dtype=np.uint64).reshape(len(signatures), BANDS, ROWS)
    h = np.zeros(sig.shape[:2], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(ROWS):
            h = (h ^ sig[:, :, j]) * _MIX1
            h ^= h >> np.uint64(31)
        h = (h ^ (h >> np.uint64(30))) * _MIX2
        h = (h ^ (h >> np.uint64(27))) * _MIX3
        h ^= h >> np.uint64(31)
    bands = np.arange(BANDS, dtype=np.uint64)[None, :]
    keys = (bands << np.uint64(_KEY_BITS)) | (h >> np.uint64(64 - _KEY_BITS))
    return keys.astype(np.int64)


def similarity_folded(a: str, b: str, threshold: float = NEAR_THRESHOLD) -> float:
    """Similarity of two folded texts in [0, 1] (`dedupe.folded_similarity`); 0.0 when below `threshold`."""
    return folded_similarity(a, b, threshold)


_CUT = Fraction(str(NEAR_THRESHOLD)).limit_denominator(10**6)


def _scored_pairs(later: np.ndarray, earlier: np.ndarray, folded: Sequence[str], ids: Sequence[str],
                  ident: Callable[[int], str], now: str) -> list[tuple]:
    """The near_duplicates rows of the pairs (later[k], earlier[k]) kept by `choose_partners`, each
    scored again one by one (the value stored is similarity_folded's to the last digit); a pair that
    falls below the threshold so is dropped. `ident` names an earlier text by its code."""
    pairs = []
    for i, j in zip(later.tolist(), earlier.tolist()):
        sim = similarity_folded(folded[i], folded[j])
        if sim:
            a, b = sorted((ids[i], ident(j)))
            pairs.append((a, b, round(sim, 4), METHOD, now))
    return pairs


def _closeness(left: Sequence[str], right: Sequence[str], total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For pairs of folded texts (left[i], right[i]) of summed lengths `total`: whether each is near
    (similarity at least the threshold) and its similarity, both worked out from the integer Indel
    distance d (rapidfuzz's ratio is 1 - d / total): the same numbers whichever batch a pair is scored
    in, so the chunk path and the one pass rank a text's partners alike."""
    if not len(left):
        return np.zeros(0, dtype=bool), np.zeros(0)
    long = np.flatnonzero(total > 2 * FUZZY_MAX_CHARS)
    if len(long):  # long texts by their shingles (dedupe.FUZZY_MAX_CHARS), the rest by edit distance
        keep = np.flatnonzero(total <= 2 * FUZZY_MAX_CHARS)
        near, closeness = np.zeros(len(left), dtype=bool), np.zeros(len(left))
        if len(keep):
            near[keep], closeness[keep] = _closeness([left[k] for k in keep], [right[k] for k in keep], total[keep])
        for k in long.tolist():
            closeness[k] = shingle_similarity(left[k], right[k])
            near[k] = closeness[k] >= NEAR_THRESHOLD
        return near, closeness
    # every pair scored at once (rapidfuzz in C, on every core), a hair below the threshold
    scores = process.cpdist(left, right, scorer=fuzz.ratio, score_cutoff=NEAR_THRESHOLD * 100 - 0.01,
                            dtype=np.float64, workers=-1)
    dist = np.rint(total * (100.0 - scores) / 100.0).astype(np.int64)  # exact: d is an integer
    near = (scores > 0) & (dist * _CUT.denominator <= (_CUT.denominator - _CUT.numerator) * total)
    return near, 1.0 - dist / np.maximum(total, 1)


def _id_ranks(codes: np.ndarray, ident) -> np.ndarray:
    """Each code's rank in the order of its fragment id (`ident(code)`): the tie-break among partners."""
    unique = np.unique(codes)
    by_id = sorted(range(len(unique)), key=lambda k: ident(unique[k].item()))
    rank = np.empty(len(unique), dtype=np.int64)
    rank[by_id] = np.arange(len(unique))
    return rank[np.searchsorted(unique, codes)]


def _stored_partners(conn: sqlite3.Connection, ids: list[str], tables: IndexTables = ARCHIVE) -> np.ndarray:
    """Which of these fragments have a near-duplicate pair stored already."""
    have: set[str] = set()
    for b in range(0, len(ids), 10_000):
        have.update(r[0] for r in conn.execute(
            f"select value from json_each(?) where exists (select 1 from {tables.pairs} where fragment_a = value)"
            f" or exists (select 1 from {tables.pairs} where fragment_b = value)", [json.dumps(ids[b:b + 10_000])]))
    return np.array([fid in have for fid in ids], dtype=bool)


@dataclass
class IndexResult:
    """What one `index_pending` run did."""

    indexed: int = 0  # fragments looked at (short ones included, they get no bands)
    banded: int = 0  # fragments given band keys
    candidates: int = 0  # candidate pairs verified with rapidfuzz
    texts_read: int = 0  # candidate texts read back from the archive by the one pass
    pairs: int = 0  # near-duplicate pairs added
    public_pairs: int = 0  # pairs added to the public projection's own index (`index_public`)
    seconds: dict[str, float] = field(default_factory=dict)  # time per step, for benchmarks

    def _lap(self, step: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - since
        return now


def _state(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("select value from neardup_index where name = ?", [name]).fetchone()
    return row[0] if row else None


def _set_state(conn: sqlite3.Connection, name: str, value: str) -> None:
    conn.execute("insert into neardup_index (name, value) values (?, ?)"
                 " on conflict (name) do update set value = excluded.value", [name, value])


def presign(texts: Iterable[str], hashes: dict[str, str] | None = None,
            ) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    """(fragment ids, their band keys, their folded lengths) of the texts long enough to be indexed, and
    the ids of those too short: what `index_pending` would work out for them, computed ahead (by a bulk
    ingest's workers). `hashes`, the texts' content hashes when known, spares computing them again."""
    from .normalize import content_hash

    ids, folded, short = [], [], []
    for text in dict.fromkeys(texts):
        f = fold(text)
        fid = (hashes[text] if hashes is not None else content_hash(text))[:ID_CHARS]
        if len(f) >= MIN_CHARS:
            ids.append(fid)
            folded.append(f)
        else:
            short.append(fid)
    if not folded:
        return [], np.empty((0, BANDS), dtype=np.int64), np.empty(0, dtype=np.int32), short
    return ids, band_keys(signatures(folded)), np.array([len(f) for f in folded], dtype=np.int32), short


def backlog(conn: sqlite3.Connection, tables: IndexTables | None = None) -> int:
    """How many fragments wait to be indexed: by the archive's index and, while the archive keeps its
    public projection, by the projection's (or by the one index given)."""
    if tables is None:
        return backlog(conn, ARCHIVE) + (backlog(conn, PUBLIC) if projected(conn) else 0)
    last = int(_state(conn, tables.mark) or 0) if _state(conn, tables.params) == PARAMS else 0
    return max(0, conn.execute(tables.top).fetchone()[0] - last)


def index_pending(conn: sqlite3.Connection, now: str, chunk: int = CHUNK, bulk: bool | None = None,
                  presigned: list[tuple[dict[str, int], np.ndarray, np.ndarray]] | None = None,
                  reader: str | None = None) -> IndexResult:
    """Index every fragment added since the last run and store its near-duplicate pairs.

    Runs inside the caller's write transaction (save_source's). An ingest's few new
    fragments are processed in rowid order, `chunk` at a time, each chunk probed against the stored
    band keys (everything indexed before it) and against itself. A large backlog (a big import, a
    rebuild; more than `BULK_BACKLOG` fragments, or `bulk=True`) is done in one pass instead: the
    backlog's own band keys are sorted in memory (12 integers per fragment) to pair its fragments
    with each other, and the stored keys are probed once for all of them. Both ways give the same
    pairs and the same stored keys: each fragment is compared with the earlier fragments it shares a
    band with (through one key at most `KEY_CAP`, the lowest ids; in all at most `MAX_CANDIDATES`,
    most shared bands first, then by id). `presigned`, a list
    holding one (fragment id -> row, keys array, folded lengths) triple made from `presign`, spares the
    one pass the signatures it holds; the pass takes it out of the list and drops it once read (memory).
    `reader`, the database file's path when the backlog is committed already (a bulk ingest), lets
    the one pass score its candidates in a second thread on a read-only connection of its own.

    While the archive keeps its public projection, the projection's own index is brought up to date
    as well (`index_public`); the result counts the archive's pairs, and the projection's apart.
    """
    result = _index(conn, ARCHIVE, now, chunk, bulk, presigned, reader)
    if projected(conn):
        public = index_public(conn, now, chunk, bulk, reader)
        result.public_pairs = public.pairs
        for step, seconds in public.seconds.items():
            result.seconds[f"public {step}"] = seconds
    return result


def index_public(conn: sqlite3.Connection, now: str, chunk: int = CHUNK, bulk: bool | None = None,
                 reader: str | None = None) -> IndexResult:
    """Index the public projection's fragments added since its last run, in `pub_fragments.seq` order,
    into the projection's own band keys and pairs (`PUBLIC`): the code and the choice of the
    archive's index (chunk by chunk, or a large backlog in one pass, as `index_pending`), over the
    public fragments alone in the order the public sources alone would have stored them, so its
    pairs are those of the archive of the public sources alone. Inside the caller's write transaction."""
    return _index(conn, PUBLIC, now, chunk, bulk, None, reader)


def clear(conn: sqlite3.Connection, tables: IndexTables) -> None:
    """Empty an index: its band keys, its pairs and its state (the next run indexes everything again)."""
    conn.execute(f"delete from {tables.bands}")
    conn.execute(f"delete from {tables.pairs}")
    conn.execute("delete from neardup_index where name in (?, ?)", [tables.params, tables.mark])


def copy_archive_index(conn: sqlite3.Connection) -> None:
    """Make the public projection's index a copy of the archive's (every source public so far: the
    public fragments are the archive's, in the same order), up to the fragments the archive's index
    has reached. Inside the caller's write transaction, the projection's `pub_fragments` made."""
    clear(conn, PUBLIC)
    if _state(conn, ARCHIVE.params) is None:  # never indexed: the projection's index starts from nothing too
        return
    conn.execute(f"insert into {PUBLIC.bands} (key, fragment_id) select key, fragment_id from {ARCHIVE.bands}")
    conn.execute(f"insert into {PUBLIC.pairs} (fragment_a, fragment_b, similarity, method, found_at)"
                 f" select fragment_a, fragment_b, similarity, method, found_at from {ARCHIVE.pairs}")
    _set_state(conn, PUBLIC.params, _state(conn, ARCHIVE.params))
    last = int(_state(conn, ARCHIVE.mark) or 0)
    seq = conn.execute("select coalesce(max(seq), 0) from pub_fragments where fragment_rowid <= ?",
                       [last]).fetchone()[0]
    _set_state(conn, PUBLIC.mark, str(seq))


def _start(conn: sqlite3.Connection, tables: IndexTables) -> tuple[int, int]:
    """(the last position indexed, the last position to index) of an index, its band keys emptied
    first when they were made with other parameters (or never)."""
    if _state(conn, tables.params) != PARAMS:  # first run, or the band parameters changed: rebuild
        conn.execute(f"delete from {tables.bands}")
        _set_state(conn, tables.params, PARAMS)
        _set_state(conn, tables.mark, "0")
    return int(_state(conn, tables.mark) or 0), conn.execute(tables.top).fetchone()[0]


def _index(conn: sqlite3.Connection, tables: IndexTables, now: str, chunk: int, bulk: bool | None,
           presigned: list[tuple[dict[str, int], np.ndarray, np.ndarray]] | None,
           reader: str | None) -> IndexResult:
    """`index_pending` for one index."""
    result = IndexResult()
    last, top = _start(conn, tables)
    if top <= last:
        return result
    if bulk is None:
        bulk = top - last > BULK_BACKLOG
    old_cache = None
    if bulk:  # a large backlog in one transaction: keep the pages it touches in memory
        old_cache = conn.execute("pragma cache_size").fetchone()[0]
        conn.execute(f"pragma cache_size = -{BULK_CACHE_KIB}")
    try:
        if bulk:
            last = _index_bulk(conn, last, top, now, chunk, result, presigned, reader, tables)
        _index_chunks(conn, tables, last, top, now, chunk, result)
    finally:
        if old_cache is not None:
            conn.execute(f"pragma cache_size = {old_cache}")
    return result


def _index_chunks(conn: sqlite3.Connection, tables: IndexTables, last: int, top: int, now: str, chunk: int,
                  result: IndexResult) -> None:
    """Index the fragments after position `last` up to `top`, `chunk` at a time, and move the mark."""
    while last < top:
        rows = conn.execute(tables.select("id, text", f"{tables.pos} > ?") + " limit ?", [last, chunk]).fetchall()
        if not rows:
            break
        _index_chunk(conn, [(fid, text) for _, fid, text in rows], now, result, tables)
        last = rows[-1][0]
        result.indexed += len(rows)
    _set_state(conn, tables.mark, str(last))


def _index_chunk(conn: sqlite3.Connection, rows: Sequence[tuple[str, str]], now: str, result: IndexResult,
                 tables: IndexTables = ARCHIVE) -> None:
    """Index one chunk of fragments, in order, against the index's stored keys and each other."""
    lap = time.perf_counter()
    ids: list[str] = []
    folded: list[str] = []
    for fid, text in rows:
        f = fold(text)
        if len(f) >= MIN_CHARS:
            ids.append(fid)
            folded.append(f)
    if not ids:
        return
    lap = result._lap("fold", lap)
    keys = band_keys(signatures(folded))
    key_lists = keys.tolist()
    lap = result._lap("minhash", lap)
    stored: dict[int, list[str]] = defaultdict(list)  # key -> its KEY_CAP lowest stored ids, in order
    for key, fid in _probe(conn, sorted(set(keys.ravel().tolist())), tables):
        stored[key].append(fid)
    lap = result._lap("probe", lap)
    earlier: dict[int, list[int]] = defaultdict(list)  # key -> indexes in this chunk seen so far
    checks: list[tuple[int, list[str], list[int]]] = []
    for i, klist in enumerate(key_lists):
        votes: Counter = Counter()
        for k in klist:
            met = [*stored.get(k, ()), *earlier.get(k, ())]  # old fragments by id, this chunk's by index
            if len(met) > KEY_CAP:  # a popular key: the KEY_CAP lowest ids among them
                met = sorted(met, key=lambda ref: ref if isinstance(ref, str) else ids[ref])[:KEY_CAP]
            for ref in met:
                votes[ref] += 1
            earlier[k].append(i)
        if votes:
            best = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0] if isinstance(kv[0], str) else ids[kv[0]]))
            best = best[:MAX_CANDIDATES]
            checks.append((i, [c for c, _ in best if isinstance(c, str)], [c for c, _ in best if isinstance(c, int)]))
    lap = result._lap("vote", lap)
    if checks:
        old_ids = sorted({fid for _, olds, _ in checks for fid in olds})
        old_text: dict[str, str] = {}
        for start in range(0, len(old_ids), 5000):
            part = old_ids[start:start + 5000]
            old_text.update((fid, fold(text)) for fid, text in conn.execute(
                "select id, text from fragments where id in (select value from json_each(?))", [json.dumps(part)]))
        lap = result._lap("fetch", lap)
        # codes: this chunk's fragments by index, then the old ones met (as the one pass numbers them)
        m = len(ids)
        old_code = {fid: m + k for k, fid in enumerate(old_ids)}
        texts = folded + [old_text.get(fid) for fid in old_ids]
        later: list[int] = []
        earlier: list[int] = []
        for i, olds, news in checks:
            for code in [old_code[o] for o in olds] + news:
                if texts[code] is None or (code >= m and old_ids[code - m] == ids[i]):
                    continue
                later.append(i)
                earlier.append(code)
        result.candidates += len(later)
        size = np.array([len(t) if t is not None else 0 for t in texts], dtype=np.int64)
        later_a, earlier_a = np.array(later, dtype=np.int64), np.array(earlier, dtype=np.int64)
        near, closeness = _closeness(_take(texts, later), _take(texts, earlier), size[later_a] + size[earlier_a])
        hit = np.flatnonzero(near)
        lat, ear = later_a[hit], earlier_a[hit]

        def ident(code: int) -> str:
            return ids[code] if code < m else old_ids[code - m]

        kept = choose_partners(lat, ear, closeness[hit], _id_ranks(ear, ident), np.zeros(m + len(old_ids), dtype=bool),
                               lambda codes: _stored_partners(conn, [ident(c) for c in codes.tolist()], tables))
        pairs = _scored_pairs(lat[kept], ear[kept], texts, ids, ident, now)
        if pairs:
            before = conn.total_changes
            conn.executemany(f"insert or ignore into {tables.pairs} (fragment_a, fragment_b, similarity, method,"
                             " found_at) values (?, ?, ?, ?, ?)", pairs)
            result.pairs += conn.total_changes - before
        lap = result._lap("verify", lap)
    order = np.argsort(keys.ravel(), kind="stable")
    _insert_bands(conn, keys.ravel()[order], order // BANDS, ids, tables)
    result.banded += len(ids)
    result._lap("insert", lap)


def _index_bulk(conn: sqlite3.Connection, last: int, top: int, now: str, chunk: int, result: IndexResult,
                presigned: list[tuple[dict[str, int], np.ndarray, np.ndarray]] | None = None,
                reader: str | None = None, tables: IndexTables = ARCHIVE) -> int:
    """Index fragments at positions (last, top] (rowids, for the archive's index) in one pass; returns
    the last position indexed. With `reader` (the database's path, its fragments committed) the
    candidates are verified in a thread."""
    lap = time.perf_counter()
    pre_index, pre_keys, pre_lengths = presigned.pop() if presigned else ({}, None, None)
    ids: list[str] = []  # backlog fragments with bands, in the index's order: their ordinal is their place
    rowids = array("q")  # their positions (rowids, for the archive's index)
    blocks: list[np.ndarray] = []  # their band keys, a block of rows at a time
    length_blocks: list[np.ndarray] = []  # their folded lengths
    # with the workers' signatures only the texts they did not see are read (a million texts read back
    # and looked up one by one were a sixth of the pass, while the other core idled)
    lazy = bool(pre_index)
    cur = conn.execute(tables.select("id" if lazy else "id, text", f"{tables.pos} > ? and {tables.pos} <= ?"),
                       [last, top])
    seen_last = last
    while rows := cur.fetchmany(10 * chunk if lazy else chunk):
        seen_last = rows[-1][0]
        result.indexed += len(rows)
        if lazy:
            codes = [pre_index.get(row[1]) for row in rows]
            unsigned = [row[0] for row, code in zip(rows, codes) if code is None]
            text_of = dict(_fetch(conn, "pos", unsigned, tables)) if unsigned else {}
        else:
            codes = [None] * len(rows)
            text_of = {rowid: text for rowid, _, text in rows}
        folded, at, pre_at, pre_rows = [], [], [], []  # texts to sign here and their places in the block
        for row, code in zip(rows, codes):
            if code is None:
                f = fold(text_of[row[0]])
                if len(f) < MIN_CHARS:
                    continue
                at.append(len(at) + len(pre_at))
                folded.append(f)
            elif code == SHORT:
                continue
            else:
                pre_at.append(len(at) + len(pre_at))
                pre_rows.append(code)
            rowids.append(row[0])
            ids.append(row[1])
        lap = result._lap("fold", lap)
        if at or pre_at:
            block = np.empty((len(at) + len(pre_at), BANDS), dtype=np.int64)
            block_lengths = np.empty(len(at) + len(pre_at), dtype=np.int32)
            if folded:
                block[at] = band_keys(signatures(folded))
                block_lengths[at] = [len(f) for f in folded]
            if pre_rows:
                block[pre_at] = pre_keys[pre_rows]
                block_lengths[pre_at] = pre_lengths[pre_rows]
            blocks.append(block)
            length_blocks.append(block_lengths)
        lap = result._lap("minhash", lap)
    del pre_index, pre_keys, pre_lengths
    if not ids:
        return seen_last
    lengths = np.concatenate(length_blocks)
    del length_blocks
    n = len(ids)
    keys, owners = _sort_keys(np.concatenate(blocks))
    del blocks
    # buckets with more than one member of the backlog (most keys have one)
    same = keys[1:] == keys[:-1]
    multi = np.zeros(len(keys), dtype=bool)
    multi[1:] = same
    multi[:-1] |= same
    del same
    mpos = np.flatnonzero(multi)  # positions (in keys) of the members of those buckets
    del multi
    mstarts = np.flatnonzero(np.r_[True, keys[mpos[1:]] != keys[mpos[:-1]]]) if len(mpos) \
        else np.zeros(0, dtype=np.int64)  # bucket starts, in mpos
    msizes = np.diff(np.r_[mstarts, len(mpos)])
    # the fragments indexed before, through each key its KEY_CAP lowest ids: the stored keys probed once
    old_ids: list[str] = []
    old_index: dict[str, int] = {}
    found_keys = array("q")  # 8 bytes a match, where a list of ints takes 36: matches run to millions
    found_old = array("q")
    if conn.execute(f"select 1 from {tables.bands} limit 1").fetchone():
        for b in range(0, len(keys), 600_000):
            wanted = np.unique(keys[b:b + 600_000])
            if b and wanted[0] == keys[b - 1]:
                wanted = wanted[1:]  # asked with the slice before
            for key, fid in _probe(conn, wanted.tolist(), tables):
                if fid not in old_index:
                    old_index[fid] = len(old_ids)
                    old_ids.append(fid)
                found_keys.append(key)
                found_old.append(old_index[fid])
    lap = result._lap("probe", lap)
    found = (keys, owners, mpos, mstarts, msizes, found_keys, found_old, ids, old_ids)
    del mpos, mstarts, msizes, found_keys, found_old
    if reader is None:
        pair_later, pair_earlier, votes = _pair_candidates(*found)
        del found
        lap = result._lap("vote", lap)
        pairs = _verify(conn, pair_later, pair_earlier, votes, rowids, ids, old_ids, now, result, lengths, tables)
        del pair_later, pair_earlier, votes
        lap = time.perf_counter()
        _insert_bands(conn, keys, owners, ids, tables)  # the backlog's band keys, in key order
    else:
        # The candidates are paired, fetched and scored in a second thread, on a connection of its own
        # reading the committed fragments, while this one writes the band keys (SQLite, numpy and
        # rapidfuzz run without the GIL): the pass used one core of two for both.
        def verify_in_thread() -> list[tuple]:
            start = time.perf_counter()
            pair_later, pair_earlier, votes = _pair_candidates(*found)
            result._lap("vote", start)
            own = sqlite3.connect(f"file:{reader}?mode=ro", uri=True)
            try:
                return _verify(own, pair_later, pair_earlier, votes, rowids, ids, old_ids, now, result, lengths,
                               tables)
            finally:
                own.close()

        with ThreadPoolExecutor(1) as pool:
            verifying = pool.submit(verify_in_thread)
            _insert_bands(conn, keys, owners, ids, tables)
            lap = result._lap("insert", lap)
            pairs = verifying.result()
            lap = result._lap("verify wait", lap)
        del found
    if pairs:
        before = conn.total_changes
        conn.executemany(f"insert or ignore into {tables.pairs} (fragment_a, fragment_b, similarity, method,"
                         " found_at) values (?, ?, ?, ?, ?)", pairs)
        result.pairs += conn.total_changes - before
    result.banded += n
    result._lap("insert", lap)
    return seen_last


def _pair_candidates(keys: np.ndarray, owners: np.ndarray, mpos: np.ndarray, mstarts: np.ndarray,
                     msizes: np.ndarray, found_keys: array, found_old: array, ids: list[str],
                     old_ids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The one pass's candidate pairs (later, earlier) and the bands each shares (votes), in order of
    later then earlier: from the backlog's sorted keys (`mpos`, `mstarts`, `msizes`: the members of the
    buckets with more than one of them) and the stored keys' matches (`found_keys`, `found_old`)."""
    n = len(ids)
    fk = np.frombuffer(found_keys, dtype=np.int64)
    fo = np.frombuffer(found_old, dtype=np.int64) + n  # old fragments get codes after the backlog's ordinals
    # A key whose members (old ones and the backlog's) stay within KEY_CAP pairs each member with all
    # the earlier ones; the others (popular keys) are walked member by member below.
    fkeys, fcounts = np.unique(fk, return_counts=True)  # per key met in the store, its old fragments
    bucket_keys = keys[mpos[mstarts]]
    at = np.searchsorted(fkeys, bucket_keys)
    stored = np.where((at < len(fkeys)) & (fkeys[np.minimum(at, len(fkeys) - 1)] == bucket_keys),
                      fcounts[np.minimum(at, len(fkeys) - 1)], 0) if len(fkeys) else np.zeros(len(mstarts), np.int64)
    popular = stored + msizes - 1 > KEY_CAP  # per multi-member bucket
    popular_keys = bucket_keys[popular]
    del at, stored, bucket_keys
    # pairs inside the backlog, small buckets: each member with every earlier member of its bucket
    rank = np.arange(len(mpos)) - np.repeat(mstarts, msizes)  # a member's place in its bucket
    rank[np.repeat(popular, msizes)] = 0
    later_pos = np.repeat(mpos, rank)
    back = np.arange(len(later_pos)) - np.repeat(np.cumsum(rank) - rank, rank) + 1  # 1 .. rank
    pair_later = [owners[later_pos]]
    pair_earlier = [owners[later_pos - back]]
    del rank, later_pos, back
    # pairs with old fragments, small buckets: each backlog member of the key with each old one
    walked = np.isin(fk, popular_keys)
    lo = np.searchsorted(keys, fk[~walked], "left")
    hi = np.searchsorted(keys, fk[~walked], "right")
    pair_later += [owners[a:b] for a, b in zip(lo.tolist(), hi.tolist())]
    pair_earlier.append(np.repeat(fo[~walked], hi - lo))
    # popular keys: each member meets the KEY_CAP lowest ids among the old ones and the members before it
    olds_by_key: dict[int, list[int]] = defaultdict(list)
    for at in np.flatnonzero(walked).tolist():
        olds_by_key[fk[at].item()].append(fo[at].item())
    walk_later: list[int] = []
    walk_earlier: list[int] = []
    for bx in np.flatnonzero(popular).tolist():
        st = mpos[mstarts[bx]].item()
        met = sorted((old_ids[ref - n], ref) for ref in olds_by_key.get(keys[st].item(), ()))
        for member in owners[st:st + msizes[bx].item()].tolist():
            walk_later += [member] * len(met)
            walk_earlier += [ref for _, ref in met]
            entry = (ids[member], member)
            if len(met) < KEY_CAP:
                insort(met, entry)
            elif entry < met[-1]:
                insort(met, entry)
                met.pop()
    pair_later.append(np.array(walk_later, dtype=np.int64))
    pair_earlier.append(np.array(walk_earlier, dtype=np.int64))
    pair_later = np.concatenate(pair_later)
    pair_earlier = np.concatenate(pair_earlier)
    del fk, fo, fkeys, fcounts, walked, lo, hi, olds_by_key, walk_later, walk_earlier
    del popular, popular_keys
    # votes: how many bands each (later, earlier) pair shares
    code = pair_later * (n + len(old_ids)) + pair_earlier
    code, votes = np.unique(code, return_counts=True)
    pair_later, pair_earlier = np.divmod(code, n + len(old_ids))
    del code
    return pair_later, pair_earlier, votes


def _sort_keys(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (n, BANDS) keys of n fragments sorted, and each key's fragment (its row): a stable sort, so a
    key's members stay in row order. A million fragments make 12 million keys: no array here is kept
    per distinct key."""
    n = len(table)
    keys = np.empty(n * BANDS, dtype=np.int64)
    owners = np.empty(n * BANDS, dtype=np.int64)

    # A key's band number is its top byte (band_keys): the keys in order are band 0's in order, then
    # band 1's... Twelve sorts of n keys, two at a time (numpy sorts without the GIL), take less than half
    # the time of one sort of all 12 n.
    def sort_band(b: int) -> None:
        column = np.ascontiguousarray(table[:, b])
        order = np.argsort(column, kind="stable")
        owners[b * n:(b + 1) * n] = order
        keys[b * n:(b + 1) * n] = column[order]

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(sort_band, range(BANDS)))
    if len(keys) > 1 and not (keys[1:] >= keys[:-1]).all():  # keys not led by their band: one sort of all
        order = np.argsort(table.ravel(), kind="stable")
        keys[:] = table.ravel()[order]
        owners[:] = order // BANDS
    return keys, owners


def _verify(conn: sqlite3.Connection, pair_later: np.ndarray, pair_earlier: np.ndarray, votes: np.ndarray,
            rowids: array, ids: list[str], old_ids: list[str], now: str, result: IndexResult,
            lengths: np.ndarray | None = None, tables: IndexTables = ARCHIVE) -> list[tuple]:
    """Score the one pass's candidate pairs (ordinals: the backlog's, then old fragments' after them);
    returns the near-duplicate rows to store. `lengths` (the backlog's folded lengths) rules out,
    before their texts are read, the pairs whose lengths alone keep them below the threshold."""
    n = len(ids)
    # rapidfuzz's ratio is 1 - d / (la + lb), with the Indel distance d >= |la - lb|: at most
    # 2 min / (la + lb), at least the threshold only when min / max >= t / (2 - t) (2/3 for 0.8)
    bound = NEAR_THRESHOLD / (2 - NEAR_THRESHOLD) - 1e-9
    size = np.full(n + len(old_ids), np.inf)  # old fragments' lengths are not known here: never ruled out
    if lengths is not None:
        size[:n] = lengths

    def ident(ref: int) -> str:
        return ids[ref] if ref < n else old_ids[ref - n]

    lap = time.perf_counter()
    found: list[tuple] = []
    # in blocks of candidates, fetching the texts each block needs
    bounds = np.flatnonzero(np.r_[True, pair_later[1:] != pair_later[:-1]])
    block_starts = bounds[::20_000]
    # a text met in several blocks is fetched and folded once, and kept until the last block that needs
    # it (the bookkeeping in numpy: with sets and dicts it took as long as reading the texts)
    block_of = np.repeat(np.arange(len(block_starts), dtype=np.int32), np.diff(np.r_[block_starts, len(pair_later)]))
    last_use = np.full(n + len(old_ids), -1, dtype=np.int32)
    np.maximum.at(last_use, pair_later, block_of)
    np.maximum.at(last_use, pair_earlier, block_of)
    del block_of
    used = np.flatnonzero(last_use >= 0)
    used = used[np.argsort(last_use[used], kind="stable")]
    drop_at = np.searchsorted(last_use[used], np.arange(len(block_starts) + 1))  # texts last needed by block bi
    del last_use
    have = np.zeros(n + len(old_ids), dtype=bool)  # folded already
    linked = np.zeros(n + len(old_ids), dtype=bool)  # needs no rescue pair any more (choose_partners)
    flen = np.zeros(n + len(old_ids), dtype=np.int64)  # folded lengths, set with the texts
    old_at: dict[str, int] = {}  # an old fragment's code, by id (made when first needed)
    folded: list[str | None] = [None] * (n + len(old_ids))
    rowid_of = np.frombuffer(rowids, dtype=np.int64) if len(rowids) else np.zeros(0, dtype=np.int64)
    for bi, bstart in enumerate(block_starts.tolist()):
        bend = block_starts[bi + 1].item() if bi + 1 < len(block_starts) else len(pair_later)
        # each fragment against its candidates (its MAX_CANDIDATES best when it has more), in order;
        # only the few fragments with more are sorted, one by one (most shared bands first, then by id)
        later, earlier = pair_later[bstart:bend], pair_earlier[bstart:bend]
        starts = np.flatnonzero(np.r_[True, later[1:] != later[:-1]])
        sizes = np.diff(np.r_[starts, len(later)])
        over = sizes > MAX_CANDIDATES
        pieces, prev = [], 0
        for st, sz in zip(starts[over].tolist(), sizes[over].tolist()):
            pe, pv = earlier[st:st + sz].tolist(), votes[bstart + st:bstart + st + sz].tolist()
            best = sorted(range(sz), key=lambda i: (-pv[i], ident(pe[i])))[:MAX_CANDIDATES]
            pieces += [np.arange(prev, st), st + np.array(best, dtype=np.int64)]
            prev = st + sz
        if pieces:
            chosen = np.concatenate([*pieces, np.arange(prev, len(later))])
            later, earlier = later[chosen], earlier[chosen]
        result.candidates += len(later)
        # the candidates chosen, less those their lengths rule out (after the choice: the same pairs
        # are chosen as on the chunk path), and the texts they need, each fetched and folded once
        la, lb = size[later], size[earlier]
        keep = np.isinf(la) | np.isinf(lb) | (np.minimum(la, lb) >= bound * np.maximum(la, lb))
        mine, others = later[keep], earlier[keep]
        need = np.unique(np.concatenate([mine, others]))
        fresh = need[~have[need]]
        have[fresh] = True
        new, old = fresh[fresh < n], fresh[fresh >= n]
        by_rowid = _fetch(conn, "pos", rowid_of[new].tolist(), tables)
        by_id = _fetch(conn, "id", sorted(old_ids[x - n] for x in old.tolist()))
        lap = result._lap("fetch", lap)
        result.texts_read += len(fresh)
        if by_rowid:
            for x, (_, text) in zip(np.searchsorted(rowid_of, [r[0] for r in by_rowid]).tolist(), by_rowid):
                folded[x] = fold(text)
        if by_id:
            if not old_at:
                old_at = {fid: n + i for i, fid in enumerate(old_ids)}
            for fid, text in by_id:
                folded[old_at[fid]] = fold(text)
        flen[fresh] = [len(folded[x]) if folded[x] is not None else 0 for x in fresh.tolist()]
        del by_rowid, by_id, need, fresh, new, old, la, lb, keep
        lap = result._lap("fold texts", lap)
        # every pair scored at once; of those near, each fragment keeps its PARTNER_CAP closest earlier
        # ones (and a fragment no earlier one is near, its first later one: choose_partners). Only the
        # pairs kept are scored again one by one, so the stored values are similarity_folded's to the
        # last digit (the batch scorer's last bit can differ)
        near, closeness = _closeness(_take(folded, mine.tolist()), _take(folded, others.tolist()),
                                     flen[mine] + flen[others])
        hit = np.flatnonzero(near)
        lat, ear = mine[hit], others[hit]
        kept = choose_partners(lat, ear, closeness[hit], _id_ranks(ear, ident), linked,
                               lambda codes: _stored_partners(conn, [ident(c) for c in codes.tolist()], tables))
        found += _scored_pairs(lat[kept], ear[kept], folded, ids, ident, now)
        for x in used[drop_at[bi]:drop_at[bi + 1]].tolist():
            folded[x] = None
        lap = result._lap("verify", lap)
    return found


def _take(items: list, at: list[int]) -> Sequence:
    """items[i] for each i in at (itemgetter's loop in C: a list comprehension took as long as the
    texts' Indel scoring)."""
    if len(at) < 2:
        return [items[i] for i in at]
    return itemgetter(*at)(items)


def _insert_bands(conn: sqlite3.Connection, keys: np.ndarray, owners: np.ndarray, ids: list[str],
                  tables: IndexTables = ARCHIVE) -> None:
    """Store band rows (keys[i], ids[owners[i]]), keys sorted (appends to the key-ordered table)."""
    if ids and all(len(fid) == ID_CHARS and fid.isascii() for fid in ids):
        # BAND_ROWS rows a statement, read by SQLite from a JSON array of keys and a blob of fixed-width
        # ids: twice as fast as executemany's tuple per row, and linear (making 12 tuples per fragment
        # from a list of a million ids slows down as the list outgrows the CPU caches).
        fixed = np.array(ids, dtype=f"S{ID_CHARS}")
        for b in range(0, len(keys), BAND_ROWS):
            conn.execute(f"insert or ignore into {tables.bands} (key, fragment_id) select k.value,"
                         f" cast(substr(?2, k.key * {ID_CHARS} + 1, {ID_CHARS}) as text) from json_each(?1) k",
                         [json.dumps(keys[b:b + BAND_ROWS].tolist()), fixed[owners[b:b + BAND_ROWS]].tobytes()])
        return
    conn.executemany(f"insert or ignore into {tables.bands} (key, fragment_id) values (?, ?)",
                     zip(keys.tolist(), [ids[o] for o in owners.tolist()]))


def _probe(conn: sqlite3.Connection, keys: list[int], tables: IndexTables = ARCHIVE) -> list[tuple[int, str]]:
    """(key, fragment id) of the stored band rows with these keys: for each key its KEY_CAP lowest ids."""
    return conn.execute("select key, fragment_id from (select key, fragment_id, row_number() over"
                        f" (partition by key order by fragment_id) as k from {tables.bands}"
                        " where key in (select value from json_each(?))) where k <= ?",
                        [json.dumps(keys), KEY_CAP]).fetchall()


def _fetch(conn: sqlite3.Connection, column: str, values: list, tables: IndexTables = ARCHIVE) -> list[tuple]:
    """(value, text) of the fragments with these ids (`column` "id") or at these positions of the
    index's order ("pos")."""
    wanted = "in (select value from json_each(?))"
    if column == "pos":
        sql = f"select {tables.pos}, text from {tables.fragments} where {tables.pos} {wanted}"
    else:
        sql = f"select {column}, text from fragments where {column} {wanted}"
    out: list[tuple] = []
    for b in range(0, len(values), 10_000):
        out += conn.execute(sql, [json.dumps(values[b:b + 10_000])]).fetchall()
    return out
