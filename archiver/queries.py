"""Read-side queries shared by the CLI and the web pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from .errors import ArchiverError
from .models import ThreadHeader


class NotFound(ArchiverError):
    """No thread has that id (or alias)."""

    exit_code = 1


@dataclass
class Sighting:
    """Where a fragment was seen: source and inclusive 1-based line span."""

    source_id: int
    source_name: str
    sha256: str
    line_start: int | None
    line_end: int | None


@dataclass
class ThreadPart:
    """A stored part with its fragment text and every sighting."""

    n: int | None
    fragment_id: str
    text: str
    inferred: bool
    marker: str | None
    conflict: bool
    author: str | None
    posted_at: str | None
    sightings: list[Sighting] = field(default_factory=list)
    url: str | None = None  # the original post's status URL, where the capture gave it


@dataclass
class StoredThread(ThreadHeader):
    """A thread as stored, with its parts in order and the numbers it lacks."""

    complete: bool
    parts: list[ThreadPart]


@dataclass(frozen=True)
class ReadTables:
    """The tables a thread is read from: the archive's own (`ARCHIVE`, for a signed-in reader and the
    CLI), or the public views of them (`public_views.PUBLIC_READS`, for anonymous visitors)."""

    threads: str
    aliases: str
    parts: str
    fragments: str
    sightings: str
    sources: str


ARCHIVE = ReadTables("threads", "thread_aliases", "thread_parts", "fragments", "sightings", "sources")


def resolve_thread_id(db: sqlite_utils.Database, thread_id: str, tables: ReadTables = ARCHIVE) -> str:
    """The canonical id of a thread, following aliases left by merges (to a thread the tables hold)."""
    row = db.execute(f"select id from {tables.threads} where id = ?", [thread_id]).fetchone()
    if row:
        return row[0]
    row = db.execute(f"select a.thread_id from {tables.aliases} a join {tables.threads} t on t.id = a.thread_id"
                     " where a.alias = ?", [thread_id]).fetchone()
    if row:
        return row[0]
    raise NotFound(f"no thread with id {thread_id}")


MIN_PREFIX = 4  # characters of an id that `match_thread_id` takes as a prefix
THREAD_ID_LENGTH = 12  # a thread id's hex digits (`normalize.short_hash`): a ref this long is a whole id
_HEX = re.compile(r"[0-9a-f]+")


def match_thread_id(db: sqlite_utils.Database, ref: str) -> str:
    """The canonical id of the thread `ref` names: its id, an alias left by a merge, or the first
    MIN_PREFIX or more characters of exactly one thread's id (or alias). NotFound otherwise,
    saying `ambiguous: N threads start with X` when several do."""
    try:
        return resolve_thread_id(db, ref)
    except NotFound:
        prefix = ref.strip().lower()
        if not _HEX.fullmatch(prefix) or len(prefix) >= THREAD_ID_LENGTH:
            raise
        if len(prefix) < MIN_PREFIX:
            raise NotFound(f"no thread with id {ref} (give at least {MIN_PREFIX} characters of an id)") from None
    # a range on the primary key (ids are lower-case hex): `like` would scan every thread
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    found = {r[0] for r in db.execute("select id from threads where id >= ? and id < ?", [prefix, end])}
    found |= {r[0] for r in db.execute("select thread_id from thread_aliases where alias >= ? and alias < ?",
                                       [prefix, end])}
    if len(found) == 1:
        return found.pop()
    if not found:
        raise NotFound(f"no thread whose id starts with {prefix}")
    shown = sorted(found)
    listed = ", ".join(shown[:3]) + (", …" if len(shown) > 3 else "")
    raise NotFound(f"ambiguous: {len(shown)} threads start with {prefix} ({listed}): give more of the id")


def iter_threads(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Every thread, in the order first archived, one at a time (a million-fragment archive has
    240,000 threads: listed whole as JSON they took 900 MB), with `missing` a list of numbers and
    `complete` a boolean, as `show --format json` gives them, and the count of parts present as
    `parts_present` (`parts` is the list of parts in `show` and `parse`)."""
    cur = db.execute(
        "select id, kind, title, author, total, parts as parts_present, missing, complete from threads"
        " order by created_at, first_source_id, rowid")
    cols = [c[0] for c in cur.description]
    for row in cur:
        doc = dict(zip(cols, row))
        doc["missing"] = json.loads(doc["missing"] or "[]")
        doc["complete"] = bool(doc["complete"])
        yield doc


def load_thread(db: sqlite_utils.Database, thread_id: str, tables: ReadTables = ARCHIVE) -> StoredThread:
    """One thread with its parts in order and every part's sightings, read from `tables`."""
    tid = resolve_thread_id(db, thread_id, tables)
    t = db.execute(f"select id, kind, title, author, url, total, missing, complete, rowid from {tables.threads}"
                   " where id = ?", [tid]).fetchone()
    parts = []
    for row in db.execute(
        "select p.n, p.fragment_id, f.text, p.inferred, p.marker, p.conflict, p.author, p.posted_at, p.fragment_rowid,"
        f" p.url from {tables.parts} p join {tables.fragments} f on f.rowid = p.fragment_rowid"
        " where p.thread_rowid = ? order by p.n, p.fragment_id", [t[8]]).fetchall():
        part = ThreadPart(row[0], row[1], row[2], bool(row[3]), row[4], bool(row[5]), row[6], row[7], url=row[9])
        part.sightings = [
            Sighting(*s) for s in db.execute(
                f"select s.source_id, src.name, src.sha256, s.line_start, s.line_end from {tables.sightings} s"
                f" join {tables.sources} src on src.id = s.source_id where s.fragment_rowid = ?"
                " order by s.source_id, s.line_start", [row[8]]).fetchall()
        ]
        parts.append(part)
    return StoredThread(t[0], t[1], t[2] or "", t[3], t[4], t[5], json.loads(t[6] or "[]"), bool(t[7]), parts)


# --- duplicates ----------------------------------------------------------------------------------
@dataclass
class DuplicateSighting:
    """One place an exactly duplicated text was seen."""

    source_id: int
    source_name: str
    line_start: int | None
    line_end: int | None
    thread_id: str | None
    n: int | None


@dataclass
class ExactGroup:
    """A text stored once but seen more than once, with every sighting."""

    fragment_id: str
    kind: str | None
    text: str
    sightings: list[DuplicateSighting]

    def to_json(self) -> dict[str, Any]:
        """The `duplicates --json` shape of an exact group."""
        return {"fragment_id": self.fragment_id, "kind": self.kind, "text": self.text,
                "sightings": [s.__dict__ for s in self.sightings]}


@dataclass
class NearPair:
    """Two stored texts that are almost the same, with the measured similarity."""

    fragment_a: str
    fragment_b: str
    similarity: float
    method: str | None
    text_a: str
    text_b: str
    threads_a: list[str]
    threads_b: list[str]

    def to_json(self) -> dict[str, Any]:
        """The `duplicates --json` shape of a near pair."""
        return dict(self.__dict__)


EXACT_SQL = "select fragment_rowid, count(*) as c from sightings group by fragment_rowid having count(*) > 1"


def count_exact_groups(db: sqlite_utils.Database) -> int:
    """How many fragments were seen more than once."""
    return db.execute(f"select count(*) from ({EXACT_SQL})").fetchone()[0]


def exact_groups(db: sqlite_utils.Database) -> Iterator[ExactGroup]:
    """Every fragment seen more than once (across sources, threads, or lines), most sightings first,
    one at a time."""
    for fid, kind, text, rowid in db.execute(
            f"select f.id, f.kind, f.text, f.rowid from fragments f join ({EXACT_SQL}) s on s.fragment_rowid = f.rowid"
            " order by s.c desc, f.id"):
        sightings = [DuplicateSighting(*r) for r in db.execute(
            "select s.source_id, src.name, s.line_start, s.line_end, s.thread_id, s.n from sightings s"
            " join sources src on src.id = s.source_id where s.fragment_rowid = ?"
            " order by s.source_id, s.line_start, s.line_end", [rowid]).fetchall()]
        yield ExactGroup(fid, kind, text, sightings)


def count_near_duplicate_pairs(db: sqlite_utils.Database, min_similarity: float = 0.0) -> int:
    """How many near-duplicate pairs are stored."""
    return db.execute("select count(*) from near_duplicates where similarity >= ?", [min_similarity]).fetchone()[0]


def near_duplicate_pairs(db: sqlite_utils.Database, min_similarity: float = 0.0) -> Iterator[NearPair]:
    """Every stored near-duplicate pair, most similar first, with both texts and their threads, one at a time."""
    for a, b, sim, method, ta, tb, ra, rb in db.execute(
            "select nd.fragment_a, nd.fragment_b, nd.similarity, nd.method, fa.text, fb.text, fa.rowid, fb.rowid"
            " from near_duplicates nd join fragments fa on fa.id = nd.fragment_a"
            " join fragments fb on fb.id = nd.fragment_b"
            " where nd.similarity >= ? order by nd.similarity desc, nd.fragment_a, nd.fragment_b",
            [min_similarity]):
        yield NearPair(a, b, sim, method, ta, tb, _threads_of(db, ra), _threads_of(db, rb))


def _threads_of(db: sqlite_utils.Database, fragment_rowid: int) -> list[str]:
    return [r[0] for r in db.execute(
        "select distinct thread_id from thread_parts where fragment_rowid = ? order by thread_id", [fragment_rowid])]
