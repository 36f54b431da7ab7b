"""An archive made before parts and sightings referred to fragments and threads by rowid
(SCHEMA_VERSION 1) is brought up to date when it is opened, with nothing lost."""

from __future__ import annotations

import sqlite3

import pytest

from archive_helpers import SEEDS, copy_archive, run
from archiver.db import open_db
from archiver.errors import ArchiveError
from archiver.verify import verify_archive

# The two tables and their indexes as version 1 made them (from an archive written by it).
V1_SCHEMA = """
CREATE TABLE "thread_parts" (
   "thread_id" TEXT REFERENCES "threads"("id"),
   "n" INTEGER,
   "fragment_id" TEXT REFERENCES "fragments"("id"),
   "inferred" INTEGER DEFAULT 0,
   "marker" TEXT,
   "conflict" INTEGER DEFAULT 0,
   "author" TEXT,
   "posted_at" TEXT,
   "external_id" TEXT,
   "parent_id" TEXT,
   "url" TEXT,
   PRIMARY KEY ("thread_id", "n", "fragment_id")
);
CREATE TABLE "sightings" (
   "id" INTEGER PRIMARY KEY,
   "fragment_id" TEXT NOT NULL REFERENCES "fragments"("id"),
   "source_id" INTEGER NOT NULL REFERENCES "sources"("id"),
   "line_start" INTEGER,
   "line_end" INTEGER,
   "thread_id" TEXT REFERENCES "threads"("id"),
   "n" INTEGER
);
CREATE UNIQUE INDEX "idx_sightings_fragment_id_source_id_line_start_line_end"
    ON "sightings" ("fragment_id", "source_id", "line_start", "line_end");
CREATE INDEX "idx_sightings_source_id" ON "sightings" ("source_id");
CREATE INDEX "idx_sightings_thread_id_n" ON "sightings" ("thread_id", "n");
CREATE INDEX "idx_thread_parts_fragment_id" ON "thread_parts" ("fragment_id");
CREATE INDEX "idx_sightings_source_id_thread_id" ON "sightings" ("source_id", "thread_id");
"""
PART_COLUMNS = ("thread_id, n, fragment_id, inferred, marker, conflict, author, posted_at, external_id, parent_id,"
                " url")
SIGHTING_COLUMNS = "id, fragment_id, source_id, line_start, line_end, thread_id, n"


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    db = tmp_path_factory.mktemp("migrate") / "archive.db"
    assert run("ingest", db, SEEDS).exit_code == 0
    return db


def _downgrade(path, *statements) -> None:
    """Rewrite an archive's parts and sightings as version 1 stored them (views dropped, as then)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("begin")
    for (view,) in conn.execute("select name from sqlite_master where type = 'view'").fetchall():
        conn.execute(f'drop view "{view}"')
    conn.execute(f"create temp table old_parts as select {PART_COLUMNS} from thread_parts order by rowid")
    conn.execute(f"create temp table old_sightings as select {SIGHTING_COLUMNS} from sightings")
    conn.execute("drop table thread_parts")
    conn.execute("drop table sightings")
    for sql in V1_SCHEMA.split(";"):
        if sql.strip():
            conn.execute(sql)
    conn.execute(f"insert into main.thread_parts ({PART_COLUMNS}) select * from old_parts")
    conn.execute(f"insert into main.sightings ({SIGHTING_COLUMNS}) select * from old_sightings")
    for sql, params in statements:
        conn.execute(sql, params)
    conn.execute("commit")
    conn.close()


def _rows(path):
    conn = sqlite3.connect(path)
    out = (conn.execute("select * from thread_parts order by thread_id, n, fragment_id").fetchall(),
           conn.execute("select * from sightings order by id").fetchall(),
           sorted(conn.execute("select type, name, tbl_name, sql from sqlite_master")))
    conn.close()
    return out


def test_a_version_1_archive_is_upgraded_on_open(current, tmp_path):
    old = tmp_path / "old.db"
    copy_archive(current, old)
    _downgrade(old)
    assert "thread_rowid" not in [r[1] for r in sqlite3.connect(old).execute("pragma table_info(thread_parts)")]
    db = open_db(old)
    assert verify_archive(db) == []
    db.conn.close()
    parts, sightings, schema = _rows(old)
    want_parts, want_sightings, want_schema = _rows(current)
    assert parts == want_parts and len(parts) > 50
    assert sightings == want_sightings
    assert schema == want_schema  # the same tables, indexes, views and triggers as a new archive
    assert run("show", old, want_parts[0][0]).exit_code == 0


def test_a_sighting_of_a_merged_away_thread_joins_the_survivor(current, tmp_path):
    old = tmp_path / "old.db"
    copy_archive(current, old)
    conn = sqlite3.connect(current)
    sid, tid = conn.execute("select id, thread_id from sightings where thread_id is not null order by id").fetchone()
    conn.close()
    _downgrade(old, ("insert into thread_aliases (alias, thread_id, merged_at) values ('gone-thread', ?, 'then')",
                     [tid]),
               ("update sightings set thread_id = 'gone-thread' where id = ?", [sid]))
    db = open_db(old)
    assert db.execute("select thread_id, thread_rowid = (select rowid from threads where id = ?) from sightings"
                      " where id = ?", [tid, sid]).fetchone() == (tid, 1)
    assert verify_archive(db) == []


def test_a_part_naming_a_missing_fragment_stops_the_upgrade(current, tmp_path):
    old = tmp_path / "old.db"
    copy_archive(current, old)
    _downgrade(old, ("update thread_parts set fragment_id = 'ffffffffffffffff'"
                     " where rowid = (select min(rowid) from thread_parts)", []))
    before = old.read_bytes()
    with pytest.raises(ArchiveError, match=r"old.db: not upgraded, nothing changed: 1 of its \d+ thread parts"):
        open_db(old)
    conn = sqlite3.connect(old)
    assert "thread_rowid" not in [r[1] for r in conn.execute("pragma table_info(thread_parts)")]
    assert conn.execute("select count(*) from sqlite_master where name like '%_v1'").fetchone()[0] == 0
    conn.close()
    assert old.read_bytes() == before  # rolled back: the file as it was


def test_reading_commands_upgrade_an_old_archive_and_snapshot_leaves_it_as_it_was(current, tmp_path):
    old = tmp_path / "old.db"
    copy_archive(current, old)
    _downgrade(old)
    keep = tmp_path / "keep.db"
    copy_archive(old, keep)
    # snapshot only reads the archive: it stays version 1, the snapshot is version 2 and verifies
    assert run("snapshot", keep, tmp_path / "snap.db").exit_code == 0
    assert "thread_rowid" not in [r[1] for r in sqlite3.connect(keep).execute("pragma table_info(thread_parts)")]
    assert verify_archive(open_db(tmp_path / "snap.db", create=False)) == []
    # the reading commands bring it up to date (they could not read it otherwise)
    result = run("duplicates", old, "--json")
    assert result.exit_code == 0, result.output
    assert "thread_rowid" in [r[1] for r in sqlite3.connect(old).execute("pragma table_info(thread_parts)")]
    assert run("verify", old).exit_code == 0
    assert run("duplicates", old, "--json").output == run("duplicates", current, "--json").output
