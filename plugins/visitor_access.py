"""Datasette plugin (loaded with --plugins-dir): private material and hardened publishing.

Private material (see archiver/public_views.py for what counts as private):
- While the archive holds nothing private it is simply public: every table is open. From the
  moment a private source is committed (checked on every request, never cached), an anonymous
  visitor reads the archive only through the `public_*` views: every other table
  (the raw tables, the full-text index tables, anything added later) is refused (`view-table`),
  and so are arbitrary SQL (`execute-sql`), database downloads and writable canned queries. A
  canned query that would read anything but the public views and the full-text indexes of public
  material is refused too (checked by preparing its SQL under an SQLite authorizer), so a query
  added to the metadata later cannot leak by mistake. An archive whose public views do not leave
  out a private source (`private` set by hand, not yet repaired by an `archiver` command) shows
  anonymous visitors nothing at all.
- The canned queries in datasette-metadata.json are written against the public views; for a
  signed-in reader (any authenticated actor) the `canned_queries` hook gives the same queries on
  the raw tables and the full-text indexes of everything (archiver/fts.py), so a reader sees
  everything.
- Sign-in is datasette-auth-passwords, configured from the environment: when
  ARCHIVER_PASSWORD_HASH holds a hash (`datasette hash-password`), the account
  ARCHIVER_USERNAME (default `reader`) can sign in at /-/login. Only an `{"$env": ...}` reference
  is in the configuration, never the hash.

Hardened publishing (an ASGI wrapper around the whole app):
- a request path starting with `//` or holding a backslash or a control character is a 404, and
  a redirect whose Location would leave the site (`//evil.example`, `/\\evil.example`,
  another host) is refused: open-redirect probes go nowhere;
- a response to a request carrying credentials (the ds_actor cookie or an Authorization header)
  is `Cache-Control: private, no-store`, so a shared cache never serves a reader's page to the
  public;
- bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) are removed from
  every HTML page, so archived text cannot reorder what is shown around it (JSON keeps the text
  exactly);
- every response says `X-Content-Type-Options: nosniff`.

This file is exec'd by Datasette as a standalone module: only absolute imports work.
"""

from __future__ import annotations

import copy
import re
import sys
from urllib.parse import parse_qsl, urlsplit

from datasette import hookimpl

from archiver import public_views, signin
from archiver.fts import projected

BIDI_UTF8 = re.compile(rb"\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")  # U+202A-U+202E, U+2066-U+2069
UNSAFE_PATH = re.compile(r"^//|[\\\x00-\x1f\x7f]")
# `?_fts_table=`/`?_fts_pk=` would let a visitor match any full-text index against a view's ids:
# an oracle on private text (which fragments, by rowid, contain a word). The metadata's own
# fts_table/fts_pk settings still work.
FTS_OVERRIDES = ("_fts_table", "_fts_pk")

_query_checks: dict[tuple[str, str], bool] = {}


# ---------------------------------------------------------------------------------------------
# Permissions

async def _state(datasette, database: str | None) -> str:
    """"public" when no archive (this one, or any when none is named) holds a private source,
    "unsafe" when one's public views do not leave out its private sources, else "projected"
    (archiver/public_views.py: public_state).

    Asked on every request, never cached: a private ingest is hidden from its first commit."""
    names = [database] if database else [n for n in datasette.databases if not n.startswith("_")]
    states = set()
    for name in names:
        db = datasette.get_database(name)
        if await db.table_exists("sources"):
            states.add(await db.execute_fn(public_views.public_state))
    return "unsafe" if "unsafe" in states else "projected" if "projected" in states else "public"


@hookimpl(trylast=True)
def permission_allowed(datasette, actor, action, resource):
    """Runs last, so its answer for an anonymous visitor is final; a reader gets the defaults, and
    so does everybody while the archive holds nothing private."""
    if signin.is_reader(actor):
        return None
    database = resource[0] if isinstance(resource, (tuple, list)) else resource

    async def inner():
        if action == "view-query" or action == "view-table" or action in ("execute-sql", "view-database-download"):
            state = await _state(datasette, database if isinstance(database, str) else None)
            if state == "public":
                return None
            if state == "unsafe":
                return False
        if action in ("execute-sql", "view-database-download"):
            return False
        if action == "view-table":
            return None if resource[1] in public_views.PUBLIC_VIEWS else False
        if action == "view-query":
            query = await datasette.get_canned_query(resource[0], resource[1], actor)
            if query is None:
                return None
            if query.get("write"):
                return False
            return None if await _reads_only_public(datasette, resource[0], query.get("sql") or "") else False
        return None

    if action in ("execute-sql", "view-database-download", "view-table", "view-query"):
        return inner
    return None


async def _reads_only_public(datasette, database: str, sql: str) -> bool:
    key = (database, sql)
    if key not in _query_checks:
        unsafe = await datasette.get_database(database).execute_fn(lambda conn: public_views.unsafe_reads(conn, sql))
        _query_checks[key] = not unsafe
    return _query_checks[key]


@hookimpl
def canned_queries(datasette, database, actor):
    """For a signed-in reader: the metadata's canned queries on the raw tables (and the full-text
    indexes of everything, while the archive keeps a public projection)."""
    if not signin.is_reader(actor):
        return None

    async def inner():
        queries = datasette.metadata("queries", database=database, fallback=False) or {}
        db = datasette.get_database(database)
        on = await db.table_exists("sources") and await db.execute_fn(projected)
        return {
            name: {**query, "sql": public_views.full_sql(query["sql"], on)}
            for name, query in queries.items()
            if isinstance(query, dict) and isinstance(query.get("sql"), str)
        }

    return inner


@hookimpl
def get_metadata(datasette, key, database, table):
    """Sign-in configuration from the environment (a `$env` reference, resolved by Datasette), and
    a fresh copy of the canned queries on every look-up of them.

    The copy matters: Datasette 0.65 merges the `canned_queries` hook's answer into the dict that
    `metadata("queries")` returned, which without it is the metadata file's own dict, so a
    reader's raw-table SQL would stay in place for the next (anonymous) request."""
    out: dict = {}
    auth = signin.auth_plugin_config()
    if auth is not None:
        out["plugins"] = {signin.AUTH_PLUGIN: auth}
    if key == "queries":
        local = getattr(datasette, "_metadata_local", None) or {}
        databases = {
            name: {"queries": copy.deepcopy(config["queries"])}
            for name, config in (local.get("databases") or {}).items()
            if isinstance(config, dict) and isinstance(config.get("queries"), dict)
        }
        if databases:
            out["databases"] = databases
    return out or None


@hookimpl
def startup(datasette):
    """Warn about an archive without the public views (made before them and not since opened by
    `archiver`): anonymous visitors would see none of its tables."""
    async def inner():
        for name, db in datasette.databases.items():
            if name.startswith("_") or not await db.table_exists("sources"):
                continue
            missing = sorted(public_views.PUBLIC_VIEWS - set(await db.view_names()))
            if missing:
                print(f"Warning: {name} has no {', '.join(missing)}: anonymous visitors see none of its tables;"
                      f" `archiver serve` adds them", file=sys.stderr)

    return inner


# ---------------------------------------------------------------------------------------------
# The ASGI wrapper

def _header(headers, name: bytes) -> bytes | None:
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def _without(headers, *names: bytes) -> list:
    return [(k, v) for k, v in headers if k.lower() not in names]


def _safe_location(location: str, host: bytes | None) -> bool:
    """A redirect target on this site: a path (not `//host` or `/\\host`), a relative URL, or this host."""
    if UNSAFE_PATH.search(location.lstrip("/")) or " " in location:
        return False
    if location.startswith("/"):
        return not location.startswith("//")
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        return parts.scheme in ("http", "https") and host is not None and parts.netloc.encode("latin-1", "replace") == host
    return True


async def _plain(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hardened(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            if UNSAFE_PATH.search(scope.get("path") or ""):
                return await _plain(send, 404, "Not found")
            query = parse_qsl((scope.get("query_string") or b"").decode("utf-8", "replace"), keep_blank_values=True)
            if any(key.strip() in FTS_OVERRIDES for key, _ in query):
                return await _plain(send, 400, "The _fts_table and _fts_pk parameters are turned off")
            request_headers = scope.get("headers") or []
            host = _header(request_headers, b"host")
            cookie = _header(request_headers, b"cookie") or b""
            credentialed = _header(request_headers, b"authorization") is not None or b"ds_actor=" in cookie
            state = {"html": None, "chunks": [], "refused": False}

            async def guarded_send(message):
                if state["refused"]:
                    return
                if message["type"] == "http.response.start":
                    headers = [(bytes(k), bytes(v)) for k, v in message.get("headers") or []]
                    location = _header(headers, b"location")
                    if location is not None and not _safe_location(location.decode("latin-1"), host):
                        state["refused"] = True
                        return await _plain(send, 400, "Refused a redirect that would leave this site")
                    if credentialed:
                        headers = _without(headers, b"cache-control") + [(b"cache-control", b"private, no-store")]
                    if _header(headers, b"x-content-type-options") is None:
                        headers.append((b"x-content-type-options", b"nosniff"))
                    message = dict(message, headers=headers)
                    if (_header(headers, b"content-type") or b"").lower().startswith(b"text/html"):
                        state["html"] = message  # held until the whole page is there
                        return
                    return await send(message)
                if message["type"] == "http.response.body" and state["html"] is not None:
                    state["chunks"].append(message.get("body", b""))
                    if message.get("more_body"):
                        return
                    body = BIDI_UTF8.sub(b"", b"".join(state["chunks"]))
                    start = state["html"]
                    headers = start["headers"]
                    if _header(headers, b"content-length") is not None:
                        headers = _without(headers, b"content-length") + [(b"content-length", str(len(body)).encode())]
                    state["html"] = None
                    await send(dict(start, headers=headers))
                    return await send({"type": "http.response.body", "body": body})
                return await send(message)

            await app(scope, receive, guarded_send)

        return hardened

    return wrap
