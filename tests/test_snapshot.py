"""`archiver snapshot`: a publishable copy holds exactly what the public views show, no byte of
private material, working full-text indexes, and verifies; the archive itself is left alone.

The archive is test_privacy's: the seeds and test_web's small dumps (public), plus a wholly private
thread and the private missing part of a public thread.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from datasette.app import Datasette

from archiver.cli import cli
from archiver.ingest import ingest_text
from archiver.public_views import RAW_TABLES
from archiver.serve import METADATA, PLUGINS, TEMPLATES
from archiver.snapshot import save_snapshot
from archiver.verify import verify_archive
from site_helpers import MARKERS, PRIVATE_NAMES, build_archive, ingest_private


# A thread pasted in two halves that share a post: the second half merges into the first (an alias).
HALVES = (
    "1/3 Monitors counted the ballots at precinct nine twice over the night\n"
    "2/3 The second count found forty more votes than voters in the register\n",
    "2/3 The second count found forty more votes than voters in the register\n"
    "3/3 Observers filed a complaint with the territorial commission at dawn\n",
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("snapshot")
    db = build_archive(folder / "archive.db")
    for i, half in enumerate(HALVES):
        ingest_text(db, half, name=f"half-{i}.txt")
    ingest_private(db, folder)
    return db


@pytest.fixture(scope="module")
def snap(archive, tmp_path_factory) -> tuple[Path, object]:
    dest = tmp_path_factory.mktemp("snap") / "snapshot.db"
    return dest, save_snapshot(archive, dest)


def table_rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(sql).fetchall(), key=repr)
    finally:
        conn.close()


def columns(db: Path, table: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
    finally:
        conn.close()


@pytest.mark.parametrize("table", RAW_TABLES)
def test_each_table_is_its_public_view(archive, snap, table):
    dest, _ = snap
    cols = ", ".join(f"[{c}]" for c in columns(archive, table))
    public = table_rows(archive, f"select {cols} from public_{table}")
    assert public
    assert table_rows(dest, f"select {cols} from [{table}]") == public
    # and in the snapshot the view hides nothing more
    assert table_rows(dest, f"select {cols} from public_{table}") == public


def test_fragments_keep_their_rowids(archive, snap):
    dest, _ = snap
    assert table_rows(dest, "select rowid, id from fragments") == table_rows(archive, "select rowid, id from public_fragments")


def test_something_private_was_left_out_and_reported(archive, snap):
    dest, result = snap
    assert result.removed["sources"] == 2 and result.removed["fragments"] == 3 and result.removed["threads"] == 1
    assert result.rewritten["threads"] >= 1  # the public thread whose part 3/4 is private: its counts
    for table in RAW_TABLES:
        assert result.kept[table] + result.removed[table] == len(table_rows(archive, f"select 1 from [{table}]"))


def test_no_byte_of_private_material_is_in_the_file(archive, snap):
    dest, _ = snap
    conn = sqlite3.connect(archive)
    private_ids = [r[0] for r in conn.execute(
        "select id from fragments f where not exists (select 1 from sightings s join sources src on src.id = s.source_id"
        " where s.fragment_id = f.id and src.private = 0)")]
    sha = [r[0] for r in conn.execute("select sha256 from sources where private = 1")]
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    needles = [m.encode() for m in (*MARKERS, *PRIVATE_NAMES, *private_ids, *sha)]
    original = archive.read_bytes()
    assert all(n in original for n in needles[:len(MARKERS)])  # the test would see them
    data = dest.read_bytes()
    assert [n for n in needles if n in data] == []
    assert not Path(f"{dest}-wal").exists() and not Path(f"{dest}-journal").exists()


def test_snapshot_searches_verifies_and_is_one_file(snap):
    dest, result = snap
    conn = sqlite3.connect(dest)
    try:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
        assert conn.execute("pragma freelist_count").fetchone()[0] == 0  # vacuumed
        for table in ("fragments", "threads"):
            conn.execute(f"insert into {table}_fts({table}_fts) values ('integrity-check')")
        hits = conn.execute("select count(*) from fragments_fts where fragments_fts match 'kestrels'").fetchone()[0]
        assert hits > 0
        assert conn.execute("select count(*) from fragments_fts where fragments_fts match 'zqxprivate'").fetchone()[0] == 0
        assert conn.execute("select count(*) from fragment_bands").fetchone()[0] == 0
        assert verify_archive(sqlite_utils.Database(conn)) == []
    finally:
        conn.close()
    assert result.problems == [] and result.sha256 == hashlib.sha256(dest.read_bytes()).hexdigest()
    assert result.bytes == dest.stat().st_size


async def test_datasette_serves_the_snapshot_immutable(snap):
    dest, _ = snap
    ds = Datasette(immutables=[str(dest)], metadata=json.loads(METADATA.read_text().replace('"archive"', '"snapshot"')),
                   plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES))
    response = await ds.client.get("/snapshot/search.json?q=kestrels&_shape=array")
    assert response.status_code == 200, response.text
    assert response.json() and all("zqx" not in json.dumps(row) for row in response.json())


def test_a_later_ingest_rebuilds_the_near_duplicate_index(snap, tmp_path):
    dest, _ = snap
    work = tmp_path / "work.db"
    shutil.copy(dest, work)
    conn = sqlite3.connect(work)
    text = conn.execute("select text from fragments where length(text) between 80 and 300 order by rowid limit 1").fetchone()[0]
    before = conn.execute("select count(*) from near_duplicates").fetchone()[0]
    conn.close()
    ingest_text(work, text.replace(" ", "  ", 1)[:-3] + "!!!\n", name="edited.txt")
    conn = sqlite3.connect(work)
    assert conn.execute("select count(*) from fragment_bands").fetchone()[0] > 0
    assert conn.execute("select count(*) from near_duplicates").fetchone()[0] == before + 1
    conn.close()


def test_an_archive_without_private_sources_is_copied_whole(tmp_path):
    db = build_archive(tmp_path / "public.db")
    steps: list[str] = []
    result = save_snapshot(db, tmp_path / "snap.db", progress=steps.append)
    assert steps == ["copying the archive", "keeping the public material, rebuilding the full-text indexes",
                     "compacting (VACUUM)", "verifying"]
    assert set(result.removed.values()) == {0} and set(result.rewritten.values()) == {0}
    for table in RAW_TABLES:
        assert table_rows(tmp_path / "snap.db", f"select * from [{table}]") == table_rows(db, f"select * from [{table}]")


def test_cli(archive, tmp_path):
    runner = CliRunner()
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    dest = tmp_path / "s.db"
    first = runner.invoke(cli, ["snapshot", str(archive), str(dest)])
    assert first.exit_code == 0, first.output
    assert f"sha256 {hashlib.sha256(dest.read_bytes()).hexdigest()}" in first.output
    again = runner.invoke(cli, ["snapshot", str(archive), str(dest)])
    assert again.exit_code == 1 and "already exists (use --replace" in again.output
    replaced = runner.invoke(cli, ["snapshot", str(archive), str(dest), "--replace", "--json"])
    assert replaced.exit_code == 0, replaced.output
    doc = json.loads(replaced.output)
    assert doc["ok"] and doc["sha256"] == hashlib.sha256(dest.read_bytes()).hexdigest()
    assert doc["removed"]["sources"] == 2
    itself = runner.invoke(cli, ["snapshot", str(archive), str(archive), "--replace"])
    assert itself.exit_code == 1 and "not the archive itself" in itself.output
    missing = runner.invoke(cli, ["snapshot", str(tmp_path / "nothing.db"), str(tmp_path / "x.db")])
    assert missing.exit_code == 1 and "no such archive" in missing.output
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before  # the archive is only read
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.db"]  # no temporary file left behind


def test_a_writer_meanwhile_neither_blocks_nor_leaks_into_the_snapshot(archive, tmp_path):
    work = tmp_path / "busy.db"
    shutil.copy(archive, work)
    writer = sqlite3.connect(work, isolation_level=None, timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # an ingest half-way through its transaction, holding the write lock
    writer.execute("insert into sources (sha256, kind, name, ingested_at, content) values"
                   " ('0' || hex(randomblob(31)), 'paste', 'uncommitted.txt', '2026-12-06', 'zqxuncommitted')")
    try:
        result = save_snapshot(work, tmp_path / "snap.db")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.problems == [] and result.kept["sources"] == len(table_rows(archive, "select 1 from public_sources"))
    assert b"zqxuncommitted" not in (tmp_path / "snap.db").read_bytes()
