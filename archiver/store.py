"""Saving reconstructed sources into the archive: one transaction per source, idempotent."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from . import merge, neardup
from .errors import ArchiveError
from .models import ParseResult, Source, Thread
from .normalize import content_hash
from .sources import is_lossless

FRAGMENT_KIND = {"thread": "post", "post": "post", "article": "paragraph"}


def utcnow() -> str:
    """The current UTC time as an ISO 8601 string with seconds."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class IngestSummary:
    """What one or more ingests added to the archive."""

    sources_new: int = 0
    sources_present: int = 0
    threads: int = 0
    parts: int = 0
    missing_parts: int = 0
    fragments_new: int = 0
    fragments_known: int = 0
    near_duplicates: int = 0
    merged_threads: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    present: list[str] = field(default_factory=list)

    def add(self, other: "IngestSummary") -> None:
        """Accumulate another summary into this one."""
        for key in ("sources_new", "sources_present", "threads", "parts", "missing_parts",
                    "fragments_new", "fragments_known", "near_duplicates"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.merged_threads += other.merged_threads
        self.skipped += other.skipped
        self.present += other.present

    def to_json(self) -> dict[str, Any]:
        """The `ingest --json` document."""
        return {
            "sources": {"new": self.sources_new, "already_present": self.sources_present,
                        "present_names": self.present, "skipped": self.skipped},
            "threads": self.threads,
            "parts": self.parts,
            "missing_parts": self.missing_parts,
            "fragments": {"new": self.fragments_new, "known": self.fragments_known,
                          "near_duplicates": self.near_duplicates},
            "merged_threads": self.merged_threads,
        }


def source_exists(db: sqlite_utils.Database, sha256: str) -> bool:
    """True when a source with these raw bytes is already archived."""
    return db.execute("select 1 from sources where sha256 = ?", [sha256]).fetchone() is not None


def save_source(db: sqlite_utils.Database, source: Source, result: ParseResult, source_index: int = 0) -> IngestSummary:
    """Store one source and everything reconstructed from it, atomically; a known source changes nothing."""
    summary = IngestSummary()
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raise ArchiveError(f"cannot start a write transaction: {e}") from None
    try:
        if source_exists(db, source.sha256):
            conn.execute("ROLLBACK")
            summary.sources_present = 1
            summary.present.append(source.name)
            return summary
        now = utcnow()
        source_id = _insert_source(db, source, now)
        threads = [t for t in result.threads if any(p.source == source_index for p in t.parts)]
        created: set[str] = set()
        joined: set[str] = set()
        for thread in threads:
            _save_thread(db, thread, source_id, source_index, now, summary, created, joined)
        _count_threads(db, summary, created, joined)
        summary.near_duplicates += neardup.index_pending(conn, now).pairs
        for d in result.dropped:
            if d.source == source_index:
                conn.execute(
                    "insert into dropped (source_id, line_start, line_end, reason) values (?, ?, ?, ?)",
                    [source_id, d.line_start, d.line_end, d.reason],
                )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    summary.sources_new = 1
    return summary


def _insert_source(db: sqlite_utils.Database, source: Source, now: str) -> int:
    cur = db.conn.execute(
        "insert into sources (sha256, kind, name, url, encoding, repair, bytes, lines, ingested_at, fetched_at,"
        " private, meta, content, raw) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source.sha256, source.kind, source.name, source.url, source.encoding, source.repair,
            len(source.raw), len(source.lines), now, source.fetched_at, int(source.private),
            json.dumps(source.meta, ensure_ascii=False) if source.meta else None,
            source.text, None if is_lossless(source.raw, source.text, source.encoding, source.repair) else source.raw,
        ],
    )
    return cur.lastrowid


def _save_thread(db: sqlite_utils.Database, thread: Thread, source_id: int, source_index: int,
                 now: str, summary: IngestSummary, created: set[str] | None = None,
                 joined: set[str] | None = None) -> str:
    """Store one thread's parts from this source, then merge it with the stored threads it is part of.

    `created` collects the ids of threads this source added, `joined` the threads archived before
    that received parts (by id, or by a merge). Returns the thread's id after merging.
    """
    conn = db.conn
    created = set() if created is None else created
    joined = set() if joined is None else joined
    kind = FRAGMENT_KIND.get(thread.kind, "post")
    tid = merge.resolve(conn, thread.id)  # an id merged away earlier leads to the thread it joined
    if tid is None:
        tid = thread.id
        conn.execute(
            "insert into threads (id, kind, title, author, url, total, missing, complete, parts, conflicts,"
            " first_source_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?)",
            [tid, thread.kind, thread.title, thread.author, thread.url, thread.total,
             json.dumps(thread.missing), source_id, now, now],
        )
        created.add(tid)
        shift = 0
    else:
        if tid not in created:
            joined.add(tid)
        shift = merge.incoming_shift(conn, tid, thread, source_index)  # numbering aligned by an earlier merge
    for part in thread.parts:
        if part.source != source_index:
            continue
        fid, new = _ensure_fragment(db, part.text, kind, source_id, now)
        n = part.n + shift if part.n is not None else None
        if new:
            summary.fragments_new += 1
        else:
            summary.fragments_known += 1
        conn.execute(
            "insert or ignore into thread_parts (thread_id, n, fragment_id, inferred, marker, conflict, author,"
            " posted_at, external_id, parent_id, url) values (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
            [tid, n, fid, int(part.inferred), part.marker, part.author, part.posted_at,
             part.external_id, part.parent_id, part.url],
        )
        for start, end in [(part.line_start, part.line_end), *part.also]:
            conn.execute(
                "insert or ignore into sightings (fragment_id, source_id, line_start, line_end, thread_id, n)"
                " values (?, ?, ?, ?, ?, ?)",
                [fid, source_id, start, end, tid, n],
            )
    refresh_thread(db, tid, now)
    tid, partners = merge.merge_related(conn, tid, now, lambda t, at: refresh_thread(db, t, at))
    joined.update(p for p in partners if p not in created)
    summary.parts += sum(1 for p in thread.parts if p.source == source_index)
    summary.missing_parts += len(thread.missing)
    return tid


def _count_threads(db: sqlite_utils.Database, summary: IngestSummary, created: set[str], joined: set[str]) -> None:
    """New threads are those this source created that did not join an archived thread; list the joined ones."""
    conn = db.conn
    final_joined = {merge.resolve(conn, t) for t in joined} - {None}
    final_created = {merge.resolve(conn, t) for t in created} - {None}
    summary.threads += len(final_created - final_joined)
    summary.merged_threads += sorted(final_joined)


def _ensure_fragment(db: sqlite_utils.Database, text: str, kind: str, source_id: int, now: str) -> tuple[str, bool]:
    h = content_hash(text)
    fid = h[:16]
    row = db.conn.execute("select id from fragments where hash = ?", [h]).fetchone()
    if row:
        return row[0], False
    db.conn.execute(
        "insert into fragments (id, hash, kind, text, chars, first_source_id, first_seen_at) values (?, ?, ?, ?, ?, ?, ?)",
        [fid, h, kind, text, len(text), source_id, now],
    )
    return fid, True


def refresh_thread(db: sqlite_utils.Database, thread_id: str, now: str | None = None) -> None:
    """Recompute a thread's part count, missing numbers, conflicts and complete flag from its parts."""
    conn = db.conn
    kind, total = conn.execute("select kind, total from threads where id = ?", [thread_id]).fetchone()
    numbers = [r[0] for r in conn.execute(
        "select n from thread_parts where thread_id = ? and n is not null", [thread_id])]
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
    conn.execute(
        "update thread_parts set conflict = (select count(*) > 1 from thread_parts p2"
        " where p2.thread_id = thread_parts.thread_id and p2.n = thread_parts.n) where thread_id = ?",
        [thread_id],
    )
    conn.execute(
        "update threads set parts = ?, missing = ?, complete = ?, conflicts = ?, updated_at = coalesce(?, updated_at)"
        " where id = ?",
        [len(present), json.dumps(missing), complete, conflicts, now, thread_id],
    )
