"""The full-text indexes (FTS5): written once per transaction by the writer, kept in step by triggers.

Each table in `FTS` has an external-content FTS5 index `<table>_fts`. New rows are not indexed by
an AFTER INSERT trigger: every write transaction that adds rows ends with `update_fts`, which
indexes the rows added since the last one in one INSERT ... SELECT per table, and moves the mark
in `fts_indexed` (rows with rowid <= `upto` are in the index). Readers only ever see committed
transactions, so a search never misses a committed row.

Why not a trigger per insert: an FTS5 index writes its pending terms out as a new segment at the
end of every statement that touches it, so a trigger turned each multi-row INSERT (a few hundred
rows from one dump) into one small segment to be merged again and again, and a statement firing a
trigger keeps a statement journal: every index page it touched was copied to a temporary file
first. Both grew with the archive (the 1M scale corpus, /proc/self/io of the ingest: 25.5 GB
written for a 1.4 GB database with these triggers and a savepoint per source; 5.8 GB without
either, docs/performance.md).

Each index keeps `SETTINGS` (FTS5 configuration options, stored in its `%_config` table): a pending
buffer of 16 MiB instead of 1 MiB, so that one transaction's rows make one segment rather than one
per megabyte of terms, and segments merged 16 at a time instead of 4. Merging is the part of
indexing that grows faster than the archive (every row is rewritten once per merge level): with
both, indexing the 1M scale corpus commit by commit took 4.7 s instead of 8.2 (the 100k corpus 0.42
instead of 0.55), and a search still reads at most 16 segments per level (docs/performance.md).

Updates and deletes still go through triggers (`<table>_au`, `<table>_ad`), guarded so that they
only touch rows already indexed: a row added and changed in the same transaction is indexed once,
as it stands at `update_fts`. Deleting the last indexed row moves the mark back, so that a new row
given the same rowid is indexed. A write path that adds rows without calling `update_fts` leaves
them for the next one (any ingest); `archiver verify` reports rows waiting.
"""

from __future__ import annotations

import sqlite3

# table -> indexed columns
FTS: dict[str, list[str]] = {
    "fragments": ["text"],
    "threads": ["title", "author"],
}
TOKENIZE = "unicode61 remove_diacritics 2"
STATE_TABLE = "fts_indexed"
OLD_TRIGGERS = ("ai", "au", "ad")  # sqlite-utils' enable_fts(create_triggers=True) triggers
# FTS5 options each index keeps (see the module docstring): bytes of pending terms before a segment is
# written, and how many segments of one level are merged together (FTS5's defaults: 1 MiB and 4)
SETTINGS: dict[str, int] = {"hashsize": 16 * 1024 * 1024, "automerge": 16}


def _cols(table: str, prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{c}"' for c in FTS[table])


def trigger_sql(table: str) -> dict[str, str]:
    """The CREATE TRIGGER statements that keep `table`'s index in step with updates and deletes."""
    fts, cols = f"{table}_fts", _cols(table)
    indexed = f"old.rowid <= (select upto from {STATE_TABLE} where name = '{table}')"
    # an update that leaves the indexed columns alone (part counts, timestamps) does not touch the index
    return {
        f"{table}_au": (
            f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {cols} ON "{table}" WHEN {indexed} BEGIN\n'
            f'  INSERT INTO "{fts}" ("{fts}", rowid, {cols}) VALUES(\'delete\', old.rowid, {_cols(table, "old.")});\n'
            f'  INSERT INTO "{fts}" (rowid, {cols}) VALUES (new.rowid, {_cols(table, "new.")});\n'
            "END"),
        f"{table}_ad": (
            f'CREATE TRIGGER "{table}_ad" AFTER DELETE ON "{table}" WHEN {indexed} BEGIN\n'
            f'  INSERT INTO "{fts}" ("{fts}", rowid, {cols}) VALUES(\'delete\', old.rowid, {_cols(table, "old.")});\n'
            f"  UPDATE {STATE_TABLE} SET upto = coalesce((select max(rowid) from \"{table}\" where rowid < old.rowid), 0)"
            f" WHERE name = '{table}' AND upto = old.rowid;\n"
            "END"),
    }


def _settings(conn: sqlite3.Connection, table: str) -> dict[str, int]:
    """The `SETTINGS` options an index holds (an index made before they were set holds none)."""
    names = ", ".join("?" * len(SETTINGS))
    return dict(conn.execute(f'select k, v from "{table}_fts_config" where k in ({names})', list(SETTINGS)))


def fts_current(conn: sqlite3.Connection) -> bool:
    """True when every FTS index, its state row, its current triggers and its `SETTINGS` exist (and
    no older trigger)."""
    rows = dict(conn.execute("select name, sql from sqlite_master where type in ('table', 'trigger')").fetchall())
    if STATE_TABLE not in rows:
        return False
    marked = {r[0] for r in conn.execute(f"select name from {STATE_TABLE}")}
    for table in FTS:
        if f"{table}_fts" not in rows or table not in marked or f"{table}_ai" in rows:
            return False
        if any(rows.get(name) != sql for name, sql in trigger_sql(table).items()):
            return False
        if _settings(conn, table) != SETTINGS:
            return False
    return True


def ensure_fts(conn: sqlite3.Connection) -> None:
    """Create or bring up to date the FTS indexes, their triggers, settings and state; inside the
    caller's transaction.

    An index kept by the older per-row triggers is complete: it keeps its rows and is marked indexed
    up to its table's last row. An index missing, or found without its triggers (a run killed before
    this was atomic), is made again empty and filled by `update_fts`.
    """
    conn.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (name TEXT PRIMARY KEY, upto INTEGER NOT NULL)")
    names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'trigger')")}
    marked = {r[0] for r in conn.execute(f"select name from {STATE_TABLE}")}
    for table in FTS:
        fts = f"{table}_fts"
        complete_before = fts in names and all(f"{table}_{t}" in names for t in OLD_TRIGGERS)
        for name in (f"{table}_{t}" for t in OLD_TRIGGERS):
            if name in names:
                conn.execute(f'DROP TRIGGER "{name}"')
        if table not in marked or fts not in names:
            upto = 0
            if complete_before:
                upto = conn.execute(f'select coalesce(max(rowid), 0) from "{table}"').fetchone()[0]
            else:
                conn.execute(f'DROP TABLE IF EXISTS "{fts}"')
                conn.execute(f'CREATE VIRTUAL TABLE "{fts}" USING FTS5 ({_cols(table)}, '
                             f"tokenize='{TOKENIZE}', content=\"{table}\")")
            conn.execute(f"INSERT OR REPLACE INTO {STATE_TABLE} (name, upto) VALUES (?, ?)", [table, upto])
        for sql in trigger_sql(table).values():
            conn.execute(sql)
        if _settings(conn, table) != SETTINGS:
            for name, value in SETTINGS.items():
                conn.execute(f'INSERT INTO "{fts}" ("{fts}", rank) VALUES (?, ?)', [name, value])
    update_fts(conn)


def update_fts(conn: sqlite3.Connection) -> None:
    """Index the rows added since the last call, inside the caller's write transaction."""
    for table in FTS:
        upto = conn.execute(f"select upto from {STATE_TABLE} where name = ?", [table]).fetchone()[0]
        top = conn.execute(f'select coalesce(max(rowid), 0) from "{table}"').fetchone()[0]
        if top <= upto:
            continue
        cols = _cols(table)
        conn.execute(f'INSERT INTO "{table}_fts" (rowid, {cols}) SELECT rowid, {cols} FROM "{table}"'
                     " WHERE rowid > ?", [upto])
        conn.execute(f"UPDATE {STATE_TABLE} SET upto = ? WHERE name = ?", [top, table])


def pending_fts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table not in its full-text index yet (added by a write that did not call update_fts)."""
    out = {}
    for table in FTS:
        row = conn.execute(f"select upto from {STATE_TABLE} where name = ?", [table]).fetchone()
        upto = row[0] if row else 0
        out[table] = conn.execute(f'select count(*) from "{table}" where rowid > ?', [upto]).fetchone()[0]
    return out
