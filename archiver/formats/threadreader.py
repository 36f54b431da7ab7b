"""Thread Reader App unrolls, copied from threadreaderapp.com or clipped from it.

    Thread by @aigerim_kz on Thread Reader App          <- title: the author
    Observers at polling station 112 were asked ...    <- one tweet per paragraph, no headers
    The commission chair said ...
    • • •                                               <- the end of the thread
    Missing some Tweet in this thread? ...              <- the page's chrome, and other threads
    More from @aigerim_kz                                  of the author: dropped

An unroll holds only the author's tweets, in order: one thread.
"""

from __future__ import annotations

import regex

from ..markers import Marker, find_marker
from . import Layout, Post
from .document import Document

_TITLE = regex.compile(r"^(?:#\s+)?Thread by (?P<handle>@\w{1,15})(?: on Thread Reader App)?(?:\s*[–-]\s*Thread Reader App)?$",
                       regex.IGNORECASE)
_END = regex.compile(r"^•\s*•\s*•$")
_CHROME = regex.compile(r"^(?:Enter URL or ID to Unroll|Unroll|Help|Thread Reader|Share this page!?|"
                        r"Missing some Tweet in this thread\?.*|Keep Current with .+|Stay in touch and get notified.*|"
                        r"This Thread may be Removed Anytime!?|Twitter may remove this content at anytime!.*|"
                        r"Send Email!?|Email the whole thread instead of just a link!?|More from @\w+|"
                        r"Read on (?:Twitter|X))$", regex.IGNORECASE)


def read(doc: Document) -> Layout | None:
    """The tweets of a Thread Reader App unroll, or None when the text is none."""
    title = next((i for i, line in enumerate(doc.lines[:30]) if _TITLE.match(line.strip())), None)
    if title is None:
        return None
    end = next((i for i in range(title + 1, len(doc.lines)) if _END.match(doc.lines[i].strip())), None)
    tail = [i for i in range(title + 1, len(doc.lines)) if _CHROME.match(doc.lines[i].strip())]
    if end is None and not tail:
        return None
    stop = end if end is not None else tail[0]
    handle = "@" + _TITLE.match(doc.lines[title].strip()).group("handle").lstrip("@")
    layout = Layout(format="thread-reader-app", meta={"author": handle})
    layout.drop(0, title, "title", doc)
    for i in range(title + 1, stop):
        if _CHROME.match(doc.lines[i].strip()):
            layout.dropped[i] = "chrome"
    layout.drop(stop, len(doc.lines) - 1, "chrome", doc)
    blocks = _paragraphs(doc, title + 1, stop - 1, layout)
    for a, b in blocks:
        marker = find_marker(doc.lines[a])
        opening = marker is not None and marker.position in ("start", "line")
        layout.posts.append(Post(a, b, author=handle, item=not layout.posts,
                                 marker=Marker(marker.n, marker.total, "start", marker.text, marker.start,
                                               marker.end) if opening else None,
                                 marker_line=a if opening else None))
    return layout if layout.posts else None


def _paragraphs(doc: Document, start: int, end: int, layout: Layout) -> list[tuple[int, int]]:
    """Blank-line separated paragraphs; with no blank line at all, every line is a tweet."""
    lines = [i for i in range(start, end + 1) if not doc.blank(i) and i not in layout.dropped]
    if not lines:
        return []
    if all(b - a == 1 for a, b in zip(lines, lines[1:])):
        return [(i, i) for i in lines]
    blocks = [[lines[0]]]
    for i in lines[1:]:
        if i == blocks[-1][-1] + 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    return [(b[0], b[-1]) for b in blocks]
