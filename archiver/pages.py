"""What the archive's web pages share: links to a thread's part and to a source's cited lines, the
citation of a thread, and the figures on the front page.

Pure functions over stored rows (no Datasette here): the plugins in plugins/ call them, and so do
the tests. Plugins are exec'd by Datasette as standalone modules and cannot import each other,
so what two of them need lives here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any

from .queries import StoredThread
from .render import part_slots

LINES_PER_PAGE = 5_000  # the source viewer shows a long source this many lines at a time
_SAFE_URL = re.compile(r"https?://[^\s<>\"'\\`\x00-\x1f\x7f]+\Z")


def tilde_encode(value: str) -> str:
    """Datasette's tilde encoding of a path segment (`datasette.utils.tilde_encode`), without Datasette."""
    safe = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return "".join(c if c in safe else "".join(f"~{b:02X}" for b in c.encode("utf-8")) for c in value)


def part_anchor(n: int | None, fragment_id: str) -> str:
    """The id of a part on its thread page: `part-N`, or `fragment-ID` for an unnumbered part."""
    return f"part-{n}" if n is not None else f"fragment-{fragment_id}"


def thread_path(thread_id: str, n: int | None = None, fragment_id: str | None = None) -> str:
    """The thread page's path (under the site's base URL), at the part when one is given."""
    path = "/-/threads/" + tilde_encode(thread_id)
    if n is not None or fragment_id is not None:
        path += "#" + part_anchor(n, fragment_id or "")
    return path


def _span(line_start: int | None, line_end: int | None, one: str, many: str) -> str:
    """A span of lines written with `one` (a single line: {a}) or `many` ({a} to {b}); empty without lines."""
    if line_start is None:
        return ""
    if line_end is None or line_end == line_start:
        return one.format(a=line_start)
    return many.format(a=line_start, b=line_end)


def line_fragment(line_start: int | None, line_end: int | None) -> str:
    """`#L40-L42` (or `#L40`) naming cited lines in the source viewer; empty without lines."""
    return _span(line_start, line_end, "#L{a}", "#L{a}-L{b}")


def page_start(line: int | None) -> int:
    """The first line of the viewer's page that shows `line`."""
    if not line or line < 1:
        return 1
    return (line - 1) // LINES_PER_PAGE * LINES_PER_PAGE + 1


def source_path(source_id: int, line_start: int | None = None, line_end: int | None = None,
                lines: int | None = None) -> str:
    """The source viewer's path with the cited lines highlighted; a long source opens at the page
    holding them."""
    path = f"/-/sources/{int(source_id)}"
    if line_start is not None and lines is not None and lines > LINES_PER_PAGE and page_start(line_start) > 1:
        path += f"?start={page_start(line_start)}"
    return path + line_fragment(line_start, line_end)


def lines_label(line_start: int | None, line_end: int | None) -> str:
    """`line 5` or `lines 40–42` (empty without lines)."""
    return _span(line_start, line_end, "line {a}", "lines {a}–{b}")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit to be a link, else None."""
    return url if url and _SAFE_URL.match(url) else None


def thread_sources(thread: StoredThread) -> list[dict[str, Any]]:
    """Every source a thread's parts were seen in, once each, in the order first cited."""
    seen: dict[int, dict[str, Any]] = {}
    for part in thread.parts:
        for s in part.sightings:
            if s.source_id not in seen:
                seen[s.source_id] = {"id": s.source_id, "name": s.source_name, "sha256": s.sha256}
    return list(seen.values())


def citation_text(thread: StoredThread, page_url: str | None, archived: str | None, site: str,
                  sources: list[dict[str, Any]] | None = None) -> str:
    """The plain-text citation of a thread: title, author, parts present, archive id, original
    URLs where known, each source's sha256, archived date and the page's URL."""
    present = len({p.n for p in thread.parts if p.n is not None}) or len(thread.parts)
    title = " ".join((thread.title or f"Untitled {thread.kind}").split())
    head = f"“{title}”"
    if thread.author:
        head += f", {thread.kind} by {' '.join(thread.author.split())}"
    else:
        head += f", {thread.kind}"
    if thread.total:
        head += f", {present} of {thread.total} parts"
        if thread.missing:
            head += " (missing: " + ", ".join(str(n) for n in thread.missing) + ")"
    lines = [head + "."]
    lines.append(f"{site}, thread {thread.id}" + (f", archived {archived[:10]}" if archived else "")
                 + (f": {page_url}" if page_url else "."))
    originals = [u for u in dict.fromkeys([thread.url] + [p.url for p in thread.parts]) if safe_url(u)]
    if originals:
        lines.append("Original: " + " ".join(originals))
    for s in sources if sources is not None else thread_sources(thread):
        lines.append(f"Source: {' '.join((s['name'] or '').split())}, sha256 {s['sha256']}")
    return "\n".join(lines)


def description(thread: StoredThread, limit: int = 200) -> str:
    """A short description of a thread for link previews: its first part's text, shortened."""
    for _, part in part_slots(thread):
        if part is not None and part.text:
            text = " ".join(part.text.split())
            return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
    return ""


def front_figures(conn: sqlite3.Connection, sql: Callable[[str], str] = lambda s: s) -> dict[str, Any]:
    """The archive's figures for the front page (threads, incomplete threads, sources, last ingest),
    read through the public views (a reader's `sql` rewrites them to the tables)."""
    def one(statement: str):
        return conn.execute(sql(statement)).fetchone()[0]

    return {
        "threads": one("select count(*) from public_threads"),
        "incomplete": one("select count(*) from public_threads where kind != 'article' and not complete"),
        "sources": one("select count(*) from public_sources"),
        "last_ingest": one("select max(ingested_at) from public_sources"),
        "recent": [dict(zip(("id", "title", "kind", "parts", "total", "complete"), r)) for r in conn.execute(sql(
            "select id, title, kind, parts, total, complete from public_threads order by rowid desc limit 8"))],
    }
