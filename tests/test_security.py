"""Hardened publishing: the probes of Datasette's past advisories, replayed against the archive as
`archiver serve` publishes it, plus the project's own rules for archived text.

- GHSA-w3hf-fcg5-p4cc (fixed in 0.65.3): SQL injection through the column name of
  `?col__arraycontains=`, a boolean oracle on any table without execute-sql;
- CVE-2021-32670 (0.56.1): reflected XSS through `?_trace=1`;
- 0.64.8: 404 pages reflecting text from the URL;
- 0.65.2 / 1.0a21 and 1.0a33: open redirects through `//evil.example/` and `/\\evil.example/`;
- a bidi override (U+202E) in archived text must not reorder any HTML page;
- `?_fts_table=` must not turn a view's search into an oracle on another index;
- a page made for a signed-in reader must never be stored by a shared cache.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tomllib
import types
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

import pytest
from datasette import Response, hookimpl
from datasette.plugins import pm
from datasette.version import __version__ as datasette_version

from archiver import public_views
from archiver.ingest import ingest_text
from site_helpers import PRIVATE_NAMES, build_archive, ingest_private, make_datasette, reader, thread_id_by_title

ROOT = Path(__file__).resolve().parent.parent
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Archived text and a source name carrying bidi controls, on every kind of page.
BIDI_DUMP = (
    "1/2 Statement of \u202eNOITCIVNOC\u202c by the court #\u2067bidi\u2069tag\n"
    "2/2 Appeal \u2066filed\u2069 by @\u202amonitor\u202c on \u202dtime\u202c\n"
)
BIDI_NAME = "appeal-\u202etxt.exe"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("security")
    db = build_archive(folder / "archive.db")
    ingest_text(db, BIDI_DUMP, name=BIDI_NAME)
    ingest_private(db, folder)
    return db


async def raw_get(ds, raw_path: str, headers: list[tuple[bytes, bytes]] | None = None):
    """A GET with exactly this path (httpx would read `//host/` as another host): (status, headers, body)."""
    path, _, query = raw_path.partition("?")
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http", "path": unquote(path),
             "raw_path": path.encode("latin-1"), "query_string": query.encode("latin-1"), "root_path": "",
             "headers": [(b"host", b"localhost"), *(headers or [])], "server": ("localhost", 80),
             "client": ("127.0.0.1", 1)}
    out = {"status": None, "headers": {}, "body": b""}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {bytes(k).decode().lower(): bytes(v).decode("latin-1") for k, v in message["headers"]}
        else:
            out["body"] += message.get("body", b"")

    await ds.invoke_startup()
    await ds.app()(scope, receive, send)
    return out["status"], out["headers"], out["body"].decode("utf-8", "replace")


# --- the pinned Datasette ---------------------------------------------------------------------------

def test_datasette_is_pinned_to_a_patched_release():
    version = tuple(int(x) for x in re.findall(r"\d+", datasette_version)[:3])
    assert (0, 65, 5) <= version < (0, 66, 0), datasette_version
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "datasette>=0.65.5,<0.66" in deps
    assert any(d.startswith("datasette-auth-passwords") for d in deps)


# --- GHSA-w3hf-fcg5-p4cc: ?col__arraycontains= --------------------------------------------------------

def _arraycontains_probe(table: str, guess: str) -> str:
    """The column name that broke out of `json_each([table].[column])` before 0.65.3: true or false
    depending on whether any private source's text contains `guess`."""
    column = (f"missing])) or exists (select 1 from sources where private = 1 and content like '%{guess}%')"
              f" or (:p0 in (select value from json_each([{table}].[missing")
    return urlencode({f"{column}__arraycontains": "1", "_shape": "array"})


@pytest.mark.parametrize("op", ["arraycontains", "arraynotcontains"])
async def test_arraycontains_column_injection_is_no_oracle(ds, op):
    for table, cookies in (("public_threads", None), ("threads", reader(ds))):
        answers = []
        for guess in ("zqxprivate", "no-such-text-anywhere"):
            query = _arraycontains_probe(table, guess).replace("arraycontains", op)
            r = await ds.client.get(f"/archive/{table}.json?{query}", cookies=cookies)
            assert r.status_code == 400 and "no such column" in r.text, (table, r.status_code, r.text[:200])
            answers.append(r.text.replace(quote(guess), "").replace(guess, ""))
        assert answers[0] == answers[1]  # the same answer whatever the guess: no oracle
    # The filter itself still works on a real column.
    ok = await ds.client.get(f"/archive/public_threads.json?missing__{op}=3&_shape=array")
    assert ok.status_code == 200 and isinstance(ok.json(), list)


# --- CVE-2021-32670: ?_trace=1 ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/archive/public_threads.json?_trace=1", "/archive/public_threads?_trace=1",
                                 "/archive/search.json?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&_trace=1",
                                 "/archive/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&_trace=1",
                                 "/-/threads/x%3Cscript%3E?_trace=1", "/archive.json?_trace=1"])
async def test_trace_parameter_is_inert(ds, url):
    r = await ds.client.get(url)
    assert r.status_code in (200, 302, 404)
    plain = await ds.client.get(re.sub(r"[?&]_trace=1", "", url))
    assert r.status_code == plain.status_code
    if r.headers["content-type"].startswith("application/json"):
        assert "_trace" not in r.json()
    else:  # no trace block, and nothing from the URL unescaped
        assert "<script>alert(1)</script>" not in r.text
        assert '"traces"' not in r.text and "<pre>" not in r.text
        # No block of trace data in any form: the URL's text, escaped, is shown no more often than
        # on the page served without `_trace=1` (a trace lists each query with its parameters).
        assert r.text.count("&lt;script&gt;") == plain.text.count("&lt;script&gt;")
        assert r.text.count("alert(1)") == plain.text.count("alert(1)")


# --- 0.64.8: 404 pages reflecting the URL ------------------------------------------------------------

MARKER = "zqxreflected"


@pytest.mark.parametrize("path", [
    f"/{MARKER}", f"/{MARKER}.json", f"/archive/{MARKER}", f"/archive/{MARKER}.json", f"/archive/public_threads/{MARKER}",
    f"/archive/threads/{MARKER}", f"/archive/threads/{MARKER}.json", f"/-/threads/{MARKER}", f"/-/threads/{MARKER}.md",
    f"/-/{MARKER}", f"/archive/-/{MARKER}", f"/-/static/{MARKER}.css", f"/{MARKER}%3Cb%3Ehi%3C%2Fb%3E",
])
@pytest.mark.parametrize("signed_in", [False, True])
async def test_error_pages_do_not_reflect_the_url(ds, path, signed_in):
    r = await ds.client.get(path, cookies=reader(ds) if signed_in else None)
    assert r.status_code in (302, 400, 403, 404), (path, r.status_code)
    assert MARKER not in r.text and "<b>hi</b>" not in r.text
    if r.status_code == 302:  # Datasette's tilde-encoding redirect, to this site
        assert same_site(r.headers["location"]) and "<" not in r.headers["location"]


# --- open redirects --------------------------------------------------------------------------------

OFFSITE = ["//evil.example/", "//evil.example/archive/", "//evil.example/archive", "/\\evil.example/",
           "/\\/evil.example/", "/%5Cevil.example/", "/%5C%5Cevil.example/", "/%2F%2Fevil.example/",
           "/%09/evil.example/", "/\t/evil.example/", "///evil.example/", "/%2F/evil.example/",
           "/-/threads/%2F%2Fevil.example", "/archive/%2F%2Fevil.example/"]


def same_site(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\")) and "\\" not in location \
        and not re.search(r"[\x00-\x20]", location)


@pytest.mark.parametrize("path", OFFSITE)
async def test_no_redirect_leaves_the_site(ds, path):
    status, headers, body = await raw_get(ds, path)
    assert status < 500
    if 300 <= status < 400:
        assert same_site(headers.get("location", "")), (path, headers.get("location"))


async def test_ordinary_redirects_still_work(ds, archive):
    status, headers, _ = await raw_get(ds, "/archive/public_threads/")
    assert status == 302 and headers["location"] == "/archive/public_threads"


@hookimpl
def _evil_routes():
    async def go(request):
        return Response.redirect(request.args.get("to"))

    return [(r"^/-/go$", go)]


@pytest.fixture
def evil_plugin():
    """A plugin whose route redirects wherever it is told: the wrapper must refuse off-site targets."""
    module = types.ModuleType("evil_redirects")
    module.register_routes = _evil_routes
    pm.register(module, name="evil_redirects")
    try:
        yield
    finally:
        pm.unregister(name="evil_redirects")


@pytest.mark.parametrize("to,allowed", [("//evil.example/x", False), ("/\\evil.example", False),
                                        ("https://evil.example/", False), ("javascript:alert(1)", False),
                                        ("/\t/evil.example", False), ("http://localhost/archive", True),
                                        ("/archive", True), ("public_threads?x=1", True)])
async def test_redirect_guard(evil_plugin, archive, to, allowed):
    ds = make_datasette(archive)
    status, headers, body = await raw_get(ds, "/-/go?" + urlencode({"to": to}))
    if allowed:
        assert status == 302 and headers["location"] == to
    else:
        assert status == 400 and "location" not in headers and "Refused" in body


# --- bidi controls in archived text ---------------------------------------------------------------

async def bidi_pages(ds, archive) -> list[tuple[str, dict | None]]:
    bidi = thread_id_by_title(archive, "Statement of")
    xss = thread_id_by_title(archive, "<script>")
    conn = sqlite3.connect(archive)
    source = conn.execute("select id from sources where name = ?", [BIDI_NAME]).fetchone()[0]
    conn.close()
    me = reader(ds)
    pages: list[tuple[str, dict | None]] = []
    for cookies in (None, me):
        pages += [(f"/-/threads/{bidi}", cookies), (f"/-/threads/{xss}", cookies), ("/archive", cookies), ("/", cookies)]
        for view in ("public_threads", "public_fragments", "public_thread_parts", "public_sightings", "public_sources"):
            pages += [(f"/archive/{view}", cookies), (f"/archive/{view}?_search=NOITCIVNOC", cookies)]
        pages += [("/archive/public_threads?_facet=author&_facet=title", cookies),
                  ("/archive/public_thread_parts?_facet=author&_facet=thread_id", cookies),
                  ("/archive/public_sightings?_facet=source_id", cookies)]
        for query, params in (("search", {"q": "court"}), ("search", {"q": "\u202eNOITCIVNOC"}),
                              ("by_hashtag", {"tag": "bidi"}), ("by_mention", {"handle": "monitor"}),
                              ("thread", {"id": bidi}), ("recent", {}), ("sources", {}), ("duplicates", {}),
                              ("incomplete_threads", {}), ("sightings", {"q": "Appeal", "fragment": ""}),
                              ("by_author", {"author": "\u202e"})):
            pages.append((f"/archive/{query}?" + urlencode(params), cookies))
    pages += [("/archive/threads", me), (f"/archive/threads/{bidi}", me), ("/archive/fragments?_search=NOITCIVNOC", me),
              (f"/archive/sources/{source}", me), ("/archive/threads?_facet=first_source_id", me),
              ("/archive/sightings?_facet=source_id", me), ("/archive/thread_parts?_facet=thread_id", me)]
    return pages


async def test_bidi_controls_are_stripped_from_every_page(ds, archive):
    pages = await bidi_pages(ds, archive)
    for url, cookies in pages:
        r = await ds.client.get(url, cookies=cookies)
        assert r.status_code == 200, (url, r.status_code)
        assert "text/html" in r.headers["content-type"]
        assert not BIDI.search(r.text), (url, [r.text[max(0, m.start() - 80):m.end() + 20]
                                               for m in BIDI.finditer(r.text)][:2])
    # The JSON keeps the archived text exactly, controls included.
    data = (await ds.client.get("/archive/public_fragments.json?_search=NOITCIVNOC&_shape=array")).json()
    assert data and "\u202eNOITCIVNOC\u202c" in data[0]["text"]
    names = (await ds.client.get("/archive/sources.json?_shape=array")).json()
    assert BIDI_NAME in {s["name"] for s in names}


# --- other hardening ------------------------------------------------------------------------------------

async def test_fts_table_override_is_refused(ds):
    for query in ({"_search": "zqxprivate", "_fts_table": "fragments_fts", "_fts_pk": "id"},
                  {"_search": "zqxprivate", "_fts_table": "fragments_fts"}, {"_fts_pk": "id"}):
        r = await ds.client.get("/archive/public_sightings.json?" + urlencode(query))
        assert r.status_code == 400 and "zqxprivate" not in r.text


async def test_readers_pages_are_never_cached_publicly(ds, archive):
    me = reader(ds)
    for url in ("/archive/search.json?q=zqxprivate", "/archive/search?q=zqxprivate", "/archive/threads",
                "/-/threads/" + thread_id_by_title(archive, "Gap thread opening")):
        r = await ds.client.get(url, cookies=me)
        assert r.status_code == 200 and r.headers["cache-control"] == "private, no-store", url
    status, headers, _ = await raw_get(ds, "/archive/search.json?q=x", [(b"authorization", b"Basic eDp5")])
    assert headers["cache-control"] == "private, no-store"
    public = await ds.client.get("/archive/search.json?q=kestrels")
    assert public.headers["cache-control"].startswith("max-age")
    assert public.headers["x-content-type-options"] == "nosniff"


async def test_anonymous_visitors_cannot_run_sql_or_download(ds):
    for url in ("/archive.json?sql=select+1", "/archive?sql=select+1", "/archive/public_threads.json?_where=1",
                "/archive.db"):
        assert (await ds.client.get(url)).status_code == 403, url
    assert (await ds.client.get("/_memory.json?sql=select+1")).status_code in (403, 404)
    through = {"table": "sightings", "column": "source_id", "value": "1"}
    r = await ds.client.get("/archive/public_threads.json?" + urlencode({"_through": json.dumps(through)}))
    assert r.status_code in (400, 403)
    assert public_views.PUBLIC_VIEWS.isdisjoint(public_views.RAW_TABLES)
    assert not {n for n in PRIVATE_NAMES if n in (await ds.client.get("/archive/sources")).text}
