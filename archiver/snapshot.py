"""Publishable snapshots: a consistent copy of an archive holding only what the public may see.

`save_snapshot` copies the archive with SQLite's backup API (consistent even while an ingest
writes), then, in the copy only:

- every raw table is cut down to its public view (archiver/privacy.py): private sources, their
  sightings and dropped spans, fragments and threads seen only privately, their near-duplicate
  pairs and aliases are deleted, and the columns a view works out again (a fragment's first public
  source; a thread's public title, counts and dates; a part's conflict flag) take their public
  values. In the snapshot each `public_*` view then shows exactly its table;
- the full-text indexes are rebuilt from the rows kept, and the near-duplicate index
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
from .privacy import RAW_TABLES
from .stream import read_blocks
from .verify import Problem, verify_archive

# The key of each raw table, as its public view shows it (a thread part's n may be null).
KEYS: dict[str, list[str]] = {
    "sources": ["id"],
    "fragments": ["id"],
    "threads": ["id"],
    "thread_parts": ["thread_rowid", "n", "fragment_rowid"],
    "sightings": ["id"],
    "dropped": ["id"],
    "near_duplicates": ["fragment_a", "fragment_b"],
    "thread_aliases": ["alias"],
}
# The columns a public view works out again instead of showing them as stored (archiver/privacy.py);
# every other column of a row kept is the same in the view and the table.
RECOMPUTED: dict[str, list[str]] = {
    "fragments": ["first_source_id", "first_seen_at"],
    "threads": ["title", "author", "url", "total", "missing", "complete", "parts", "conflicts",
                "first_source_id", "created_at", "updated_at"],
    "thread_parts": ["conflict"],
}
DERIVED_TABLES = ("fragment_bands", "neardup_index")  # the near-duplicate index and its state


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
            conn.execute("BEGIN IMMEDIATE")
            step("keeping the public material, rebuilding the full-text indexes")
            _keep_public(conn, result)
            conn.execute("COMMIT")
            step("compacting (VACUUM)")
            conn.execute("VACUUM")
            step("verifying")
            result.problems = verify_archive(sqlite_utils.Database(conn))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as e:  # a full disk, most likely: nothing is left at dest
            raise ArchiveError(f"{dest}: the snapshot could not be written ({e})") from None
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()
        if result.problems:
            raise ArchiveError(f"the snapshot does not verify ({len(result.problems)} problems, the first: "
                               f"{result.problems[0]}); the archive itself may need `archiver verify`")
        result.sha256 = _sha256(tmp)
        result.bytes = tmp.stat().st_size
        os.replace(tmp, dest)
    finally:
        for path in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            path.unlink(missing_ok=True)
    return result


def _keep_public(conn: sqlite3.Connection, result: SnapshotResult) -> None:
    """Cut every raw table down to its public view, inside the caller's transaction."""
    # What the public may see is worked out from the raw tables, so all of it is read before any changes.
    for table in RAW_TABLES:
        cols = ", ".join(f'"{c}"' for c in KEYS[table] + RECOMPUTED.get(table, []))
        conn.execute(f'CREATE TEMP TABLE "keep_{table}" AS SELECT {cols} FROM "public_{table}"')
        conn.execute(f'CREATE INDEX temp."keep_{table}_key" ON "keep_{table}" ({", ".join(KEYS[table])})')
    # The full-text indexes are rebuilt from the rows kept: their per-row triggers are not needed meanwhile.
    for table in fts.FTS:
        for name in fts.trigger_sql(table):
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    for table in RAW_TABLES:
        match = " AND ".join(f'k."{c}" IS "{table}"."{c}"' for c in KEYS[table])
        result.removed[table] = conn.execute(
            f'DELETE FROM "{table}" WHERE NOT EXISTS (SELECT 1 FROM "keep_{table}" k WHERE {match})').rowcount
        result.kept[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        recomputed = RECOMPUTED.get(table, [])
        if recomputed:
            differs = " OR ".join(f'k."{c}" IS NOT "{table}"."{c}"' for c in recomputed)
            cur = conn.execute(
                f'UPDATE "{table}" SET ({", ".join(recomputed)}) = (SELECT {", ".join(f"k.{c}" for c in recomputed)}'
                f' FROM "keep_{table}" k WHERE {match}) WHERE EXISTS (SELECT 1 FROM "keep_{table}" k WHERE {match}'
                f" AND ({differs}))")
            result.rewritten[table] = cur.rowcount
        conn.execute(f'DROP TABLE temp."keep_{table}"')
    for table in DERIVED_TABLES:
        conn.execute(f'DELETE FROM "{table}"')
    # ANALYZE with STAT4 keeps sample index keys (ids, texts) of any row, private ones included
    for (name,) in conn.execute("select name from sqlite_master where name in ('sqlite_stat3', 'sqlite_stat4')").fetchall():
        conn.execute(f'DELETE FROM "{name}"')
    for table in fts.FTS:
        conn.execute(f'INSERT INTO "{table}_fts" ("{table}_fts") VALUES (\'rebuild\')')
        conn.execute(f"UPDATE {fts.STATE_TABLE} SET upto = (SELECT coalesce(max(rowid), 0) FROM \"{table}\")"
                     " WHERE name = ?", [table])
        for sql in fts.trigger_sql(table).values():
            conn.execute(sql)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for block in read_blocks(path):
        digest.update(block)
    return digest.hexdigest()
