"""Search people can use (archiver/search.py, plugins/search_page.py): FTS5 syntax, a one-line
explanation and a corrected query instead of an error, facets, paging through every match, accents.

Queries are checked as parsed, then on test_web's archive (the seeds plus small dumps) through the
search page served in-process, and the paging on the search function directly with small pages.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from archiver import search
from archiver.search import fts_can_read, parse_query, run_search
from site_helpers import thread_id_by_title


async def found(ds, **params) -> dict:
    r = await ds.client.get("/-/search.json?" + urlencode(params))
    assert r.status_code == 200, r.text
    return r.json()


# --- what is searched for ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed, searched", [
    ("elections OR Tokayev", "elections OR Tokayev"),
    ('"political persecution"', '"political persecution"'),
    ("OSC*", "OSC*"),
    ("défens*", "défens*"),
    ("Tokayev-Nazarbayev", '"Tokayev-Nazarbayev"'),  # FTS5 alone: "no such column: Nazarbayev"
    ("#OSCE @kibhr", '"#OSCE" "@kibhr"'),
    ("elections -Tokayev", "elections NOT Tokayev"),
    ("elections NOT Tokayev", "elections NOT Tokayev"),
    ("Kazakhstan (elections OR vote)", "Kazakhstan AND (elections OR vote)"),  # FTS5 alone: a syntax error
    ("text:foo", '"text:foo"'),
    ("  court \n fined ", "court fined"),
])
def test_queries_are_read_as_people_mean_them(typed, searched):
    q = parse_query(typed)
    assert (q.fts, q.problem, q.suggestion) == (searched, None, None)
    assert fts_can_read(q.fts) is None


@pytest.mark.parametrize("typed, problem, suggestion", [
    ('"political persecution', 'the quote " is not closed', '"political persecution"'),
    ("(elections OR Tokayev", "a bracket ( is not closed", "(elections OR Tokayev)"),
    ("elections)", "a bracket ) has no ( before it", "elections"),
    ("elections OR", "OR needs words on both sides", "elections"),
    ("OR elections AND AND court", "OR needs words on both sides; AND needs words on both sides", "elections AND court"),
])
def test_a_query_fts_cannot_read_is_explained_with_its_correction(typed, problem, suggestion):
    q = parse_query(typed)
    assert (q.problem, q.suggestion) == (problem, suggestion)
    assert fts_can_read(q.fts) is None
    assert fts_can_read(typed) is not None  # FTS5 itself refuses what was typed


def test_a_one_letter_prefix_is_explained():
    # FTS5 reads `e*`, but it would read every word starting with e in the index: searched as the word
    q = parse_query("e*")
    assert (q.fts, q.problem, q.suggestion) == ("e", "a prefix needs at least 2 letters before the * (e*)", "e")


def test_nothing_to_search_for():
    assert parse_query("").fts is None and parse_query("").problem is None
    assert parse_query("- * #").fts is None
    only_not = parse_query("NOT Tokayev")  # nothing left to search once the excluded word is set aside
    assert only_not.fts is None and only_not.problem == "NOT needs words on both sides"


QUERY_PIECES = st.sampled_from(['"', "(", ")", "*", "-", "+", "^", ":", "AND", "OR", "NOT", "NEAR", " ", "a", "zz",
                                "défens", "Жовтис", "#x", "@y", "'", ",", "{", "}", "\x00", "\n", "日本"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(QUERY_PIECES, max_size=14).map("".join)))
@example("\x1a")  # a control character the index reads as a letter, alone or after punctuation
@example(":\x1a")
def test_any_typed_query_is_searched_or_explained_in_one_line(typed):
    q = parse_query(typed)
    if q.fts is not None:
        assert fts_can_read(q.fts) is None, (typed, q)
    if q.problem is not None:
        assert "\n" not in q.problem
        assert q.suggestion is None or "\n" not in q.suggestion
    words = [w for w in search._BAREWORD.findall(" ".join(typed.split())) if w not in search.OPERATORS]
    if words and "NOT" not in typed and "-" not in typed:
        assert q.fts is not None or q.problem, (typed, q)


# --- the search page ---------------------------------------------------------------------------------

async def test_search_finds_zhovtis_with_facets(ds):
    data = await found(ds, q="Zhovtis")
    assert data["total"] == 2 and len(data["hits"]) == 2
    assert {s["name"][:4] for h in data["hits"] for s in h["sightings"]} == {"000_", "001_"}
    assert all("[[Zhovtis]]" in h["snippet"] for h in data["hits"])
    assert set(data["facets"]) == {"kind", "author", "source", "month"}
    assert sum(v["count"] for v in data["facets"]["source"]) == 2


@pytest.mark.parametrize("typed", ['"political persecution"', "elections OR Tokayev", "OSC*"])
async def test_phrases_or_and_prefixes_find_hits(ds, typed):
    data = await found(ds, q=typed)
    assert data["problem"] is None and data["total"] > 0 and data["hits"]


async def test_operators_change_what_is_found(ds):
    both = (await found(ds, q="elections Tokayev"))["total"]
    either = (await found(ds, q="elections OR Tokayev"))["total"]
    without = (await found(ds, q="elections -Tokayev"))["total"]
    elections = (await found(ds, q="elections"))["total"]
    assert both < elections < either and without == elections - both
    phrase = await found(ds, q='"political persecution"')
    assert all("[[political]] [[persecution]]" in h["snippet"].lower().replace("[[political persecution]]",
                                                                               "[[political]] [[persecution]]")
               or "political persecution" in h["snippet"].lower().replace("[[", "").replace("]]", "")
               for h in phrase["hits"])
    prefix = await found(ds, q="OSC*")
    assert any("[[OSCE" in h["snippet"] or "[[ОSCE" in h["snippet"] for h in prefix["hits"])


async def test_unparsable_query_is_explained_and_its_correction_searched(ds):
    r = await ds.client.get("/-/search?" + urlencode({"q": '"political persecution'}))
    assert r.status_code == 200
    assert 'class="notice search-problem"' in r.text and "the quote &#34; is not closed" in r.text
    assert "Showing results for" in r.text and 'href="?q=%22political+persecution%22"' in r.text
    assert 'class="hit"' in r.text
    data = await found(ds, q='"political persecution')
    assert data["problem"] and data["suggestion"] == '"political persecution"' and data["hits"]


async def test_no_match_is_said_with_a_hint_not_a_bare_zero(ds):
    html = (await ds.client.get("/-/search?q=zzzunfindable")).text
    assert "Nothing archived matches <strong>zzzunfindable</strong>" in html and "Try fewer words" in html


async def test_accents_and_scripts(ds):
    for typed in ("defenseurs", "défenseurs", "DEFENSEURS", "defens*", "défens*"):
        data = await found(ds, q=typed)
        assert data["hits"] and all(s["name"].startswith("001_") for h in data["hits"] for s in h["sightings"]), typed
    for typed in ("Жовтис", "правозащитник", "Жовт*"):
        data = await found(ds, q=typed)
        assert [s["name"] for h in data["hits"] for s in h["sightings"]] == ["cyrillic.txt"], typed


async def test_each_hit_links_to_its_part(ds, archive):
    html = (await ds.client.get("/-/search?q=kestrels")).text
    osce = thread_id_by_title(archive, "Gap thread opening")
    assert f'href="/-/threads/{osce}#part-2"' in html
    page = (await ds.client.get(f"/-/threads/{osce}")).text
    assert 'id="part-2"' in page
    # and to the lines it was seen at, in the source viewer
    conn = sqlite3.connect(archive)
    gap_id = conn.execute("select id from sources where name = 'gap.txt'").fetchone()[0]
    conn.close()
    assert f'href="/-/sources/{gap_id}#L2"' in html


async def test_facets_filter_and_count(ds, archive):
    data = await found(ds, q="Kazakhstan")
    kinds = {v["value"]: v["count"] for v in data["facets"]["kind"]}
    assert set(kinds) >= {"article", "thread"}
    articles = await found(ds, q="Kazakhstan", kind="article")
    assert articles["count"] == kinds["article"] and all(p["kind"] == "article" for h in articles["hits"]
                                                         for p in h["parts"][:1])
    source = data["facets"]["source"][0]
    narrowed = await found(ds, q="Kazakhstan", source=source["value"])
    assert narrowed["count"] == source["count"]
    assert all(any(str(s["source_id"]) == source["value"] for s in h["sightings"]) for h in narrowed["hits"])
    month = data["facets"]["month"][0]
    assert (await found(ds, q="Kazakhstan", month=month["value"]))["count"] == month["count"]
    html = (await ds.client.get("/-/search?" + urlencode({"q": "Kazakhstan", "kind": "article"}))).text
    assert "Kind: article ✕" in html and 'href="?q=Kazakhstan"' in html  # the chosen filter, and its removal


def run(archive: Path, typed: str, **kwargs) -> search.Results:
    conn = sqlite3.connect(archive)
    try:
        return run_search(conn, parse_query(typed), **kwargs)
    finally:
        conn.close()


def every_match(archive: Path, typed: str) -> set[int]:
    conn = sqlite3.connect(archive)
    try:
        return {r[0] for r in conn.execute("select rowid from fragments_fts where fragments_fts match ?",
                                           [parse_query(typed).fts])}
    finally:
        conn.close()


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_paging_reaches_every_match_once(archive, sort):
    want = every_match(archive, "Kazakhstan OR elections OR the")
    assert len(want) > 12
    seen: list[int] = []
    page, cursor = 1, None
    while True:
        results = run(archive, "Kazakhstan OR elections OR the", sort=sort, page=page, cursor=cursor, page_size=5)
        seen += [h.rowid for h in results.hits]
        if sort == "relevance" and results.next_page:
            page = results.next_page
        elif sort != "relevance" and results.next_cursor is not None:
            cursor = results.next_cursor
        else:
            break
    assert sorted(seen) == sorted(want) and len(seen) == len(set(seen))
    if sort != "relevance":
        assert seen == sorted(seen, reverse=sort == "newest")


def test_a_common_word_is_ranked_within_the_most_recent_matches_and_paged_whole_by_date(archive, monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 6)
    monkeypatch.setattr(search, "FACET_SAMPLE", 4)
    want = every_match(archive, "the")
    results = run(archive, "the", page_size=50)
    assert results.windowed and results.total == len(want) > 6
    assert {h.rowid for h in results.hits} == set(sorted(want)[-6:])  # ranked among the 6 most recent
    assert results.facet_sampled and sum(v["count"] for v in results.facets["kind"]) <= 4
    newest = run(archive, "the", sort="newest", page_size=len(want))
    assert [h.rowid for h in newest.hits] == sorted(want, reverse=True)


async def test_search_json_and_page_never_fail(ds):
    for typed in ['"', "(", ")", "NEAR(", "*", "-", "^x", "text:foo", "AND", "OR NOT", "\x00", "a\"b", "%", "日本"]:
        for page in ("/-/search", "/-/search.json"):
            r = await ds.client.get(page + "?" + urlencode({"q": typed, "page": "999999", "after": "5", "source": "x"}))
            assert r.status_code == 200, (typed, r.text[:300])


async def test_canned_search_query_reads_the_same_syntax(ds):
    for typed in ("elections OR Tokayev", "OSC*", '"political persecution"', '"political persecution'):
        r = await ds.client.get("/archive/search.json?" + urlencode({"q": typed, "_shape": "array"}))
        assert r.status_code == 200 and r.json(), typed


def test_paging_past_the_facet_sample(archive, monkeypatch):
    # the relevance pages continue past the sample the facets count (a page ending on its last match)
    monkeypatch.setattr(search, "FACET_SAMPLE", 10)
    want = every_match(archive, "Kazakhstan OR elections OR the")
    seen, page = [], 1
    while page:
        results = run(archive, "Kazakhstan OR elections OR the", page=page, page_size=5)
        seen += [h.rowid for h in results.hits]
        page = results.next_page
    assert sorted(seen) == sorted(want)
