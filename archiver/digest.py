"""A digest of each thread's structure, kept by the writer and checked by `archiver verify`.

The digest covers what a thread is: its title, author and total, each part's number and fragment,
and each sighting (fragment, source, lines, number). The writer stores it whenever it stores or
changes a thread (a new thread, parts added, a merge, a renumbering, a refresh), in both table
sets (archiver/tableset.py); `verify` works it out again from the rows and names every thread
whose rows no longer give the digest kept: a deleted or renumbered part, a deleted or moved
sighting, a forged title or author.

Built to cost the ingest next to nothing (it is worked out for every new thread): each part and
each sighting is mixed into a 64-bit value (the fragment id's 64 bits, random already, xored with
the numbers times odd constants, then multiplied by one and folded), the values are summed (mod 2**64: no sorting, any order gives the same sum), a
sighting's value multiplied by an odd number made from its source id first, and the header and
the two sums are hashed together (blake2b, 128 bits). A bulk ingest's worker sums a new thread's
parts and sightings (`presign`); the writer, which alone knows the source's id, multiplies and
hashes (`finish`). It guards against edits and mistakes (a change goes unnoticed with odds of
2**-64), not against someone who recomputes digests on purpose.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator

import numpy as np

from .normalize import content_hash
from .tableset import TableSet

M64 = (1 << 64) - 1
_N, _A, _B, _SN = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5


def _mix(x: int) -> int:
    """x scrambled: an odd multiplier mod 2**64 (a bijection), its high bits folded into the low ones."""
    x = (x * 0xBF58476D1CE4E5B9) & M64
    return x ^ (x >> 31)


def _code(value: int | None) -> int:
    return 0 if value is None else (value + 1) & M64


def part_value(n: int | None, fragment_id: str) -> int:
    """A part's 64-bit value: its number and fragment."""
    return _mix(int(fragment_id, 16) ^ (_code(n) * _N & M64))


def sighting_value(fragment_id: str, line_start: int | None, line_end: int | None, n: int | None) -> int:
    """A sighting's 64-bit value, before its source is mixed in: its fragment, lines and number."""
    return _mix(int(fragment_id, 16) ^ ((_code(line_start) * _A ^ _code(line_end) * _B ^ _code(n) * _SN) & M64))


def finish(title: str | None, author: str | None, total: int | None, parts: int,
           sightings: Iterable[tuple[int, int]]) -> str:
    """A thread's digest from its header, the sum of its parts' values and, per source, the sum of
    its sightings' values: (source id, sum)."""
    seen = sum((2 * source + 1) * value for source, value in sightings) & M64
    title = title or ""
    # length-prefixed: no title or author can pass for another split of the same characters
    head = f"{len(title)}:{title}|{'-' if author is None else f'{len(author)}:{author}'}|{_s(total)}"
    return hashlib.blake2b(f"{head}|{parts:016x}|{seen:016x}".encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def _s(value) -> str:
    return "-" if value is None else str(value)


def thread_digest(title: str | None, author: str | None, total: int | None, parts: Iterable[tuple],
                  sightings: Iterable[tuple]) -> str:
    """The digest of a thread with this header, these parts (n, fragment id) and these sightings
    (fragment id, source id, line_start, line_end, n), in any order."""
    by_source: dict[int, int] = {}
    for fid, source, a, b, n in sightings:
        by_source[source] = by_source.get(source, 0) + sighting_value(fid, a, b, n)
    return finish(title, author, total, sum(part_value(n, fid) for n, fid in parts) & M64, by_source.items())


def presign(thread, source_index: int = 0, hashes: dict[str, str] | None = None) -> tuple[int, int] | None:
    """(sum of the parts' values, sum of the sightings' values) of a thread as the writer stores it
    when it is new, or None when a text comes twice in it (then `insert or ignore` may keep fewer
    rows than the thread has: the writer works the digest out from the rows it keeps). Made by a
    bulk ingest's worker for every thread, so written for speed (`part_value` and `sighting_value`
    inlined); `finish` with the source's id gives the digest."""
    get = (hashes or {}).get
    fids: set[int] = set()
    psum = ssum = 0
    for p in thread.parts:
        if p.source != source_index:
            continue
        fid = int((get(p.text) or content_hash(p.text))[:16], 16)
        if fid in fids:
            return None
        fids.add(fid)
        coded = 0 if p.n is None else p.n + 1
        x = ((fid ^ (coded * _N & M64)) * 0xBF58476D1CE4E5B9) & M64
        psum += x ^ (x >> 31)
        coded *= _SN
        for a, b in ((p.line_start, p.line_end), *p.also) if p.also else ((p.line_start, p.line_end),):
            x = ((fid ^ (((0 if a is None else a + 1) * _A ^ (0 if b is None else b + 1) * _B ^ coded) & M64))
                 * 0xBF58476D1CE4E5B9) & M64
            ssum += x ^ (x >> 31)
    return psum & M64, ssum & M64


def tree_digests(trees: list[tuple[str | None, str | None, int, int, int]], rows: list[tuple]) -> list[str]:
    """The digests of the new threads of an export import (store.store_trees): each given as
    (title, author, its first row in `rows`, its number of rows, source id), `rows` the import's
    part rows (thread id, n, fragment id, ...), numbered 1, 2, ... in tree order, each seen once in
    the source, without lines. `thread_digest` of those rows, with the values worked out by numpy
    for all posts at once (an export holds a hundred thousand: one by one in Python they took a
    tenth of the import)."""
    if not trees:
        return []
    index = np.concatenate([np.arange(start, start + size) for _, _, start, size, _ in trees]).tolist()
    fids = np.frombuffer(bytes.fromhex("".join([rows[i][2] for i in index])), dtype=">u8").astype(np.uint64)
    coded = np.fromiter((rows[i][1] + 1 for i in index), dtype=np.uint64, count=len(index))
    starts = np.concatenate(([0], np.cumsum([size for _, _, _, size, _ in trees])[:-1]))
    with np.errstate(over="ignore"):
        psums = np.add.reduceat(_np_mix(fids ^ (coded * np.uint64(_N))), starts)
        ssums = np.add.reduceat(_np_mix(fids ^ (coded * np.uint64(_SN))), starts)
    return [finish(title, author, None, psum, [(source, ssum)])
            for (title, author, _, _, source), psum, ssum in zip(trees, psums.tolist(), ssums.tolist())]


def _np_mix(x: np.ndarray) -> np.ndarray:
    x = x * np.uint64(0xBF58476D1CE4E5B9)  # uint64 arithmetic wraps: mod 2**64, as `_mix`
    return x ^ (x >> np.uint64(31))


def stored_digests(conn: sqlite3.Connection, tables: TableSet, rowids: list[int] | None = None
                   ) -> Iterator[tuple[int, str, str | None, str]]:
    """(rowid, id, digest kept, digest the rows give) of every thread, or of the threads with these rowids.

    The threads, their parts and their sightings are read in thread rowid order side by side (the
    parts' primary key and an index on sightings give that order): one pass, whatever the size."""
    if rowids is not None and len(rowids) == 1:  # the writer's refresh of one thread: plain lookups
        where, params = " where {} = ?", [rowids[0]]
    elif rowids is not None:
        if not rowids:
            return
        where = " where {} in (select value from json_each(?))"
        params = [json.dumps(sorted(set(rowids)))]
    else:
        where, params = "", []
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
