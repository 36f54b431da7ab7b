"""Crash safety: `archiver ingest` killed with SIGKILL at random moments never leaves half a source.

A reference archive is built by one uninterrupted run over ~30 generated dumps. Then the same
ingest into a fresh archive is started 20 times in a child process and killed with SIGKILL
after a random delay (from the moment the archive file appears, within the reference run's
time), so kills land in schema creation, in parsing, inside write transactions and between
them. After every kill:

- `PRAGMA integrity_check` is `ok` and `archiver verify` finds nothing wrong (FTS in step);
- every source is either absent or fully present: its sightings, dropped spans, parts and
  fragments equal the reference archive's for the same sha256; nothing refers to a missing row.

Then the same ingest is run again over the killed archive: it must complete it to exactly the
reference archive's content (timestamps and autoincrement ids aside).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict

import pytest
import sqlite_utils

from archive_helpers import SEEDS, canonical, make_dumps, run, run_subprocess
from archiver.db import FTS, _schema_complete, open_db
from archiver.verify import verify_archive

KILLS = 20
DUMPS = 30

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL needs POSIX")


def _by_source(db) -> dict[str, dict[str, set]]:
    """Per source sha256: its sightings, dropped spans, thread parts and fragments, as comparable rows."""
    conn = sqlite3.connect(db)
    try:
        out: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for row in conn.execute(
                "select src.sha256, s.fragment_id, s.line_start, s.line_end, s.thread_id, s.n,"
                " f.hash, f.kind, f.text, p.inferred, p.marker, p.conflict"
                " from sightings s join sources src on src.id = s.source_id"
                " join fragments f on f.id = s.fragment_id"
                " join thread_parts p on p.thread_id = s.thread_id and p.fragment_id = s.fragment_id"
                " and p.n is s.n"):
            sha, *rest = row
            out[sha]["sightings"].add(tuple(rest[:5]))
            out[sha]["fragments"].add((rest[0], *rest[5:8]))
            out[sha]["parts"].add((rest[3], rest[4], rest[0], *rest[8:]))
        for sha, a, b, reason in conn.execute(
                "select src.sha256, d.line_start, d.line_end, d.reason from dropped d"
                " join sources src on src.id = d.source_id"):
            out[sha]["dropped"].add((a, b, reason))
        return out
    finally:
        conn.close()


def _orphans(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows that point at nothing, or that nothing points at: signs of a half-written source."""
    queries = {
        "sightings without source": "select count(*) from sightings where source_id not in (select id from sources)",
        "sightings without fragment": "select count(*) from sightings where fragment_id not in (select id from fragments)",
        "sightings without part": "select count(*) from sightings s where not exists (select 1 from thread_parts p"
                                  " where p.thread_id = s.thread_id and p.fragment_id = s.fragment_id and p.n is s.n)",
        "parts without thread": "select count(*) from thread_parts where thread_id not in (select id from threads)",
        "parts without sighting": "select count(*) from thread_parts p where not exists (select 1 from sightings s"
                                  " where s.thread_id = p.thread_id and s.fragment_id = p.fragment_id and s.n is p.n)",
        "fragments never seen": "select count(*) from fragments where id not in (select fragment_id from sightings)",
        "threads without parts": "select count(*) from threads where id not in (select thread_id from thread_parts)",
        "dropped without source": "select count(*) from dropped where source_id not in (select id from sources)",
    }
    return {name: n for name, sql in queries.items() if (n := conn.execute(sql).fetchone()[0])}


def _check_after_kill(db, reference: dict[str, dict[str, set]], ref_threads: dict[str, tuple]) -> int:
    """Assert the killed archive is consistent; returns how many sources it holds."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        if not tables:
            return 0  # killed before the schema transaction committed: nothing at all
        assert _schema_complete(sqlite_utils.Database(conn)), "the schema is half made"
        present = [r[0] for r in conn.execute("select sha256 from sources")]
        assert _orphans(conn) == {}
        thread_rows = {r[0]: r for r in conn.execute(
            "select id, kind, title, total, missing, complete, parts, conflicts from threads")}
    finally:
        conn.close()
    got = _by_source(db)
    for sha in present:
        assert sha in reference, f"source {sha[:12]} is not in the reference archive"
        for what in ("sightings", "fragments", "parts", "dropped"):
            assert got[sha][what] == reference[sha][what], f"source {sha[:12]}: {what} differ from the reference"
    for tid, row in thread_rows.items():
        assert row == ref_threads[tid], f"thread {tid} differs from the reference"
    assert verify_archive(open_db(db, create=False)) == []
    return len(present)


def _reference(db) -> tuple[dict, dict[str, tuple], dict]:
    """What kills are checked against: rows per source, thread rows, the canonical archive."""
    conn = sqlite3.connect(db)
    try:
        threads = {r[0]: r for r in conn.execute(
            "select id, kind, title, total, missing, complete, parts, conflicts from threads")}
    finally:
        conn.close()
    return _by_source(db), threads, canonical(db)


def _committed_sources(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute("select count(*) from sources").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # the schema is not committed yet
        return 0


def _wait_for_file(path, child, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while not path.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)


# The bulk path as a folder ingest runs it: sources committed a few at a time (each in its own
# savepoint; commits made frequent here, so kills fall between them), near-duplicates indexed once
# at the end. And the sequential path, as an ingest of a few sources runs it: a commit per source.
GROUPED = ("import sys, archiver.ingest as ingest;"
           " ingest.COMMIT_SECONDS = 0.004; from archiver.cli import cli; cli(sys.argv[1:], prog_name='archiver')")
SEQUENTIAL = ("import sys, archiver.ingest as ingest;"
              " ingest.BULK_SOURCES = 10**9; from archiver.cli import cli; cli(sys.argv[1:], prog_name='archiver')")


@pytest.mark.parametrize("grouped", [False, True], ids=["source-by-source", "grouped"])
def test_sigkill_at_random_moments_never_leaves_half_a_source(tmp_path, grouped):
    started = time.monotonic()
    command = [sys.executable, "-c", GROUPED if grouped else SEQUENTIAL]
    dumps = tmp_path / "dumps"
    make_dumps(dumps, DUMPS, seed=11, parts=(8, 24))

    # The uninterrupted reference run, timed from the moment the archive file appears until its
    # last source is committed (what follows, closing and exiting, is no place to aim kills at).
    ref_db = tmp_path / "reference.db"
    child = subprocess.Popen([*command, "ingest", str(ref_db), str(dumps), "--json"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for_file(ref_db, child)
    t0 = time.monotonic()
    window = None
    while child.poll() is None and window is None and time.monotonic() - t0 < 120:
        if _committed_sources(ref_db) == DUMPS:
            window = time.monotonic() - t0
        time.sleep(0.002)
    _, err = child.communicate(timeout=120)
    window = window or time.monotonic() - t0
    assert child.returncode == 0, err.decode()
    reference, ref_threads, ref_canonical = _reference(ref_db)
    assert len(reference) == DUMPS

    rng = random.Random(20240125)
    held = []
    finished_early = 0
    per_source = window / DUMPS
    for i in range(KILLS):
        db = tmp_path / f"archive{i}.db"
        child = subprocess.Popen([*command, "ingest", str(db), str(dumps), "--json"],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_for_file(db, child)
        # A random moment of the run: once a random number of sources is committed, somewhere in the
        # time the reference took per source. Aimed by the run's own progress, not by a delay from its
        # start: how long a run takes to open the archive and get its first source varies more than
        # how long it then takes per source.
        target = rng.randrange(DUMPS)
        deadline = time.monotonic() + 60
        while child.poll() is None and _committed_sources(db) < target and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, per_source))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        else:
            finished_early += 1
        _, err = child.communicate(timeout=30)
        assert child.returncode in (0, -signal.SIGKILL), err.decode()
        held.append(_check_after_kill(db, reference, ref_threads))

        # Re-running the same ingest completes the archive exactly as an uninterrupted run would.
        proc = run_subprocess("ingest", db, dumps, "--json")
        assert proc.returncode == 0, proc.stderr.decode()
        assert canonical(db) == ref_canonical, f"kill {i}: resumed archive differs from the reference"
        for suffix in ("", "-wal", "-shm"):
            (tmp_path / f"archive{i}.db{suffix}").unlink(missing_ok=True)

    elapsed = time.monotonic() - started
    partway = sum(1 for n in held if 0 < n < DUMPS)
    print(f"\ncrash test: sources held after each of {KILLS} runs: {held} ({partway} killed part-way, "
          f"{finished_early} finished before the kill); {elapsed:.1f}s in all")
    assert partway >= KILLS // 4, "kills should land part-way through the sources"


def test_schema_creation_is_all_or_nothing(tmp_path, monkeypatch):
    """A process stopped while creating a new archive's FTS indexes leaves no schema at all."""
    import archiver.fts

    db = tmp_path / "archive.db"
    real = archiver.fts.trigger_sql

    def killed_midway(index):
        if getattr(index, "table", index) == list(FTS)[-1]:  # an fts.Index, or a table name
            raise KeyboardInterrupt("killed while creating the last FTS index")
        return real(index)

    monkeypatch.setattr(archiver.fts, "trigger_sql", killed_midway)
    with pytest.raises(KeyboardInterrupt):
        open_db(db)
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from sqlite_master").fetchone()[0] == 0
    conn.close()
    monkeypatch.setattr(archiver.fts, "trigger_sql", real)
    assert _schema_complete(open_db(db))
    assert run("ingest", db, SEEDS).exit_code == 0
    assert verify_archive(open_db(db, create=False)) == []


# A large file takes the streaming path (archiver/stream.py): one transaction holding many chunks.
# The thresholds are lowered so that a ~200 KB dump is streamed in a few dozen chunks.
STREAMED = ("import sys, archiver.stream as s, archiver.store as st; s.STREAM_BYTES = 20_000; s.BLOCK_BYTES = 4096;"
            " s.STREAM_CHUNK_CHARS = 4000; s.CUT_REACH = 200; st.STREAM_INDEX_BATCH = 300;"
            " from archiver.cli import cli; cli(sys.argv[1:], prog_name='archiver')")


def test_sigkill_during_a_streamed_file_leaves_it_absent_or_whole(tmp_path):
    from archive_helpers import big_dump

    dumps = tmp_path / "dumps"
    make_dumps(dumps, 3, seed=2, parts=(3, 6))
    (dumps / "dump_001b_large.txt").write_text("\n\n".join(big_dump(seed=s) for s in range(4)), encoding="utf-8")
    command = [sys.executable, "-c", STREAMED, "ingest"]

    ref_db = tmp_path / "reference.db"
    child = subprocess.Popen([*command, str(ref_db), str(dumps)], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for_file(ref_db, child)
    t0 = time.monotonic()
    _, err = child.communicate(timeout=120)
    window = time.monotonic() - t0
    assert child.returncode == 0, err.decode()
    reference, ref_threads, ref_canonical = _reference(ref_db)
    assert len(reference) == 4

    rng = random.Random(7)
    held = []
    for i in range(8):
        db = tmp_path / f"archive{i}.db"
        child = subprocess.Popen([*command, str(db), str(dumps)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_for_file(db, child)
        time.sleep(rng.uniform(0.1, 0.9) * window)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        _, err = child.communicate(timeout=30)
        assert child.returncode in (0, -signal.SIGKILL), err.decode()
        held.append(_check_after_kill(db, reference, ref_threads))
        if held[-1] == 4:  # killed after the last commit: the reference run was slow, aim earlier
            window *= 0.75
        proc = subprocess.run([*command, str(db), str(dumps)], capture_output=True, timeout=120)
        assert proc.returncode == 0, proc.stderr.decode()
        assert canonical(db) == ref_canonical, f"kill {i}: resumed archive differs from the reference"
    print(f"\nstreamed crash test: sources held after each kill: {held}")
    assert any(0 < n < 4 for n in held), "some kills should land while the large file is being stored"
