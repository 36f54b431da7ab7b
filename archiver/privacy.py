"""Private material: what anonymous visitors of the published archive may see.

A source ingested with `--private` (or fetched or imported with it) has `sources.private = 1`.
Everything derived only from private sources is private too, and is worked out from the
sightings, never stored, so it cannot go stale whatever writes the archive:

- a sighting is public when its source is public;
- a fragment is public when it was seen in at least one public source;
- a thread part is public when its fragment was seen *as that part of that thread* in a public
  source (a fragment quoted publicly elsewhere does not make a private thread's part public);
- a thread is public when at least one of its parts is. A thread seen in no private source is
  shown as stored. A thread seen in both is worked out again from its public parts: the private
  ones are absent (counted as missing), its first source, dates and counts are the public ones,
  and its title, author, total and url are shown only when public material vouches for them
  (see `_threads_view`);
- a dropped span is public when its source is; a near-duplicate pair when both fragments are;
  an alias when the thread it points to is.

Ids are not renumbered: gaps in public ids show that hidden rows exist, not what they hold.

Anonymous visitors read the archive only through the `public_*` views below (created in the
archive by `db.ensure_schema`); the Datasette plugin `plugins/privacy.py` denies them the raw
tables and arbitrary SQL, and runs the canned queries (written against the views) on the raw
tables for a signed-in reader.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

# The archive's own tables; anonymous visitors read none of them directly.
RAW_TABLES = ("sources", "fragments", "threads", "thread_parts", "sightings", "dropped", "near_duplicates",
              "thread_aliases")
PUBLIC_PREFIX = "public_"

# Environment variables that configure sign-in (datasette-auth-passwords), read at serve time.
PASSWORD_ENV = "ARCHIVER_PASSWORD_HASH"
USERNAME_ENV = "ARCHIVER_USERNAME"
DEFAULT_USERNAME = "reader"
AUTH_PLUGIN = "datasette-auth-passwords"

# Tables a canned query shown to anonymous visitors may read directly besides the public views:
# the full-text indexes (their rows are only ever joined to a public view) and JSON functions.
ANONYMOUS_DIRECT_READS = frozenset({"fragments_fts", "threads_fts", "json_each", "json_tree"})


def _public_source(source_id: str) -> str:
    # The unary + keeps SQLite from driving an index lookup per public source id (a join on
    # fragment_rowid would otherwise probe (fragment_rowid, source_id) once for every public source).
    return f"+{source_id} in (select id from sources where private = 0)"


def _public_fragment(fragment_rowid: str, a: str) -> str:
    """SQL: the fragment with this rowid was seen in a public source. `a` makes the inner aliases unique."""
    return (f"exists (select 1 from sightings {a}s cross join sources {a}src on {a}src.id = {a}s.source_id"
            f" where {a}s.fragment_rowid = {fragment_rowid} and {a}src.private = 0)")


def _public_part(p: str, a: str) -> str:
    """SQL: thread part `p` was seen as a part of its thread in a public source (a merge points the
    sightings of the thread merged away at the thread it joined)."""
    # (the unary + keeps SQLite on the sightings of the fragment, a handful, rather than those of the
    # thread: hundreds for a long thread, read again for each of its parts)
    return (f"exists (select 1 from sightings {a}s cross join sources {a}src on {a}src.id = {a}s.source_id"
            f" where {a}s.fragment_rowid = {p}.fragment_rowid and {a}src.private = 0"
            f" and +{a}s.thread_rowid = {p}.thread_rowid)")


def _thread_sources(x: str, agg: str, column: str) -> str:
    """SQL: an aggregate over the public sources a thread was seen in."""
    return (f"(select {agg}(tsrc.{column}) from sightings ts cross join sources tsrc on tsrc.id = ts.source_id"
            f" where ts.thread_rowid = {x}.rowid and tsrc.private = 0)")


# The threads seen in a private source. Not correlated: SQLite works it out once per statement
# (from the index on sightings (source_id, thread_rowid)). (The correlated subqueries here say
# `cross join` to keep SQLite from walking all public sources for each row: sightings first, then
# their source by primary key.)
PRIVATELY_SEEN_THREADS = ("select ms.thread_rowid from sightings ms where ms.thread_rowid is not null"
                          " and ms.source_id in (select id from sources where private != 0)")
THREAD_COLUMNS = ("id", "kind", "title", "author", "url", "total", "missing", "complete", "parts", "conflicts",
                  "first_source_id", "created_at", "updated_at")


def _threads_view() -> str:
    """A thread seen in no private source ("clean") is shown as stored: every part of it is public
    and so is everything the thread row says. A thread seen in a private source and in a public
    one is worked out again from its public parts.

    One flat SELECT over `threads` (each column a CASE on "clean", the work for the others in the
    ELSE branch, evaluated only for them), not a UNION of the two kinds: SQLite can then merge the
    view into a query that joins it or looks a thread up, and reads only the threads asked for (a
    compound or nested view is computed whole first: seconds at a million fragments)."""
    public_part = _public_part("vp", "vp_")
    clean = f"t.rowid not in ({PRIVATELY_SEEN_THREADS})"
    direct = ("(not exists (select 1 from thread_aliases da where da.thread_id = t.id)"
              " and exists (select 1 from sightings ds cross join sources dsrc on dsrc.id = ds.source_id"
              " where ds.thread_rowid = t.rowid and dsrc.private = 0))")
    header = "coalesce((select hs.private = 0 from sources hs where hs.id = t.first_source_id), 0)"
    # The title, author, url and total were set by the source that first gave the thread, or by a
    # merge with another thread (archiver/merge.py). Each is shown only when public material vouches
    # for it: a public source that rebuilt this very thread id (never merged: the id hashes kind,
    # author, total and the first part, and the title is that part's first line), or else the title
    # inside a public part's text, the author as a public part's author, the total in a public
    # part's n/N marker. The url only when such a public rebuild came first.
    title_ok = (f"({direct} or coalesce(t.title, '') = '' or exists (select 1 from thread_parts tp"
                " join fragments tf on tf.rowid = tp.fragment_rowid"
                f" where tp.thread_rowid = t.rowid and instr(tf.text, t.title) > 0 and {_public_part('tp', 'tp_')}))")
    author_ok = (f"({direct} or t.author is null or exists (select 1 from thread_parts ta where ta.thread_rowid = t.rowid"
                 f" and ta.author = t.author and {_public_part('ta', 'ta_')}))")
    total_ok = (f"({direct} or t.total is null or exists (select 1 from thread_parts tt where tt.thread_rowid = t.rowid"
                " and (tt.marker glob '*/' || t.total or tt.marker glob '*/' || t.total || '[^0-9]*')"
                f" and {_public_part('tt', 'tt_')}))")
    public_total = f"case when {total_ok} then t.total end"
    public_top = f"(select max(pt.n) from thread_parts pt where pt.thread_rowid = t.rowid and {_public_part('pt', 'pt_')})"
    # Numbers the public cannot see: missing altogether, or held only by private parts; above the
    # public top they count as missing only when the (public) total says the thread goes on.
    public_missing = (
        "(select json_group_array(m.num) from ("
        " select value as num from json_each(coalesce(t.missing, '[]'))"
        " union"
        f" select mp.n from thread_parts mp where mp.thread_rowid = t.rowid and mp.n is not null and not {_public_part('mp', 'mp_')}"
        " order by 1) m"
        " where t.kind != 'article'"
        f" and case when {public_total} then m.num <= {public_total} else m.num < coalesce({public_top}, 0) end"
        f" and not exists (select 1 from thread_parts pq where pq.thread_rowid = t.rowid and pq.n = m.num"
        f" and {_public_part('pq', 'pq_')}))"
    )
    counted = f"from thread_parts pc where pc.thread_rowid = t.rowid and pc.n is not null and {_public_part('pc', 'pc_')}"
    public_parts = f"(select count(distinct pc.n) {counted})"
    public_conflicts = f"(select count(pc.n) - count(distinct pc.n) {counted})"
    public_complete = (f"(t.kind != 'article' and {public_missing} = '[]'"
                       f" and ({public_total} is null or {public_total} <= {public_parts} or t.kind = 'post'))")
    first_author = (f"(select pa.author from thread_parts pa where pa.thread_rowid = t.rowid and pa.author is not null"
                    f" and {_public_part('pa', 'pa_')} order by pa.n limit 1)")
    return f"""
select
  case when {clean} then t.rowid when {title_ok} and {author_ok} then t.rowid end as rowid,
  t.id,
  t.kind,
  case when {clean} then t.title when {title_ok} then t.title end as title,
  case when {clean} then t.author when {author_ok} then t.author else {first_author} end as author,
  case when {clean} then t.url when {direct} and {header} then t.url end as url,
  case when {clean} then t.total else {public_total} end as total,
  case when {clean} then t.missing else {public_missing} end as missing,
  case when {clean} then t.complete else {public_complete} end as complete,
  case when {clean} then t.parts else {public_parts} end as parts,
  case when {clean} then t.conflicts else {public_conflicts} end as conflicts,
  case when {clean} then t.first_source_id else {_thread_sources('t', 'min', 'id')} end as first_source_id,
  case when {clean} then t.created_at else {_thread_sources('t', 'min', 'ingested_at')} end as created_at,
  case when {clean} then t.updated_at else {_thread_sources('t', 'max', 'ingested_at')} end as updated_at
from threads t
where exists (select 1 from thread_parts vp where vp.thread_rowid = t.rowid and {public_part})"""


def _fragments_view() -> str:
    first_public = ("(select min(fs.source_id) from sightings fs cross join sources fsrc on fsrc.id = fs.source_id"
                    " where fs.fragment_rowid = f.rowid and fsrc.private = 0)")
    first_public_at = ("(select min(fsrc.ingested_at) from sightings fs cross join sources fsrc on fsrc.id = fs.source_id"
                       " where fs.fragment_rowid = f.rowid and fsrc.private = 0)")
    first_is_public = "coalesce((select hs.private = 0 from sources hs where hs.id = f.first_source_id), 0)"
    return f"""
select
  f.rowid as rowid,
  f.id,
  f.hash,
  f.kind,
  f.text,
  f.chars,
  case when {first_is_public} then f.first_source_id else {first_public} end as first_source_id,
  case when {first_is_public} then f.first_seen_at else {first_public_at} end as first_seen_at
from fragments f
where {_public_fragment('f.rowid', 'f_')}"""


# view name -> its select. The columns are the raw table's (minus nothing a reader needs), so a
# canned query written against the views runs unchanged on the raw tables for signed-in readers.
# The full-text views expose the raw rowid (as `rowid`) so `fts_pk: rowid` joins them to the index.
VIEWS: dict[str, str] = {
    "public_sources": """
select id, sha256, kind, name, url, encoding, repair, bytes, lines, ingested_at, fetched_at, private, meta,
  content, raw
from sources
where private = 0""",
    "public_sightings": f"""
select s.id, s.fragment_id, s.source_id, s.line_start, s.line_end, s.thread_id, s.n, s.fragment_rowid,
  s.thread_rowid
from sightings s
where {_public_source('s.source_id')}""",
    "public_fragments": _fragments_view(),
    "public_thread_parts": f"""
select
  p.thread_id,
  p.n,
  p.fragment_id,
  p.inferred,
  p.marker,
  case when p.conflict then (select count(*) from thread_parts p2 where p2.thread_rowid = p.thread_rowid and p2.n = p.n
                              and {_public_part('p2', 'p2_')}) > 1
       else p.conflict end as conflict,
  p.author,
  p.posted_at,
  p.external_id,
  p.parent_id,
  p.url,
  p.thread_rowid,
  p.fragment_rowid
from thread_parts p
where {_public_part('p', 'p_')}""",
    "public_threads": _threads_view(),
    "public_dropped": f"""
select d.id, d.source_id, d.line_start, d.line_end, d.reason
from dropped d
where {_public_source('d.source_id')}""",
    "public_near_duplicates": f"""
select nd.fragment_a, nd.fragment_b, nd.similarity, nd.method, nd.found_at
from near_duplicates nd
where {_public_fragment('(select rowid from fragments where id = nd.fragment_a)', 'na_')}
  and {_public_fragment('(select rowid from fragments where id = nd.fragment_b)', 'nb_')}""",
    "public_thread_aliases": f"""
select a.alias, a.thread_id, a.merged_at
from thread_aliases a
where exists (select 1 from thread_parts ap where ap.thread_id = a.thread_id and {_public_part('ap', 'ap_')})""",
}
PUBLIC_VIEWS = frozenset(VIEWS)


def view_sql(name: str) -> str:
    """The CREATE VIEW statement of a public view, exactly as stored in sqlite_master."""
    return f"CREATE VIEW {name} AS{VIEWS[name]}"


def views_current(conn: sqlite3.Connection) -> bool:
    """True when every public view exists with its current definition."""
    stored = dict(conn.execute("select name, sql from sqlite_master where type = 'view'").fetchall())
    return all(stored.get(name) == view_sql(name) for name in VIEWS)


def create_views(conn: sqlite3.Connection) -> None:
    """(Re)create the public views; call inside the schema transaction."""
    stored = dict(conn.execute("select name, sql from sqlite_master where type = 'view'").fetchall())
    for name in VIEWS:
        if stored.get(name) != view_sql(name):
            conn.execute(f"DROP VIEW IF EXISTS {name}")
            conn.execute(view_sql(name))


_PUBLIC_NAME = re.compile(r"\b" + PUBLIC_PREFIX + "(" + "|".join(sorted(RAW_TABLES, key=len, reverse=True)) + r")\b")


def full_sql(sql: str) -> str:
    """A query written against the public views, rewritten to read the raw tables (for signed-in readers)."""
    return _PUBLIC_NAME.sub(r"\1", sql)


def is_reader(actor: dict[str, Any] | None) -> bool:
    """A signed-in reader (any authenticated actor) sees private material; anonymous visitors do not."""
    return bool(actor) and isinstance(actor, dict) and bool(actor.get("id"))


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


# ---------------------------------------------------------------------------------------------
# Sign-in configuration and the `serve --public` check

def password_hash() -> str | None:
    """The reader's password hash from the environment, if it looks like one
    (`pbkdf2_sha256$iterations$salt$hash`, as `datasette hash-password` prints)."""
    value = (os.environ.get(PASSWORD_ENV) or "").strip()
    parts = value.split("$")
    if len(parts) == 4 and parts[0] == "pbkdf2_sha256" and parts[1].isdigit() and all(parts[2:]):
        return value
    return None


def username() -> str:
    """The reader's user name (ARCHIVER_USERNAME, default `reader`)."""
    name = (os.environ.get(USERNAME_ENV) or "").strip()
    return name if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name) else DEFAULT_USERNAME


def auth_plugin_installed() -> bool:
    """True when datasette-auth-passwords can be loaded."""
    import importlib.util

    return importlib.util.find_spec("datasette_auth_passwords") is not None


def auth_configured() -> bool:
    """True when a reader can sign in: the auth plugin is installed and a password hash is set."""
    return password_hash() is not None and auth_plugin_installed()


def auth_plugin_config() -> dict[str, Any] | None:
    """datasette-auth-passwords configuration pointing at the environment (no secret in it)."""
    if password_hash() is None:
        return None
    return {f"{username()}_password_hash": {"$env": PASSWORD_ENV}}


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

def load_public_thread(db, thread_id: str):
    """`queries.load_thread`, reading only the public views: raises queries.NotFound for a thread
    that does not exist or is private."""
    from .queries import NotFound, Sighting, StoredThread, ThreadPart

    row = db.execute("select id from public_threads where id = ?", [thread_id]).fetchone()
    if row is None:
        row = db.execute("select a.thread_id from public_thread_aliases a join public_threads t on t.id = a.thread_id"
                         " where a.alias = ?", [thread_id]).fetchone()
    if row is None:
        raise NotFound(f"no thread with id {thread_id}")
    tid = row[0]
    t = db.execute("select id, kind, title, author, url, total, missing, complete from public_threads where id = ?",
                   [tid]).fetchone()
    parts = []
    for r in db.execute(
        "select p.n, p.fragment_id, f.text, p.inferred, p.marker, p.conflict, p.author, p.posted_at, p.fragment_rowid,"
        " p.url from public_thread_parts p join public_fragments f on f.rowid = p.fragment_rowid where p.thread_id = ?"
        " order by p.n, p.fragment_id", [tid]).fetchall():
        part = ThreadPart(r[0], r[1], r[2], bool(r[3]), r[4], bool(r[5]), r[6], r[7], url=r[9])
        part.sightings = [
            Sighting(*s) for s in db.execute(
                "select s.source_id, src.name, src.sha256, s.line_start, s.line_end from public_sightings s"
                " join public_sources src on src.id = s.source_id where s.fragment_rowid = ?"
                " order by s.source_id, s.line_start", [r[8]]).fetchall()
        ]
        parts.append(part)
    return StoredThread(t[0], t[1], t[2] or "", t[3], t[4], t[5], json.loads(t[6] or "[]"), bool(t[7]), parts)
