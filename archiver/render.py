"""Rendering a stored thread as text, Markdown or JSON, gaps and provenance visible."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from .errors import one_line
from .queries import StoredThread, ThreadPart
from .wording import plural


def _slots(thread: StoredThread) -> list[tuple[int | None, ThreadPart | None]]:
    """Parts in order with a None slot for each missing number."""
    slots: list[tuple[int | None, ThreadPart | None]] = [(p.n, p) for p in thread.parts]
    slots += [(n, None) for n in thread.missing]
    slots.sort(key=lambda s: (s[0] if s[0] is not None else 0, s[1] is not None))
    return slots


def _label(n: int | None, total: int | None) -> str:
    return f"{n}/{total}" if total else (str(n) if n is not None else "")


def part_slots(thread: StoredThread) -> list[tuple[int | None, ThreadPart | None]]:
    """Public form of the slot list: (n, part) in order, part None where that number is missing."""
    return _slots(thread)


def part_label(n: int | None, total: int | None) -> str:
    """`n/N` when the total is known, else `n` (empty for an unnumbered part)."""
    return _label(n, total)


def _provenance(part: ThreadPart, name=one_line) -> str:
    return "; ".join(f"{name(s.source_name or '')} lines {s.line_start}-{s.line_end} (sha256 {(s.sha256 or '')[:12]})"
                     for s in part.sightings)


def render_text(thread: StoredThread) -> str:
    """Plain text: a header, then each part with its n/N and where it was seen."""
    out = [one_line(thread.title or ""), f"{thread.kind} {thread.id}"
           + (f" by {one_line(thread.author)}" if thread.author else "")
           + (f", {len(thread.parts)}/{plural(thread.total, 'part')}" if thread.total else f", {plural(len(thread.parts), 'part')}"),
           ""]
    for n, part in _slots(thread):
        if part is None:
            out += [f"[part {_label(n, thread.total)} missing]", ""]
            continue
        out.append(f"[{_label(n, thread.total)}]" + (" (number inferred)" if part.inferred and thread.kind != "article" else ""))
        out.append(part.text)
        out.append(f"  -- {_provenance(part)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# Characters that start Markdown (CommonMark, GFM) inline syntax anywhere in a line: links and
# images ([ ]), raw HTML and autolinks (< >), entities (&), emphasis (* _), code spans (`) and
# the escape itself. Backslash-escaped they show as themselves.
_MD_INLINE = re.compile(r"[\\`*_\[\]<>&]")
# In a URL only those that could end or turn it into markup: `&`, `_` and `*` are left for the
# renderer's linkifier to keep the URL whole.
_MD_URL_INLINE = re.compile(r"[\\`\[\]<>]")
_URL = re.compile(r"https?://[^\s<>\[\]`]+")
# What makes a line a block of its own (quotes, emphasis-like breaks and ``` fences are escaped
# inline already): a heading, a list item, a thematic break or setext underline, a ~~~ fence.
# Escaped (the marker, or an ordered item's delimiter), the line stays text.
_MD_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|[-+](?=\s|$)|[-=]+\s*$|~{3,})|^(\s*\d{1,9})([.)](?=\s|$))")


def markdown_text(text: str) -> str:
    """Text that a Markdown renderer shows as written: every character that could start markup
    (a link, an image, raw HTML such as <script>, emphasis, code, a heading or list at the start
    of a line) backslash-escaped, and control characters escaped so a line stays one line.
    Ordinary words and URLs read as they are."""
    out, pos = [], 0
    for m in _URL.finditer(text):
        out.append(_MD_INLINE.sub(r"\\\g<0>", text[pos:m.start()]))
        out.append(_MD_URL_INLINE.sub(r"\\\g<0>", m.group()))
        pos = m.end()
    out.append(_MD_INLINE.sub(r"\\\g<0>", text[pos:]))
    escaped = "".join(out)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if m.group(2) is not None
                              else m.group(3) + "\\" + m.group(4), escaped)


def _markdown_line(text: str) -> str:
    """One line of Markdown text: line ends and other controls shown escaped, then markup escaped."""
    return markdown_text(one_line(text))


_SAFE_URL = re.compile(r"https?://[^\s<>\\`\x00-\x1f\x7f]+\Z")


def render_markdown(thread: StoredThread) -> str:
    """Markdown for pasting into an article: quoted parts, gaps and sources listed. Everything
    taken from the archive (title, author, part texts, source names) is escaped so that it renders
    as the text it is: no raw HTML, link or image reaches the page built from it."""
    out = [f"# {_markdown_line(thread.title or '')}", ""]
    meta = [f"{thread.kind} `{thread.id}`"]
    if thread.author:
        meta.append(f"by {_markdown_line(thread.author)}")
    if thread.url:
        meta.append(f"<{thread.url}>" if _SAFE_URL.match(thread.url) else _markdown_line(thread.url))
    out += [", ".join(meta), ""]
    for n, part in _slots(thread):
        if part is None:
            out += [f"> *[part {_label(n, thread.total)} missing]*", ""]
            continue
        # (indentation dropped: four spaces would make the line a code block, its escapes shown)
        body = "\n".join("> " + markdown_text(one_line(line.lstrip(" \t"))) for line in part.text.split("\n"))
        out += [_part_head(thread, n, part), body, "", f"<sub>{_provenance(part, _markdown_line)}</sub>", ""]
    return "\n".join(out).rstrip() + "\n"


def _part_head(thread: StoredThread, n: int | None, part: ThreadPart) -> str:
    """A part's Markdown heading line: its n/N and every flag the thread page shows (number
    inferred, conflicting copies), its own author and time when given, its original post."""
    head = [f"**{_label(n, thread.total)}**"] if _label(n, thread.total) else []
    if part.inferred and thread.kind != "article":
        head.append("*number inferred*")
    if part.conflict:
        head.append("*conflicting copies*")
    if part.author and part.author != thread.author:
        head.append("by " + _markdown_line(part.author))
    if part.posted_at:
        head.append(_markdown_line(part.posted_at))
    if part.url:
        head.append(f"<{part.url}>" if _SAFE_URL.match(part.url) else _markdown_line(part.url))
    return " · ".join(head)


def render_json(thread: StoredThread) -> str:
    """The stored thread as JSON."""
    return json.dumps(asdict(thread), ensure_ascii=False, indent=1)
