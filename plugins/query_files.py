"""Datasette plugin (loaded with --plugins-dir): the canned queries, read from plugins/queries/*.sql.

Each file is one query with its title, description for people, labelled parameters and the message
said when a parameter names nothing (archiver/site_queries.py). They are added to the metadata of
every database served (an archive served under another file name, or a snapshot, gets them too),
so `datasette serve --plugins-dir plugins --metadata datasette-metadata.json` serves them as
`archiver serve` does. The visitor_access plugin decides who may run each (plugins/visitor_access.py).

For the query page (plugins/templates/query.html) it also gives the share link, the message for
an empty result and the labels of the form.

This file is exec'd by Datasette as a standalone module: only absolute imports work.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_decode

from archiver.search import fts_expression
from archiver.site_queries import load_queries

QUERIES = Path(__file__).resolve().parent / "queries"


def archive_databases(datasette) -> list[str]:
    """The databases the queries are offered on: every one served but Datasette's own."""
    return [name for name in datasette.databases if not name.startswith("_")]


@hookimpl
def get_metadata(datasette, key, database, table):
    """The queries of plugins/queries/*.sql, for every database served (a fresh copy each time:
    Datasette merges later metadata into what a hook returns)."""
    if key not in (None, "queries"):
        return None
    names = archive_databases(datasette)
    if not names:
        return None
    queries = load_queries(QUERIES)
    return {"databases": {name: {"queries": load_queries(QUERIES) if i else queries} for i, name in enumerate(names)}}


@hookimpl
def prepare_connection(conn):
    """`fts_query(q)`: the FTS5 expression a typed query is searched as (archiver/search.py)."""
    conn.create_function("fts_query", 1, fts_expression, deterministic=True)


@hookimpl
def extra_template_vars(template, database, request, datasette):
    """On a canned query page: its form's labels, the share link and the empty-result message."""
    if template != "query.html" or request is None or database is None:
        return None
    name = request.url_vars.get("table")
    if not name:
        return None
    name = tilde_decode(name)

    async def inner():
        query = await datasette.get_canned_query(database, name, request.actor)
        if not query:
            return {}
        params = query.get("params") or []
        values = {p: (request.args.get(p) or "").strip() for p in params}
        given = {p: v for p, v in values.items() if v}
        message = query.get("empty_message") or "Nothing found."
        for p, v in values.items():
            message = message.replace("{" + p + "}", v)
        path = datasette.urls.query(database, name)
        shared = path + ("?" + urlencode(given) if given else "")
        return {"archive_query": {
            "labels": query.get("param_labels") or {},
            "hints": query.get("param_hints") or {},
            "button": query.get("button") or "Show",
            "empty_message": message if given or not params else "",
            "needs_input": bool(params) and not given,
            "share_url": datasette.absolute_url(request, shared),
            "csv_url": datasette.absolute_url(request, path + ".csv" + ("?" + urlencode(given) if given else "")),
            "json_url": datasette.absolute_url(request, path + ".json?" + urlencode({**given, "_shape": "array"})),
        }}

    return inner
