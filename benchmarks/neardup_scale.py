"""Near-duplicate detection at scale: 200,000 and 1,000,000 fragments, with planted near-duplicates.

    python benchmarks/neardup_scale.py                 # both sizes, each in its own process
    python benchmarks/neardup_scale.py --size 200000   # one size

Fragments are built from the real corpora in ../shared/corpora (the `Tweets` lists of the
PaperTweet CSVs, read with ast.literal_eval, and the post contents of the two Mastodon outboxes):
every real text once, then texts varied from them until the size is reached, each a word-level
Markov walk (order 1) over the corpus with its links replaced by fresh t.co links and its reply
handles drawn anew, so vocabulary, lengths and local word order are real while every fragment is
distinct. 1% of the fragments are planted near-duplicates: an edit of another
fragment (a prefix such as "Recall, " or "UPDATE:", a tag or emoji appended, words deleted,
replaced or inserted, a typo, a truncation with "…"), kept only when its similarity to the original
(rapidfuzz ratio of the folded texts, the archive's own measure) is at least the 0.8 threshold, so
every planted pair is a pair the archive should report. Fragments are shuffled, so a copy comes
before or after its original, in the same chunk or far apart.

Each size runs in a fresh process. The fragments are written into a real archive (`open_db`; the
full-text trigger is dropped for the load, which is not what is measured), then
`archiver.neardup.index_pending` indexes all of them in one transaction, as a large import would:
a backlog this size takes the one-pass path (MinHash signatures computed 5,000 texts at a time,
the backlog's band keys sorted in memory to pair its fragments, the stored keys probed once,
candidates verified with rapidfuzz, the keys written in key order). `--chunked` makes it take the
path of an ingest instead: 5,000 fragments at a time, each chunk probed against the stored keys
of everything before it and then added to them (the same pairs; B-tree lookups and inserts into
an ever larger index). Printed: detection time (wall and CPU), peak memory of the process
(ru_maxrss), recall of the planted pairs, candidates verified, time per step and the index size.
Then 100 small ingests of 50 fragments (5 planted copies of archived fragments each) run against
the full archive, each its own transaction, through the ingest path.

Targets: at most 10 minutes and 4 GB for 1,000,000 fragments on the 2-core machine,
recall >= 0.95, and the 1M detection time at most 6 times the 200k one.
"""

from __future__ import annotations

import argparse
import ast
import csv
import glob
import html
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archiver.db import open_db  # noqa: E402
from archiver.neardup import fold, index_pending, similarity_folded  # noqa: E402
from archiver.normalize import content_hash  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
PLANT_SHARE = 0.01
MIN_CHARS = 40
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]{3,}")
_TAG = re.compile(r"<[^>]+>")


def corpus_texts() -> list[str]:
    """Every post text of the PaperTweet threads and the Mastodon outboxes, in file order."""
    out: list[str] = []
    for path in sorted(glob.glob(str(CORPORA / "papertweet" / "*.csv"))):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                try:
                    tweets = ast.literal_eval(row["Tweets"])
                except (ValueError, SyntaxError):
                    continue
                out += [t for t in tweets if isinstance(t, str)]
    for path in sorted(glob.glob(str(CORPORA / "mastodon-*" / "outbox.json"))):
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        for item in doc.get("orderedItems", []):
            obj = item.get("object")
            if isinstance(obj, dict) and obj.get("content"):
                text = re.sub(r"<br\s*/?>|</p>", "\n", obj["content"])
                out.append(html.unescape(_TAG.sub("", text)).strip())
    return [t for t in out if t.strip()]


def _tokens(text: str) -> list[str]:
    out = []
    for w in text.split():
        if _CJK.search(w) and len(w) > 3:  # Chinese runs have no spaces: walk them two characters at a time
            out += [w[i:i + 2] for i in range(0, len(w), 2)]
        else:
            out.append(w)
    return out


class Varier:
    """Order-1 word Markov walks over the corpus: new distinct texts with the corpus's words and lengths."""

    def __init__(self, texts: list[str]):
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        self.lengths: list[int] = []
        for t in texts:
            toks = _tokens(t)
            if not toks:
                continue
            self.starts.append(toks[0])
            self.lengths.append(len(toks))
            for a, b in zip(toks, toks[1:]):
                self.next[a].append(b)
        self.vocab = sorted(self.next)
        self.handles = sorted({w for w in self.vocab if w.startswith("@")}) or ["@someone"]

    def text(self, rng: random.Random) -> str:
        n = max(8, rng.choice(self.lengths))
        w = rng.choice(self.starts)
        out = [w]
        while len(out) < n:
            nxt = self.next.get(w)
            w = rng.choice(nxt) if nxt else rng.choice(self.vocab)
            out.append(w)
        # as in real posts, every link is its own (t.co) and reply handles vary
        return " ".join(_link(rng) if t.startswith("http") else rng.choice(self.handles) if t.startswith("@") else t
                        for t in out)


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _link(rng: random.Random) -> str:
    return "https://t.co/" + "".join(rng.choice(_ALNUM) for _ in range(10))


PREFIXES = ["Recall,", "RT", "UPDATE:", "Reminder:", "Breaking:", "ICYMI", "Thread:", "Important:"]
SUFFIXES = ["#Kazakhstan", "🧵", "(via @monitor)", "👇", "More soon.", "Please share."]


def edit(rng: random.Random, text: str, vocab: list[str]) -> str:
    """A reworded copy: 1 to 3 edits of the kinds seen in reposts."""
    words = text.split()
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        if op < 0.15:
            words[0:0] = [rng.choice(PREFIXES)]
        elif op < 0.3:
            words.append(rng.choice(SUFFIXES))
        elif op < 0.5 and len(words) > 6:
            i = rng.randrange(len(words))
            del words[i:i + rng.randint(1, 3)]
        elif op < 0.7:
            for _ in range(rng.randint(1, 2)):
                words[rng.randrange(len(words))] = rng.choice(vocab)
        elif op < 0.8:
            i = rng.randrange(len(words) + 1)
            words[i:i] = [rng.choice(vocab) for _ in range(rng.randint(1, 2))]
        elif op < 0.9:
            i = rng.randrange(len(words))
            w = words[i]
            if len(w) > 3:
                j = rng.randrange(len(w) - 1)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        elif len(words) > 8:
            words = words[:rng.randint(int(len(words) * 0.8), len(words) - 1)] + ["…"]
    return " ".join(words)


def build(size: int, seed: int = 20240601) -> tuple[list[str], list[tuple[int, int]], list[str]]:
    """`size` distinct texts (real ones first, then varied), 1% of them planted edits of others.

    Returns the texts in ingest order, the planted pairs as (original index, copy index), and the
    vocabulary edits draw from.
    """
    rng = random.Random(seed)
    real = corpus_texts()
    varier = Varier(real)
    seen: set[str] = set()
    texts: list[str] = []

    def add(t: str) -> bool:
        h = content_hash(t)
        if h in seen:
            return False
        seen.add(h)
        texts.append(t)
        return True

    plants = int(size * PLANT_SHARE)
    for t in real:
        if len(texts) < size - plants:
            add(t)
    while len(texts) < size - plants:
        add(varier.text(rng))
    originals: list[tuple[int, str]] = []
    while len(originals) < plants:
        i = rng.randrange(len(texts))
        if len(fold(texts[i])) < MIN_CHARS:
            continue
        copy = planted_copy(rng, texts[i], varier.vocab)
        if copy is not None and add(copy):
            originals.append((i, copy))
    order = list(range(len(texts)))
    rng.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    shuffled = [texts[i] for i in order]
    copy_index = {t: position[len(texts) - plants + k] for k, (_, t) in enumerate(originals)}
    planted = [(position[i], copy_index[t]) for i, t in originals]
    return shuffled, planted, varier.vocab


def planted_copy(rng: random.Random, text: str, vocab: list[str]) -> str | None:
    """An edited copy of `text` at or above the similarity threshold, or None."""
    folded = fold(text)
    for _ in range(20):
        copy = edit(rng, text, vocab)
        if len(fold(copy)) >= MIN_CHARS and fold(copy) != folded and similarity_folded(folded, fold(copy)):
            return copy
    return None


def fragment_row(text: str, now: str) -> tuple:
    h = content_hash(text)
    return (h[:16], h, "post", text, len(text), None, now)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(size: int, workdir: Path, chunked: bool = False) -> dict:
    t0 = time.perf_counter()
    texts, planted, vocab = build(size + 5000)  # the last 5,000 arrive later, in small ingests
    later = texts[size:]
    texts = texts[:size]
    planted_bulk = [(a, b) for a, b in planted if a < size and b < size]
    generated = time.perf_counter() - t0
    path = workdir / f"neardup_{size}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path)
    conn = db.conn
    now = "2024-06-01T00:00:00+00:00"
    t1 = time.perf_counter()
    conn.execute("drop trigger if exists fragments_ai")  # the load is not what is measured
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("insert into fragments (id, hash, kind, text, chars, first_source_id, first_seen_at)"
                     " values (?, ?, ?, ?, ?, ?, ?)", (fragment_row(t, now) for t in texts))
    conn.execute("COMMIT")
    loaded = time.perf_counter() - t1
    ids = [content_hash(t)[:16] for t in texts]
    known = set(ids)
    del texts
    t2, c2 = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    result = index_pending(conn, now, bulk=None if not chunked else False)
    conn.execute("COMMIT")
    detect, detect_cpu = time.perf_counter() - t2, time.process_time() - c2
    rss_after_detect = rss_mb()
    found = _found(conn, [(ids[a], ids[b]) for a, b in planted_bulk])
    pairs_total = conn.execute("select count(*) from near_duplicates").fetchone()[0]
    bands = conn.execute("select count(*) from fragment_bands").fetchone()[0]

    # Small ingests against the full archive: 50 fragments each, 5 of them copies of archived fragments.
    rng = random.Random(7)
    plain = [t for t in later if len(fold(t)) >= MIN_CHARS]
    latencies = []
    small_planted: list[tuple[str, str]] = []
    archived = conn.execute("select id, text from fragments where chars >= 60 order by random() limit 2000").fetchall()
    for k in range(100):
        batch = plain[k * 45:(k + 1) * 45]
        for _ in range(5):
            for _try in range(20):
                fid, text = rng.choice(archived)
                copy = planted_copy(rng, text, vocab)
                if copy and content_hash(copy)[:16] not in known:
                    batch.append(copy)
                    small_planted.append((fid, content_hash(copy)[:16]))
                    break
        ts = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("insert or ignore into fragments (id, hash, kind, text, chars, first_source_id, first_seen_at)"
                         " values (?, ?, ?, ?, ?, ?, ?)", (fragment_row(t, now) for t in batch))
        index_pending(conn, now)
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - ts)
    small_found = _found(conn, small_planted)
    size_mb = sum(os.path.getsize(f"{path}{s}") for s in ("", "-wal") if os.path.exists(f"{path}{s}")) / 1e6
    conn.close()
    latencies.sort()
    return {
        "fragments": size,
        "planted_pairs": len(planted_bulk),
        "recall": round(found / max(1, len(planted_bulk)), 4),
        "mode": "chunked" if chunked else "one pass",
        "detect_seconds": round(detect, 1),
        "detect_cpu_seconds": round(detect_cpu, 1),
        "per_fragment_us": round(detect / size * 1e6, 1),
        "peak_rss_mb_after_detect": round(rss_after_detect),
        "candidates_verified": result.candidates,
        "step_seconds": {k: round(v, 1) for k, v in result.seconds.items()},
        "near_pairs_stored": pairs_total,
        "fragments_banded": result.banded,
        "band_rows": bands,
        "generate_seconds": round(generated, 1),
        "load_seconds": round(loaded, 1),
        "db_mb": round(size_mb),
        "small_ingests": len(latencies),
        "small_ingest_ms_median": round(statistics.median(latencies) * 1000, 1),
        "small_ingest_ms_p95": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
        "small_ingest_recall": round(small_found / max(1, len(small_planted)), 4),
        "peak_rss_mb": round(rss_mb()),
    }


def _found(conn: sqlite3.Connection, pairs: list[tuple[str, str]]) -> int:
    found = 0
    for a, b in pairs:
        x, y = sorted((a, b))
        found += conn.execute("select 1 from near_duplicates where fragment_a = ? and fragment_b = ?",
                              [x, y]).fetchone() is not None
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, action="append", help="fragments (repeatable); default 200000 and 1000000")
    parser.add_argument("--workdir", type=Path, default=None, help="where the benchmark archives go (default: a temp dir)")
    parser.add_argument("--json", action="store_true", help="print one JSON document per size")
    parser.add_argument("--chunked", action="store_true",
                        help="index the fragments 5,000 at a time against the stored keys, as ingests do,"
                             " instead of the one-pass path a large backlog takes")
    args = parser.parse_args()
    if args.size and len(args.size) == 1:
        workdir = args.workdir or Path(tempfile.mkdtemp(prefix="neardup_"))
        figures = run_size(args.size[0], workdir, chunked=args.chunked)
        print(json.dumps(figures))
        return
    sizes = args.size or [200_000, 1_000_000]
    results = []
    with tempfile.TemporaryDirectory(prefix="neardup_") as tmp:
        for size in sizes:
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, __file__, "--size", str(size), "--workdir", str(args.workdir or tmp),
                                   *(["--chunked"] if args.chunked else [])], capture_output=True, text=True)
            if proc.returncode:
                sys.exit(proc.stderr)
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            figures["process_seconds"] = round(time.perf_counter() - started, 1)
            results.append(figures)
            for p in Path(args.workdir or tmp).glob(f"neardup_{size}.db*"):
                p.unlink()
            if args.json:
                print(json.dumps(figures))
            else:
                _print(figures)
    if len(results) >= 2 and not args.json:
        small, big = results[0], results[-1]
        ratio = big["detect_seconds"] / small["detect_seconds"]
        cpu = big["detect_cpu_seconds"] / small["detect_cpu_seconds"]
        print(f"scaling: {big['fragments']:,} / {small['fragments']:,} fragments -> detection time x{ratio:.2f}"
              f" (CPU time x{cpu:.2f}; data x{big['fragments'] / small['fragments']:.1f}; limit x6)")


def _print(f: dict) -> None:
    print(f"{f['fragments']:,} fragments ({f['planted_pairs']:,} planted near-duplicate pairs)")
    print(f"  detection ({f['mode']}): {f['detect_seconds']} s, CPU {f['detect_cpu_seconds']} s "
          f"({f['per_fragment_us']} us/fragment), "
          f"recall of planted pairs {f['recall']}, peak memory {f['peak_rss_mb']} MB")
    print("  steps: " + ", ".join(f"{k} {v} s" for k, v in f["step_seconds"].items()))
    print(f"  candidates verified {f['candidates_verified']:,}, near pairs stored {f['near_pairs_stored']:,}, "
          f"band rows {f['band_rows']:,}, archive {f['db_mb']} MB")
    print(f"  100 ingests of 50 fragments into the full archive: median {f['small_ingest_ms_median']} ms, "
          f"p95 {f['small_ingest_ms_p95']} ms, recall {f['small_ingest_recall']}")
    print(f"  (generating {f['generate_seconds']} s, loading {f['load_seconds']} s, whole process "
          f"{f.get('process_seconds', '?')} s)")


if __name__ == "__main__":
    main()
