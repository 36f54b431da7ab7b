"""Datasette plugin (loaded with --plugins-dir): the front page and the search page.

Routes:
  /-/search        search the archive's text: FTS5 query syntax with a one-line explanation and a
                   corrected query instead of an error, facets (kind, author, source, month),
                   relevance or date order, paging through every match (archiver/search.py);
                   each hit links to its part on the thread page and to its source's cited lines
  /-/search.json   the same results as JSON

The front page (templates/index.html) is a search box with the archive's figures (threads,
incomplete threads, sources, last ingest), the queries and the threads archived last.

Privacy: an anonymous visitor searches and counts the public views and the full-text index of
public material only; a signed-in reader the tables and the index of everything (archiver/public_views.py).
An archive whose public side does not leave its private sources out ("unsafe") shows anonymous
visitors nothing.

This file is exec'd by Datasette as a standalone module: only absolute imports work.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from datasette import Forbidden, NotFound, Response, hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

from archiver import search
from archiver.fts import projected
from archiver.pages import front_figures, lines_label, part_anchor, source_path
from archiver.public_views import full_sql, public_state
from archiver.signin import is_reader
from archiver.render import part_label

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FACET_TITLES = {"kind": "Kind", "author": "Author", "source": "Source", "month": "Month"}
FACET_NOTES = {"month": "posted, or archived when the post date is unknown"}


def clean(text: str | None) -> str:
    """Displayed text: the bidi override and isolate controls removed."""
    return BIDI_CONTROLS.sub("", text or "")


def marked(snippet: str) -> Markup:
    """A snippet with its match markers shown as <mark>, everything else escaped."""
    out = []
    for i, piece in enumerate(re.split(f"[{search.HIT_START}{search.HIT_END}]", clean(snippet))):
        out.append(Markup("<mark>{}</mark>").format(piece) if i % 2 else escape(piece))
    return Markup("".join(out))


async def archive_database(datasette, request):
    """The archive searched: `?db=` when given, else the first database holding an archive."""
    name = request.args.get("db")
    if name:
        if name not in datasette.databases or name.startswith("_"):
            raise NotFound("No such database")
        return datasette.get_database(name)
    for db_name, db in datasette.databases.items():
        if not db_name.startswith("_") and await db.table_exists("sources"):
            return db
    raise NotFound("No archive is served here")


async def reading_sql(db, request):
    """(is the visitor a reader, the rewrite of the public views' SQL for them, is the archive's
    public side safe to show): anonymous visitors read the public views, as they are."""
    reader = is_reader(request.actor)

    def state(conn):
        return projected(conn), public_state(conn)

    on, public = await db.execute_fn(state)
    if reader:
        return True, (lambda s: full_sql(s, on)), True
    return False, (lambda s: s), public != "unsafe"


async def _search(datasette, request):
    """The archive, the results the request asks for, and whether the visitor is a reader."""
    db = await archive_database(datasette, request)
    if not await datasette.permission_allowed(request.actor, "view-database", db.name, default=True) or \
            not await datasette.permission_allowed(request.actor, "view-instance", default=True):
        raise Forbidden("You may not search this archive")
    args = request.args
    query = search.parse_query(args.get("q"))
    filters = search.clean_filters(args)
    sort = args.get("sort") if args.get("sort") in search.SORTS else "relevance"
    page = int(args.get("page")) if (args.get("page") or "").isdigit() else 1
    page = min(page, search.WINDOW // search.PAGE_SIZE)
    cursor = int(args.get("after")) if (args.get("after") or "").isdigit() else None
    reader, sql, shown = await reading_sql(db, request)
    if not shown:
        query = search.Query(query.text, None)

    def run(conn):
        return search.run_search(conn, query, filters, sort, page, cursor, sql=sql)

    return db, await db.execute_fn(run), reader


def _link(request, changes: dict, drop: tuple[str, ...] = ("page", "after")) -> str:
    """This page's URL with some parameters changed (None removes one), paging reset."""
    args = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True)
            if k not in changes and k not in drop]
    args += [(k, v) for k, v in changes.items() if v is not None]
    return "?" + urlencode(args)


def _hit(datasette, db, hit: search.Hit) -> dict:
    parts = []
    for p in hit.parts:
        parts.append({
            "url": datasette.urls.path("/-/threads/" + tilde_encode(p["thread_id"]) + "#" + part_anchor(p["n"], hit.fragment_id)),
            "title": clean(p["title"]) or f"Untitled {p['kind']}",
            "label": part_label(p["n"], p["total"]),
            "kind": p["kind"],
            "author": clean(p["author"]),
            "posted_at": p["posted_at"],
        })
    seen = [{
        "url": datasette.urls.path(source_path(s["source_id"], s["line_start"], s["line_end"], s["lines"])),
        "name": clean(s["name"]),
        "lines": lines_label(s["line_start"], s["line_end"]),
    } for s in hit.sightings]
    return {"fragment_id": hit.fragment_id, "snippet": marked(hit.snippet), "parts": parts, "seen": seen[:3],
            "more_seen": max(0, len(seen) - 3), "archived": (hit.first_seen_at or "")[:10],
            "sightings_url": datasette.urls.query(db.name, "sightings") + "?" + urlencode({"fragment": hit.fragment_id})}


async def search_page(datasette, request) -> Response:
    """/-/search: the results page, with facets, orders and paging."""
    db, results, reader = await _search(datasette, request)
    q = results.query
    facets = []
    for name in search.FACETS:
        values = results.facets.get(name) or []
        if not values:
            continue
        facets.append({"name": name, "title": FACET_TITLES[name], "note": FACET_NOTES.get(name), "options": [{
            "label": clean(v["label"]), "count": v["count"], "selected": v["selected"],
            "url": _link(request, {name: None if v["selected"] else v["value"]}),
        } for v in values]})
    chosen = [{"title": FACET_TITLES[k], "label": clean(next((v["label"] for v in results.facets.get(k, [])
                                                             if v["value"] == value), value)),
               "url": _link(request, {k: None})} for k, value in results.filters.items()]
    pager = {}
    if results.sort == "relevance":
        if results.page > 1:
            pager["previous"] = _link(request, {"page": str(results.page - 1) if results.page > 2 else None})
        if results.next_page:
            pager["next"] = _link(request, {"page": str(results.next_page)})
    else:
        if results.cursor is not None:
            pager["first"] = _link(request, {})
        if results.next_cursor is not None:
            pager["next"] = _link(request, {"after": str(results.next_cursor)})
    context = {
        "database": db.name,
        "site_title": datasette.metadata("title") or "Thread archive",
        "q": q.text,
        "results": results,
        "hits": [_hit(datasette, db, h) for h in results.hits],
        "facets": facets,
        "chosen": chosen,
        "sorts": [{"name": s, "label": {"relevance": "Best matches", "newest": "Newest archived",
                                        "oldest": "Oldest archived"}[s],
                   "url": _link(request, {"sort": None if s == "relevance" else s}), "current": s == results.sort}
                  for s in search.SORTS],
        "suggestion_url": _link(request, {"q": q.suggestion}) if q.suggestion else None,
        "pager": pager,
        "first_hit": (results.page - 1) * search.PAGE_SIZE + 1 if results.sort == "relevance" else None,
        "window": search.WINDOW,
        "facet_sample": search.FACET_SAMPLE,
        "json_url": datasette.urls.path("/-/search.json") + (("?" + request.query_string) if request.query_string else ""),
        "reader": reader,
    }
    return Response.html(await datasette.render_template("search.html", context, request=request))


async def search_json(datasette, request) -> Response:
    """/-/search.json: the same results as JSON (snippets mark the match [[like this]])."""
    db, results, _ = await _search(datasette, request)
    q = results.query
    return Response.json({
        "database": db.name,
        "q": q.text,
        "searched": q.fts,
        "problem": q.problem,
        "suggestion": q.suggestion,
        "filters": results.filters,
        "sort": results.sort,
        "total": results.total,
        "ranked_among_most_recent": search.WINDOW if results.windowed else None,
        "count": results.count,
        "page": results.page if results.sort == "relevance" else None,
        "next": (_link(request, {"page": str(results.next_page)}) if results.next_page else
                 _link(request, {"after": str(results.next_cursor)}) if results.next_cursor is not None else None),
        "facets": {k: [{kk: v[kk] for kk in ("value", "label", "count")} for v in vals]
                   for k, vals in results.facets.items()},
        "facets_sampled": results.facet_sampled,
        "hits": [{"fragment_id": h.fragment_id, "snippet": h.snippet.replace(search.HIT_START, "[[").replace(
            search.HIT_END, "]]"), "first_seen_at": h.first_seen_at, "parts": h.parts,
                  "sightings": [{k: s[k] for k in ("source_id", "name", "line_start", "line_end")} for s in h.sightings]}
                 for h in results.hits],
    })


@hookimpl
def register_routes():
    """The search page and its JSON."""
    return [
        (r"^/-/search$", search_page),
        (r"^/-/search\.json$", search_json),
    ]


@hookimpl
def extra_template_vars(template, request, datasette):
    """The front page's figures, queries and latest threads, as the visitor may see them."""
    if template not in ("index.html", "database.html") or request is None:
        return None

    async def inner():
        try:
            db = await archive_database(datasette, request)
        except NotFound:
            return {}
        reader, sql, shown = await reading_sql(db, request)
        queries = []
        for name, query in (await datasette.get_canned_queries(db.name, request.actor)).items():
            if await datasette.permission_allowed(request.actor, "view-query", (db.name, name), default=True):
                queries.append({"name": name, "title": query.get("title") or name,
                                "description": query.get("description") or "",
                                "url": datasette.urls.query(db.name, name)})
        if template == "database.html":
            return {"archive_queries": queries}
        figures = await db.execute_fn(lambda conn: front_figures(conn, sql)) if shown else None
        recent = []
        for t in (figures or {}).get("recent", []):
            recent.append({"url": datasette.urls.path("/-/threads/" + tilde_encode(t["id"])),
                           "title": clean(t["title"]) or f"Untitled {t['kind']}", "kind": t["kind"],
                           "label": f"{t['parts']}/{t['total']}" if t["total"] else str(t["parts"] or ""),
                           "complete": t["complete"]})
        return {"archive": {
            "database": db.name,
            "figures": figures,
            "recent": recent,
            "queries": queries,
            "search_url": datasette.urls.path("/-/search"),
            "incomplete_url": datasette.urls.query(db.name, "incomplete_threads"),
            "sources_url": datasette.urls.query(db.name, "sources"),
            "recent_url": datasette.urls.query(db.name, "recent"),
            "database_url": datasette.urls.database(db.name),
            "reader": reader,
        }}

    return inner


@hookimpl
def menu_links(datasette):
    """The search page, from the menu of every page."""
    return [{"href": datasette.urls.path("/-/search"), "label": "Search the archive"}]
