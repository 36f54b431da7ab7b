"""HTML inputs: each adapter rebuilds its thread (or article) from a hand-written page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.html import page_kind, parse_html
from archiver.models import Source
from archiver.parse import parse_sources
from archiver.sources import read_path

FIXTURES = Path(__file__).parent / "fixtures" / "html"
THREAD = [
    "Election day in Almaty: a thread 🧵\nPolls opened at 7:00 & queues were long.",
    "Observers were turned away at two stations in Bostandyk district.",
    "Counting starts at 20:00. More updates later.",
]
IDS = ["1590000000000000002", "1590000000000000003", "1590000000000000004"]


def _page(name: str) -> Source:
    source = read_path(FIXTURES / name)
    assert source.kind == "html"
    return source


@pytest.mark.parametrize("name, kind", [("x_thread.html", "x"), ("nitter_thread.html", "nitter"),
                                        ("threadreader.html", "threadreader"),
                                        ("mastodon_status.html", "mastodon"), ("article.html", "article")])
def test_page_kind(name, kind):
    assert page_kind(_page(name)) == kind


@pytest.mark.parametrize("name", ["x_thread.html", "nitter_thread.html", "threadreader.html"])
def test_tweet_thread_pages_give_the_self_thread(name):
    threads, dropped = parse_html(_page(name))
    assert dropped == []
    (thread,) = threads
    assert thread.kind == "thread" and thread.author == "@annobserver"
    assert thread.title == "Election day in Almaty: a thread 🧵"
    assert [p.text for p in thread.parts] == THREAD  # the question above and the reply below are left out
    assert [p.external_id for p in thread.parts] == IDS
    assert [p.parent_id for p in thread.parts] == [None, IDS[0], IDS[1]]
    assert [p.n for p in thread.parts] == [1, 2, 3]
    assert all(p.line_start is None and p.line_end is None and not p.inferred for p in thread.parts)
    assert thread.parts[1].url == "https://x.com/annobserver/status/1590000000000000003"
    # The same tweets read from any of the three pages are the same thread.
    assert thread.id == parse_html(_page("x_thread.html"))[0][0].id


def test_x_and_nitter_keep_times():
    x = parse_html(_page("x_thread.html"))[0][0]
    assert [p.posted_at for p in x.parts] == ["2022-11-20T08:01:00.000Z", "2022-11-20T08:05:00.000Z",
                                              "2022-11-20T08:09:00.000Z"]
    nitter = parse_html(_page("nitter_thread.html"))[0][0]
    assert nitter.parts[0].posted_at == "2022-11-20T08:01:00+00:00"


def test_x_quote_tweet_is_not_a_part():
    x = parse_html(_page("x_thread.html"))[0][0]
    assert not any("Our mission is deployed" in p.text for p in x.parts)


def test_replies_kept_on_request():
    x = parse_html(_page("x_thread.html"), replies=True)[0][0]
    assert [p.author for p in x.parts] == ["@pressdesk", "@annobserver", "@annobserver", "@annobserver",
                                           "@someone"]


def test_mastodon_status_page():
    (thread,) = parse_html(_page("mastodon_status.html"))[0]
    assert thread.author == "@ann@mastodon.example"
    assert [p.text for p in thread.parts] == [
        "Election day in Almaty: a thread 🧵\nPolls opened at 7:00 & queues were long.\n\nFollow along below.",
        "Observers were turned away at two stations. Report: https://example.org/report",
    ]
    assert [p.external_id for p in thread.parts] == ["109376719336938342", "109376740000000000"]
    assert thread.parts[1].parent_id == "109376719336938342"
    assert thread.url == "https://mastodon.example/@ann/109376719336938342"
    assert thread.parts[0].posted_at == "2022-11-20T08:01:00.000Z"


def test_article_page():
    (article,) = parse_html(_page("article.html"))[0]
    assert article.kind == "article"
    assert article.title == "Observers turned away at polling stations in Almaty"
    assert article.author == "Dana Writer"
    assert article.url == "https://news.example/2022/11/20/observers-almaty"
    texts = [p.text for p in article.parts]
    assert texts == [
        "Independent observers were refused entry at two polling stations in Almaty's Bostandyk district on "
        "Sunday, according to the monitoring group that deployed them.",
        "The group said its members arrived before the polls opened at 7:00 and were told by election "
        "officials that their accreditation papers were \"not in order\".",
        "Counting begins",
        "Counting started at 20:00 local time. Preliminary results are expected on Monday morning.",
    ]
    joined = "\n".join(texts)
    for boilerplate in ("Share on", "Read more", "Sign up", "cookies", "Most read", "All rights reserved",
                        "Politics", "Related", "analytics"):
        assert boilerplate not in joined
    assert article.parts[0].posted_at == "2022-11-20T18:30:00Z"


def test_article_without_article_tag_uses_the_largest_text_block():
    html = """<html><head><title>Plain page</title></head><body>
    <div class="menu"><p>Home</p><p>About</p></div>
    <div id="content"><p>First real paragraph of the story, long enough to matter here.</p>
    <p>Second real paragraph with more words in it than the menu has.</p></div>
    <div class="footer-links"><p>Contact</p></div></body></html>"""
    source = Source(name="p.html", kind="html", raw=html.encode(), text=html, encoding="utf-8")
    (article,) = parse_html(source)[0]
    assert article.title == "Plain page"
    assert [p.text[:20] for p in article.parts] == ["First real paragraph", "Second real paragrap"]


def test_parse_sources_routes_html(tmp_path):
    result = parse_sources([_page("nitter_thread.html")])
    assert [len(t.parts) for t in result.threads] == [3]
    assert all(p.source == 0 for p in result.threads[0].parts)


def test_parse_sources_leaves_a_pages_threads_as_read():
    # the X and nitter pages hold the same thread: the second's id is suffixed in the result only
    first, second = _page("x_thread.html"), _page("nitter_thread.html")
    read = [t.to_json() for t in second.structured]
    result = parse_sources([first, second])
    assert [t.to_json() for t in second.structured] == read
    assert result.threads[-1].id == second.structured[0].id + "-2"
    assert {p.source for p in result.threads[-1].parts} == {1}


def test_ingest_cli_archives_saved_pages(tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(FIXTURES, folder)
    db = tmp_path / "archive.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(folder), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["sources"]["new"] == 5
    shown = CliRunner().invoke(cli, ["threads", str(db), "--json"])
    rows = json.loads(shown.output)
    # X, nitter and Thread Reader App pages hold the same thread: one thread id.
    assert sorted((r["kind"], r["parts_present"]) for r in rows) == [("article", 4), ("thread", 2), ("thread", 3)]
    verified = CliRunner().invoke(cli, ["verify", str(db)])
    assert verified.exit_code == 0, verified.output
