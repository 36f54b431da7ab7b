"""The public projection: the archive that the public sources alone would give, kept beside it.

While an archive holds no private source, its own tables are the public archive, and the public
views read them as they are (archiver/public_views.py). From the first private source on, the writer
keeps a second set of thread tables (archiver/tableset.py): a public source is stored into both
sets, a private one into the archive's own only, by the same store and merge code, so that merges,
part numbers, a part's details and a thread's header and id in the projection come from public
sources only. The projection also keeps a near-duplicate index of its own (`pub_fragment_bands`,
`pub_near_duplicates`, archiver/neardup.py `PUBLIC`): the public fragments indexed in
`pub_fragments.seq` order, so that its pairs are those of the public sources alone (which pairs
are kept depends on the texts indexed before). The public views then read the projection.

- Starting the projection (`prepare`, in the transaction that stores the first private source):
  until then every source was public, so the projection is a copy of the archive's tables, its
  near-duplicate index a copy of the archive's.
- Rebuilding it (`mark`: `archiver private`, `archiver private --public`; an archive upgraded while
  it holds private sources; one found out of step): every public source is stored again into the
  emptied projection, in source-id order, from its record, and its near-duplicate index is made
  again from nothing, in the same transaction.
- A record (`source_records`) is what the source said, as the writer received it: each thread with
  its header (id, kind, title, author, url, total) and its parts (fragment id, number, lines,
  inferred, marker, author, date, external and parent ids, url), and for a large file the copies
  of earlier parts, chunk by chunk; for a platform export, its reply trees. Why records rather
  than parsing each source's stored content again: a replay then gives the projection exactly
  what the source gave when it was ingested, whatever the parser has become since, and it works
  alike for every kind of source (pasted text, large files, fetched pages and APIs, exports). It
  costs a few percent of the archive's size (zlib-compressed JSON, worked out by the bulk
  ingest's workers), and no extra statement per row.
- A source archived before records were kept (SCHEMA_VERSION < 3) is replayed from the archive's
  own rows: each thread it was seen in that no private source touched (a merge moves every
  sighting to the surviving thread, so a thread that ever took anything from a private source
  holds a private sighting) as it is stored, its parts the ones this source saw; any other
  sighting as a lone post, its text alone, nothing else of the thread it sits in.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass

import msgspec
import sqlite_utils

from .errors import ArchiveError
from .models import Part, Post, Thread, thread_title
from .normalize import content_hash, short_hash
from .tableset import PUBLIC
from .txn import write_transaction
from .wording import plural

THREADS = "threads"  # a record of threads (and copies) for `store.store_batch`
EXPORT = "export"  # a record of reply trees for `store.store_trees`
# (and the projection's near-duplicate index: neardup.PUBLIC, emptied with `neardup.clear`)
PUBLIC_TABLES = ("pub_threads", "pub_thread_parts", "pub_sightings", "pub_thread_aliases", "pub_fragments")
_COPY = {
    "pub_threads": "threads",
    "pub_thread_parts": "thread_parts",
    "pub_sightings": "sightings",
    "pub_thread_aliases": "thread_aliases",
}


def active(conn: sqlite3.Connection) -> bool:
    """True while the archive keeps its public projection."""
    from .fts import projected

    return projected(conn)


def has_private(conn: sqlite3.Connection) -> bool:
    """True when the archive holds a private source."""
    return conn.execute("select exists (select 1 from sources where private != 0)").fetchone()[0] == 1


def in_step(conn: sqlite3.Connection) -> bool:
    """True when the public views leave out every private source, and read the projection only
    while something is private (public_views.public_state)."""
    from .public_views import public_state

    state = public_state(conn)
    return state == "public" or (state == "projected" and has_private(conn))


def prepare(conn: sqlite3.Connection, private: bool) -> bool:
    """Before a source is stored: start the projection for a first private source; True when the
    source is public and must go into the projection as well. Inside the writer's transaction."""
    on = active(conn)
    if private:
        if not on:
            switch(conn, True)
        return False
    return on


def switch(conn: sqlite3.Connection, on: bool) -> None:
    """Start (or rebuild) the projection, or stop keeping it; views and full-text indexes follow.
    Inside the caller's transaction."""
    from . import fts, neardup
    from .public_views import create_views
    from .store import utcnow

    if not on:
        _set_state(conn, False)
        fts.ensure_fts(conn)  # the public indexes and their triggers go first: nothing to delete from them
        for table in PUBLIC_TABLES:
            conn.execute(f"delete from {table}")
        neardup.clear(conn, neardup.PUBLIC)
        create_views(conn)
        return
    if active(conn):
        for index in fts.PROJECTED:
            if index.table.startswith("pub_"):
                fts.reset_index(conn, index)
    for table in PUBLIC_TABLES:
        conn.execute(f"delete from {table}")
    neardup.clear(conn, neardup.PUBLIC)
    _set_state(conn, True)
    if has_private(conn):
        replay(conn)
        neardup.index_public(conn, utcnow())  # the public fragments, in the order the replay stored them
    else:  # every source so far is public: the archive's own tables are the projection
        _copy(conn)
    create_views(conn)
    fts.ensure_fts(conn)


def _set_state(conn: sqlite3.Connection, on: bool) -> None:
    conn.execute("insert or replace into archive_state (name, value) values ('projection', ?)", ["on" if on else "off"])


def _copy(conn: sqlite3.Connection) -> None:
    from . import neardup

    for public, table in _COPY.items():
        cols = ", ".join(f'"{r[1]}"' for r in conn.execute(f"pragma table_info({table})"))
        conn.execute(f"insert into {public} (rowid, {cols}) select rowid, {cols} from {table} order by rowid")
    conn.execute("insert into pub_fragments (fragment_rowid, kind, first_source_id, first_seen_at)"
                 " select f.rowid, f.kind, f.first_source_id, f.first_seen_at from fragments f"
                 " where exists (select 1 from sightings s where s.fragment_rowid = f.rowid) order by f.rowid")
    neardup.copy_archive_index(conn)  # the public fragments are the archive's, in the same order


# ---------------------------------------------------------------------------------------------
# Records

def encode_threads(threads: list[Thread], source_index: int = 0, hashes: dict[str, str] | None = None,
                   copies: list[tuple[str, int, int]] = ()) -> bytes:
    """A record of what a source (or a chunk of one) said: the threads `store.save_source` stores,
    and the copies of earlier chunks' parts (`store.StreamWriter.add`).

    Made for every source by the bulk ingest's workers, so kept cheap: one tuple per part, a title
    left out when it is the first part's first line (as reconstruction makes it), a part's author
    when it is the thread's (`true`); msgspec's JSON encoder, zlib at level 1 (about 2% of the
    reconstruction's time; the record is a seventh of the source's size)."""
    get = (hashes or {}).get
    out = []
    for t in threads:
        parts = [p for p in t.parts if p.source == source_index]
        if not parts:
            continue
        author = t.author
        out.append((t.id, t.kind, None if t.title == thread_title(parts[0].text) else t.title, author, t.url, t.total, [
            ((get(p.text) or content_hash(p.text))[:16], p.n, p.line_start, p.line_end, p.inferred, p.marker,
             p.also or None, True if p.author is not None and p.author == author else p.author, p.posted_at,
             p.external_id, p.parent_id, p.url) for p in parts]))
    return zlib.compress(msgspec.json.encode({"threads": out, "copies": [(h[:16], a, b) for h, a, b in copies]}), 1)


def encode_trees(rows: list[tuple]) -> bytes:
    """A record of an export's reply trees for one source: the part rows `store.store_trees` made
    for them, tree after tree in order, (thread id, n, fragment id, author, posted_at, post id,
    parent id, url, ...: what follows is the archive's own and not kept)."""
    return zlib.compress(msgspec.json.encode({"parts": [row[:8] for row in rows]}), 1)


def save_record(conn: sqlite3.Connection, source_id: int, seq: int, kind: str, data: bytes) -> None:
    """Keep a source's record (one per chunk of a large file, else one)."""
    conn.execute("insert into source_records (source_id, seq, kind, data) values (?, ?, ?, ?)",
                 [source_id, seq, kind, data])


def _texts(conn: sqlite3.Connection, ids: set[str]) -> dict[str, tuple[str, str]]:
    """fragment id -> (text, content hash)."""
    out = {}
    batch = sorted(ids)
    for start in range(0, len(batch), 10_000):
        for fid, text, h in conn.execute("select id, text, hash from fragments where id in"
                                         " (select value from json_each(?))", [json.dumps(batch[start:start + 10_000])]):
            out[fid] = (text, h)
    missing = set(ids) - set(out)
    if missing:
        raise ArchiveError(f"a source record names {plural(len(missing), 'fragment')} the archive lacks (e.g. {min(missing)})")
    return out


def decode_threads(conn: sqlite3.Connection, data: bytes) -> tuple[list[Thread], list[tuple[str, int, int]], dict]:
    """The threads, copies and content hashes (text -> hash) of a record, the texts read from `fragments`."""
    doc = json.loads(zlib.decompress(data))
    texts = _texts(conn, {p[0] for t in doc["threads"] for p in t[6]} | {c[0] for c in doc["copies"]})
    threads = []
    for tid, kind, title, author, url, total, rows in doc["threads"]:
        parts = []
        for fid, n, a, b, inferred, marker, also, p_author, posted_at, ext, parent, p_url in rows:
            parts.append(Part(n=n, text=texts[fid][0], line_start=a, line_end=b, source=0, inferred=bool(inferred),
                              marker=marker, also=[tuple(x) for x in also or ()],
                              author=author if p_author is True else p_author, posted_at=posted_at, external_id=ext,
                              parent_id=parent, url=p_url))
        if title is None:
            title = thread_title(parts[0].text) if parts else ""
        threads.append(Thread(id=tid, kind=kind, title=title, author=author, url=url, total=total, missing=[],
                              parts=parts))
    copies = [(texts[fid][1], a, b) for fid, a, b in doc["copies"]]
    return threads, copies, {text: h for text, h in texts.values()}


def decode_trees(conn: sqlite3.Connection, data: bytes, source_id: int) -> list[tuple[str, list, int]]:
    """The (thread id, posts, source id) trees of an export record, the texts read from `fragments`."""
    rows = json.loads(zlib.decompress(data))["parts"]
    texts = _texts(conn, {row[2] for row in rows})
    trees: dict[str, list] = {}
    for tid, _n, fid, author, posted_at, pid, parent, url in rows:
        trees.setdefault(tid, []).append(Post(id=pid, parent=parent, text=texts[fid][0], posted_at=posted_at,
                                              author=author, url=url))
    return [(tid, posts, source_id) for tid, posts in trees.items()]


# ---------------------------------------------------------------------------------------------
# Replay

def replay(conn: sqlite3.Connection) -> None:
    """Store every public source into the (emptied) projection, in source-id order, from its record."""
    sources = conn.execute("select id, ingested_at from sources where private = 0 order by id").fetchall()
    for source_id, ingested_at in sources:
        replay_source(conn, source_id, ingested_at)


def replay_source(conn: sqlite3.Connection, source_id: int, now: str) -> None:
    """Store one public source into the projection as the writer stored it, from its record."""
    from . import store

    db = sqlite_utils.Database(conn)
    records = conn.execute("select kind, data from source_records where source_id = ? order by seq",
                           [source_id]).fetchall()
    if not records:
        threads = _legacy_threads(conn, source_id)
        store.store_batch(db, PUBLIC, threads, [], 0, source_id, now)
        return
    for kind, data in records:
        if kind == THREADS:
            threads, copies, hashes = decode_threads(conn, data)
            store.store_batch(db, PUBLIC, threads, copies, 0, source_id, now, hashes)
        elif kind == EXPORT:
            store.store_trees(db, decode_trees(conn, data, source_id), now, store.IngestSummary(), PUBLIC)
        else:
            raise ArchiveError(f"source {source_id}: a record of an unknown kind ({kind!r})")


def _legacy_threads(conn: sqlite3.Connection, source_id: int) -> list[Thread]:
    """What a source archived before records were kept gave, as far as the archive's rows show it
    without a private source's help (see the module docstring)."""
    rows = conn.execute(
        "select s.thread_rowid, s.fragment_id, s.line_start, s.line_end, s.n, f.text from sightings s"
        " join fragments f on f.rowid = s.fragment_rowid where s.source_id = ? and s.thread_rowid is not null"
        " order by s.id", [source_id]).fetchall()
    by_thread: dict[int, list] = {}
    for row in rows:
        by_thread.setdefault(row[0], []).append(row[1:])
    sha = conn.execute("select sha256 from sources where id = ?", [source_id]).fetchone()[0]
    threads = []
    for trowid, sightings in by_thread.items():
        tainted = conn.execute(
            "select exists (select 1 from sightings s join sources src on src.id = s.source_id"
            " where s.thread_rowid = ? and src.private != 0)", [trowid]).fetchone()[0]
        if tainted:
            for fid, a, b, _n, text in sightings:
                threads.append(Thread(id=short_hash("legacy", sha, fid, a, b), kind="post", title=thread_title(text),
                                      author=None,
                                      url=None, total=None, missing=[],
                                      parts=[Part(n=1, text=text, line_start=a, line_end=b, inferred=True)]))
            continue
        tid, kind, title, author, url, total = conn.execute(
            "select id, kind, title, author, url, total from threads where rowid = ?", [trowid]).fetchone()
        details = {(n, fid): rest for n, fid, *rest in conn.execute(
            "select n, fragment_id, inferred, marker, author, posted_at, external_id, parent_id, url"
            " from thread_parts where thread_rowid = ?", [trowid])}
        parts: dict[tuple, Part] = {}
        for fid, a, b, n, text in sightings:
            if (n, fid) in parts:
                parts[(n, fid)].also.append((a, b))
                continue
            inferred, marker, p_author, posted_at, ext, parent, p_url = details.get((n, fid), (1,) + (None,) * 6)
            parts[(n, fid)] = Part(n=n, text=text, line_start=a, line_end=b, inferred=bool(inferred), marker=marker,
                                   author=p_author, posted_at=posted_at, external_id=ext, parent_id=parent, url=p_url)
        threads.append(Thread(id=tid, kind=kind, title=title or "", author=author, url=url, total=total, missing=[],
                              parts=list(parts.values())))
    return threads


# ---------------------------------------------------------------------------------------------
# Marking sources private or public after the fact

@dataclass
class Marked:
    """One source named to `mark`: what it is and whether this call changed it."""

    id: int
    name: str
    sha256: str
    private: bool
    changed: bool

    def to_json(self) -> dict:
        """The `archiver private --json` shape."""
        return {"id": self.id, "name": self.name, "sha256": self.sha256, "private": self.private,
                "changed": self.changed}


def find_sources(conn: sqlite3.Connection, refs: list[str]) -> list[tuple[int, str, str, int]]:
    """(id, name, sha256, private) of the source each reference names: a source id, a sha256 or a
    unique prefix of one (at least 6 hex digits), or a name; an unknown or ambiguous one is an error."""
    found = []
    for ref in refs:
        ref = ref.strip()
        rows = []
        if ref.isdigit():
            rows = conn.execute("select id, name, sha256, private from sources where id = ?", [int(ref)]).fetchall()
        if not rows and len(ref) >= 6 and all(c in "0123456789abcdefABCDEF" for c in ref):
            prefix = ref.lower()
            rows = conn.execute("select id, name, sha256, private from sources where sha256 >= ? and sha256 < ?"
                                " order by id", [prefix, prefix + "g"]).fetchall()
        if not rows:
            rows = conn.execute("select id, name, sha256, private from sources where name = ? order by id",
                                [ref]).fetchall()
        if not rows:
            raise ArchiveError(f"no source matches {ref!r} (give a source id, a sha256 or its first digits, or a name)")
        if len(rows) > 1:
            listed = ", ".join(str(r[0]) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
            raise ArchiveError(f"{ref!r} names {len(rows)} sources (ids {listed}): give a source id or a sha256")
        found.append(rows[0])
    return found


def mark(db: sqlite_utils.Database, refs: list[str] | list[int], private: bool) -> list[Marked]:
    """Mark sources private (or public), in one transaction, and rebuild the public projection from
    the public sources (or stop keeping it when nothing private is left). Sources already so are
    named and left alone; nothing is rebuilt when nothing changes."""
    conn = db.conn
    with write_transaction(conn):
        rows = find_sources(conn, [str(r) for r in refs])
        out, changed = [], []
        for sid, name, sha, was in rows:
            change = bool(was) != private and sid not in changed
            if change:
                changed.append(sid)
            out.append(Marked(sid, name, sha, private, change))
        if changed:
            conn.executemany("update sources set private = ? where id = ?", [(int(private), sid) for sid in changed])
            switch(conn, has_private(conn))
            from .fts import update_fts

            update_fts(conn)
    return out
