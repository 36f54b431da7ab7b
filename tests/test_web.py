"""The published archive in Datasette: metadata, canned queries, thread pages, cell links, escaping.

The archive is built through the real ingest path (the seeds plus a few small dumps: conftest's
`archive`) and served in-process with the project's metadata, plugins and templates (`ds`).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from urllib.parse import urlencode

import pytest
from datasette.app import Datasette

from archiver.serve import METADATA, PLUGINS, TEMPLATES, datasette_args
from site_helpers import OSCE_TITLE, XSS_NAME, build_archive, make_datasette, reader, thread_id_by_title

CANNED = ["search", "thread", "incomplete_threads", "by_hashtag", "by_mention", "by_author",
          "duplicates", "sightings", "sources", "recent"]


async def rows(ds: Datasette, query: str, **params) -> list[dict]:
    r = await ds.client.get(f"/archive/{query}.json?" + urlencode({**params, "_shape": "array"}))
    assert r.status_code == 200, r.text
    return r.json()


# --- metadata ---------------------------------------------------------------------------------

async def test_metadata_describes_the_archive(ds):
    meta = (await ds.client.get("/-/metadata.json")).json()
    for key in ("title", "description", "source", "license", "license_url"):
        assert meta.get(key), key
    db = meta["databases"]["archive"]
    assert set(CANNED) <= set(db["queries"])
    for name, q in db["queries"].items():
        assert q.get("title") and q.get("description"), name
        assert not q.get("write"), f"{name} must not be writable"
    tables = db["tables"]
    assert tables["threads"]["label_column"] == "title"
    assert tables["threads"]["facets"] == ["kind", "complete", "author"]
    # The public views name the index of public material; a raw table's index is found by Datasette
    # from its content= option (fragments_fts, or fragments_all_fts while something is private).
    assert "fts_table" not in tables["fragments"]
    assert tables["public_fragments"]["fts_table"] == "fragments_fts"
    assert tables["public_threads"]["fts_table"] == "threads_fts"


async def test_database_page_hides_internal_tables_and_lists_queries(ds):
    data = (await ds.client.get("/archive.json", cookies=reader(ds))).json()
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    visible = {t["name"] for t in data["tables"] if not t["hidden"]}
    assert {"thread_aliases", "dropped", "fragments_fts", "fragments_fts_data", "threads_fts_idx"} <= hidden
    assert {"threads", "thread_parts", "fragments", "sightings", "sources"} <= visible
    assert set(CANNED) <= {q["name"] for q in data["queries"]}


async def test_table_defaults_sort_and_facet(ds):
    data = (await ds.client.get("/archive/threads.json", cookies=reader(ds))).json()
    assert data["human_description_en"] == "sorted by updated_at descending"
    assert {"kind", "complete", "author"} <= set(data["facet_results"])


# --- canned queries: every one, with values and empty ---------------------------------------

@pytest.mark.parametrize("name", CANNED)
async def test_every_canned_query_runs_on_empty_params(ds, name):
    query = (await ds.client.get("/-/metadata.json")).json()["databases"]["archive"]["queries"][name]
    params = dict.fromkeys(query.get("params", []), "")
    r = await ds.client.get(f"/archive/{name}.json?" + urlencode({**params, "_shape": "array"}))
    assert r.status_code == 200, r.text
    if params:
        assert r.json() == []
    # The HTML page (which runs the query at once) and the page with no parameters at all.
    for url in (f"/archive/{name}?" + urlencode(params), f"/archive/{name}"):
        page = await ds.client.get(url)
        assert page.status_code == 200
        assert "message-error" not in page.text


@pytest.mark.parametrize("q", ['"', '""', '" "', " ", "(", ")", "NEAR(", "a\"b", "foo*", "*", "-", "^x", ":",
                               "text:foo", "AND", "OR NOT", "{x}", "a\x00b", "\x00", "line\nbreak \"x", "\\", "'",
                               "%", "_", "#", "@"])
async def test_search_queries_never_raise_fts_errors(ds, q):
    for name, param in [("search", "q"), ("by_hashtag", "tag"), ("by_mention", "handle"), ("by_author", "author")]:
        r = await ds.client.get(f"/archive/{name}.json?" + urlencode({param: q, "_shape": "array"}))
        assert r.status_code == 200, (name, q, r.text)
    r = await ds.client.get("/archive/sightings.json?" + urlencode({"q": q, "fragment": "", "_shape": "array"}))
    assert r.status_code == 200, r.text


async def test_search_finds_zhovtis_in_seeds_000_and_001(ds):
    found = await rows(ds, "search", q="Zhovtis")
    assert {"thread_id", "thread_title", "part", "author", "source", "snippet", "fragment_id"} <= set(found[0])
    sources = {r["source"][:4] for r in found}
    assert {"000_", "001_"} <= sources
    assert all("[[Zhovtis]]" in r["snippet"] for r in found)
    assert all(r["thread_id"] and r["thread_title"] for r in found)


async def test_search_ignores_accents(ds):
    found = await rows(ds, "search", q="defenseurs")
    assert found and all(r["source"].startswith("001_") for r in found)
    assert "éfenseurs" in found[0]["snippet"]


async def test_search_is_ranked_by_relevance(ds):
    # The part saying Kazakhstan most often, in its shortest text, outranks passing mentions.
    found = await rows(ds, "search", q="Kazakhstan")
    conn = sqlite3.connect(ds.get_database().path)
    ranks = [conn.execute("select rank from fragments_fts where fragments_fts match '\"Kazakhstan\"'"
                          " and rowid = (select rowid from fragments where id = ?)", [r["fragment_id"]]).fetchone()[0]
             for r in found]
    assert ranks == sorted(ranks)


async def test_cyrillic_words_are_searchable(ds):
    for word in ("Жовтис", "правозащитник"):
        found = await rows(ds, "search", q=word)
        assert [r["source"] for r in found] == ["cyrillic.txt"], word
    assert await rows(ds, "by_hashtag", tag="#нко")


async def test_thread_query_lists_parts_with_a_row_per_missing_number(ds, archive):
    gap = thread_id_by_title(archive, "Gap thread opening")
    parts = await rows(ds, "thread", id=gap)
    assert [(p["part"], p["status"]) for p in parts] == [
        ("1/4", "present"), ("2/4", "present"), ("3/4", "missing"), ("4/4", "present")]
    assert parts[2]["text"] is None and parts[2]["fragment_id"] is None
    assert parts[0]["seen_in"].startswith("gap.txt lines 1-1 (sha256 ")


async def test_thread_query_keeps_osce_parts_in_order(ds, archive):
    osce = thread_id_by_title(archive, OSCE_TITLE)
    parts = await rows(ds, "thread", id=osce)
    assert [p["part"] for p in parts] == [f"{n}/10" for n in range(1, 11)]
    assert all(p["status"] != "missing" for p in parts[:9])
    assert parts[9]["status"] == "missing" and parts[9]["text"] is None
    assert parts[0]["text"].startswith(OSCE_TITLE)


async def test_incomplete_threads(ds, archive):
    found = await rows(ds, "incomplete_threads")
    by_id = {r["thread_id"]: r for r in found}
    gap = by_id[thread_id_by_title(archive, "Gap thread opening")]
    assert gap["missing"] == "[3]" and gap["parts"] == "3/4" and gap["first_source"] == "gap.txt"
    assert thread_id_by_title(archive, "Правозащитник") not in by_id  # complete
    assert [r["missing_count"] for r in found] == sorted(r["missing_count"] for r in found)


async def test_by_hashtag_and_by_mention(ds, archive):
    tagged = await rows(ds, "by_hashtag", tag="#birds")
    assert [r["source"] for r in tagged] == ["gap.txt"] and tagged[0]["part"] == "1/4"
    assert await rows(ds, "by_hashtag", tag="birds") == tagged  # the # is optional
    assert await rows(ds, "by_hashtag", tag="kestrel") == []  # a word, not a hashtag
    osce = await rows(ds, "by_hashtag", tag="OSCE")
    assert thread_id_by_title(archive, OSCE_TITLE) in {r["thread_id"] for r in osce}
    mentioned = await rows(ds, "by_mention", handle="@ornithologist")
    assert [r["part"] for r in mentioned] == ["4/4"]
    assert [r["source"] for r in await rows(ds, "by_mention", handle="kibhr")] == ["cyrillic.txt"]
    assert await rows(ds, "by_mention", handle="freedomhouse")  # glued handles: @hrw@freedomhouse


async def test_by_author(ds):
    found = await rows(ds, "by_author", author="Anonim")
    assert len(found) >= 2 and all(r["author"] == "Anonim" for r in found)
    assert await rows(ds, "by_author", author="nobody-by-that-name") == []
    assert await rows(ds, "by_author", author="%") == []  # LIKE wildcards are literal


async def test_duplicates_lists_exact_groups(ds):
    found = await rows(ds, "duplicates")
    exact = [r for r in found if r["kind"] == "exact"]
    assert exact and all(r["sightings"] > 1 for r in exact)
    quoted = [r for r in exact if r["text"] == "Second part counts the kestrels"]
    assert quoted and quoted[0]["threads"] == 2 and quoted[0]["sources"] == 2
    assert all(r["kind"] == "exact" or r["kind"].startswith("near") for r in found)


async def test_duplicates_lists_near_pairs(tmp_path):
    # ingest stores the near-duplicate pairs it measures; the query lists each of them
    db = build_archive(tmp_path / "archive.db")
    conn = sqlite3.connect(db)
    stored = {(a, b): (sim, method) for a, b, sim, method in conn.execute(
        "select fragment_a, fragment_b, similarity, method from near_duplicates")}
    conn.close()
    assert stored, "the seeds hold near-duplicate paragraphs (000 and 002)"
    near = [r for r in await rows(make_datasette(db), "duplicates") if r["kind"] != "exact"]
    listed = {(r["fragment_id"], r["other_fragment_id"]): (r["similarity"], r["kind"]) for r in near}
    assert set(listed) == set(stored)
    for pair, (sim, kind) in listed.items():
        assert sim == round(stored[pair][0], 3) and kind == "near"
    # both texts of each pair are shown (not one text of each pair)
    conn = sqlite3.connect(db)
    texts = dict(conn.execute("select id, substr(text, 1, 300) from fragments"))
    conn.close()
    assert all(r["text"] == texts[r["fragment_id"]] and r["other_text"] == texts[r["other_fragment_id"]] for r in near)


async def test_sightings_by_fragment_and_by_text(ds):
    by_text = await rows(ds, "sightings", q="Zhovtis", fragment="")
    assert {r["source"][:4] for r in by_text} >= {"000_", "001_"}
    assert all(r["line_start"] and r["line_end"] >= r["line_start"] and len(r["sha256"]) == 12 for r in by_text)
    fid = by_text[0]["fragment_id"]
    by_id = await rows(ds, "sightings", fragment=fid, q="")
    assert by_id and {r["fragment_id"] for r in by_id} == {fid}


async def test_sources_and_recent(ds, archive):
    sources = await rows(ds, "sources")
    names = [s["name"] for s in sources]
    assert len(names) == 9 and {"gap.txt", XSS_NAME} <= set(names)
    assert all(len(s["sha256"]) == 64 and s["bytes"] > 0 and s["kind"] for s in sources)
    recent = await rows(ds, "recent")
    assert thread_id_by_title(archive, "Gap thread opening") in {r["thread_id"] for r in recent}
    assert [r["updated_at"] for r in recent] == sorted((r["updated_at"] for r in recent), reverse=True)


# --- thread pages ------------------------------------------------------------------------------

async def test_osce_thread_page_shows_parts_in_order(ds, archive):
    osce = thread_id_by_title(archive, OSCE_TITLE)
    r = await ds.client.get(f"/-/threads/{osce}")
    assert r.status_code == 200
    html = r.text
    assert "ELECTIONS IN KAZAKHSTAN PASSED WITHOUT POLITICAL COMPETITION" in html
    labels = [html.index(f'<span class="part-n">{n}/10</span>') for n in range(1, 10)]
    assert labels == sorted(labels)
    texts = ["What did the Tokayev-Nazarbayev regime", "mentioned as an example the political persecution",
             "holding peaceful demonstrations on November 20", "of administrative arrest for"]
    positions = [html.index(t) for t in texts]
    assert positions == sorted(positions)
    assert "003_3681a0714a60d3fd.txt" in html and "sha256 <code>" in html
    assert 'href="/-/search?q=%23OSCE"' in html  # hashtags link to the search page
    assert html.index('<span class="part-n">9/10</span>') < html.index("part 10 missing")


async def test_thread_page_shows_gaps_and_provenance(ds, archive):
    gap = thread_id_by_title(archive, "Gap thread opening")
    html = (await ds.client.get(f"/-/threads/{gap}")).text
    assert 'class="gap"' in html and "part 3 missing" in html
    assert html.index("2/4") < html.index("part 3 missing") < html.index("4/4")
    assert "gap.txt</a>, line 1" in html
    assert 'href="/-/search?q=%40ornithologist"' in html
    assert 'href="/-/search?q=%23birds"' in html
    assert f'href="/-/threads/{gap}.md"' in html


async def test_thread_page_lists_other_threads_holding_a_part(ds, archive):
    gap = thread_id_by_title(archive, "Gap thread opening")
    owls = thread_id_by_title(archive, "Owl census notes")
    html = (await ds.client.get(f"/-/threads/{gap}")).text
    assert "Also part of:" in html
    assert f'<a href="/-/threads/{owls}"><bdi>Owl census notes from the marsh' in html
    assert "quote.txt</a>, line 2" in html  # the quoting source is listed among the sightings


async def test_thread_page_lists_other_sightings(ds, archive):
    # Seed 000 repeats its headline three times: one part, three sightings.
    article = thread_id_by_title(archive, "Tax suspended the work")
    html = (await ds.client.get(f"/-/threads/{article}")).text
    assert "Also seen:" in html
    assert html.count("000_456a8ef12e54a9f5.txt</a>") >= 3


async def test_markdown_export(ds, archive):
    gap = thread_id_by_title(archive, "Gap thread opening")
    r = await ds.client.get(f"/-/threads/{gap}.md")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/markdown")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.text.startswith("# Gap thread opening")
    assert "[part 3/4 missing]" in r.text and "> Second part counts the kestrels" in r.text


async def test_unknown_thread_is_404(ds):
    assert (await ds.client.get("/-/threads/no-such-thread")).status_code == 404
    assert (await ds.client.get("/-/threads/no-such-thread.md")).status_code == 404
    r = await ds.client.get("/-/threads/%3Cscript%3E", follow_redirects=True)
    assert r.status_code == 404


async def test_alias_redirects_to_canonical_thread(tmp_path):
    # Ingest does not merge threads yet, so this test writes the alias a merge would leave.
    db = build_archive(tmp_path / "archive.db")
    gap = thread_id_by_title(db, "Gap thread opening")
    conn = sqlite3.connect(db)
    conn.execute("insert into thread_aliases values ('oldid', ?, '2024-01-01')", [gap])
    conn.commit()
    conn.close()
    ds = make_datasette(db)
    r = await ds.client.get("/-/threads/oldid")
    assert r.status_code == 302 and r.headers["location"] == f"/-/threads/{gap}"
    r = await ds.client.get("/-/threads/oldid.md")
    assert r.status_code == 302 and r.headers["location"] == f"/-/threads/{gap}.md"
    assert [p["part"] for p in await rows(ds, "thread", id="oldid")] == ["1/4", "2/4", "3/4", "4/4"]


# --- table pages and cell rendering ------------------------------------------------------------

async def test_threads_table_links_titles_to_thread_pages(ds, archive):
    osce = thread_id_by_title(archive, OSCE_TITLE)
    r = await ds.client.get("/archive/threads", cookies=reader(ds))
    assert r.status_code == 200
    assert f'<a href="/-/threads/{osce}"><bdi>#OSCE: ELECTIONS' in r.text
    parts = await ds.client.get(f"/archive/thread_parts?thread_id={osce}", cookies=reader(ds))
    assert f'<a href="/-/threads/{osce}"><bdi>#OSCE: ELECTIONS' in parts.text  # the foreign key label


async def test_fragments_table_search(ds):
    r = await ds.client.get("/archive/fragments?_search=Zhovtis", cookies=reader(ds))
    assert r.status_code == 200 and "Zhovtis" in r.text
    data = await ds.client.get("/archive/fragments.json?_search=Zhovtis&_shape=array", cookies=reader(ds))
    assert len(data.json()) == 2


async def test_search_page_highlights_and_links(ds):
    html = (await ds.client.get("/archive/search?q=Zhovtis")).text
    assert "<mark>Zhovtis</mark>" in html
    assert 'href="/-/threads/' in html
    assert "<title>Search archived text · archive</title>" in html
    tagged = (await ds.client.get("/archive/fragments?_search=kestrel", cookies=reader(ds))).text
    assert 'href="/-/search?q=%23birds"' in tagged


async def test_metadata_applies_to_an_archive_with_another_name(archive, tmp_path):
    other = tmp_path / "mine.db"
    shutil.copy(archive, other)
    ds = make_datasette(other)
    r = await ds.client.get("/mine/search.json?q=Zhovtis&_shape=array")
    assert r.status_code == 200 and len(r.json()) >= 2
    tables = {t["name"]: t["hidden"] for t in (await ds.client.get("/mine.json", cookies=reader(ds))).json()["tables"]}
    assert tables["thread_aliases"] and not tables["threads"]


# --- escaping -----------------------------------------------------------------------------------

def assert_no_live_markup(html: str) -> None:
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    assert "\u202e" not in html and "\u202c" not in html


async def test_foreign_key_labels_lose_bidi_controls(ds):
    html = (await ds.client.get("/archive/threads?_sort=first_source_id", cookies=reader(ds))).text
    assert '<a href="/archive/sources/6"><bdi>xss-txt.exe</bdi></a>&nbsp;<em>6</em>' in html


async def test_thread_page_escapes_archived_text(ds, archive):
    xss = thread_id_by_title(archive, "<script>")
    html = (await ds.client.get(f"/-/threads/{xss}")).text
    assert_no_live_markup(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:alert(1)" in html  # shown as text
    assert "Thread about evil things" in html  # bidi overrides removed


@pytest.mark.parametrize("url", [
    "/archive/threads", "/archive/fragments", "/archive/fragments?_search=alert", "/archive/thread_parts",
    "/archive/search?q=alert", "/archive/search?q=evil", "/archive/thread?id={xss}", "/archive/recent",
    "/archive/by_mention?handle=attacker", "/archive/sources/6", "/archive/threads/{xss}",
])
async def test_table_and_query_pages_escape_archived_text(ds, archive, url):
    r = await ds.client.get(url.format(xss=thread_id_by_title(archive, "<script>")), cookies=reader(ds))
    assert r.status_code == 200
    assert_no_live_markup(r.text)
    assert "&lt;script&gt;" in r.text or "&lt;img" in r.text or "&lt;a href" in r.text


# --- serving --------------------------------------------------------------------------------------

def test_datasette_args(archive):
    args = datasette_args(archive, port=8123)
    assert args[args.index("--host") + 1] == "127.0.0.1"
    for flag, value in (("--metadata", METADATA), ("--plugins-dir", PLUGINS), ("--template-dir", TEMPLATES)):
        assert args[args.index(flag) + 1] == str(value)
    assert "default_allow_sql" not in args
    assert datasette_args(archive, public=True)[-3:] == ["--setting", "default_allow_sql", "off"]


async def test_public_mode_keeps_canned_queries_but_not_arbitrary_sql(archive):
    ds = make_datasette(archive, default_allow_sql=False)
    assert (await ds.client.get("/archive.json?sql=select+1")).status_code == 403
    assert (await ds.client.get("/archive/search.json?q=Zhovtis")).status_code == 200
    assert (await ds.client.get("/-/threads/" + thread_id_by_title(archive, OSCE_TITLE))).status_code == 200
