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

Public and private search. While the archive holds nothing private, the two indexes above are all
there is, and everybody searches them. From its first private source on (archiver/projection.py)
the archive keeps two more, and the names move so that what the public searches keeps its name:
`fragments_fts` and `threads_fts` then index the public projection only (the fragments seen in a
public source, through the view `public_fragments`, and `pub_threads`), so that their ranking
statistics (bm25's document counts and lengths) hold nothing private; the indexes of everything,
for signed-in readers, are renamed `fragments_all_fts` and `threads_all_fts` (FTS5 renames its
shadow tables with them). The metadata and the canned queries name `fragments_fts`/`threads_fts`
for the public views; a reader's canned queries are rewritten to the `_all` indexes
(plugins/visitor_access.py), and Datasette finds a raw table's index by its `content=` option. A public
fragment's rowid is not in insertion order (a fragment seen privately first becomes public
later), so the public fragment index follows `pub_fragments.seq` instead.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

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
PROJECTION_STATE = "select value = 'on' from archive_state where name = 'projection'"


@dataclass(frozen=True)
class Index:
    """One full-text index: its name, what it indexes and how the rows still to index are found."""

    name: str  # the FTS5 table
    table: str  # the table whose rows it indexes: its row in STATE_TABLE, and its triggers
    content: str  # the FTS5 `content=` table or view (read for snippets and integrity checks)
    columns: tuple[str, ...]
    # the rows added since the mark, (rowid, columns...), and the mark to move to; `?` is the mark
    pending: str = ""
    top: str = ""
    triggers: bool = True  # updates and deletes of `table` kept in step by triggers

    def pending_sql(self) -> str:
        """SELECT rowid and the indexed columns of the rows past the mark."""
        cols = ", ".join(f'"{c}"' for c in self.columns)
        return self.pending or f'SELECT rowid, {cols} FROM "{self.table}" WHERE rowid > ?'

    def top_sql(self) -> str:
        """The mark once every row is indexed."""
        return self.top or f'SELECT coalesce(max(rowid), 0) FROM "{self.table}"'

    def create_sql(self) -> str:
        """The CREATE VIRTUAL TABLE statement."""
        return (f'CREATE VIRTUAL TABLE "{self.name}" USING FTS5 ({_cols(self.columns)}, '
                f"tokenize='{TOKENIZE}', content=\"{self.content}\")")


DIRECT = (Index("fragments_fts", "fragments", "fragments", ("text",)),
          Index("threads_fts", "threads", "threads", ("title", "author")))
PROJECTED = (
    Index("fragments_all_fts", "fragments", "fragments", ("text",)),
    Index("threads_all_fts", "threads", "threads", ("title", "author")),
    Index("fragments_fts", "pub_fragments", "public_fragments", ("text",),
          pending="SELECT f.rowid, f.text FROM pub_fragments p JOIN fragments f ON f.rowid = p.fragment_rowid"
                  " WHERE p.seq > ?",
          top="SELECT coalesce(max(seq), 0) FROM pub_fragments", triggers=False),
    Index("threads_fts", "pub_threads", "pub_threads", ("title", "author")),
)
# the index of everything under its name in each mode
ALL_INDEX = {"fragments": {False: "fragments_fts", True: "fragments_all_fts"},
             "threads": {False: "threads_fts", True: "threads_all_fts"}}


def projected(conn: sqlite3.Connection) -> bool:
    """True while the archive keeps its public projection (archiver/projection.py)."""
    try:
        row = conn.execute(PROJECTION_STATE).fetchone()
    except sqlite3.OperationalError:  # no archive_state table: an archive made before it, or a bare test table
        return False
    return bool(row and row[0])


def indexes(conn: sqlite3.Connection, is_projected: bool | None = None) -> tuple[Index, ...]:
    """The full-text indexes the archive keeps in its current mode (or in the mode given)."""
    return PROJECTED if (projected(conn) if is_projected is None else is_projected) else DIRECT


def _cols(columns, prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{c}"' for c in columns)


def trigger_sql(index: Index | str) -> dict[str, str]:
    """The CREATE TRIGGER statements that keep an index in step with updates and deletes of its table
    (given a table name: the direct-mode index of that table)."""
    if isinstance(index, str):
        index = next(i for i in DIRECT if i.table == index)
    if not index.triggers:
        return {}
    table, fts, cols = index.table, index.name, _cols(index.columns)
    indexed = f"old.rowid <= (select upto from {STATE_TABLE} where name = '{table}')"
    # an update that leaves the indexed columns alone (part counts, timestamps) does not touch the index
    return {
        f"{table}_au": (
            f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {cols} ON "{table}" WHEN {indexed} BEGIN\n'
            f'  INSERT INTO "{fts}" ("{fts}", rowid, {cols}) VALUES(\'delete\', old.rowid, {_cols(index.columns, "old.")});\n'
            f'  INSERT INTO "{fts}" (rowid, {cols}) VALUES (new.rowid, {_cols(index.columns, "new.")});\n'
            "END"),
        f"{table}_ad": (
            f'CREATE TRIGGER "{table}_ad" AFTER DELETE ON "{table}" WHEN {indexed} BEGIN\n'
            f'  INSERT INTO "{fts}" ("{fts}", rowid, {cols}) VALUES(\'delete\', old.rowid, {_cols(index.columns, "old.")});\n'
            f"  UPDATE {STATE_TABLE} SET upto = coalesce((select max(rowid) from \"{table}\" where rowid < old.rowid), 0)"
            f" WHERE name = '{table}' AND upto = old.rowid;\n"
            "END"),
    }


def _all_triggers() -> set[str]:
    return {name for index in DIRECT + PROJECTED for name in trigger_sql(index)}


def _settings(conn: sqlite3.Connection, name: str) -> dict[str, int]:
    """The `SETTINGS` options an index holds (an index made before they were set holds none); given a
    table name, its direct-mode index's."""
    if not name.endswith("_fts"):
        name = f"{name}_fts"
    names = ", ".join("?" * len(SETTINGS))
    return dict(conn.execute(f'select k, v from "{name}_config" where k in ({names})', list(SETTINGS)))


def _content(sql: str | None) -> str | None:
    """The content= option of a CREATE VIRTUAL TABLE statement."""
    if not sql or "content=" not in sql:
        return None
    return sql.split("content=", 1)[1].split(")")[0].split(",")[0].strip().strip('"[]\'')


def fts_current(conn: sqlite3.Connection) -> bool:
    """True when every FTS index of the archive's mode, its state row, its current triggers and its
    `SETTINGS` exist (and no index, trigger or state row of the other mode, nor an older trigger)."""
    rows = dict(conn.execute("select name, sql from sqlite_master where type in ('table', 'trigger')").fetchall())
    if STATE_TABLE not in rows:
        return False
    marked = {r[0] for r in conn.execute(f"select name from {STATE_TABLE}")}
    wanted = indexes(conn)
    if marked != {i.table for i in wanted}:
        return False
    triggers: dict[str, str] = {}
    for index in wanted:
        if _content(rows.get(index.name)) != index.content:
            return False
        triggers.update(trigger_sql(index))
        if _settings(conn, index.name) != SETTINGS:
            return False
    names = {i.name for i in DIRECT + PROJECTED} - {i.name for i in wanted}
    if any(name in rows for name in names):
        return False
    if any(f"{t}_{old}" in rows for t in FTS for old in ("ai",)):
        return False
    present = {name for name in rows if name in _all_triggers()}
    return present == set(triggers) and all(rows.get(name) == sql for name, sql in triggers.items())


def ensure_fts(conn: sqlite3.Connection) -> None:
    """Create or bring up to date the FTS indexes of the archive's mode, their triggers, settings and
    state; inside the caller's transaction.

    An index kept by the older per-row triggers is complete: it keeps its rows and is marked indexed
    up to its table's last row. An index missing, or found without its triggers (a run killed before
    this was atomic), is made again empty and filled by `update_fts`. On a change of mode
    (archiver/projection.py) the index of everything is renamed, never rebuilt; the public
    indexes are made and filled, or dropped.
    """
    conn.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (name TEXT PRIMARY KEY, upto INTEGER NOT NULL)")
    wanted = indexes(conn)
    rows = dict(conn.execute("select name, sql from sqlite_master where type in ('table', 'trigger')").fetchall())
    marked = {r[0] for r in conn.execute(f"select name from {STATE_TABLE}")}
    complete_before = {}
    for table in FTS:  # sqlite-utils' per-row triggers: the index is complete, the triggers go
        complete_before[table] = f"{table}_fts" in rows and all(f"{table}_{t}" in rows for t in OLD_TRIGGERS)
        for name in (f"{table}_{t}" for t in OLD_TRIGGERS):
            if name in rows:
                conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    for name in _all_triggers():  # made again below, naming the indexes of this mode
        if name in rows:
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    # Indexes of the other mode: the index of everything is renamed to this mode's name (after the
    # public index that had that name is dropped), a public one dropped.
    moves = []
    for name in sorted({i.name for i in DIRECT + PROJECTED}):
        content = _content(rows.get(name))
        if name not in rows or any(w.name == name and w.content == content for w in wanted):
            continue
        target = next((w for w in wanted if w.content == content and w.name != name), None)
        if target is not None:
            moves.append((name, target))
        else:
            conn.execute(f'DROP TABLE "{name}"')
            del rows[name]
    for name, target in moves:
        if target.name in rows:  # kept already under its own name: this one is a stray copy
            conn.execute(f'DROP TABLE "{name}"')
        else:
            conn.execute(f'ALTER TABLE "{name}" RENAME TO "{target.name}"')
            rows[target.name] = target.create_sql()
        del rows[name]
    for table in marked - {i.table for i in wanted}:
        conn.execute(f"DELETE FROM {STATE_TABLE} WHERE name = ?", [table])
    for index in wanted:
        present = index.name in rows and _content(rows[index.name]) == index.content
        if not present or index.table not in marked:
            upto = 0
            if present and complete_before.get(index.table):
                upto = conn.execute(index.top_sql()).fetchone()[0]
            else:
                conn.execute(f'DROP TABLE IF EXISTS "{index.name}"')
                conn.execute(index.create_sql())
            conn.execute(f"INSERT OR REPLACE INTO {STATE_TABLE} (name, upto) VALUES (?, ?)", [index.table, upto])
        for sql in trigger_sql(index).values():
            conn.execute(sql)
        if _settings(conn, index.name) != SETTINGS:
            for name, value in SETTINGS.items():
                conn.execute(f'INSERT INTO "{index.name}" ("{index.name}", rank) VALUES (?, ?)', [name, value])
    update_fts(conn)


def update_fts(conn: sqlite3.Connection) -> None:
    """Index the rows added since the last call, inside the caller's write transaction."""
    marks = dict(conn.execute(f"select name, upto from {STATE_TABLE}").fetchall())
    for index in indexes(conn):
        upto = marks.get(index.table)
        if upto is None:
            continue
        top = conn.execute(index.top_sql()).fetchone()[0]
        if top <= upto:
            continue
        conn.execute(f'INSERT INTO "{index.name}" (rowid, {_cols(index.columns)}) {index.pending_sql()}', [upto])
        conn.execute(f"UPDATE {STATE_TABLE} SET upto = ? WHERE name = ?", [top, index.table])


def reset_index(conn: sqlite3.Connection, index: Index) -> None:
    """Empty an index and its mark, inside the caller's transaction (its table is about to be
    written again from nothing: archiver/projection.py)."""
    conn.execute(f'INSERT INTO "{index.name}" ("{index.name}") VALUES (\'delete-all\')')
    conn.execute(f"UPDATE {STATE_TABLE} SET upto = 0 WHERE name = ?", [index.table])


def pending_fts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per indexed table not in its full-text index yet (added by a write that did not call update_fts)."""
    out = {}
    marks = dict(conn.execute(f"select name, upto from {STATE_TABLE}").fetchall())
    for index in indexes(conn):
        upto = marks.get(index.table, 0)
        out[index.table] = conn.execute(f"select count(*) from ({index.pending_sql()})", [upto]).fetchone()[0]
    return out
