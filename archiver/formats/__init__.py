"""Capture formats: recognise the layout a text was captured in, before reconstruction.

People hold posts as text in many layouts: a web-clipper note, a read-later export, a thread
draft in Markdown, a copy of a platform's web page. Each layout says things the plain decoder
would otherwise have to guess: which lines are metadata or page chrome, where each post starts
and ends, who wrote it, when, and its status URL, and whether the posts form one thread or are
separate posts. A format reads those facts into a `Layout`; reconstruction (`archiver.segment`,
`archiver.reconstruct`) then takes the posts the layout fixes as they are and decodes the rest
of the text as before.

Each format is one module of this package holding its data (header patterns, chrome vocabulary)
and one `read(doc) -> Layout | None` function; `FORMATS` lists them in the order they are tried,
so a new format is added in one place. Everything here is pure: lines in, a Layout out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from ..markers import Marker
from .document import Document


@dataclass
class Post:
    """A post a format found: lines start..end (0-based, inclusive) and what the layout says of it."""

    start: int
    end: int
    marker: Marker | None = None
    marker_line: int | None = None
    author: str | None = None
    posted_at: str | None = None
    url: str | None = None
    item: bool = False  # a new item: never a continuation of the thread above it
    silent: frozenset[int] = frozenset()  # lines of the span that carry no text of the post (a marker line)
    texts: dict[int, str] = field(default_factory=dict)  # the clean text of lines whose markup is not the post's


@dataclass
class Layout:
    """What a capture format read from a text; lines are 0-based."""

    format: str = "plain"
    meta: dict[str, str] = field(default_factory=dict)  # title, source URL, author, dates
    dropped: dict[int, str] = field(default_factory=dict)  # line -> reason (metadata, chrome, title, separator)
    posts: list[Post] = field(default_factory=list)  # in line order, never overlapping
    notes: list[int] = field(default_factory=list)  # lines of prose outside the posts (notes, an article): one article

    def drop(self, start: int, end: int, reason: str, doc: Document) -> None:
        """Drop every non-blank line of start..end (inclusive) with this reason."""
        for i in range(start, end + 1):
            if not doc.blank(i):
                self.dropped[i] = reason


PLAIN = Layout()

_ESCAPE = regex.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_QUOTE = regex.compile(r"^\s*(?:>\s?)+")


def unescape(text: str) -> str:
    """Markdown text without its backslash escapes (`@ana\\_example` -> `@ana_example`)."""
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


def unquote(text: str) -> str:
    """A block-quote line without its `>` markers."""
    return _QUOTE.sub("", text, count=1)

Reader = Callable[[Document], "Layout | None"]


def _formats() -> list[tuple[str, Reader]]:
    from . import article, clipper, drafts, pages, readwise, threadreader, xpage

    return [("readwise", readwise.read), ("clipper", clipper.read), ("thread-reader", threadreader.read),
            ("drafts", drafts.read), ("pages", pages.read), ("x-web", xpage.read),
            ("fields", drafts.read_fields), ("sections", drafts.read_sections), ("dated", drafts.read_dated),
            ("titled", drafts.read_titled), ("article", article.read)]


def read_layout(lines: list[str]) -> Layout:
    """The layout of a text: the first format that recognises it, else the plain layout."""
    doc = Document(lines)
    for _, read in _formats():
        layout = read(doc)
        if layout is not None:
            return layout
    return PLAIN
