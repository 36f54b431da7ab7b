"""Publishable snapshots: a consistent copy of an archive holding only what the public may see.

`save_snapshot` copies the archive with SQLite's backup API (consistent even while an ingest
writes), then, in the copy only:

- every raw table becomes its public view (archiver/public_views.py): the copy is the archive that the
  public sources alone would give. While the archive holds a private source, its threads, parts,
  sightings, aliases and near-duplicate pairs are replaced by the public projection's
  (archiver/projection.py; the pairs with their public date); private sources, their dropped
  spans and records and fragments seen only privately are deleted, and the columns a view works
  out again (a fragment's first public source, kind and date) take their public values. The
  projection (its near-duplicate index too) is emptied. In the snapshot each `public_*` view then
  shows exactly its table;
- the full-text indexes are made again from the rows kept (the indexes of an archive with
  nothing private: no index of private text is left), and the near-duplicate index
  (`fragment_bands`, about a quarter of a large archive) is emptied: readers never use it, and
  the next ingest into the file rebuilds it;
- the file is vacuumed (no free page keeps deleted text), checked with `verify_archive`, and
  left in rollback-journal mode, a single file ready for `datasette serve -i` and
  `datasette publish` / `datasette package`.

The snapshot is written next to its destination and renamed into place only when complete.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import fts
from .db import open_db
from .errors import ArchiveError
from .public_views import RAW_TABLES, create_views
from .stream import read_blocks
from .txn import write_transaction
from .verify import Problem, verify_archive
from .wording import plural

# The key of each raw table, what names a row in both the archive and its public view (a thread
# part's n may be null; the projection's parts and sightings have rowids of their own).
KEYS: dict[str, list[str]] = {
    "sources": ["id"],
    "fragments": ["id"],
    "threads": ["id"],
    "thread_parts": ["thread_id", "n", "fragment_id"],
    "sightings": ["fragment_id", "source_id", "line_start", "line_end"],
    "dropped": ["id"],
    "near_duplicates": ["fragment_a", "fragment_b"],
    "thread_aliases": ["alias"],
}
# Tables whose rows the public projection holds (archiver/projection.py): replaced by the view's rows.
# (The projection's near-duplicate pairs are its own index's, not a subset of the archive's.)
REPLACED = ("threads", "thread_parts", "sightings", "thread_aliases", "near_duplicates")
UNCOMPARED = {"id", "thread_rowid", "fragment_rowid"}  # rowids of the projection: not what a row says
# The columns of a table kept in place that its public view works out again; every other column of
# a row kept is the same in the view and the table.
RECOMPUTED: dict[str, list[str]] = {
    "fragments": ["kind", "first_source_id", "first_seen_at"],
}
DERIVED_TABLES = ("fragment_bands", "neardup_index")  # the near-duplicate index and its state
PROJECTION_TABLES = ("pub_threads", "pub_thread_parts", "pub_sightings", "pub_thread_aliases", "pub_fragments",
                     "pub_fragment_bands", "pub_near_duplicates")


@dataclass
class SnapshotResult:
    """What a snapshot holds and what it left out."""

    path: str
    sha256: str = ""
    bytes: int = 0
    source_bytes: int = 0  # the archive's file (and WAL) when the copy began
    kept: dict[str, int] = field(default_factory=dict)  # rows per raw table
    removed: dict[str, int] = field(default_factory=dict)  # rows per raw table left out as private
    rewritten: dict[str, int] = field(default_factory=dict)  # rows kept with public values put in
    problems: list[Problem] = field(default_factory=list)  # verify_archive on the snapshot

    def to_json(self) -> dict:
        """The result as plain JSON values."""
        return {"path": self.path, "sha256": self.sha256, "bytes": self.bytes, "source_bytes": self.source_bytes,
                "kept": self.kept, "removed": self.removed, "rewritten": self.rewritten,
                "ok": not self.problems, "problems": [p.to_json() for p in self.problems]}


def save_snapshot(db_path: str | Path, dest: str | Path, replace: bool = False,
                  progress: Callable[[str], None] | None = None) -> SnapshotResult:
    """Write a publishable copy of the archive at db_path to dest (see the module docstring);
    `progress` is told each step as it begins (a million-fragment archive takes about a minute)."""
    step = progress or (lambda _: None)
    src, dest = Path(db_path), Path(dest)
    if dest.exists() and dest.resolve() == src.resolve():
        raise ArchiveError(f"{dest}: the snapshot must be a new file, not the archive itself")
    if dest.is_dir():
        raise ArchiveError(f"{dest}: is a folder; give the snapshot's file name")
    if dest.exists() and not replace:
        raise ArchiveError(f"{dest}: already exists (use --replace to overwrite it)")
    source = open_db(src, create=False, upgrade=False)  # the archive itself is only read (the copy is upgraded)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    result = SnapshotResult(path=str(dest))
    result.source_bytes = sum(p.stat().st_size for p in (src, Path(f"{src}-wal")) if p.exists())
    try:
        step("copying the archive")
        copy = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.conn.backup(copy)
        except sqlite3.DatabaseError as e:
            raise ArchiveError(f"{src}: cannot be copied ({e})") from None
        finally:
            source.conn.close()
            copy.close()
        snapshot = open_db(tmp)  # brings an archive made by an older version up to date (views, FTS)
        conn = snapshot.conn
        try:
            # deleted rows' bytes overwritten, not only unlinked (some SQLite builds default to it, not all)
            conn.execute("PRAGMA secure_delete = ON")
            with write_transaction(conn):
                step("keeping the public material, rebuilding the full-text indexes")
                _keep_public(conn, result)
            step("compacting (VACUUM)")
            conn.execute("VACUUM")
            step("verifying")
            result.problems = verify_archive(sqlite_utils.Database(conn))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as e:  # a full disk, most likely: nothing is left at dest
            raise ArchiveError(f"{dest}: the snapshot could not be written ({e})") from None
        finally:
            conn.close()
        if result.problems:
            raise ArchiveError(f"the snapshot does not verify ({plural(len(result.problems), 'problem')}, the first: "
                               f"{result.problems[0]}); the archive itself may need `archiver verify`")
        result.sha256 = _sha256(tmp)
        result.bytes = tmp.stat().st_size
        os.replace(tmp, dest)
    finally:
        for path in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            path.unlink(missing_ok=True)
    return result


def _keep_public(conn: sqlite3.Connection, result: SnapshotResult) -> None:
    """Make the copy the public archive, inside the caller's transaction: each raw table becomes its
    public view, and the full-text indexes index it (see the module docstring)."""
    on = fts.projected(conn)
    # What the public may see is read from the views before anything changes.
    for table in RAW_TABLES:
        if table in REPLACED:
            cols = ", ".join(f'"{c}"' for c in _columns(conn, table))
            rowid = '"rowid", ' if table == "threads" else ""
            conn.execute(f'CREATE TEMP TABLE "keep_{table}" AS SELECT {rowid}{cols} FROM "public_{table}"')
        else:
            cols = ", ".join(f'"{c}"' for c in KEYS[table] + RECOMPUTED.get(table, []))
            conn.execute(f'CREATE TEMP TABLE "keep_{table}" AS SELECT {cols} FROM "public_{table}"')
        conn.execute(f'CREATE INDEX temp."keep_{table}_key" ON "keep_{table}" ({", ".join(KEYS[table])})')
    # The full-text indexes are made again from the rows kept: none is kept meanwhile.
    for (name,) in conn.execute("select name from sqlite_master where type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    for index in fts.DIRECT + fts.PROJECTED:
        conn.execute(f'DROP TABLE IF EXISTS "{index.name}"')
    conn.execute(f"DELETE FROM {fts.STATE_TABLE}")
    for table in RAW_TABLES:
        match = " AND ".join(f'k."{c}" IS "{table}"."{c}"' for c in KEYS[table])
        if table in REPLACED:
            result.removed[table] = result.rewritten[table] = 0
            if on:  # the projection's rows take the place of the archive's
                cols = [c for c in _columns(conn, table)]
                compared = [c for c in cols if c not in UNCOMPARED]
                result.removed[table] = conn.execute(
                    f'SELECT count(*) FROM "{table}" WHERE NOT EXISTS (SELECT 1 FROM "keep_{table}" k WHERE {match})'
                ).fetchone()[0]
                differs = " OR ".join(f'k."{c}" IS NOT "{table}"."{c}"' for c in compared)
                result.rewritten[table] = conn.execute(
                    f'SELECT count(*) FROM "{table}" WHERE EXISTS (SELECT 1 FROM "keep_{table}" k WHERE {match}'
                    f" AND ({differs}))").fetchone()[0]
                names = ", ".join(f'"{c}"' for c in cols)
                rowid = '"rowid", ' if table == "threads" else ""
                conn.execute(f'DELETE FROM "{table}"')
                conn.execute(f'INSERT INTO "{table}" ({rowid}{names}) SELECT {rowid}{names} FROM "keep_{table}"'
                             f" ORDER BY {'rowid' if table == 'threads' else KEYS[table][0]}")
        else:
            result.removed[table] = conn.execute(
                f'DELETE FROM "{table}" WHERE NOT EXISTS (SELECT 1 FROM "keep_{table}" k WHERE {match})').rowcount
            recomputed = RECOMPUTED.get(table, [])
            if recomputed:
                differs = " OR ".join(f'k."{c}" IS NOT "{table}"."{c}"' for c in recomputed)
                cur = conn.execute(
                    f'UPDATE "{table}" SET ({", ".join(recomputed)}) = (SELECT {", ".join(f"k.{c}" for c in recomputed)}'
                    f' FROM "keep_{table}" k WHERE {match}) WHERE EXISTS (SELECT 1 FROM "keep_{table}" k WHERE {match}'
                    f" AND ({differs}))")
                result.rewritten[table] = cur.rowcount
        result.kept[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        conn.execute(f'DROP TABLE temp."keep_{table}"')
    # What a private source said, and the projection itself (now the archive's own tables)
    conn.execute("DELETE FROM source_records WHERE source_id NOT IN (SELECT id FROM sources)")
    for table in PROJECTION_TABLES:
        conn.execute(f'DELETE FROM "{table}"')
    conn.execute("INSERT OR REPLACE INTO archive_state (name, value) VALUES ('projection', 'off')")
    for table in DERIVED_TABLES:
        conn.execute(f'DELETE FROM "{table}"')
    # ANALYZE with STAT4 keeps sample index keys (ids, texts) of any row, private ones included
    for (name,) in conn.execute("select name from sqlite_master where name in ('sqlite_stat3', 'sqlite_stat4')").fetchall():
        conn.execute(f'DELETE FROM "{name}"')
    create_views(conn)
    fts.ensure_fts(conn)  # the indexes of an archive with nothing private, filled from the rows kept


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'pragma table_info("{table}")')]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for block in read_blocks(path):
        digest.update(block)
    return digest.hexdigest()
