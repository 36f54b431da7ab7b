"""A live Datasette keeps answering searches while `archiver ingest` writes to the same file.

Datasette opens the archive read-only; the writer uses WAL, a busy timeout and BEGIN IMMEDIATE
transactions, here one per source. Searches over loopback during an ingest of 100 small
sources must all succeed, and none may report `database is locked`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import httpx
import pytest

from archive_helpers import SEEDS, counts, make_dumps, run, stop_process
from archiver.db import open_db
from archiver.serve import canned_queries, datasette_args
from archiver.verify import verify_archive
from server_helpers import free_port

SOURCES = 100
# The writer commits after every source (a folder ingest groups a few seconds of sources into one
# commit): the most commits, WAL appends and checkpoints a reader can run into.
WRITER = ("import sys, archiver.ingest as ingest; ingest.COMMIT_SECONDS = 0.0;"
          " from archiver.cli import cli; cli(sys.argv[1:], prog_name='archiver')")
MIN_REQUESTS = 200
CLIENTS = 3
WORDS = ["Kazakhstan", "OSCE", "elections", "court", "activists", "Almaty", "human rights", "Tokayev",
         "observers", "NGO", "défenseurs", "police"]


def _canned_search() -> bool:
    try:
        return "search" in canned_queries()
    except (OSError, KeyError, ValueError):
        return False


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "archive.db"
    assert run("ingest", db, SEEDS).exit_code == 0
    port = free_port()
    log = open(tmp_path / "datasette.log", "wb")
    proc = subprocess.Popen(datasette_args(db, port=port), stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("datasette did not start:\n" + (tmp_path / "datasette.log").read_text(errors="replace"))
            time.sleep(0.1)
        yield db, base
    finally:
        stop_process(proc)
        log.close()


def test_searches_never_fail_while_ingesting(server, tmp_path):
    db, base = server
    canned = _canned_search()
    before = counts(db)["fragments"]

    results: list[tuple[float, int, str]] = []  # (finished at, status, problem)
    lock = threading.Lock()
    stop = threading.Event()

    def client(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            i = k
            while not stop.is_set():
                word = WORDS[i % len(WORDS)]
                if canned and i % 2:
                    url, params = "/archive/search.json", {"q": word, "_shape": "array"}
                else:
                    url, params = "/archive/public_fragments.json", {"_search": word, "_size": "20"}
                i += CLIENTS
                problem = ""
                try:
                    r = c.get(url, params=params)
                    status = r.status_code
                    if status != 200:
                        problem = f"{status} {url}?{params}: {r.text[:200]}"
                    elif "database is locked" in r.text:
                        problem = f"locked {url}?{params}"
                    else:
                        r.json()
                except httpx.HTTPError as e:
                    status, problem = -1, f"{type(e).__name__}: {e}"
                with lock:
                    results.append((time.monotonic(), status, problem))

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    time.sleep(0.3)  # searches are already flowing when the writer starts
    windows: list[tuple[float, float]] = []
    summaries = []

    def searches_during() -> list[tuple[float, int, str]]:
        with lock:
            return [r for r in results if any(a <= r[0] <= b for a, b in windows)]

    # One ingest of 100 sources; on a fast machine it can end before 200 searches have run
    # beside it, so further batches of 100 fresh sources follow until they have (at most 12).
    for batch in range(12):
        dumps = tmp_path / f"incoming{batch}"
        make_dumps(dumps, SOURCES, seed=100 + batch, parts=(3, 8))
        start_count = counts(db)["sources"]
        writer = subprocess.Popen([sys.executable, "-c", WRITER, "ingest", str(db), str(dumps), "--json"],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # The writing window opens when the first new source is committed (not at process start).
        while writer.poll() is None and counts(db)["sources"] == start_count:
            time.sleep(0.005)
        t0 = time.monotonic()
        out, err = writer.communicate(timeout=300)
        windows.append((t0, time.monotonic()))
        assert writer.returncode == 0, err.decode()
        summaries.append(json.loads(out))
        if len(searches_during()) >= MIN_REQUESTS:
            break
    time.sleep(0.3)  # and keep flowing a moment after the last write
    stop.set()
    for t in threads:
        t.join(timeout=30)

    assert all(s["sources"]["new"] == SOURCES for s in summaries)
    during = searches_during()
    problems = [r[2] for r in results if r[2]]
    writing = sum(b - a for a, b in windows)
    print(f"\nconcurrency: {len(windows)} ingest(s) of {SOURCES} sources, {writing:.2f}s writing; "
          f"{len(results)} searches, {len(during)} while writing "
          f"({'canned search and ' if canned else ''}public_fragments.json), {len(problems)} errors")
    assert problems == []
    assert len(during) >= MIN_REQUESTS, "at least 200 searches should run while the ingest writes"
    assert not any("database is locked" in p for p in problems)

    # The server sees what the writer committed.
    after = httpx.get(f"{base}/archive/public_fragments.json", params={"_size": "0"}, timeout=30).json()
    assert after.get("filtered_table_rows_count", after.get("count")) == counts(db)["fragments"] > before


def test_two_ingests_at_once_give_what_one_after_the_other_gives(tmp_path):
    """Two writers taking turns source by source: each transaction gives out new fragment and thread
    rowids (parts and sightings name them) from what is stored when it begins, so the references
    stay right, and the archive holds what the same ingests one after the other give."""
    first = make_dumps(tmp_path / "first", 40, seed=1, parts=(3, 8))
    second = tmp_path / "second"
    second.mkdir()
    for path in first:  # the same threads in other bytes: known fragments, the same thread ids
        (second / path.name).write_bytes(b"\n" + path.read_bytes())
    make_dumps(tmp_path / "more", 30, seed=2, parts=(3, 8))
    for path in (tmp_path / "more").iterdir():
        path.rename(second / f"more_{path.name}")
    together = tmp_path / "together.db"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, "ingest", str(together), str(folder), "--json"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for folder in (tmp_path / "first", second)]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
    apart = tmp_path / "apart.db"
    for folder in (tmp_path / "first", second):
        assert run("ingest", apart, folder).exit_code == 0

    def content(path):
        db = open_db(path, create=False)
        assert verify_archive(db) == []
        out = {
            "fragments": sorted(db.execute("select id, text from fragments").fetchall()),
            "threads": sorted(db.execute("select id, kind, total, parts, missing, complete from threads").fetchall()),
            "parts": sorted(db.execute("select thread_id, n, fragment_id from thread_parts").fetchall(),
                            key=repr),
            "sightings": db.execute("select count(*) from sightings").fetchone()[0],
        }
        db.conn.close()
        return out

    assert content(together) == content(apart)
