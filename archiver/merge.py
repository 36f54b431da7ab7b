"""Cross-dump thread merging: parts of one thread captured in several dumps become one thread.

A thread is reconstructed from each dump on its own, and its id is a hash of what that dump shows
(kind, author, total, first post present). Two dumps of the same thread that start at different
parts therefore give two ids. After a dump's thread is stored, `merge_related` looks for stored
threads that share a part text with it and agree with it:

- both are threads (a lone post may join a thread it is a part of; articles never merge: agencies
  reuse paragraphs across different articles);
- the authors are equal or one is unknown, the totals are equal or one is unknown;
- the shared texts sit at the same part number when both threads are numbered, or at one
  consistent offset when either numbering was inferred from position (the inferred side is
  renumbered to fit).

Merging keeps every part and every sighting. Two different texts claiming one part number both stay
(`thread_parts.conflict`, `threads.conflicts`); nothing is overwritten. The merged thread takes the
smaller of the two ids, so the result does not depend on which dump came first, and the other id
becomes an alias (`thread_aliases`) that `queries.resolve_thread_id` and the web page follow.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Thread, thread_title
from .normalize import fragment_id, normalize_text
from .tableset import FULL, TableSet

MERGEABLE_KINDS = ("thread", "post")
PART_COLUMNS = ("inferred", "marker", "author", "posted_at", "external_id", "parent_id", "url")


@dataclass
class _Stored:
    id: str
    kind: str
    author: str | None
    total: int | None
    numbered: bool
    parts: dict[str, set[int]] = field(default_factory=dict)  # fragment id -> part numbers


def resolve(conn: sqlite3.Connection, thread_id: str, tables: TableSet = FULL) -> str | None:
    """The live thread id for an id or an alias left by a merge; None when neither is known."""
    if conn.execute(f"select 1 from {tables.threads} where id = ?", [thread_id]).fetchone():
        return thread_id
    row = conn.execute(f"select thread_id from {tables.aliases} where alias = ?", [thread_id]).fetchone()
    return row[0] if row else None


def thread_rowid(conn: sqlite3.Connection, thread_id: str, tables: TableSet = FULL) -> int | None:
    """The rowid of a stored thread (parts and sightings are indexed by it), None when there is none."""
    row = conn.execute(f"select rowid from {tables.threads} where id = ?", [thread_id]).fetchone()
    return row[0] if row else None


def _load(conn: sqlite3.Connection, thread_id: str, tables: TableSet = FULL) -> _Stored | None:
    row = conn.execute(f"select kind, author, total, rowid from {tables.threads} where id = ?", [thread_id]).fetchone()
    if row is None:
        return None
    t = _Stored(thread_id, row[0], row[1], row[2], row[2] is not None)
    for n, fid, inferred in conn.execute(f"select n, fragment_id, inferred from {tables.parts} where thread_rowid = ?",
                                         [row[3]]):
        if not inferred:
            t.numbered = True
        if n is not None:
            t.parts.setdefault(fid, set()).add(n)
    return t


def _same_author(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    return a.strip().lstrip("@").casefold() == b.strip().lstrip("@").casefold()


def alignment(a: _Stored, b: _Stored) -> tuple[int, int] | None:
    """Shifts (for a's part numbers, for b's) that make the two threads one, or None if they are not one."""
    if a.kind not in MERGEABLE_KINDS or b.kind not in MERGEABLE_KINDS or "thread" not in (a.kind, b.kind):
        return None
    if not _same_author(a.author, b.author):
        return None
    if a.total is not None and b.total is not None and a.total != b.total:
        return None
    pairs = [(na, nb) for fid in a.parts.keys() & b.parts.keys() for na in a.parts[fid] for nb in b.parts[fid]]
    if not pairs:
        return None
    if a.numbered and b.numbered:
        return (0, 0) if any(na == nb for na, nb in pairs) else None
    offsets = {na - nb for na, nb in pairs}
    if len(offsets) != 1:
        return None
    d = offsets.pop()
    if a.numbered:  # b's numbers were inferred from position: renumber b
        shift = (0, d)
    elif b.numbered:
        shift = (-d, 0)
    else:  # both inferred: move the one that starts later, keep numbers from 1
        shift = (0, d) if d >= 0 else (-d, 0)
    lowest_a = min((n for ns in a.parts.values() for n in ns), default=1) + shift[0]
    lowest_b = min((n for ns in b.parts.values() for n in ns), default=1) + shift[1]
    if lowest_a < 1 or lowest_b < 1:
        return None
    return shift


def incoming_shift(conn: sqlite3.Connection, thread_id: str, thread: Thread, source_index: int = 0,
                   tables: TableSet = FULL) -> int:
    """How much to add to the part numbers of a dump's thread that goes into stored thread `thread_id`.

    A dump's thread lands in a stored thread when it has the same id or an id merged away earlier.
    The stored numbering may have been aligned by a merge (an unnumbered chain renumbered to fit
    another capture), so the dump's parts are aligned the same way; when the dump reaches further
    back than the stored thread, the stored thread is renumbered instead and 0 is returned.
    """
    stored = _load(conn, thread_id, tables)
    parts = [p for p in thread.parts if p.source == source_index]
    incoming = _Stored(thread.id, thread.kind, thread.author, thread.total,
                       thread.total is not None or any(not p.inferred for p in parts))
    for p in parts:
        if p.n is not None and normalize_text(p.text):
            incoming.parts.setdefault(fragment_id(p.text), set()).add(p.n)
    shift = alignment(incoming, stored) if stored else None
    if shift is None:
        return 0
    _shift(conn, thread_id, shift[1], tables)
    return shift[0]


def candidates(conn: sqlite3.Connection, thread_id: str, tables: TableSet = FULL) -> list[str]:
    """Other stored threads sharing at least one part text with this one, in id order."""
    kinds = ", ".join(f"'{k}'" for k in MERGEABLE_KINDS)
    rowid = thread_rowid(conn, thread_id, tables)
    return [r[0] for r in conn.execute(
        f"select distinct t.id from {tables.parts} p1 join {tables.parts} p2 on p2.fragment_rowid = p1.fragment_rowid"
        f" join {tables.threads} t on t.rowid = p2.thread_rowid where p1.thread_rowid = ?1 and p2.thread_rowid != ?1"
        f" and t.kind in ({kinds}) order by t.id", [rowid])]


def merge_related(conn: sqlite3.Connection, thread_id: str, now: str,
                  refresh: Callable[[str, str], None], tables: TableSet = FULL) -> tuple[str, list[str]]:
    """Merge every stored thread that is the same thread as `thread_id`, repeatedly (merges can chain).

    Returns the surviving id and the ids of every thread that took part in a merge (the survivor
    included; empty when nothing merged). `refresh(id, now)` recounts a thread after a merge.
    """
    current = thread_id
    merged: list[str] = []
    rejected: set[str] = set()
    while True:
        me = _load(conn, current, tables)
        if me is None or me.kind not in MERGEABLE_KINDS:
            return current, merged
        progress = False
        for other_id in candidates(conn, current, tables):
            if other_id in rejected:
                continue
            other = _load(conn, other_id, tables)
            shift = alignment(me, other) if other else None
            if shift is None:
                rejected.add(other_id)
                continue
            merged += [t for t in (current, other_id) if t not in merged]
            current = merge_pair(conn, current, other_id, shift, now, refresh, tables)
            rejected.clear()  # the merged thread may now agree with a thread the smaller one did not
            progress = True
            break
        if not progress:
            return current, merged


def _shift(conn: sqlite3.Connection, thread_id: str, by: int, tables: TableSet = FULL) -> None:
    if not by:
        return
    rowid = thread_rowid(conn, thread_id, tables)
    # two steps, so no intermediate row collides with another on the (thread, n, fragment) key
    conn.execute(f"update {tables.parts} set n = -(n + ?) where thread_rowid = ? and n is not null", [by, rowid])
    conn.execute(f"update {tables.parts} set n = -n where thread_rowid = ? and n < 0", [rowid])
    conn.execute(f"update {tables.sightings} set n = n + ? where thread_rowid = ? and n is not null", [by, rowid])


def merge_pair(conn: sqlite3.Connection, a: str, b: str, shift: tuple[int, int], now: str,
               refresh: Callable[[str, str], None], tables: TableSet = FULL) -> str:
    """Make threads a and b one thread under the smaller id; the larger becomes an alias. Returns the id."""
    _shift(conn, a, shift[0], tables)
    _shift(conn, b, shift[1], tables)
    keep, gone = sorted((a, b))
    keep_rowid, gone_rowid = thread_rowid(conn, keep, tables), thread_rowid(conn, gone, tables)
    cols = ", ".join(PART_COLUMNS)
    parts, threads = tables.parts, tables.threads
    for row in conn.execute(f"select rowid, n, fragment_rowid, {cols} from {parts} where thread_rowid = ?",
                            [gone_rowid]).fetchall():
        rowid, n, frowid, *values = row
        same = conn.execute(f"select rowid, {cols} from {parts} where thread_rowid = ? and n is ?"
                            " and fragment_rowid = ?", [keep_rowid, n, frowid]).fetchone()
        if same is None:
            conn.execute(f"update {parts} set thread_id = ?, thread_rowid = ? where rowid = ?",
                         [keep, keep_rowid, rowid])
            continue
        # the same text at the same number in both: one part, the details of both kept (nulls filled)
        mine = dict(zip(PART_COLUMNS, same[1:]))
        theirs = dict(zip(PART_COLUMNS, values))
        filled = {c: (mine[c] if mine[c] is not None else theirs[c]) for c in PART_COLUMNS}
        filled["inferred"] = min(v for v in (mine["inferred"], theirs["inferred"]) if v is not None) \
            if mine["inferred"] is not None or theirs["inferred"] is not None else None
        conn.execute(f"update {parts} set {', '.join(c + ' = ?' for c in PART_COLUMNS)} where rowid = ?",
                     [*filled.values(), same[0]])
    conn.execute(f"delete from {parts} where thread_rowid = ?", [gone_rowid])
    conn.execute(f"update {tables.sightings} set thread_id = ?, thread_rowid = ? where thread_rowid = ?",
                 [keep, keep_rowid, gone_rowid])
    k = conn.execute(f"select kind, author, url, total, first_source_id, created_at from {threads} where id = ?",
                     [keep]).fetchone()
    g = conn.execute(f"select kind, author, url, total, first_source_id, created_at from {threads} where id = ?",
                     [gone]).fetchone()

    def pick(x, y):
        values = [v for v in (x, y) if v is not None]
        return min(values) if values else None

    kind = "thread" if "thread" in (k[0], g[0]) else k[0]
    first = conn.execute(
        f"select f.text from {parts} p join fragments f on f.rowid = p.fragment_rowid where p.thread_rowid = ?"
        " order by p.n is null, p.n, p.fragment_id limit 1", [keep_rowid]).fetchone()
    conn.execute(
        f"update {threads} set kind = ?, title = coalesce(?, title), author = ?, url = ?, total = ?,"
        " first_source_id = ?, created_at = ? where id = ?",
        [kind, thread_title(first[0]) if first else None, pick(k[1], g[1]), pick(k[2], g[2]), pick(k[3], g[3]),
         pick(k[4], g[4]), pick(k[5], g[5]), keep])
    conn.execute(f"delete from {threads} where id = ?", [gone])
    conn.execute(f"update {tables.aliases} set thread_id = ? where thread_id = ?", [keep, gone])
    conn.execute(f"insert or replace into {tables.aliases} (alias, thread_id, merged_at) values (?, ?, ?)",
                 [gone, keep, now])
    refresh(keep, now)
    return keep
