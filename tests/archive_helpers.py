"""Shared helpers for the foundation tests: run the CLI, dump an archive's tables, make dumps.

Every archive a test looks at is built through the real save path (`archiver ingest`), never by
writing rows by hand.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from archiver.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

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
