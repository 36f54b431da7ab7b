"""Write transactions, the one place they begin, commit and roll back: every writer takes the
archive's write lock with BEGIN IMMEDIATE, waiting for another writer up to the connection's busy
timeout (archiver/db.py sets 30 s), then says it is busy."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import ArchiveBusy, ArchiveError


def is_busy(e: sqlite3.Error) -> bool:
    """True when SQLite refused because another connection holds a lock (SQLITE_BUSY, `database is locked`)."""
    name = getattr(e, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_BUSY") or "database is locked" in str(e)


def busy_error(conn: sqlite3.Connection | None, e: sqlite3.Error | None = None) -> ArchiveBusy:
    """The ArchiveBusy for a connection that waited its busy timeout in vain (naming its database file)."""
    waited, path = 30.0, None
    if conn is not None:
        try:
            waited = conn.execute("pragma busy_timeout").fetchone()[0] / 1000
            path = conn.execute("pragma database_list").fetchone()[2] or None
        except sqlite3.Error:  # the connection itself failed: the message keeps the default figures
            pass
    return ArchiveBusy(waited, path)


def begin_immediate(conn: sqlite3.Connection) -> None:
    """Begin a write transaction: the write lock taken now (waiting for another writer up to the busy
    timeout), ArchiveBusy when it stays taken, ArchiveError for any other refusal."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        if is_busy(e):
            raise busy_error(conn, e) from None
        raise ArchiveError(f"cannot start a write transaction: {e}") from None


def commit(conn: sqlite3.Connection) -> None:
    """Commit the open write transaction."""
    conn.execute("COMMIT")


def rollback(conn: sqlite3.Connection) -> None:
    """Undo the open write transaction, if one is still open (a failed statement may have ended it)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction around a block: begun (`begin_immediate`), committed when the block ends,
    rolled back when it raises. A block that wrote nothing (a source archived already) commits nothing."""
    begin_immediate(conn)
    try:
        yield
    except BaseException:
        rollback(conn)
        raise
    commit(conn)
