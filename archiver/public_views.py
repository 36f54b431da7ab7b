"""The public views: what anonymous visitors of the published archive may read, as SQL in the archive.

A source ingested with `--private` (or fetched or imported with it, or marked with `archiver
private`) has `sources.private = 1`. The public side of the archive is, by construction, the
archive that the public sources alone would give:

- While the archive holds no private source, it is all public: the `public_*` views below show
  the tables as they are (nothing is worked out per row).
- From its first private source on, the writer keeps a public projection (archiver/projection.py):
  `pub_threads`, `pub_thread_parts`, `pub_sightings`, `pub_thread_aliases` and `pub_fragments`,
  written by the same store and merge code as the archive's own tables, from the public sources
  only. The views then read the projection: no field of a public row comes from a private source
  (a private copy of a public thread cannot lend it an author, a url, a title or its id; a private
  source bridging two public threads does not make them one), and the public full-text indexes
  hold public fragments only, so that search ranks over public material (archiver/fts.py).
- Shared, content-addressed facts stay shared: a fragment's id, hash, text and length are those
  of its normalised text whoever brought it (the stored text is the first copy archived; another
  copy differs from it only in what normalisation folds: whitespace, Unicode composition,
  invisible spacers). Sources and their dropped spans are public when the source is.
- Near-duplicate pairs: which pairs are stored depends on the fragments indexed before (each
  keeps its closest earlier twins, archiver/neardup.py), so the projection keeps a near-duplicate
  index of its own (`pub_fragment_bands`, `pub_near_duplicates`): the public fragments indexed by
  the same code in the order the public sources alone would have stored them (`pub_fragments.seq`),
  which gives exactly the pairs of the archive of the public sources alone. A pair's date is the
  later of its two fragments' public first-seen dates.

Ids are not renumbered: gaps in public source and fragment ids show that hidden rows exist, not
what they hold.

Anonymous visitors read the archive only through the `public_*` views below (created in the
archive by `db.ensure_schema`); the Datasette plugin `plugins/visitor_access.py` denies them the
raw tables and arbitrary SQL, and runs the canned queries (written against the views) on the raw
tables for a signed-in reader (who signs in as archiver/signin.py configures).
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import astuple
from pathlib import Path

import sqlite_utils

from .fts import ALL_INDEX, projected
from .queries import ARCHIVE, NotFound, ReadTables, StoredThread, load_thread

# The archive's own tables; anonymous visitors read none of them directly.
RAW_TABLES = ("sources", "fragments", "threads", "thread_parts", "sightings", "dropped", "near_duplicates",
              "thread_aliases")
PUBLIC_PREFIX = "public_"

# Tables a canned query shown to anonymous visitors may read directly besides the public views:
# the full-text indexes of public material (archiver/fts.py: while anything is private, the index
# of everything has another name) and JSON functions.
ANONYMOUS_DIRECT_READS = frozenset({"fragments_fts", "threads_fts", "json_each", "json_tree"})

SOURCE_COLUMNS = ("id, sha256, kind, name, url, encoding, repair, bytes, lines, ingested_at, fetched_at, private,"
                  " meta, content, raw")
SIGHTING_COLUMNS = "id, fragment_id, source_id, line_start, line_end, thread_id, n, fragment_rowid, thread_rowid"
PART_COLUMNS = ("thread_id, n, fragment_id, inferred, marker, conflict, author, posted_at, external_id, parent_id,"
                " url, thread_rowid, fragment_rowid")
THREAD_COLUMNS = ("id", "kind", "title", "author", "url", "total", "missing", "complete", "parts", "conflicts",
                  "first_source_id", "created_at", "updated_at", "digest")
_PUBLIC_DROPPED = """
select d.id, d.source_id, d.line_start, d.line_end, d.reason
from dropped d
where +d.source_id in (select id from sources where private = 0)"""


def _views(on: bool) -> dict[str, str]:
    """view name -> its select, reading the archive's tables (`on` False) or the public projection.

    The columns are the raw table's, so a canned query written against the views runs unchanged on
    the raw tables for signed-in readers. The full-text views expose the fragment's or thread's
    rowid (as `rowid`), which the full-text indexes of public material are keyed on."""
    threads = "pub_threads" if on else "threads"
    if on:
        fragments = """
select f.rowid as rowid, f.id, f.hash, p.kind, f.text, f.chars, p.first_source_id, p.first_seen_at
from pub_fragments p join fragments f on f.rowid = p.fragment_rowid"""
        near = """
select nd.fragment_a, nd.fragment_b, nd.similarity, nd.method, max(pa.first_seen_at, pb.first_seen_at) as found_at
from pub_near_duplicates nd
join fragments fa on fa.id = nd.fragment_a join pub_fragments pa on pa.fragment_rowid = fa.rowid
join fragments fb on fb.id = nd.fragment_b join pub_fragments pb on pb.fragment_rowid = fb.rowid"""
    else:
        fragments = """
select f.rowid as rowid, f.id, f.hash, f.kind, f.text, f.chars, f.first_source_id, f.first_seen_at
from fragments f"""
        near = """
select nd.fragment_a, nd.fragment_b, nd.similarity, nd.method, nd.found_at
from near_duplicates nd"""
    return {
        "public_sources": f"""
select {SOURCE_COLUMNS}
from sources
where private = 0""",
        "public_sightings": f"""
select {SIGHTING_COLUMNS}
from {"pub_sightings" if on else "sightings"}""",
        "public_fragments": fragments,
        "public_thread_parts": f"""
select {PART_COLUMNS}
from {"pub_thread_parts" if on else "thread_parts"}""",
        "public_threads": f"""
select t.rowid as rowid, {", ".join("t." + c for c in THREAD_COLUMNS)}
from {threads} t""",
        "public_dropped": _PUBLIC_DROPPED,
        "public_near_duplicates": near,
        "public_thread_aliases": f"""
select alias, thread_id, merged_at
from {"pub_thread_aliases" if on else "thread_aliases"}""",
    }


VIEWS: dict[str, str] = _views(False)
PUBLIC_VIEWS = frozenset(VIEWS)
# A thread read as anonymous visitors see it (`load_public_thread`)
PUBLIC_READS = ReadTables(*(PUBLIC_PREFIX + name for name in astuple(ARCHIVE)))


def view_sql(name: str, on: bool = False) -> str:
    """The CREATE VIEW statement of a public view (reading the projection when `on`), as stored in sqlite_master."""
    return f"CREATE VIEW {name} AS{_views(on)[name]}"


def views_current(conn: sqlite3.Connection) -> bool:
    """True when every public view exists with its current definition for the archive's mode."""
    on = projected(conn)
    stored = dict(conn.execute("select name, sql from sqlite_master where type = 'view'").fetchall())
    return all(stored.get(name) == view_sql(name, on) for name in VIEWS)


def create_views(conn: sqlite3.Connection) -> None:
    """(Re)create the public views for the archive's mode; call inside the schema transaction."""
    on = projected(conn)
    stored = dict(conn.execute("select name, sql from sqlite_master where type = 'view'").fetchall())
    for name in VIEWS:
        if stored.get(name) != view_sql(name, on):
            conn.execute(f"DROP VIEW IF EXISTS {name}")
            conn.execute(view_sql(name, on))


def public_state(conn: sqlite3.Connection) -> str:
    """"public" (nothing private), "projected" (the views read the public projection), or "unsafe":
    a private source the views do not leave out (the archive written by something other than the
    archiver, e.g. `private` set by hand; `archiver verify` reports it, the next `archiver` command
    that opens the archive for writing repairs it, and meanwhile the plugin shows nothing)."""
    has_private = conn.execute("select exists (select 1 from sources where private != 0)").fetchone()[0]
    if not projected(conn):
        return "unsafe" if has_private else "public"
    if has_private and conn.execute(
            "select exists (select 1 from sources s where s.private != 0"
            " and exists (select 1 from pub_sightings ps where ps.source_id = s.id))").fetchone()[0]:
        return "unsafe"
    return "projected"


_PUBLIC_NAME = re.compile(r"\b" + PUBLIC_PREFIX + "(" + "|".join(sorted(RAW_TABLES, key=len, reverse=True)) + r")\b")
_FTS_NAME = re.compile(r"\b(" + "|".join(ALL_INDEX) + r")_fts\b")


def full_sql(sql: str, is_projected: bool = False) -> str:
    """A query written against the public views, rewritten to read the raw tables (for signed-in
    readers), and the full-text indexes of everything when the archive keeps a public projection."""
    sql = _PUBLIC_NAME.sub(r"\1", sql)
    if is_projected:
        sql = _FTS_NAME.sub(lambda m: ALL_INDEX[m.group(1)][True], sql)
    return sql


def direct_reads(conn: sqlite3.Connection, sql: str) -> set[str]:
    """The tables and views a SELECT reads directly (not through a view), found by preparing it
    under an SQLite authorizer; every `:name` parameter is bound to NULL."""
    reads: set[str] = set()

    def authorize(action, arg1, _arg2, _db, inner):
        if action == sqlite3.SQLITE_READ and inner is None and arg1:
            reads.add(arg1)
        return sqlite3.SQLITE_OK

    params = {name: None for name in re.findall(r"(?<![:\w]):(\w+)", sql)}
    conn.set_authorizer(authorize)
    try:
        conn.execute("EXPLAIN " + sql, params).fetchall()
    finally:
        conn.set_authorizer(None)
    return reads


def unsafe_reads(conn: sqlite3.Connection, sql: str) -> set[str]:
    """What a query would read that anonymous visitors may not: anything but the public views,
    the full-text indexes and JSON functions. An SQL error counts as unsafe."""
    try:
        # Prepared twice: the first time may connect a full-text index on this connection, and the
        # index's own reads of its configuration are not the query's.
        direct_reads(conn, sql)
        return {t for t in direct_reads(conn, sql) if t not in PUBLIC_VIEWS and t not in ANONYMOUS_DIRECT_READS}
    except sqlite3.Error as e:
        return {f"(unpreparable: {e})"}


def private_source_count(db_path: str | os.PathLike[str]) -> int:
    """How many private sources an archive holds (read-only; 0 for a file without a sources table)."""
    uri = Path(db_path).resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute("select count(*) from sources where private != 0").fetchone()[0]
    except sqlite3.Error as e:
        if "no such table" in str(e) or "no such column" in str(e):
            return 0
        raise
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# A thread as the public sees it (the thread page and its Markdown export for anonymous visitors)

def load_public_thread(db: sqlite_utils.Database, thread_id: str) -> StoredThread:
    """`queries.load_thread`, reading only the public views: raises queries.NotFound for a thread
    that does not exist or is private."""
    if public_state(db.conn) == "unsafe":  # views that would not leave a private source out: nothing shown
        raise NotFound(f"no thread with id {thread_id}")
    return load_thread(db, thread_id, PUBLIC_READS)
