"""Private material: sources ingested with --private, and everything derived only from them, are
invisible to anonymous visitors of the published archive on every endpoint; a signed-in reader
sees everything.

The archive is test_web's (the seeds plus a few small dumps, all public) plus two private dumps
carrying the marker words of site_helpers.MARKERS: a wholly private thread (which also quotes a
public post), and the missing part 3/4 of a public thread. The anonymous walk requests every
table and view (HTML, JSON, CSV, search, facets), every row page of a private row, every canned
query with every relevant parameter, the thread pages and their Markdown, and probes such as
arbitrary SQL and downloads.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

from archiver import public_views, signin
from archiver.cli import cli
from archiver.db import open_db
from archiver.ingest import ingest_sources, ingest_text
from archiver.serve import METADATA, PLUGINS, TEMPLATES, canned_queries, datasette_args
from archiver.sources import read_bytes, read_path
from archive_helpers import stop_process
from site_helpers import (MARKERS, PRIVATE_NAMES, PRIVATE_THREAD, build_archive, ingest_private, make_datasette, reader,
                          thread_id_by_title)

SEARCH_WORDS = ["zqxprivate", "zqxtag", "#zqxtag", "zqxhandle", "@zqxhandle", "Witness", "corridor", "nests",
                "kestrels", "Second part counts the kestrels", "detention", ""]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("privacy")
    db = build_archive(folder / "archive.db")
    ingest_private(db, folder)
    return db


@pytest.fixture(scope="module")
def private_ids(archive) -> dict[str, list]:
    conn = sqlite3.connect(archive)
    try:
        private = "(select id from sources where private = 1)"
        public = "(select id from sources where private = 0)"
        ids = {
            "sources": [r[0] for r in conn.execute(f"select id from sources where id in {private}")],
            "sha256": [r[0] for r in conn.execute(f"select sha256 from sources where id in {private}")],
            "fragments": [r[0] for r in conn.execute(
                f"select id from fragments f where not exists (select 1 from sightings s where s.fragment_id = f.id"
                f" and s.source_id in {public})")],
            "threads": [r[0] for r in conn.execute(
                f"select id from threads t where not exists (select 1 from sightings s where s.thread_id = t.id"
                f" and s.source_id in {public})")],
            "sightings": [r[0] for r in conn.execute(f"select id from sightings where source_id in {private}")],
            "dropped": [r[0] for r in conn.execute(f"select id from dropped where source_id in {private}")],
        }
    finally:
        conn.close()
    assert len(ids["sources"]) == 2 and len(ids["threads"]) == 1 and len(ids["fragments"]) == 3
    return ids


def leaks(text: str, ids: dict[str, list]) -> list[str]:
    """The private markers, file names, private thread and fragment ids and source hashes in text."""
    needles = [*MARKERS, *PRIVATE_NAMES, *ids["threads"], *ids["fragments"], *ids["sha256"]]
    return [n for n in needles if n in text]


def results_only(html: str) -> str:
    """The result cells of a table or query page (its links and forms echo the request's parameters)."""
    tables = "".join(re.findall(r'<table class="rows-and-columns">.*?</table>', html, re.S))
    return "\n".join(re.findall(r"<td[^>]*>(.*?)</td>", tables, re.S))


def search_results_only(url: str, body: str) -> str:
    """What a search page or its JSON found: the hits whole, the facets' text (their links and the
    form echo the request's query and filters)."""
    if url.startswith("/-/search.json"):
        data = json.loads(body)
        return json.dumps([data["hits"], data["facets"]], ensure_ascii=False)
    hits = "".join(re.findall(r'<ol class="hits".*?</ol>', body, re.S))
    facets = "".join(re.findall(r'<aside class="facets".*?</aside>', body, re.S))
    return hits + re.sub(r"<[^>]+>", " ", facets)


def zip_text(data: bytes) -> str:
    """Every file of a zip (an evidence package), as text."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(f"{name}\n" + z.read(name).decode("utf-8", "replace") for name in z.namelist())


def all_names(db: Path) -> dict[str, list[str]]:
    """Every table and view with its columns."""
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view') order by name")]
        return {n: [r[1] for r in conn.execute(f"pragma table_info([{n}])")] for n in names}
    finally:
        conn.close()


def walk_urls(db: Path, ids: dict[str, list], gap: str, owls: str) -> list[tuple[str, bool]]:
    """(url, echoes) for every endpoint worth asking: `echoes` when the URL itself holds a private
    value, so only the result rows of the response are checked."""
    urls: list[tuple[str, bool]] = [(u, False) for u in (
        "/", "/.json", "/archive", "/archive.json", "/-/metadata.json", "/-/databases.json", "/-/plugins.json",
        "/-/threads/" + gap, "/-/threads/" + gap + ".md", "/-/threads/" + owls, "/-/threads/" + owls + ".md",
        "/archive/search?q=kestrels", "/archive/search.json?q=kestrels",
    )]
    for name, columns in all_names(db).items():
        base = f"/archive/{name}"
        facets = urlencode([("_facet", c) for c in columns if c in ("kind", "author", "source_id", "thread_id", "name")])
        urls += [(base, False), (base + ".json", False), (base + ".csv", False), (base + ".json?_size=max&_shape=array", False),
                 (base + "?" + facets, False), (base + ".json?" + facets, False),
                 (base + ".json?_search=zqxprivate&_shape=array", True), (base + "?_search=zqxprivate", True),
                 (base + ".json?_search=zqxprivate&_searchmode=raw&_shape=array", True),
                 (base + ".json?_search_text=zqxprivate&_shape=array", True),
                 (base + ".json?_search_title=zqxprivate&_shape=array", True)]
    for table, key in (("threads", "threads"), ("fragments", "fragments"), ("sources", "sources"),
                       ("sightings", "sightings"), ("dropped", "dropped")):
        for value in ids[key]:
            urls += [(f"/archive/{table}/{value}", True), (f"/archive/{table}/{value}.json", True)]
    for source in ids["sources"]:
        urls += [(f"/archive/sources/{source}.blob?_blob_column=raw", True),
                 (f"/archive/public_sightings.json?source_id={source}&_shape=array", True),
                 ("/archive/public_threads.json?" + urlencode({"_through": json.dumps(
                     {"table": "sightings", "column": "source_id", "value": str(source)})}), True)]
    values = SEARCH_WORDS + ids["threads"] + ids["fragments"] + [gap, owls]
    for name, query in canned_queries().items():
        params = query.get("params") or []
        combos = [{}] if not params else [dict.fromkeys(params, v) for v in values]
        for combo in combos:
            qs = urlencode({**combo, "_actor_id": "reader"})  # a magic parameter cannot be spoofed
            urls += [(f"/archive/{name}?{qs}", True), (f"/archive/{name}.json?{qs}&_shape=array", True)]
        urls += [(f"/archive/{name}", False), (f"/archive/{name}.json", False)]
    for thread in ids["threads"] + [gap, owls]:
        urls += [(f"/-/threads/{thread}", True), (f"/-/threads/{thread}.md", True),
                 (f"/-/threads/{thread}.zip", True)]
    # the front page, the search page (its facets, filters and orders) and the source viewer
    urls += [("/", False), ("/archive", False), ("/-/search", False)]
    filters = [("kind", "thread"), ("kind", "post"), ("author", "zqxhandle"), ("month", "2020-01")]
    filters += [("source", str(source)) for source in ids["sources"]]
    for word in SEARCH_WORDS:
        q = urlencode({"q": word})
        urls += [(f"/-/search?{q}", True), (f"/-/search.json?{q}", True), (f"/-/search?{q}&sort=newest", True),
                 (f"/-/search?{q}&sort=oldest&after=1", True), (f"/-/search?{q}&page=2", True)]
        urls += [(f"/-/search?{q}&" + urlencode([f]), True) for f in filters]
        urls += [(f"/-/search.json?{q}&" + urlencode([f]), True) for f in filters]
    conn = sqlite3.connect(db)
    every_source = [r[0] for r in conn.execute("select id from sources")]
    conn.close()
    for source in every_source:
        urls += [(f"/-/sources/{source}", False), (f"/-/sources/{source}/raw", False),
                 (f"/-/sources/{source}?start=1", False)]
    urls += [("/archive.json?" + urlencode({"sql": "select group_concat(content) from sources"}), True),
             ("/archive?" + urlencode({"sql": "select group_concat(text) from fragments"}), True),
             ("/_memory.json?" + urlencode({"sql": "select 1"}), True),
             ("/archive/public_threads.json?" + urlencode({"_where": "id in (select thread_id from sightings)"}), True),
             ("/archive.db", False)]
    return urls


# --- the anonymous walk --------------------------------------------------------------------------

async def test_anonymous_visitors_see_no_private_material_anywhere(ds, archive, private_ids):
    gap = thread_id_by_title(archive, "Gap thread opening")
    owls = thread_id_by_title(archive, "Owl census notes")
    urls = walk_urls(archive, private_ids, gap, owls)
    assert len(urls) > 900
    found = []
    for url, echoes in urls:
        r = await ds.client.get(url)
        assert r.status_code < 500, (url, r.status_code, r.text[:300])
        body = r.text
        if r.headers.get("content-type", "") == "application/zip":
            body = zip_text(r.content)
        elif echoes and url.startswith("/-/search"):
            body = search_results_only(url, body)
        elif echoes and "text/html" in r.headers.get("content-type", "") and not url.startswith("/-/threads/"):
            body = results_only(body)
        if leak := leaks(body, private_ids):
            found.append((url, r.status_code, leak))
    assert found == []


async def test_anonymous_visitors_get_the_public_views_only(ds, archive, private_ids):
    data = (await ds.client.get("/archive.json")).json()
    assert {t["name"] for t in data["tables"]} <= public_views.PUBLIC_VIEWS, data["tables"]
    names = {t["name"] for t in data["tables"]} | {v["name"] for v in data.get("views", [])}
    assert {"public_threads", "public_fragments", "public_sources"} <= names
    assert not names & set(public_views.RAW_TABLES)
    for table in (*public_views.RAW_TABLES, "fragments_fts", "fragments_fts_data", "threads_fts_idx"):
        if table not in canned_queries():  # /archive/sources is the `sources` canned query
            assert (await ds.client.get(f"/archive/{table}.json")).status_code == 403, table
    for table, pk in (("threads", private_ids["threads"][0]), ("sources", private_ids["sources"][0])):
        assert (await ds.client.get(f"/archive/{table}/{pk}.json")).status_code == 403
    assert (await ds.client.get("/archive.json?sql=select+1")).status_code == 403
    assert (await ds.client.get("/archive.db")).status_code == 403
    # Every canned query is offered, and each runs.
    assert set(canned_queries()) <= {q["name"] for q in data["queries"]}
    for name in canned_queries():
        assert (await ds.client.get(f"/archive/{name}.json")).status_code == 200, name


async def test_private_thread_page_is_404_and_public_thread_hides_private_part(ds, archive, private_ids):
    (private,) = private_ids["threads"]
    for url in (f"/-/threads/{private}", f"/-/threads/{private}.md"):
        r = await ds.client.get(url)
        assert r.status_code == 404 and private not in r.text
    gap = thread_id_by_title(archive, "Gap thread opening")
    html = (await ds.client.get(f"/-/threads/{gap}")).text
    assert "part 3 missing" in html and "zqxprivate" not in html
    public_sources = {r[0] for r in sqlite3.connect(archive).execute("select id from sources where private = 0")}
    linked = {int(n) for n in re.findall(r'href="/-/sources/(\d+)', html)}
    assert linked and linked <= public_sources and "/archive/sources/" not in html
    md = (await ds.client.get(f"/-/threads/{gap}.md")).text
    assert "[part 3/4 missing]" in md and "zqxprivate" not in md
    # The quoted post is public, but its place in the private thread is not.
    owls = thread_id_by_title(archive, "Owl census notes")
    page = (await ds.client.get(f"/-/threads/{owls}")).text
    assert "Also part of:" in page and private not in page and "Witness" not in page
    row = (await ds.client.get(f"/archive/public_threads.json?id={gap}&_shape=array")).json()
    assert [(r["parts"], r["missing"], r["complete"]) for r in row] == [(3, "[3]", 0)]


# --- a signed-in reader ----------------------------------------------------------------------------

async def test_signed_in_reader_sees_private_material(ds, archive, private_ids):
    cookies = reader(ds)
    (private,) = private_ids["threads"]
    r = await ds.client.get(f"/-/threads/{private}", cookies=cookies)
    assert r.status_code == 200 and "zqxprivate" in r.text and "@zqxhandle" in r.text
    assert "zqxprivate" in (await ds.client.get(f"/-/threads/{private}.md", cookies=cookies)).text
    found = (await ds.client.get("/archive/search.json?q=zqxprivate&_shape=array", cookies=cookies)).json()
    assert {f["thread_id"] for f in found} >= {private, thread_id_by_title(archive, "Gap thread opening")}
    assert (await ds.client.get("/archive/by_hashtag.json?tag=zqxtag&_shape=array", cookies=cookies)).json()
    assert (await ds.client.get("/archive/by_mention.json?handle=zqxhandle&_shape=array", cookies=cookies)).json()
    sources = (await ds.client.get("/archive/sources.json?_shape=array", cookies=cookies)).json()
    assert {s["name"] for s in sources} >= set(PRIVATE_NAMES) and {s["private"] for s in sources} == {0, 1}
    public = (await ds.client.get("/archive/sources.json?_shape=array")).json()
    assert len(public) == len(sources) - 2 and {s["private"] for s in public} == {0}
    gap = thread_id_by_title(archive, "Gap thread opening")
    html = (await ds.client.get(f"/-/threads/{gap}", cookies=cookies)).text
    assert "Third part zqxprivate counts the hidden nests" in html and "part 3 missing" not in html
    parts = (await ds.client.get(f"/archive/thread.json?id={gap}&_shape=array", cookies=cookies)).json()
    assert [p["status"] for p in parts] == ["present"] * 4
    fts = (await ds.client.get("/archive/fragments.json?_search=zqxprivate&_shape=array", cookies=cookies)).json()
    assert len(fts) == 3
    # the search page, its facets, the source viewer and the evidence package, for a reader
    found = (await ds.client.get("/-/search.json?q=zqxprivate", cookies=cookies)).json()
    assert found["total"] == 3 and {v["label"] for v in found["facets"]["source"]} == set(PRIVATE_NAMES)
    assert (await ds.client.get("/-/search.json?q=zqxprivate")).json()["total"] == 0
    for source in private_ids["sources"]:
        assert (await ds.client.get(f"/-/sources/{source}", cookies=cookies)).status_code == 200
        assert (await ds.client.get(f"/-/sources/{source}")).status_code == 404
    package = await ds.client.get(f"/-/threads/{private}.zip", cookies=cookies)
    assert package.status_code == 200 and "zqxprivate" in zip_text(package.content)
    # A page made for a reader is never kept by a shared cache.
    assert r.headers["cache-control"] == "private, no-store"


async def test_same_queries_for_reader_and_public_without_private_material(tmp_path):
    db = build_archive(tmp_path / "archive.db")
    ds = make_datasette(db)
    for name, query in canned_queries().items():
        params = dict.fromkeys(query.get("params") or [], "Kazakhstan")
        url = f"/archive/{name}.json?" + urlencode({**params, "_shape": "array"})
        anonymous = (await ds.client.get(url)).json()
        signed_in = (await ds.client.get(url, cookies=reader(ds))).json()
        assert anonymous == signed_in, name
    conn = sqlite3.connect(db)
    for table in public_views.RAW_TABLES:
        cols = [r[1] for r in conn.execute(f"pragma table_info(public_{table})") if r[1] != "rowid"]
        raw = sorted(conn.execute(f"select {', '.join(cols)} from {table}").fetchall(), key=repr)
        assert sorted(conn.execute(f"select {', '.join(cols)} from public_{table}").fetchall(), key=repr) == raw
    conn.close()


async def test_raw_tables_are_open_until_something_private_is_archived(tmp_path):
    # an archive with nothing private is the public archive: its tables and table search work
    db = build_archive(tmp_path / "archive.db")
    ds = make_datasette(db)
    threads = await ds.client.get("/archive/threads.json?_shape=array")
    assert threads.status_code == 200 and threads.json()
    found = await ds.client.get("/archive/fragments.json?_search=Zhovtis&_shape=array")
    assert found.status_code == 200
    assert {r["first_source_id"] for r in found.json()}
    # from the moment a private source is committed, anonymous visitors lose the raw tables
    _ingest_private_text(db)
    assert (await ds.client.get("/archive/threads.json")).status_code == 403
    assert (await ds.client.get("/archive/fragments.json?_search=zqxhidden")).status_code == 403
    assert (await ds.client.get("/archive/threads.json", cookies=reader(ds))).status_code == 200


def _ingest_private_text(db: Path) -> None:
    from archiver.sources import read_bytes

    source = read_bytes(b"A private note that zqxhidden stays hidden.\n", "note.txt", "paste")
    ingest_sources(db, [("note.txt", source)], private=True)


# --- the rules, one by one -----------------------------------------------------------------------

def test_every_canned_query_reads_only_public_views(archive):
    conn = sqlite3.connect(archive)
    conn.create_function("escape_fts", 1, lambda s: s)
    conn.create_function("fts_query", 1, lambda s: s)
    for name, query in canned_queries().items():
        assert public_views.unsafe_reads(conn, query["sql"]) == set(), name
        assert public_views.unsafe_reads(conn, public_views.full_sql(query["sql"])), name  # the reader's version reads tables
    conn.close()


async def test_a_canned_query_reading_raw_tables_is_refused_to_anonymous_visitors(archive):
    metadata = json.loads(METADATA.read_text())
    metadata["databases"]["archive"].setdefault("queries", {})["leaky"] = {"sql": "select name from sources"}
    metadata["databases"]["archive"]["queries"]["writer"] = {
        "sql": "insert into thread_aliases (alias, thread_id) values (:a, :b)", "write": True}
    ds = Datasette([str(archive)], metadata=metadata, plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES))
    assert (await ds.client.get("/archive/leaky.json")).status_code == 403
    assert (await ds.client.post("/archive/writer", data={"a": "x", "b": "y"})).status_code == 403
    assert "leaky" not in {q["name"] for q in (await ds.client.get("/archive.json")).json()["queries"]}
    r = await ds.client.get("/archive/leaky.json?_shape=array", cookies=reader(ds))
    assert r.status_code == 200 and {"name": PRIVATE_NAMES[0]} in r.json()


def test_thread_with_a_private_first_source_withholds_its_header(tmp_path):
    """A thread first archived from a private source, then seen (one part of it) in a public one,
    which merges into it: the public side shows the thread the public source alone gives, its own
    id, its title (its own first line, not the private part 1's), its total (its 2/3 marker)."""
    from archiver.parse import parse_text

    db = tmp_path / "archive.db"
    ingest_private(db, tmp_path)
    text = "2/3 The guard zqxprivate named @zqxhandle in the corridor\n"
    summary = ingest_text(db, text, name="public.txt")
    assert summary.sources_new == 1
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    tid = conn.execute("select thread_id from thread_parts p join fragments f on f.id = p.fragment_id"
                       " where f.text like 'The guard%'").fetchone()[0]
    assert conn.execute("select title from threads where id = ?", [tid]).fetchone()[0].startswith("Witness")
    (alone,) = parse_text(text).threads
    assert alone.id != tid  # the merged id is the private thread's: not shown
    public_id = conn.execute("select id from sources where name = 'public.txt'").fetchone()[0]
    assert conn.execute("select count(*) from public_threads where id = ?", [tid]).fetchone()[0] == 0
    (row,) = conn.execute("select * from public_threads where id = ?", [alone.id]).fetchall()
    assert row["title"] == "The guard zqxprivate named @zqxhandle in the corridor" and row["total"] == 3
    assert row["first_source_id"] == public_id
    assert row["parts"] == 1 and json.loads(row["missing"]) == [1, 3] and not row["complete"]
    assert [r["n"] for r in conn.execute("select * from public_thread_parts where thread_id = ?", [alone.id])] == [2]
    assert conn.execute("select count(*) from public_thread_aliases").fetchone()[0] == 0
    conn.close()
    thread = public_views.load_public_thread(open_db(db, create=False), alone.id)
    assert [p.text for p in thread.parts] == ["The guard zqxprivate named @zqxhandle in the corridor"]
    assert [s.source_name for s in thread.parts[0].sightings] == ["public.txt"]
    with pytest.raises(Exception, match="no thread"):
        public_views.load_public_thread(open_db(db, create=False), tid)


def test_private_material_becomes_public_when_a_public_source_brings_it(tmp_path):
    db = tmp_path / "archive.db"
    ingest_private(db, tmp_path)
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from public_threads").fetchone()[0] == 0
    assert conn.execute("select count(*) from public_fragments").fetchone()[0] == 0
    conn.close()
    ingest_text(db, PRIVATE_THREAD.replace("zqx", "zqx") + "\n", name="now-public.txt")  # same posts, new bytes
    conn = sqlite3.connect(db)
    titles = [r[0] for r in conn.execute("select title from public_threads")]
    assert any(t and t.startswith("Witness zqxprivate") for t in titles)
    conn.close()


def test_an_archive_made_before_the_views_gets_them(tmp_path):
    db = tmp_path / "archive.db"
    ingest_private(db, tmp_path)
    conn = sqlite3.connect(db)
    for name in public_views.VIEWS:
        conn.execute(f"drop view {name}")
    conn.execute("create view public_sources as select * from sources")  # an outdated definition
    conn.commit()
    conn.close()
    datasette_args(db)
    conn = sqlite3.connect(db)
    assert public_views.views_current(conn)
    assert conn.execute("select count(*) from public_sources").fetchone()[0] == 0
    conn.close()


# --- serving ---------------------------------------------------------------------------------------

def test_serve_public_refuses_private_material_without_sign_in(archive, tmp_path, monkeypatch):
    monkeypatch.delenv(signin.PASSWORD_ENV, raising=False)
    result = CliRunner().invoke(cli, ["serve", str(archive), "--public", "--dry-run"])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "2 private sources" in result.stderr and signin.PASSWORD_ENV in result.stderr
    # Without --public it starts, printing a sign-in link for this machine's user.
    local = CliRunner().invoke(cli, ["serve", str(archive), "--dry-run"])
    assert local.exit_code == 0 and "--root" in local.stdout.split()
    # An archive with nothing private may be published as it is.
    public_only = build_archive(tmp_path / "public.db")
    ok = CliRunner().invoke(cli, ["serve", str(public_only), "--public", "--dry-run"])
    assert ok.exit_code == 0 and "default_allow_sql off" in ok.stdout and "--root" not in ok.stdout.split()
    # With a password hash in the environment, the private archive may be published.
    from datasette_auth_passwords.utils import hash_password

    monkeypatch.setenv(signin.PASSWORD_ENV, hash_password("correct horse", iterations=1000))
    ok = CliRunner().invoke(cli, ["serve", str(archive), "--public", "--dry-run"])
    assert ok.exit_code == 0, ok.output
    monkeypatch.setenv(signin.PASSWORD_ENV, "not a hash")
    assert CliRunner().invoke(cli, ["serve", str(archive), "--public", "--dry-run"]).exit_code == 1


async def test_reader_signs_in_with_the_password_from_the_environment(archive, private_ids, monkeypatch):
    from datasette_auth_passwords.utils import hash_password

    secret_hash = hash_password("correct horse", iterations=1000)
    monkeypatch.setenv(signin.PASSWORD_ENV, secret_hash)
    monkeypatch.setenv(signin.USERNAME_ENV, "monitor")
    ds = make_datasette(archive, default_allow_sql=False)
    meta = (await ds.client.get("/-/metadata.json")).text
    assert secret_hash not in meta and secret_hash.split("$")[-1] not in meta
    login = await ds.client.get("/-/login")
    token = login.cookies["ds_csrftoken"]
    bad = await ds.client.post("/-/login", data={"username": "monitor", "password": "wrong", "csrftoken": token},
                               cookies={"ds_csrftoken": token})
    assert "ds_actor" not in bad.cookies
    good = await ds.client.post("/-/login", data={"username": "monitor", "password": "correct horse",
                                                  "csrftoken": token}, cookies={"ds_csrftoken": token})
    assert good.status_code == 302 and "ds_actor" in good.cookies
    (private,) = private_ids["threads"]
    page = await ds.client.get(f"/-/threads/{private}", cookies={"ds_actor": good.cookies["ds_actor"]})
    assert page.status_code == 200 and "zqxprivate" in page.text
    # --public: no arbitrary SQL, for readers either; canned queries and search still work.
    cookies = {"ds_actor": good.cookies["ds_actor"]}
    assert (await ds.client.get("/archive.json?sql=select+1", cookies=cookies)).status_code == 403
    assert (await ds.client.get("/archive/search.json?q=zqxprivate&_shape=array", cookies=cookies)).json()
    assert (await ds.client.get("/archive/public_fragments.json?_search=Zhovtis&_shape=array")).json()


async def test_a_readers_queries_do_not_stay_behind_for_the_next_visitor(ds):
    """Datasette 0.65 merges the canned_queries hook's answer into the metadata's own dict unless
    the plugin hands it a copy: after a reader's request, the next anonymous one would get the
    reader's raw-table SQL (refused by the read check, so every canned query would be a 403)."""
    for _ in range(2):
        mine = await ds.client.get("/archive/search.json?q=zqxprivate&_shape=array", cookies=reader(ds))
        assert mine.status_code == 200 and mine.json()
        theirs = await ds.client.get("/archive/search.json?q=zqxprivate&_shape=array")
        assert theirs.status_code == 200 and theirs.json() == []
        sql = (await ds.client.get("/archive/search.json?q=x&_show_sql=1")).json()["query"]["sql"]
        assert "public_fragments" in sql


def test_archiver_serve_public_end_to_end(archive, private_ids, tmp_path, monkeypatch):
    """`archiver serve --public` as a real server: anonymous visitors see no private text, a reader
    signs in through the /-/login form with the password whose hash is in the environment."""
    import os
    import socket
    import subprocess
    import time

    import httpx
    from datasette_auth_passwords.utils import hash_password

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv(signin.PASSWORD_ENV, hash_password("correct horse", iterations=1000))
    monkeypatch.setenv("DATASETTE_SECRET", "test-secret")
    monkeypatch.delenv(signin.USERNAME_ENV, raising=False)
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(datasette_args(archive, port=port, public=True), env=dict(os.environ),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    (private,) = private_ids["threads"]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=30) as anonymous:
            for url in ("/archive/search.json?q=zqxprivate&_shape=array", f"/-/threads/{private}",
                        "/archive/public_fragments.json?_search=zqxprivate&_shape=array", "/archive/sources.json"):
                r = anonymous.get(url)
                assert not leaks(r.text, private_ids), url
            assert anonymous.get(f"/-/threads/{private}").status_code == 404
            assert anonymous.get("/archive.json?sql=select+1").status_code == 403
        with httpx.Client(base_url=base, timeout=30) as browser:
            form = browser.get("/-/login")
            token = re.search(r'name="csrftoken" value="([^"]+)"', form.text).group(1)
            signed = browser.post("/-/login", data={"username": "reader", "password": "correct horse", "csrftoken": token})
            assert signed.status_code == 302 and "ds_actor" in browser.cookies
            page = browser.get(f"/-/threads/{private}")
            assert page.status_code == 200 and "zqxprivate" in page.text
            assert page.headers["cache-control"] == "private, no-store"
            assert browser.get("/archive/search.json?q=zqxprivate&_shape=array").json()
            assert browser.get("/archive.json?sql=select+1").status_code == 403  # --public: no SQL for anyone
    finally:
        stop_process(proc)
        log.close()


# --- random mixes of public and private pastes --------------------------------------------------

def _render(handle: str, parts: dict[int, str], total: int) -> str:
    lines = [f"{handle} · thread", ""]
    for n, text in sorted(parts.items()):
        lines += [text, f"{n}/{total}", ""]
    return "\n".join(lines)


def _build_mix(db: Path, folder: Path, seed: int) -> list[tuple[Path, bool]]:
    """Threads pasted in part privately, in part publicly (so merged and mixed threads), and private
    threads quoting public posts; returns what was ingested, in order, and whether privately."""
    import random

    from archive_helpers import seed_sentences

    rng = random.Random(seed)
    sentences = seed_sentences()
    texts = []
    done: list[tuple[Path, bool]] = []
    for k in range(12):
        total = rng.randint(3, 7)
        parts = {n: " ".join(rng.sample(sentences, 2))[:250] + f" k{seed}x{k}n{n}" for n in range(1, total + 1)}
        texts.append(parts)
        handle = f"@monitor{k % 3}"
        for private in (True, False):
            if rng.random() < 0.7:
                keep = {n: t for n, t in parts.items() if rng.random() < 0.6}
                if keep:
                    path = folder / f"s{seed}-{k}-{'private' if private else 'public'}.txt"
                    path.write_text(_render(handle, keep, total), encoding="utf-8")
                    ingest_sources(db, [(str(path), read_path(path))], private=private)
                    done.append((path, private))
    for k in range(3):  # private threads quoting public (or private) posts
        quoted = rng.choice(texts)
        parts = {1: f"Private note {seed}-{k} about the quoted post", 2: rng.choice(list(quoted.values()))}
        path = folder / f"s{seed}-quote{k}.txt"
        path.write_text(_render("@insider", parts, 2), encoding="utf-8")
        ingest_sources(db, [(str(path), read_path(path))], private=True)
        done.append((path, True))
    return done


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_public_views_are_the_public_archive_on_random_mixes(tmp_path, seed):
    """Each mix's public views are the tables of the archive its public pastes alone give
    (tests/test_privacy_property.py tests this over generated dumps; these are larger)."""
    from archive_helpers import comparable_rows, digests_hold

    db = tmp_path / "archive.db"
    done = _build_mix(db, tmp_path, seed)
    assert {private for _, private in done} == {True, False}
    alone = tmp_path / "alone.db"
    kept_private = set()  # a public paste of bytes archived privately before stays private
    for path, private in done:
        if private:
            kept_private.add(path.read_bytes())
        elif path.read_bytes() not in kept_private:
            ingest_sources(alone, [(str(path), read_path(path))])
    conn, other = sqlite3.connect(db), sqlite3.connect(alone)
    assert comparable_rows(conn, "public_") == comparable_rows(other, "")
    assert digests_hold(conn)
    # No text known only from private sources is in any public view.
    everything = json.dumps([[tuple(r) for r in conn.execute(f"select * from {v}")] for v in sorted(public_views.VIEWS)],
                            ensure_ascii=False, default=str)
    def marks(paths) -> set[str]:
        return {m for p in paths for m in re.findall(r"k\d+x\d+n\d+|Private note \d+-\d+", p.read_text())}

    public_marks = marks(p for p, private in done if not private and p.read_bytes() not in kept_private)
    hidden = marks(p for p, private in done if private) - public_marks
    assert hidden and [m for m in hidden if m in everything] == []
    names = [r[0] for r in conn.execute("select name from sources where private = 1")]
    assert names and not [n for n in names if n in everything]
    conn.close()
    other.close()


# --- near-duplicate pairs: those of the public sources alone ------------------------------------------

_COURT = "The court in Almaty fined the activist for an unsanctioned picket outside the akimat on Monday"
# Five near-identical posts: each keeps pairs with its three closest earlier posts (neardup.PARTNER_CAP),
# and `_SENTENCED` is the one furthest from the others, the pair a post drops when it has four earlier.
_SENTENCED = "Yesterday " + _COURT.replace("fined", "sentenced").replace("Monday", "Tuesday") + "."
_NEAR_DUMPS = (
    ("first.txt", f"1/3 {_COURT}, his lawyer said.\n\n2/3 {_SENTENCED}\n\n3/3 {_COURT}, her lawyer said.\n", False),
    ("witness.txt", f"1/2 {_COURT}, the lawyer said.\n", True),
    ("second.txt", f"1/2 {_COURT}, their lawyer said.\n\n2/2 {_COURT}, the lawyer said.\n", False),
)


def _near_pairs(conn: sqlite3.Connection, table: str) -> set[tuple[str, str, float]]:
    """The near-duplicate pairs of a table or view, by the first words that tell the posts apart."""
    def label(text: str) -> str:
        return "sentenced" if text.startswith("Yesterday") else text.rsplit(", ", 1)[1].split()[0]

    return {(label(a), label(b), sim) for a, b, sim in conn.execute(
        f"select fa.text, fb.text, nd.similarity from {table} nd join fragments fa on fa.id = nd.fragment_a"
        " join fragments fb on fb.id = nd.fragment_b")}


def _near_mix(folder: Path, bulk: bool = False) -> tuple[Path, Path]:
    """The mixed archive (the witness's post, private, archived before the public copy of it) and the
    archive of the public dumps alone; `bulk` stores the mix in one grouped run (ingest's bulk path)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text, _ in _NEAR_DUMPS:
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    fillers = []
    if bulk:  # enough public sources for a grouped run (posts too short for the near-duplicate index)
        for k in range(6):
            filler = folder / f"filler{k}.txt"
            filler.write_text(f"1/2 Rain in Kostanay, day {k}.\n", encoding="utf-8")
            fillers.append(filler)
    mixed, alone = folder / "mixed.db", folder / "alone.db"
    items = []
    for path, (_, _, private) in zip(paths, _NEAR_DUMPS):
        source = read_path(path)
        source.private = private
        items.append((str(path), source))
    items[1:1] = [(str(f), read_path(f)) for f in fillers]
    if bulk:
        assert ingest_sources(mixed, items, workers=0).sources_new == len(items)
    else:
        for item in items:
            ingest_sources(mixed, [item])
    for label, source in items:
        if not source.private:
            ingest_sources(alone, [(label, read_path(Path(label)))])
    return mixed, alone


@pytest.mark.parametrize("bulk", [False, True])
def test_public_near_duplicates_are_those_of_the_public_sources_alone(tmp_path, bulk):
    """A text keeps pairs with its closest earlier texts, so which pairs are stored depends on the order
    texts were indexed. The witness's post, archived privately first, is indexed in the archive before
    the public post `their` that the public sources alone store before it: the public side must still
    show the pairs of the public sources alone (`sentenced`-`their`, not `sentenced`-`the`), from the
    projection's own near-duplicate index, when the projection is kept as the sources come, rebuilt
    after `archiver private`, and in a snapshot."""
    from archive_helpers import comparable_rows

    from archiver.snapshot import save_snapshot

    mixed, alone = _near_mix(tmp_path, bulk)
    conn, other = sqlite3.connect(mixed), sqlite3.connect(alone)
    want = _near_pairs(other, "near_duplicates")
    assert ("sentenced", "their", 0.8125) in {(a, b, s) for a, b, s in want} | {(b, a, s) for a, b, s in want}
    assert not {("sentenced", "the"), ("the", "sentenced")} & {(a, b) for a, b, _ in want}
    assert _near_pairs(conn, "public_near_duplicates") == want
    assert comparable_rows(conn, "public_") == comparable_rows(other, "")
    # the archive's own pairs follow its own order: the witness's post before `their`
    assert {("sentenced", "the"), ("the", "sentenced")} & {(a, b) for a, b, _ in _near_pairs(conn, "near_duplicates")}
    # marked public and private again: the projection replayed, its index made again from nothing
    for private in (False, True):
        assert CliRunner().invoke(cli, ["private", str(mixed), "witness.txt"] + ([] if private else ["--public"])
                                  ).exit_code == 0
    assert comparable_rows(conn, "public_") == comparable_rows(other, "")
    save_snapshot(mixed, tmp_path / "snapshot.db")
    snap = sqlite3.connect(tmp_path / "snapshot.db")
    assert _near_pairs(snap, "near_duplicates") == want
    snap.close()
    conn.close()
    other.close()


def test_the_next_ingest_catches_up_the_projections_near_duplicate_backlog(tmp_path):
    """A write that left the projection's index behind (a grouped run killed before its one pass):
    `neardup.backlog` counts the projection's fragments waiting too, and the next ingest indexes them."""
    from archiver import neardup

    mixed, alone = _near_mix(tmp_path)
    conn = sqlite3.connect(mixed, isolation_level=None)
    public = conn.execute("select count(*) from pub_fragments").fetchone()[0]
    assert neardup.backlog(conn) == 0
    conn.execute("begin")
    neardup.clear(conn, neardup.PUBLIC)
    conn.execute("commit")
    assert neardup.backlog(conn) == neardup.backlog(conn, neardup.PUBLIC) == public
    assert _near_pairs(conn, "public_near_duplicates") == set()
    ingest_sources(mixed, [(str(tmp_path / "first.txt"), read_path(tmp_path / "first.txt"))])  # archived already
    other = sqlite3.connect(alone)
    assert neardup.backlog(conn) == 0
    assert _near_pairs(conn, "public_near_duplicates") == _near_pairs(other, "near_duplicates")
    conn.close()
    other.close()


def test_an_archive_whose_projection_has_no_near_duplicate_index_is_upgraded_on_any_open(tmp_path):
    """An archive of SCHEMA_VERSION 3 kept its projection without a near-duplicate index of its own,
    and its public view read the archive's pairs. Any open (`verify`, `private`: create=False) makes
    the index from the public fragments and points the view at it, in one transaction."""
    mixed, alone = _near_mix(tmp_path)
    conn = sqlite3.connect(mixed, isolation_level=None)
    conn.execute("begin")
    conn.execute("drop view public_near_duplicates")
    conn.execute("create view public_near_duplicates as select nd.fragment_a, nd.fragment_b, nd.similarity, nd.method,"
                 " max(pa.first_seen_at, pb.first_seen_at) as found_at from near_duplicates nd"
                 " join fragments fa on fa.id = nd.fragment_a join pub_fragments pa on pa.fragment_rowid = fa.rowid"
                 " join fragments fb on fb.id = nd.fragment_b join pub_fragments pb on pb.fragment_rowid = fb.rowid")
    conn.execute("drop table pub_fragment_bands")
    conn.execute("drop table pub_near_duplicates")
    conn.execute("delete from neardup_index where name like 'pub_%'")
    conn.execute("commit")
    other = sqlite3.connect(alone)
    want = _near_pairs(other, "near_duplicates")
    assert _near_pairs(conn, "public_near_duplicates") != want  # the archive's choice, as version 3 showed it
    conn.close()
    upgraded = open_db(mixed, create=False)
    assert _near_pairs(upgraded.conn, "public_near_duplicates") == want
    from archive_helpers import comparable_rows

    assert comparable_rows(upgraded.conn, "public_") == comparable_rows(other, "")
    upgraded.conn.close()
    other.close()
    result = CliRunner().invoke(cli, ["private", str(mixed), "--public", "witness.txt"])
    assert result.exit_code == 0, result.output


# --- public search ranks over public material only ------------------------------------------------

async def test_private_statements_do_not_change_public_search_order_or_scores(tmp_path):
    """bm25 weighs a match by how many documents hold the word and how long documents are: were the
    private statements in the index the public searches, adding them would reorder the public
    results. The public searches an index of public fragments only (archiver/fts.py); a reader
    searches everything."""
    db = tmp_path / "archive.db"
    public = ("1/2 The kestrel survey counted forty nests along the river this spring.\n"
              "2/2 Volunteers logged every kestrel pair twice"
              + " along the quiet river bank in the early morning light" * 6 + " and a second kestrel nest.\n")
    ingest_text(db, public, name="survey.txt")
    ingest_text(db, "One kestrel was seen near the old bridge by the patrol.\n", name="patrol.txt")
    conn = sqlite3.connect(db)

    def public_scores() -> list[tuple]:
        return conn.execute("select rowid, round(bm25(fragments_fts), 9) from fragments_fts"
                            " where fragments_fts match 'kestrel' order by rank").fetchall()

    def thread_scores() -> list[tuple]:
        return conn.execute("select rowid, round(bm25(threads_fts), 9) from threads_fts"
                            " where threads_fts match 'kestrel' order by rank").fetchall()

    ds = make_datasette(db)
    urls = ["/archive/search.json?q=kestrel&_shape=array", "/archive/sightings.json?q=kestrel&_shape=array",
            "/archive/public_fragments.json?_search=kestrel&_shape=array",
            "/archive/public_threads.json?_search=kestrel&_shape=array"]
    before = [(await ds.client.get(url)).json() for url in urls]
    scores, titles = public_scores(), thread_scores()
    assert len(before[0]) == 3 and len(scores) == 3 and titles
    assert [r["part"] for r in before[0]] == ["1/2", "1", "2/2"]  # the short texts first
    for i in range(6):  # long private statements mentioning the word: the average length grows
        text = f"Kestrel zqxwitness statement {i}: {'a long and careful account of the night ' * 40}kestrel.\n"
        ingest_sources(db, [(f"private-{i}.txt", read_bytes(text.encode(), f"private-{i}.txt", "paste"))], private=True)
    after = [(await ds.client.get(url)).json() for url in urls]
    assert after == before
    assert public_scores() == scores and thread_scores() == titles
    mine = (await ds.client.get(urls[0], cookies=reader(ds))).json()
    assert len(mine) > len(before[0]) and any("zqxwitness" in r["snippet"] for r in mine)
    everything = conn.execute("select count(*) from fragments_all_fts where fragments_all_fts match 'kestrel'").fetchone()[0]
    assert everything > len(scores)
    found = (await ds.client.get("/archive/fragments.json?_search=zqxwitness&_shape=array", cookies=reader(ds))).json()
    assert len(found) == 6  # a reader's table search finds the index of everything by its content= option
    conn.close()


def test_a_private_source_bridging_two_public_threads_does_not_join_them_in_public(tmp_path):
    """Public A has parts 1-2, public B parts 4-5, private C parts 2-4: the archive merges all three
    into one thread; the public side shows A and B apart, as the public pastes alone give them."""
    posts = {n: f"{n}/5 The river survey report, part {n}, counts the {word} along the bank."
             for n, word in zip(range(1, 6), ("kestrels", "herons", "otters", "beavers", "swifts"))}
    db = tmp_path / "archive.db"
    ingest_text(db, f"{posts[1]}\n{posts[2]}\n", name="a.txt")
    ingest_text(db, f"{posts[4]}\n{posts[5]}\n", name="b.txt")
    ingest_sources(db, [("c.txt", read_bytes(f"{posts[2]}\n{posts[3]}\n{posts[4]}\n".encode(), "c.txt", "paste"))],
                   private=True)
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from threads").fetchone()[0] == 1  # the archive: one thread
    public = conn.execute("select id, parts, missing from public_threads order by title").fetchall()
    assert [(parts, json.loads(missing)) for _, parts, missing in public] == [(2, [3, 4, 5]), (2, [1, 2, 3])]
    assert conn.execute("select count(*) from public_thread_aliases").fetchone()[0] == 0
    numbers = {tid: [r[0] for r in conn.execute("select n from public_thread_parts where thread_id = ? order by n",
                                                [tid])] for tid, _, _ in public}
    assert sorted(numbers.values()) == [[1, 2], [4, 5]]
    assert "otters" not in json.dumps(conn.execute("select * from public_fragments").fetchall())
    conn.close()
