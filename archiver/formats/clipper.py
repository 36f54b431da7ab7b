"""Web-clipper notes of posts: Obsidian Web Clipper (both layouts), Tweet to Markdown, Omnivore.

Obsidian Web Clipper, "Thread by" layout (clipper 0.10.3-1.5): each post under a header line,
posts joined by rules; replies by other accounts come after the author's posts:

    **Aigerim S.** @aigerim\\_kz [2025-06-01](https://x.com/aigerim_kz/status/1790000000000000001)

"Post by" layout (clipper 1.6+, also for Bluesky, Mastodon and Threads): the author's posts
joined by rules with no header, then `## Comments`, one block quote per reply:

    > **Daniyar T. @daniyar\\_t** · [2025-06-01](https://x.com/daniyar_t/status/1790000000000000007)

Tweet to Markdown: `Aigerim S. ([@aigerim_kz](https://twitter.com/aigerim_kz)) - June 1, 2025
10:15 AM` above each post and `[Tweet link](...)` under it. Omnivore: `> highlight [⤴️](url)`
quotes of one article. Front matter is the source's metadata in every layout.
"""

from __future__ import annotations

import regex

from . import Layout, Post, unescape, unquote
from .document import Document
from .markdown import drop_head

_THREAD_BY = regex.compile(r"^(?:Thread|Post) by (?P<author>@?[\w.\\-]+(?:@[\w.-]+)?)(?: on .+)?$")
_HEADER = regex.compile(
    r"^\*\*(?P<name>[^*\n]{1,80})\*\*\s+@(?P<handle>(?:\\_|[\w.])+)\s+\[(?P<when>[^\]\n]{4,40})\]\((?P<url>https?://[^)\s]+)\)\s*$")
_QUOTE_HEADER = regex.compile(
    r"^>\s*\*\*(?P<name>[^*\n]{1,80}?)\s+@(?P<handle>(?:\\_|[\w.@\-])+)\*\*\s*·\s*"
    r"\[?(?P<when>[^\]\n(]{4,40})\]?(?:\((?P<url>https?://[^)\s]+)\))?\s*$")
_TTM_HEADER = regex.compile(
    r"^(?P<name>[^\n]{1,80}?) \(\[@(?P<handle>\w{1,15})\]\(https?://[^)\s]+\)\)(?: - (?P<when>.{6,40}))?$")
_TTM_LINK = regex.compile(r"^\[(?:Tweet|Thread) link\]\((?P<url>https?://[^)\s]+)\)\s*$")
_AVATAR = regex.compile(r"^!\[[\w.]*\]\(https?://[^)\s]*profile_images[^)\s]*\)\s*$")
_COMMENTS = regex.compile(r"^#{1,3}\s+Comments\s*$")
_OMNIVORE = regex.compile(r"^#Omnivore\s*$")
_OMNIVORE_CHROME = regex.compile(r"^(?:\[Read on Omnivore\]\(.*\)|\[Read Original\]\(.*\)|#Omnivore|#{1,3}\s+Highlights)\s*$")


def read(doc: Document) -> Layout | None:
    """The posts of a web-clipper note, or None when the text is none."""
    if doc.front_matter is None:
        return None
    fields = doc.front_matter[1]
    title = fields.get("title", "")
    if _OMNIVORE.match("\n".join(doc.lines[:40])) or any(_OMNIVORE.match(line) for line in doc.lines[:40]):
        return _omnivore(doc)
    if any(_TTM_HEADER.match(line.strip()) for line in doc.lines[:80]) and "handle" in fields:
        return _tweet_to_markdown(doc, fields)
    m = _THREAD_BY.match(title)
    if m is None:
        return None
    author = "@" + m.group("author").lstrip("@").replace("\\", "")
    return _clip(doc, author)


def _rule_sections(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches of lines start..end (inclusive) between top-level rules, rules left out."""
    rules = [b.start for b in doc.top() if b.kind == "hr" and start <= b.start <= end]
    bounds = [start - 1] + rules + [end + 1]
    return [(a + 1, b - 1) for a, b in zip(bounds, bounds[1:]) if a + 1 <= b - 1]


def _content(doc: Document, a: int, b: int) -> tuple[int, int] | None:
    first = doc.next_content(a)
    if first is None or first > b:
        return None
    while b > first and doc.blank(b):
        b -= 1
    return first, b


def _clip(doc: Document, author: str) -> Layout:
    layout = Layout(format="obsidian-clipper")
    head = drop_head(doc, layout, first=len(doc.lines))
    comments = next((i for i, line in enumerate(doc.lines) if i > head and _COMMENTS.match(line)), len(doc.lines))
    body_end = comments - 1
    for i in range(head + 1, comments):
        if not doc.blank(i) and any(b.kind == "hr" and b.start == i for b in doc.top()):
            layout.dropped[i] = "separator"
    for a, b in _rule_sections(doc, head + 1, body_end):
        span = _content(doc, a, b)
        if span is None:
            continue
        first, last = span
        m = _HEADER.match(doc.lines[first].strip())
        post_author, when, url = author, None, None
        if m:
            layout.dropped[first] = "chrome"
            post_author = "@" + m.group("handle").replace("\\", "")
            when, url = m.group("when"), m.group("url")
            span = _content(doc, first + 1, last)
            if span is None:
                continue
            first, last = span
        own = post_author.casefold() == author.casefold()
        layout.posts.append(Post(first, last, author=post_author, posted_at=when, url=url,
                                 item=not own or not any(p.author == post_author for p in layout.posts),
                                 texts={i: unescape(doc.lines[i]) for i in range(first, last + 1)}))
    if comments < len(doc.lines):
        layout.dropped[comments] = "title"
        _quoted_comments(doc, layout, comments + 1)
    return layout


def _quoted_comments(doc: Document, layout: Layout, start: int) -> None:
    """Each `> **Name @handle** · [date](url)` block quote under `## Comments` is one reply."""
    headers = [i for i in range(start, len(doc.lines)) if _QUOTE_HEADER.match(doc.lines[i].strip())]
    for k, h in enumerate(headers):
        m = _QUOTE_HEADER.match(doc.lines[h].strip())
        layout.dropped[h] = "chrome"
        limit = headers[k + 1] - 1 if k + 1 < len(headers) else len(doc.lines) - 1
        span = _content(doc, h + 1, limit)
        while span is not None and doc.lines[span[0]].strip() in (">", ">>", "> >"):
            span = _content(doc, span[0] + 1, span[1])
        if span is None:
            continue
        first, last = span
        for i in range(h + 1, first):
            if not doc.blank(i):
                layout.dropped[i] = "separator"  # an empty quote line under the header
        while last > first and doc.lines[last].strip() in (">", ">>", "> >"):
            layout.dropped[last] = "separator"
            last -= 1
        empty = frozenset(i for i in range(first, last + 1) if not unquote(doc.lines[i]).strip())
        layout.posts.append(Post(first, last, author="@" + m.group("handle").replace("\\", ""),
                                 posted_at=m.group("when"), url=m.group("url"), item=True, silent=empty,
                                 texts={i: unescape(unquote(doc.lines[i])) for i in range(first, last + 1)}))


def _tweet_to_markdown(doc: Document, fields: dict[str, str]) -> Layout:
    layout = Layout(format="tweet-to-markdown")
    head = drop_head(doc, layout, first=len(doc.lines))
    main = "@" + fields["handle"].lstrip("@")
    for i in range(head + 1, len(doc.lines)):
        if any(b.kind == "hr" and b.start == i for b in doc.top()):
            layout.dropped[i] = "separator"
    previous_author = None
    for a, b in _rule_sections(doc, head + 1, len(doc.lines) - 1):
        span = _content(doc, a, b)
        if span is None:
            continue
        first, last = span
        author = when = url = None
        while first <= last and (_AVATAR.match(doc.lines[first].strip()) or _TTM_HEADER.match(doc.lines[first].strip())):
            m = _TTM_HEADER.match(doc.lines[first].strip())
            if m:
                author, when = "@" + m.group("handle"), m.group("when")
            layout.dropped[first] = "chrome"
            first = doc.next_content(first + 1) or last + 1
        while last >= first and (m := _TTM_LINK.match(doc.lines[last].strip())):
            url = m.group("url")
            layout.dropped[last] = "chrome"
            last -= 1
            while last > first and doc.blank(last):
                last -= 1
        if first > last:
            continue
        author = author or main
        layout.posts.append(Post(first, last, author=author, posted_at=when, url=url,
                                 item=author != previous_author or author != main))
        previous_author = author
    return layout


def _omnivore(doc: Document) -> Layout:
    layout = Layout(format="omnivore")
    head = drop_head(doc, layout, first=len(doc.lines))
    for i in range(head + 1, len(doc.lines)):
        if doc.blank(i):
            continue
        if _OMNIVORE_CHROME.match(doc.lines[i].strip()):
            layout.dropped[i] = "metadata"
        else:
            layout.notes.append(i)
    return layout
