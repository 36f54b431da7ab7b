"""The public projection (archiver/projection.py) through every writer path, its rebuilds, and the
upgrade of an archive made before it.

Each writer path (the bulk ingest of many files, a large file streamed a chunk at a time, a
platform export's bulk import) stores a public source into the projection as well while the
archive holds a private one: its public views then equal the tables of the archive built from the
public sources alone, the same way (tests/test_privacy_property.py compares them). Marking sources
private or public afterwards replays every public source from its record, whichever path stored it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from archive_helpers import big_dump, comparable_rows, digests_hold, thread_dumps, tweet, write_tweets
from archiver import ingest, public_views, stream
from archiver.db import open_db
from archiver.imports import import_export
from archiver.ingest import ingest_sources
from archiver.projection import mark
from archiver.sources import read_path
from archiver.verify import verify_archive
from site_helpers import served_datasette

SECRET = ("zqxwitness", "zqxhandle", "zqxnames")


def _public_side_is_the_public_archive(mixed: Path, alone: Path, secret: tuple[str, ...] = SECRET) -> None:
    a, b = sqlite3.connect(mixed), sqlite3.connect(alone)
    try:
        assert comparable_rows(a, "public_") == comparable_rows(b, "")
        assert digests_hold(a)
        everything = json.dumps([a.execute(f"select * from {v}").fetchall() for v in public_views.VIEWS], default=repr)
        assert [s for s in secret if s in everything] == []
    finally:
        a.close()
        b.close()
    assert verify_archive(open_db(mixed, create=False)) == []


def _same_order(paths: list[Path], private: set[Path]) -> list[tuple[str, object]]:
    out = []
    for p in paths:
        source = read_path(p)
        source.private = p in private
        out.append((str(p), source))
    return out


def test_the_bulk_path_keeps_the_projection(tmp_path, monkeypatch):
    """Public and private dumps interleaved in one bulk run (workers, grouped commits)."""
    monkeypatch.setattr(ingest, "BULK_SOURCES", 8)
    public = thread_dumps(tmp_path / "pub", 8, 1, False)
    secret = thread_dumps(tmp_path / "priv", 4, 1, True)
    order = [p for pair in zip(public, secret + [None] * 4) for p in pair if p is not None]
    mixed, alone = tmp_path / "mixed.db", tmp_path / "alone.db"
    ingest_sources(mixed, _same_order(order, set(secret)), workers=2)
    ingest_sources(alone, _same_order(public, set()), workers=2)
    _public_side_is_the_public_archive(mixed, alone)
    # marked after the fact: the projection replays every public source's record
    mark(open_db(mixed, create=False), [secret[0].name], private=False)
    ingest_sources(alone2 := tmp_path / "alone2.db",
                   _same_order([p for p in order if p in public or p == secret[0]], set()), workers=2)
    _public_side_is_the_public_archive(mixed, alone2, secret=())


def test_a_streamed_file_keeps_the_projection(tmp_path, monkeypatch):
    """A public file too large to hold in memory, ingested a chunk at a time into an archive holding
    a private source (and re-pasting part of itself: copies across chunks)."""
    big = tmp_path / "big.txt"
    big.write_text(big_dump(seed=5), encoding="utf-8")
    (secret,) = thread_dumps(tmp_path / "priv", 1, 2, True)
    small = thread_dumps(tmp_path / "pub", 2, 2, False)
    monkeypatch.setattr(stream, "STREAM_BYTES", 20_000)
    monkeypatch.setattr(stream, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(stream, "STREAM_CHUNK_CHARS", 4000)
    monkeypatch.setattr(stream, "CUT_REACH", 200)
    assert stream.is_large(big)
    mixed, alone = tmp_path / "mixed.db", tmp_path / "alone.db"
    for path, private in ((small[0], False), (secret, True), (big, False), (small[1], False)):
        ingest_sources(mixed, [(str(path), path)], private=private)
        if not private:
            ingest_sources(alone, [(str(path), path)])
    _public_side_is_the_public_archive(mixed, alone)
    conn = sqlite3.connect(mixed)
    assert conn.execute("select count(*) from source_records where source_id = 3").fetchone()[0] > 1  # chunk by chunk
    conn.close()
    mark(open_db(mixed, create=False), [secret.name], private=False)
    mark(open_db(mixed, create=False), [secret.name], private=True)
    _public_side_is_the_public_archive(mixed, alone)


def _tweets(path: Path, items: list[tuple]) -> Path:
    return write_tweets(path, [tweet(*item) for item in items])


def test_an_export_import_keeps_the_projection(tmp_path):
    """A public Twitter export and a private one holding some of the same posts."""
    public = _tweets(tmp_path / "public.js", [
        (100, "Root of a public thread about the court hearing", "Mon Nov 20 08:00:00 +0000 2022"),
        (101, "Second public post of the thread", "Mon Nov 20 08:01:00 +0000 2022", 100, "ann"),
        (300, "A lone public post", "Mon Nov 20 10:00:00 +0000 2022"),
    ])
    secret = _tweets(tmp_path / "secret.js", [
        (100, "Root of a public thread about the court hearing", "Mon Nov 20 08:00:00 +0000 2022"),
        (101, "Second public post of the thread", "Mon Nov 20 08:01:00 +0000 2022", 100, "ann"),
        (102, "A zqxwitness reply naming zqxnames", "Mon Nov 20 08:02:00 +0000 2022", 101, "ann"),
    ])
    (text,) = thread_dumps(tmp_path / "pub", 1, 3, False)
    mixed, alone = tmp_path / "mixed.db", tmp_path / "alone.db"
    for db, steps in ((mixed, [(secret, True), (public, False), (text, False)]), (alone, [(public, False), (text, False)])):
        for path, private in steps:
            if path.suffix == ".js":
                database = open_db(db)
                import_export(database, path, private=private)
                database.conn.close()
            else:
                ingest_sources(db, [(str(path), path)], private=private)
    _public_side_is_the_public_archive(mixed, alone)
    mark(open_db(mixed, create=False), ["secret.js"], private=False)
    mark(open_db(mixed, create=False), ["secret.js"], private=True)
    _public_side_is_the_public_archive(mixed, alone)


def test_a_fetched_source_keeps_the_projection(tmp_path):
    """`archiver fetch` stores what it fetched through `ingest_source`: a public page fetched into
    an archive holding a private source goes into the projection too."""
    from archiver.ingest import ingest_source
    from archiver.sources import read_bytes

    (secret,) = thread_dumps(tmp_path / "priv", 1, 4, True)
    (page,) = thread_dumps(tmp_path / "pub", 1, 4, False)
    fetched = read_bytes(page.read_bytes(), "https://news.example/story", "url", url="https://news.example/story")
    mixed, alone = tmp_path / "mixed.db", tmp_path / "alone.db"
    ingest_sources(mixed, [(str(secret), secret)], private=True)
    for db in (mixed, alone):
        database = open_db(db)
        ingest_source(database, fetched)
        database.conn.close()
    _public_side_is_the_public_archive(mixed, alone)


# --- an archive made before the projection ----------------------------------------------------------

def _downgrade(db: Path) -> None:
    """Make an archive look as SCHEMA_VERSION 2 made it: no digests, records, projection or public
    indexes (the index of everything under its old name), and the views of then (any: they are made
    again)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("begin")
    for (name,) in conn.execute("select name from sqlite_master where type in ('view', 'trigger')").fetchall():
        kind = conn.execute("select type from sqlite_master where name = ?", [name]).fetchone()[0]
        conn.execute(f"drop {kind} {name}")
    if conn.execute("select 1 from sqlite_master where name = 'fragments_all_fts'").fetchone():
        for table in ("fragments", "threads"):
            conn.execute(f"drop table {table}_fts")
            conn.execute(f"alter table {table}_all_fts rename to {table}_fts")
    for table in ("pub_threads", "pub_thread_parts", "pub_sightings", "pub_thread_aliases", "pub_fragments",
                  "pub_fragment_bands", "pub_near_duplicates", "source_records", "archive_state"):
        conn.execute(f"drop table {table}")
    conn.execute("delete from fts_indexed where name like 'pub_%'")
    conn.execute("delete from neardup_index where name like 'pub_%'")
    conn.execute("alter table threads drop column digest")
    conn.execute("create view public_sources as select * from sources")  # an outdated definition
    conn.execute("commit")
    conn.close()


def test_an_archive_made_before_the_projection_is_upgraded_without_a_leak(tmp_path):
    """The issue's archive as version 2 left it: a public paste and a private one with the same posts
    and a secret handle. Upgraded on its next open: the public side is built from the archive's rows
    without a private source's help (the thread the private paste touched is shown as its public
    posts alone), digests are kept, `verify` is clean."""
    public = tmp_path / "public.txt"
    public.write_text(
        "1/3 Activists gathered outside the Astana court building on Monday morning to support the defendants.\n"
        "2/3 Police detained four of them within an hour and took them to the district station.\n")
    secret = tmp_path / "private.txt"
    secret.write_text(
        "https://x.com/zqxsecrethandle/status/1790000000000000001\n"
        "1/3 Activists gathered outside the Astana court building on Monday morning to support the defendants.\n"
        "https://x.com/zqxsecrethandle/status/1790000000000000002\n"
        "2/3 Police detained four of them within an hour and took them to the district station.\n"
        "https://x.com/zqxsecrethandle/status/1790000000000000003\n"
        "3/3 zqxsecretpart the names of the detained are known to us.\n")
    other = thread_dumps(tmp_path / "pub", 2, 6, False)
    db = tmp_path / "archive.db"
    ingest_sources(db, [(str(other[0]), other[0])])
    ingest_sources(db, [(str(public), public)])
    ingest_sources(db, [(str(secret), secret)], private=True)
    ingest_sources(db, [(str(other[1]), other[1])])
    _downgrade(db)
    upgraded = open_db(db, create=False)  # any open upgrades it
    conn = upgraded.conn
    assert public_views.public_state(conn) == "projected"
    everything = json.dumps([conn.execute(f"select * from {v}").fetchall() for v in public_views.VIEWS], default=repr)
    assert "zqxsecret" not in everything and "private.txt" not in everything
    texts = sorted(r[0] for r in conn.execute(
        "select f.text from public_thread_parts p join public_fragments f on f.rowid = p.fragment_rowid"
        " join public_threads t on t.id = p.thread_id where t.kind = 'post' and t.author is null"))
    assert texts == ["Activists gathered outside the Astana court building on Monday morning to support the defendants.",
                     "Police detained four of them within an hour and took them to the district station."]
    # the threads no private source touched are shown whole, as stored
    alone = tmp_path / "alone.db"
    ingest_sources(alone, [(str(p), p) for p in other])
    b = sqlite3.connect(alone)
    others = comparable_rows(b, "")["threads"]
    b.close()
    mine = comparable_rows(conn, "public_")["threads"]
    assert set(others) <= set(mine)
    assert verify_archive(upgraded) == []
    assert conn.execute("select count(*) from threads where digest is null").fetchone()[0] == 0


def test_an_archive_made_before_the_projection_without_private_sources_stays_direct(tmp_path):
    db = tmp_path / "archive.db"
    paths = thread_dumps(tmp_path / "pub", 3, 7, False)
    ingest_sources(db, [(str(p), p) for p in paths])
    before = comparable_rows(sqlite3.connect(db), "")
    _downgrade(db)
    upgraded = open_db(db, create=False)
    assert public_views.public_state(upgraded.conn) == "public"
    assert comparable_rows(upgraded.conn, "public_") == before
    assert verify_archive(upgraded) == []


# --- an archive marked private by hand -----------------------------------------------------------------

async def test_a_source_marked_private_by_hand_shows_nothing_until_repaired(tmp_path):
    """`update sources set private = 1` behind the archiver's back: the public views would still
    show it, so the plugin shows anonymous visitors nothing, `verify` says why, and the next
    `archiver` command that opens the archive rebuilds the public side."""
    db = tmp_path / "archive.db"
    (secret,) = thread_dumps(tmp_path / "priv", 1, 8, True)
    public = thread_dumps(tmp_path / "pub", 1, 8, False)
    ingest_sources(db, [(str(p), p) for p in public + [secret]])
    conn = sqlite3.connect(db)
    tid = conn.execute("select id from threads order by rowid limit 1").fetchone()[0]
    conn.execute("update sources set private = 1 where name = ?", [secret.name])
    conn.commit()
    conn.close()
    ds = served_datasette(db)
    for url in ("/archive/public_fragments.json", "/archive/search.json?q=zqxwitness", f"/-/threads/{tid}",
                "/archive/public_threads.json"):
        r = await ds.client.get(url)
        assert r.status_code in (403, 404) and "zqxwitness" not in r.text, url
    problems = verify_archive(open_db(db, create=False, upgrade=False))
    assert [p.check for p in problems] == ["privacy"]
    assert not verify_archive(open_db(db))  # an open for writing repairs it
    r = await ds.client.get("/archive/public_fragments.json?_shape=array&_size=max")
    assert r.status_code == 200 and r.json() and "zqxwitness" not in r.text


@pytest.mark.parametrize("private_first", [True, False])
def test_the_projection_starts_and_stops_with_the_private_sources(tmp_path, private_first):
    """The first private source starts the projection in its own transaction; marking the last one
    public stops it: the views read the tables again, the index of everything is renamed back."""
    db = tmp_path / "archive.db"
    (secret,) = thread_dumps(tmp_path / "priv", 1, 9, True)
    public = thread_dumps(tmp_path / "pub", 2, 9, False)
    order = [secret] + public if private_first else public + [secret]
    for path in order:
        ingest_sources(db, [(str(path), path)], private=path == secret)
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("select name from sqlite_master where name like '%fts'")}
    assert names == {"fragments_fts", "threads_fts", "fragments_all_fts", "threads_all_fts"}
    conn.close()
    marked = mark(open_db(db, create=False), [secret.name], private=False)
    assert [(m.name, m.private, m.changed) for m in marked] == [(secret.name, False, True)]
    conn = sqlite3.connect(db)
    assert public_views.public_state(conn) == "public"
    assert {r[0] for r in conn.execute("select name from sqlite_master where name like '%fts'")} == {
        "fragments_fts", "threads_fts"}
    assert conn.execute("select count(*) from pub_threads").fetchone()[0] == 0
    assert "from threads t" in conn.execute("select sql from sqlite_master where name = 'public_threads'").fetchone()[0]
    conn.close()
    assert verify_archive(open_db(db, create=False)) == []



# --- `archiver private`, and `ingest --private` on a source archived publicly -------------------------

def _public_names(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("select name from public_sources order by id")]
    finally:
        conn.close()


def test_archiver_private_marks_sources_and_says_what_it_did(tmp_path):
    from archive_helpers import run

    a, b = thread_dumps(tmp_path / "pub", 2, 10, False)
    db = tmp_path / "archive.db"
    assert run("ingest", db, a, b).exit_code == 0
    conn = sqlite3.connect(db)
    sha = dict(conn.execute("select name, sha256 from sources"))
    conn.close()
    line = {name: f"source {i} ({name}, sha256 {sha[name][:12]})" for i, name in enumerate((a.name, b.name), 1)}

    done = run("private", db, a.name)
    assert (done.exit_code, done.stdout, done.stderr) == (0, f"made private: {line[a.name]}\n", "")
    assert _public_names(db) == [b.name]
    again = run("private", db, "1", sha[a.name][:8], sha[a.name])  # by id, sha256 prefix, sha256: idempotent
    assert again.exit_code == 0 and again.stdout == f"already private: {line[a.name]}\n" * 3
    both = run("private", db, "--public", b.name, a.name)
    assert both.stdout == f"already public: {line[b.name]}\nmade public: {line[a.name]}\n"
    assert _public_names(db) == [a.name, b.name]
    doc = json.loads(run("private", db, b.name, "--json").stdout)
    assert doc == {"sources": [{"id": 2, "name": b.name, "sha256": sha[b.name], "private": True, "changed": True}]}
    assert _public_names(db) == [a.name]

    # nothing changes when one SOURCE names no source, or several
    missing = run("private", db, a.name, "nothing.txt")
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr == ("Error: no source matches 'nothing.txt' (give a source id, a sha256 or its first"
                              " digits, or a name)\n")
    same = tmp_path / "other" / a.name
    same.parent.mkdir()
    same.write_text(a.read_text() + "\nOne more line about the hearing, added later by the monitor.\n")
    assert run("ingest", db, same).exit_code == 0
    ambiguous = run("private", db, a.name)
    assert ambiguous.exit_code == 1
    assert ambiguous.stderr == f"Error: '{a.name}' names 2 sources (ids 1, 3): give a source id or a sha256\n"
    assert _public_names(db) == [a.name, a.name]
    assert run("verify", db).exit_code == 0


def test_ingest_private_of_a_source_archived_publicly_makes_it_private_and_says_so(tmp_path):
    from archive_helpers import run

    a, b = thread_dumps(tmp_path / "pub", 2, 11, False)
    db = tmp_path / "archive.db"
    assert run("ingest", db, a, b).exit_code == 0
    again = run("ingest", db, a, "--private")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0] == "sources: 0 new, 1 already archived"
    assert again.stdout.splitlines()[-1] == f"made private (archived publicly before): {a.name}"
    assert _public_names(db) == [b.name]
    doc = json.loads(run("ingest", db, a, "--private", "--json").stdout)  # already private: nothing to say
    assert doc["sources"]["made_private"] == [] and doc["sources"]["already_present"] == 1
    plain = run("ingest", db, a)  # without --private, a private source stays private
    assert "made private" not in plain.stdout and _public_names(db) == [b.name]
    doc = json.loads(run("ingest", db, b, "--private", "--json").stdout)
    assert doc["sources"]["made_private"] == [b.name] and _public_names(db) == []
    assert "A source archived publicly before is made private" in " ".join(run("ingest", "--help").stdout.split())
    assert run("verify", db).exit_code == 0


def test_import_private_of_an_export_archived_publicly_makes_it_private_and_says_so(tmp_path):
    from archive_helpers import run

    path = _tweets(tmp_path / "tweets.js", [
        (100, "Root of a thread about the court hearing", "Mon Nov 20 08:00:00 +0000 2022"),
        (101, "Second post of the thread", "Mon Nov 20 08:01:00 +0000 2022", 100, "ann"),
    ])
    db = tmp_path / "archive.db"
    assert run("import", db, path).exit_code == 0
    again = run("import", db, path, "--private")
    assert again.exit_code == 0 and again.stdout.splitlines()[-1] == "made private (archived publicly before): tweets.js"
    assert _public_names(db) == []
    assert run("verify", db).exit_code == 0
