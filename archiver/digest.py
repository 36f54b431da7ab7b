"""A digest of each thread's structure, kept by the writer and checked by `archiver verify`.

The digest covers what a thread is: its title, author and total, each part's number and fragment,
and each sighting (fragment, source, lines, number). The writer stores it whenever it stores or
changes a thread (a new thread, parts added, a merge, a renumbering, a refresh), in both table
sets (archiver/tableset.py); `verify` works it out again from the rows and names every thread
whose rows no longer give the digest kept: a deleted or renumbered part, a deleted or moved
sighting, a forged title or author.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator

from .tableset import TableSet

Part = tuple  # (n, fragment_id)
Sighting = tuple  # (fragment_id, source_id, line_start, line_end, n)


def _key(row: tuple) -> tuple:
    # None sorts first, as SQLite orders it; the types within a column never mix otherwise
    return tuple((v is not None, v if v is not None else 0) for v in row)


def thread_digest(title: str | None, author: str | None, total: int | None, parts: Iterable[Part],
                  sightings: Iterable[Sighting]) -> str:
    """The digest of a thread with this header, these parts and these sightings (in any order)."""
    body = repr((title or "", author, total, sorted(parts, key=_key), sorted(sightings, key=_key)))
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def stored_digests(conn: sqlite3.Connection, tables: TableSet, rowids: list[int] | None = None
                   ) -> Iterator[tuple[int, str, str | None, str]]:
    """(rowid, id, digest kept, digest the rows give) of every thread, or of the threads with these rowids.

    The threads, their parts and their sightings are read in thread rowid order side by side (the
    parts' primary key and an index on sightings give that order): one pass, whatever the size."""
    where, params = "", []
    if rowids is not None:
        if not rowids:
            return
        where = " where {} in (select value from json_each(?))"
        params = [json.dumps(sorted(set(rowids)))]
    heads = conn.execute(f"select rowid, id, title, author, total, digest from {tables.threads}"
                         f"{where.format('rowid')} order by rowid", params)
    parts = _groups(conn.execute(f"select thread_rowid, n, fragment_id from {tables.parts}"
                                 f"{where.format('thread_rowid')} order by thread_rowid", params))
    sightings = _groups(conn.execute(f"select thread_rowid, fragment_id, source_id, line_start, line_end, n"
                                     f" from {tables.sightings}{where.format('thread_rowid')}"
                                     " order by thread_rowid", params))
    for rowid, tid, title, author, total, kept in heads:
        yield rowid, tid, kept, thread_digest(title, author, total, parts.take(rowid), sightings.take(rowid))


class _groups:
    """Rows ordered by their first value, taken a group at a time in ascending order of it."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self.rows = iter(rows)
        self.head = next(self.rows, None)

    def take(self, key: int) -> list[tuple]:
        """The rows whose first value is `key` (those before it, of no thread asked for, are passed over)."""
        out = []
        while self.head is not None and (self.head[0] is None or self.head[0] <= key):
            if self.head[0] == key:
                out.append(self.head[1:])
            self.head = next(self.rows, None)
        return out


def update_digests(conn: sqlite3.Connection, tables: TableSet, rowids: list[int] | None = None) -> int:
    """Store the digest the rows give for these threads (every thread when None); returns how many changed."""
    changed = [(want, rowid) for rowid, _, kept, want in stored_digests(conn, tables, rowids) if kept != want]
    conn.executemany(f"update {tables.threads} set digest = ? where rowid = ?", changed)
    return len(changed)
