"""The archive database: schema declared as data, one idempotent `ensure_schema`, and `open_db`."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from . import fts, projection
from .digest import update_digests
from .errors import ArchiveBusy, ArchiveError
from .public_views import create_views, views_current
from .tableset import FULL
from .txn import busy_error, is_busy, write_transaction

# 2: parts and sightings refer by rowid as well as by id (`_migrate_refs`); 3: each thread's structure
# digest (`threads.digest`, archiver/digest.py), what each source said (`source_records`), and the
# public projection kept while the archive holds a private source (archiver/projection.py); 4: the
# projection's own near-duplicate index (`pub_fragment_bands`, `pub_near_duplicates`, archiver/neardup.py)
SCHEMA_VERSION = 4
BUSY_TIMEOUT_MS = 30_000

# table -> (columns, options). Columns keep their declared order; options name pk, uniques, fks.
TABLES: dict[str, dict] = {
    "sources": {
        "columns": {
            "id": int,
            "sha256": str,
            "kind": str,
            "name": str,
            "url": str,
            "encoding": str,
            "repair": str,
            "bytes": int,
            "lines": int,
            "ingested_at": str,
            "fetched_at": str,
            "private": int,
            "meta": str,
            "content": str,
            "raw": bytes,
        },
        "pk": "id",
        "not_null": {"sha256", "kind", "name", "ingested_at"},
        "defaults": {"private": 0},
        "unique": [["sha256"]],
    },
    "fragments": {
        "columns": {
            "id": str,
            "hash": str,
            "kind": str,
            "text": str,
            "chars": int,
            "first_source_id": int,
            "first_seen_at": str,
        },
        "pk": "id",
        "not_null": {"hash", "text"},
        # no index on `hash`: its first 16 digits are the primary key `id`, which lookups use
        "foreign_keys": [("first_source_id", "sources", "id")],
    },
    "threads": {
        "columns": {
            "id": str,
            "kind": str,
            "title": str,
            "author": str,
            "url": str,
            "total": int,
            "missing": str,
            "complete": int,
            "parts": int,
            "conflicts": int,
            "first_source_id": int,
            "created_at": str,
            "updated_at": str,
            "digest": str,  # of the thread's structure, kept by the writer and checked by `verify`
        },
        "pk": "id",
        "not_null": {"kind"},
        "defaults": {"complete": 0, "parts": 0, "conflicts": 0},
        "foreign_keys": [("first_source_id", "sources", "id")],
    },
    # Parts and sightings name their fragment and thread twice: by id (what readers see and cite) and
    # by rowid (what the indexes are keyed on). Ids are content hashes, so an index on them takes each
    # new row at a random place: replaying the bulk ingest's part and sighting writes, 1M fragments
    # cost x18-19 the first 94k with id indexes, x15-16 with these (benchmarks/replay_refs.py,
    # docs/performance.md). `archiver verify` checks the pairs
    # agree. (Rowids of `fragments` and `threads` survive VACUUM: tables with an index keep them.)
    "thread_parts": {
        "columns": {
            "thread_id": str,
            "n": int,
            "fragment_id": str,
            "inferred": int,
            "marker": str,
            "conflict": int,
            "author": str,
            "posted_at": str,
            "external_id": str,
            "parent_id": str,
            "url": str,
            "thread_rowid": int,
            "fragment_rowid": int,
        },
        "pk": ("thread_rowid", "n", "fragment_rowid"),
        "not_null": {"thread_id", "fragment_id", "thread_rowid", "fragment_rowid"},
        "defaults": {"inferred": 0, "conflict": 0},
        "foreign_keys": [("thread_id", "threads", "id"), ("fragment_id", "fragments", "id")],
    },
    "sightings": {
        "columns": {
            "id": int,
            "fragment_id": str,
            "source_id": int,
            "line_start": int,
            "line_end": int,
            "thread_id": str,
            "n": int,
            "fragment_rowid": int,
            "thread_rowid": int,
        },
        "pk": "id",
        "not_null": {"fragment_id", "source_id", "fragment_rowid"},
        "unique": [["fragment_rowid", "source_id", "line_start", "line_end"]],
        "foreign_keys": [("fragment_id", "fragments", "id"), ("source_id", "sources", "id"), ("thread_id", "threads", "id")],
    },
    "dropped": {
        "columns": {"id": int, "source_id": int, "line_start": int, "line_end": int, "reason": str},
        "pk": "id",
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "near_duplicates": {
        "columns": {"fragment_a": str, "fragment_b": str, "similarity": float, "method": str, "found_at": str},
        "pk": ("fragment_a", "fragment_b"),
        "foreign_keys": [("fragment_a", "fragments", "id"), ("fragment_b", "fragments", "id")],
    },
    "thread_aliases": {
        "columns": {"alias": str, "thread_id": str, "merged_at": str},
        "pk": "alias",
        "foreign_keys": [("thread_id", "threads", "id")],
    },
    # Near-duplicate index (archiver/neardup.py): one row per LSH band of each fragment's MinHash.
    "fragment_bands": {
        "columns": {"key": int, "fragment_id": str},
        "pk": ("key", "fragment_id"),
        "not_null": {"key", "fragment_id"},
        "without_rowid": True,
        "foreign_keys": [("fragment_id", "fragments", "id")],
    },
    # The near-duplicate index's state: its parameters and the last fragments rowid indexed.
    "neardup_index": {
        "columns": {"name": str, "value": str},
        "pk": "name",
    },
    # What each source said, as the writer received it (archiver/projection.py): the public projection
    # is rebuilt from these when a source is marked private or public after the fact.
    "source_records": {
        "columns": {"source_id": int, "seq": int, "kind": str, "data": bytes},
        "pk": ("source_id", "seq"),
        "not_null": {"source_id", "seq", "kind", "data"},
        "foreign_keys": [("source_id", "sources", "id")],
    },
    # name -> value: `projection` is "on" while the public views read the public projection.
    "archive_state": {
        "columns": {"name": str, "value": str},
        "pk": "name",
    },
    # A fragment seen in a public source, with what the public sources alone say of it (the fragment's
    # text is shared: it is content-addressed). `seq` orders them for the public full-text index.
    "pub_fragments": {
        "columns": {"seq": int, "fragment_rowid": int, "kind": str, "first_source_id": int, "first_seen_at": str},
        "pk": "seq",
        "not_null": {"fragment_rowid"},
        "unique": [["fragment_rowid"]],
        "foreign_keys": [("first_source_id", "sources", "id")],
    },
}


def _public_copy(name: str) -> dict:
    """The spec of a public projection table: the table's own, its references to threads made to the
    projection's threads (archiver/tableset.py)."""
    spec = {k: (set(v) if isinstance(v, set) else list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict)
                else v) for k, v in TABLES[name].items()}
    spec["foreign_keys"] = [(col, "pub_threads" if other == "threads" else other, key)
                            for col, other, key in TABLES[name].get("foreign_keys", [])]
    return spec


# The public projection's tables: its thread tables (archiver/tableset.py) and its own near-duplicate
# index (archiver/neardup.py `PUBLIC`: the public fragments indexed in `pub_fragments.seq` order, its
# state in `neardup_index` beside the archive's).
PUBLIC_COPIES = ("threads", "thread_parts", "sightings", "thread_aliases", "fragment_bands", "near_duplicates")
for _name in PUBLIC_COPIES:
    TABLES[f"pub_{_name}"] = _public_copy(_name)

INDEXES: list[tuple[str, list[str]]] = [
    ("sightings", ["source_id"]),
    ("sightings", ["thread_rowid", "n"]),
    ("thread_parts", ["fragment_rowid"]),
    # Readers and the canned queries find a thread's parts by its id: the one index on a random key
    # left on parts and sightings (replaying the 1M archive's rows, 15.3-16.5 s with it and 12.6-13.7 s
    # with none: benchmarks/replay_refs.py, docs/performance.md).
    ("thread_parts", ["thread_id"]),
    ("threads", ["author"]),
    ("threads", ["kind", "complete"]),
    ("dropped", ["source_id"]),
    ("near_duplicates", ["fragment_b"]),
    ("thread_aliases", ["thread_id"]),
    ("sources", ["private"]),  # the private sources, looked up on every request (plugins/visitor_access.py)
    ("sightings", ["source_id", "thread_rowid"]),  # the threads a source gave
]
# The public projection is read and written as its tables are (empty while nothing is private).
INDEXES += [(f"pub_{table}", cols) for table, cols in INDEXES if table in PUBLIC_COPIES]

# Full-text search: table -> indexed columns (archiver/fts.py keeps each index in step with its table).
FTS = fts.FTS


def open_db(path: str | Path, create: bool = True, upgrade: bool = True) -> sqlite_utils.Database:
    """Open (and by default create) an archive: WAL journal, busy timeout, schema ensured.

    With `create=False` nothing is made (a file with no `sources` table, such as an empty file, is
    refused with an ArchiveError) and the journal mode is left as it is, but an archive made
    by an older version (SCHEMA_VERSION 1, 2 or 3) is upgraded (`upgrade_schema`), unless `upgrade=False`."""
    p = Path(path)
    if not create and not p.exists():
        raise ArchiveError(f"{path}: no such archive")
    if p.exists() and p.is_dir():
        raise ArchiveError(f"{path}: is a folder, not an archive database")
    if create:
        check_creatable(p)
    problem = "not a readable archive database"
    conn = None
    try:
        conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db = sqlite_utils.Database(conn)
        if create:
            ensure_schema(db)
        else:
            if not db.execute("select 1 from sqlite_master where type = 'table' and name = 'sources'").fetchone():
                conn.close()
                raise ArchiveError(not_an_archive(p))
            if upgrade and (_legacy_ref_tables(db) or _before_digests(db) or _before_public_index(db)):
                problem = "made by an older version of archiver, and it could not be upgraded here"
                upgrade_schema(db)
    except sqlite3.DatabaseError as e:
        if is_busy(e):  # another writer kept the lock past the busy timeout while the schema was made
            raise busy_error(conn) from None
        raise ArchiveError(f"{path}: {problem} ({e})") from None
    except ArchiveBusy:
        raise
    except ArchiveError as e:  # an upgrade that cannot be made (`_migrate_refs`)
        raise ArchiveError(f"{path}: {e}") from None
    return db


def check_creatable(path: str | Path) -> None:
    """Raise ArchiveError naming the folder when an archive cannot be made at `path` because its
    folder is missing, is not a folder, or cannot be written (SQLite would only say `unable to open`)."""
    p = Path(path)
    if p.exists():
        return
    folder = p.parent
    if not folder.exists():
        raise ArchiveError(f"cannot create {path}: no such folder {folder} (create it first, or give another path)")
    if not folder.is_dir():
        raise ArchiveError(f"cannot create {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ArchiveError(f"cannot create {path}: the folder {folder} is not writable")


def not_an_archive(path: Path) -> str:
    """Why a file that SQLite opens is not an archive (it has no `sources` table)."""
    if path.stat().st_size == 0:
        return "an empty file, not an archive"
    return ("not an archive (no sources table: a database made by another program, or an archive whose first"
            " ingest was stopped before it wrote anything)")


def _schema_complete(db: sqlite_utils.Database) -> bool:
    """True when every table exists, the FTS indexes with their current triggers (archiver/fts.py),
    and the public views (archiver/public_views.py) with their current definitions: an archive made by an
    older version, or by a run killed mid-way, is brought up to date on its next open."""
    names = {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")}
    if not names >= set(TABLES):
        return False
    return (not any(_missing_columns(db, table) for table in TABLES) and fts.fts_current(db.conn)
            and views_current(db.conn) and projection.in_step(db.conn))


def _missing_columns(db: sqlite_utils.Database, table: str) -> list[tuple[str, type]]:
    """Columns TABLES declares that an existing table lacks (an archive made by an older version)."""
    have = {r[1] for r in db.execute(f'pragma table_info("{table}")')}
    if not have:
        return []
    return [(c, kind) for c, kind in TABLES[table]["columns"].items() if c not in have]


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create every table, index and FTS index that is missing; safe to call on every open.

    Everything is created in one write transaction, so a process killed while creating
    a new archive leaves either the whole schema or none of it. An FTS index found without its
    triggers (an archive made before this was atomic) is made again from its table
    (`fts.ensure_fts`).
    """
    # WAL lets readers (archiver serve) read while an ingest writes. Checked on every open: an
    # import into a new archive writes through a rollback journal, and when it is killed the file
    # is left in that mode (its hot journal is rolled back by this open).
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.enable_wal()  # must run outside a transaction
    upgrade_schema(db)


def upgrade_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing and upgrade what an older version made, in one write transaction
    (nothing when the schema is complete); the journal mode is left as it is."""
    if _schema_complete(db):
        return
    with write_transaction(db.conn):
        if not _schema_complete(db):  # another process may have finished it while we waited
            _create_schema(db)


def _create_schema(db: sqlite_utils.Database) -> None:
    legacy = _legacy_ref_tables(db)
    if legacy:
        _rename_legacy(db, legacy)
    existing = set(db.table_names())
    # an archive made before SCHEMA_VERSION 3: its threads get their digests once the column is there
    without_digests = "threads" in existing and "digest" not in db["threads"].columns_dict
    for name, spec in TABLES.items():
        if name in existing:
            for column, kind in _missing_columns(db, name):
                db[name].add_column(column, kind, not_null_default=spec.get("defaults", {}).get(column))
            continue
        if spec.get("without_rowid"):
            sql = db.create_table_sql(name, spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
                                      defaults=spec.get("defaults"), foreign_keys=spec.get("foreign_keys"))
            db.execute(sql.rstrip().rstrip(";") + " WITHOUT ROWID")
        else:
            db[name].create(
                spec["columns"],
                pk=spec["pk"],
                not_null=spec.get("not_null"),
                defaults=spec.get("defaults"),
                foreign_keys=spec.get("foreign_keys"),
            )
        for cols in spec.get("unique", []):
            db[name].create_index(cols, unique=True, if_not_exists=True)
    if legacy:
        _migrate_refs(db, legacy)
    for table, cols in INDEXES:
        db[table].create_index(cols, if_not_exists=True)
    if without_digests:
        update_digests(db.conn, FULL)
    if not projection.in_step(db.conn):  # an archive upgraded while it holds private sources, or one out of step
        projection.switch(db.conn, projection.has_private(db.conn))
    if projection.active(db.conn) and "pub_near_duplicates" not in existing:
        # a projection kept before it had a near-duplicate index of its own: indexed now, in the
        # transaction that points the public view at it, so the view is complete once upgraded
        from .neardup import index_public
        from .store import utcnow

        index_public(db.conn, utcnow())
    fts.ensure_fts(db.conn)
    create_views(db.conn)


# Tables that refer to fragments and threads, and what SCHEMA_VERSION 2 added to them.
REF_TABLES = ("thread_parts", "sightings")
LEGACY_SUFFIX = "_v1"


def _before_digests(db: sqlite_utils.Database) -> bool:
    """An archive made before SCHEMA_VERSION 3 (no thread digests, no public projection): its public
    views would not leave out what the projection leaves out, so it is upgraded on any open."""
    return db["threads"].exists() and "digest" not in db["threads"].columns_dict


def _before_public_index(db: sqlite_utils.Database) -> bool:
    """An archive made before SCHEMA_VERSION 4 (a projection without a near-duplicate index of its
    own): while it holds a private source, its public pairs are the archive's, whose choice depends
    on the private texts indexed before (archiver/neardup.py), so it is upgraded on any open."""
    return db["threads"].exists() and not db["pub_near_duplicates"].exists()


def _legacy_ref_tables(db: sqlite_utils.Database) -> list[str]:
    """The reference tables of an archive made before rowid references (SCHEMA_VERSION 1)."""
    return [t for t in REF_TABLES if db[t].exists() and "thread_rowid" not in db[t].columns_dict]


def _rename_legacy(db: sqlite_utils.Database, tables: list[str]) -> None:
    """Move version-1 reference tables aside (their indexes dropped: the new tables reuse some names)."""
    conn = db.conn
    for (view,) in conn.execute("select name from sqlite_master where type = 'view'").fetchall():
        conn.execute(f'DROP VIEW "{view}"')  # made again by create_views; they name the tables moved
    for table in tables:
        for (index,) in conn.execute("select name from sqlite_master where type = 'index' and tbl_name = ?"
                                     " and sql is not null", [table]).fetchall():
            conn.execute(f'DROP INDEX "{index}"')
        conn.execute(f'ALTER TABLE "{table}" RENAME TO "{table}{LEGACY_SUFFIX}"')


# version-1 table -> (what its rows are, the INSERT that copies them with the rowids of what they name)
_MIGRATIONS = {
    "thread_parts": ("thread parts", """
        insert into thread_parts (thread_id, n, fragment_id, inferred, marker, conflict, author, posted_at,
                                  external_id, parent_id, url, thread_rowid, fragment_rowid)
        select p.thread_id, p.n, p.fragment_id, p.inferred, p.marker, p.conflict, p.author, p.posted_at,
               p.external_id, p.parent_id, p.url, t.rowid, f.rowid
        from thread_parts_v1 p join threads t on t.id = p.thread_id join fragments f on f.id = p.fragment_id
        order by p.rowid"""),
    "sightings": ("sightings", """
        insert into sightings (id, fragment_id, source_id, line_start, line_end, thread_id, n, fragment_rowid,
                               thread_rowid)
        select s.id, s.fragment_id, s.source_id, s.line_start, s.line_end, t.id, s.n, f.rowid, t.rowid
        from sightings_v1 s join fragments f on f.id = s.fragment_id
        left join threads t on t.id = coalesce((select a.thread_id from thread_aliases a where a.alias = s.thread_id),
                                               s.thread_id)
        where s.thread_id is null or t.rowid is not null
        order by s.id"""),
}


def _migrate_refs(db: sqlite_utils.Database, tables: list[str]) -> None:
    """Copy version-1 parts and sightings into the new tables, with the rowids of what they name.

    A sighting that names a merged-away thread is pointed at the thread it joined (as merges do
    since). A row naming a fragment or thread that does not exist stops the migration: the
    transaction is rolled back and the archive is left as it was."""
    for table in tables:
        what, sql = _MIGRATIONS[table]
        before = db.conn.execute(f'select count(*) from "{table}{LEGACY_SUFFIX}"').fetchone()[0]
        copied = db.conn.execute(sql).rowcount
        if copied != before:
            raise ArchiveError(f"not upgraded, nothing changed: {before - copied} of its {before} {what} name"
                               " a fragment or thread it lacks")
        db.conn.execute(f'DROP TABLE "{table}{LEGACY_SUFFIX}"')
