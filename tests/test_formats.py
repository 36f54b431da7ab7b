"""Capture formats: each layout people hold posts in is recognised and read (archiver/formats).

The fixtures in fixtures/formats are synthetic examples of each layout (invented names and text,
shaped after ../shared/research/capture-formats.md). Each test states the items the text holds:
kind, part numbers, total, author and the lines of every part.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.formats import read_layout
from archiver.markers import read_markup_marker
from archiver.models import split_lines
from archiver.normalize import normalize_text
from archiver.parse import parse_sources, parse_text
from archiver.sources import read_path

from archive_helpers import assert_nothing_lost

FIXTURES = Path(__file__).parent / "fixtures" / "formats"

COMMENTERS = [("Aigerim", "Observers were asked to leave."), ("Daniyar", "Same at station 87."),
              ("Saule", "The bureau will appeal.")]


def comment_page(header: str, after: str = "Reply") -> str:
    """Three comments by COMMENTERS, each under `header` (`{name}` and `{k}`, 0-2, filled in) and over `after`."""
    return "".join(header.format(name=name, k=k) + f"\n{body}\n{after}\n" for k, (name, body) in enumerate(COMMENTERS))


def spans_of(text: str, fmt: str, by: str = "kind") -> list[tuple]:
    """(kind or author, [(line_start, line_end), ...]) of each item of a page in the format `fmt`."""
    result = parse_text(text)
    assert result.sources[0].format == fmt
    return [(getattr(t, by), [(p.line_start, p.line_end) for p in t.parts]) for t in result.threads]


def kinds_and_spans(text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """(kind, [(line_start, line_end), ...]) of each item of a text."""
    return [(t.kind, [(p.line_start, p.line_end) for p in t.parts]) for t in parse_text(text).threads]


def authors_and_starts(text: str, fmt: str) -> list[tuple[str, int]]:
    """The author and first line of each item of a page in the format `fmt`."""
    result = parse_text(text)
    assert result.sources[0].format == fmt
    return [(t.author, t.parts[0].line_start) for t in result.threads]


def items(name: str) -> tuple[str, list[tuple]]:
    """(format, [(kind, total, author, [(n, line_start, line_end), ...]), ...]) of a fixture."""
    source = read_path(FIXTURES / name)
    result = parse_sources([source])
    assert_nothing_lost(result.to_json(), source.lines)
    return read_layout(source.lines).format, [
        (t.kind, t.total, t.author, [(p.n, p.line_start, p.line_end) for p in t.parts]) for t in result.threads]


CASES = {
    # Reader's full document of a thread: the tweets between rules, the link card after them a post
    "readwise_document.md": ("readwise-document", [
        ("thread", 3, "@aigerim_kz", [(1, 14, 16), (2, 20, 26), (3, 30, 32)]),
        ("post", None, "@aigerim_kz", [(1, 36, 36)])]),
    # a reply page (names and handles in directional embeddings): the author's reply, with others'
    # replies between, is a post of its own; a replier's two replies in a row are a self-thread
    "bluesky_reply_page.txt": ("plain", [
        ("post", None, "@aigerim.bsky.social", [(1, 5, 5)]),
        ("post", None, "@daniyar.bsky.social", [(1, 14, 14)]),
        ("post", None, "@ruslan.example.org", [(1, 19, 19)]),
        ("post", None, "@aigerim.bsky.social", [(1, 25, 25)]),
        ("thread", None, "@ruslan.example.org", [(1, 29, 29), (2, 34, 34)]),
        ("post", None, "@saule.bsky.social", [(1, 38, 38)])]),
    # a profile page: the account's posts, made at different times, are separate posts
    "bluesky_profile.txt": ("plain", [
        ("post", None, "@aigerim.bsky.social", [(1, 4, 9)]),
        ("post", None, "@aigerim.bsky.social", [(1, 13, 13)]),
        ("post", None, "@aigerim.bsky.social", [(1, 20, 20)]),
        ("post", None, "@aigerim.bsky.social", [(1, 27, 27)])]),
    "clipper_thread_by.md": ("obsidian-clipper", [
        ("thread", None, "@aigerim_kz", [(1, 14, 14), (2, 20, 22)]),
        ("post", None, "@daniyar_t", [(1, 28, 28)])]),
    "clipper_post_by.md": ("obsidian-clipper", [
        ("thread", None, "@aigerim_kz", [(1, 11, 11), (2, 15, 15)]),
        ("post", None, "@daniyar_t", [(1, 23, 23)]),
        ("post", None, "@ruslan_k", [(1, 27, 27)])]),
    "tweet_to_markdown.md": ("tweet-to-markdown", [
        ("thread", None, "@aigerim_kz", [(1, 13, 13), (2, 22, 22)])]),
    "omnivore.md": ("omnivore", [("article", None, None, [(1, 20, 20), (2, 22, 22)])]),
    "readwise_thread.md": ("readwise", [
        ("thread", 3, "@aigerim_kz", [(1, 12, 12), (2, 13, 14), (3, 15, 15)])]),
    "readwise_tweets_from.md": ("readwise", [
        ("post", None, "@aigerim_kz", [(1, 12, 12)]),
        ("post", None, "@aigerim_kz", [(1, 13, 14)]),
        ("post", None, "@aigerim_kz", [(1, 16, 16)])]),
    "thread_reader_app.txt": ("thread-reader-app", [
        ("thread", None, "@aigerim_kz", [(1, 2, 2), (2, 3, 3), (3, 4, 4)])]),
    "x_web_copy.txt": ("plain", [
        ("thread", None, "@aigerim_kz", [(1, 5, 5), (2, 18, 18)]),
        ("post", None, "@daniyar_t", [(1, 23, 23)])]),
    # a saved x.com page: its frame (sign-in prompt, sidebar, footer) holds no post; a mention
    # inside the text sits on a line of its own; the accounts a reply answers name no author
    "x_saved_page.txt": ("x-web", [
        ("post", None, "@aigerim_kz", [(1, 10, 14)]),
        ("post", None, "@daniyar_t", [(1, 28, 28)]),
        ("post", None, "@ruslan_k", [(1, 39, 39)])]),
    # comments with the author's name on a line of its own and the time under it, a reply button after
    "dated_comments.txt": ("dated-comments", [
        ("article", None, None, [(1, 1, 1), (2, 2, 2), (3, 3, 3)]),
        ("post", None, "Aigerim", [(1, 6, 6)]),
        ("post", None, "Daniyar T.", [(1, 12, 12)]),
        ("post", None, "Saule", [(1, 17, 17)])]),
    "twitter_2010_2016.txt": ("twitter-web-2016", [
        ("thread", None, "@aigerim_kz", [(1, 2, 2), (2, 8, 8)]),
        ("post", None, "@ruslan_k", [(1, 16, 16)])]),
    "tweetdeck.txt": ("plain", [
        ("post", None, "@aigerim_kz", [(1, 2, 2)]),
        ("post", None, "@daniyar_t", [(1, 4, 4)]),
        ("post", None, "@ruslan_k", [(1, 6, 6)])]),
    "bluesky_web.txt": ("plain", [
        ("thread", None, "@aigerim.bsky.social", [(1, 2, 2), (2, 5, 5)]),
        ("post", None, "@daniyar.example.org", [(1, 7, 7)])]),
    "mastodon_web.txt": ("plain", [
        ("post", None, "@ruslan@mastodon.example", [(1, 5, 5)]),
        ("post", None, "@aigerim", [(1, 9, 9)]),
        ("post", None, "@daniyar@social.example", [(1, 13, 13)])]),
    "telegram_desktop.txt": ("telegram-desktop", [
        ("post", None, "Election Watch KZ", [(1, 2, 2)]),
        ("post", None, "Election Watch KZ", [(1, 6, 6)]),
        ("post", None, "Election Watch KZ", [(1, 9, 9)])]),
    "telegram_channel_web.txt": ("telegram-web", [
        ("post", None, "Election Watch KZ", [(1, 4, 5)]),
        ("post", None, "Aigerim S.", [(1, 9, 9)]),
        ("post", None, "Election Watch KZ", [(1, 15, 16)])]),
    "draft_headings.md": ("markdown-draft", [
        ("article", None, None, [(1, 3, 3), (2, 17, 17), (3, 18, 18), (4, 19, 19)]),
        ("thread", 3, None, [(1, 5, 6), (2, 8, 12), (3, 14, 15)])]),
    "draft_braces.md": ("markdown-draft", [
        ("thread", 3, "@aigerim_kz", [(1, 3, 7), (2, 9, 11), (3, 13, 15)])]),
    "draft_post_plan.md": ("markdown-post-plan", [
        ("post", None, None, [(1, 7, 7)]),
        ("post", None, None, [(1, 11, 11)]),
        ("post", None, None, [(1, 17, 17)]),
        ("post", None, None, [(1, 21, 21)])]),
    "draft_fullwidth.md": ("markdown-draft", [
        ("thread", 3, None, [(1, 3, 4), (2, 6, 7), (3, 9, 10)])]),
    "markdown_article.md": ("markdown-article", [
        ("article", None, None, [(1, 5, 5), (2, 7, 7), (3, 9, 9), (4, 11, 11), (5, 13, 13)])]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_format_is_read(name):
    assert items(name) == CASES[name]


def test_every_fixture_has_a_case():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(CASES)


def test_clipper_text_loses_its_markdown_escapes_and_quotes():
    result = parse_sources([read_path(FIXTURES / "clipper_post_by.md")])
    texts = [p.text for t in result.threads for p in t.parts]
    assert "Same at station 114 in Almaty." in texts
    assert not any(t.startswith(">") or "\\_" in t for t in texts)


def test_readwise_tweets_keep_their_links_out_of_the_text():
    result = parse_sources([read_path(FIXTURES / "readwise_thread.md")])
    (thread,) = result.threads
    assert [p.text for p in thread.parts] == [
        "Observers at polling station 112 were asked to leave.",
        "The commission chair said the room was too small for them.\nThey waited outside until the count.",
        "Two of them were later allowed back in."]
    assert thread.parts[1].url == "https://twitter.com/aigerim_kz/status/1790000000000000002"


def test_clipper_front_matter_is_metadata_not_parts():
    layout = read_layout(read_path(FIXTURES / "clipper_thread_by.md").lines)
    assert {layout.dropped[i] for i in range(0, 11)} == {"metadata"}


@pytest.mark.parametrize("line, expected", [
    ("## Tweet 2/12 - Problem", (2, 12, "post")),
    ("## #1 — Hook + video (≈195 chars)", (1, None, "post")),
    ("**Tweet 1 (hook):**", (1, None, "post")),
    ("**Tweet 1/8 [HOOK]**", (1, 8, "post")),
    ("**1/10** 🧵", (1, 10, "post")),
    ("{1/8}", (1, 8, "post")),
    ("**（２／６）**", (2, 6, "post")),
    ("## Thread 2: Income", (2, None, "thread")),
    ("**3.**", (3, None, "ordinal")),
    ("## Post 4", (4, None, "post")),
    ("### 帖子 1：产品发布", (1, None, "post")),  # a full-width colon before the label, as CJK text writes it
    ("## Вариант 2: технический кейс", (2, None, "post")),
])
def test_markup_markers(line, expected):
    m = read_markup_marker(line)
    assert (m.marker.n, m.marker.total, m.kind) == expected


@pytest.mark.parametrize("line", ["### Day 1 — Frame the lens", "# 单一投稿", "**Media**: 90-second video",
                                  "3/4 of the votes", "## 2. Something else", "Dia 10/10 da campanha"])
def test_not_markup_markers(line):
    m = read_markup_marker(line)
    assert m is None or not m.markup


def test_a_draft_title_is_not_part_one():
    text = "# Launch thread\n\n## Tweet 1\nWe start today.\n\n## Tweet 2\nIt took a year.\n"
    (thread,) = parse_text(text).threads
    assert [(p.n, p.inferred, p.line_start) for p in thread.parts] == [(1, False, 3), (2, False, 6)]


def test_markers_and_status_urls_inside_an_articles_code_are_the_codes():
    body = ("The tool keeps an archive of your own account as one JSON file, and every command below "
            "reads or writes that file; nothing is sent anywhere except the requests to your instance, "
            "and a second run only adds what the first one did not have yet, so it is safe to repeat.")
    text = ("# Keeping an archive\n\n" + body + "\n\n## Downloading media\n\n" + body + "\n\n```text\n"
            "$ keep media\nDownloading |##########| 10/10\nExpiring |##########| 1/1\n```\n\n"
            "## Showing a post\n\n" + body + "\n\n```text\n$ keep show 42\n"
            "https://social.example/@ana/109001\nhttps://social.example/@ana/109002\nX\n```\n")
    result = parse_text(text)
    assert result.sources[0].format == "markdown-article"
    assert [t.kind for t in result.threads] == ["article"]



def test_only_the_title_of_a_markdown_article_is_dropped_not_its_first_section_heading():
    # `# Title` is the document's; the `## ...` under it opens the first section, a part like the
    # headings further down (with the title in front matter, a first `## ...` is a section's too)
    body = ("Observers from three monitoring groups visited 212 polling stations on election day, and in 41 "
            "of them they were asked to leave before the count began, most often because the room was small, "
            "and in several of them the same commission chair had served at the previous election, when "
            "observers had made the same complaint to the central commission without receiving an answer.")
    text = f"# What the observers saw\n\n## The problem\n\n{body}\n\n## What comes next\n\n{body}\n"
    (article,) = parse_text(text).threads
    assert [(p.line_start, p.text) for p in article.parts][:2] == [(3, "## The problem"), (5, body)]
    fronted = f"---\ntitle: What the observers saw\n---\n## The problem\n\n{body}\n\n## Next\n\n{body}\n"
    (article,) = parse_text(fronted).threads
    assert article.parts[0].line_start == 4
    twice = f"# Election Watch\n\n# What the observers saw\n\n{body}\n\n## Next\n\n{body}\n"
    (article,) = parse_text(twice).threads
    assert article.parts[0].line_start == 5

def test_a_numbered_list_inside_a_post_stays_inside_it():
    text = ("# Thread\n\n## Tweet 1/2\nThree things:\n1. one\n2. two\n3. three\n\n"
            "## Tweet 2/2\nThat is all.\n")
    (thread,) = parse_text(text).threads
    assert [(p.n, p.line_start, p.line_end) for p in thread.parts] == [(1, 3, 7), (2, 9, 10)]


def test_a_rule_right_under_a_marker_heading_underlines_it():
    text = ("# Thread\n\n## Tweet 1 (hook)\n---\n\nObservers were asked to leave.\n\n---\n\n"
            "## Tweet 2 (the ruling)\n---\n\nThe bureau will appeal.\n")
    (thread,) = parse_text(text).threads
    assert [(p.n, p.line_start, p.line_end, p.text) for p in thread.parts] == [
        (1, 3, 6, "Observers were asked to leave."), (2, 10, 13, "The bureau will appeal.")]


def test_code_fences_are_never_cut():
    text = ("# Draft\n\n## Tweet 1/2\nInstall it:\n```bash\n# Setup\nnpx tool init\n\n# Run\nnpx tool run\n```\n\n"
            "## Tweet 2/2\nDone.\n")
    (thread,) = parse_text(text).threads
    assert [(p.n, p.line_start, p.line_end) for p in thread.parts] == [(1, 3, 11), (2, 13, 14)]


_words = st.text(alphabet=st.characters(whitelist_categories=("L", "Nd", "P", "Zs", "So")), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(_words.filter(lambda w: normalize_text(w)), min_size=2, max_size=6, unique_by=normalize_text),
       st.sampled_from(["## Tweet {n}/{t}", "**{n}/{t}**", "{{{n}/{t}}}"]))
def test_markup_drafts_number_their_posts_and_lose_nothing(texts, style):
    """Property: a draft whose posts carry markup markers gives one thread numbered 1..N by them
    (different texts: a text given twice is one post pasted again)."""
    total = len(texts)
    closing = style.startswith("{")
    blocks = []
    for n, body in enumerate(texts, 1):
        marker = style.format(n=n, t=total)
        body = body.strip().replace("\n", " ") or "x"
        blocks.append(f"{body}\n\n{marker}" if closing else f"{marker}\n{body}")
    text = "# A thread\n\n" + "\n\n".join(blocks) + "\n"
    result = parse_text(text)
    assert_nothing_lost(result.to_json(), split_lines(text))
    threads = [t for t in result.threads if t.kind != "article"]
    assert len(threads) == 1 and threads[0].total == total
    assert [p.n for p in threads[0].parts] == list(range(1, total + 1))


# --- what was recognised: parse --json, the outline, the ingest summary, the archive, the page ---

def test_parse_json_names_each_sources_format_and_each_parts_origin():
    from click.testing import CliRunner

    from archiver.cli import cli

    out = CliRunner().invoke(cli, ["parse", "--json", str(FIXTURES / "clipper_thread_by.md"),
                                   str(FIXTURES / "x_web_copy.txt")])
    assert out.exit_code == 0, out.output
    doc = __import__("json").loads(out.output)
    assert [s["format"] for s in doc["sources"]] == ["obsidian-clipper", "plain"]
    first = doc["threads"][0]["parts"][0]
    assert (first["author"], first["posted_at"], first["url"]) == (
        "@aigerim_kz", "2025-06-01", "https://x.com/aigerim_kz/status/1790000000000000001")


def test_outline_and_ingest_summary_name_the_formats(tmp_path):
    from click.testing import CliRunner

    from archiver.cli import cli

    runner = CliRunner()
    outline = runner.invoke(cli, ["parse", str(FIXTURES / "readwise_thread.md"), str(FIXTURES / "omnivore.md")])
    assert outline.output.splitlines()[-1].endswith("; formats: omnivore 1, readwise 1")
    db = tmp_path / "a.db"
    summary = runner.invoke(cli, ["ingest", str(db), str(FIXTURES / "readwise_thread.md"),
                                  str(FIXTURES / "tweetdeck.txt")])
    assert "formats: plain 1, readwise 1" in summary.output.splitlines()
    import sqlite3

    conn = sqlite3.connect(db)
    stored = dict(conn.execute("select name, json_extract(meta, '$.format') from sources"))
    captured = conn.execute("select json_extract(meta, '$.capture.source') from sources where name like 'readwise%'")
    assert stored == {"readwise_thread.md": "readwise", "tweetdeck.txt": "plain"}
    assert captured.fetchone()[0] == "https://twitter.com/aigerim_kz/status/1790000000000000001"
    assert conn.execute("select count(*) from thread_parts where url like 'https://twitter.com/aigerim_kz/status/%'"
                        ).fetchone()[0] == 3


async def test_thread_page_links_each_original_post(tmp_path):
    from site_helpers import make_datasette, thread_id_by_title

    from archiver.ingest import ingest_sources

    db = tmp_path / "a.db"
    ingest_sources(db, [("r", read_path(FIXTURES / "readwise_thread.md"))])
    ds = make_datasette(db)
    html = (await ds.client.get("/-/threads/" + thread_id_by_title(db, "Observers at polling"))).text
    for k in (1, 2, 3):
        assert f'href="https://twitter.com/aigerim_kz/status/179000000000000000{k}"' in html
    assert html.count(">original post</a>") == 3


def test_a_readwise_page_of_tweets_from_an_account_is_separate_posts_whatever_the_case():
    text = ("# Tweets from Aigerim S.\n\n## Metadata\n- Author: [[@aigerim_kz on Twitter]]\n"
            "- Full Title: Tweets from Aigerim S.\n- Category: #tweets\n\n## Highlights\n"
            "- Observers were asked to leave. ([View Tweet](https://twitter.com/aigerim_kz/status/1))\n"
            "- Training starts on Monday. ([View Tweet](https://twitter.com/aigerim_kz/status/2))\n")
    assert [(t.kind, len(t.parts)) for t in parse_text(text).threads] == [("post", 1), ("post", 1)]


def test_ordinals_alone_on_their_lines_number_a_draft():
    text = ("# X thread\n\n1.\nCheap compatible APIs are an attack surface.\n\nI built a guard.\n\n"
            "2.\nIt sits between the agent and the provider.\n\n3.\nIt runs locally.\n")
    threads = [t for t in parse_text(text).threads if t.kind == "thread"]
    assert [(p.n, p.line_start, p.line_end) for p in threads[0].parts] == [(1, 3, 6), (2, 8, 9), (3, 11, 12)]


def test_a_bluesky_header_is_a_header_whatever_its_display_name_says():
    E, P = "\u202a", "\u202c"
    text = "".join(f"{E}{name}{P} {E}@{handle}.bsky.social{P}\n· 7h\n{body}\n3\n" for name, handle, body in [
        ("Thor from Ireland", "boldwin", "Specific birds like ravens or owls are often seen as omens."),
        ("watershipdown-72", "watershipdown-72", "Given his face, I would recommend anger management."),
        ("Millie, or Mills if we’re friends", "millie29", "He’s def judging you")])
    threads = parse_text(text).threads
    assert [(t.kind, t.author, t.parts[0].line_start) for t in threads] == [
        ("post", "@boldwin.bsky.social", 3), ("post", "@watershipdown-72.bsky.social", 7),
        ("post", "@millie29.bsky.social", 11)]


def test_a_post_and_its_link_card_between_chrome_are_one_post_however_long():
    text = ("Glen D.\n@glen.bsky.social\n· 9h\nOwliver flew to another branch.\n3\n"
            "Tom F.\n@tom.bsky.social\n· 3h\n"
            + "We had some Barred Owls making courting calls last night, noisy things, and almost every spring "
              "we see a pair of them raising their chicks in the big oak behind the house, which they have used "
              "for years now; this year the chicks fledged early and we got it all on video for you to watch.\n"
            + "Barred owl chicks\nYouTube video by Tom F.\nwww.youtube.com\n1\n9\n"
            + "Glen D.\n@glen.bsky.social\n· 2h\nOkay, I love this!\n1\n")
    thread = parse_text(text).threads[1]
    assert (thread.kind, thread.parts[0].line_start, thread.parts[0].line_end) == ("post", 9, 12)


def test_the_accounts_a_reply_answers_are_not_its_author():
    # each reply answers the same two accounts on lines of their own: they are no header, so the
    # replies are three posts by three authors, not a self-thread of the last account named
    text = "".join(f"{name}\n@{handle}\n·\nMar 4, 2022\nReplying to\n@aigerim_kz\nand\n@ruslan_k\n{body}\n3\n"
                   for name, handle, body in [("Daniyar T.", "daniyar_t", "The bureau will appeal."),
                                              ("Saule B.", "saule_b", "Who else was fined today?"),
                                              ("Marat O.", "marat_o", "Four hours of hearing, no press.")])
    assert [(t.kind, t.author) for t in parse_text(text).threads] == [
        ("post", "@daniyar_t"), ("post", "@saule_b"), ("post", "@marat_o")]


def test_a_mention_on_a_line_of_its_own_stays_in_its_sentence():
    text = ("Aigerim S.\n@aigerim_kz\n·\nMar 4, 2022\nWe ended the day at the court in Almaty with\n@daniyar_t\n"
            ", Saule and\n@ruslan_k\n#KZelections\n2:14 PM · Mar 4, 2022\n")
    threads = parse_text(text).threads
    assert [(t.author, [(p.line_start, p.line_end) for p in t.parts]) for t in threads] == [("@aigerim_kz", [(5, 9)])]


def test_a_display_name_that_reads_like_a_sentence_is_a_header_where_it_comes_back():
    # the same name over the same handle above each of the account's posts: a header, whatever
    # it says; a sentence that runs into a mention (`Lo mejor de`, `@ewatch_kz`) stays text
    text = ("Brad, what are you gonna do?\n@brad_kz\n·\nNov 25, 2017\nLo mejor de\n@ewatch_kz\n"
            "#KZelections es estar con la gente\n4\n"
            "Brad, what are you gonna do?\n@brad_kz\n·\nNov 25, 2017\nNos faltabas tú en la foto\n1\n")
    threads = parse_text(text).threads
    assert [(t.author, [(p.line_start, p.line_end) for p in t.parts]) for t in threads] == [
        ("@brad_kz", [(5, 7), (13, 13)])]


def test_an_authors_replies_to_other_accounts_are_separate_posts():
    # on a reply page the author's consecutive posts are a self-thread only where they answer
    # the author's own post; each of these answers someone else
    text = "".join(f"Aigerim N.\n@aigerim_kz\n·\nNov 25, 2017\nReplying to\n@{to}\n@ewatch_kz\nand 4 others\n{body}\n1\n"
                   for to, body in [("daniyar_t", "The bureau will appeal."), ("saule_b", "Four hours, no press.")])
    assert [(t.kind, t.author) for t in parse_text(text).threads] == [("post", "@aigerim_kz"), ("post", "@aigerim_kz")]


def test_comments_with_the_name_and_the_time_on_one_line():
    text = "".join(f"{name} 17 September 2022 {time}\n{body}\nReply\n" for name, time, body in [
        ("aigerim_kz", "14:17", "Observers were asked to leave."), ("daniyar", "15:03", "Same at station 87."),
        ("saule.b", "16:08", "The bureau will appeal.")])
    result = parse_text(text)
    assert result.sources[0].format == "dated-comments"
    assert [(t.kind, t.author, t.parts[0].line_start) for t in result.threads] == [
        ("post", "aigerim_kz", 2), ("post", "daniyar", 5), ("post", "saule.b", 8)]



def test_comment_pages_with_reply_arrows_pingbacks_and_a_badge_against_the_time():
    # `Antwort ↓` ends a comment, a pingback line is the page's, and the post author's badge run
    # into the time (`Mathias Autor11. ...`) still makes a header
    text = ("aigerim_kz 11. Dezember 2012 um 11:07\nDanke für den Bericht!\nAntwort ↓\n"
            "Pingback: Wahlbeobachtung in Almaty | Ein Blog\n"
            "Mathias Autor11. Dezember 2012 um 13:19\nDie Beobachter wurden aus dem Raum geschickt.\nAntwort ↓\n"
            "Denkmalüberdenscheißnach Dendudaschreibst 12. Dezember 2012 um 02:26\nDas Büro legt Berufung ein.\n"
            "Antwort ↓\n")
    assert spans_of(text, "dated-comments") == [("post", [(2, 2)]), ("post", [(6, 6)]), ("post", [(9, 9)])]


def test_a_time_line_under_a_says_header_is_no_text():
    text = comment_page("{name} says:\nAugust 15, 2020 at {k}:35 pm")
    assert [(t.author, [(p.line_start, p.line_end) for p in t.parts]) for t in parse_text(text).threads] == [
        ("Aigerim", [(3, 3)]), ("Daniyar", [(7, 7)]), ("Saule", [(11, 11)])]


def test_comments_under_a_byline_with_a_subject_above_it():
    # the subject over each byline is the comment's title, not the end of the comment above; a
    # long comment under its byline stays one post, however many paragraphs it has
    long = "\n".join(f"Paragraph {k} on the count at station 112, where the observers were asked to leave before "
                     f"the ballots were counted and the chair said the room was too small for everyone present, "
                     f"which the commission repeated in its ruling the next morning." for k in range(1, 8))
    text = ("Ein Argument\ngeschrieben von berg2012 am 21. Jan. 2015, 19:04 [ antworten ]\nIch sehe das anders.\n"
            "A. Felsberger\n"
            "Mehr Beobachter?\ngeschrieben von wScherf am 21. Jan. 2015, 20:02 [ antworten ]\n" + long + "\n"
            "AW: Mehr Beobachter?\ngeschrieben von GeorgQuaas am 22. Jan. 2015, 09:43 [ antworten ]\nDanke.\n")
    result = parse_text(text)
    assert result.sources[0].format == "bylined-comments"
    assert [(t.kind, t.author, [(p.line_start, p.line_end) for p in t.parts]) for t in result.threads] == [
        ("post", "berg2012", [(3, 4)]), ("post", "wScherf", [(7, 13)]), ("post", "GeorgQuaas", [(16, 16)])]


def test_a_plan_of_long_posts_under_numbered_headings_and_their_fields():
    # each `## Post N: platform` heading, its `**Title:**` field and a rule describe the post
    # after the rule; posts this long in a document that never says "thread" are separate posts
    def body(k: int) -> str:
        return (f"Observers at polling station {k} were asked to leave before the count began, and the chair "
                "said the room was too small for everyone who had come to watch the ballots being counted. The "
                "commission upheld the decision the next morning and the bureau said it would appeal within the week.")
    text = ("# Launch posts\n\n"
            f"## Post 1: Reddit\n\n**Title:** What we saw at the stations\n\n---\n\n{body(1)}\n\n{body(2)}\n\n---\n\n"
            f"## Post 2: Hacker News\n\n**Title:** Show HN: an archive of election reports\n\n---\n\n{body(3)}\n\n"
            f"{body(4)}\n\n---\n\n"
            f"## Post 3: LinkedIn\n\n---\n\n{body(5)}\n\n{body(6)}\n")
    result = parse_text(text)
    assert result.sources[0].format == "markdown-post-plan"
    assert [(t.kind, [(p.line_start, p.line_end) for p in t.parts]) for t in result.threads] == [
        ("post", [(9, 11)]), ("post", [(21, 23)]), ("post", [(31, 33)])]


def test_short_numbered_posts_are_a_thread_only_where_the_document_says_thread():
    posts = ("## Post 1 — the stations\n\nObservers were asked to leave station 112.\n\n---\n\n"
             "## Post 2 — the chair\n\nThe chair said the room was too small.\n\n---\n\n"
             "## Post 3 — the appeal\n\nThe bureau will appeal the ruling.\n")
    kinds = lambda text: [(t.kind, [p.n for p in t.parts]) for t in parse_text(text).threads]
    assert kinds("# Launch posts\n\n" + posts) == [("post", [1]), ("post", [1]), ("post", [1])]
    assert kinds(posts) == [("post", [1]), ("post", [1]), ("post", [1])]
    assert kinds("# Launch thread\n\n" + posts) == [("thread", [1, 2, 3])]
    assert kinds("# スレッド形式の告知\n\n" + posts) == [("thread", [1, 2, 3])]  # no space after the word
    # the word may sit in any heading, not only above the first post
    threaded = posts.replace("## Post 2 — the chair", "## Post 2 (thread) — the chair")
    assert kinds(threaded) == [("thread", [1, 2, 3])]


def test_variants_of_a_post_under_fields_keep_their_sub_headings_and_rules():
    # `## Вариант N` numbers versions of one post, each a post of its own; the `**Hook:**` field
    # and the rule under the heading describe the post after the rule, which runs to the next
    # variant with its `### ...` sub-headings and the rule above its hashtags
    def variant(k: int) -> str:
        return (f"## Вариант {k}: угол {k}\n**Hook:** station {k}\n\n---\n\n"
                f"Observers were asked to leave station {k}.\n\n### What we saw\n- the count began early\n\n"
                "---\n\n#elections #observers\n\n---\n\n")
    text = "# Three versions of the post\n\n---\n\n" + variant(1) + variant(2) + variant(3)
    assert kinds_and_spans(text) == [
        ("post", [(10, 17)]), ("post", [(26, 33)]), ("post", [(42, 49)])]


def test_a_fenced_hook_before_a_thread_numbered_from_two_is_its_part_one():
    text = ("# Ready to post\n\n## First tweet (hook)\n\n```\nObservers were asked to leave station 112.\n"
            "Here is what we saw.\n```\n\n**Characters:** 62\n\n---\n\n## The replies\n\n"
            "**Tweet 2/3**\nThe chair said the room was too small.\n\n**Tweet 3/3**\nThe bureau will appeal.\n")
    (thread,) = [t for t in parse_text(text).threads if t.kind != "article"]
    assert [(p.n, p.line_start, p.line_end) for p in thread.parts] == [(1, 5, 8), (2, 16, 17), (3, 19, 20)]
    assert thread.total == 3 and not thread.missing


def test_a_section_named_for_a_post_beside_a_thread_draft_is_a_post():
    text = ("# Launch kit\n\n## 1. X thread (2 tweets)\n\n**Tweet 1 — Hook**\nObservers were asked to leave.\n\n"
            "**Tweet 2 — CTA**\nRead the report.\n\n---\n\n## 2. LinkedIn Post\n\n---\n\n"
            "Observers from three groups visited 212 stations.\n\n**What we saw**\n\nIn 41 they were asked to leave.\n\n"
            "---\n\n## 3. Reddit post (r/europe)\n\n**Title:** What observers saw in Almaty\n\n---\n\n"
            "We visited 212 polling stations on election day.\n\n## Posting notes\n\nPost the thread first.\n")
    assert kinds_and_spans(text) == [
        ("thread", [(5, 6), (8, 9)]), ("post", [(17, 21)]), ("post", [(31, 31)]), ("article", [(33, 33), (35, 35)])]


def test_rules_cut_a_section_named_for_posts_into_its_posts():
    text = ("# Posting kit\n\n## Single tweets (3)\n\n1.\nObservers were asked to leave.\n\n---\n\n"
            "2.\nThe chair said the room was too small.\n\n---\n\n3.\nThe bureau will appeal.\n\n---\n\n"
            "## Thread\n\n**1/2**\nWe visited 212 stations.\n\n**2/2**\nIn 41 we were asked to leave.\n")
    assert kinds_and_spans(text) == [
        ("post", [(5, 6)]), ("post", [(10, 11)]), ("post", [(15, 16)]), ("thread", [(22, 23), (25, 26)])]


def test_quoted_replies_under_bold_labels_in_a_post_plan_are_posts():
    text = ("# Launch posts\n\n## Post 1: Reddit\n\nObservers were asked to leave station 112.\n\n"
            "## Post 2: Hacker News\n\nShow HN: an archive of election reports.\n\n## Replies to prepare\n\n**If asked about the cost:**\n\"It is free, and the data stays yours.\"\n\n"
            "**If asked about privacy:**\n\"Nothing leaves your machine.\"\n\nReply within the hour.\n")
    assert kinds_and_spans(text) == [
        ("post", [(5, 5)]), ("post", [(9, 9)]), ("post", [(14, 14)]), ("post", [(17, 17)]),
        ("article", [(19, 19)])]


def test_a_bold_label_that_comes_back_still_labels_its_quoted_reply():
    # `**For the app:**` under two questions reads as a field the plan gives each post (it comes
    # back, like `**Title:**`): it still labels a quoted reply, which is a post
    text = ("# Launch posts\n\n## 1. The app: a post for r/privacy\n\n**Title:** \"An offline archive\"\n\n"
            "**Body:**\nObservers were asked to leave station 112, so we built an archive.\n\n"
            "## 2. The site: a post for r/elections\n\n**Title:** \"Reports, searchable\"\n\n"
            "**Body:**\nEvery report of the count, in one place.\n\n## Answers\n\n### \"Does it cost?\"\n\n"
            "**For the app:**\n\"A one-time purchase.\"\n\n**For the site:**\n\"Free, no ads.\"\n\n"
            "### \"What about privacy?\"\n\n**For the app:**\n\"Nothing leaves your machine.\"\n")
    assert kinds_and_spans(text) == [
        ("post", [(8, 8)]), ("post", [(15, 15)]), ("post", [(22, 22)]), ("post", [(25, 25)]), ("post", [(30, 30)])]


def test_posts_kept_under_the_days_they_were_posted():
    text = ("### 2021-11-20\n\nObservers were asked to leave station 112.\nhttps://example.org/report\n\n"
            "### 2021-11-21\n\nThe chair said the room was too small.\n#elections\n\n"
            "The bureau will appeal the ruling.\n")
    result = parse_text(text)
    assert result.sources[0].format == "markdown-dated"
    assert [(t.kind, [(p.line_start, p.line_end, p.posted_at) for p in t.parts]) for t in result.threads] == [
        ("post", [(3, 4, "2021-11-20")]), ("post", [(8, 9, "2021-11-21")]), ("post", [(11, 11, "2021-11-21")])]
    changelog = ("# Changes\n\n## 2021-11-21\n\n- faster search\n- a new page\n\n## 2021-11-20\n\n"
                 "- the first release\n")
    assert parse_text(changelog).sources[0].format != "markdown-dated"


def test_comments_with_their_footer_after_the_text_and_the_next_name_under_it():
    # text, `reply`, the date and the time close each comment; the short line after them names
    # the next commenter, and the footer's date is the comment's above, so no post takes it
    text = "Anonymous\n" + "".join(f"{body}\nreply\nApril {k + 5}, 2018\n{k + 1}:32 PM\n{name}\n"
                                    for k, (name, body) in enumerate(COMMENTERS)) + "Four hours of hearing.\nreply\n"
    result = parse_text(text)
    assert result.sources[0].format == "footer-comments"
    assert [(t.kind, t.author, [(p.line_start, p.line_end, p.posted_at) for p in t.parts])
            for t in result.threads if t.author] == [
        ("post", "Aigerim", [(7, 7, None)]), ("post", "Daniyar", [(12, 12, None)]), ("post", "Saule", [(17, 17, None)])]


def test_the_first_comment_under_footers_is_the_text_under_a_name_they_give():
    # the first comment has no footer above it: it starts under the last line before the first
    # footer that names a commenter the footers name too (`Aigerim`), not with the comment form
    text = ("Observers at the polling stations were asked to leave before the count began.\n"
            "Your name *\nComment *\nAigerim\nThe bureau will appeal the ruling.\nreply\nApril 5, 2018\n6:32 PM\n"
            + "".join(f"{name}\n{body}\nreply\nApril {k + 6}, 2018\n{k + 1}:32 PM\n"
                      for k, (name, body) in enumerate(COMMENTERS)) + "Four hours of hearing.\nreply\n")
    result = parse_text(text)
    assert result.sources[0].format == "footer-comments"
    assert [(t.author, t.parts[0].line_start, t.parts[-1].line_end) for t in result.threads if t.author][:2] == [
        ("Aigerim", 5, 5), ("Aigerim", 10, 10)]


def test_comments_with_a_slashed_date_and_time_after_the_name():
    text = comment_page("{name} 2{k}.07.2020 // 12:5{k}", after="Antworten")
    assert authors_and_starts(text, "dated-comments") == [("Aigerim", 2), ("Daniyar", 5), ("Saule", 8)]


def test_comments_under_a_name_over_a_day_month_comma_year_time_line():
    text = comment_page("{name}\n1{k}. March, 2023 at 16:5{k}")
    assert authors_and_starts(text, "dated-comments") == [("Aigerim", 3), ("Daniyar", 7), ("Saule", 11)]


def test_sections_of_labelled_variants_are_posts_and_an_articles_sections_are_not():
    variants = ("# Launch post templates\n\n## English\n\n### Template A (short)\nObservers were asked to leave.\n"
                "Repo: https://example.org/archive\n\n### Template B (long)\nWe built an archive of election reports.\n"
                "It keeps every source byte for byte.\n\n---\n\n## Deutsch\n"
                "Die Beobachter mussten gehen.\nRepo: https://example.org/archive\n")
    result = parse_text(variants)
    assert result.sources[0].format == "markdown-sections"
    assert [[(p.line_start, p.line_end) for p in t.parts] for t in result.threads] == [[(6, 7)], [(10, 11)], [(16, 17)]]
    article = ("# Notes\n\n## V2EX\nA post about the archive.\nIt keeps every source.\n\n---\n\n"
               "## Blog\nTitle: the archive\n\n### Design\nLocal first, one SQLite file.\nEvery record is audited.\n\n"
               "### Usage\nRun the ingest command.\nThen serve it.\n")
    result = parse_text(article)
    assert result.sources[0].format == "markdown-sections"
    assert [(t.kind, [(p.line_start, p.line_end) for p in t.parts]) for t in result.threads] == [
        ("post", [(4, 5)]), ("post", [(10, 18)])]


def test_replies_prepared_under_headings_of_a_thread_draft_are_posts():
    # `## Comment reply: ...` names a post to be written: the text under it is one, as under `## Post`
    text = ("# Launch thread\n\n**1/2**\nWe archived every report of the count.\n\n**2/2**\nSearch them all.\n\n"
            "### Posting notes\n\n- Post at nine in the morning.\n- Pin the first post.\n\n---\n\n"
            "## Comment reply: \"isn't this just scraping?\"\n\nNo: every report was sent to us by its observers.\n"
            "They kept the originals, and each one links back to its source.\n\n---\n\n"
            "## Comment reply: \"why not a spreadsheet?\"\n\nA spreadsheet loses the threads.\n")
    assert kinds_and_spans(text) == [
        ("thread", [(3, 4), (6, 7)]), ("article", [(11, 11), (12, 12)]), ("post", [(18, 19)]), ("post", [(25, 25)])]


def test_titled_sections_between_rules_are_posts_only_where_the_document_names_posts():
    def section(title: str) -> str:
        return (f"## {title}\n\nThe archive keeps every source byte for byte and says where each line came "
                f"from, so a reader of {title} can check it against the page it was copied from.\n\n"
                "- one SQLite file\n- one command to serve it\n\n---\n\n")
    readme = "# Ballot box\n\n" + "".join(section(t) for t in ("Installation", "Usage", "Search", "Privacy",
                                                                  "Licence"))
    result = parse_text(readme)
    assert [t.kind for t in result.threads] == ["article"]
    # a sub-subheading about posts (`### Each post is a file`) is what the tool does with posts: still a README
    about = readme.replace("## Usage\n\n", "## Usage\n\n### Each post is a file\n\n")
    assert [t.kind for t in parse_text(about).threads] == ["article"]
    plan = "# Ballot box\n\n" + section("Reddit") + section("Hacker News") + section("Mastodon")
    result = parse_text(plan)
    assert result.sources[0].format == "markdown-sections"
    assert [t.kind for t in result.threads] == ["post", "post", "post"]



def test_sections_under_headings_that_name_their_platform_are_posts_and_plain_markers_make_a_thread():
    # no marker in markup: the headings name a platform or a kind of post; `1/` `2/` open a thread's
    # parts; labels alone on their lines are fields, the body's lines the post
    text = ("# Archive launch copy\n\nRepository: https://example.org/archive\n\n## X post\n\n"
            "Launching the archive.\n\nEvery thread kept, every line cited.\n\n## X thread\n\n"
            "1/ We built an archive of election threads.\n\nIt keeps every source byte for byte.\n\n"
            "2/ The problem: threads vanish.\n\n3/ The fix:\n\n- one SQLite file\n- one command\n\n"
            "## Hacker News / Reddit\n\nTitle:\n\nShow HN: an archive of election threads\n\nPost:\n\n"
            "I built an archive after losing a dozen threads.\n\nInstall:\n\n    pipx install archive\n\n"
            "Tags:\n\nelections, archives\n\n## Xiaohongshu\n\nTitle:\n\n选举档案\n\nBody:\n\n我们做了一个档案。\n\n"
            "Tags:\n\n#选举\n\n## Release status\n\n- copy ready\n")
    result = parse_text(text)
    assert result.sources[0].format == "markdown-titled"
    assert [(t.kind, [(p.n, p.line_start, p.line_end) for p in t.parts]) for t in result.threads if t.kind != "article"] == [
        ("post", [(1, 7, 9)]),
        ("thread", [(1, 13, 15), (2, 17, 17), (3, 19, 22)]),
        ("post", [(1, 32, 36)]),
        ("post", [(1, 50, 50)])]


def test_a_document_titled_as_one_post_holds_its_versions_and_a_readme_naming_posts_in_passing_none():
    long = "我做了一个开源项目，叫档案。它把每一条线程都按原样保存下来，并且记下每一行的出处。"
    text = f"# 中文首发帖\n\n## 长版\n\n{long}\n\n{long}\n\n## 短版\n\n做了个开源项目：档案。\n"
    result = parse_text(text)
    assert result.sources[0].format == "markdown-titled"
    assert [[(p.line_start, p.line_end) for p in t.parts] for t in result.threads] == [[(5, 7)], [(11, 11)]]
    body = ("The tool keeps an archive of your own account as one JSON file, and every command below "
            "reads or writes that file; nothing is sent anywhere except the requests to your instance.")
    readme = "".join(f"# {h}\n\n{body}\n\n" for h in ("Mastodon Archive", "Installation", "Making an archive",
                                                           "Show context for a toot", "Expiring your toots",
                                                           "Searching", "Troubleshooting"))
    assert parse_text(readme).sources[0].format != "markdown-titled"

def test_fenced_versions_in_a_section_are_posts_and_a_fenced_numbered_run_is_a_thread():
    text = ("# Launch posts\n\n---\n\n## Mastodon\n\n### Short\n\n```\nObservers were asked to leave station 112.\n```\n\n"
            "### Long\n\n```\nObservers were asked to leave station 112 before the count began.\n"
            "The chair said the room was too small.\n```\n\n---\n\n## X thread\n\n```\n"
            "1/ Observers were asked to leave station 112.\n\n2/ The chair said the room was too small.\n\n"
            "3/ The bureau will appeal.\n```\n")
    result = parse_text(text)
    assert result.sources[0].format == "markdown-sections"
    assert [(t.kind, [(p.n, p.line_start, p.line_end) for p in t.parts]) for t in result.threads] == [
        ("post", [(1, 9, 11)]), ("post", [(1, 15, 18)]), ("thread", [(1, 24, 25), (2, 27, 27), (3, 29, 30)])]
    assert [p.text for p in result.threads[2].parts] == [
        "1/ Observers were asked to leave station 112.", "2/ The chair said the room was too small.",
        "3/ The bureau will appeal."]


def test_labelled_variants_with_notes_after_them_and_fields_above_them():
    # `## Variant A` and `## Variant B` are posts (kept in code fences, which stay in them); the
    # `## Notes` after them and the quoted fields above them are about the posts
    text = ("# Short posts\n\n> **Channel**: Weibo\n> **When**: weekdays at noon\n\n---\n\n"
            "## Variant A — launch\n\n```\nWe built an archive of election reports.\nRepo: https://example.org\n```\n\n"
            "## Variant B — the problem\n\n```\nObservers were asked to leave.\nRead more: https://example.org\n```\n\n"
            "## Notes\n\n- One link a post.\n- Wait a day between posts.\n")
    result = parse_text(text)
    assert result.sources[0].format == "markdown-sections"
    posts = [(t.kind, [(p.line_start, p.line_end) for p in t.parts]) for t in result.threads if t.kind == "post"]
    assert posts == [("post", [(10, 13)]), ("post", [(17, 20)])]
    assert {d.line_start: d.reason for d in result.dropped}.get(3) == "metadata"


def test_a_fenced_single_post_beside_a_thread_draft_is_a_post():
    # pattern A is one post kept in a fence, pattern B the thread: the post is no note of the thread
    text = ("# Launch posts\n\n## Pattern A (one post)\n\n```\nWe built an archive of election reports.\n"
            "It keeps every source byte for byte.\n```\n\n## Pattern B (thread)\n\n### 1/2 — Hook\n\n```\n"
            "Observers were asked to leave the count.\n```\n\n### 2/2 — Why\n\n```\nThe chair said the room was small.\n```\n\n"
            "## Notes\n\n```python\nprint('a code sample is no post')\n```\n")
    result = parse_text(text)
    assert result.sources[0].format == "markdown-draft"
    assert [(t.kind, [(p.n, p.line_start, p.line_end) for p in t.parts]) for t in result.threads
            if t.kind != "article"] == [("post", [(1, 5, 8)]), ("thread", [(1, 12, 16), (2, 18, 22)])]


def test_wordpress_comment_headers_in_the_languages_of_its_themes():
    for verb in ("zegt", "pisze", "disse", "skriver", "говорит"):
        text = comment_page("{name} " + verb + ":")
        assert authors_and_starts(text, "blog-comments") == [("Aigerim", 2), ("Daniyar", 5), ("Saule", 8)], verb




def test_a_plan_whose_posts_are_the_values_of_body_fields():
    # each post sits under its platform's heading as the value of a body field; the title field
    # and the heading describe it, the bold labels inside the post's own text stay in it
    text = ("# 发帖模板\n\n## V2EX 帖子\n\n**标题**：开源了一个选举观察存档\n\n**内容**：\n> 大家好！\n> 我们做了一个存档。\n\n"
            "## Reddit\n\n**Title:** An archive of election reports\n\n**Body:**\nWe built an archive.\n\n"
            "**What it does:**\nIt keeps every source byte for byte.\n\n**Notes:**\n- post on Tuesday\n\n"
            "## Hacker News\n\n**Title:** Show HN: an archive\n\n**Body:**\nAn archive of pasted threads.\n\n"
            "**Notes:**\n- post at 9 am\n")
    result = parse_text(text)
    assert result.sources[0].format == "markdown-post-plan"
    posts = [(t.kind, [(p.line_start, p.line_end) for p in t.parts]) for t in result.threads if t.kind == "post"]
    assert posts == [("post", [(8, 9)]), ("post", [(16, 19)]), ("post", [(29, 29)])]


def test_forum_posts_numbered_under_their_authors_blocks():
    # `#N` under the author's block (name, rank, date) starts each post, its reactions end it;
    # a post without reactions still ends where the next author's block begins
    text = ("Aigerim N.\nModerator\nSep 18, 2020\n#1\nObservers were asked to leave station 112.\n"
            "The chair said the room was too small.\nReactions: Daniyar\nx1\n"
            "Daniyar\nReader\nPlatform\nPC\nSep 20, 2020\n#2\nSame at station 87, we waited outside.\n"
            "Saule\nHero\nSep 21, 2020\n#3\nThe bureau will appeal the ruling.\nReactions: Aigerim N.\nx1\n")
    assert spans_of(text, "forum-posts", by="author") == [
        ("Aigerim N.", [(5, 6)]), ("Daniyar", [(15, 15)]), ("Saule", [(20, 20)])]



def test_numbered_comments_with_an_answer_footer():
    # `#N name 於 date time` starts each comment (PIXNET); the blog author's footer, `name 於 date 回覆`,
    # ends the answer under it, which stays with the comment it answers
    text = ("留言列表 (3)\n發表留言\n#1 小鳳 於 2013/12/28 10:28\n露營兼賞楓，好棒的生活\n謝謝小鳳的來訪！\n"
            "史蒂文 於 2014/01/01 20:31 回覆\n#2 茜媽咪 於 2013/12/28 10:42\n嚮往大自然\n再濕冷的天依舊衝\n"
            "#3 linghua 於 2013/12/28 21:29\n哇！好厚的紅毯\n哈～我的相機可以翻轉螢幕\n史蒂文 於 2014/01/01 20:59 回覆\n")
    assert spans_of(text, "numbered-comments", by="author") == [
        ("小鳳", [(4, 5)]), ("茜媽咪", [(8, 9)]), ("linghua", [(11, 12)])]

def test_page_formats_are_data_with_vocabularies_and_fragments():
    from archiver.formats.pages import PAGE_FORMATS, load_page_formats

    formats = load_page_formats(
        "[fragments]\nHOUR = '\\d{1,2}'\nTIME = '{{HOUR}}:\\d{2}'\n\n"
        "[[formats]]\nname = \"board\"\nhints = [\" wrote\"]\n"
        "header = '^(?P<name>\\w+) wrote at (?P<when>{{TIME}})$'\n"
        "chrome = ['Reply', '\\d+ votes?']\nself_threads = false\n")
    (board,) = formats
    assert board.header.match("anna wrote at 12:05").group("when") == "12:05"
    # a vocabulary matches whole lines only, case-insensitively
    assert board.chrome.match("reply") and board.chrome.match("3 votes")
    assert not board.chrome.match("Reply to this, please")
    assert board.hints == (" wrote",) and board.signals == () and not board.self_threads
    assert [f.name for f in PAGE_FORMATS][:2] == ["twitter-web-2016", "nitter"]


def test_a_vocabulary_entry_that_is_no_pattern_of_its_own_is_refused():
    import regex

    from archiver.formats.pages import load_page_formats

    with pytest.raises(regex.error):
        load_page_formats("[[formats]]\nname = \"x\"\nheader = '^x$'\nchrome = ['Comment) (?:by', 'von']\n")
