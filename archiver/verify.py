"""`archiver verify`: check that an archive still proves what it says.

Four kinds of check, each naming the row it found wrong:

- sources: the stored raw bytes (or, when they are not stored, the content encoded with its
  recorded encoding) hash to the recorded sha256; the content is what those bytes decode to.
- fragments and sightings: a fragment's id and hash are those of its normalised text, and every
  sighting's lines, read from its source, still give the fragment's text (part marker, blank and
  spacer lines aside).
- references: each part and sighting names its fragment and thread by id and by rowid (db.py); the
  two agree and name rows that exist.
- full-text search: each FTS5 index agrees with its table (FTS5's own `integrity-check`, row
  counts, the triggers that keep it in step with updates and deletes), and rows the writer has
  not indexed yet are reported (archiver/fts.py).
- structure: each thread's parts (numbers and fragments), sightings, title, author and total still
  give the digest the writer kept for it (archiver/digest.py), in the archive's tables and in the
  public projection; the public views leave out every private source, and every sighting of the
  projection is one of the archive's (archiver/projection.py).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from . import fts
from .digest import stored_digests
from .models import encode_text, split_lines
from .normalize import content_hash, is_blank, normalize_text
from .sources import decode_bytes, decode_with
from .stream import decode_streamed
from .tableset import FULL, PUBLIC
from .wording import plural

# Source kinds whose sightings count lines of the stored text itself (exports and saved pages
# count lines of their own structure).
LINE_KINDS = ("paste", "file", "url")


@dataclass
class Problem:
    """One mismatch: which check, which row, what is wrong."""

    check: str
    table: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.table} {self.key}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        """The `verify --json` shape of a problem."""
        return asdict(self)


def verify_archive(db: sqlite_utils.Database) -> list[Problem]:
    """Run every check; an empty list means the archive verifies clean."""
    problems: list[Problem] = []
    _check_sources(db, problems)
    _check_fragments(db, problems)
    _check_sightings(db, problems)
    _check_references(db, problems)
    _check_digests(db, problems)
    _check_projection(db, problems)
    _check_fts(db, problems)
    return problems


def stored_bytes(raw: bytes | None, content: str | None, encoding: str | None) -> bytes | None:
    """The source's original bytes: raw when stored, else content encoded with its encoding."""
    if raw is not None:
        return bytes(raw)
    if content is None or not encoding:
        return None
    try:
        return encode_text(content, encoding)
    except (LookupError, UnicodeError):
        return None


def _json_object(value: str | None) -> dict:
    try:
        got = json.loads(value) if value else {}
    except ValueError:
        return {}
    return got if isinstance(got, dict) else {}


def _check_sources(db: sqlite_utils.Database, problems: list[Problem]) -> None:
    for sid, name, kind, sha, encoding, repair, nbytes, nlines, content, raw, meta in db.execute(
            "select id, name, kind, sha256, encoding, repair, bytes, lines, content, raw, meta from sources order by id"):
        key = f"{sid} ({name})"
        data = stored_bytes(raw, content, encoding)
        if data is None:
            what = "no raw bytes stored and the content cannot be encoded" + (f" as {encoding}" if encoding else "")
            problems.append(Problem("source-hash", "sources", key, what))
        else:
            got = hashlib.sha256(data).hexdigest()
            if got != sha:
                where = "raw bytes" if raw is not None else f"content encoded as {encoding}"
                problems.append(Problem("source-hash", "sources", key,
                                        f"sha256 of the {where} is {got[:16]}…, recorded {sha[:16]}…"))
            if nbytes is not None and nbytes != len(data):
                problems.append(Problem("source-hash", "sources", key,
                                        f"holds {plural(len(data), 'byte')}, recorded {nbytes}"))
            if raw is not None and content is not None:
                try:
                    how = _json_object(meta)
                    if "streamed" in how:  # decoded block by block at ingest (archiver/stream.py)
                        decoded = decode_streamed(bytes(raw), encoding, how)
                    else:
                        decoded = decode_bytes(bytes(raw))[0] if repair else decode_with(bytes(raw), encoding)
                except (LookupError, UnicodeError) as e:
                    decoded = None
                    problems.append(Problem("source-content", "sources", key,
                                            f"raw bytes do not decode as {encoding}: {e}"))
                if decoded is not None and decoded != content:
                    problems.append(Problem("source-content", "sources", key,
                                            "content differs from its raw bytes decoded again"))
        if content is not None and nlines is not None and nlines != len(split_lines(content)):
            problems.append(Problem("source-content", "sources", key,
                                    f"content has {plural(len(split_lines(content)), 'line')}, recorded {nlines}"))


def _check_fragments(db: sqlite_utils.Database, problems: list[Problem]) -> None:
    for fid, h, text in db.execute("select id, hash, text from fragments order by rowid"):
        want = content_hash(text or "")
        if h != want:
            problems.append(Problem("fragment-hash", "fragments", fid,
                                    f"text hashes to {want[:16]}…, recorded hash {h[:16]}…"))
        elif fid != want[:16]:
            problems.append(Problem("fragment-hash", "fragments", fid, f"id should be {want[:16]}"))


def _check_sightings(db: sqlite_utils.Database, problems: list[Problem]) -> None:
    """Every sighting's lines in its source give its fragment's text. Source by source, holding one
    source's lines at a time (holding every source's text took 2.2 GB at a million fragments)."""
    kinds = dict(db.execute("select id, kind from sources").fetchall())
    found: list[tuple[int, Problem]] = []  # reported in sighting order, as before
    current, lines, dropped = None, None, set()
    for sid, fid, src, a, b, tid, text, markers in db.execute(
            "select s.id, s.fragment_id, s.source_id, s.line_start, s.line_end, s.thread_id, f.text,"
            " (select group_concat(p.marker, char(31)) from thread_parts p where p.thread_rowid = s.thread_rowid"
            "  and p.fragment_rowid = s.fragment_rowid and p.marker is not null)"
            " from sightings s left join fragments f on f.rowid = s.fragment_rowid and f.id = s.fragment_id"
            " order by s.source_id, s.id"):
        key = f"{sid} (fragment {fid}, source {src}, lines {a}-{b})"
        if text is None:
            found.append((sid, Problem("sighting", "sightings", key, "its fragment is missing")))
            continue
        if src not in kinds:
            found.append((sid, Problem("sighting", "sightings", key, "its source is missing")))
            continue
        if a is None or b is None or kinds[src] not in LINE_KINDS:
            continue
        if src != current:
            current = src
            content = db.execute("select content from sources where id = ?", [src]).fetchone()[0]
            lines = split_lines(content) if content is not None else None
            dropped = set()
            for first, last in db.execute("select line_start, line_end from dropped where source_id = ?", [src]):
                if first is not None and last is not None:
                    dropped.update(range(first, last + 1))
        if lines is None:
            continue
        if not (1 <= a <= b <= len(lines)):
            found.append((sid, Problem("sighting", "sightings", key, f"lines out of range (source has {len(lines)})")))
            continue
        marks = markers.split("\x1f") if markers else []
        if not span_gives_text(lines, a, b, text, marks, dropped):
            found.append((sid, Problem("sighting", "sightings", key,
                                       "the source's lines no longer give the fragment's text")))
    problems += [p for _, p in sorted(found, key=lambda item: item[0])]


# table -> (the SQL of its row key, how a problem names the row, its threads)
REFERENCE_TABLES = {
    "thread_parts": ("x.rowid", "{tid} part (fragment {fid})", "threads"),
    "sightings": ("x.id", "{key} (fragment {fid}, thread {tid})", "threads"),
    "pub_thread_parts": ("x.rowid", "{tid} part (fragment {fid})", "pub_threads"),
    "pub_sightings": ("x.id", "{key} (fragment {fid}, thread {tid})", "pub_threads"),
}


def _check_references(db: sqlite_utils.Database, problems: list[Problem]) -> None:
    """A part's or sighting's fragment and thread rowids name the rows its ids name."""
    for table, (key_sql, label, threads) in REFERENCE_TABLES.items():
        for key, tid, fid, trowid, frowid, tname, fname in db.execute(
                f"select {key_sql}, x.thread_id, x.fragment_id, x.thread_rowid, x.fragment_rowid, t.id, f.id"
                f" from {table} x left join {threads} t on t.rowid = x.thread_rowid"
                " left join fragments f on f.rowid = x.fragment_rowid"
                f" where t.id is not x.thread_id or f.id is not x.fragment_id order by {key_sql}"):
            where = label.format(key=key, tid=tid, fid=fid)
            if tname != tid:
                problems.append(Problem("reference", table, where,
                                        f"thread rowid {trowid} names {tname or 'no thread'}"))
            if fname != fid:
                problems.append(Problem("reference", table, where,
                                        f"fragment rowid {frowid} names {fname or 'no fragment'}"))


def _strip_markers(span: str, markers: list[str]) -> str:
    for m in markers:
        if m and m in span:
            span = span.replace(m, " ", 1)
    return span


def span_gives_text(lines: list[str], a: int, b: int, text: str, markers: list[str],
                    dropped_lines: set[int] = frozenset()) -> bool:
    """True when lines a..b (1-based, inclusive) give `text` once markers and blank lines are set aside.

    Tried in order: the whole span; the span without lines dropped as chrome; failing both, every
    line of the fragment must occur, in order, in the span's normalised text (reconstruction may
    cut a marker out of the middle of a line).
    """
    want = normalize_text(text)
    numbered = [(i, lines[i - 1]) for i in range(a, b + 1) if not is_blank(lines[i - 1])]
    whole = "\n".join(line for _, line in numbered)
    if normalize_text(_strip_markers(whole, markers)) == want:
        return True
    kept = "\n".join(line for i, line in numbered if i not in dropped_lines)
    if normalize_text(_strip_markers(kept, markers)) == want:
        return True
    haystack = normalize_text(whole)
    pos = 0
    pieces = [normalize_text(p) for p in text.split("\n")]
    pieces = [p for p in pieces if p]
    if not pieces:
        return False
    for piece in pieces:
        found = haystack.find(piece, pos)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


def _check_digests(db: sqlite_utils.Database, problems: list[Problem]) -> None:
    """Each thread's rows still give the digest the writer kept (archiver/digest.py)."""
    for tables in (FULL, PUBLIC) if fts.projected(db.conn) else (FULL,):
        for _, tid, kept, want in stored_digests(db.conn, tables):
            if kept is None:
                problems.append(Problem("structure", tables.threads, tid,
                                        "no digest kept: not written by the archiver's writer"))
            elif kept != want:
                problems.append(Problem("structure", tables.threads, tid,
                                        "its parts, sightings, title, author or total changed since the writer"
                                        f" stored it (digest {want[:12]}…, kept {kept[:12]}…)"))


def _check_projection(db: sqlite_utils.Database, problems: list[Problem]) -> None:
    """The public views leave out every private source; the projection's sightings are the archive's."""
    from .public_views import public_state

    if public_state(db.conn) == "unsafe":
        problems.append(Problem("privacy", "sources", "-", "a private source is not left out of the public views"
                                " (marked private by hand?): open the archive with `archiver` to rebuild them"))
    if not fts.projected(db.conn):
        return
    for sid, fid, src, a, b in db.execute(
            "select p.id, p.fragment_id, p.source_id, p.line_start, p.line_end from pub_sightings p"
            " where not exists (select 1 from sightings s where s.fragment_rowid = p.fragment_rowid"
            " and s.source_id = p.source_id and s.line_start is p.line_start and s.line_end is p.line_end)"
            " order by p.id"):
        problems.append(Problem("projection", "pub_sightings", f"{sid} (fragment {fid}, source {src}, lines {a}-{b})",
                                "not a sighting of the archive"))


def _check_fts(db: sqlite_utils.Database, problems: list[Problem]) -> None:
    names = {r[0] for r in db.execute("select name from sqlite_master where type in ('table', 'trigger')")}
    try:
        pending = fts.pending_fts(db.conn)
    except sqlite3.OperationalError:  # no fts_indexed table: an archive from before it (the next open adds it)
        pending = {}
    for index in fts.indexes(db.conn):
        name, table = index.name, index.table
        if name not in names:
            problems.append(Problem("fts", name, "-", "the full-text index is missing"))
            continue
        for trigger in fts.trigger_sql(index):
            if trigger not in names:
                problems.append(Problem("fts", name, f"trigger {trigger}",
                                        "missing: the index no longer follows its table"))
        try:
            # against the table's rows when all are indexed; with rows waiting, the index's own structure only
            db.execute(f"insert into [{name}]([{name}], rank) values ('integrity-check', ?)",
                       [0 if pending.get(table) else 1])
        except sqlite3.DatabaseError as e:
            problems.append(Problem("fts", name, "integrity-check",
                                    f"the index disagrees with table {table} ({e})"))
        waiting = pending.get(table, 0)
        rows = db.execute(f"select count(*) from [{table}]").fetchone()[0] - waiting
        indexed = db.execute(f"select count(*) from [{name}_docsize]").fetchone()[0]
        if rows != indexed:
            problems.append(Problem("fts", name, "row count", f"{plural(indexed, 'row')} indexed, {rows} in {table}"))
        if waiting:
            problems.append(Problem("fts", name, "rows waiting",
                                    f"{plural(waiting, f'row of {table}', f'rows of {table}')} not indexed yet (the next ingest indexes them)"))
