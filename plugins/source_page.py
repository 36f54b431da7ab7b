"""Datasette plugin (loaded with --plugins-dir): the source viewer.

Routes:
  /-/sources/<id>        the source's text with line numbers, each line addressable (#L40) and a span
                         highlighted and scrolled into view (#L40-L42: the links "Seen in" gives),
                         with its sha256, encoding, size, the capture format recognised, when it was
                         archived and the threads it gave; a long source a page of lines at a time
                         (?start=N)
  /-/sources/<id>/raw    the source as received, byte for byte, as a download

Privacy: an anonymous visitor sees only public sources (a private one is a 404, as is everything
while the archive's public side does not leave the private sources out); a signed-in reader sees all.

This file is exec'd by Datasette as a standalone module: only absolute imports work.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from datasette import Forbidden, NotFound, Response, hookimpl
from datasette.utils import tilde_encode

from archiver.pages import LINES_PER_PAGE, page_start, safe_url
from archiver.signin import is_reader
from archiver.source_view import find_source, original_bytes, read_lines, source_threads

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
MAX_DOWNLOAD = 64 * 1024 * 1024  # larger sources: `archiver export` or the archive file
CAPTURE_LABELS = {"title": "Title", "author": "Author", "source": "Captured from", "published": "Published",
                  "date": "Date", "captured": "Captured", "url": "Address"}


def clean(text) -> str:
    """Displayed text: the bidi override and isolate controls removed."""
    return BIDI_CONTROLS.sub("", str(text) if text is not None else "")


async def _source(datasette, request):
    """The archive, the source the URL names (as the visitor may see it), and whether they are anonymous."""
    source_id = int(request.url_vars["id"])
    db = None
    for name, candidate in datasette.databases.items():
        if not name.startswith("_") and await candidate.table_exists("sources"):
            db = candidate
            break
    if db is None:
        raise NotFound("No archive is served here")
    if not await datasette.permission_allowed(request.actor, "view-database", db.name, default=True):
        raise Forbidden("You may not read this archive")
    public = not is_reader(request.actor)
    source = await db.execute_fn(lambda conn: find_source(conn, source_id, public))
    if source is None:
        raise NotFound("No source with that id")
    return db, source, public


def _size(n: int | None) -> str:
    if n is None:
        return ""
    if n < 1024:
        return f"{n:,} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:,.1f} KB ({n:,} bytes)"
    return f"{n / 1024 / 1024:,.1f} MB ({n:,} bytes)"


async def source_page(datasette, request) -> Response:
    """/-/sources/<id>: the source's facts and a page of its lines."""
    db, source, public = await _source(datasette, request)
    start = page_start(int(request.args.get("start"))) if (request.args.get("start") or "").isdigit() else 1
    total = source.lines or 0

    def load(conn):
        read_lines(conn, source, start, LINES_PER_PAGE)
        return source_threads(conn, source.id, public)

    threads = await db.execute_fn(load)
    base = datasette.urls.path(f"/-/sources/{source.id}")
    pages = {}
    if start > 1:
        pages["previous"] = base + ("?" + urlencode({"start": max(1, start - LINES_PER_PAGE)})
                                    if start - LINES_PER_PAGE > 1 else "")
    if start + LINES_PER_PAGE <= total:
        pages["next"] = base + "?" + urlencode({"start": start + LINES_PER_PAGE})
    facts = [("sha256", source.sha256, "code"), ("Size", _size(source.bytes), ""),
             ("Lines", f"{total:,}" if source.lines is not None else "", ""),
             ("Encoding", clean(source.encoding) + (f" (repaired: {clean(source.repair)})" if source.repair else ""), ""),
             ("Format recognised", clean(source.format or "plain"), ""), ("Came in as", clean(source.kind), ""),
             ("Archived", clean(source.ingested_at), "time")]
    if source.fetched_at:
        facts.append(("Fetched", clean(source.fetched_at), "time"))
    for key, value in source.capture.items():
        facts.append((CAPTURE_LABELS.get(key, key.replace("_", " ").capitalize()), clean(value), ""))
    if not public:
        facts.append(("Private", "yes: hidden from anonymous visitors" if source.private else "no", ""))
    context = {
        "database": db.name,
        "site_title": datasette.metadata("title") or "Thread archive",
        "source": source,
        "name": clean(source.name),
        "facts": facts,
        "url": safe_url(source.url),
        "lines": [{"n": source.start + i, "text": clean(line)} for i, line in enumerate(source.text)],
        "first": source.start,
        "last": source.start + len(source.text) - 1,
        "total": total,
        "paged": total > LINES_PER_PAGE,
        "per_page": LINES_PER_PAGE,
        "pages": pages,
        "base": base,
        "raw_url": base + "/raw",
        "downloadable": (source.bytes or 0) <= MAX_DOWNLOAD,
        "threads": [{"url": datasette.urls.path("/-/threads/" + tilde_encode(t["id"])),
                     "title": clean(t["title"]) or f"Untitled {t['kind']}", "kind": t["kind"], "line": t["line"],
                     "line_url": f"#L{t['line']}" if t["line"] and start <= t["line"] < start + LINES_PER_PAGE
                     else (base + "?" + urlencode({"start": page_start(t["line"])}) + f"#L{t['line']}" if t["line"] else None)}
                    for t in threads],
        "table_url": datasette.urls.row(db.name, "sources", str(source.id)) if not public
        else datasette.urls.table(db.name, "public_sources") + "?" + urlencode({"id": source.id, "_nocol": "content"}),
    }
    return Response.html(await datasette.render_template("source.html", context, request=request))


async def source_raw(datasette, request) -> Response:
    """/-/sources/<id>/raw: the source as received, as a download."""
    db, source, _ = await _source(datasette, request)
    data = await db.execute_fn(lambda conn: original_bytes(conn, source, MAX_DOWNLOAD))
    if data is None:
        return Response.text(
            f"This source is not served whole here ({_size(source.bytes)}): `archiver export` writes it,"
            " with the threads citing it, from the archive file.", status=413)
    filename = re.sub(r"[^\w.-]", "_", source.name or f"source-{source.id}")[:120] or f"source-{source.id}"
    return Response(data, content_type="application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff",
        "X-Source-Sha256": source.sha256})


@hookimpl
def register_routes():
    """The source viewer and the raw download."""
    return [
        (r"^/-/sources/(?P<id>\d{1,18})$", source_page),
        (r"^/-/sources/(?P<id>\d{1,18})/raw$", source_raw),
    ]
