"""Replay an archive's rows into fresh databases, with parts and sightings referring to fragments
and threads in three ways: by content-hash id only (schema version 1), by id and by rowid with the
indexes on the rowids (version 2, archiver/db.py today), and by rowid only.

    python benchmarks/scale.py --sizes 1m --stages ingest      # makes benchmarks/out/scale/1m/archive.db
    python benchmarks/replay_refs.py benchmarks/out/scale/1m/archive.db --small 94365 --runs 2

The fragments, threads, thread_parts and sightings rows are written source by source in the order
the archive stored them, committed every `--group` fragments (about what a bulk ingest commits in
5 seconds at 1M), with the archive's indexes on those tables: once for the first `--small` fragments
and once for all of them. Texts are cut to 60 characters and there is no full-text index: what is
measured is the B-tree work of the references (docs/performance-log.md, "2026-12-06"). Prints the
seconds per run and the growth from the small run to the full one.

With `--bands`, the near-duplicate index's rows (`fragment_bands`) are replayed as well, in key order
as the one pass writes them: with the 16-character fragment id (today) and with the id's 64 bits as
an integer (order kept); prints the seconds and the table's size.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from pathlib import Path

TABLES = """
    create table fragments (id text unique, hash text, kind text, text text, chars int, first_source_id int);
    create table threads (id text unique, kind text, title text, author text, total int, first_source_id int);
    create index t_a on threads (author);
"""


def refs(fragment: str, thread: str, ref: str, ids: str = "", more: str = "") -> str:
    """The parts and sightings tables with their indexes (as archiver/db.py makes them), referring to
    fragments and threads through columns `fragment` and `thread` of type `ref`; `ids` adds columns
    to both, `more` statements."""
    return TABLES + f"""
        create table thread_parts ({thread} {ref}, n int, {fragment} {ref}, marker text{ids},
                                   primary key ({thread}, n, {fragment}));
        create index tp_f on thread_parts ({fragment});
        create table sightings (id integer primary key, {fragment} {ref} not null, source_id int not null,
                                line_start int, line_end int, {thread} {ref}, n int{ids});
        create unique index s_u on sightings ({fragment}, source_id, line_start, line_end);
        create index s_src on sightings (source_id);
        create index s_tn on sightings ({thread}, n);
        create index s_st on sightings (source_id, {thread});
    """ + more


SCHEMAS = {
    "ids (v1)": refs("fragment_id", "thread_id", "text"),
    "ids+rowids (v2)": refs("fragment_rowid", "thread_rowid", "int", ", fragment_id text, thread_id text",
                            "create index tp_t on thread_parts (thread_id);"),
    "rowids only": refs("fragment", "thread", "int"),
}


def load_rows(archive: Path) -> dict:
    """The archive's rows, in the order it stored them, grouped by the source that added them."""
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    rows = {
        "fragments": conn.execute("select rowid, id, hash, kind, substr(text, 1, 60), chars, first_source_id"
                                  " from fragments order by rowid").fetchall(),
        "threads": conn.execute("select rowid, id, kind, title, author, total, first_source_id"
                                " from threads order by rowid").fetchall(),
        "parts": conn.execute("select p.thread_id, p.n, p.fragment_id, p.marker, t.first_source_id from thread_parts p"
                              " join threads t on t.id = p.thread_id order by p.rowid").fetchall(),
        "sightings": conn.execute("select fragment_id, source_id, line_start, line_end, thread_id, n"
                                  " from sightings order by id").fetchall(),
    }
    rows["fragment_rowid"] = {r[1]: r[0] for r in rows["fragments"]}
    rows["thread_rowid"] = {r[1]: r[0] for r in rows["threads"]}
    conn.close()
    return rows


def replay(rows: dict, schema: str, fragments: int, group: int, folder: Path) -> tuple[float, float]:
    """Write the rows of the sources that added the first `fragments` fragments; (seconds, of which commits)."""
    path = folder / f"replay-{schema.split()[0]}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = wal", "synchronous = normal", "cache_size = -524288", "wal_autocheckpoint = 100000"):
        conn.execute(f"pragma {pragma}")
    conn.executescript(SCHEMAS[schema])
    by_source: dict[int, list[list]] = {}
    for f in rows["fragments"]:
        if f[0] > fragments:
            break
        by_source.setdefault(f[6], [[], [], [], []])[0].append(f)
    last = max(by_source)
    for t in rows["threads"]:
        if t[6] <= last:
            by_source.setdefault(t[6], [[], [], [], []])[1].append(t)
    for p in rows["parts"]:
        if p[4] <= last:
            by_source.setdefault(p[4], [[], [], [], []])[2].append(p)
    for s in rows["sightings"]:
        if s[1] <= last:
            by_source.setdefault(s[1], [[], [], [], []])[3].append(s)
    fid, tid = rows["fragment_rowid"], rows["thread_rowid"]
    start = time.perf_counter()
    commits = 0.0
    since = 0
    conn.execute("begin")
    for source in sorted(by_source):
        frs, ths, parts, sightings = by_source[source]
        conn.executemany("insert into fragments (rowid, id, hash, kind, text, chars, first_source_id)"
                         " values (?, ?, ?, ?, ?, ?, ?)", frs)
        conn.executemany("insert into threads (rowid, id, kind, title, author, total, first_source_id)"
                         " values (?, ?, ?, ?, ?, ?, ?)", ths)
        if schema == "ids (v1)":
            conn.executemany("insert or ignore into thread_parts values (?, ?, ?, ?)", [p[:4] for p in parts])
            conn.executemany("insert or ignore into sightings (fragment_id, source_id, line_start, line_end, thread_id, n)"
                             " values (?, ?, ?, ?, ?, ?)", sightings)
        elif schema == "ids+rowids (v2)":
            conn.executemany("insert or ignore into thread_parts (thread_id, n, fragment_id, marker, thread_rowid,"
                             " fragment_rowid) values (?, ?, ?, ?, ?, ?)",
                             [(*p[:4], tid[p[0]], fid[p[2]]) for p in parts])
            conn.executemany("insert or ignore into sightings (fragment_id, source_id, line_start, line_end, thread_id, n,"
                             " fragment_rowid, thread_rowid) values (?, ?, ?, ?, ?, ?, ?, ?)",
                             [(*s, fid[s[0]], tid.get(s[4])) for s in sightings])
        else:
            conn.executemany("insert or ignore into thread_parts values (?, ?, ?, ?)",
                             [(tid[p[0]], p[1], fid[p[2]], p[3]) for p in parts])
            conn.executemany("insert or ignore into sightings (fragment, source_id, line_start, line_end, thread, n)"
                             " values (?, ?, ?, ?, ?, ?)",
                             [(fid[s[0]], s[1], s[2], s[3], tid.get(s[4]), s[5]) for s in sightings])
        since += len(frs)
        if since >= group:
            at = time.perf_counter()
            conn.execute("commit")
            commits += time.perf_counter() - at
            conn.execute("begin")
            since = 0
    at = time.perf_counter()
    conn.execute("commit")
    commits += time.perf_counter() - at
    seconds = time.perf_counter() - start
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return seconds, commits


def replay_bands(archive: Path, folder: Path) -> None:
    """Write the archive's band rows into a new table, text ids against 64-bit integer ids; print time and size."""
    import numpy as np

    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    rows = conn.execute("select key, fragment_id from fragment_bands order by key, fragment_id").fetchall()
    conn.close()
    keys = np.array([r[0] for r in rows], dtype=np.int64)
    ids = sorted({r[1] for r in rows})
    at = {fid: i for i, fid in enumerate(ids)}
    owners = np.array([at[r[1]] for r in rows], dtype=np.int64)
    del rows, at
    # the id's 64 bits with the top bit flipped, read as a signed integer: the same order as the hex text
    ints = (np.array([int(fid, 16) for fid in ids], dtype=np.uint64) ^ np.uint64(1 << 63)).view(np.int64)
    variants = {"text": ("text", 16, np.array(ids, dtype="S16")),
                "integer": ("integer", 20, np.array([f"{v:+020d}" for v in ints.tolist()], dtype="S20"))}
    for name, (kind, width, fixed) in variants.items():
        path = folder / f"bands-{name}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("pragma journal_mode = wal")
        conn.execute(f"create table fragment_bands (key integer not null, fragment {kind} not null,"
                     " primary key (key, fragment)) without rowid")
        start = time.perf_counter()
        conn.execute("begin")
        for b in range(0, len(keys), 250_000):  # as neardup._insert_bands writes them
            conn.execute(f"insert or ignore into fragment_bands select k.value, cast(substr(?2, k.key * {width} + 1,"
                         f" {width}) as {kind}) from json_each(?1) k",
                         [json.dumps(keys[b:b + 250_000].tolist()), fixed[owners[b:b + 250_000]].tobytes()])
        conn.execute("commit")
        seconds = time.perf_counter() - start
        conn.execute("pragma wal_checkpoint(truncate)")
        conn.close()
        print(f"band rows ({len(keys):,}) with {name} ids: {seconds:5.2f} s, {path.stat().st_size / 2**20:,.0f} MB")
        path.unlink()


def main() -> None:
    """Run the replays and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path, help="an archive made by archiver ingest (e.g. scale.py's 1m archive.db)")
    parser.add_argument("--small", type=int, default=94_365, help="fragments in the small run (default: the 100k corpus's)")
    parser.add_argument("--group", type=int, default=70_000, help="fragments per commit")
    parser.add_argument("--runs", type=int, default=2, help="replays of each layout (default 2)")
    parser.add_argument("--work", type=Path, default=None, help="folder for the replay databases (default: a temporary one)")
    parser.add_argument("--bands", action="store_true", help="also replay the near-duplicate index's rows")
    args = parser.parse_args()
    rows = load_rows(args.archive)
    print(f"{args.archive}: {len(rows['fragments']):,} fragments, {len(rows['threads']):,} threads,"
          f" {len(rows['parts']):,} parts, {len(rows['sightings']):,} sightings")
    with tempfile.TemporaryDirectory(dir=args.work) as folder:
        for run in range(1, args.runs + 1):
            for schema in SCHEMAS:
                small, _ = replay(rows, schema, args.small, args.group, Path(folder))
                full, commits = replay(rows, schema, len(rows["fragments"]), args.group, Path(folder))
                print(f"run {run}, refs by {schema:15}: {args.small:,} fragments {small:6.2f} s,"
                      f" all {full:6.2f} s (commits {commits:5.2f} s): x{full / small:.2f}", flush=True)
        if args.bands:
            replay_bands(args.archive, Path(folder))


if __name__ == "__main__":
    main()
