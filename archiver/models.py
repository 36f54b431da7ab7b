"""Plain dataclasses passed between the pipeline stages: sources -> segment -> reconstruct -> dedupe -> store."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from typing import Any

SOURCE_KINDS = ("paste", "file", "html", "url", "export")
THREAD_KINDS = ("thread", "article", "post")
DROP_REASONS = ("chrome", "boilerplate", "separator", "url", "date", "title", "metadata")


@dataclass
class Source:
    """One raw input: the bytes exactly as received plus how they were decoded."""

    name: str
    kind: str
    raw: bytes
    text: str
    encoding: str
    repair: str | None = None
    url: str | None = None
    fetched_at: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    private: bool = False
    # Threads already known from the input's own structure (exports, API payloads, saved pages);
    # None for plain text, which goes through reconstruction.
    structured: list["Thread"] | None = None
    structured_dropped: list["Dropped"] = field(default_factory=list)
    # The capture format reconstruction recognised (archiver.formats: "readwise", "obsidian-clipper",
    # "markdown-draft", ...; "html-<page>" and "export" for inputs read by their structure), or "plain".
    format: str = "plain"

    @property
    def sha256(self) -> str:
        """Hex sha256 of the raw bytes."""
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def lossless(self) -> bool:
        """True when re-encoding the decoded text with its encoding gives back the raw bytes exactly
        (the archive then keeps the text alone: `encode_text` gives the bytes back)."""
        if self.repair:
            return False
        try:
            return encode_text(self.text, self.encoding) == self.raw
        except (LookupError, UnicodeError):
            return False

    @property
    def lines(self) -> list[str]:
        """Lines as the contract counts them: split on newline, a trailing newline ends the last line."""
        return split_lines(self.text)


# Encodings whose bytes start with a byte-order mark: re-encoding writes the little-endian mark
# (a big-endian source is therefore kept as raw bytes too).
_BOM_CODECS = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}
_BOM_BYTES = {"utf-8-sig": codecs.BOM_UTF8, "utf-16": codecs.BOM_UTF16_LE, "utf-32": codecs.BOM_UTF32_LE}


def encode_text(text: str, encoding: str) -> bytes:
    """Encode decoded text back with its recorded encoding (BOM encodings give a little-endian BOM).

    Raises LookupError or UnicodeError when the encoding is unknown or cannot hold the text.
    """
    if encoding in _BOM_CODECS:
        return _BOM_BYTES[encoding] + text.encode(_BOM_CODECS[encoding])
    return text.encode(encoding)


def split_lines(text: str) -> list[str]:
    """Split text into lines: `\\n` ends a line, a `\\r` before it is dropped, no phantom last line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


@dataclass
class Part:
    """One post of a thread, or one paragraph of an article, with where it was seen."""

    n: int | None
    text: str
    line_start: int | None
    line_end: int | None
    source: int = 0
    inferred: bool = False
    marker: str | None = None
    also: list[tuple[int, int]] = field(default_factory=list)
    author: str | None = None
    posted_at: str | None = None
    external_id: str | None = None
    parent_id: str | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract shape of a part."""
        out: dict[str, Any] = {
            "n": self.n,
            "inferred": self.inferred,
            "marker": self.marker,
            "text": self.text,
            "source": self.source,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "also": [list(span) for span in self.also],
        }
        for key in ("author", "posted_at", "external_id", "parent_id", "url"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass
class ThreadHeader:
    """What names and describes a thread besides its parts: shared by a reconstructed `Thread` and
    a thread as the archive stores it (`queries.StoredThread`)."""

    id: str
    kind: str
    title: str
    author: str | None
    url: str | None
    total: int | None
    missing: list[int]


@dataclass
class Thread(ThreadHeader):
    """A reconstructed thread, article or single post."""

    parts: list[Part]

    def to_json(self) -> dict[str, Any]:
        """The contract shape of a thread."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "author": self.author,
            "url": self.url,
            "total": self.total,
            "missing": list(self.missing),
            "parts": [p.to_json() for p in self.parts],
        }


def thread_title(text: str) -> str:
    """A thread's title as reconstruction and the importers make it: the first non-blank line of its
    first part, at most 200 characters."""
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:200]
    return ""


@dataclass(slots=True)
class Post:
    """One post whose place in a thread is known from its reply link (a platform export, an API),
    reduced to what a thread part needs (archiver/replies.py builds the threads)."""

    id: str
    parent: str | None
    text: str
    posted_at: str | None
    author: str | None
    url: str | None
    self_reply: bool = True  # may join its parent's tree when the parent is in the file
    order: tuple = ()
    origin: int = 0  # which file of a multi-file export it came from
    reply_name: str | None = None  # Twitter: in_reply_to_screen_name
    reply_user: str | None = None  # Twitter: in_reply_to_user_id_str


@dataclass
class Dropped:
    """A span of input lines that is not content, and why."""

    source: int
    line_start: int
    line_end: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The contract shape of a dropped span."""
        return {"source": self.source, "line_start": self.line_start, "line_end": self.line_end, "reason": self.reason}


@dataclass
class Duplicate:
    """Parts whose texts are the same (exact) or nearly the same (near)."""

    kind: str
    similarity: float
    parts: list[tuple[str, int | None]]

    def to_json(self) -> dict[str, Any]:
        """The contract shape of a duplicate group."""
        return {"kind": self.kind, "similarity": round(self.similarity, 4), "parts": [list(p) for p in self.parts]}


@dataclass
class ParseResult:
    """Everything `archiver parse` reports for a set of sources."""

    sources: list[Source]
    threads: list[Thread]
    duplicates: list[Duplicate]
    dropped: list[Dropped]

    def to_json(self) -> dict[str, Any]:
        """The `archiver parse --json` document (see the eval CONTRACT)."""
        return {
            "sources": [
                {
                    "index": i,
                    "name": s.name,
                    "kind": s.kind,
                    "sha256": s.sha256,
                    "encoding": s.encoding,
                    "repair": s.repair,
                    "lines": len(s.lines),
                    "format": s.format,
                }
                for i, s in enumerate(self.sources)
            ],
            "threads": [t.to_json() for t in self.threads],
            "duplicates": [d.to_json() for d in self.duplicates],
            "dropped": [d.to_json() for d in self.dropped],
        }
