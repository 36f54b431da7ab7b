"""The journalist's path through the published archive, in-process: the front door, the database
page, the canned query pages, the source viewer and what the thread page hands over (citation,
print stylesheet, link previews, Markdown download, evidence package).

The archive is test_web's (the seeds plus small dumps); the privacy tests (test_privacy.py,
test_privacy_property.py) walk the same pages as an anonymous visitor of an archive with private
sources.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path
from urllib.parse import urlencode

from archiver.ingest import ingest_sources, ingest_text
from archiver.package import verify_package
from archiver.pages import LINES_PER_PAGE, source_path
from archiver.serve import METADATA, QUERIES, canned_queries
from archiver.site_queries import parse_query_file
from archiver.sources import read_bytes
from site_helpers import OSCE_TITLE, make_datasette, reader, thread_id_by_title


def source_id(archive: Path, name: str) -> int:
    conn = sqlite3.connect(archive)
    try:
        return conn.execute("select id from sources where name = ?", [name]).fetchone()[0]
    finally:
        conn.close()


# --- the front door and the database page ------------------------------------------------------------

async def test_front_door_is_a_search_box_with_the_archives_figures(ds, archive):
    html = (await ds.client.get("/")).text
    assert '<form class="search-form" action="/-/search" method="get" role="search">' in html
    conn = sqlite3.connect(archive)
    threads, incomplete, sources, last = conn.execute(
        "select (select count(*) from threads), (select count(*) from threads where kind != 'article' and not complete),"
        " (select count(*) from sources), (select max(ingested_at) from sources)").fetchone()
    conn.close()
    assert f"<strong>{threads}</strong> threads" in html
    assert f"<strong>{incomplete}</strong> incomplete threads" in html
    assert f"<strong>{sources}</strong> sources" in html
    assert f"<strong>{last[:10]}</strong> last ingest" in html
    for name, query in canned_queries().items():  # the queries, with what each is for
        assert f'<a href="/archive/{name}">{query["title"]}</a>' in html
    assert "fragment_bands" not in html and "sightings</a>" not in html  # no internal tables
    assert 'href="/archive"' in html  # the tables are one link away


async def test_database_page_starts_from_the_queries(ds):
    html = (await ds.client.get("/archive", cookies=reader(ds))).text
    assert html.index('id="queries"') < html.index('id="tables"')
    assert "select * from fragment_bands" not in html and "select * from" not in html
    data = (await ds.client.get("/archive.json", cookies=reader(ds))).json()
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    assert {"fragment_bands", "neardup_index", "fts_indexed", "source_records", "archive_state"} <= hidden
    assert [t["name"] for t in data["tables"] if not t["hidden"]][:1] != ["fragment_bands"]


# --- canned queries: files, descriptions for people, forms, sharing ----------------------------------

def test_queries_are_sql_files_with_descriptions_not_metadata_strings():
    assert "queries" not in json.loads(METADATA.read_text())["databases"]["archive"]
    files = sorted(QUERIES.glob("*.sql"))
    assert len(files) >= 10
    for path in files:
        query = parse_query_file(path.read_text(encoding="utf-8"))
        assert query["title"] and query["description"], path.name
        assert not re.search(r"(?<![\w:]):\w", query["description"]), f"{path.name}: a raw placeholder"
        assert "[[" not in query["description"] or "CSV and JSON" in query["description"]
        for param in query.get("params", []):
            assert f":{param}" in query["sql"], (path.name, param)
            assert query["param_labels"][param] != param, f"{path.name}: {param} has no label"
        assert not query["sql"].lstrip().startswith("--"), f"{path.name}: the front matter is in the SQL"


def test_front_matter():
    query = parse_query_file("-- title: T\n-- description: one\n--   two\n-- param id: Thread id | e.g. abc\n"
                             "--   more\n-- empty: No {id}.\n-- hide_sql: false\n-- order: 3\n\nselect :id\n")
    assert query == {"title": "T", "description": "one two", "params": ["id"], "param_labels": {"id": "Thread id"},
                     "param_hints": {"id": "e.g. abc more"}, "empty_message": "No {id}.", "hide_sql": False,
                     "order": 3, "sql": "select :id\n"}


async def test_query_page_is_written_for_people(ds, archive):
    html = (await ds.client.get("/archive/thread")).text
    assert '<label for="qp-id">Thread id</label>' in html and "The 12-character id shown on the thread page" in html
    assert "Fill in the form above" in html and "0 results" not in html
    assert "Custom SQL query" not in html and "Run SQL" not in html and ":id" not in html
    wrong = (await ds.client.get("/archive/thread?id=nosuchthread")).text
    assert "No thread has the id “nosuchthread”." in wrong and "0 results" not in wrong
    osce = thread_id_by_title(archive, OSCE_TITLE)
    found = (await ds.client.get(f"/archive/thread?id={osce}")).text
    assert f'value="http://localhost/archive/thread?id={osce}"' in found  # the link to share
    assert f'<a href="http://localhost/archive/thread.csv?id={osce}">CSV</a>' in found
    assert f'<a href="http://localhost/archive/thread.json?id={osce}&amp;_shape=array">JSON</a>' in found
    assert "10 rows" in found


async def test_query_page_without_parameters_shares_too(ds):
    html = (await ds.client.get("/archive/incomplete_threads")).text
    assert 'value="http://localhost/archive/incomplete_threads"' in html and ">CSV</a>" in html


async def test_queries_served_by_plain_datasette_with_the_plugins_dir(archive):
    # `datasette serve archive.db --plugins-dir plugins --metadata datasette-metadata.json`, as the README says
    ds = make_datasette(archive)
    names = {q["name"] for q in (await ds.client.get("/archive.json")).json()["queries"]}
    assert set(canned_queries()) <= names


async def test_query_cells_link_to_parts_and_sources(ds, archive):
    html = (await ds.client.get("/archive/search?q=kestrels")).text
    gap = thread_id_by_title(archive, "Gap thread opening")
    assert f'<a href="/-/threads/{gap}#part-2">2/4</a>' in html
    seen = (await ds.client.get("/archive/sightings?" + urlencode({"q": "kestrels", "fragment": ""}))).text
    assert f'href="/-/sources/{source_id(archive, "gap.txt")}#L2"' in seen


# --- the source viewer -----------------------------------------------------------------------------------

async def test_source_viewer_shows_lines_and_facts(ds, archive):
    sid = source_id(archive, "003_3681a0714a60d3fd.txt")
    html = (await ds.client.get(f"/-/sources/{sid}")).text
    conn = sqlite3.connect(archive)
    sha, size, lines = conn.execute("select sha256, bytes, lines from sources where id = ?", [sid]).fetchone()
    conn.close()
    assert f'<code class="sha256">{sha}</code>' in html
    assert f"({size:,} bytes)" in html and f"<dt>Lines</dt><dd>{lines}</dd>" in html
    assert "<dt>Encoding</dt><dd>utf-8</dd>" in html and "<dt>Format recognised</dt><dd>plain</dd>" in html
    assert "<dt>Archived</dt>" in html
    assert html.count('<div class="line" id="L') == lines
    assert '<div class="line" id="L5"><a class="ln" href="#L5" aria-label="line 5">5</a>' in html
    assert "What did the Tokayev-Nazarbayev regime dislike so much" in html
    osce = thread_id_by_title(archive, OSCE_TITLE)
    assert f'<a href="/-/threads/{osce}"><bdi>#OSCE: ELECTIONS' in html  # the threads it gave
    assert (await ds.client.get("/-/sources/999999")).status_code == 404


async def test_source_viewer_shows_the_capture_format(tmp_path):
    db = tmp_path / "archive.db"
    conn_text = ("# Thread by @alice\n\n1/2 Observers counted ballots in Oral.\n\n2/2 The count ended at midnight.\n")
    ingest_text(db, conn_text, name="alice.md")
    conn = sqlite3.connect(db)
    sid, fmt = conn.execute("select id, json_extract(meta, '$.format') from sources").fetchone()
    conn.close()
    html = (await make_datasette(db).client.get(f"/-/sources/{sid}")).text
    assert f"<dt>Format recognised</dt><dd>{fmt}</dd>" in html


async def test_source_viewer_escapes_archived_markup(ds, archive):
    sid = source_id(archive, "xss-txt.exe".replace("txt", "\u202etxt"))
    html = (await ds.client.get(f"/-/sources/{sid}")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "\u202e" not in html


async def test_raw_download_is_the_source_byte_for_byte(ds, archive):
    sid = source_id(archive, "001_ac1307bc80349681.txt")
    r = await ds.client.get(f"/-/sources/{sid}/raw")
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"] == 'attachment; filename="001_ac1307bc80349681.txt"'
    seed = Path(__file__).resolve().parent.parent / "seeds" / "001_ac1307bc80349681.txt"
    assert r.content == seed.read_bytes()
    assert hashlib.sha256(r.content).hexdigest() == r.headers["x-source-sha256"]


async def test_a_large_source_is_read_a_page_at_a_time(tmp_path):
    # Past the 4 MiB a value may have through Datasette (plugins/limits.py): read with blob I/O.
    db = tmp_path / "archive.db"
    lines = [f"line {i} of a long dump: observers counted the ballots at station {i} {'x' * 400}"
             for i in range(1, 12_001)]
    text = "\n".join(lines) + "\n"
    assert len(text) > 4 * 1024 * 1024
    ingest_sources(db, [("long.txt", read_bytes(text.encode(), "long.txt", "file"))])
    ds = make_datasette(db)
    first = (await ds.client.get("/-/sources/1")).text
    assert first.count('<div class="line" id="L') == LINES_PER_PAGE
    assert "Lines 1–5,000 of 12,000." in first and 'href="/-/sources/1?start=5001"' in first
    page = (await ds.client.get("/-/sources/1?start=10001")).text
    assert 'id="L10001"' in page and 'id="L12000"' in page and "line 11999 of a long dump" in page
    assert page.count('<div class="line" id="L') == 2000
    assert source_path(1, 10_500, 10_502, 12_000) == "/-/sources/1?start=10001#L10500-L10502"
    raw = await ds.client.get("/-/sources/1/raw")
    assert raw.content == text.encode()


# --- the thread page: cite and hand over -----------------------------------------------------------------

async def test_seen_in_opens_the_source_at_the_cited_lines(ds, archive):
    osce = thread_id_by_title(archive, OSCE_TITLE)
    html = (await ds.client.get(f"/-/threads/{osce}")).text
    sid = source_id(archive, "003_3681a0714a60d3fd.txt")
    assert f'Seen in <a href="/-/sources/{sid}#L4-L6">003_3681a0714a60d3fd.txt</a>, lines 4–6' in html


async def test_citation_block(ds, archive):
    osce = thread_id_by_title(archive, OSCE_TITLE)
    html = (await ds.client.get(f"/-/threads/{osce}")).text
    conn = sqlite3.connect(archive)
    sha, created = conn.execute("select s.sha256, t.created_at from sources s, threads t where s.name like '003_%'"
                                " and t.id = ?", [osce]).fetchone()
    conn.close()
    citation = re.search(r'<pre id="citation-text">(.*?)</pre>', html, re.S).group(1)
    assert citation.startswith("“#OSCE: ELECTIONS IN KAZAKHSTAN PASSED WITHOUT POLITICAL COMPETITION”, thread,"
                               " 9 of 10 parts (missing: 10).")
    assert f"Thread Archiver, thread {osce}, archived {created[:10]}: http://localhost/-/threads/{osce}" in citation
    assert f"Source: 003_3681a0714a60d3fd.txt, sha256 {sha}" in citation
    assert 'id="copy-citation"' in html


async def test_open_graph_tags_and_print_stylesheet(ds, archive):
    osce = thread_id_by_title(archive, OSCE_TITLE)
    html = (await ds.client.get(f"/-/threads/{osce}")).text
    assert '<meta property="og:title" content="#OSCE: ELECTIONS IN KAZAKHSTAN PASSED WITHOUT POLITICAL COMPETITION">' in html
    assert f'<meta property="og:url" content="http://localhost/-/threads/{osce}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert re.search(r'<meta property="og:description" content="[^"]*Kazakh Foreign Ministry', html)
    style = html[html.index("@media print"):]
    assert re.search(r"header, nav, footer, \.ft,[^{]*\{ display: none !important; \}", style)


async def test_markdown_is_a_download_keeping_every_flag(ds, archive):
    osce = thread_id_by_title(archive, OSCE_TITLE)
    r = await ds.client.get(f"/-/threads/{osce}.md")
    assert r.headers["content-disposition"] == f'attachment; filename="{osce}.md"'
    assert "**1/10** · *number inferred*" in r.text  # part 1 carries no marker
    assert "> *[part 10/10 missing]*" in r.text


async def test_evidence_package(ds, archive, tmp_path):
    osce = thread_id_by_title(archive, OSCE_TITLE)
    r = await ds.client.get(f"/-/threads/{osce}.zip")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"] == f'attachment; filename="thread-{osce}.zip"'
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        names = sorted(z.namelist())
        assert names == sorted(f"thread-{osce}/{n}" for n in (
            "README.txt", "citation.txt", "thread.md", "thread.json", "SHA256SUMS",
            f"sources/{source_id(archive, '003_3681a0714a60d3fd.txt')}-003_3681a0714a60d3fd.txt"))
        seed = Path(__file__).resolve().parent.parent / "seeds" / "003_3681a0714a60d3fd.txt"
        assert z.read([n for n in names if "/sources/" in n][0]) == seed.read_bytes()
        manifest = z.read(f"thread-{osce}/SHA256SUMS").decode()
        assert len(manifest.splitlines()) == 5
        assert "*number inferred*" in z.read(f"thread-{osce}/thread.md").decode()
    path = tmp_path / "package.zip"
    path.write_bytes(r.content)
    assert verify_package(path) == ([], 5)


async def test_thread_zip_follows_aliases_and_404s(ds):
    assert (await ds.client.get("/-/threads/nosuchthread.zip")).status_code == 404


def test_the_publishing_docs_show_the_screenshots():
    docs = Path(__file__).resolve().parent.parent / "docs"
    page = (docs / "publishing.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\((screenshots/[\w.-]+\.png)\)", page)
    assert {Path(p).stem for p in shown} == {"front-door", "search", "thread", "source", "print"}
    for path in shown:
        assert (docs / path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


async def test_a_source_marked_private_by_hand_shows_nothing_on_these_pages(tmp_path):
    """`update sources set private = 1` behind the archiver's back (the public views would still show
    it): search, the source viewer, the package and the front page's figures show it to nobody
    anonymous until an `archiver` command repairs the archive (as test_projection checks for the rest)."""
    from archive_helpers import thread_dumps

    db = tmp_path / "archive.db"
    (secret,) = thread_dumps(tmp_path / "priv", 1, 8, True)
    public = thread_dumps(tmp_path / "pub", 1, 8, False)
    ingest_sources(db, [(str(p), p) for p in public + [secret]])
    conn = sqlite3.connect(db)
    tid = conn.execute("select id from threads order by rowid limit 1").fetchone()[0]
    sid = conn.execute("select id from sources where name = ?", [secret.name]).fetchone()[0]
    conn.execute("update sources set private = 1 where name = ?", [secret.name])
    conn.commit()
    conn.close()
    ds = make_datasette(db)
    assert (await found_json(ds, "zqxwitness"))["hits"] == []
    for url in (f"/-/sources/{sid}", f"/-/sources/{sid}/raw", f"/-/threads/{tid}.zip"):
        assert (await ds.client.get(url)).status_code == 404, url
    home = (await ds.client.get("/")).text
    assert "zqxwitness" not in home and 'class="figures"' not in home


async def found_json(ds, q: str) -> dict:
    return (await ds.client.get("/-/search.json?" + urlencode({"q": q}))).json()
