"""Datasette plugin (loaded with --plugins-dir): unrolled thread pages and links in table cells.

Routes:
  /-/threads/<id>     the thread as one page: parts in order with n/N, a block for each missing
                      part, where every part was seen (source and lines, linked to the source
                      viewer with the lines highlighted, sha256 prefix), a citation to copy, Open
                      Graph tags for link previews, and a print stylesheet (a clean PDF)
  /-/threads/<id>.md  the same thread as Markdown, as a download (archiver.render.render_markdown:
                      missing parts, inferred numbers and conflicts kept)
  /-/threads/<id>.zip its evidence package: Markdown, JSON, each source byte for byte and a
                      manifest of sha256 sums (archiver/package.py)
An alias left by a merge redirects to the canonical id; an unknown id is a 404. An anonymous
visitor gets the thread as the public views show it (archiver/public_views.py): a private thread is a
404, and a public thread's private parts are absent (shown as missing), in the page, the Markdown
and the package alike.

Every piece of archived text is escaped (Jinja autoescape, or markupsafe's Markup.format), and
the bidi override/isolate controls (U+202A-U+202E, U+2066-U+2069) are removed from displayed text
so a pasted post cannot reorder what is shown around it.

This file is exec'd by Datasette as a standalone module: only absolute imports work.
"""

from __future__ import annotations

import copy
import json
import re
from urllib.parse import urlencode

import sqlite_utils
from datasette import NotFound, Response, hookimpl
from datasette.utils import tilde_decode, tilde_encode
from markupsafe import Markup, escape

from archiver.package import TooLarge, build_package, package_folder_name, zip_bytes
from archiver.pages import citation_text, description, lines_label, part_anchor, safe_url, source_path, thread_sources
from archiver.public_views import load_public_thread
from archiver.signin import is_reader
from archiver.queries import NotFound as NoSuchThread
from archiver.queries import StoredThread, load_thread
from archiver.render import part_label, part_slots, render_markdown

# The database name the metadata file configures; other names get the same configuration.
METADATA_DATABASE = "archive"
# The most source bytes an evidence package built by the server holds (`archiver export` has no limit).
MAX_PACKAGE_SOURCES = 64 * 1024 * 1024

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
TAG_CANDIDATE = re.compile(r"[#@]\w+")
HIGHLIGHT = re.compile(r"\[\[(.*?)\]\]", re.S)  # the markers the canned queries give snippet()
THREAD_LINK_COLUMNS = {"thread_id"}
FRAGMENT_LINK_COLUMNS = {"fragment_id", "other_fragment_id", "fragment_a", "fragment_b"}


def clean(text: str | None) -> str:
    """Displayed text: the bidi override and isolate controls removed."""
    return BIDI_CONTROLS.sub("", text or "")


def find_tags(text: str) -> list[re.Match]:
    """#hashtags and @mentions: a sigil not glued to a preceding word (so not an e-mail address),
    unless it follows another tag directly (`@hrw@freedomhouse` is two mentions), with a letter."""
    found: list[re.Match] = []
    for m in TAG_CANDIDATE.finditer(text):
        start = m.start()
        before = text[start - 1] if start else " "
        chained = bool(found) and found[-1].end() == start
        if (chained or not (before.isalnum() or before in "_&/#@")) and any(c.isalpha() for c in m.group()[1:]):
            found.append(m)
    return found


def search_url(datasette, database: str, q: str) -> str:
    """The search page (plugins/search_page.py) for a hashtag or a mention."""
    return datasette.urls.path("/-/search") + "?" + urlencode({"q": q})


def thread_url(datasette, thread_id: str, suffix: str = "") -> str:
    return datasette.urls.path("/-/threads/" + tilde_encode(thread_id) + suffix)


def html(template: str, *values) -> Markup:
    """`Markup(template).format(*values)`, every value escaped the same way (markupsafe.escape:
    a value with __html__ as is, anything else as escaped text), without string.Formatter's cost:
    a search page renders thousands of cells."""
    return Markup(template.format(*[escape(v) for v in values]))


def linked_text(text: str | None, datasette, database: str) -> Markup:
    """Escaped text with each #hashtag and @mention linked to the search query."""
    text = clean(text)
    out, pos = [], 0
    for m in find_tags(text):
        out.append(escape(text[pos:m.start()]))
        out.append(html('<a class="tag" href="{}">{}</a>', search_url(datasette, database, m.group()), m.group()))
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def highlighted(snippet: str) -> Markup:
    """An FTS snippet with its [[match]] markers shown as <mark>, everything else escaped."""
    snippet = clean(snippet)
    out, pos = [], 0
    for m in HIGHLIGHT.finditer(snippet):
        out.append(escape(snippet[pos:m.start()]))
        out.append(html("<mark>{}</mark>", m.group(1)))
        pos = m.end()
    out.append(escape(snippet[pos:]))
    return Markup("".join(out))


# ---------------------------------------------------------------------------------------------
# Thread pages

async def _load(datasette, request):
    thread_id = tilde_decode(request.url_vars["id"])
    db = datasette.get_database()
    loader = load_thread if is_reader(request.actor) else load_public_thread

    def load(conn) -> StoredThread | None:
        try:
            return loader(sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False), thread_id)
        except NoSuchThread:
            return None

    thread = await db.execute_fn(load)
    if thread is None:
        raise NotFound("No thread with that id")
    return db, thread, thread.id != thread_id


async def thread_markdown(datasette, request):
    _, thread, aliased = await _load(datasette, request)
    if aliased:
        return Response.redirect(thread_url(datasette, thread.id, ".md"))
    filename = re.sub(r"[^\w.-]", "_", thread.id) + ".md"
    return Response(
        render_markdown(thread),
        content_type="text/markdown; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff", "Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def thread_zip(datasette, request) -> Response:
    """/-/threads/<id>.zip: the thread's evidence package (archiver/package.py), as the visitor may see it."""
    db, thread, aliased = await _load(datasette, request)
    if aliased:
        return Response.redirect(thread_url(datasette, thread.id, ".zip"))
    public = not is_reader(request.actor)
    page_url = datasette.absolute_url(request, thread_url(datasette, thread.id))
    site = datasette.metadata("title") or "Thread archive"

    def build(conn):
        try:
            return build_package(conn, thread, public, page_url, site, max_source_bytes=MAX_PACKAGE_SOURCES)
        except TooLarge as e:
            return str(e)

    files = await db.execute_fn(build)
    if isinstance(files, str):
        return Response.text(f"This thread's evidence package is too large to build here: {files}.", status=413)
    folder = package_folder_name(thread.id)
    return Response(zip_bytes(files, folder), content_type="application/zip", headers={
        "X-Content-Type-Options": "nosniff", "Content-Disposition": f'attachment; filename="{folder}.zip"'})


async def thread_page(datasette, request):
    db, thread, aliased = await _load(datasette, request)
    if aliased:
        return Response.redirect(thread_url(datasette, thread.id))
    reader = is_reader(request.actor)
    prefix = "" if reader else "public_"  # anonymous visitors read the public views only

    source_ids = sorted({s.source_id for p in thread.parts for s in p.sightings})
    line_counts = {r[0]: r[1] for r in await db.execute(
        f"select id, lines from {prefix}sources where id in (select value from json_each(:ids))",
        {"ids": json.dumps(source_ids)})}
    dates = await db.execute(f"select created_at, updated_at from {prefix}threads where id = :id", {"id": thread.id})
    created, updated = (dates.first() or (None, None))

    def source_url(source_id: int, line_start: int | None, line_end: int | None) -> str:
        return datasette.urls.path(source_path(source_id, line_start, line_end, line_counts.get(source_id)))

    # The other threads each fragment also belongs to (a repost quoted in another thread).
    elsewhere: dict[str, list[dict]] = {}
    for r in await db.execute(
            f"select p.fragment_id, p.thread_id, p.n, t.total, t.title from {prefix}thread_parts p"
            f" join {prefix}threads t on t.id = p.thread_id"
            f" where p.fragment_rowid in (select fragment_rowid from {prefix}thread_parts where thread_id = :id)"
            " and p.thread_id != :id order by p.thread_id, p.n", {"id": thread.id}):
        elsewhere.setdefault(r["fragment_id"], []).append({
            "url": thread_url(datasette, r["thread_id"]),
            "title": clean(r["title"]) or r["thread_id"],
            "label": part_label(r["n"], r["total"]),
        })

    slots, tags = [], {}
    for n, part in part_slots(thread):
        label = part_label(n, thread.total)
        if part is None:
            slots.append({"missing": True, "n": n, "label": label})
            continue
        for m in find_tags(clean(part.text)):
            tags.setdefault(m.group().lower(), m.group())
        sightings = [{
            "source": clean(s.source_name),
            "source_url": source_url(s.source_id, s.line_start, s.line_end),
            "lines": lines_label(s.line_start, s.line_end),
            "sha256": (s.sha256 or "")[:12],
        } for s in part.sightings]
        slots.append({
            "missing": False,
            "n": n,
            "anchor": part_anchor(n, part.fragment_id),
            "label": label,
            "html": linked_text(part.text, datasette, db.name),
            "inferred": part.inferred and thread.kind != "article",
            "conflict": part.conflict,
            "marker": clean(part.marker),
            "author": clean(part.author) if part.author and part.author != thread.author else "",
            "posted_at": part.posted_at,
            "original": part.url if part.url and part.url.startswith(("https://", "http://")) else None,
            "fragment_id": part.fragment_id,
            "sightings_url": datasette.urls.query(db.name, "sightings") + "?" + urlencode({"fragment": part.fragment_id}),
            "seen": sightings[:1],
            "also_seen": sightings[1:],
            "elsewhere": elsewhere.get(part.fragment_id, []),
        })

    present = len({p.n for p in thread.parts if p.n is not None})
    site_title = datasette.metadata("title") or "Thread archive"
    page_url = datasette.absolute_url(request, thread_url(datasette, thread.id))
    sources = [{**src, "name": clean(src["name"]), "url": source_url(src["id"], None, None)}
               for src in thread_sources(thread)]
    originals = [u for u in dict.fromkeys([thread.url] + [p.url for p in thread.parts]) if safe_url(u)]
    context = {
        "database": db.name,
        "thread": thread,
        "site_title": site_title,
        "title": clean(thread.title) or f"Untitled {thread.kind}",
        "author": clean(thread.author),
        "present": present,
        "slots": slots,
        "tags": [{"text": t, "url": search_url(datasette, db.name, t)} for t in tags.values()],
        "md_url": thread_url(datasette, thread.id, ".md"),
        "query_url": datasette.urls.query(db.name, "thread") + "?" + urlencode({"id": thread.id}),
        "row_url": datasette.urls.row(db.name, "threads", tilde_encode(thread.id)) if reader
        else datasette.urls.table(db.name, "public_threads") + "?" + urlencode({"id": thread.id}),
        "url": thread.url if thread.url and thread.url.startswith(("https://", "http://")) else None,
        "zip_url": thread_url(datasette, thread.id, ".zip"),
        "page_url": page_url,
        "created": created,
        "updated": updated,
        "sources": sources,
        "originals": originals,
        "citation": clean(citation_text(thread, page_url, created, site_title)),
        "og_description": clean(description(thread)),
    }
    return Response.html(await datasette.render_template("thread.html", context, request=request))


@hookimpl
def register_routes():
    return [
        (r"^/-/threads/(?P<id>[^/]+)\.md$", thread_markdown),
        (r"^/-/threads/(?P<id>[^/]+)\.zip$", thread_zip),
        (r"^/-/threads/(?P<id>[^/]+)$", thread_page),
    ]


# ---------------------------------------------------------------------------------------------
# Table and query pages

@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if isinstance(value, dict) and "value" in value:
        return _foreign_key_cell(value["value"], value.get("label"), column, table, database, datasette)
    if not isinstance(value, str):
        return None
    if table and table.startswith("public_"):
        table = table[len("public_"):]  # a public view shows like its table
    if column in THREAD_LINK_COLUMNS or (table == "threads" and column == "id"):
        return html('<a href="{}">{}</a>', thread_url(datasette, value), clean(value))
    if column == "part" and table is None and "thread_id" in row.keys() and row["thread_id"]:
        n = value.split("/", 1)[0]  # a canned query's `n/N`: the link lands on the part
        if n.isdigit():
            return html('<a href="{}">{}</a>', thread_url(datasette, row["thread_id"], "#part-" + n), value)
    if table == "sources" and column == "name" and "id" in row.keys() and isinstance(row["id"], int):
        return html('<a href="{}" title="Read the source"><bdi>{}</bdi></a>',
                    datasette.urls.path(source_path(row["id"])), clean(value))
    if column in ("source", "name") and "source_id" in row.keys() and isinstance(row["source_id"], int):
        lines = [row[c] if c in row.keys() and isinstance(row[c], int) else None for c in ("line_start", "line_end")]
        url = datasette.urls.path(source_path(row["source_id"], lines[0], lines[1]))
        return html('<a href="{}" title="Read the source"><bdi>{}</bdi></a>', url, clean(value))
    if table == "threads" and column == "title" and "id" in row.keys():
        return html('<a href="{}"><bdi>{}</bdi></a>', thread_url(datasette, row["id"]), clean(value))
    if column in FRAGMENT_LINK_COLUMNS or (table == "fragments" and column == "id"):
        url = datasette.urls.query(database, "sightings") + "?" + urlencode({"fragment": value})
        return html('<a href="{}" title="Where this text was seen">{}</a>', url, clean(value))
    if column == "snippet" and table is None:
        return highlighted(value)
    if column in ("text", "other_text") and table in (None, "fragments"):
        return html('<div dir="auto" style="white-space: pre-wrap">{}</div>', linked_text(value, datasette, database))
    if BIDI_CONTROLS.search(value):
        return html("<bdi>{}</bdi>", clean(value))
    return None


def _foreign_key_cell(value, label, column, table, database, datasette):
    """A foreign key Datasette has expanded to {"value", "label"}: thread ids go to the thread page;
    a label holding bidi controls is rebuilt like Datasette's own link, with them removed."""
    if column in THREAD_LINK_COLUMNS:
        return Markup('<a href="{}"><bdi>{}</bdi></a>&nbsp;<em>{}</em>').format(
            thread_url(datasette, str(value)), clean(str(label if label is not None else value)), value)
    if not (isinstance(label, str) and BIDI_CONTROLS.search(label)):
        return None

    async def link():
        fks = await datasette.get_database(database).foreign_keys_for_table(table)
        other = next((fk["other_table"] for fk in fks if fk["column"] == column), None)
        if other is None:
            return Markup("<bdi>{}</bdi>").format(clean(label))
        url = datasette.urls.row(database, other, tilde_encode(str(value)))
        return Markup('<a href="{}"><bdi>{}</bdi></a>&nbsp;<em>{}</em>').format(url, clean(label), value)

    return link()


@hookimpl
def get_metadata(datasette, key, database, table):
    """Apply the metadata written for the `archive` database to an archive served under another
    file name (`archiver serve d.db` names its database `d`)."""
    local = getattr(datasette, "_metadata_local", None) or {}
    config = (local.get("databases") or {}).get(METADATA_DATABASE)
    if not config:
        return None
    others = [name for name in datasette.databases if name not in ("_internal", "_memory", METADATA_DATABASE)
              and name not in local["databases"]]
    # Copies: Datasette merges later metadata into what a hook returns (see plugins/visitor_access.py).
    return {"databases": {name: copy.deepcopy(config) for name in others}} if others else None
