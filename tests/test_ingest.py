"""`archiver ingest`: idempotence, raw bytes kept exactly, pastes, and refusals that write nothing."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest

from archive_helpers import SEED_FILES, SEEDS, counts, dump_all, original_bytes, run, run_subprocess, sha256
from archiver.fts import fts_current, pending_fts


@pytest.fixture
def seeded(tmp_path):
    """An archive of the five seed dumps, built by `archiver ingest archive.db seeds/`."""
    db = tmp_path / "archive.db"
    result = run("ingest", db, SEEDS)
    assert result.exit_code == 0, result.output
    return db


def test_seeds_ingest_then_reingest_adds_nothing(tmp_path):
    db = tmp_path / "archive.db"
    first = run("ingest", db, SEEDS)
    assert first.exit_code == 0, first.output
    assert "sources: 5 new, 0 already archived" in first.stdout
    before = counts(db)
    assert before["sources"] == 5 and before["fragments"] > 0 and before["threads"] > 0

    second = run("ingest", db, SEEDS)
    assert second.exit_code == 0, second.output
    assert "sources: 0 new, 5 already archived" in second.stdout
    assert "threads: 0 new" in second.stdout
    assert "fragments: 0 new" in second.stdout
    for f in SEED_FILES:
        assert f.name in second.stdout
    assert counts(db) == before


def test_reingest_json_says_all_already_archived(seeded):
    result = run("ingest", seeded, SEEDS, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["sources"]["new"] == 0
    assert doc["sources"]["already_present"] == 5
    assert sorted(doc["sources"]["present_names"]) == [f.name for f in SEED_FILES]
    assert doc["threads"] == 0
    assert doc["fragments"]["new"] == 0


def test_every_seed_is_kept_byte_for_byte(seeded):
    conn = sqlite3.connect(seeded)
    conn.row_factory = sqlite3.Row
    rows = {r["name"]: r for r in conn.execute("select * from sources")}
    assert sorted(rows) == [f.name for f in SEED_FILES]
    for f in SEED_FILES:
        on_disk = f.read_bytes()
        row = rows[f.name]
        assert row["sha256"] == sha256(on_disk)
        assert row["bytes"] == len(on_disk)
        assert sha256(original_bytes(row)) == sha256(on_disk), f.name
        assert original_bytes(row) == on_disk


@pytest.mark.parametrize("dump", SEED_FILES, ids=lambda p: p.name)
def test_reingesting_any_dump_changes_no_row(seeded, dump):
    before = dump_all(seeded)
    result = run("ingest", seeded, dump)
    assert result.exit_code == 0, result.output
    assert "already archived" in result.stdout
    assert dump_all(seeded) == before


def test_reingesting_a_copy_under_another_name_changes_no_row(seeded, tmp_path):
    copy = tmp_path / "renamed copy.txt"
    shutil.copy(SEED_FILES[3], copy)
    before = dump_all(seeded)
    result = run("ingest", seeded, copy)
    assert result.exit_code == 0, result.output
    assert dump_all(seeded) == before


PASTE = (
    "1/3 Today the Almaty district court fined the Kazakhstan International Bureau for Human Rights "
    "and suspended its work for three months over alleged reporting violations.\n\n"
    "2/3 Human rights defenders say the tax inspections are tied to the January elections and "
    "call on the authorities to stop the pressure on NGOs.\n\n"
    "3/3 The EU representative said such actions damage Kazakhstan's international image.\n"
)


def test_paste_from_standard_input(tmp_path):
    db = tmp_path / "archive.db"
    proc = run_subprocess("ingest", db, "-", input=PASTE.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"sources: 1 new" in proc.stdout
    conn = sqlite3.connect(db)
    kind, name, content, digest = conn.execute("select kind, name, content, sha256 from sources").fetchone()
    # named by the time and its first words (tests/test_cli_messages.py checks the name in detail)
    assert kind == "paste"
    assert re.fullmatch(r'paste \d{4}-\d\d-\d\d \d\d:\d\d UTC "1/3 Today the Almaty district court fined the'
                        r' Kazakhstan…"', name), name
    assert content == PASTE
    assert digest == sha256(PASTE.encode("utf-8"))
    assert conn.execute("select count(*) from thread_parts").fetchone()[0] >= 3


def test_paste_with_printf(tmp_path):
    db = tmp_path / "archive.db"
    proc = run_subprocess("ingest", db, "-", input=b"text")
    assert proc.returncode == 0, proc.stderr.decode()
    assert counts(db)["sources"] == 1


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("paste", [b"", b"   \n\n\t\n"], ids=["empty", "blank"])
def test_empty_paste_is_refused_and_no_database_is_created(tmp_path, paste):
    db = tmp_path / "archive.db"
    proc = run_subprocess("ingest", db, "-", input=paste)
    assert proc.returncode != 0
    line = _one_line(proc.stderr.decode())
    assert "empty" in line
    assert "Traceback" not in proc.stderr.decode()
    assert not db.exists()


def test_empty_paste_into_existing_archive_writes_nothing(seeded):
    before = dump_all(seeded)
    proc = run_subprocess("ingest", seeded, "-", input=b"")
    assert proc.returncode != 0
    assert "empty" in _one_line(proc.stderr.decode())
    assert dump_all(seeded) == before


def test_missing_file_is_one_line_and_writes_nothing(tmp_path):
    db = tmp_path / "archive.db"
    proc = run_subprocess("ingest", db, tmp_path / "no-such-dump.txt")
    assert proc.returncode in (1, 2)
    line = _one_line(proc.stderr.decode())
    assert "no-such-dump.txt" in line
    assert not db.exists()


def test_missing_file_among_good_ones_writes_nothing(seeded, tmp_path):
    before = dump_all(seeded)
    proc = run_subprocess("ingest", seeded, SEED_FILES[0], tmp_path / "gone.txt")
    assert proc.returncode in (1, 2)
    assert "gone.txt" in _one_line(proc.stderr.decode())
    assert dump_all(seeded) == before


def test_a_text_file_is_not_an_archive(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("these are my notes, not a database\n", encoding="utf-8")
    proc = run_subprocess("ingest", notes, SEEDS)
    assert proc.returncode != 0
    line = _one_line(proc.stderr.decode())
    assert "notes.db" in line and "database" in line
    assert notes.read_text(encoding="utf-8") == "these are my notes, not a database\n"
    for cmd in (("threads", notes), ("show", notes, "abc"), ("verify", notes)):
        proc = run_subprocess(*cmd)
        assert proc.returncode != 0, cmd
        assert "notes.db" in _one_line(proc.stderr.decode())


def test_reading_commands_never_create_an_archive(tmp_path):
    db = tmp_path / "archive.db"
    for cmd in (("threads", db), ("show", db, "abc"), ("verify", db)):
        result = run(*cmd)
        assert result.exit_code != 0, cmd
        assert "no such archive" in result.stderr
    assert not db.exists()


def test_bulk_ingest_stores_what_one_by_one_ingests_store(tmp_path, monkeypatch):
    """The bulk path (workers, sources committed a few at a time, near-duplicates in one pass at
    the end with the workers' band keys) gives the archive the sequential path gives."""
    from archive_helpers import canonical, make_dumps

    import archiver.ingest as ingest
    import archiver.neardup as neardup
    from archiver.sources import read_path

    dumps = make_dumps(tmp_path / "dumps", 24, seed=5, parts=(3, 9))
    dumps += [shutil.copy(SEED_FILES[0], tmp_path / "dumps" / "seed.txt")]
    for i, p in enumerate(dumps[:6]):  # re-pasted threads: exact duplicates and cross-dump merges
        (tmp_path / "dumps" / f"again{i}.txt").write_text(p.read_text(encoding="utf-8")[: 600], encoding="utf-8")
    paths = sorted((tmp_path / "dumps").iterdir())

    one_by_one = tmp_path / "one.db"
    monkeypatch.setattr(ingest, "BULK_SOURCES", 10**9)
    for p in paths:
        ingest.ingest_sources(one_by_one, [(str(p), read_path(p))])

    bulk = tmp_path / "bulk.db"
    monkeypatch.setattr(ingest, "BULK_SOURCES", 8)
    monkeypatch.setattr(ingest, "COMMIT_SECONDS", 0.0)
    monkeypatch.setattr(neardup, "BULK_BACKLOG", 10)  # the one pass, with presigned band keys
    summary = ingest.ingest_sources(bulk, [(str(p), p) for p in paths], workers=2)
    assert summary.sources_new == len(paths) and summary.seconds["presign"] > 0

    assert canonical(bulk) == canonical(one_by_one)
    assert dump_all(bulk)["fragment_bands"] == dump_all(one_by_one)["fragment_bands"]


def test_workers_run_below_the_writer_and_read_ahead_of_it(tmp_path, monkeypatch):
    """The bulk path's workers step down to WORKER_NICE (the writer, its one serial stage, gets a
    core whenever it has work) and reconstruct up to AHEAD sources each before the writer takes one."""
    import os

    import archiver.ingest as ingest

    pool = ingest._pool(2)
    try:
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        theirs = {pool.submit(os.getpriority, os.PRIO_PROCESS, 0).result() for _ in range(4)}
        assert theirs == {min(mine + ingest.WORKER_NICE, 19)}

        submitted: list = []
        real_submit = pool.submit
        monkeypatch.setattr(pool, "submit", lambda *a: submitted.append(a) or real_submit(*a))
        items = [(f"paste {i}", ValueError(f"unreadable {i}")) for i in range(100)]
        ordered = ingest._ordered(pool, items, 2)
        assert next(ordered)[0] == "paste 0" and len(submitted) == 2 * ingest.AHEAD + 1
        assert [label for label, *_ in ordered] == [f"paste {i}" for i in range(1, 100)]
    finally:
        pool.shutdown()


@pytest.mark.parametrize("fail_at", [1, 7], ids=["the first source", "the seventh"])
def test_a_source_failing_inside_a_transaction_keeps_the_sources_before_it(tmp_path, monkeypatch, fail_at):
    """The bulk path stores many sources in one transaction, with no savepoint per source: a source
    failing half-way (its threads written, its dropped lines not) is undone with the transaction,
    the sources before it are stored again, and the archive is the one those sources alone make."""
    from archive_helpers import canonical, make_dumps

    import archiver.ingest as ingest
    import archiver.store as store
    from archiver.sources import read_path

    paths = make_dumps(tmp_path / "dumps", 10, seed=3, parts=(3, 7))
    paths += [shutil.copy(SEED_FILES[0], tmp_path / "dumps" / "seed.txt")]
    (tmp_path / "dumps" / "again.txt").write_text(paths[0].read_text(encoding="utf-8")[:600], encoding="utf-8")
    paths = sorted((tmp_path / "dumps").iterdir())
    monkeypatch.setattr(ingest, "COMMIT_SECONDS", 3600.0)  # every source in the one transaction
    real = store._store_dropped
    calls: list[int] = []

    def failing(conn, dropped, source_index, source_id):
        calls.append(source_id)
        if len(calls) == fail_at:
            raise OSError("disk full")
        return real(conn, dropped, source_index, source_id)

    monkeypatch.setattr(store, "_store_dropped", failing)
    bulk = tmp_path / "bulk.db"
    with pytest.raises(OSError, match="disk full"):
        ingest.ingest_sources(bulk, [(str(p), p) for p in paths], workers=0)
    monkeypatch.setattr(store, "_store_dropped", real)

    kept = paths[:fail_at - 1]
    conn = sqlite3.connect(bulk)
    assert conn.execute("select count(*) from sources").fetchone()[0] == len(kept)
    conn.close()
    reference = tmp_path / "reference.db"
    monkeypatch.setattr(ingest, "BULK_SOURCES", 10**9)
    for p in [*kept, paths[-1]]:
        ingest.ingest_sources(reference, [(str(p), read_path(p))])
    ingest.ingest_sources(bulk, [(str(paths[-1]), read_path(paths[-1]))])  # and the near-duplicate backlog
    assert canonical(bulk) == canonical(reference)
    assert run("verify", bulk).exit_code == 0


def test_a_bulk_ingest_looks_texts_up_again_once_another_writer_came_in(tmp_path, monkeypatch):
    """Into an archive that began empty, the bulk path skips the lookup of ids it never stored. Should
    another connection commit between two of its transactions (a paste while a folder is ingested),
    it looks everything up again: the text that connection stored is known, not inserted twice."""
    from archive_helpers import make_dumps

    import archiver.ingest as ingest

    paths = make_dumps(tmp_path / "dumps", 6, seed=11, parts=(3, 6))
    later = paths[-1].read_text(encoding="utf-8")
    monkeypatch.setattr(ingest, "BULK_SOURCES", 2)
    monkeypatch.setattr(ingest, "COMMIT_SECONDS", 0.0)  # a transaction per source
    db = tmp_path / "archive.db"
    commit = ingest._BulkRun.commit
    calls: list[int] = []

    def commit_then_paste(self):
        commit(self)
        calls.append(1)
        if len(calls) == 1:  # after the first source: another writer stores the last dump's texts
            ingest.ingest_text(db, "  " + later.replace("\n", "  \n"), "paste")

    monkeypatch.setattr(ingest._BulkRun, "commit", commit_then_paste)
    summary = ingest.ingest_sources(db, [(str(p), p) for p in paths], workers=0)
    assert summary.sources_new == len(paths)
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from sources").fetchone()[0] == len(paths) + 1
    # the last dump's texts were the paste's: every one of them already archived when it came
    last = conn.execute("select max(id) from sources").fetchone()[0]
    assert conn.execute("select count(*) from fragments where first_source_id = ?", [last]).fetchone()[0] == 0
    assert conn.execute("select count(*) from sightings where source_id = ?", [last]).fetchone()[0] > 0
    conn.close()
    assert run("verify", db).exit_code == 0


@pytest.mark.parametrize("commit_seconds", [0.0, 3600.0], ids=["a commit per source", "one commit"])
def test_grouped_sources_are_searchable_as_one_by_one_ones(tmp_path, monkeypatch, commit_seconds):
    """Sources committed a few at a time, or one transaction for all: the full-text index agrees with
    the table, search finds what the one-by-one archive finds, and no row waits to be indexed."""
    from archive_helpers import make_dumps

    import archiver.ingest as ingest

    paths = make_dumps(tmp_path / "dumps", 12, seed=9, parts=(3, 7))
    one_by_one = tmp_path / "one.db"
    for p in paths:
        assert run("ingest", one_by_one, p).exit_code == 0
    bulk = tmp_path / "bulk.db"
    monkeypatch.setattr(ingest, "COMMIT_SECONDS", commit_seconds)
    ingest.ingest_sources(bulk, [(str(p), p) for p in paths], workers=0)
    assert run("verify", bulk).exit_code == 0
    conn, ref = sqlite3.connect(bulk), sqlite3.connect(one_by_one)
    conn.execute("insert into fragments_fts (fragments_fts, rank) values ('integrity-check', 1)")
    words = {w.lower().strip(".,:;!?()\"'") for (t,) in ref.execute("select text from fragments") for w in t.split()}
    words = sorted(w for w in words if w.isalpha() and len(w) > 3)[:40]
    assert len(words) == 40

    def hits(c, w):
        return c.execute("select count(*) from fragments_fts where fragments_fts match ?", [f'"{w}"']).fetchone()[0]

    assert [hits(conn, w) for w in words] == [hits(ref, w) for w in words] and sum(hits(ref, w) for w in words) > 40
    assert pending_fts(conn) == {"fragments": 0, "threads": 0} and fts_current(conn)
