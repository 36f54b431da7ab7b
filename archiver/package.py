"""The evidence package of a thread: what to hand an editor or a lawyer so they can check a citation
without the archive.

One folder (or a zip holding one folder, `thread-<id>/`):

    README.txt      what this is and how to check it
    citation.txt    the thread's citation (title, author, id, original URLs, sources' sha256, date)
    thread.md       the thread as Markdown, every flag kept (missing parts, inferred numbers, conflicts)
    thread.json     the thread as stored: parts with their text, flags and sightings (source, lines),
                    and each source's facts (sha256, encoding, decoding, the dropped lines cited)
    sources/<id>-<name>   each source the thread was seen in, byte for byte as received
    SHA256SUMS      the sha256 of every other file, in `sha256sum -c` format

`sha256sum -c SHA256SUMS` (in the folder) checks the files are those packed; `archiver verify
--package PATH` checks that too, and more: each source file's sha256 is the one the archive
recorded (and the thread page shows), each part's text is in its source at the lines cited, and
thread.md is the Markdown of thread.json.

Privacy: the package holds what the reader may see: an anonymous visitor's package is built from
the public views (the public sources only, `load_public_thread`), a signed-in reader's from the
archive's tables.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from . import __version__
from .errors import ArchiverError, one_line
from .pages import citation_text, thread_sources
from .queries import Sighting, StoredThread, ThreadPart
from .render import render_markdown
from .source_view import find_source, original_bytes

MANIFEST = "SHA256SUMS"
FORMAT = "thread-archiver evidence package"
VERSION = 1
LINE_KINDS = ("paste", "file", "url")  # as archiver/verify.py: sources whose lines count the stored text


class PackageError(ArchiverError):
    """A package cannot be written (or read) as asked."""

    exit_code = 1


class TooLarge(PackageError):
    """The thread's sources are larger than the package may hold here."""


@dataclass
class PackageFile:
    """One file of a package: its path inside the package folder and its bytes."""

    path: str
    data: bytes


def _safe_name(name: str) -> str:
    base = re.sub(r"[^\w.-]+", "_", PurePosixPath(name or "source").name).strip("._") or "source"
    return base[:80]


def build_package(conn: sqlite3.Connection, thread: StoredThread, public: bool, page_url: str | None, site: str,
                  exported_at: str | None = None, max_source_bytes: int | None = None) -> list[PackageFile]:
    """The files of a thread's evidence package, the manifest last. `thread` comes from
    `load_thread` (a reader) or `load_public_thread` (`public`); the sources are read the same way.
    Raises TooLarge when the sources pass `max_source_bytes` together."""
    exported_at = exported_at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    cited = thread_sources(thread)
    facts = []
    total = 0
    for s in cited:
        source = find_source(conn, s["id"], public)
        if source is None:  # not visible to this reader: the thread would not cite it either
            continue
        total += source.bytes or 0
        if max_source_bytes is not None and total > max_source_bytes:
            raise TooLarge(f"the sources of thread {thread.id} hold more than {max_source_bytes // 2**20} MB:"
                           f" use `archiver export` on the archive")
        facts.append(source)
    files: list[PackageFile] = []
    sources_json = []
    for source in facts:
        data = original_bytes(conn, source)
        if data is None:
            raise PackageError(f"source {source.id} ({one_line(source.name)}) has no stored bytes to pack")
        path = f"sources/{source.id}-{_safe_name(source.name)}"
        files.append(PackageFile(path, data))
        meta = conn.execute("select meta from sources where id = ?", [source.id]).fetchone()[0]
        try:
            how = json.loads(meta or "{}")
        except ValueError:
            how = {}
        spans = sorted({(s.line_start, s.line_end) for p in thread.parts for s in p.sightings
                        if s.source_id == source.id and s.line_start is not None})
        dropped = []
        table = "public_dropped" if public else "dropped"
        for a, b in spans:
            dropped += conn.execute(f"select line_start, line_end from {table} where source_id = ?"
                                    " and line_start <= ? and line_end >= ?", [source.id, b, a]).fetchall()
        sources_json.append({
            "id": source.id, "name": source.name, "file": path, "sha256": source.sha256, "bytes": source.bytes,
            "lines": source.lines, "kind": source.kind, "format": source.format, "encoding": source.encoding,
            "repair": source.repair, "streamed": how.get("streamed") if isinstance(how, dict) else None,
            "ingested_at": source.ingested_at, "fetched_at": source.fetched_at, "url": source.url,
            "dropped": sorted({(a, b) for a, b in dropped}),
        })
    citation = citation_text(thread, page_url, _archived(conn, thread.id, public), site,
                             [{"name": s.name, "sha256": s.sha256} for s in facts])
    document = {
        "format": FORMAT, "version": VERSION, "archiver": __version__, "exported_at": exported_at,
        "url": page_url, "public": public, "thread": asdict(thread), "sources": sources_json,
    }
    files = [
        PackageFile("README.txt", _readme(thread, exported_at).encode("utf-8")),
        PackageFile("citation.txt", (citation + "\n").encode("utf-8")),
        PackageFile("thread.md", render_markdown(thread).encode("utf-8")),
        PackageFile("thread.json", (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")),
    ] + files
    manifest = "".join(f"{hashlib.sha256(f.data).hexdigest()}  {f.path}\n" for f in sorted(files, key=lambda f: f.path))
    return files + [PackageFile(MANIFEST, manifest.encode("utf-8"))]


def _archived(conn: sqlite3.Connection, thread_id: str, public: bool) -> str | None:
    table = "public_threads" if public else "threads"
    row = conn.execute(f"select created_at from {table} where id = ?", [thread_id]).fetchone()
    return row[0] if row else None


def _readme(thread: StoredThread, exported_at: str) -> str:
    return (f"Evidence package of thread {thread.id}, exported {exported_at} by Thread Archiver {__version__}.\n\n"
            "citation.txt  how to cite it\n"
            "thread.md     the thread as Markdown (missing parts, inferred numbers and conflicts marked)\n"
            "thread.json   the thread as archived: each part's text and where it was seen (source, lines)\n"
            "sources/      each source, byte for byte as it was received\n"
            "SHA256SUMS    the sha256 of every file above\n\n"
            "To check it, in this folder:\n\n"
            "    sha256sum -c SHA256SUMS\n\n"
            "or, with Thread Archiver installed, `archiver verify --package .`, which also checks that each\n"
            "source's sha256 is the one the archive recorded and that each part's text is in its source at\n"
            "the lines cited.\n")


def package_folder_name(thread_id: str) -> str:
    """The folder a package's files are in, inside its zip."""
    return "thread-" + re.sub(r"[^\w.-]", "_", thread_id)


def zip_bytes(files: list[PackageFile], folder: str, when: time.struct_time | None = None) -> bytes:
    """The package as a zip holding one folder (deflated; the same files give the same bytes)."""
    stamp = (when or time.gmtime())[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            info = zipfile.ZipInfo(f"{folder}/{f.path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, f.data)
    return out.getvalue()


def write_package(files: list[PackageFile], dest: Path, folder: str) -> Path:
    """Write the package to `dest`: a zip when it ends in .zip, else a folder (new, or empty)."""
    if dest.suffix.lower() == ".zip":
        if dest.exists():
            raise PackageError(f"{dest} exists already: choose another name")
        if not dest.parent.is_dir():
            raise PackageError(f"{dest.parent}: no such folder")
        dest.write_bytes(zip_bytes(files, folder))
        return dest
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise PackageError(f"{dest} exists and is not an empty folder: choose another")
    if not dest.parent.is_dir():
        raise PackageError(f"{dest.parent}: no such folder")
    dest.mkdir(exist_ok=True)
    for f in files:
        path = dest / f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f.data)
    return dest


# ---------------------------------------------------------------------------------------------
# Checking a package

def _read_package(path: Path) -> dict[str, bytes]:
    """path inside the package -> bytes, from a folder or a zip (its one top folder removed)."""
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    if not path.exists():
        raise PackageError(f"{path}: no such file or folder")
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.endswith("/")]
            tops = {n.split("/", 1)[0] for n in names}
            strip = len(tops) == 1 and all("/" in n for n in names)
            return {(n.split("/", 1)[1] if strip else n): z.read(n) for n in names}
    except zipfile.BadZipFile:
        raise PackageError(f"{path}: neither a folder nor a zip file") from None


def verify_package(path: str | Path) -> tuple[list[str], int]:
    """Check a package: (the problems found, each in one line; how many files the manifest names)."""
    files = _read_package(Path(path))
    problems: list[str] = []
    manifest = files.get(MANIFEST)
    if manifest is None:
        return [f"no {MANIFEST} in the package"], 0
    listed: dict[str, str] = {}
    for i, line in enumerate(manifest.decode("utf-8", "replace").splitlines(), 1):
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if not m:
            problems.append(f"{MANIFEST} line {i} is not `SHA256  PATH`")
            continue
        name = m.group(2)
        if name.startswith("/") or ".." in PurePosixPath(name).parts:
            problems.append(f"{MANIFEST} line {i} names a path outside the package: {one_line(name)}")
            continue
        listed[name] = m.group(1)
    for name, want in listed.items():
        data = files.get(name)
        if data is None:
            problems.append(f"{one_line(name)}: listed in {MANIFEST} but missing")
        elif hashlib.sha256(data).hexdigest() != want:
            problems.append(f"{one_line(name)}: sha256 differs from {MANIFEST}")
    for name in files:
        if name != MANIFEST and name not in listed:
            problems.append(f"{one_line(name)}: not listed in {MANIFEST}")
    problems += _check_document(files)
    return problems, len(listed)


def _check_document(files: dict[str, bytes]) -> list[str]:
    """thread.json against the sources packed and thread.md."""
    from .verify import span_gives_text

    raw = files.get("thread.json")
    if raw is None:
        return ["no thread.json in the package"]
    try:
        doc = json.loads(raw)
        thread = _thread_from_json(doc["thread"])
        sources = {s["id"]: s for s in doc["sources"]}
    except (ValueError, KeyError, TypeError) as e:
        return [f"thread.json is not a package's thread ({type(e).__name__}: {one_line(str(e))})"]
    problems = []
    lines_of: dict[int, list[str] | None] = {}
    for sid, s in sources.items():
        data = files.get(s.get("file") or "")
        if data is None:
            problems.append(f"source {sid}: its file {one_line(str(s.get('file')))} is not in the package")
            lines_of[sid] = None
            continue
        if hashlib.sha256(data).hexdigest() != s.get("sha256"):
            problems.append(f"source {sid} ({one_line(str(s.get('name')))}): the file's sha256 is not the one"
                            f" the archive recorded ({str(s.get('sha256'))[:16]}…)")
        lines_of[sid] = _decoded_lines(data, s) if s.get("kind") in LINE_KINDS else None
    for part in thread.parts:
        label = f"part {part.n}" if part.n is not None else f"fragment {part.fragment_id}"
        for sight in part.sightings:
            if sight.source_id not in sources:
                problems.append(f"{label}: seen in source {sight.source_id}, which is not in the package")
                continue
            lines = lines_of.get(sight.source_id)
            if lines is None or sight.line_start is None or sight.line_end is None:
                continue
            dropped = set()
            for a, b in sources[sight.source_id].get("dropped") or []:
                dropped.update(range(a, b + 1))
            a, b = sight.line_start, sight.line_end
            if not (1 <= a <= b <= len(lines)) or not span_gives_text(
                    lines, a, b, part.text, [part.marker] if part.marker else [], dropped):
                problems.append(f"{label}: source {sight.source_id} lines {a}-{b} do not give its text")
    md = files.get("thread.md")
    if md is not None and md.decode("utf-8", "replace") != render_markdown(thread):
        problems.append("thread.md is not the Markdown of thread.json")
    return problems


def _decoded_lines(data: bytes, source: dict[str, Any]) -> list[str] | None:
    """A packed source's text as the archive decoded it (as `archiver verify` decodes it again)."""
    from .models import split_lines
    from .sources import decode_bytes, decode_with
    from .stream import decode_streamed

    encoding = source.get("encoding")
    try:
        if source.get("streamed"):
            text = decode_streamed(data, encoding, {"streamed": source["streamed"]})
        elif source.get("repair"):
            text = decode_bytes(data)[0]
        else:
            text = decode_with(data, encoding)
    except (LookupError, UnicodeError, TypeError, KeyError):
        return None
    return split_lines(text)


def _thread_from_json(t: dict[str, Any]) -> StoredThread:
    parts = []
    for p in t["parts"]:
        sightings = [Sighting(**s) for s in p.get("sightings") or []]
        parts.append(ThreadPart(p["n"], p["fragment_id"], p["text"], p["inferred"], p.get("marker"), p["conflict"],
                                p.get("author"), p.get("posted_at"), sightings, p.get("url")))
    return StoredThread(t["id"], t["kind"], t["title"], t.get("author"), t.get("url"), t.get("total"),
                        list(t.get("missing") or []), bool(t.get("complete")), parts)
