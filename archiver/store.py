"""Saving reconstructed sources into the archive: one transaction per source, idempotent."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from . import merge, neardup, projection
from .digest import finish, thread_digest, update_digests
from .errors import ArchiveError
from .fts import update_fts
from .models import Dropped, ParseResult, Source, Thread
from .normalize import content_hash
from .sources import is_lossless
from .stream import read_blocks, stream_meta
from .tableset import FULL, PUBLIC, TableSet
from .txn import begin_immediate
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

    The source gets its own BEGIN IMMEDIATE transaction, which a failure rolls back. With
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
    if not in_transaction:
        begin_immediate(conn)
    try:
        known = conn.execute("select id, private, name from sources where sha256 = ?", [source.sha256]).fetchone()
        if known is not None:
            if not in_transaction:
                conn.execute("ROLLBACK")
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
        if not in_transaction:  # a grouped source is indexed for search with its group (ingest._BulkRun.commit)
            update_fts(conn)
            conn.execute("COMMIT")
    except BaseException:
        if not in_transaction and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
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


class StreamWriter:
    """Stores one large source a chunk at a time, in one transaction (archiver/stream.py reads it).

    `open` begins the transaction and inserts the source row with its content (and its raw bytes,
    when the content does not give them back) sized in advance and written block by block; `add`
    stores the threads of one chunk, `finish` indexes near-duplicates and commits. A failure
    anywhere rolls back the whole source.
    """

    def __init__(self, db: sqlite_utils.Database, scan) -> None:
        self.db, self.conn, self.scan = db, db.conn, scan
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
        known = self.conn.execute("select id, private, name from sources where sha256 = ?",
                                  [self.scan.sha256]).fetchone()
        if known is not None:
            self.conn.execute("ROLLBACK")
            self.summary.sources_present = 1
            self.summary.present.append(known[2] if self.scan.kind == "paste" else self.scan.name)
            if self.scan.private and not known[1]:
                self.summary.make_private.append(known[0])
            return False
        scan = self.scan
        if scan.kind == "paste":
            scan.name = free_paste_name(self.conn, scan.name)
        self.public_too = projection.prepare(self.conn, bool(scan.private))
        # One transaction writes hundreds of thousands of rows with random keys into the indexes:
        # with SQLite's default 2 MB cache nearly every insert would read and spill index pages.
        self.cache_size = self.conn.execute("pragma cache_size").fetchone()[0]
        self.conn.execute(f"pragma cache_size = -{STREAM_CACHE_KIB}")
        # (meta says how the content was decoded when raw bytes are kept: `verify` decodes them again)
        # the content as a text of its final size, filled in by write_content (SQLite's blob I/O
        # writes into text values too); zeroblob keeps the raw column from being built in memory
        cur = self.conn.execute(
            "insert into sources (sha256, kind, name, url, encoding, repair, bytes, lines, ingested_at, fetched_at,"
            " private, meta, content, raw) values (?, ?, ?, null, ?, ?, ?, ?, ?, null, ?, ?,"
            " cast(zeroblob(?) as text), case when ? then null else zeroblob(?) end)",
            [scan.sha256, scan.kind, scan.name, scan.encoding, scan.repair, scan.size, scan.lines, self.now,
             int(scan.private), json.dumps({**({} if scan.lossless else stream_meta(scan)), "format": "plain"}), scan.content_bytes,
             int(scan.lossless), scan.size])
        self.source_id = cur.lastrowid
        if not scan.lossless:

            with self.conn.blobopen("sources", "raw", self.source_id) as blob:
                for block in read_blocks(scan.path, 0, scan.size):
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
        if self.offset != self.scan.content_bytes:
            raise ArchiveError(f"{self.scan.name}: the file changed while it was read")
        self.index(final=True)
        _count_threads(self.db, self.summary, self.created, self.joined)
        # indexed for search in one INSERT ... SELECT (benchmarks/large_input.py: indexing chunk by chunk
        # took 200 MB to x4.63 the 50 MB time, at the end x4.39)
        update_fts(self.conn)
        self.conn.execute("COMMIT")
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
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
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
            source.text, None if is_lossless(source.raw, source.text, source.encoding, source.repair) else source.raw,
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
    hashes = hashes or {}
    first: dict[str, tuple[str, str]] = {}  # hash -> (text, kind) of its first part, in part order
    for thread in threads:
        kind = FRAGMENT_KIND.get(thread.kind, "post")
        for part in thread.parts:
            if part.source == source_index:
                h = found.hash_of.get(part.text)
                if h is None:
                    h = found.hash_of[part.text] = hashes.get(part.text) or content_hash(part.text)
                if h not in first:
                    first[h] = (part.text, kind)
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


def _public_fragments(conn: sqlite3.Connection, threads: list[Thread], source_index: int, source_id: int,
                      now: str, hashes: dict[str, str] | None, found: _SourceFragments | None) -> _SourceFragments:
    """The public projection's view of a public source's texts, stored already by the archive's pass
    (`found`) or long ago (a replay): the ones the projection has not seen get their `pub_fragments`
    row (kind, first source and date as the public sources alone give them), in part order."""
    hashes = hashes or {}
    out = _SourceFragments()
    first: dict[str, str] = {}  # hash -> fragment kind of its first part
    for thread in threads:
        kind = FRAGMENT_KIND.get(thread.kind, "post")
        for part in thread.parts:
            if part.source == source_index:
                h = out.hash_of.get(part.text)
                if h is None:
                    h = out.hash_of[part.text] = ((found.hash_of.get(part.text) if found else None)
                                                  or hashes.get(part.text) or content_hash(part.text))
                first.setdefault(h, kind)
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
    rows = [(out.rowids[h], kind, source_id, now) for h, kind in first.items() if out.rowids[h] not in seen]
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
