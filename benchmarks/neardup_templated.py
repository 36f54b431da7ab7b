"""Near-duplicate amplification: the pairs, time and memory of ingesting templated paragraphs with `archiver ingest`.

    python benchmarks/neardup_templated.py                      # 30,000 paragraphs, about 2.6 MB
    python benchmarks/neardup_templated.py --paragraphs 5000 --json

A press service or a bot writes the same few sentences over and over with the slots changed: "On
{date} the {city} court fined {name} {amount} tenge for {offence}." Such paragraphs are near
duplicates of hundreds of others of their template (rapidfuzz similarity >= 0.8), so an archive
that stores every near pair it verifies stores a number of pairs that grows with the square of
the cluster. This script generates `--paragraphs` such paragraphs (three templates, slots filled
from lists of names, numbers, dates, places; seeded, so every run makes the same dump) into one
dump file, two blank lines apart (with one, reconstruction joins short paragraphs into posts of
three; with two, each is a post and a fragment of its own, as the items of a feed), and ingests it
into a new archive with `archiver ingest` in a child process (this checkout's code).

Printed: the dump's size, the ingest's wall and CPU time, the near pairs stored (and the most any one
fragment is in), the archive's size on disk, and the peak resident memory of the ingest (the
child and its worker processes). Then a check that capping the pairs leaves no fragment out: for a
sample of `--sample` fragments, how many have a near twin anywhere in the archive (each compared
with all the others with rapidfuzz, the archive's own measure) and how many of those are in no
stored pair (the MinHash candidates can miss a twin, so this is measured, not zero by
construction).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEMPLATES = [
    "On {date} the {city} court fined {name} {amount} tenge for {offence}.",
    "On {date} {name} was detained in {city} after {event} and fined.",
    "On {date} the {city} court jailed {name} for {days} days for {offence}.",
]
FIRST = ["Aigerim", "Nurlan", "Dana", "Yerlan", "Saule", "Marat", "Gulnara", "Askar", "Zhanna", "Timur",
         "Aliya", "Bauyrzhan", "Madina", "Daniyar", "Asel", "Ruslan", "Kamila", "Serik", "Aruzhan", "Olzhas"]
LAST = ["Nurlanova", "Seitkali", "Abenov", "Zhaksylykova", "Omarov", "Kassymova", "Tulegenov", "Iskakova",
        "Mukhamedzhanov", "Bekova", "Sadykov", "Dzhumabaeva", "Karimov", "Utepova", "Zhunusov", "Akhmetova"]
CITIES = ["Almaty", "Astana", "Shymkent", "Aktobe", "Karaganda", "Taraz", "Pavlodar", "Oskemen", "Semey",
          "Atyrau", "Kostanay", "Kyzylorda", "Uralsk", "Petropavl", "Aktau", "Zhanaozen", "Taldykorgan"]
OFFENCES = ["a picket", "a post", "a rally", "a banner", "a video", "a letter"]
EVENTS = ["a picket", "a rally", "a post", "a march", "a protest"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
SEPARATOR = "\n\n\n"  # two blank lines: each paragraph a post of its own


def paragraph(rng: random.Random) -> str:
    """One paragraph: a template with every slot filled at random."""
    return rng.choice(TEMPLATES).format(
        date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2024)}", city=rng.choice(CITIES),
        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", amount=f"{rng.randint(5, 90) * 5000:,}",
        offence=rng.choice(OFFENCES), event=rng.choice(EVENTS), days=rng.randint(3, 30))


def build_dump(path: Path, paragraphs: int, seed: int) -> int:
    """Write `paragraphs` templated paragraphs, two blank lines apart, to `path`; returns its size in bytes."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for _ in range(paragraphs):
            out.write(paragraph(rng) + SEPARATOR)
    return path.stat().st_size


def ingest(db: Path, dump: Path) -> tuple[float, float, dict, float]:
    """`archiver ingest DB DUMP --json` in a child process: wall seconds, CPU seconds (user and system,
    the child and its workers: what a busy machine does not change), its summary, peak RSS (MiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "archiver", "ingest", str(db), str(dump), "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"Error: archiver ingest failed: {proc.stderr.strip() or proc.stdout.strip()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss: the largest of the child and its workers
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, json.loads(proc.stdout), max(after.ru_maxrss, before.ru_maxrss) / 1024


def coverage(db: Path, sample: int, seed: int) -> dict:
    """Of `sample` fragments drawn at random, those with a near twin among all fragments (rapidfuzz,
    the archive's measure and threshold), and how many of them have no stored pair."""
    from rapidfuzz import fuzz, process

    from archiver.dedupe import MIN_CHARS, NEAR_THRESHOLD
    from archiver.neardup import fold

    conn = sqlite3.connect(db)
    rows = conn.execute("select id, text from fragments").fetchall()
    partnered = {r[0] for r in conn.execute("select fragment_a from near_duplicates union select fragment_b"
                                            " from near_duplicates")}
    conn.close()
    ids = [fid for fid, _ in rows]
    folded = [fold(text) for _, text in rows]
    eligible = [i for i, f in enumerate(folded) if len(f) >= MIN_CHARS]
    picked = random.Random(seed).sample(eligible, min(sample, len(eligible)))
    scores = process.cdist([folded[i] for i in picked], [folded[i] for i in eligible], scorer=fuzz.ratio,
                           score_cutoff=NEAR_THRESHOLD * 100, workers=-1)
    with_twin = lonely = 0
    for row, i in enumerate(picked):
        twins = int((scores[row] > 0).sum()) - 1  # itself scores 100
        if twins > 0:
            with_twin += 1
            lonely += ids[i] not in partnered
    return {"sampled": len(picked), "with_a_near_twin": with_twin, "with_a_twin_but_no_stored_pair": lonely}


def main() -> None:
    """Generate the dump, ingest it, print the figures."""
    parser = argparse.ArgumentParser(
        description="Near-duplicate amplification: N templated paragraphs (default 30,000, about 2.6 MB) ingested"
                    " with `archiver ingest` into a new archive; prints the ingest's wall and CPU seconds, the near pairs"
                    " stored, the archive's size, the ingest's peak RSS, and a sampled check that every fragment"
                    " with a near twin keeps at least one stored pair.")
    parser.add_argument("--paragraphs", type=int, default=30_000, help="paragraphs in the dump (default 30000)")
    parser.add_argument("--seed", type=int, default=11, help="generator seed (default 11)")
    parser.add_argument("--sample", type=int, default=1000,
                        help="fragments checked for a stored pair when they have a near twin (default 1000; 0: no check)")
    parser.add_argument("--workdir", type=Path, default=None, help="where the dump and archive go (default: a temp dir)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="neardup_templated_") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        dump, db = work / "templated.txt", work / "templated.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        size = build_dump(dump, args.paragraphs, args.seed)
        wall, cpu, summary, peak = ingest(db, dump)
        conn = sqlite3.connect(db)
        fragments = conn.execute("select count(*) from fragments").fetchone()[0]
        pairs = conn.execute("select count(*) from near_duplicates").fetchone()[0]
        most = conn.execute("select coalesce(max(c), 0) from (select count(*) as c from (select fragment_a as f"
                            " from near_duplicates union all select fragment_b from near_duplicates) group by f)"
                            ).fetchone()[0]
        conn.close()
        archive = sum(os.path.getsize(f"{db}{s}") for s in ("", "-wal") if os.path.exists(f"{db}{s}"))
        figures = {
            "paragraphs": args.paragraphs,
            "dump_mb": round(size / 1e6, 2),
            "fragments": fragments,
            "ingest_seconds": round(wall, 2),
            "ingest_cpu_seconds": round(cpu, 2),
            "near_pairs_stored": pairs,
            "near_pairs_reported_by_ingest": summary["fragments"]["near_duplicates"],
            "most_pairs_of_one_fragment": most,
            "archive_mb": round(archive / 1e6, 1),
            "peak_rss_mib": round(peak),
        }
        if args.sample:
            figures["coverage"] = coverage(db, args.sample, args.seed)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{figures['paragraphs']:,} templated paragraphs, {figures['dump_mb']} MB dump, "
          f"{figures['fragments']:,} fragments")
    print(f"  ingest: {figures['ingest_seconds']} s (CPU {figures['ingest_cpu_seconds']} s),"
          f" peak RSS {figures['peak_rss_mib']} MiB")
    print(f"  near pairs stored: {figures['near_pairs_stored']:,} (one fragment in at most"
          f" {figures['most_pairs_of_one_fragment']:,}), archive {figures['archive_mb']} MB")
    if "coverage" in figures:
        c = figures["coverage"]
        print(f"  sample of {c['sampled']:,} fragments: {c['with_a_near_twin']:,} have a near twin,"
              f" {c['with_a_twin_but_no_stored_pair']:,} of them no stored pair")


if __name__ == "__main__":
    main()
