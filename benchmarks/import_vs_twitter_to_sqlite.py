"""Import a generated Twitter/X export with this tool and with twitter-to-sqlite 0.22, side by side.

Generates N tweets with ../shared/bench/make_twitter_archive.py (self-reply threads, shuffled), then
runs each importer in its own process into a fresh database and prints wall time and the peak
resident memory of that process (from os.wait4's rusage of exactly that child).

- ours: `archiver import DB tweets.js` (threads rebuilt from the reply tree, full-text indexes built,
  the raw file archived), run with this interpreter.
- theirs: `twitter-to-sqlite import DB tweet.js` (it reads only a file named tweet.js), installed in
  its own virtualenv under benchmarks/out/venv on first use.

Goal: ours <= 1/3 of twitter-to-sqlite's wall time and <= 1/2 of its peak memory.
Usage: python benchmarks/import_vs_twitter_to_sqlite.py [--tweets 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
VENV = OUT / "venv"
GENERATOR = ROOT.parent / "shared" / "bench" / "make_twitter_archive.py"
T2S_VERSION = "0.22"


def ensure_twitter_to_sqlite() -> Path:
    exe = VENV / "bin" / "twitter-to-sqlite"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"twitter-to-sqlite=={T2S_VERSION}"], check=True)
    return exe


def generate(n: int) -> Path:
    folder = OUT / f"export-{n}"
    tweets = folder / "tweets.js"
    if not tweets.exists():
        if not GENERATOR.exists():
            sys.exit(f"generator not found: {GENERATOR}")
        subprocess.run([sys.executable, str(GENERATOR), str(n), str(folder)], check=True)
    twin = OUT / f"export-{n}-t2s"
    twin.mkdir(parents=True, exist_ok=True)
    if not (twin / "tweet.js").exists():
        shutil.copyfile(tweets, twin / "tweet.js")
    return folder


def run(cmd: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def fresh(db: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return db


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tweets", type=int, default=100_000, help="tweets in the generated export (default 100000)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each tool (alternating); medians are reported")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    t2s = ensure_twitter_to_sqlite()
    folder = generate(args.tweets)
    tweets = folder / "tweets.js"
    size_mb = tweets.stat().st_size / 1e6
    ours_db, theirs_db = OUT / "ours.db", OUT / "theirs.db"
    ours, theirs = [], []
    for _ in range(args.runs):
        ours.append(run([sys.executable, "-m", "archiver", "import", str(fresh(ours_db)), str(tweets)]))
        theirs.append(run([str(t2s), "import", str(fresh(theirs_db)), str(OUT / f"export-{args.tweets}-t2s" / "tweet.js")]))
    conn = sqlite3.connect(ours_db)
    threads = conn.execute("select count(*) from threads where kind = 'thread'").fetchone()[0]
    posts = conn.execute("select count(*) from threads where kind = 'post'").fetchone()[0]
    parts = conn.execute("select count(*) from thread_parts").fetchone()[0]
    fts = conn.execute("select count(*) from fragments_fts").fetchone()[0]
    conn.close()
    rows = sqlite3.connect(theirs_db).execute("select count(*) from archive_tweet").fetchone()[0]

    def med(values, i):
        return statistics.median(v[i] for v in values)

    ow, om, oc = med(ours, 0), med(ours, 1) / 1024, med(ours, 2)
    tw, tm, tc = med(theirs, 0), med(theirs, 1) / 1024, med(theirs, 2)
    print(f"export: {args.tweets:,} tweets, {size_mb:.1f} MB ({tweets})   runs: {args.runs} each, medians")
    print(f"{'tool':<34}{'wall s':>8}{'cpu s':>8}{'peak MB':>10}   result")
    print(f"{'thread-archiver import':<34}{ow:>8.2f}{oc:>8.2f}{om:>10.0f}   {threads:,} threads + {posts:,} posts,"
          f" {parts:,} parts, {fts:,} rows in full-text index, raw file archived")
    print(f"{'twitter-to-sqlite ' + T2S_VERSION + ' import':<34}{tw:>8.2f}{tc:>8.2f}{tm:>10.0f}   {rows:,} rows in archive_tweet,"
          " no threads, no full-text index")
    print(f"ratio ours/theirs: wall {ow / tw:.2f} (goal <= 0.33), cpu {oc / tc:.2f},"
          f" peak memory {om / tm:.2f} (goal <= 0.50)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (wall times need an idle machine)")
    print("all runs (wall s, cpu s, peak MB): ours " + ", ".join(f"({w:.2f}, {c:.2f}, {m / 1024:.0f})" for w, m, c in ours)
          + "; theirs " + ", ".join(f"({w:.2f}, {c:.2f}, {m / 1024:.0f})" for w, m, c in theirs))


if __name__ == "__main__":
    main()
