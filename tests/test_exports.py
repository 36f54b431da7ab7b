"""Platform exports: Twitter/X archives and Mastodon outboxes -> threads from the reply structure."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner

from archive_helpers import SHARED, needs_shared, tweet, write_tweets
from archiver.cli import cli
from archiver.db import open_db
from archiver.errors import InputError
from archiver.imports import import_export, parse_mastodon_outbox, parse_twitter_export, read_export
from archiver.imports.twitter import TWITTER_TIME, json_tweet_posts, tweet_posts, twitter_time
from archiver.fts import fts_current, pending_fts
from archiver.ingest import ingest_source
from archiver.normalize import short_hash
from archiver.parse import parse_sources

CORPORA = SHARED / "corpora"
ALROCAR = CORPORA / "alrocar-twitter-archive" / "tweets.js"
DEALINGWITH = CORPORA / "mastodon-dealingwith" / "outbox.json"
HIKURRY = CORPORA / "mastodon-hikurry" / "outbox.json"

needs_corpora = needs_shared("corpora", "alrocar-twitter-archive", "tweets.js")


SMALL = [
    tweet(100, "Root of a branching thread &amp; more", "Mon Nov 20 08:00:00 +0000 2022"),
    tweet(103, "Second reply to the root (later)", "Mon Nov 20 08:03:00 +0000 2022", 100, "ann"),
    tweet(101, "First reply to the root, see https://t.co/abc", "Mon Nov 20 08:01:00 +0000 2022", 100, "ann",
           urls=[("https://t.co/abc", "https://example.org/report")]),
    tweet(102, "Reply to the first reply", "Mon Nov 20 08:02:00 +0000 2022", 101, "ann"),
    tweet(200, "@bob I agree =&gt; yes", "Mon Nov 20 09:00:00 +0000 2022", 555, "bob", user_id="99"),
    tweet(300, "RT @carol: something to share", "Mon Nov 20 10:00:00 +0000 2022"),
]


# --- Twitter/X ---------------------------------------------------------------------------------
@needs_corpora
def test_alrocar_55_threads_of_three_or_more():
    sources = parse_twitter_export(ALROCAR)
    assert len(sources) == 1
    source = sources[0]
    assert source.kind == "export" and source.raw == ALROCAR.read_bytes() and source.lossless
    threads = source.structured
    assert sum(1 for t in threads if t.kind == "thread" and len(t.parts) >= 3) == 55
    assert sum(len(t.parts) for t in threads) == 1223  # every tweet is a part of exactly one item
    for t in threads:
        assert t.kind == ("thread" if len(t.parts) > 1 else "post")
        assert [p.n for p in t.parts] == list(range(1, len(t.parts) + 1))
        assert t.total is None and t.missing == []
        assert all(not p.inferred and p.line_start is None for p in t.parts)
        assert t.id == short_hash("export", t.parts[0].external_id)
        seen = {t.parts[0].external_id}
        for p in t.parts[1:]:
            assert p.parent_id in seen  # depth-first: a part's parent always comes before it
            seen.add(p.external_id)
    # Parsing twice gives the same ids.
    assert [t.id for t in parse_twitter_export(ALROCAR)[0].structured] == [t.id for t in threads]


@needs_corpora
def test_alrocar_forty_part_list_stays_two_threads_linked_by_the_self_quote():
    threads = parse_twitter_export(ALROCAR)[0].structured
    first = next(t for t in threads if t.parts[0].external_id == "1579814683803910144")
    second = next(t for t in threads if t.parts[0].external_id == "1579835487627661313")
    assert len(first.parts) == 22 and len(second.parts) == 21
    # intro, 1/40 .. 20/40 (with one combined 6-7/40), the "can't add more" note, the link to chain two
    assert first.parts[1].text.startswith("1/40 - ") and first.parts[19].text.startswith("20/40 - ")
    assert first.parts[20].text.startswith("I can't add more tweets to the thread")
    assert "https://twitter.com/alrocar/status/1579835487627661313" in first.parts[21].text
    assert second.parts[1].text.startswith("21/40 - ") and second.parts[-1].text.startswith("40/40 - ")
    # The self-quote's t.co link is expanded: it points at the first chain's root.
    assert second.parts[0].text == "And the rest 20 👇 https://twitter.com/alrocar/status/1579814683803910144"
    assert any(p.text.startswith("6-7/40") for p in first.parts)


@needs_corpora
def test_alrocar_entities_decoded_and_tco_expanded():
    threads = parse_twitter_export(ALROCAR)[0].structured
    parts = [p for t in threads for p in t.parts]
    assert not any("&gt;" in p.text or "&amp;" in p.text or "&lt;" in p.text for p in parts)
    assert not any("https://t.co/" in p.text for p in parts)
    p21 = next(p for p in parts if p.text.startswith("21/40"))
    assert "=> http" in p21.text
    assert all(p.author for p in parts)
    root = next(p for p in parts if p.external_id == "1579814683803910144")
    assert root.author == "@alrocar" and root.url == "https://twitter.com/alrocar/status/1579814683803910144"
    assert root.posted_at == "2022-10-11T12:42:26+00:00"


def test_branching_tree_is_one_thread_with_parents(tmp_path):
    source = parse_twitter_export(write_tweets(tmp_path / "tweets.js", SMALL))[0]
    threads = {t.parts[0].external_id: t for t in source.structured}
    tree = threads["100"]
    assert tree.kind == "thread" and tree.title == "Root of a branching thread & more"
    # Depth-first, siblings by time: 100, 101, 102 (child of 101), then 103.
    assert [(p.n, p.external_id, p.parent_id) for p in tree.parts] == [
        (1, "100", None), (2, "101", "100"), (3, "102", "101"), (4, "103", "100")]
    assert tree.parts[1].text == "First reply to the root, see https://example.org/report"
    assert tree.author == "@ann" and tree.url == "https://twitter.com/ann/status/100"
    reply = threads["200"]
    assert reply.kind == "post" and reply.parts[0].parent_id == "555"  # a reply to someone else
    assert reply.parts[0].text == "@bob I agree => yes"
    assert threads["300"].kind == "post" and threads["300"].parts[0].author == "@carol"
    assert source.meta["format"] == "twitter-archive"


def test_tweet_js_and_zip_with_account(tmp_path):
    items = [tweet(1, "a", "Mon Nov 20 08:00:00 +0000 2022"),
             tweet(2, "b", "Mon Nov 20 08:01:00 +0000 2022", 1, "oldname")]  # the account was renamed
    one = parse_twitter_export(write_tweets(tmp_path / "tweet.js", items, name="tweet"))[0]
    assert [len(t.parts) for t in one.structured] == [2]
    archive = tmp_path / "twitter-2024.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(items))
        z.writestr("data/account.js", 'window.YTD.account.part0 = [{"account": {"username": "newname",'
                                      ' "accountId": "42"}}]')
        z.writestr("data/tweets_media/x.jpg", b"\xff\xd8\xff binary")
    sources = parse_twitter_export(archive)
    assert [s.name for s in sources] == ["twitter-2024.zip/data/tweets.js"]
    (thread,) = sources[0].structured
    assert thread.author == "@newname" and len(thread.parts) == 2  # joined by user id, not the old name
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(archive) as z:
        z.extractall(folder)
    assert [len(t.parts) for t in read_export(folder)[0].structured] == [2]


def test_not_an_export(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("just some text\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_export(p)
    with pytest.raises(InputError):
        read_export(tmp_path / "missing.js")


# --- Mastodon ----------------------------------------------------------------------------------
@needs_corpora
@pytest.mark.parametrize("path, trees", [(DEALINGWITH, 48), (HIKURRY, 17)])
def test_mastodon_trees_of_three_or_more(path, trees):
    (source,) = parse_mastodon_outbox(path)
    assert source.kind == "export" and source.raw == path.read_bytes()
    threads = source.structured
    assert sum(1 for t in threads if len(t.parts) >= 3) == trees
    for t in threads:
        assert t.id == short_hash("export", t.parts[0].external_id)
        assert all(p.author and p.author.startswith("@") and p.url for p in t.parts)
        ids = {p.external_id for p in t.parts}
        assert all(p.parent_id in ids for p in t.parts[1:])
    assert not any("<p>" in p.text or "<br" in p.text for t in threads for p in t.parts)


@needs_corpora
def test_mastodon_branching_and_line_breaks():
    threads = parse_mastodon_outbox(HIKURRY)[0].structured
    branching = [t for t in threads if len(t.parts) >= 3 and
                 max(Counter(p.parent_id for p in t.parts[1:]).values()) > 1]
    assert branching  # the author answered one post twice: still one thread
    parts = [p for t in parse_mastodon_outbox(DEALINGWITH)[0].structured for p in t.parts]
    music = next(p for p in parts if p.text.startswith("It's now been a decade since I released any music"))
    # <p> -> blank line, <br> -> line break, invisible spans keep the full link.
    assert "\n\nOriginal: https://danielmiller.bandcamp.com/track/this-town\nCover: " in music.text


def test_mastodon_outbox_zip_and_direct_messages(tmp_path):
    actor = "https://social.example/users/ann"
    public = ["https://www.w3.org/ns/activitystreams#Public"]

    def note(n, content, reply=None, to=public):
        return {"type": "Create", "actor": actor, "object": {
            "id": f"{actor}/statuses/{n}", "type": "Note", "published": f"2023-01-01T00:00:0{n}Z",
            "url": f"https://social.example/@ann/{n}", "attributedTo": actor, "to": to, "cc": [],
            "inReplyTo": f"{actor}/statuses/{reply}" if reply else None, "content": content}}

    outbox = {"type": "OrderedCollection", "orderedItems": [
        note(1, "<p>One</p>"), note(2, "<p>Two<br>lines</p>", 1), note(3, "<p>Secret</p>", 2, to=[]),
        {"type": "Announce", "actor": actor, "object": "https://elsewhere.example/notes/9"}]}
    archive = tmp_path / "archive-2023.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("outbox.json", json.dumps(outbox))
        z.writestr("actor.json", json.dumps({"id": actor, "preferredUsername": "ann"}))
    (source,) = parse_mastodon_outbox(archive)
    (thread,) = source.structured
    assert [p.text for p in thread.parts] == ["One", "Two\nlines"]  # the direct message is left out
    assert thread.author == "@ann@social.example"


# --- the bulk import path ----------------------------------------------------------------------
def _rows(db_path):
    conn = sqlite3.connect(db_path)
    out = {
        "threads": conn.execute("select id, kind, title, author, url, total, missing, complete, parts, conflicts"
                                " from threads order by id").fetchall(),
        "parts": conn.execute("select thread_id, n, fragment_id, inferred, marker, conflict, author, posted_at,"
                              " external_id, parent_id, url from thread_parts order by thread_id, n").fetchall(),
        "fragments": conn.execute("select id, hash, kind, text, chars from fragments order by id").fetchall(),
        "sightings": conn.execute("select fragment_id, line_start, line_end, thread_id, n from sightings"
                                  " order by thread_id, n").fetchall(),
        "sources": conn.execute("select sha256, kind, name, encoding, bytes, lines, content, raw is null"
                                " from sources").fetchall(),
    }
    conn.close()
    return out


def test_bulk_import_writes_what_save_source_writes(tmp_path):
    path = write_tweets(tmp_path / "tweets.js", SMALL)
    bulk = open_db(tmp_path / "bulk.db")
    summary = import_export(bulk, path)
    bulk.conn.close()
    assert summary.sources_new == 1 and summary.threads == 3 and summary.parts == 6
    plain = open_db(tmp_path / "plain.db")
    (source,) = parse_twitter_export(path)
    ingest_source(plain, source)
    plain.conn.close()
    assert _rows(tmp_path / "bulk.db") == _rows(tmp_path / "plain.db")


@needs_corpora
def test_cli_import_idempotent_fts_and_verify(tmp_path):
    db = tmp_path / "archive.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(db), str(ALROCAR), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["sources"]["new"] == 1 and doc["parts"] == 1223
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from threads where kind = 'thread' and parts >= 3").fetchone()[0] == 55
    content, raw, nbytes = conn.execute("select content, raw, bytes from sources").fetchone()
    assert content.encode("utf-8") == ALROCAR.read_bytes() and raw is None and nbytes == ALROCAR.stat().st_size
    # Full-text search answers for the new rows: the import indexed every row it added.
    assert conn.execute("select count(*) from fragments_fts where fragments_fts match 'dogfooding'").fetchone()[0] >= 1
    assert pending_fts(conn) == {"fragments": 0, "threads": 0} and fts_current(conn)
    conn.close()
    again = runner.invoke(cli, ["import", str(db), str(ALROCAR)])
    assert again.exit_code == 0 and "0 new, 1 already archived" in again.output
    verified = runner.invoke(cli, ["verify", str(db)])
    assert verified.exit_code == 0, verified.output


def test_import_of_a_broken_export_writes_nothing(tmp_path):
    bad = tmp_path / "tweets.js"
    bad.write_text('window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "x"}', encoding="utf-8")
    db = tmp_path / "archive.db"
    result = CliRunner().invoke(cli, ["import", str(db), str(bad)])
    assert result.exit_code == 1 and result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert sqlite3.connect(db).execute("select count(*) from sources").fetchone()[0] == 0


def test_newer_export_adds_to_the_archived_thread(tmp_path):
    db = open_db(tmp_path / "a.db")
    import_export(db, write_tweets(tmp_path / "old.js", SMALL[:3]))
    (tmp_path / "new").mkdir()
    summary = import_export(db, write_tweets(tmp_path / "new" / "tweets.js", SMALL))
    assert summary.sources_new == 1
    tid = short_hash("export", "100")
    assert db.execute("select parts, complete from threads where id = ?", [tid]).fetchone() == (4, 1)
    db.conn.close()


def test_structured_sources_pass_through_parse_sources(tmp_path):
    (source,) = parse_twitter_export(write_tweets(tmp_path / "tweets.js", SMALL))
    result = parse_sources([source])
    assert len(result.threads) == 3 and result.dropped == []


@needs_corpora
def test_json_fallback_reads_the_same_posts():
    raw = ALROCAR.read_bytes()
    assert tweet_posts(raw, "tweets.js") == json_tweet_posts(raw[raw.find(b"["):], "tweets.js")


def test_a_tweet_msgspec_types_do_not_fit_is_read_as_json():
    odd = [{"tweet": {"id_str": "1", "full_text": "first", "created_at": "Mon Nov 20 08:00:00 +0000 2022",
                      "in_reply_to_user_id_str": ["not", "a", "string"]}}]
    raw = ("window.YTD.tweets.part0 = " + json.dumps(odd)).encode()
    (post,) = tweet_posts(raw, "tweets.js")
    assert (post.id, post.text, post.posted_at) == ("1", "first", "2022-11-20T08:00:00+00:00")


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)),
       st.integers(min_value=-12 * 60, max_value=14 * 60))
def test_twitter_time_reads_created_at_as_strptime_does(when, offset_minutes):
    value = when.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset_minutes))).strftime(TWITTER_TIME)
    assert twitter_time(value) == datetime.strptime(value, TWITTER_TIME).isoformat()
    loose = value.replace(" 0", "  ", 1) if value[8] == "0" else value  # a day without its leading zero
    assert twitter_time(loose) == datetime.strptime(value, TWITTER_TIME).isoformat()


def test_twitter_time_lets_other_values_through():
    assert twitter_time("2024-11-09T12:14:18Z") == "2024-11-09T12:14:18Z"
    assert twitter_time("") is None and twitter_time(None) is None


def test_multi_part_archive_builds_trees_across_files(tmp_path):
    archive = tmp_path / "twitter.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(SMALL[:1]))
        z.writestr("data/tweets-part1.js", "window.YTD.tweets.part1 = " + json.dumps(SMALL[1:4]))
    sources = parse_twitter_export(archive)
    assert [s.name for s in sources] == ["twitter.zip/data/tweets.js", "twitter.zip/data/tweets-part1.js"]
    assert [len(t.parts) for t in sources[0].structured] == [4] and sources[1].structured == []
    db = open_db(tmp_path / "a.db")
    summary = import_export(db, archive)
    assert summary.sources_new == 2 and summary.threads == 1 and summary.parts == 4
    db.conn.close()


@needs_corpora
def test_an_import_into_a_new_archive_leaves_it_in_wal_mode(tmp_path):
    """The first import writes through a rollback journal (nothing to journal in a new file) and
    puts the archive back in WAL mode, whole and verified; a second import goes through the WAL."""
    from archive_helpers import run

    export = ALROCAR
    db = tmp_path / "a.db"
    assert run("import", db, export).exit_code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert conn.execute("select count(*) from sources").fetchone()[0] == 1
    conn.close()
    assert run("verify", db).exit_code == 0
    again = run("import", db, export)
    assert again.exit_code == 0 and "1 already archived" in again.output


def test_an_import_into_a_new_archive_leaves_every_index(tmp_path):
    """The first import drops the secondary indexes of its empty tables and builds them after the
    rows: the archive ends with the same schema as a new one, and lookups use the indexes."""
    def schema(path):
        conn = sqlite3.connect(path)
        rows = sorted(conn.execute("select type, name, tbl_name, sql from sqlite_master"))
        plan = " ".join(r[-1] for r in conn.execute(
            "explain query plan select thread_id from thread_parts where fragment_rowid = 1"))
        conn.close()
        return rows, plan

    open_db(tmp_path / "new.db").conn.close()
    db = open_db(tmp_path / "imported.db")
    # Into empty tables: the secondary indexes are dropped and made again.
    items = [tweet(1000 + i, f"post number {i} of a long list", "Mon Nov 20 08:00:00 +0000 2022",
                    999 + i if i else None, "ann") for i in range(1500)]
    assert import_export(db, write_tweets(tmp_path / "tweets.js", items)).parts == 1500
    db.conn.close()
    (new, _), (imported, plan) = schema(tmp_path / "new.db"), schema(tmp_path / "imported.db")
    assert imported == new
    assert "idx_thread_parts_fragment_rowid" in plan
    conn = sqlite3.connect(tmp_path / "imported.db")
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_an_import_into_an_archive_that_holds_rows_changes_no_schema(tmp_path):
    """An archive with rows may be served while it is imported into, and a schema change makes a live
    Datasette's searches fail while they reload it: such an import keeps every trigger and index."""
    db = open_db(tmp_path / "a.db")
    first = [tweet(1000 + i, f"post number {i} of a long list", "Mon Nov 20 08:00:00 +0000 2022",
                    999 + i if i else None, "ann") for i in range(1200)]
    import_export(db, write_tweets(tmp_path / "first.js", first))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    second = [tweet(5000 + i, f"another post, number {i}", "Tue Nov 21 08:00:00 +0000 2022",
                     4999 + i if i else None, "bob") for i in range(1200)]
    assert import_export(db, write_tweets(tmp_path / "second.js", second)).parts == 1200
    db.conn.set_trace_callback(None)
    assert not [q for q in statements if q.lstrip().lower().startswith(("drop ", "create "))]
    assert db.execute("select count(*) from fragments_fts where fragments_fts match 'another'").fetchone()[0] == 1200
    db.conn.close()


def test_an_archive_left_in_rollback_journal_mode_is_put_back_in_wal_mode(tmp_path):
    """A first import killed mid-way leaves the file in rollback-journal mode (its hot journal is
    rolled back on the next open): the next open puts it back in WAL mode, so readers can read while
    an ingest writes."""
    path = tmp_path / "a.db"
    open_db(path).conn.close()
    conn = sqlite3.connect(path)
    assert conn.execute("pragma journal_mode = delete").fetchone()[0] == "delete"
    conn.close()
    db = open_db(path)
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    db.conn.close()
