"""Parse throughput: reconstruction alone (`parse`) of 10 MB and 50 MB dumps built from ../shared/corpora, in MB/s.

Prints MB/s for each size and the 50 MB / 10 MB time ratio (linear growth gives about 5).
Usage: python benchmarks/parse_throughput.py [--sizes 10,50]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import random
import sys

from archiver.models import Source
from archiver.parse import parse_sources

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import load_threads, render_dump  # noqa: E402


def build_dump(megabytes: int, seed: int = 1) -> str:
    """Real threads rendered with the noise real pastes carry, until the text reaches the size."""
    rng = random.Random(seed)
    threads = load_threads()
    target = megabytes * 1_000_000
    out, size = [], 0
    while size < target:
        piece = render_dump(rng.sample(threads, rng.randint(1, 5)), rng).text()
        out.append(piece)
        size += len(piece.encode("utf-8"))
    return "\n\n".join(out)


def time_parse(text: str) -> float:
    raw = text.encode("utf-8")
    source = Source(name="bench.txt", kind="file", raw=raw, text=text, encoding="utf-8")
    t0 = time.perf_counter()
    parse_sources([source])
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10,50", help="comma-separated dump sizes in MB (default 10,50)")
    sizes = [int(s) for s in ap.parse_args().sizes.split(",")]
    times = {}
    for mb in sizes:
        text = build_dump(mb)
        seconds = time_parse(text)
        times[mb] = seconds
        print(f"{mb:>4} MB  {seconds:8.2f} s  {len(text.encode()) / 1e6 / seconds:6.2f} MB/s")
    if len(sizes) == 2:
        a, b = sizes
        print(f"time ratio {b} MB / {a} MB: {times[b] / times[a]:.2f} (size ratio {b / a:.1f})")


if __name__ == "__main__":
    main()
