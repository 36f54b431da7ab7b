"""Issue J.6: a file that is not an archive, a full disk and a value too large for SQLite give one
line naming the file and the cause, exit status 1, and no traceback; the archive stays whole.

Commands run in-process with exceptions not caught by the runner: a traceback fails the test.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import subprocess
import zipfile

import pytest

from archive_helpers import SEED_FILES, counts, dump_all, make_dumps, run
from archiver import db as archive_db
from archiver import ingest

READING = [("verify",), ("threads",), ("duplicates",), ("duplicates", "--near"), ("show", "0123456789ab"),
           ("threads", "--json")]


def _empty(path):
    path.write_bytes(b"")


def _text(path):
    path.write_text("1/2 not a database at all\n", encoding="utf-8")


def _other_database(path):
    conn = sqlite3.connect(path)
    conn.execute("create table notes (body text)")
    conn.commit()
    conn.close()


def _killed_before_the_schema(path):
    """What an ingest killed right after creating the file leaves: WAL mode set, no table."""
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode = wal")
    conn.close()


FILES = {"empty": (_empty, "an empty file"), "text": (_text, "not a readable archive database"),
         "other database": (_other_database, "no sources table"),
         "killed before the schema": (_killed_before_the_schema, "no sources table")}


def _one_line(result, *words):
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("command", READING, ids=" ".join)
def test_reading_a_file_that_is_not_an_archive_is_one_line(tmp_path, kind, command):
    make, cause = FILES[kind]
    path = tmp_path / "archive.db"
    make(path)
    before = path.read_bytes()
    args = [command[0], path, *command[1:]]
    _one_line(run(*args), str(path), cause)
    assert path.read_bytes() == before  # a reading command writes nothing into it


@pytest.mark.parametrize("kind", FILES)
def test_snapshot_of_a_file_that_is_not_an_archive_is_one_line(tmp_path, kind):
    make, cause = FILES[kind]
    path = tmp_path / "archive.db"
    make(path)
    _one_line(run("snapshot", path, tmp_path / "snap.db"), str(path), cause)
    assert not (tmp_path / "snap.db").exists()


def test_an_empty_file_still_becomes_an_archive_when_ingested_into(tmp_path):
    path = tmp_path / "archive.db"
    path.write_bytes(b"")
    assert run("ingest", path, SEED_FILES[0]).exit_code == 0
    assert run("verify", path).exit_code == 0


# --- a full disk ------------------------------------------------------------------------------------

def _disk_of(monkeypatch, spare_pages: int) -> None:
    """The archive's disk fills `spare_pages` pages past what it holds (SQLite's max_page_count on
    the ingest's connection: the same SQLITE_FULL error a full disk gives)."""
    real = ingest.open_db

    def small_disk(path, *args, **kwargs):
        database = real(path, *args, **kwargs)
        pages = database.execute("pragma page_count").fetchone()[0]
        database.execute(f"pragma max_page_count = {pages + spare_pages}")
        return database

    monkeypatch.setattr(ingest, "open_db", small_disk)


def _big_dump(path):
    path.write_text("\n\n".join(f"{i % 9 + 1}/9 Report {i}: the observers counted {i * 7} ballots at station"
                                f" {i * 13} in district {i % 31}, and noted {i % 5} complaints." for i in range(4000)),
                    encoding="utf-8")
    return path


def test_a_full_disk_during_ingest_is_one_line_and_the_archive_is_intact(tmp_path, monkeypatch):
    db = tmp_path / "a.db"
    assert run("ingest", db, SEED_FILES[0]).exit_code == 0
    before = dump_all(db)
    _disk_of(monkeypatch, 20)
    result = run("ingest", db, _big_dump(tmp_path / "big.txt"))
    _one_line(result, str(db), "disk is full")
    monkeypatch.undo()
    assert dump_all(db) == before
    assert run("verify", db).exit_code == 0
    assert run("ingest", db, tmp_path / "big.txt").exit_code == 0  # with room again, it goes in


def test_a_full_disk_during_a_bulk_ingest_keeps_whole_sources_only(tmp_path, monkeypatch):
    folder = tmp_path / "dumps"
    make_dumps(folder, 10, seed=11)
    _big_dump(folder / "dump_005_big.txt")
    db = tmp_path / "a.db"
    assert run("ingest", db, SEED_FILES[0]).exit_code == 0
    _disk_of(monkeypatch, 60)
    result = run("ingest", db, folder)
    _one_line(result, str(db), "disk is full")
    monkeypatch.undo()
    assert run("verify", db).exit_code == 0  # every source stored is whole
    stored = counts(db)["sources"]
    result = run("ingest", db, folder, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["sources"]["new"] + doc["sources"]["already_present"] == 11
    assert counts(db)["sources"] == stored + doc["sources"]["new"] == 12


def test_a_full_disk_for_real(tmp_path):
    """The same on a 1 MB tmpfs, where the machine allows mounting one (root on Linux)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        db = mount / "a.db"
        assert run("ingest", db, SEED_FILES[0]).exit_code == 0
        before = dump_all(db)
        _one_line(run("ingest", db, _big_dump(tmp_path / "big.txt")), str(db), "disk is full")
        assert dump_all(db) == before
        assert run("verify", db).exit_code == 0
    finally:
        gc.collect()  # connections the commands left for the collector hold files open on it
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], check=True)  # detached now, freed when closed


# --- a value too large for SQLite -----------------------------------------------------------------------

def test_import_of_a_tweets_js_too_large_for_sqlite_is_one_line(tmp_path, monkeypatch):
    """A 1.5 GB tweets.js passes SQLite's length limit (1,000,000,000 bytes); here the connection's
    limit is lowered below the size of a small one."""
    tweets = [{"tweet": {"id_str": str(i), "full_text": f"Post number {i} of the export " * 4,
                         "created_at": "Mon Nov 20 08:00:00 +0000 2022"}} for i in range(200)]
    export = tmp_path / "twitter.zip"
    with zipfile.ZipFile(export, "w") as z:
        z.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(tweets))
    size = zipfile.ZipFile(export).getinfo("data/tweets.js").file_size
    real = archive_db.open_db

    def limited(path, *args, **kwargs):
        database = real(path, *args, **kwargs)
        database.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, size // 2)
        return database

    db = tmp_path / "a.db"
    assert run("ingest", db, SEED_FILES[0]).exit_code == 0
    before = dump_all(db)
    monkeypatch.setattr(archive_db, "open_db", limited)
    _one_line(run("import", db, export), "tweets.js", f"{size:,} bytes", "SQLite")
    monkeypatch.undo()
    assert dump_all(db) == before
    assert run("import", db, export).exit_code == 0


def test_any_sqlite_error_a_command_meets_is_one_line(tmp_path, monkeypatch):
    """The last guard: an SQLite error no code path names (here `string or blob too big` from the
    ingest of a large file) is still one line naming the archive."""
    from archiver import stream

    monkeypatch.setattr(stream, "STREAM_BYTES", 2000)
    real = ingest.open_db

    def limited(path, *args, **kwargs):
        database = real(path, *args, **kwargs)
        database.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 50_000)
        return database

    monkeypatch.setattr(ingest, "open_db", limited)
    db = tmp_path / "a.db"
    _one_line(run("ingest", db, _big_dump(tmp_path / "big.txt")), str(db), "larger than SQLite can store")
