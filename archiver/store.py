"""Saving reconstructed sources into the archive: one transaction per source, idempotent."""

from __future__ import annotations

import json
import sqlite3
import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from . import merge, neardup, projection
from .digest import finish, thread_digest, tree_digests, update_digests
from .errors import ArchiveError, InputError
from .fts import update_fts
from .models import Dropped, ParseResult, Post, Source, Thread, thread_title
from .normalize import content_hash
from .tableset import FULL, PUBLIC, TableSet
from .txn import begin_immediate, commit, rollback, write_transaction
from .wording import plural

FRAGMENT_KIND = {"thread": "post", "post": "post", "article": "paragraph"}
STREAM_CACHE_KIB = 192 * 1024  # SQLite page cache while one large source is written
STREAM_INDEX_BATCH = 1_000_000  # fragments of a large source indexed for near-duplicates in one pass (memory: ~330 bytes each)


def utcnow() -> str:
    """The current UTC time as an ISO 8601 string with seconds."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class IngestSummary:
    """What one or more ingests added to the archive.

    The thread figures are the archive's after every merge (`settle`): `threads` new threads,
    `threads_extended` threads archived before that received parts, and `parts` and `missing_parts`
    what those threads hold as stored, not what each source gave (two pastes of one thread, parts
    1-2 and 2-4 of 5, merged, are one thread of 4 parts with 1 missing, not 5 parts with 5 missing)."""

    sources_new: int = 0
    sources_present: int = 0
    threads: int = 0
    threads_extended: int = 0
    parts: int = 0
    missing_parts: int = 0
    fragments_new: int = 0
    fragments_known: int = 0
    near_duplicates: int = 0
    merged_threads: list[str] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)  # capture format -> new sources read in it
    skipped: list[dict[str, str]] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    # sources archived publicly that were given again as private: ids to mark, then the names marked
    make_private: list[int] = field(default_factory=list)
    made_private: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # time per step (read, parse, store, ...), for benchmarks
    # the ids of the threads the sources created, and of the threads archived before them that received
    # parts, as they were stored (a later merge may have made them aliases): what `settle` counts
    created_ids: set[str] = field(default_factory=set, repr=False)
    joined_ids: set[str] = field(default_factory=set, repr=False)

    def add(self, other: "IngestSummary") -> None:
        """Accumulate another summary into this one (the thread figures are counted again by `settle`)."""
        for key in ("sources_new", "sources_present", "threads", "threads_extended", "parts", "missing_parts",
                    "fragments_new", "fragments_known", "near_duplicates"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.merged_threads += other.merged_threads
        self.created_ids |= other.created_ids
        self.joined_ids |= other.joined_ids
        for name, count in other.formats.items():
            self.formats[name] = self.formats.get(name, 0) + count
        self.skipped += other.skipped
        self.present += other.present
        self.make_private += other.make_private
        self.made_private += other.made_private
        for step, seconds in other.seconds.items():
            self.lap(step, seconds)

    def lap(self, step: str, seconds: float) -> None:
        """Add time spent in one step (benchmarks read `seconds`)."""
        self.seconds[step] = self.seconds.get(step, 0.0) + seconds

    def settle(self, conn: sqlite3.Connection) -> None:
        """Count the threads as the archive holds them now, after every merge of the run: a thread
        created by one source of the run and added to by the next is one new thread; one archived
        before is extended (`merged_threads` names them); parts and missing parts are those the
        stored threads hold."""
        live = _live_thread_ids(conn, self.created_ids | self.joined_ids)
        created = {live[t] for t in self.created_ids if t in live}
        # a thread an earlier source of this run created is not one archived before
        extended = {live[t] for t in self.joined_ids - self.created_ids if t in live}
        new = created - extended
        self.threads, self.threads_extended = len(new), len(extended)
        self.merged_threads = sorted(extended)
        self.parts = self.missing_parts = 0
        ids = sorted(new | extended)
        for start in range(0, len(ids), 10_000):
            parts, missing = conn.execute(
                "select coalesce(sum(parts), 0), coalesce(sum(json_array_length(coalesce(missing, '[]'))), 0)"
                " from threads where id in (select value from json_each(?))",
                [json.dumps(ids[start:start + 10_000])]).fetchone()
            self.parts += parts
            self.missing_parts += missing

    def to_json(self) -> dict[str, Any]:
        """The `ingest --json` document."""
        return {
            "sources": {"new": self.sources_new, "already_present": self.sources_present,
                        "present_names": self.present, "made_private": self.made_private, "skipped": self.skipped},
            "threads": self.threads,
            "threads_extended": self.threads_extended,
            "parts": self.parts,
            "missing_parts": self.missing_parts,
            "fragments": {"new": self.fragments_new, "known": self.fragments_known,
                          "near_duplicates": self.near_duplicates},
            "merged_threads": self.merged_threads,
            "formats": dict(sorted(self.formats.items())),
        }


def _live_thread_ids(conn: sqlite3.Connection, ids: set[str]) -> dict[str, str]:
    """id -> the stored thread it names now (itself, or the thread a merge made it an alias of);
    ids that name neither are left out."""
    wanted = sorted(ids)
    live: dict[str, str] = {}
    for start in range(0, len(wanted), 10_000):
        batch = json.dumps(wanted[start:start + 10_000])
        live.update((tid, tid) for (tid,) in conn.execute(
            "select id from threads where id in (select value from json_each(?))", [batch]))
        live.update(conn.execute(
            "select alias, thread_id from thread_aliases where alias in (select value from json_each(?))", [batch]))
    return live


def source_exists(db: sqlite_utils.Database, sha256: str) -> bool:
    """True when a source with these raw bytes is already archived."""
    return db.execute("select 1 from sources where sha256 = ?", [sha256]).fetchone() is not None


def save_source(db: sqlite_utils.Database, source: Source, result: ParseResult, source_index: int = 0,
                index: bool = True, in_transaction: bool = False, hashes: dict[str, str] | None = None,
                run: RunKeys | None = None, record: bytes | None = None,
                digests: dict[str, tuple[int, int]] | None = None) -> IngestSummary:
    """Store one source and everything reconstructed from it, atomically; a known source changes nothing.

    The source gets its own write transaction, which a failure rolls back. With
    `in_transaction` it is written into the caller's open transaction instead (a bulk ingest commits
    a few sources at a time), with no savepoint of its own: a savepoint copies every page the source
    changes to a temporary file first, and the random keys of the indexes spread one source over
    thousands of pages. After a failure there, the caller rolls its transaction back (the bulk ingest
    then stores the sources before this one again: `ingest._BulkRun.recover`). With `index=False`
    the new fragments are left for a later `neardup.index_pending` (a bulk ingest indexes all of its
    sources once at the end; any ingest catches up a backlog left behind). `hashes` may give the
    content hash of part texts (worked out by the bulk ingest's workers); `run` the ids a bulk ingest
    stored so far (`RunKeys`); `record` what the source says (`projection.encode_threads`) and
    `digests` its threads' digest sums as new threads (`digest.presign`), worked out by a worker too.

    A source archived already changes nothing; one archived publicly and given again as private is
    listed in `make_private` (`ingest_sources` marks it private once the run is stored). While the
    archive holds a private source, a public source is stored into the public projection as well,
    by the same code (archiver/projection.py); a first private source starts the projection."""
    summary = IngestSummary()
    conn = db.conn
    # a grouped source is written into the caller's transaction, and indexed for search with its
    # group (ingest._BulkRun.commit)
    with nullcontext() if in_transaction else write_transaction(conn):
        known = conn.execute("select id, private, name from sources where sha256 = ?", [source.sha256]).fetchone()
        if known is not None:
            summary.sources_present = 1
            # a paste given again is named as archived (its new name holds only the time it was given again)
            summary.present.append(known[2] if source.kind == "paste" else source.name)
            if source.private and not known[1]:
                summary.make_private.append(known[0])
            return summary
        now = utcnow()
        public_too = projection.prepare(conn, source.private)
        source_id = _insert_source(db, source, now)
        projection.save_record(conn, source_id, 0, projection.THREADS, record if record is not None
                               else projection.encode_threads(result.threads, source_index, hashes))
        created: set[str] = set()
        joined: set[str] = set()
        found = _store_threads(db, result.threads, source_index, source_id, now, summary, created, joined, hashes, run,
                               digests=digests)
        if public_too:
            store_batch(db, PUBLIC, result.threads, [], source_index, source_id, now, hashes, found, digests)
        _count_threads(db, summary, created, joined)
        if index:
            summary.near_duplicates += neardup.index_pending(conn, now).pairs
        _store_dropped(conn, result.dropped, source_index, source_id)
        if not in_transaction:
            update_fts(conn)
    summary.sources_new = 1
    summary.formats[source.format] = 1
    return summary


def _store_threads(db: sqlite_utils.Database, threads: list[Thread], source_index: int, source_id: int, now: str,
                   summary: IngestSummary, created: set[str], joined: set[str],
                   hashes: dict[str, str] | None = None, run: RunKeys | None = None, tables: TableSet = FULL,
                   found: _SourceFragments | None = None, digests: dict[str, tuple[int, int]] | None = None
                   ) -> _SourceFragments:
    """Store the threads (parts, fragments, sightings) one source gave, merging as they go, into one
    table set (archiver/tableset.py). The fragments are stored once, by the archive's set; the public
    projection's pass records which of them it sees first (`found`: what the first pass stored)."""
    conn = db.conn
    threads = [t for t in threads if any(p.source == source_index for p in t.parts)]
    if tables.public:
        fragments = _public_fragments(conn, threads, source_index, source_id, now, hashes, found)
    else:
        fragments = _store_fragments(conn, threads, source_index, source_id, now, hashes, run)
    ids = [t.id for t in threads]
    if run is not None:
        if run.complete:
            ids = [tid for tid in ids if hash(tid) in run.threads]
        run.threads.update(hash(t.id) for t in threads)
    known: set[str] = set()  # the ids that name a stored thread or an alias: only these can resolve
    for start in range(0, len(ids), 10_000):
        batch = json.dumps(ids[start:start + 10_000])
        known.update(r[0] for r in conn.execute(
            f"select id from {tables.threads} where id in (select value from json_each(?1))"
            f" union select alias from {tables.aliases} where alias in (select value from json_each(?1))", [batch]))
    pending = _NewThreads(tables)
    for thread in threads:
        _save_thread(db, thread, source_id, source_index, now, summary, created, joined, fragments,
                     pending, thread.id in known, tables, digests and digests.get(thread.id))
    pending.flush(conn)
    return fragments


def store_batch(db: sqlite_utils.Database, tables: TableSet, threads: list[Thread],
                copies: list[tuple[str, int, int]], source_index: int, source_id: int, now: str,
                hashes: dict[str, str] | None = None, found: _SourceFragments | None = None,
                digests: dict[str, tuple[int, int]] | None = None) -> None:
    """Store what a source (or one chunk of a large one) said into a table set, as the writer does:
    its threads, then each copy of an earlier part as another sighting of it. The public
    projection's pass of a new source, and its replay (archiver/projection.py), come through here."""
    _store_threads(db, threads, source_index, source_id, now, IngestSummary(), set(), set(), hashes, None, tables,
                   found, digests)
    if copies:
        add_copies(db.conn, tables, source_id, copies)


def add_copies(conn: sqlite3.Connection, tables: TableSet, source_id: int, copies: list[tuple[str, int, int]]) -> None:
    """Each copy (content hash, line_start, line_end) of an earlier chunk's part, as another sighting
    of that part (of the first sighting of its text in this source), and the threads' digests kept."""
    touched: set[int] = set()
    for h, start, end in copies:
        # (a sighting's thread is always a stored thread: merges point sightings at the survivor)
        row = conn.execute(f"select s.fragment_id, s.fragment_rowid, s.thread_id, s.thread_rowid, s.n"
                           f" from {tables.sightings} s where s.source_id = ? and s.fragment_rowid ="
                           " (select rowid from fragments where id = ?) order by s.line_start limit 1",
                           [source_id, h[:16]]).fetchone()
        if row is not None:
            fid, frowid, tid, trowid, n = row
            cur = conn.execute(f"insert or ignore into {tables.sightings} (fragment_id, source_id, line_start,"
                               " line_end, thread_id, n, fragment_rowid, thread_rowid) values (?, ?, ?, ?, ?, ?, ?, ?)",
                               [fid, source_id, start, end, tid, n, frowid, trowid])
            if cur.rowcount and trowid is not None:
                touched.add(trowid)
    update_digests(conn, tables, sorted(touched))


def _store_dropped(conn: sqlite3.Connection, dropped: list[Dropped], source_index: int, source_id: int) -> None:
    conn.executemany(
        "insert into dropped (source_id, line_start, line_end, reason) values (?, ?, ?, ?)",
        [(source_id, d.line_start, d.line_end, d.reason) for d in dropped if d.source == source_index],
    )


@dataclass
class StreamedSource:
    """A source too large to hold in memory, as its reader describes it (archiver/stream.py): the
    values of its `sources` row, and its raw bytes, block by block, when its content does not give
    them back."""

    sha256: str
    kind: str
    name: str
    encoding: str
    repair: str | None
    size: int  # raw bytes
    lines: int
    content_bytes: int  # UTF-8 length of the content, written later by `StreamWriter.write_content`
    private: bool
    meta: dict[str, Any]  # what the reader records so that the content can be decoded again
    raw: Callable[[], Iterable[bytes]] | None = None  # None: the content encodes back to the raw bytes


class StreamWriter:
    """Stores one large source a chunk at a time, in one transaction (archiver/stream.py reads it).

    `open` begins the transaction and inserts the source row with its content (and its raw bytes,
    when the content does not give them back) sized in advance and written block by block; `add`
    stores the threads of one chunk, `finish` indexes near-duplicates and commits. A failure
    anywhere rolls back the whole source.
    """

    def __init__(self, db: sqlite_utils.Database, source: StreamedSource) -> None:
        self.db, self.conn, self.source = db, db.conn, source
        self.summary = IngestSummary()
        self.public_too = False  # a public source stored into the public projection as well
        self.records = 0  # the chunks recorded (projection.save_record)
        self.created: set[str] = set()
        self.joined: set[str] = set()
        self.now = utcnow()
        self.source_id: int | None = None
        self.offset = 0  # bytes of content written
        self.cache_size: int | None = None
        self._content = None  # the open blob handle on the stored content

    def open(self) -> bool:
        """Begin; False (and nothing written) when the source is archived already."""
        begin_immediate(self.conn)
        source = self.source
        known = self.conn.execute("select id, private, name from sources where sha256 = ?",
                                  [source.sha256]).fetchone()
        if known is not None:
            rollback(self.conn)
            self.summary.sources_present = 1
            self.summary.present.append(known[2] if source.kind == "paste" else source.name)
            if source.private and not known[1]:
                self.summary.make_private.append(known[0])
            return False
        if source.kind == "paste":
            source.name = free_paste_name(self.conn, source.name)
        self.public_too = projection.prepare(self.conn, bool(source.private))
        # One transaction writes hundreds of thousands of rows with random keys into the indexes:
        # with SQLite's default 2 MB cache nearly every insert would read and spill index pages.
        self.cache_size = self.conn.execute("pragma cache_size").fetchone()[0]
        self.conn.execute(f"pragma cache_size = -{STREAM_CACHE_KIB}")
        # (meta says how the content was decoded when raw bytes are kept: `verify` decodes them again)
        # the content as a text of its final size, filled in by write_content (SQLite's blob I/O
        # writes into text values too); zeroblob keeps the raw column from being built in memory
        lossless = source.raw is None
        cur = self.conn.execute(
            "insert into sources (sha256, kind, name, url, encoding, repair, bytes, lines, ingested_at, fetched_at,"
            " private, meta, content, raw) values (?, ?, ?, null, ?, ?, ?, ?, ?, null, ?, ?,"
            " cast(zeroblob(?) as text), case when ? then null else zeroblob(?) end)",
            [source.sha256, source.kind, source.name, source.encoding, source.repair, source.size, source.lines,
             self.now, int(source.private), json.dumps(source.meta), source.content_bytes, int(lossless),
             source.size])
        self.source_id = cur.lastrowid
        if source.raw is not None:
            with self.conn.blobopen("sources", "raw", self.source_id) as blob:
                for block in source.raw():
                    blob.write(block)
        return True

    def write_content(self, text: str) -> None:
        """Append the next block of decoded text to the stored content."""
        data = text.encode("utf-8")
        # One handle for the whole content: a new handle seeking to the offset would walk the value's
        # chain of overflow pages from its start, block after block (quadratic in the file's size).
        if self._content is None:
            self._content = self.conn.blobopen("sources", "content", self.source_id)
        self._content.write(data)
        self.offset += len(data)

    def _close_content(self) -> None:
        if self._content is not None:
            self._content.close()
            self._content = None

    def add(self, threads: list[Thread], dropped: list[Dropped], copies: list[tuple[str, int, int]]) -> None:
        """Store one chunk's threads and dropped spans, and each copy of an earlier chunk's part as
        another sighting of that part."""
        conn = self.conn
        projection.save_record(conn, self.source_id, self.records, projection.THREADS,
                               projection.encode_threads(threads, 0, copies=copies))
        self.records += 1
        found = _store_threads(self.db, threads, 0, self.source_id, self.now, self.summary, self.created, self.joined)
        if copies:
            add_copies(conn, FULL, self.source_id, copies)
        if self.public_too:
            store_batch(self.db, PUBLIC, threads, copies, 0, self.source_id, self.now, found=found)
        _store_dropped(conn, dropped, 0, self.source_id)

    def index(self, final: bool = False) -> None:
        """Index the fragments stored so far for near-duplicates, once STREAM_INDEX_BATCH of them wait
        (or at the end): in one pass over the batch, which reads the band index in key order, where
        indexing chunk by chunk would seek all over an index that outgrows the cache."""
        if not final and neardup.backlog(self.conn) < STREAM_INDEX_BATCH:
            return
        conn = self.conn
        # the pass holds the batch's keys and candidate texts: give back the page cache meanwhile
        conn.execute(f"pragma cache_size = -{neardup.BULK_CACHE_KIB}")
        conn.execute("pragma shrink_memory")
        release_free_memory()
        try:
            result = neardup.index_pending(conn, self.now, bulk=True)
            self.summary.near_duplicates += result.pairs
            for step, seconds in result.seconds.items():  # benchmarks/large_input.py prints where the pass spends
                self.summary.lap(f"neardup {step}", seconds)
        finally:
            conn.execute(f"pragma cache_size = -{STREAM_CACHE_KIB}")

    def finish(self) -> IngestSummary:
        """Check the content was written whole, then commit."""
        self._close_content()
        if self.offset != self.source.content_bytes:
            raise ArchiveError(f"{self.source.name}: the file changed while it was read")
        self.index(final=True)
        _count_threads(self.db, self.summary, self.created, self.joined)
        # indexed for search in one INSERT ... SELECT (benchmarks/large_input.py: indexing chunk by chunk
        # took 200 MB to x4.63 the 50 MB time, at the end x4.39)
        update_fts(self.conn)
        commit(self.conn)
        self._restore()
        self.summary.sources_new = 1
        self.summary.formats["plain"] = 1  # a text too large to hold is read as plain text
        return self.summary

    def abort(self) -> None:
        """Undo everything written for this source."""
        try:
            self._close_content()
        except sqlite3.Error:  # the handle may be gone with a failed statement: the rollback undoes it all
            self._content = None
        rollback(self.conn)
        self._restore()

    def _restore(self) -> None:
        if self.cache_size is not None:
            self.conn.execute(f"pragma cache_size = {self.cache_size}")
            self.cache_size = None


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim), so that memory just
    given back by SQLite does not stay counted in the process next to what comes after."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def free_paste_name(conn: sqlite3.Connection, name: str) -> str:
    """A paste's name, or the name with ` (2)`, ` (3)`... when another source has it already: two pastes
    of one minute that start alike stay two names (a citation, and `archiver private NAME`, name one)."""
    pattern = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " (%)"
    taken = {r[0] for r in conn.execute("select name from sources where name = ? or name like ? escape '\\'",
                                        [name, pattern])}
    k = 1
    while (candidate := name if k == 1 else f"{name} ({k})") in taken:
        k += 1
    return candidate


def _insert_source(db: sqlite_utils.Database, source: Source, now: str) -> int:
    # the capture format recognised is kept with the source's metadata (`json_extract(meta, '$.format')`)
    meta = {**source.meta, "format": source.format}
    if source.kind == "paste":
        source.name = free_paste_name(db.conn, source.name)
    cur = db.conn.execute(
        "insert into sources (sha256, kind, name, url, encoding, repair, bytes, lines, ingested_at, fetched_at,"
        " private, meta, content, raw) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source.sha256, source.kind, source.name, source.url, source.encoding, source.repair,
            len(source.raw), len(source.lines), now, source.fetched_at, int(source.private),
            json.dumps(meta, ensure_ascii=False),
            source.text, None if source.lossless else source.raw,
        ],
    )
    return cur.lastrowid


@dataclass
class RunKeys:
    """The fragment and thread ids a bulk ingest stored (as `hash()` values), for lookups it can skip.

    While `complete` holds (the archive had no fragment when the run began and no other connection
    has written since: `ingest._BulkRun.begin`), every archived fragment and thread is one the run
    stored, so an id not in these sets is new without a lookup: a million random-key probes of
    `fragments` and `threads` saved at 1M fragments (docs/performance.md). A set member is still looked
    up (it may have been rolled back, or its text may differ); a false member only costs a lookup.
    """

    fragments: set[int] = field(default_factory=set)
    threads: set[int] = field(default_factory=set)
    complete: bool = False


@dataclass
class _SourceFragments:
    """The fragments of one source's parts: id by content hash, and the hashes first stored by it."""

    ids: dict[str, str] = field(default_factory=dict)  # content hash -> fragment id
    rowids: dict[str, int] = field(default_factory=dict)  # content hash -> fragment rowid
    new: set[str] = field(default_factory=set)  # hashes this source stored (not yet counted as new)
    hash_of: dict[str, str] = field(default_factory=dict)  # part text -> content hash


@dataclass
class _NewThreads:
    """New threads made only of texts never seen before, with their parts and sightings, written
    together: a run of such threads costs three statements instead of three per thread. Their rows
    keep the order one-by-one writing gives them; `flush` runs before anything reads these tables."""

    tables: TableSet = FULL
    threads: list[tuple] = field(default_factory=list)
    parts: list[list] = field(default_factory=list)
    sightings: list[tuple] = field(default_factory=list)
    top: int | None = None  # the largest thread rowid given out since the last flush

    def next_rowid(self, conn: sqlite3.Connection) -> int:
        """The rowid of the next new thread (parts and sightings name it before it is written)."""
        if self.top is None:
            self.top = conn.execute(f"select coalesce(max(rowid), 0) from {self.tables.threads}").fetchone()[0]
        self.top += 1
        return self.top

    def flush(self, conn: sqlite3.Connection) -> None:
        per_statement = max(1, _max_variables(conn) // 15)
        for start in range(0, len(self.threads), per_statement):
            batch = self.threads[start:start + per_statement]
            _insert_new(conn, self.tables.threads, "rowid, id, kind, title, author, url, total, missing, complete,"
                        " parts, conflicts, first_source_id, created_at, updated_at, digest", batch)
        _insert_parts(conn, self.parts, self.sightings, self.tables)
        self.threads, self.parts, self.sightings, self.top = [], [], [], None


def _insert_new(conn: sqlite3.Connection, table: str, columns: str, rows: list[tuple]) -> None:
    """Insert rows whose keys were looked up and found absent, in one multi-row statement.

    `insert or ignore`, with the count checked, rather than a plain `insert`: a statement that writes
    several rows and may abort on a constraint makes SQLite keep a statement journal, a copy of every
    page the statement changes before it changes it, and with random keys (content hashes) one
    statement changes about a page per row (a 1M-fragment ingest wrote 12.0 GB through `write()`
    with plain inserts, 6.2 GB without: docs/performance.md). No key can clash here, so nothing is
    ignored; if one ever did, the ingest stops.
    """
    marks = "(" + ", ".join("?" * len(rows[0])) + ")"
    cur = conn.execute(f"insert or ignore into {table} ({columns}) values " + ", ".join([marks] * len(rows)),
                       [v for row in rows for v in row])
    if cur.rowcount != len(rows):
        raise ArchiveError(f"{len(rows) - cur.rowcount} of {len(rows)} new {table} rows are already in the"
                           " archive: it changed under this ingest")


def _insert_parts(conn: sqlite3.Connection, part_rows: list, sighting_rows: list, tables: TableSet = FULL) -> None:
    conn.executemany(
        f"insert or ignore into {tables.parts} (thread_id, n, fragment_id, inferred, marker, conflict, author,"
        " posted_at, external_id, parent_id, url, thread_rowid, fragment_rowid)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", part_rows)
    conn.executemany(
        f"insert or ignore into {tables.sightings} (fragment_id, source_id, line_start, line_end, thread_id, n,"
        " fragment_rowid, thread_rowid) values (?, ?, ?, ?, ?, ?, ?, ?)", sighting_rows)


def _store_fragments(conn: sqlite3.Connection, threads: list[Thread], source_index: int, source_id: int,
                     now: str, hashes: dict[str, str] | None = None, run: RunKeys | None = None
                     ) -> _SourceFragments:
    """Store the source's texts not archived yet, in the order their parts come, with a few multi-row
    INSERTs (single-row ones through executemany left a one-file ingest of 200 MB holding 150 MiB
    more when its near-duplicate pass began: benchmarks/large_input.py)."""
    found = _SourceFragments()
    first = _first_parts(threads, source_index, found.hash_of, hashes or {})
    hashes = list(first)
    if run is not None and run.complete:
        hashes = [h for h in hashes if hash(h[:16]) in run.fragments]
    per_lookup = max(1, _max_variables(conn))
    for start in range(0, len(hashes), per_lookup):
        batch = hashes[start:start + per_lookup]
        for h, fid, rowid in find_known_fragments(conn, batch):
            found.ids[h], found.rowids[h] = fid, rowid
    new = [(h, text, kind) for h, (text, kind) in first.items() if h not in found.ids]
    # rowids given here, not by SQLite: the source's parts and sightings name them (one lookup, not one per row)
    top = conn.execute("select coalesce(max(rowid), 0) from fragments").fetchone()[0] if new else 0
    rows = [(top + i, h[:16], h, kind, text, len(text), source_id, now) for i, (h, text, kind) in enumerate(new, 1)]
    per_statement = max(1, _max_variables(conn) // 8)
    for start in range(0, len(rows), per_statement):
        batch = rows[start:start + per_statement]
        _insert_new(conn, "fragments", "rowid, id, hash, kind, text, chars, first_source_id, first_seen_at", batch)
    for row in rows:
        found.ids[row[2]], found.rowids[row[2]] = row[1], row[0]
        found.new.add(row[2])
    if run is not None:
        run.fragments.update(hash(row[1]) for row in rows)
    return found


def _first_parts(threads: list[Thread], source_index: int, hash_of: dict[str, str], known: dict[str, str]
                 ) -> dict[str, tuple[str, str]]:
    """content hash -> (text, fragment kind) of the first part of each text the source gave, in part
    order; `hash_of` (text -> hash) is filled in on the way, a hash taken from `known` when it has one."""
    first: dict[str, tuple[str, str]] = {}
    for thread in threads:
        kind = FRAGMENT_KIND.get(thread.kind, "post")
        for part in thread.parts:
            if part.source == source_index:
                h = hash_of.get(part.text)
                if h is None:
                    h = hash_of[part.text] = known.get(part.text) or content_hash(part.text)
                if h not in first:
                    first[h] = (part.text, kind)
    return first


def _public_fragments(conn: sqlite3.Connection, threads: list[Thread], source_index: int, source_id: int,
                      now: str, hashes: dict[str, str] | None, found: _SourceFragments | None) -> _SourceFragments:
    """The public projection's view of a public source's texts, stored already by the archive's pass
    (`found`) or long ago (a replay): the ones the projection has not seen get their `pub_fragments`
    row (kind, first source and date as the public sources alone give them), in part order."""
    out = _SourceFragments()
    first = _first_parts(threads, source_index, out.hash_of, {**(hashes or {}), **(found.hash_of if found else {})})
    wanted = list(first)
    if found is not None and all(h in found.ids for h in wanted):
        out.ids, out.rowids = found.ids, found.rowids
    else:
        per_lookup = max(1, _max_variables(conn))
        for start in range(0, len(wanted), per_lookup):
            for h, fid, rowid in find_known_fragments(conn, wanted[start:start + per_lookup]):
                out.ids[h], out.rowids[h] = fid, rowid
        if len(out.ids) < len(wanted):
            raise ArchiveError(f"{plural(len(wanted) - len(out.ids), 'text')} of source {source_id} not in the archive")
    seen: set[int] = set()
    rowids = [out.rowids[h] for h in wanted]
    for start in range(0, len(rowids), 10_000):
        seen.update(r[0] for r in conn.execute(
            "select fragment_rowid from pub_fragments where fragment_rowid in (select value from json_each(?))",
            [json.dumps(rowids[start:start + 10_000])]))
    rows = [(out.rowids[h], kind, source_id, now) for h, (_, kind) in first.items() if out.rowids[h] not in seen]
    conn.executemany("insert into pub_fragments (fragment_rowid, kind, first_source_id, first_seen_at)"
                     " values (?, ?, ?, ?)", rows)
    out.new = {h for h in wanted if out.rowids[h] not in seen}
    return out


def find_known_fragments(conn: sqlite3.Connection, hashes: list[str]) -> list[tuple[str, str, int]]:
    """(content hash, fragment id, rowid) of the archived fragments among these hashes, looked up by id
    (the hash's first 16 digits: the primary key; no second index on the 64-digit hash is kept up to date)."""
    rows = conn.execute(f"select id, hash, rowid from fragments where id in ({', '.join('?' * len(hashes))})",
                        [h[:16] for h in hashes]).fetchall()
    wanted = set(hashes)
    for fid, h, _ in rows:
        if h not in wanted:  # two texts whose hashes share 64 bits: never seen, but never merged either
            raise ArchiveError(f"fragment id {fid} already stands for another text (hash {h})")
    return [(h, fid, rowid) for fid, h, rowid in rows]


def _max_variables(conn: sqlite3.Connection) -> int:
    try:
        return min(conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 32_766)
    except AttributeError:  # no Connection.getlimit: the smallest default any SQLite has had
        return 999


def thread_counts(kind: str, total: int | None, numbers: list[int]) -> tuple[int, list[int], int, int]:
    """(parts, missing, complete, conflicts) of a thread whose parts carry these numbers (one per part row)."""
    present = set(numbers)
    conflicts = len(numbers) - len(present)
    if kind == "article":
        missing: list[int] = []
    elif total:
        missing = [n for n in range(1, total + 1) if n not in present]
    else:
        top = max(present, default=0)
        missing = [n for n in range(1, top) if n not in present]
    complete = int(kind != "article" and not missing and (total is None or total <= len(present) or kind == "post"))
    return len(present), missing, complete, conflicts


def _save_thread(db: sqlite_utils.Database, thread: Thread, source_id: int, source_index: int,
                 now: str, summary: IngestSummary, created: set[str] | None = None,
                 joined: set[str] | None = None, fragments: _SourceFragments | None = None,
                 pending: _NewThreads | None = None, known: bool = True, tables: TableSet = FULL,
                 presigned: tuple[int, int] | None = None) -> str:
    """Store one thread's parts from this source, then merge it with the stored threads it is part of.

    `created` collects the ids of threads this source added, `joined` the threads archived before
    that received parts (by id, or by a merge). `fragments` are the source's texts, stored already
    (`_store_fragments`). A new thread of new texts only may wait in `pending` (written by its
    `flush`). `known=False` says no stored thread or alias has this id. Returns the thread's id
    after merging. `tables` is the table set written (archiver/tableset.py); `presigned` the
    sums of its parts' and sightings' values as a new thread (`digest.presign`).
    """
    conn = db.conn
    created = set() if created is None else created
    joined = set() if joined is None else joined
    if fragments is None:
        fragments = _store_fragments(conn, [thread], source_index, source_id, now)
    if pending is None:
        pending = _NewThreads(tables)
    # an id merged away earlier leads to the thread it joined
    tid = merge.resolve(conn, thread.id, tables) if known else None
    shift = 0
    if tid is not None:
        pending.flush(conn)
        if tid not in created:
            joined.add(tid)
        shift = merge.incoming_shift(conn, tid, thread, source_index, tables)  # numbering aligned by an earlier merge
        trowid = merge.thread_rowid(conn, tid, tables)
    else:
        trowid = pending.next_rowid(conn)
    part_rows, sighting_rows = [], []
    all_new = tid is None  # a new thread made of texts never seen before shares no part with another
    for part in thread.parts:
        if part.source != source_index:
            continue
        h = fragments.hash_of.get(part.text) or content_hash(part.text)
        fid, frowid = fragments.ids[h], fragments.rowids[h]
        n = part.n + shift if part.n is not None else None
        if h in fragments.new:  # the first part this text is seen in
            fragments.new.discard(h)
            summary.fragments_new += 1
        else:
            summary.fragments_known += 1
            all_new = False
        part_rows.append([thread.id if tid is None else tid, n, fid, int(part.inferred), part.marker, 0, part.author,
                          part.posted_at, part.external_id, part.parent_id, part.url, trowid, frowid])
        sighting_rows += [(fid, source_id, start, end, thread.id if tid is None else tid, n, frowid, trowid)
                          for start, end in [(part.line_start, part.line_end), *part.also]]
    if tid is None:
        # A new thread: its counts come from these parts alone, so it is inserted with them (no
        # refresh_thread and its two UPDATEs).
        tid = thread.id
        unique: dict[tuple, list] = {}
        for row in part_rows:  # the rows `insert or ignore` keeps: (n, fragment) is the key, a null n never clashes
            unique.setdefault((row[1], row[2]) if row[1] is not None else (id(row),), row)
        numbers = [row[1] for row in unique.values() if row[1] is not None]
        per_number = Counter(numbers)  # (a count per distinct number took 10 s for a 30,000-part thread)
        for row in part_rows:
            row[5] = int(row[1] is not None and per_number.get(row[1], 0) > 1)
        parts, missing, complete, conflicts = thread_counts(thread.kind, thread.total, numbers)
        if presigned is not None:
            digest = finish(thread.title, thread.author, thread.total, presigned[0], [(source_id, presigned[1])])
        else:
            digest = thread_digest(thread.title, thread.author, thread.total,
                                   [(r[1], r[2]) for r in unique.values()], _kept_sightings(sighting_rows))
        pending.threads.append((trowid, tid, thread.kind, thread.title, thread.author, thread.url, thread.total,
                                json.dumps(missing), complete, parts, conflicts, source_id, now, now, digest))
        pending.parts += part_rows
        pending.sightings += sighting_rows
        created.add(tid)
        if not all_new:  # this thread is about to be merged: it and those before it go in now
            pending.flush(conn)
    else:
        _insert_parts(conn, part_rows, sighting_rows, tables)
    if not all_new:
        refresh_thread(db, tid, now, tables)
        # only a thread holding a text stored before can be the same thread as another
        tid, partners = merge.merge_related(conn, tid, now, lambda t, at: refresh_thread(db, t, at, tables), tables)
        joined.update(p for p in partners if p not in created)
    return tid


def _count_threads(db: sqlite_utils.Database, summary: IngestSummary, created: set[str], joined: set[str]) -> None:
    """Record the threads this source created and the archived ones it added to, and count them as
    the archive holds them after this source (a run's summary is counted again at its end: `settle`)."""
    summary.created_ids |= created
    summary.joined_ids |= joined
    summary.settle(db.conn)


def _kept_sightings(rows: list[tuple]) -> list[tuple]:
    """(fragment, source, lines, n) of the sighting rows `insert or ignore` keeps (fragment, source and
    lines are unique; a null line never clashes), for a new thread's digest."""
    kept: dict[tuple, tuple] = {}
    for fid, source_id, start, end, _tid, n, frowid, _trowid in rows:
        key = (frowid, source_id, start, end) if start is not None and end is not None else (id(rows), len(kept))
        kept.setdefault(key, (fid, source_id, start, end, n))
    return list(kept.values())


def refresh_thread(db: sqlite_utils.Database, thread_id: str, now: str | None = None,
                   tables: TableSet = FULL) -> None:
    """Recompute a thread's part count, missing numbers, conflicts, complete flag and digest from its parts."""
    conn = db.conn
    threads, parts_table = tables.threads, tables.parts
    rowid, kind, total = conn.execute(f"select rowid, kind, total from {threads} where id = ?", [thread_id]).fetchone()
    numbers = [r[0] for r in conn.execute(
        f"select n from {parts_table} where thread_rowid = ? and n is not null", [rowid])]
    parts, missing, complete, conflicts = thread_counts(kind, total, numbers)
    conn.execute(
        f"update {parts_table} set conflict = (select count(*) > 1 from {parts_table} p2"
        f" where p2.thread_rowid = {parts_table}.thread_rowid and p2.n = {parts_table}.n) where thread_rowid = ?",
        [rowid],
    )
    conn.execute(
        f"update {threads} set parts = ?, missing = ?, complete = ?, conflicts = ?, updated_at = coalesce(?, updated_at)"
        " where rowid = ?",
        [parts, json.dumps(missing), complete, conflicts, now, rowid],
    )
    update_digests(conn, tables, [rowid])


# --- platform exports: reply trees, stored in bulk ---------------------------------------------
class ExportWriter:
    """Stores the data files of a platform export and the reply trees read from them, in one
    transaction (archiver/imports/ reads them): the rows `save_source` would write for the same
    threads, inserted with executemany in key order, each file's text copied in from its stream.

    `open` begins; `add_file` inserts a file's source row with its content sized in advance (None
    for a file archived already), `fill` copies the content in, `store` writes the trees (and the
    record of what each file gave), `finish` indexes them for search and commits; `abort` undoes
    everything. No checkpoint happens inside the COMMIT of the bulk load: closing the connection
    (or the next automatic checkpoint) copies the WAL into the database once.
    """

    def __init__(self, db: sqlite_utils.Database, private: bool) -> None:
        self.db, self.conn, self.private = db, db.conn, private
        self.summary = IngestSummary()
        self.now = utcnow()
        self.new: list[int] = []  # the source ids of the new files, in the order added
        self.public_too: bool | None = None  # decided at the first new file (`projection.prepare`)
        self.collecting = gc.isenabled()
        self.autocheckpoint: int | None = None
        self.fresh = False

    def open(self) -> None:
        """Set the connection up for a bulk load and begin the transaction."""
        conn = self.conn
        gc.disable()  # hundreds of thousands of acyclic objects: the cyclic collector only costs time here
        self.autocheckpoint = conn.execute("pragma wal_autocheckpoint").fetchone()[0]
        conn.execute("pragma wal_autocheckpoint = 0")
        self.fresh = _rollback_journal_if_fresh(conn)
        begin_immediate(conn)

    def check_storable(self, name: str, length: int) -> None:
        """Refuse a data file whose text is longer than SQLite stores in one value (SQLITE_LIMIT_LENGTH,
        1,000,000,000 bytes by default): its source row could not hold it."""
        limit = self.conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
        if length > limit:
            raise InputError(f"{name}: {length:,} bytes, more than the {limit:,} bytes SQLite can store in one"
                             " value: it cannot be archived as one source (nothing was written)")

    def add_file(self, name: str, sha256: str, size: int, lines: int, encoding: str, content_bytes: int,
                 meta: dict[str, Any]) -> int | None:
        """Insert a data file's sources row, its text column made at its final length (`fill` writes
        it); None when a file with these bytes is archived already. The content of a UTF-8 file is
        its bytes after any BOM, so `raw` stays NULL, as save_source leaves it for a lossless source."""
        conn, summary = self.conn, self.summary
        known = conn.execute("select id, private from sources where sha256 = ?", [sha256]).fetchone()
        if known is not None:
            summary.sources_present += 1
            summary.present.append(name)
            if self.private and not known[1]:
                summary.make_private.append(known[0])
            return None
        if self.public_too is None:  # a first private source starts the public projection (archiver/projection.py)
            self.public_too = projection.prepare(conn, self.private)
        cur = conn.execute(
            "insert into sources (sha256, kind, name, url, encoding, repair, bytes, lines, ingested_at, fetched_at,"
            " private, meta, content, raw) values (?, 'export', ?, null, ?, null, ?, ?, ?, null, ?, ?,"
            " cast(zeroblob(?) as text), null)",
            [sha256, name, encoding, size, lines, self.now, int(self.private), json.dumps(meta), content_bytes],
        )
        self.new.append(cur.lastrowid)
        return cur.lastrowid

    def fill(self, source_id: int, chunks: Iterable[bytes]) -> None:
        """Copy a file's text (its UTF-8 bytes after any BOM) into the content column made for it."""
        with self.conn.blobopen("sources", "content", source_id) as blob:
            for chunk in chunks:
                blob.write(chunk)

    def store(self, trees: list[tuple[str, list[Post], int]]) -> None:
        """Store the (thread id, reply tree, source id) trees of the new files, and what each file gave
        (its record, for a later rebuild of the public projection)."""
        conn = self.conn
        hashes = tree_hashes(trees)
        records: dict[int, list] = {}
        store_trees(self.db, trees, self.now, self.summary, hashes=hashes, records=records)
        for source_id in self.new:
            projection.save_record(conn, source_id, 0, projection.EXPORT,
                                   projection.encode_trees(records.get(source_id, [])))
        if self.public_too:
            store_trees(self.db, trees, self.now, IngestSummary(), PUBLIC, hashes)

    def finish(self) -> IngestSummary:
        """Index the new rows for search, commit, and count what the archive holds now."""
        if self.new:
            update_fts(self.conn)
        commit(self.conn)
        self._restore()
        summary = self.summary
        summary.sources_new = len(self.new)
        if self.new:
            summary.formats["export"] = len(self.new)
            summary.settle(self.conn)
        return summary

    def abort(self) -> None:
        """Undo everything written."""
        rollback(self.conn)
        self._restore()

    def _restore(self) -> None:
        if self.fresh:
            self.conn.execute("pragma journal_mode = wal")
            self.fresh = False
        if self.autocheckpoint is not None:
            self.conn.execute(f"pragma wal_autocheckpoint = {int(self.autocheckpoint)}")
            self.autocheckpoint = None
        if self.collecting:
            gc.enable()


def _rollback_journal_if_fresh(conn: sqlite3.Connection) -> bool:
    """Into an archive that holds nothing yet, import with a rollback journal instead of the WAL:
    every page written is new, so the journal records nothing and each page is written once,
    where the WAL would write it twice (into the log, then into the file at the checkpoint).
    Still one atomic transaction (a crash leaves a hot journal that the next open rolls back,
    and `open_db` puts the archive back in WAL mode). Only when no other connection has the
    file open; returns True when the mode was changed (the caller changes it back)."""
    if conn.execute("select exists (select 1 from sources)").fetchone()[0]:
        return False
    try:
        return conn.execute("pragma journal_mode = delete").fetchone()[0] == "delete"
    except sqlite3.OperationalError:  # another connection holds the file: stay in WAL mode
        return False


@contextmanager
def _indexes_deferred(conn: sqlite3.Connection, tables: tuple[str, ...]) -> Iterator[None]:
    """Into tables that are all empty, insert with their secondary indexes dropped and made again after.

    Inside the caller's transaction, so a crash or an error rolls the drop back with the rows. Building an
    index from its table sorts once; keeping it up to date row by row inserts at random places in a B-tree
    (fragment ids are content hashes): 0.8 s of a 4.2 s import of 100,000 tweets. The indexes come back from
    their own stored SQL. Tables that hold rows keep their indexes (a second import sees its threads).
    """
    if not all(conn.execute(f'select not exists (select 1 from "{t}")').fetchone()[0] for t in tables):
        yield
        return
    indexes = conn.execute("select name, sql from sqlite_master where type = 'index' and sql is not null"
                           f" and tbl_name in ({','.join('?' * len(tables))})", list(tables)).fetchall()
    for name, _ in indexes:
        conn.execute(f'drop index "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def tree_hashes(trees: list[tuple[str, list[Post], int]]) -> dict[str, str]:
    """text -> content hash of every post of these trees."""
    hashes: dict[str, str] = {}
    for _, tree, _ in trees:
        for p in tree:
            if p.text not in hashes:
                hashes[p.text] = content_hash(p.text)
    return hashes


def store_trees(db: sqlite_utils.Database, trees: list[tuple[str, list[Post], int]], now: str,
                summary: IngestSummary, tables: TableSet = FULL, hashes: dict[str, str] | None = None,
                records: dict[int, list] | None = None) -> None:
    """Insert (thread id, reply tree, source id) items as threads, fragments, thread_parts and sightings.

    The rows are the ones save_source writes for the same threads (tests/test_exports.py checks it), built
    straight from the posts and inserted with executemany in key order. (A helper thread building rows
    while this one inserts was tried: GIL hand-offs made it slower.) Into the public projection
    (`tables`, archiver/tableset.py) the fragments are archived already: each one the projection has
    not seen gets its `pub_fragments` row instead. `records`, when given, receives each source's part
    rows (thread id, n, fragment id, author, date, post id, parent id, url, ...: what it said), for
    its record (`projection.encode_trees`).
    """
    conn = db.conn
    trees = sorted(trees, key=lambda item: item[0])
    existing_threads: dict[str, int] = {}  # thread id -> rowid
    if conn.execute(f"select 1 from {tables.threads} limit 1").fetchone():
        ids = [tid for tid, _, _ in trees]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            existing_threads.update(conn.execute(
                f"select id, rowid from {tables.threads} where id in ({','.join('?' * len(chunk))})", chunk).fetchall())
    hashes = hashes if hashes is not None else tree_hashes(trees)
    rowids: dict[str, int] = {}  # content hash -> fragment rowid, archived before this batch
    if conn.execute("select 1 from fragments limit 1").fetchone():
        unique = list(set(hashes.values()))
        for i in range(0, len(unique), 500):
            chunk = unique[i:i + 500]
            rowids.update((h, rowid) for h, _, rowid in find_known_fragments(conn, chunk))
    if tables.public:  # known to the projection: the fragments it has a row for
        public: set[int] = set()
        values = list(rowids.values())
        for i in range(0, len(values), 10_000):
            public.update(r[0] for r in conn.execute(
                "select fragment_rowid from pub_fragments where fragment_rowid in (select value from json_each(?))",
                [json.dumps(values[i:i + 10_000])]))
        known = {h for h, rowid in rowids.items() if rowid in public}
    else:
        known = set(rowids)
    # New texts get rowids in id order, so the rows append to both the table and its id index.
    first: dict[str, tuple[str, int]] = {}  # hash -> (text, source id) where first seen
    for _, tree, source_id in trees:
        for p in tree:
            h = hashes[p.text]
            if h not in known and h not in first:
                first[h] = (p.text, source_id)
    fragment_rows: list[tuple] = []
    if tables.public:
        missing = [h for h in first if h not in rowids]
        if missing:
            raise ArchiveError(f"{plural(len(missing), 'text')} of an export not in the archive")
        public_rows = [(rowids[h], "post", first[h][1], now) for h in sorted(first, key=lambda h: h[:16])]
    else:
        top = conn.execute("select coalesce(max(rowid), 0) from fragments").fetchone()[0]
        for i, h in enumerate(sorted(first, key=lambda h: h[:16]), top + 1):
            text, source_id = first[h]
            rowids[h] = i
            fragment_rows.append((i, h[:16], h, "post", text, len(text), source_id, now))
    thread_top = conn.execute(f"select coalesce(max(rowid), 0) from {tables.threads}").fetchone()[0]
    thread_rows: list[tuple] = []
    part_rows: list[tuple] = []
    sighting_rows: list[tuple] = []
    add_part, add_sighting = part_rows.append, sighting_rows.append
    fragments_known = fragments_new = 0
    refresh: list[str] = []
    signing: list[tuple] = []  # the new threads, their digests worked out together (digest.tree_digests)
    spans: list[tuple[int, int]] = []  # each tree's source and first row in part_rows, for its record
    for tid, tree, source_id in trees:
        trowid = existing_threads.get(tid)
        new = trowid is None
        if new:
            thread_top += 1
            trowid = existing_threads[tid] = thread_top
        else:
            refresh.append(tid)
        spans.append((source_id, len(part_rows)))
        n = 0
        for p in tree:
            n += 1
            h = hashes[p.text]
            fid, frowid = h[:16], rowids[h]
            if h in known:
                fragments_known += 1
            else:
                known.add(h)
                fragments_new += 1
            add_part((tid, n, fid, p.author, p.posted_at, p.id, p.parent, p.url, trowid, frowid))
            add_sighting((fid, source_id, tid, n, frowid, trowid))
        if new:
            root, title = tree[0], thread_title(tree[0].text)
            thread_rows.append([trowid, tid, "thread" if len(tree) > 1 else "post", title, root.author,
                                root.url, len(tree), source_id, now, now, None])
            signing.append((title, root.author, len(part_rows) - n, n, source_id))
    for row, digest in zip(thread_rows, tree_digests(signing, part_rows)):
        row[-1] = digest
    if records is not None:  # what each source gave: its trees' part rows, in order
        ends = [start for _, start in spans[1:]] + [len(part_rows)]
        for (source_id, start), end in zip(spans, ends):
            records.setdefault(source_id, []).append((start, end))
        for source_id, ranges in records.items():
            records[source_id] = [row for start, end in ranges for row in part_rows[start:end]]
    summary.created_ids.update(row[1] for row in thread_rows)  # counted as stored by IngestSummary.settle
    summary.joined_ids.update(refresh)
    summary.fragments_known += fragments_known
    summary.fragments_new += fragments_new
    # Rows go in key order (new fragments and threads numbered in id order, trees walked in thread-id
    # order): B-tree inserts then append to pages.
    deferred = (tables.threads, tables.parts, tables.sightings) + (() if tables.public else ("fragments",))
    with _indexes_deferred(conn, deferred):
        if tables.public:
            conn.executemany("insert into pub_fragments (fragment_rowid, kind, first_source_id, first_seen_at)"
                             " values (?, ?, ?, ?)", public_rows)
        else:
            conn.executemany(
                "insert into fragments (rowid, id, hash, kind, text, chars, first_source_id, first_seen_at)"
                " values (?, ?, ?, ?, ?, ?, ?, ?)", fragment_rows)
        conn.executemany(
            f"insert into {tables.threads} (rowid, id, kind, title, author, url, total, missing, complete, parts,"
            " conflicts, first_source_id, created_at, updated_at, digest)"
            " values (?, ?, ?, ?, ?, ?, null, '[]', 1, ?, 0, ?, ?, ?, ?)", thread_rows)
        conn.executemany(
            f"insert or ignore into {tables.parts} (thread_id, n, fragment_id, inferred, marker, conflict, author,"
            " posted_at, external_id, parent_id, url, thread_rowid, fragment_rowid)"
            " values (?, ?, ?, 0, null, 0, ?, ?, ?, ?, ?, ?, ?)", part_rows)
        conn.executemany(
            f"insert or ignore into {tables.sightings} (fragment_id, source_id, line_start, line_end, thread_id, n,"
            " fragment_rowid, thread_rowid) values (?, ?, null, null, ?, ?, ?, ?)", sighting_rows)
    # Threads that were already archived (a newer export of the same account) are recounted as save_source does.
    for tid in refresh:
        refresh_thread(db, tid, now, tables)
