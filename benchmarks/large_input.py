"""Large single inputs: time, MB/s and peak memory of ingesting a 200 MB dump and a 20 MB single line.

    python benchmarks/large_input.py                 # 50 MB and 200 MB dumps, the 20 MB line
    python benchmarks/large_input.py --sizes 50      # a smaller run

The dumps are the scale benchmark's generated dump files (benchmarks/scale.py: threads rendered
with the noise real pastes carry, about 1,000,000 fragments in 200 MB) concatenated into one file
of the size asked for; the single line is the start of that text with its line ends turned into
spaces. Each file is ingested into a new archive by `archiver ingest` in a child process; the
script prints wall time, MB/s and the peak resident memory of the child and of its own children
(worker processes), and for two dump sizes the time ratio against the size ratio (linear time
gives equal ratios).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import OUT, build_corpus  # noqa: E402

WORK = HERE / "out" / "large"


def build_dump(megabytes: int) -> Path:
    """One dump file of about `megabytes` MB made of the 1M scale corpus's dump files, in order."""
    path = WORK / f"dump-{megabytes}mb.txt"
    target = megabytes * 1_000_000
    if path.exists() and abs(path.stat().st_size - target) < 1_000_000:
        return path
    corpus = OUT / "1m"
    build_corpus(1_000_000, corpus, 10)
    WORK.mkdir(parents=True, exist_ok=True)
    size = 0
    with open(path, "wb") as out:
        for f in sorted((corpus / "corpus").glob("*.txt")):
            data = f.read_bytes()
            if size + len(data) > target:
                data = data[:target - size]
                data = data[:data.rfind(b"\n") + 1]
            out.write(data + b"\n\n")
            size += len(data) + 2
            if size >= target - 2:
                break
    return path


def build_line(megabytes: int, source: Path) -> Path:
    """One line of `megabytes` MB: the dump's text with its line ends as spaces."""
    path = WORK / f"line-{megabytes}mb.txt"
    if not path.exists():
        with open(source, "rb") as f:
            data = f.read(megabytes * 1_000_000)
        path.write_bytes(data.replace(b"\r", b" ").replace(b"\n", b" ").decode("utf-8", "ignore").encode("utf-8"))
    return path


CHILD = """
import json, resource, sys, time
from archiver.ingest import ingest_sources
from archiver.stream import read_input
t = time.perf_counter()
summary = ingest_sources(sys.argv[1], [(sys.argv[2], read_input(sys.argv[2]))])
print(json.dumps(summary.to_json()))
print(json.dumps({"wall": time.perf_counter() - t, "seconds": summary.seconds,
                  "self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "children_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), file=sys.stderr)
"""


def ingest(path: Path, with_floor: bool = False) -> dict:
    """Ingest one file into a new archive in a child process; wall time and peak memory."""
    db = WORK / (path.stem + ".db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(db), str(path)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"ingest of {path} failed:\n{proc.stderr}")
    inner = json.loads(proc.stderr.strip().splitlines()[-1])
    summary = json.loads(proc.stdout)
    floor = None
    if with_floor:  # the same rows inserted with plain executemany in one transaction + FTS rebuild
        out = WORK / (path.stem + "-floor.json")
        subprocess.run([sys.executable, str(HERE / "scale.py"), "_floor", str(db), str(WORK / "floor.db"), str(out)],
                       check=True, capture_output=True)
        floor = json.loads(out.read_text())["total"]
        for suffix in ("", "-wal", "-shm"):
            Path(str(WORK / "floor.db") + suffix).unlink(missing_ok=True)
    return {"file": path.name, "mb": path.stat().st_size / 1e6, "wall": wall, "inner": inner["wall"],
            "seconds": inner["seconds"], "floor": floor,
            "peak_mib": inner["self_kib"] / 1024, "children_peak_mib": inner["children_kib"] / 1024,
            "fragments": summary["fragments"]["new"], "threads": summary["threads"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="50,200", help="dump sizes in MB")
    ap.add_argument("--line", type=int, default=20, help="single-line size in MB (0: none)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    rows = []
    dumps = [build_dump(mb) for mb in sizes]
    files = dumps + ([build_line(args.line, dumps[0])] if args.line else [])
    for path in files:
        print(f"ingesting {path.name} ...", flush=True)
        row = ingest(path, with_floor=path in dumps)
        rows.append(row)
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(row["seconds"].items()))
        print(f"  {row['mb']:.0f} MB: {row['wall']:.1f} s ({row['mb'] / row['wall']:.2f} MB/s), "
              f"peak RSS {row['peak_mib']:.0f} MiB (worker processes {row['children_peak_mib']:.0f} MiB), "
              f"{row['fragments']:,} fragments, {row['threads']:,} threads", flush=True)
        print(f"    in process: {steps}" + (f"; plain-sqlite floor for the same rows {row['floor']:.1f} s"
                                            if row["floor"] else ""), flush=True)
    limit = 1024
    for row in rows:
        total = row["peak_mib"] + row["children_peak_mib"]
        print(f"{'PASS' if total <= limit else 'FAIL'} {row['file']}: peak {total:.0f} MiB <= {limit} MiB")
    if len(sizes) > 1:
        a, b = rows[0], rows[len(sizes) - 1]
        ratio, size_ratio = b["wall"] / a["wall"], b["mb"] / a["mb"]
        print(f"{'PASS' if ratio <= size_ratio * 1.1 else 'FAIL'} linear time: {b['mb']:.0f} MB / {a['mb']:.0f} MB"
              f" time x{ratio:.2f} for size x{size_ratio:.2f}")
        for step in sorted(set(a["seconds"]) & set(b["seconds"])):
            if a["seconds"][step] > 0.5:
                print(f"     {step}: x{b['seconds'][step] / a['seconds'][step]:.2f}")
        if a["floor"] and b["floor"]:
            print(f"     plain-sqlite floor for the same rows: x{b['floor'] / a['floor']:.2f}")
    out = WORK / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(rows, indent=1))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
