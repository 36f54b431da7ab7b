"""Reading an archived source for the source viewer and the evidence package: its facts, a window
of its lines, its original bytes.

The text is read with SQLite's incremental blob I/O, a megabyte at a time, never as one value:
Datasette's connections refuse values over 4 MiB (plugins/limits.py), and a source can be a
200 MB dump, of which a page shows a few thousand lines.

Privacy: with `public=True` a source is found only through the `public_sources` view (a private
source, or any source while the archive's public side does not leave the private ones out, is
"not found"); its bytes are then read by rowid from the `sources` table.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from .public_views import public_state
from .models import encode_text

CHUNK = 1 << 20
# the facts shown, in order: column -> label
FACT_COLUMNS = ("id", "name", "kind", "sha256", "encoding", "repair", "bytes", "lines", "ingested_at", "fetched_at",
                "url", "private", "meta")


@dataclass
class SourceText:
    """A source's facts and one window of its lines."""

    id: int
    name: str
    kind: str
    sha256: str
    encoding: str | None
    repair: str | None
    bytes: int | None
    lines: int | None
    ingested_at: str | None
    fetched_at: str | None
    url: str | None
    private: bool
    format: str | None
    capture: dict[str, Any]
    start: int = 1  # the first line of the window (1-based)
    text: list[str] = field(default_factory=list)  # the window's lines
    has_text: bool = True


def find_source(conn: sqlite3.Connection, source_id: int, public: bool) -> SourceText | None:
    """A source's facts, or None when there is no such source (or, for the public, it is private)."""
    if public and public_state(conn) == "unsafe":
        return None
    table = "public_sources" if public else "sources"
    # typeof(), not `is not null`: it reads the type, not the value (which may pass the length limit)
    row = conn.execute(f"select {', '.join(FACT_COLUMNS)}, typeof(content) != 'null' from {table} where id = ?",
                       [source_id]).fetchone()
    if row is None:
        return None
    facts = dict(zip(FACT_COLUMNS, row))
    try:
        meta = json.loads(facts.pop("meta") or "{}")
    except ValueError:
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    capture = meta.get("capture") if isinstance(meta.get("capture"), dict) else {}
    return SourceText(**{k: v for k, v in facts.items()}, format=meta.get("format"),
                      capture={k: v for k, v in capture.items() if isinstance(v, (str, int, float)) and v != ""},
                      has_text=bool(row[-1]))


def _chunks(conn: sqlite3.Connection, column: str, rowid: int):
    """The stored bytes of a text or blob column of `sources`, a chunk at a time."""
    with conn.blobopen("sources", column, rowid, readonly=True) as blob:
        while True:
            data = blob.read(CHUNK)
            if not data:
                return
            yield data


def read_lines(conn: sqlite3.Connection, source: SourceText, start: int, count: int) -> None:
    """Fill `source.text` with lines start..start+count-1 (1-based) of its stored text."""
    source.start = max(1, start)
    source.text = []
    if not source.has_text:
        return
    end = source.start + count - 1
    line_no, pending = 1, b""
    for chunk in _chunks(conn, "content", source.id):
        pieces = (pending + chunk).split(b"\n")
        pending = pieces.pop()
        for piece in pieces:
            if line_no >= source.start:
                source.text.append(_line(piece))
            line_no += 1
            if line_no > end:
                return
    if pending and source.start <= line_no <= end:
        source.text.append(_line(pending))


def _line(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    return text[:-1] if text.endswith("\r") else text


def original_bytes(conn: sqlite3.Connection, source: SourceText, limit: int | None = None) -> bytes | None:
    """The source as received, byte for byte (its raw bytes when kept, else its text encoded with
    its encoding, as `archiver verify` checks), or None when larger than `limit` or not stored."""
    if limit is not None and (source.bytes or 0) > limit:
        return None
    has_raw = conn.execute("select typeof(raw) != 'null' from sources where id = ?", [source.id]).fetchone()[0]
    if has_raw:
        return b"".join(_chunks(conn, "raw", source.id))
    if not source.has_text or not source.encoding:
        return None
    text = b"".join(_chunks(conn, "content", source.id)).decode("utf-8")
    try:
        return encode_text(text, source.encoding)
    except (LookupError, UnicodeError):
        return None


def source_threads(conn: sqlite3.Connection, source_id: int, public: bool, limit: int = 200) -> list[dict[str, Any]]:
    """The threads a source gave (through the public views for the public), in the order first seen in it."""
    prefix = "public_" if public else ""
    rows = conn.execute(
        f"select t.id, t.title, t.kind, min(s.line_start) as first from {prefix}sightings s"
        f" join {prefix}threads t on t.rowid = s.thread_rowid where s.source_id = ?"
        f" group by t.id order by first, t.id limit {int(limit)}", [source_id]).fetchall()
    return [{"id": r[0], "title": r[1], "kind": r[2], "line": r[3]} for r in rows]
