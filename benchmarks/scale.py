"""Scale benchmark: ingest time and memory against a plain-sqlite floor, read latency and growth, up to 1M fragments.

    python benchmarks/scale.py --sizes 100k,300k,1m      # the full run (about an hour on 2 cores)
    python benchmarks/scale.py --quick                   # 10k and 30k fragments, a few minutes
    python benchmarks/scale.py --sizes 1m --profile      # also a cProfile of the ingest
    python benchmarks/scale.py --sizes 100k,1m --stages none --pairs 3     # growth over back-to-back pairs

For each size N (fragments) it:

1. builds a corpus of dump files in benchmarks/out/scale/<N>/corpus/ (cached; rebuilt when the
   generator changes). Threads are rendered with benchmarks/corpus.py (`render_dump`: markers in
   many styles, dropped parts, chrome in English and French, spacer lines, status URLs,
   re-pasted posts, abstracts glued after threads) from synthetic sources whose post texts are
   spliced from 3-8 word spans of the real PaperTweet posts (`load_threads`), so the vocabulary,
   lengths and word order are real while nearly every fragment is distinct. Planted on top:
   exact reposts of earlier threads in later dumps (cross-dump merges and exact duplicates),
   near-duplicate variants of earlier posts (one edit: a typo, a word dropped or replaced, a tag
   or emoji appended), and 100-part threads numbered n/100 for the thread-page latency. The
   renders are concatenated into dump files of 40-200 KB (about 100 KB on average). Three more
   ~100 KB dumps (new threads plus a repost and a near variant of archived ones) are written
   beside the corpus for the incremental ingest.
2. ingest: runs the real `archiver ingest archive.db corpus/ --json` command in a child process
   (from scratch: reconstruction, deduplication, near-duplicates and FTS included), with timers
   wrapped around the stages (reading, parsing, near-duplicate indexing, FTS rebuild when the
   ingest has one), and reads the child's peak RSS.
3. floor: a child process reads every row of the finished archive, then inserts the same rows
   into an empty database with the same tables and indexes (no triggers) with plain sqlite3
   `executemany` in one transaction, plus an FTS5 'rebuild' of each full-text index. Our ingest
   time is printed as a multiple of that.
4. latency: starts a real Datasette (`archiver.serve.datasette_args`) on a free loopback port and
   times, with httpx, as an anonymous visitor: the search page `/-/search` with its facets (HTML
   and JSON; terms drawn from the corpus vocabulary: common, mid-frequency and rare words,
   two-word queries, and a quarter more in FTS5 syntax: a phrase, OR, a prefix, and a facet
   chosen), the `search` canned query, the front page, and the thread page `/-/threads/<id>` of
   the planted 100-part threads. p50 / p95.
5. incremental: ingests each of the three ~100 KB dumps into the full archive (child process;
   wall time of the command and time inside it). Median.

Timings on a shared machine are noisy: the load average is recorded with every stage, `--repeat`
repeats the ingest and floor (medians are reported), and the latency figures are medians and
95th percentiles over bounded request counts. Results go to benchmarks/out/scale/results-*.json.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from corpus import Dump, Source, load_threads, render_dump  # noqa: E402

OUT = HERE / "out" / "scale"
GEN_VERSION = 3  # bump when the corpus generator changes (cached corpora are rebuilt)
LEN_FACTOR = 0.62  # generated posts are this fraction of a real post's word count (about 200 bytes a fragment)
LONG_THREADS = 10  # planted 100-part threads (3 in --quick)
LONG_PARTS = 100
P_EXACT_REPOST = 0.04  # a thread of a dump is an exact repost of an earlier thread
P_NEAR_VARIANT = 0.03  # ... or an earlier thread with one post edited slightly
INCREMENTAL_BYTES = 100_000
_MARKERISH = re.compile(r"\d\s*/|/\s*\d|^\d+[.)]$|^[\[(]\d|^\d+$")
_WORD = re.compile(r"[^\W\d_]{4,}", re.U)
STOPWORDS = set("""
this that with from have what will your about there their which when were been more into than then them
they these also just like some only over such very most here does https http link thread paper work
would could should other each while where after before being because those through using used make made
""".split())


def parse_size(s: str) -> int:
    s = s.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


# ---------------------------------------------------------------------------------------------
# Corpus


class TextGen:
    """Post, title and abstract texts spliced from spans of the real corpus."""

    def __init__(self, threads: list[Source], rng: random.Random):
        self.rng = rng
        self.post_pool: list[str] = []
        self.post_lengths: list[int] = []
        for t in threads:
            for p in t.posts:
                words = [w for w in p.split() if not _MARKERISH.search(w)]
                self.post_lengths.append(len(p.split()))
                self.post_pool.extend(words)
        self.text_pool: list[str] = []
        for t in threads:
            self.text_pool.extend(w for w in (t.title + " " + t.abstract).split() if not _MARKERISH.search(w))
        names = [t.author.split() for t in threads if t.author.strip()]
        self.first = sorted({n[0] for n in names if n and n[0].isalpha()})
        self.last = sorted({n[-1] for n in names if len(n) > 1 and n[-1].isalpha()})

    def _words(self, pool: list[str], n: int) -> list[str]:
        rng = self.rng
        out: list[str] = []
        while len(out) < n:
            i = rng.randrange(len(pool) - 8)
            k = rng.randint(3, 8)
            span = pool[i:i + k]
            if not out:  # a post opens with a word, not a handle, tag, link or number
                while span and not span[0][:1].isalpha():
                    span = span[1:]
            out.extend(span)
        return out[:n]

    def post(self) -> str:
        rng = self.rng
        n = max(5, round(rng.choice(self.post_lengths) * LEN_FACTOR))
        words = self._words(self.post_pool, n)
        if n >= 12 and rng.random() < 0.12:  # a line break inside the post
            cut = rng.randint(5, n - 5)
            return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
        return " ".join(words)

    def title(self) -> str:
        return " ".join(self._words(self.text_pool, self.rng.randint(6, 14))).rstrip(".,;:")

    def abstract(self) -> str:
        if self.rng.random() < 0.5:
            return ""
        return " ".join(self._words(self.text_pool, self.rng.randint(50, 110)))

    def author(self) -> tuple[str, str]:
        rng = self.rng
        name = f"{rng.choice(self.first)} {rng.choice(self.last)}"
        if rng.random() < 0.5:
            name += f" {rng.choice('ABCDEFGHJKLMNPRSTVW')}."  # a middle initial (display names may end with a period)
        handle = re.sub(r"\W", "_", name.replace(" ", ""))[:11] + str(rng.randint(10, 9999))
        return name, handle

    def source(self, posts: int) -> Source:
        name, handle = self.author()
        return Source(name, handle, [self.post() for _ in range(posts)], self.title(), self.abstract())


def near_variant(text: str, rng: random.Random) -> str:
    """One small edit: similarity to the original stays well above the 0.8 threshold."""
    words = text.split(" ")
    how = rng.choice(["typo", "drop", "replace", "append", "tag"])
    if how == "typo" and len(text) > 20:
        i = rng.randrange(5, len(text) - 2)
        if text[i].isalpha() and text[i + 1].isalpha():
            return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if how == "drop" and len(words) > 8:
        del words[rng.randrange(1, len(words))]
        return " ".join(words)
    if how == "replace" and len(words) > 8:
        words[rng.randrange(1, len(words))] = rng.choice(["really", "quite", "new", "big", "small", "first"])
        return " ".join(words)
    if how == "tag":
        return text + " #" + rng.choice(["science", "NLP", "ML", "physics", "thread", "research"])
    return text + rng.choice([" 🧵", " (thread)", " 👇", " ...", " [updated]"])


def render_long_thread(dump: Dump, src: Source, key: str) -> None:
    """A thread of LONG_PARTS posts, every part present, each opening with n/N."""
    total = len(src.posts)
    parts = []
    for n, text in enumerate(src.posts, 1):
        if n > 1:
            dump.add("")
        lines = text.split("\n")
        first = dump.add(f"{n}/{total} {lines[0]}")
        last = first
        for line in lines[1:]:
            last = dump.add(line)
        parts.append({"n": n, "lines": [first, last]})
    dump.threads.append({"key": key, "kind": "thread", "total": total, "missing": [], "score_n": True,
                         "parts": parts})


class CorpusWriter:
    def __init__(self, folder: Path, rng: random.Random):
        self.folder = folder
        self.rng = rng
        self.buf: list[str] = []
        self.buf_bytes = 0
        self.target = self._next_target()
        self.files = 0
        self.bytes = 0

    def _next_target(self) -> int:
        return self.rng.randint(40_000, 160_000)

    def add(self, text: str) -> None:
        self.buf.append(text)
        self.buf_bytes += len(text.encode("utf-8")) + 2
        if self.buf_bytes >= self.target:
            self.flush()

    def flush(self) -> None:
        if not self.buf:
            return
        data = ("\n\n".join(self.buf)).encode("utf-8")
        (self.folder / f"dump-{self.files:05d}.txt").write_bytes(data)
        self.files += 1
        self.bytes += len(data)
        self.buf, self.buf_bytes = [], 0
        self.target = self._next_target()


def _picked_sources(gen: TextGen, templates: list[Source], recent: list[Source], rng: random.Random,
                    stats: Counter) -> list[Source]:
    picked = []
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        if recent and r < P_EXACT_REPOST:
            picked.append(rng.choice(recent))
            stats["exact_reposts"] += 1
        elif recent and r < P_EXACT_REPOST + P_NEAR_VARIANT:
            old = rng.choice(recent)
            posts = list(old.posts)
            i = rng.randrange(len(posts))
            posts[i] = near_variant(posts[i], rng)
            picked.append(Source(old.author, old.handle, posts, old.title, old.abstract))
            stats["near_variants"] += 1
        else:
            src = gen.source(len(rng.choice(templates).posts))
            picked.append(src)
            if len(recent) < 50_000:
                recent.append(src)
            else:
                recent[rng.randrange(len(recent))] = src
    return picked


def _fragments_in(dump: Dump) -> int:
    return sum(len(t["parts"]) for t in dump.threads)


def build_corpus(n: int, folder: Path, long_threads: int, seed: int = 7) -> dict:
    """Write the corpus for `n` fragments (cached by manifest) and return its manifest."""
    manifest_path = folder / "manifest.json"
    params = {"version": GEN_VERSION, "fragments": n, "long_threads": long_threads, "seed": seed}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("params") == params:
            return manifest
    if folder.exists():
        shutil.rmtree(folder)
    dumps = folder / "corpus"
    dumps.mkdir(parents=True)
    t0 = time.perf_counter()
    rng = random.Random(seed)
    templates = load_threads()
    gen = TextGen(templates, rng)
    writer = CorpusWriter(dumps, rng)
    recent: list[Source] = []
    stats: Counter = Counter()
    long_at = sorted(rng.randrange(n) for _ in range(long_threads))
    long_first: list[str] = []
    count = 0
    while count < n:
        while long_at and count >= long_at[0]:
            long_at.pop(0)
            src = gen.source(LONG_PARTS)
            dump = Dump()
            render_long_thread(dump, src, "L")
            long_first.append(src.posts[0])
            writer.add(dump.text())
            count += LONG_PARTS
        dump = render_dump(_picked_sources(gen, templates, recent, rng, stats), rng)
        writer.add(dump.text())
        count += _fragments_in(dump)
    writer.flush()
    # Incremental dumps: new threads plus a repost and a near variant of archived threads.
    incremental = []
    for k in range(3):
        path = folder / f"incremental-{k}.txt"
        pieces, size = [], 0
        while size < INCREMENTAL_BYTES:
            picked = [gen.source(len(rng.choice(templates).posts)) for _ in range(rng.randint(1, 4))]
            if not pieces:
                old = rng.choice(recent)
                posts = list(old.posts)
                posts[0] = near_variant(posts[0], rng)
                picked += [rng.choice(recent), Source(old.author, old.handle, posts, old.title, old.abstract)]
            text = render_dump(picked, rng).text()
            pieces.append(text)
            size += len(text.encode("utf-8")) + 2
        path.write_text("\n\n".join(pieces), encoding="utf-8")
        incremental.append(path.name)
    vocab = Counter(m.lower() for token in gen.post_pool + gen.text_pool for m in _WORD.findall(token))
    manifest = {
        "params": params,
        "files": writer.files,
        "bytes": writer.bytes,
        "rendered_fragments": count,
        "planted": dict(stats),
        "long_thread_first_posts": long_first,
        "incremental": incremental,
        "vocabulary": [w for w, _ in vocab.most_common() if w not in STOPWORDS][:20000],
        "build_seconds": round(time.perf_counter() - t0, 1),
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False))
    return manifest


def syntax_terms(manifest: dict, count: int, seed: int = 13) -> list[tuple[str, str]]:
    """(bucket, query) pairs in FTS5 syntax: a quoted phrase, two words with OR, a prefix."""
    rng = random.Random(seed)
    mid = manifest["vocabulary"][40:2000]
    out = []
    for i in range(count):
        kind = i % 3
        if kind == 0:
            out.append(("phrase", f'"{rng.choice(mid)} {rng.choice(mid)}"'))
        elif kind == 1:
            out.append(("OR", f"{rng.choice(mid)} OR {rng.choice(mid)}"))
        else:
            out.append(("prefix", rng.choice(mid)[:4] + "*"))
    return out


def search_terms(manifest: dict, count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(bucket, query) pairs: 15% common words, 50% mid-frequency, 20% rare, 15% two-word queries."""
    rng = random.Random(seed)
    vocab = manifest["vocabulary"]
    common, mid, rare = vocab[:40], vocab[40:2000], vocab[2000:]
    out = []
    for _ in range(count):
        r = rng.random()
        if r < 0.15:
            out.append(("common", rng.choice(common)))
        elif r < 0.65:
            out.append(("mid", rng.choice(mid)))
        elif r < 0.85:
            out.append(("rare", rng.choice(rare)))
        else:
            out.append(("two words", f"{rng.choice(mid)} {rng.choice(mid)}"))
    return out


# ---------------------------------------------------------------------------------------------
# Child processes (run as `python scale.py _ingest ...` / `_floor ...`)


def _timed(owner, name: str, totals: dict, key: str):
    """Wrap owner.name so that its calls add their wall time to totals[key]; a missing name is skipped."""
    fn = getattr(owner, name, None)
    if fn is None:
        return

    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[key] = totals.get(key, 0.0) + time.perf_counter() - t
            totals[key + "_calls"] = totals.get(key + "_calls", 0) + 1

    setattr(owner, name, wrapper)


def child_ingest(db: str, paths: list[str], out: str, profile: str | None) -> None:
    t_start = time.perf_counter()
    import archiver.ingest
    import archiver.neardup
    from archiver.cli import cli

    totals: dict = {}
    # Near-duplicate indexing runs in this process (per source, or once at the end of a bulk ingest);
    # reading and parsing may run in worker processes: the ingest reports their time per step
    # (IngestSummary.seconds: read, parse, store, neardup, fts), captured here.
    _timed(archiver.neardup, "index_pending", totals, "neardup")
    captured: list = []
    ingest_sources = archiver.ingest.ingest_sources

    def capture(*args, **kwargs):
        summary = ingest_sources(*args, **kwargs)
        captured.append(summary)
        return summary

    archiver.ingest.ingest_sources = capture
    stdout = io.StringIO()
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    code = 0
    with contextlib.redirect_stdout(stdout):
        try:
            cli.main(["ingest", db, *paths, "--json"], prog_name="archiver", standalone_mode=False)
        except SystemExit as e:
            code = e.code or 0
    wall = time.perf_counter() - t0
    if prof:
        prof.disable()
        prof.dump_stats(profile)
    try:
        summary = json.loads(stdout.getvalue())
    except ValueError:
        summary = {"raw": stdout.getvalue()[-2000:]}
    for got in captured:
        for step, value in getattr(got, "seconds", {}).items():
            if step != "neardup":
                totals[step] = totals.get(step, 0.0) + value
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    json.dump({"wall": wall, "wall_with_imports": time.perf_counter() - t_start, "exit": code,
               "timers": totals, "summary": summary, "max_rss_kib": max(self_rss, kids_rss),
               "self_rss_kib": self_rss, "children_rss_kib": kids_rss}, open(out, "w"))


def _copy_schema(src: sqlite3.Connection) -> tuple[list[str], list[str], list[str], list[str]]:
    """(plain tables, their CREATE sql, FTS tables, their CREATE sql + index sql)."""
    rows = src.execute("select type, name, sql from sqlite_master where sql is not null order by rowid").fetchall()
    fts = [name for type_, name, sql in rows if type_ == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE")]
    shadow = {f"{f}_{s}" for f in fts for s in ("data", "idx", "docsize", "config", "content")}
    tables = [name for type_, name, sql in rows if type_ == "table" and name not in fts and name not in shadow
              and not name.startswith("sqlite_")]
    table_sql = [sql for type_, name, sql in rows if type_ == "table" and name in tables]
    other_sql = [sql for type_, name, sql in rows if (type_ == "table" and name in fts) or type_ == "index"]
    return tables, table_sql, fts, other_sql


def child_floor(src_path: str, dst_path: str, out: str) -> None:
    """The floor: the archive's rows inserted with plain executemany in one transaction + FTS rebuild."""
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
    tables, table_sql, fts, other_sql = _copy_schema(src)
    t = time.perf_counter()
    data = {name: src.execute(f'select * from "{name}"').fetchall() for name in tables}
    read_s = time.perf_counter() - t
    src.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst_path + suffix):
            os.remove(dst_path + suffix)
    dst = sqlite3.connect(dst_path, isolation_level=None)
    dst.execute("pragma journal_mode = wal")
    for sql in table_sql + other_sql:
        dst.execute(sql)
    t0 = time.perf_counter()
    dst.execute("begin")
    per_table = {}
    for name in tables:
        rows = data[name]
        if not rows:
            continue
        t1 = time.perf_counter()
        marks = ", ".join("?" * len(rows[0]))
        dst.executemany(f'insert into "{name}" values ({marks})', rows)
        per_table[name] = {"rows": len(rows), "seconds": round(time.perf_counter() - t1, 2)}
    dst.execute("commit")
    t_insert = time.perf_counter() - t0
    t1 = time.perf_counter()
    for name in fts:
        dst.execute(f'insert into "{name}"("{name}") values (\'rebuild\')')
    t_fts = time.perf_counter() - t1
    dst.close()  # checkpoints the WAL
    total = time.perf_counter() - t0
    json.dump({"insert": t_insert, "fts_rebuild": t_fts, "total": total, "read_rows": read_s,
               "tables": per_table, "bytes": os.path.getsize(dst_path),
               "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, open(out, "w"))


def child_snapshot(db: str, dest: str, out: str) -> None:
    """`archiver snapshot` of a finished archive, in this process: its wall time, peak RSS and result."""
    from archiver.snapshot import save_snapshot

    t0 = time.perf_counter()
    result = save_snapshot(db, dest, replace=True)
    json.dump({"wall": time.perf_counter() - t0, "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               "result": result.to_json()}, open(out, "w"))


def run_child(args: list[str], out: Path, log: Path | None = None) -> tuple[dict, float]:
    t = time.perf_counter()
    with open(log or os.devnull, "w") as err:
        proc = subprocess.run([sys.executable, __file__, *args, str(out)], stdout=err, stderr=err, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0 or not out.exists():
        tail = log.read_text()[-3000:] if log and log.exists() else ""
        raise RuntimeError(f"child {args[0]} failed ({proc.returncode}):\n{tail}")
    return json.loads(out.read_text()), wall


# ---------------------------------------------------------------------------------------------
# Stages


def stage_ingest(work: Path, repeat: int, profile: bool) -> dict:
    runs = []
    for i in range(repeat):
        db = work / "archive.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        la = loadavg()
        prof = work / "ingest.prof" if profile and i == 0 else None
        args = ["_ingest", str(db), str(work / "corpus")] + (["--profile", str(prof)] if prof else [])
        res, process_wall = run_child(args, work / f"ingest-{i}.json", work / f"ingest-{i}.log")
        res["process_wall"] = process_wall
        res["load_before"], res["load_after"] = la, loadavg()
        runs.append(res)
        print(f"    ingest run {i + 1}: {res['wall']:.1f} s, peak RSS {res['max_rss_kib'] / 1024:.0f} MiB,"
              f" load {la} -> {res['load_after']}", flush=True)
    return {"runs": runs}


def archive_facts(db: Path) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    facts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
             for t in ("sources", "fragments", "threads", "thread_parts", "sightings", "near_duplicates",
                       "thread_aliases", "fragment_bands", "dropped")}
    facts["long_threads"] = [r[0] for r in conn.execute(
        f"select id from threads where total = {LONG_PARTS} order by parts desc, id")]
    facts["exact_duplicate_fragments"] = conn.execute(
        "select count(*) from (select fragment_id from sightings group by fragment_id having count(distinct source_id) > 1)"
    ).fetchone()[0]
    conn.close()
    facts["bytes"] = sum(os.path.getsize(str(db) + s) for s in ("", "-wal") if os.path.exists(str(db) + s))
    return facts


def stage_floor(work: Path, repeat: int) -> dict:
    runs = []
    for i in range(repeat):
        la = loadavg()
        res, _ = run_child(["_floor", str(work / "archive.db"), str(work / "floor.db")], work / f"floor-{i}.json",
                           work / f"floor-{i}.log")
        res["load_before"], res["load_after"] = la, loadavg()
        runs.append(res)
        print(f"    floor run {i + 1}: insert {res['insert']:.1f} s + FTS rebuild {res['fts_rebuild']:.1f} s,"
              f" load {la}", flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(work / "floor.db") + suffix).unlink(missing_ok=True)
    return {"runs": runs}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def stage_latency(work: Path, manifest: dict, facts: dict, n_search: int, n_thread: int) -> dict:
    import httpx

    from archiver.serve import datasette_args

    db = work / "archive.db"
    port = free_port()
    log = open(work / "datasette.log", "w")
    server = subprocess.Popen(datasette_args(db, port=port), stdout=log, stderr=log, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    result: dict = {"load_before": loadavg()}
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            deadline = time.time() + 120
            while True:
                try:
                    if client.get("/-/versions.json").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError("datasette did not start: " + (work / "datasette.log").read_text()[-2000:])
                time.sleep(0.2)
            name = db.stem
            terms = search_terms(manifest, n_search) + syntax_terms(manifest, n_search // 4)
            for _, q in terms[:5]:  # warm-up
                client.get("/-/search", params={"q": q})
                client.get(f"/{name}/search", params={"q": q})
            timings: dict[str, list[float]] = {"search": [], "search_json": [], "search_canned": [], "thread": [],
                                               "front": []}
            by_bucket: dict[str, list[float]] = {}
            rows_returned = []
            errors: Counter = Counter()
            facet_picks = []
            for i, (bucket, q) in enumerate(terms):
                # the search page, facets counted (the page a reader gets from the front door)
                t = time.perf_counter()
                r = client.get("/-/search", params={"q": q})
                dt = time.perf_counter() - t
                timings["search"].append(dt)  # an error (e.g. the SQL time limit) counts with its time
                by_bucket.setdefault(bucket, []).append(dt)
                if r.status_code != 200:
                    errors[f"search {r.status_code}"] += 1
                if i % 2 == 0:
                    t = time.perf_counter()
                    r = client.get("/-/search.json", params={"q": q})
                    timings["search_json"].append(time.perf_counter() - t)
                    if r.status_code == 200:
                        data = r.json()
                        rows_returned.append(data["total"])
                        kinds = data["facets"].get("kind") or []
                        if kinds and len(facet_picks) < n_search // 8:
                            facet_picks.append((q, kinds[-1]["value"]))
                    else:
                        errors[f"search.json {r.status_code}"] += 1
                    t = time.perf_counter()
                    r = client.get(f"/{name}/search", params={"q": q})
                    timings["search_canned"].append(time.perf_counter() - t)
                    if r.status_code != 200:
                        errors[f"canned search {r.status_code}"] += 1
            for q, kind in facet_picks:  # a facet value chosen: the filter runs over the ranked window
                t = time.perf_counter()
                r = client.get("/-/search", params={"q": q, "kind": kind})
                dt = time.perf_counter() - t
                timings["search"].append(dt)
                by_bucket.setdefault("facet chosen", []).append(dt)
                if r.status_code != 200:
                    errors[f"search facet {r.status_code}"] += 1
            for _ in range(20):
                t = time.perf_counter()
                r = client.get("/")
                timings["front"].append(time.perf_counter() - t)
                if r.status_code != 200:
                    errors[f"front {r.status_code}"] += 1
            threads = facts["long_threads"]
            if threads:
                client.get(f"/-/threads/{threads[0]}")  # warm-up
                for i in range(n_thread):
                    tid = threads[i % len(threads)]
                    t = time.perf_counter()
                    r = client.get(f"/-/threads/{tid}")
                    timings["thread"].append(time.perf_counter() - t)
                    if r.status_code != 200:
                        errors[f"thread {r.status_code}"] += 1
                    elif i == 0:
                        result["thread_page_bytes"] = len(r.content)
                        result["thread_page_parts"] = r.text.count('class="part')
        for key, values in timings.items():
            if values:
                result[key] = {"n": len(values), "p50_ms": round(percentile(values, 0.5) * 1000, 1),
                               "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                               "max_ms": round(max(values) * 1000, 1)}
        result["search_by_bucket"] = {b: {"n": len(v), "p50_ms": round(percentile(v, 0.5) * 1000, 1),
                                          "p95_ms": round(percentile(v, 0.95) * 1000, 1)}
                                      for b, v in sorted(by_bucket.items())}
        result["search_matches_median"] = statistics.median(rows_returned) if rows_returned else 0
        result["errors"] = dict(errors)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    result["load_after"] = loadavg()
    return result


def copy_archive(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    for suffix in ("", "-wal"):
        if Path(str(src) + suffix).exists():
            shutil.copyfile(str(src) + suffix, str(dst) + suffix)


def stage_incremental(work: Path, manifest: dict) -> dict:
    """Each ~100 KB dump into a copy of the full archive (the archive itself stays as the ingest left it)."""
    runs = []
    copy = work / "incremental.db"
    for k, name in enumerate(manifest["incremental"]):
        path = work / name
        copy_archive(work / "archive.db", copy)
        res, process_wall = run_child(["_ingest", str(copy), str(path)], work / f"incr-{k}.json",
                                      work / f"incr-{k}.log")
        runs.append({"bytes": path.stat().st_size, "command_wall": process_wall, "in_process": res["wall"],
                     "neardup": res["timers"].get("neardup", 0), "parse": res["timers"].get("parse", 0),
                     "fragments_new": res["summary"].get("fragments", {}).get("new"),
                     "load": loadavg()})
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    return {"runs": runs, "command_wall_median": statistics.median(r["command_wall"] for r in runs),
            "in_process_median": statistics.median(r["in_process"] for r in runs)}


def stage_snapshot(work: Path) -> dict:
    """A publishable snapshot of the finished archive (archiver snapshot), in a child process."""
    dest = work / "snapshot.db"
    res, _ = run_child(["_snapshot", str(work / "archive.db"), str(dest)], work / "snapshot.json", work / "snapshot.log")
    dest.unlink(missing_ok=True)
    return {"wall": res["wall"], "max_rss_kib": res["max_rss_kib"], "bytes": res["result"]["bytes"],
            "source_bytes": res["result"]["source_bytes"], "ok": res["result"]["ok"]}


# ---------------------------------------------------------------------------------------------
# Report


def summarize(size: int, manifest: dict, ingest: dict | None, facts: dict | None, floor: dict | None,
              latency: dict | None, incremental: dict | None, snapshot: dict | None = None) -> dict:
    row: dict = {"size": size, "dump_mb": manifest["bytes"] / 1e6, "files": manifest["files"]}
    if ingest:
        runs = ingest["runs"]
        wall = statistics.median(r["wall"] for r in runs)
        timers = [r["timers"] for r in runs]
        row["ingest_s"] = wall
        row["ingest_runs"] = [round(r["wall"], 1) for r in runs]
        row["parse_s"] = statistics.median(t.get("parse", 0) for t in timers)
        row["parse_mb_s"] = manifest["bytes"] / 1e6 / row["parse_s"] if row["parse_s"] else None
        row["neardup_s"] = statistics.median(t.get("neardup", 0) for t in timers)
        row["fts_in_ingest_s"] = statistics.median(t.get("fts", 0) for t in timers) or None
        row["read_s"] = statistics.median(t.get("read", 0) for t in timers)
        row["store_s"] = statistics.median(t.get("store", 0) for t in timers)
        row["peak_rss_mb"] = max(r["max_rss_kib"] for r in runs) / 1024
        row["load"] = [runs[0]["load_before"], runs[-1]["load_after"]]
    if facts:
        row["fragments"] = facts["fragments"]
        row["bytes_per_fragment"] = facts["bytes"] / max(1, facts["fragments"])
        row["db_mb"] = facts["bytes"] / 1e6
        if ingest:
            row["fragments_per_s"] = facts["fragments"] / row["ingest_s"]
    if floor:
        row["floor_s"] = statistics.median(r["total"] for r in floor["runs"])
        row["floor_insert_s"] = statistics.median(r["insert"] for r in floor["runs"])
        row["fts_rebuild_s"] = statistics.median(r["fts_rebuild"] for r in floor["runs"])
        if ingest:
            row["x_floor"] = row["ingest_s"] / row["floor_s"]
    if latency:
        for key in ("search", "search_json", "search_canned", "front", "thread"):
            if key in latency:
                row[f"{key}_p50"] = latency[key]["p50_ms"]
                row[f"{key}_p95"] = latency[key]["p95_ms"]
        row["search_by_bucket"] = latency.get("search_by_bucket")
    if incremental:
        row["incr_cmd_s"] = incremental["command_wall_median"]
        row["incr_in_s"] = incremental["in_process_median"]
    if snapshot:
        row["snapshot_s"] = snapshot["wall"]
        row["snapshot_mb"] = snapshot["bytes"] / 1e6
        row["snapshot_rss_mb"] = snapshot["max_rss_kib"] / 1024
    return row


COLUMNS = [
    ("size", "fragments (target)", lambda v: size_label(v)),
    ("fragments", "fragments stored", lambda v: f"{v:,}"),
    ("dump_mb", "dumps MB", lambda v: f"{v:.0f}"),
    ("files", "dump files", lambda v: f"{v:,}"),
    ("parse_mb_s", "parse MB/s", lambda v: f"{v:.2f}"),
    ("ingest_s", "ingest s", lambda v: f"{v:.1f}"),
    ("fragments_per_s", "ingest fragments/s", lambda v: f"{v:,.0f}"),
    ("read_s", "  read+decode s (CPU, all processes)", lambda v: f"{v:.1f}"),
    ("parse_s", "  parse s (CPU, all processes)", lambda v: f"{v:.1f}"),
    ("store_s", "  store s (writer)", lambda v: f"{v:.1f}"),
    ("neardup_s", "  near-dup pass s (writer)", lambda v: f"{v:.1f}"),
    ("fts_in_ingest_s", "  FTS build s (writer)", lambda v: f"{v:.1f}"),
    ("fts_rebuild_s", "FTS rebuild (floor) s", lambda v: f"{v:.1f}"),
    ("floor_s", "floor s (executemany+rebuild)", lambda v: f"{v:.1f}"),
    ("x_floor", "ingest / floor", lambda v: f"{v:.2f}x"),
    ("db_mb", "database MB", lambda v: f"{v:.0f}"),
    ("bytes_per_fragment", "database bytes/fragment", lambda v: f"{v:.0f}"),
    ("peak_rss_mb", "ingest peak RSS MiB", lambda v: f"{v:.0f}"),
    ("search_p50", "search page (facets) p50 ms", lambda v: f"{v:.1f}"),
    ("search_p95", "search page (facets) p95 ms", lambda v: f"{v:.1f}"),
    ("search_json_p50", "search JSON p50 ms", lambda v: f"{v:.1f}"),
    ("search_json_p95", "search JSON p95 ms", lambda v: f"{v:.1f}"),
    ("search_canned_p50", "search canned query p50 ms", lambda v: f"{v:.1f}"),
    ("search_canned_p95", "search canned query p95 ms", lambda v: f"{v:.1f}"),
    ("front_p50", "front page p50 ms", lambda v: f"{v:.1f}"),
    ("front_p95", "front page p95 ms", lambda v: f"{v:.1f}"),
    ("thread_p50", "100-part thread page p50 ms", lambda v: f"{v:.1f}"),
    ("thread_p95", "100-part thread page p95 ms", lambda v: f"{v:.1f}"),
    ("incr_cmd_s", "incremental 100 KB: command s", lambda v: f"{v:.2f}"),
    ("incr_in_s", "incremental 100 KB: in-process s", lambda v: f"{v:.2f}"),
    ("snapshot_s", "snapshot to publish s", lambda v: f"{v:.1f}"),
    ("snapshot_mb", "snapshot MB", lambda v: f"{v:.0f}"),
    ("snapshot_rss_mb", "snapshot peak RSS MiB", lambda v: f"{v:.0f}"),
    ("load", "load average (before, after ingest)", lambda v: f"{v[0]:.1f}, {v[1]:.1f}"),
]


def print_table(rows: list[dict]) -> None:
    width = max(len(label) for _, label, _ in COLUMNS)
    header = f"| {'':{width}} | " + " | ".join(f"{size_label(r['size']):>10}" for r in rows) + " |"
    print(header)
    print("|" + "-" * (width + 2) + "|" + "|".join("-" * 12 for _ in rows) + "|")
    for key, label, fmt in COLUMNS:
        if not any(r.get(key) is not None for r in rows):
            continue
        cells = [fmt(r[key]) if r.get(key) is not None else "-" for r in rows]
        print(f"| {label:{width}} | " + " | ".join(f"{c:>10}" for c in cells) + " |")
    if len(rows) >= 2 and rows[0].get("ingest_s") and rows[-1].get("ingest_s"):
        a, b = rows[0], rows[-1]
        print(f"\ngrowth: {size_label(b['size'])} ingest / {size_label(a['size'])} ingest = "
              f"{b['ingest_s'] / a['ingest_s']:.2f} (size ratio {b['size'] / a['size']:.1f})")
    for r in rows:
        if r.get("search_by_bucket"):
            parts = ", ".join(f"{b} p50 {v['p50_ms']:.0f} / p95 {v['p95_ms']:.0f} ms (n={v['n']})"
                              for b, v in r["search_by_bucket"].items())
            print(f"search by term kind at {size_label(r['size'])}: {parts}")


def check_targets(row: dict, smallest: dict | None) -> list[str]:
    """The targets a size's row is held to, each PASS or FAIL: ingest time and memory, times the floor,
    growth against the smallest size, search and thread page p95, the incremental ingest."""
    out = []

    def check(ok, text):
        out.append(("PASS " if ok else "FAIL ") + text)

    if row.get("ingest_s") is not None:
        check(row["ingest_s"] <= 600, f"ingest {row['ingest_s']:.0f} s <= 600 s")
        check(row["peak_rss_mb"] <= 2048, f"peak RSS {row['peak_rss_mb']:.0f} MiB <= 2048 MiB")
    if row.get("x_floor") is not None:
        check(row["x_floor"] <= 3, f"ingest / floor {row['x_floor']:.2f} <= 3")
    if smallest and smallest is not row and (row.get("growth_median") is not None
                                             or (smallest.get("ingest_s") and row.get("ingest_s"))):
        limit = 11 * (row["size"] / smallest["size"]) / 10
        label = f"growth {size_label(row['size'])}/{size_label(smallest['size'])}"
        if row.get("growth_median") is not None:
            check(row["growth_median"] <= limit, f"{label} {row['growth_median']:.2f} <= {limit:.1f} (median of"
                  f" {len(row['growth_pairs'])} back-to-back pairs: {', '.join(map(str, row['growth_pairs']))})")
        else:
            ratio = row["ingest_s"] / smallest["ingest_s"]
            check(ratio <= limit, f"{label} {ratio:.2f} <= {limit:.1f}")
    if row.get("parse_mb_s") is not None:
        # not a target here: the workers' parse time is wall time on cores shared with the writer;
        # reconstruction's own throughput is measured alone by benchmarks/parse_throughput.py
        out.append(f"note parse {row['parse_mb_s']:.2f} MB/s per worker, sharing the cores"
                   " (reconstruction alone: benchmarks/parse_throughput.py)")
    if row.get("search_p95") is not None:
        check(row["search_p95"] <= 100, f"search p95 {row['search_p95']:.0f} ms <= 100 ms")
    if row.get("thread_p95") is not None:
        check(row["thread_p95"] <= 200, f"thread page p95 {row['thread_p95']:.0f} ms <= 200 ms")
    if row.get("incr_cmd_s") is not None:
        check(row["incr_cmd_s"] < 2, f"incremental 100 KB ingest {row['incr_cmd_s']:.2f} s < 2 s")
    return out


def print_profile(path: Path, top: int = 30) -> None:
    import pstats

    for sort in ("tottime", "cumulative"):
        print(f"\n--- ingest profile, top {top} by {sort} ---")
        stats = pstats.Stats(str(path))
        stats.strip_dirs().sort_stats(sort).print_stats(top)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_ingest":
        rest = sys.argv[2:]
        prof = None
        if "--profile" in rest:
            i = rest.index("--profile")
            prof = rest[i + 1]
            del rest[i:i + 2]
        child_ingest(rest[0], rest[1:-1], rest[-1], prof)
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_floor":
        child_floor(*sys.argv[2:5])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_snapshot":
        child_snapshot(*sys.argv[2:5])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100k,300k,1m", help="comma-separated fragment counts (10k, 1m, ...)")
    ap.add_argument("--quick", action="store_true", help="a small run: 10k,30k, fewer requests")
    ap.add_argument("--repeat", type=int, default=1, help="ingest and floor runs per size (medians reported)")
    ap.add_argument("--stages", default="ingest,floor,latency,incremental",
                    help="comma-separated stages: ingest, floor (the plain-sqlite floor), latency, incremental,"
                         " snapshot (archiver snapshot of the finished archive, run only when named), or none;"
                         " ingest is skipped for an existing archive when left out")
    ap.add_argument("--searches", type=int, default=200, help="search requests per size")
    ap.add_argument("--thread-pages", type=int, default=100, help="thread page requests per size")
    ap.add_argument("--profile", action="store_true", help="cProfile the first ingest of the largest size")
    ap.add_argument("--pairs", type=int, default=0,
                    help="then measure growth over N back-to-back ingests of the smallest and the largest size"
                         " (the machine's speed drifts over minutes: each ratio compares two runs made together)")
    ap.add_argument("--out", default=str(OUT), help="folder for the corpora, archives and results-*.json")
    args = ap.parse_args()
    if args.quick:
        sizes = [parse_size(s) for s in (args.sizes if args.sizes != "100k,300k,1m" else "10k,30k").split(",")]
        args.searches, args.thread_pages = min(args.searches, 60), min(args.thread_pages, 30)
    else:
        sizes = [parse_size(s) for s in args.sizes.split(",")]
    stages = set(args.stages.split(","))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}, sqlite {sqlite3.sqlite_version}",
          flush=True)
    rows, details = [], {}
    for size in sizes:
        work = out / size_label(size)
        t = time.perf_counter()
        manifest = build_corpus(size, work, LONG_THREADS if not args.quick else 3)
        print(f"\n== {size_label(size)}: corpus {manifest['files']} files, {manifest['bytes'] / 1e6:.1f} MB,"
              f" {manifest['rendered_fragments']:,} rendered fragments, planted {manifest['planted']}"
              f" ({time.perf_counter() - t:.0f} s)", flush=True)
        ingest = floor = latency = incremental = snapshot = None
        if "ingest" in stages or not (work / "archive.db").exists():
            print("  ingest ...", flush=True)
            ingest = stage_ingest(work, args.repeat, args.profile and size == max(sizes))
        facts = archive_facts(work / "archive.db")
        print(f"  archive: {facts['fragments']:,} fragments, {facts['threads']:,} threads, "
              f"{facts['near_duplicates']:,} near pairs, {facts['thread_aliases']:,} merges, "
              f"{len(facts['long_threads'])} 100-part threads, {facts['bytes'] / 1e6:.0f} MB", flush=True)
        if "floor" in stages:
            print("  floor ...", flush=True)
            floor = stage_floor(work, args.repeat)
        if "latency" in stages:
            print("  latency ...", flush=True)
            latency = stage_latency(work, manifest, facts, args.searches, args.thread_pages)
            print(f"    search page (facets) p50/p95 {latency['search']['p50_ms']}/{latency['search']['p95_ms']} ms,"
                  f" canned search {latency.get('search_canned', {}).get('p50_ms')}/"
                  f"{latency.get('search_canned', {}).get('p95_ms')} ms,"
                  f" front page {latency.get('front', {}).get('p50_ms')}/{latency.get('front', {}).get('p95_ms')} ms,"
                  f" thread page {latency.get('thread', {}).get('p50_ms')}/{latency.get('thread', {}).get('p95_ms')} ms",
                  flush=True)
            if latency.get("errors"):
                print(f"    errors: {latency['errors']}", flush=True)
        if "incremental" in stages:
            print("  incremental ...", flush=True)
            incremental = stage_incremental(work, manifest)
            print(f"    {incremental['command_wall_median']:.2f} s (command), "
                  f"{incremental['in_process_median']:.2f} s (in process)", flush=True)
        if "snapshot" in stages:
            print("  snapshot ...", flush=True)
            snapshot = stage_snapshot(work)
            print(f"    {snapshot['wall']:.1f} s, {snapshot['bytes'] / 1e6:.0f} MB (archive {snapshot['source_bytes'] / 1e6:.0f} MB),"
                  f" peak {snapshot['max_rss_kib'] / 1024:.0f} MiB", flush=True)
        row = summarize(size, manifest, ingest, facts, floor, latency, incremental, snapshot)
        rows.append(row)
        details[size_label(size)] = {"manifest": {k: v for k, v in manifest.items() if k != "vocabulary"},
                                     "ingest": ingest, "facts": {k: v for k, v in facts.items()},
                                     "floor": floor, "latency": latency, "incremental": incremental,
                                     "snapshot": snapshot}
    pairs = []
    if args.pairs and len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        print(f"\n== growth: {args.pairs} pairs of ingests, {size_label(small)} then {size_label(large)}", flush=True)
        for i in range(args.pairs):
            got = [stage_ingest(out / size_label(size), 1, False)["runs"][0]["wall"] for size in (small, large)]
            pairs.append({"small_s": got[0], "large_s": got[1], "ratio": got[1] / got[0], "load": loadavg()})
            print(f"    pair {i + 1}: {got[0]:.1f} s, {got[1]:.1f} s: x{got[1] / got[0]:.2f}", flush=True)
        largest_row = max(rows, key=lambda r: r["size"])
        largest_row["growth_pairs"] = [round(p["ratio"], 2) for p in pairs]
        largest_row["growth_median"] = statistics.median(p["ratio"] for p in pairs)
        details["growth_pairs"] = pairs
    print()
    print_table(rows)
    print()
    largest = max(rows, key=lambda r: r["size"])
    if largest["size"] != 1_000_000:
        print(f"(the targets are for 1m fragments; checked here against {size_label(largest['size'])})")
    for line in check_targets(largest, min(rows, key=lambda r: r["size"])):
        print(line)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"results-{stamp}.json").write_text(json.dumps({"rows": rows, "details": details,
                                                           "load_end": os.getloadavg()}, indent=1, default=str))
    print(f"\nresults: {out / f'results-{stamp}.json'}")
    if args.profile and (out / size_label(max(sizes)) / "ingest.prof").exists():
        print_profile(out / size_label(max(sizes)) / "ingest.prof")


if __name__ == "__main__":
    main()
