"""Shared helpers for the tests: run the CLI, dump and compare an archive's tables, make dumps and
platform exports, check that reconstruction loses no line, find the shared material.

Every archive a test looks at is built through the real save path (`archiver ingest`), never by
writing rows by hand. Helpers for the published side (Datasette, private sources) are in
tests/site_helpers.py; the fixtures several test files use are in tests/conftest.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

# The project's shared material (eval sets, corpora), kept beside the checkout, not in it
# (ARCHIVER_SHARED names another place: tests/test_suite.py uses it to check the skips).
SHARED = Path(os.environ.get("ARCHIVER_SHARED") or ROOT.parent / "shared")
GET_SHARED = ("put the project's shared material (eval/, corpora/, bench/; see its README.md) in a folder "
              f"named shared beside this checkout: {SHARED}")


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Skip unless ../shared/<parts> exists; the reason (shown by `pytest -rs`, as CI runs it) says
    what is missing and how to get it."""
    path = SHARED.joinpath(*parts)
    return pytest.mark.skipif(not path.exists(), reason=f"needs ../shared/{'/'.join(parts)}: {GET_SHARED}")


# Columns that hold the time of writing: they differ between two runs of the same ingest.
TIME_COLUMNS = {"ingested_at", "first_seen_at", "created_at", "updated_at", "found_at", "merged_at"}


def run(*args: str, input: str | bytes | None = None):
    """Run the archiver CLI in-process; returns click's Result (exit_code, stdout, stderr, output)."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def run_subprocess(*args: str, input: bytes | None = None, timeout: float = 120,
                   cwd: str | os.PathLike | None = None) -> subprocess.CompletedProcess:
    """Run `python -m archiver ARGS` in a child process, as a user would from a shell."""
    return subprocess.run([sys.executable, "-m", "archiver", *map(str, args)], input=input,
                          stdin=None if input is not None else subprocess.DEVNULL,
                          capture_output=True, timeout=timeout, cwd=cwd)


def connect(db: str | os.PathLike) -> sqlite3.Connection:
    """A plain sqlite3 connection (no schema side effects) for looking at an archive."""
    return sqlite3.connect(str(db))


def table_names(conn: sqlite3.Connection) -> list[str]:
    """Every table, FTS shadow tables included."""
    return [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]


def dump_all(db: str | os.PathLike) -> dict[str, list[tuple]]:
    """Every row of every table, exactly (timestamps and ids included), sorted."""
    conn = connect(db)
    try:
        return {t: sorted(conn.execute(f"select * from [{t}]").fetchall(), key=repr) for t in table_names(conn)}
    finally:
        conn.close()


def canonical(db: str | os.PathLike) -> dict[str, list[tuple]]:
    """The archive's content without timestamps or autoincrement ids: source ids become sha256s.

    Two archives built from the same inputs in the same order have equal canonical forms.
    """
    conn = connect(db)
    conn.row_factory = sqlite3.Row
    try:
        sha = {r["id"]: r["sha256"] for r in conn.execute("select id, sha256 from sources")}
        out: dict[str, list[tuple]] = {}
        for table in ("sources", "fragments", "threads", "thread_parts", "sightings", "dropped",
                      "near_duplicates", "thread_aliases"):
            rows = []
            for r in conn.execute(f"select * from [{table}]"):
                d = dict(r)
                for col in TIME_COLUMNS:
                    d.pop(col, None)
                if table in ("sources", "sightings", "dropped"):
                    d.pop("id", None)
                for col in ("source_id", "first_source_id"):
                    if col in d:
                        d[col] = sha.get(d[col], f"missing source {d[col]}")
                rows.append(tuple(sorted(d.items(), key=lambda kv: kv[0])))
            out[table] = sorted(rows, key=repr)
        for table in ("fragments_fts", "threads_fts"):
            out[table] = sorted((tuple(r) for r in conn.execute(f"select * from [{table}]")), key=repr)
        return out
    finally:
        conn.close()


# Columns left out when the public side of one archive is compared with the tables of another.
_NOT_COMPARED = TIME_COLUMNS | {"rowid", "thread_rowid", "fragment_rowid",
                                "digest"}  # a digest covers its sightings' source ids: see `digests_hold`


def comparable_rows(conn: sqlite3.Connection, prefix: str) -> dict[str, list]:
    """Every row of the public views (prefix "public_") or of the raw tables (prefix ""), without
    rowids and timestamps, source ids given as the source's sha256, sightings and dropped spans
    without their own ids: the public side of an archive equals, so compared, the tables of the
    archive built from its public sources alone."""
    from archiver import public_views

    sha = dict(conn.execute("select id, sha256 from sources"))
    out = {}
    for table in public_views.RAW_TABLES:
        cur = conn.execute(f"select * from {prefix}{table}")
        names = [c[0] for c in cur.description]
        rows = []
        for row in cur:
            d = {k: v for k, v in zip(names, row) if k not in _NOT_COMPARED}
            if table in ("sources", "sightings", "dropped"):
                d.pop("id")
            for col in ("source_id", "first_source_id"):
                if col in d:
                    d[col] = sha.get(d[col], f"no source {d[col]}")
            rows.append(json.dumps(d, sort_keys=True, ensure_ascii=False, default=repr))
        out[table] = sorted(rows)
    return out


def digests_hold(conn: sqlite3.Connection) -> bool:
    """Every thread's kept digest is the one its rows give, in both table sets."""
    from archiver.digest import stored_digests
    from archiver.tableset import FULL, PUBLIC

    return all(kept == want for tables in (FULL, PUBLIC) for _, _, kept, want in stored_digests(conn, tables))


def counts(db: str | os.PathLike) -> dict[str, int]:
    """Row counts of the archive's own tables."""
    conn = connect(db)
    try:
        return {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0]
                for t in ("sources", "fragments", "threads", "thread_parts", "sightings", "dropped")}
    finally:
        conn.close()


def original_bytes(row: sqlite3.Row | dict) -> bytes:
    """A stored source's bytes: raw when kept, else the content encoded with its recorded encoding."""
    from archiver.models import encode_text

    if row["raw"] is not None:
        return bytes(row["raw"])
    return encode_text(row["content"], row["encoding"])


def sha256(data: bytes) -> str:
    """Hex sha256."""
    return hashlib.sha256(data).hexdigest()


# --- realistic generated dumps --------------------------------------------------------------------
def seed_sentences() -> list[str]:
    """Sentences from the seed dumps: real-looking text to build generated threads from."""
    out = []
    for f in SEED_FILES:
        for line in f.read_text(encoding="utf-8").splitlines():
            for s in re.split(r"(?<=[.!?])\s+", line.strip()):
                if 40 <= len(s) <= 200 and not re.search(r"\d+/\d+", s):
                    out.append(s)
    return sorted(set(out))


def make_thread_dump(rng: random.Random, sentences: list[str], parts: int, drop: set[int] = frozenset(),
                     handle: str = "@kz_monitor") -> str:
    """A pasted numbered thread: `n/N` markers closing each post, blank lines between, some parts absent."""
    lines = []
    for n in range(1, parts + 1):
        if n in drop:
            continue
        text = " ".join(rng.sample(sentences, 2))
        if len(text) > 260:
            text = text[:257].rsplit(" ", 1)[0] + "…"
        lines += [text, f"{n}/{parts}", ""]
    return f"{handle} · thread\n\n" + "\n".join(lines)


def make_dumps(folder: Path, count: int, seed: int = 7, parts: tuple[int, int] = (4, 12)) -> list[Path]:
    """Write `count` distinct generated thread dumps into folder; returns their paths, sorted."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        n = rng.randint(*parts)
        drop = {rng.randint(1, n)} if rng.random() < 0.3 else set()
        text = make_thread_dump(rng, sentences, n, drop, handle=f"@monitor{i % 7}")
        p = folder / f"dump_{i:03d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


# Posts for merge tests: a header naming one author, then numbered or bare posts.
THREAD_HEADER = "KZ Monitor\n@kz_monitor\n\n"


def part_texts(seed: int, count: int = 10) -> list[str]:
    """Real-looking post texts: two seed sentences each, cut to a post's length."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    out = []
    for _ in range(count):
        text = " ".join(rng.sample(sentences, 2))
        if len(text) > 260:
            text = text[:257].rsplit(" ", 1)[0] + "…"
        out.append(text)
    return out


def numbered_dump(texts: list[str], numbers, total: int = 10, header: str = THREAD_HEADER) -> str:
    """A pasted numbered thread: each post, then its `n/N` marker, a blank line between posts."""
    return header + "\n\n".join(f"{texts[n - 1]}\n{n}/{total}" for n in numbers) + "\n"


def unnumbered_dump(texts: list[str], numbers) -> str:
    """A pasted self-reply chain without markers: posts separated by blank lines."""
    return THREAD_HEADER + "\n\n".join(texts[n - 1] for n in numbers) + "\n"


def big_dump(seed: int = 3, articles: bool = True) -> str:
    """Generated threads, each after a status URL line, seed articles between them, and a
    stretch pasted again much later (a re-paste that crosses chunks)."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    pieces = []
    for i in range(40):
        n = rng.randint(3, 12)
        pieces.append(f"https://twitter.com/monitor{i % 5}/status/{1000 + i}\n"
                      + make_thread_dump(rng, sentences, n, handle=f"@monitor{i % 5}"))
        if articles and i % 13 == 5:
            pieces.append(SEED_FILES[i % 3].read_text(encoding="utf-8"))
    pieces.append(pieces[2])  # pasted again, far from the first copy
    return "\n\n".join(pieces)


def thread_dumps(folder: Path, count: int, seed: int, private: bool) -> list[Path]:
    """Generated thread dumps; the private ones repeat public posts with a status URL naming a
    secret handle (`zqxhandle`) before each, and add a post of their own (`zqxwitness`, `zqxnames`)."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        text = make_thread_dump(rng, sentences, rng.randint(3, 6), handle=f"@monitor{i % 3}")
        if private:
            lines = [f"https://x.com/zqxhandle/status/{179000 + i * 10 + k}\n{line}" if line.strip() and "/" not in line
                     else line for k, line in enumerate(text.split("\n"))]
            text = "\n".join(lines) + f"\n\nA zqxwitness statement: zqxnames were taken to the station {i}.\n7/7\n"
        path = folder / f"{'secret' if private else 'dump'}-{seed}-{i}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


# --- platform exports -------------------------------------------------------------------------------
def tweet(tid, text, created, parent=None, to=None, urls=(), user_id="42") -> dict:
    """One item of a Twitter/X export's tweets.js, as the export writes it."""
    t = {"id_str": str(tid), "id": str(tid), "full_text": text, "created_at": created, "lang": "en",
         "entities": {"hashtags": [], "symbols": [], "user_mentions": [],
                      "urls": [{"url": u, "expanded_url": e, "display_url": e[8:30]} for u, e in urls]}}
    if parent:
        t.update({"in_reply_to_status_id_str": str(parent), "in_reply_to_status_id": str(parent),
                  "in_reply_to_screen_name": to, "in_reply_to_user_id_str": user_id})
    return {"tweet": t}


def write_tweets(path: Path, items, name="tweets") -> Path:
    """Write `items` as a tweets.js (`window.YTD.<name>.part0 = [...]`)."""
    path.write_text(f"window.YTD.{name}.part0 = " + json.dumps(items, indent=2), encoding="utf-8")
    return path


# --- reconstruction's invariant ---------------------------------------------------------------------
def assert_nothing_lost(result: dict, lines: list[str], source: int = 0) -> None:
    """Every non-blank line lies in exactly one part span (first sighting or also) or one dropped span."""
    from archiver.normalize import is_blank

    owners: dict[int, int] = {}
    spans = []
    for t in result["threads"]:
        for p in t["parts"]:
            if p["source"] != source or p["line_start"] is None:
                continue
            spans.append((p["line_start"], p["line_end"]))
            spans += [tuple(a) for a in p["also"]]
    spans += [(d["line_start"], d["line_end"]) for d in result["dropped"] if d["source"] == source]
    for lo, hi in spans:
        for ln in range(lo, hi + 1):
            if not is_blank(lines[ln - 1]):
                owners[ln] = owners.get(ln, 0) + 1
    for ln, line in enumerate(lines, 1):
        if is_blank(line):
            continue
        assert owners.get(ln, 0) == 1, f"line {ln} is in {owners.get(ln, 0)} spans: {line[:80]!r}"


def ingest_bytes(tmp_path: Path, data: bytes, name: str = "dump.txt") -> sqlite3.Row:
    """Write data to a file, ingest it into tmp_path/archive.db, return its sources row."""
    path = tmp_path / name
    path.write_bytes(data)
    db = tmp_path / "archive.db"
    result = run("ingest", db, path)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("select * from sources where name = ?", [name]).fetchall()
    conn.close()
    assert len(rows) == 1
    return rows[0]


def copy_archive(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """Copy an archive consistently (SQLite's backup API: WAL content included)."""
    with sqlite3.connect(str(src)) as a, sqlite3.connect(str(dst)) as b:
        a.backup(b)
    a.close()
    b.close()


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a server started by a test: terminate, wait, kill if it does not go."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
