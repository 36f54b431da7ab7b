"""The rows the writer stores, held against a digest made before storage was reorganised.

An archive is built from the seeds and the real corpora in ../shared/corpora (PaperTweet threads
rendered as pasted dumps, the Twitter/X archive, the two Mastodon outboxes, the Markdown threads)
plus the saved pages and capture-format fixtures, through every write path the CLI has: one
source at a time, the bulk ingest, a streamed large file, a paste, a platform import (into a
fresh archive and into one that keeps a public projection), private sources, and a source marked
private afterwards (the projection replayed from the records). Every table is dumped in a
canonical form (the time of writing and autoincrement ids left out, source ids given as the
source's sha256) and each table's digest compared with tests/fixtures/storage_rows.json.

The fixture was first made with the code of commit 560df26, before the writer, the platform import
and the input side were reorganised, by running `build_archive` and `table_digests` there: a
reorganisation of the code that writes rows must leave every one of them as it was. When the
reconstruction changes on purpose (new capture formats read the fixtures differently), the fixture
is made again with the code just before the change to storage being checked, never after it
(last: with the ninth session's `reward_head` of 2.5, where a text above a thread's first marker
`2` is that thread's part 1 more often; no file of the storage side changed since caa181f, where
the previous fixture passed, and it passed at every commit before this one). Tables
added on purpose get their digests added, every other table's left as it was: the public
projection's own near-duplicate index (SCHEMA_VERSION 4) added `pub_fragment_bands`,
`pub_near_duplicates` and the two rows of its state in `neardup_index`.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "storage_rows.json"
TIME_COLUMNS = {"ingested_at", "first_seen_at", "created_at", "updated_at", "found_at", "merged_at"}
SOURCE_COLUMNS = ("source_id", "first_source_id")
AUTOINCREMENT_IDS = {"sources", "sightings", "pub_sightings", "dropped"}  # tables whose `id` counts inserts
FTS_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")  # FTS5's own tables: their layout follows commits


def papertweet_threads(limit: int) -> list[list[str]]:
    """The first `limit` PaperTweet threads of two or more posts, replies to others left out."""
    csv.field_size_limit(10**9)
    threads: list[list[str]] = []
    for path in sorted((CORPORA / "papertweet").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                try:
                    tweets = ast.literal_eval(row["Tweets"])
                except (ValueError, SyntaxError):
                    continue
                posts = [t.strip() for t in tweets if t.strip() and not t.startswith("@")]
                if len(posts) >= 2:
                    threads.append(posts)
                if len(threads) == limit:
                    return threads
    return threads


def render(threads: list[list[str]], handle: str) -> str:
    """Threads pasted one after the other: each post followed by its n/N marker, a blank line between."""
    lines = []
    for posts in threads:
        lines += [f"{handle} · thread", ""]
        for n, post in enumerate(posts, 1):
            lines += [post, f"{n}/{len(posts)}", ""]
    return "\n".join(lines)


def build_archive(work: Path) -> Path:
    """Build the archive from the seeds, the corpora and the fixtures through every write path; its path."""
    from archiver.cli import cli

    db = work / "archive.db"

    def run(*args: object, input: str | None = None) -> None:
        result = CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
        assert result.exit_code == 0, result.output

    threads = papertweet_threads(160)
    dumps = work / "papertweet"
    dumps.mkdir()
    for i in range(10):  # ten dumps: the bulk path (worker processes, grouped commits)
        (dumps / f"dump_{i:02d}.txt").write_text(render(threads[i * 4:i * 4 + 4], f"@paper{i % 3}"), encoding="utf-8")
    private_dump = work / "private_dump.txt"  # two threads also archived publicly, and one of its own
    private_dump.write_text(render([threads[0], threads[5], threads[40]], "@paper0"), encoding="utf-8")
    large = work / "large_dump.txt"  # past the (lowered) streaming threshold: stored chunk by chunk
    large.write_text(render(threads[2:100], "@paperlarge"), encoding="utf-8")
    # not UTF-8 throughout (a stray byte): the raw bytes are kept beside the content, streamed and not
    damaged = render(threads[100:160], "@paperdamaged").encode("utf-8")
    (work / "damaged_large.txt").write_bytes(damaged[:5000] + b"\xff" + damaged[5000:])
    (work / "damaged_small.txt").write_bytes(damaged[:3000] + b"\xff" + damaged[3000:6000])
    fixtures = ROOT / "tests" / "fixtures"
    captures = work / "captures"
    shutil.copytree(fixtures / "formats", captures)
    for page in sorted((fixtures / "html").glob("*.html")):
        shutil.copy(page, captures / page.name)

    run("ingest", db, *sorted((ROOT / "seeds").glob("*.txt")))  # a few sources: one transaction each
    run("ingest", db, dumps)
    run("ingest", db, captures)
    run("ingest", db, CORPORA / "championswimmer-threads")
    run("import", db, CORPORA / "alrocar-twitter-archive" / "tweets.js")  # public: no projection yet
    run("ingest", db, "-", "--name", "a paste", input=render(threads[:2], "@pasted"))
    run("ingest", db, private_dump, "--private")  # the first private source starts the projection
    run("import", db, CORPORA / "mastodon-hikurry" / "outbox.json", "--private")
    run("import", db, CORPORA / "mastodon-dealingwith" / "outbox.json")  # public, into both table sets
    run("ingest", db, large)  # streamed, into both table sets
    run("ingest", db, work / "damaged_large.txt", work / "damaged_small.txt")
    run("ingest", db, "-", "--name", "a paste", input=render(threads[1:3], "@pasted"))  # the name taken: "(2)"
    run("private", db, "tweets.js")  # marked afterwards: the projection replayed from the records
    run("private", db, "private_dump.txt", "--public")
    return db


def table_digests(db: Path) -> dict[str, dict[str, object]]:
    """table -> its row count and the sha256 of its canonical rows, for every table of the archive."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        sha = {r["id"]: r["sha256"] for r in conn.execute("select id, sha256 from sources")}
        tables = conn.execute("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'"
                              " order by name").fetchall()
        virtual = {name for name, sql in tables if sql.upper().startswith("CREATE VIRTUAL TABLE")}
        out: dict[str, dict[str, object]] = {}
        for name, sql in tables:
            if any(name == v + suffix for v in virtual for suffix in FTS_SHADOWS):
                continue
            select = f'select rowid as "(rowid)", * from "{name}"'
            if name in AUTOINCREMENT_IDS or "WITHOUT ROWID" in sql.upper():
                select = f'select * from "{name}"'
            rows = []
            for r in conn.execute(select):
                d = dict(r)
                for col in TIME_COLUMNS:
                    d.pop(col, None)
                if name in AUTOINCREMENT_IDS:
                    d.pop("id", None)
                for col in SOURCE_COLUMNS:
                    if col in d:
                        d[col] = sha.get(d[col], f"missing source {d[col]}")
                d = {k: hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for k, v in d.items()}
                rows.append(repr(sorted(d.items())))
            rows.sort()
            out[name] = {"rows": len(rows), "sha256": hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()}
        return out
    finally:
        conn.close()


def small_stream(monkeypatch) -> None:
    """Lower the streaming path's sizes so that a dump of a few hundred KB takes it, in several chunks."""
    from archiver import stream

    monkeypatch.setattr(stream, "STREAM_BYTES", 64 * 1024)
    monkeypatch.setattr(stream, "BLOCK_BYTES", 7777)
    monkeypatch.setattr(stream, "STREAM_CHUNK_CHARS", 30_000)
    monkeypatch.setattr(stream, "CUT_REACH", 300)


def test_the_archive_built_from_seeds_and_corpora_has_the_rows_it_had(tmp_path, monkeypatch):
    if not CORPORA.is_dir():
        pytest.skip(f"{CORPORA} is absent: the archive is built from the corpora kept there")
    small_stream(monkeypatch)
    got = table_digests(build_archive(tmp_path))
    want = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert set(got) == set(want)
    changed = {name: (want[name], got[name]) for name in want if got[name] != want[name]}
    assert not changed, f"tables whose rows changed: {changed}"
