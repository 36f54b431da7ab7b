"""Readwise exports (Markdown, as synced to Obsidian, Logseq or a folder), and Omnivore notes.

    # Linux vs GNU/Linux vs Al...                       <- title: dropped
    ![rw-book-cover](https://pbs.twimg.com/...)         <- cover: dropped
    ## Metadata                                         <- metadata block: dropped, read into meta
    - Author: [[@iximiuz on Twitter]]
    - Full Title: Linux vs GNU/Linux vs Al...
    - Category: #tweets
    - URL: https://twitter.com/iximiuz/status/1560977903227383810
    ## Highlights                                       <- dropped; so is "## New highlights added ..."
    - Linux vs GNU/Linux vs Alpine Linux 🧵              <- one list item per tweet, continuation
      1. Linux is the kernel. ([View Tweet](https://twitter.com/iximiuz/status/1560977903227383810))

A page of category #tweets is one thread, except a "Tweets From {name}" page, which collects
separate tweets. Highlights of any other category (articles, books) are quotes of one article.
"""

from __future__ import annotations

import regex

from ..markers import Marker, find_marker
from . import Layout, Post, unescape
from .document import Document

_METADATA = regex.compile(r"^#{2,3}\s+Metadata\s*$")
_HIGHLIGHTS = regex.compile(r"^#{2,3}\s+(?:Highlights|New highlights added\b.*)$", regex.IGNORECASE)
_FIELD = regex.compile(r"^\s*[-*]\s+(?P<key>Author|Full Title|Category|URL|Title|Document Tags|Summary):\s*(?P<value>.*)$")
_AUTHOR = regex.compile(r"^\[\[(?P<name>.+?)(?: on (?:Twitter|X))?\]\]$")
_VIEW = regex.compile(r"\(\[View (?:Tweet|Post|Highlight)\]\((?P<url>https?://[^)\s]+)\)\)\s*$")
_STATUS = regex.compile(r"https?://(?:www\.|mobile\.)?(?:twitter\.com|x\.com)/(?P<handle>\w{1,15})/status/\d+")
_ITEM_MARKER = regex.compile(r"^(?:/(?P<slash>\d{1,3})|(?P<ord>\d{1,3})[.)])(?=\s)")
_FULL_DOCUMENT = regex.compile(r"^#{2,3}\s+Full Document\s*$", regex.IGNORECASE)


def read(doc: Document) -> Layout | None:
    """The tweets of a Readwise export page, or None when the text is not one."""
    meta_at = next((i for i, line in enumerate(doc.lines[:40]) if _METADATA.match(line)), None)
    if meta_at is None:
        return None
    # the body starts at `## Highlights`, or at `## Full Document` (Reader saves the whole
    # document; a long summary field can run over many lines before it)
    body = next((k for k, line in enumerate(doc.lines[meta_at:meta_at + 200], meta_at)
                 if _HIGHLIGHTS.match(line) or _FULL_DOCUMENT.match(line)), None)
    if body is None:
        return None
    layout = Layout(format="readwise")
    fields: dict[str, str] = {}
    i = 0
    while i < body:
        line = doc.lines[i]
        m = _FIELD.match(line)
        if m:
            fields[m.group("key").lower()] = m.group("value").strip()
        if not doc.blank(i):
            layout.dropped[i] = "title" if line.startswith("# ") else "metadata"
        i += 1
    author = _author(fields.get("author", ""))
    layout.meta.update({k: v for k, v in (("title", fields.get("full title")), ("source", fields.get("url")),
                                          ("author", author)) if v})
    tweets = fields.get("category", "").lstrip("#").lower() in ("tweets", "tweet", "twitter")
    if _FULL_DOCUMENT.match(doc.lines[body]):
        layout.dropped[body] = "title"
        status = _STATUS.match(fields.get("url", ""))
        return _full_document(doc, layout, body, tweets, "@" + status.group("handle") if status else author)
    # Readwise titles such a page `Tweets From {name}` (older exports: `Tweets from {name}`)
    separate = fields.get("full title", doc.lines[0]).lstrip("# ").casefold().startswith(("tweets from", "posts from"))
    items = [b for b in doc.blocks if b.kind == "item" and b.depth == 0 and b.start > i]
    for k, line in enumerate(doc.lines[i:], i):
        if _HIGHLIGHTS.match(line):
            layout.dropped[k] = "title"
    for b in items:
        end = b.end
        while end > b.start and doc.blank(end):
            end -= 1
        if not tweets:
            layout.notes.extend(j for j in range(b.start, end + 1) if not doc.blank(j))
            continue
        url = next((m.group("url") for j in range(b.start, end + 1) if (m := _VIEW.search(doc.lines[j]))), None)
        status = _STATUS.match(url or "")
        marker, marker_line = _marker(doc, b.start, end)
        layout.posts.append(Post(b.start, end, marker=marker, marker_line=marker_line, url=url, item=separate,
                                 author="@" + status.group("handle") if status else author,
                                 texts={j: _clean(doc.lines[j], j == b.start, marker if j == marker_line else None)
                                        for j in range(b.start, end + 1)}))
    if tweets and not separate:
        _keep_consistent_markers(layout.posts)
    if not tweets:
        layout.format = "readwise-article"
    return layout


def _full_document(doc: Document, layout: Layout, body: int, tweets: bool, handle: str | None) -> Layout:
    """A Reader `## Full Document`: a thread's tweets (`tweets`: of category #tweets) between rules
    (`---`), each maybe opening with its marker on a line of its own; any other document, or a
    thread saved without rules, is left to the rest of reconstruction (an article's prose, a
    thread's text)."""
    rules = [b.start for b in doc.top() if b.kind == "hr" and b.start > body]
    layout.format = "readwise-document"
    if not tweets or not rules:
        return layout
    for r in rules:
        layout.dropped[r] = "separator"
    for a, b in zip([body] + rules, rules + [len(doc.lines)]):
        start = doc.next_content(a + 1)
        if start is None or start >= b:
            continue
        end = b - 1
        while doc.blank(end):
            end -= 1
        found = find_marker(doc.lines[start])
        marker = None
        if found is not None and found.position in ("start", "line"):
            marker = Marker(found.n, found.total, "start", found.text, found.start, found.end)
        silent = frozenset({start}) if found is not None and found.position == "line" else frozenset()
        layout.posts.append(Post(start, end, marker=marker, marker_line=start if marker else None, author=handle,
                                 item=not layout.posts, silent=silent))
    return layout


def _keep_consistent_markers(posts: list[Post]) -> None:
    """Numbers at the start of the tweets number the thread only when they rise with the tweets:
    a list numbered `1.`..`6.` across several tweets is text, and so is a lone number. A bare
    list number (`3.`) must equal the tweet's place; `/3` or `3/10` may skip a tweet that is
    missing from the export."""
    marked = [(k, p) for k, p in enumerate(posts, 1) if p.marker is not None]
    numbers = [p.marker.n for _, p in marked]
    rising = len(marked) >= 2 and all(a < b for a, b in zip(numbers, numbers[1:]))
    ordinal_ok = all(p.marker.n == k for k, p in marked if p.marker.text[:1].isdigit() and "/" not in p.marker.text)
    if not (rising and ordinal_ok):
        for _, p in marked:
            p.marker = p.marker_line = None


_BULLET = regex.compile(r"^\s*[-*+]\s+")


def _clean(line: str, first: bool, marker: Marker | None) -> str:
    """A highlight line as the tweet's text: no list bullet, no marker, no `([View Tweet](...))`."""
    text = _VIEW.sub("", line).rstrip()
    text = _BULLET.sub("", text, count=1) if first else text.strip()
    if marker is not None:
        text = text.strip()
        text = text[len(marker.text):].lstrip() if text.startswith(marker.text) else text
    return unescape(text)


def _author(value: str) -> str | None:
    m = _AUTHOR.match(value.strip())
    name = (m.group("name") if m else value).strip()
    if not name:
        return None
    return name if name.startswith("@") else None


def _marker(doc: Document, start: int, end: int) -> tuple[Marker | None, int | None]:
    """A tweet's own number on its first two lines: `/3 text`, `3. text`, `3/10 text`."""
    for j in range(start, min(start + 2, end + 1)):
        text = doc.lines[j].strip()
        if j == start:
            text = text[1:].lstrip() if text[:1] in "-*+" else text
        m = _ITEM_MARKER.match(text)
        if m:
            n = int(m.group("slash") or m.group("ord"))
            return Marker(n, None, "start", m.group(0), 0, 0), j
        found = find_marker(text)
        if found is not None and found.position in ("start", "line"):
            return Marker(found.n, found.total, "start", found.text, 0, 0), j
    return None, None
