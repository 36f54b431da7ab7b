"""Ingest: read sources, reconstruct them, store each one in its own transaction.

A few sources are read, reconstructed and stored one after the other. An ingest of many sources
(`BULK_SOURCES` or more, e.g. a folder of dumps) takes the bulk path, which stores the same rows:

- reading and reconstruction run in worker processes (one per core) while this process stores,
  source after source in input order (a worker dies with the ingest: a killed ingest leaves no
  process behind);
- sources are committed a few at a time (a transaction stays open `COMMIT_SECONDS`; its sources
  are indexed for search once, at its commit). Every commit writes each page it changed to the WAL
  once, and the random keys of the indexes (content hashes, fragment and thread ids) spread one
  source's rows over thousands of pages, so committing per source wrote the indexes over and over.
  A source is still stored whole or not at all, and a failure keeps the sources before it: the
  transaction is rolled back and the sources before the failing one stored again (a savepoint per
  source would copy each page it changes to a temporary file first: 13 GB for a million fragments);
- the writer runs with a large page cache, `synchronous = NORMAL` (WAL: a committed source survives
  a crash of the program; a power cut may roll back the last few, which a re-run stores again) and
  rarer automatic checkpoints;
- near-duplicates of the run's sources are indexed once, after the last source, in one
  pass (`neardup.index_pending`); a run stopped before that leaves a backlog that the next ingest
  indexes.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import click
import numpy as np

from . import neardup, projection
from .db import open_db
from .digest import presign
from .errors import InputError
from .fts import update_fts
from .models import Source
from .normalize import content_hash
from .parse import ChunkState, parse_chunk, parse_sources
from .store import (IngestSummary, RunKeys, StreamedSource, StreamWriter, release_free_memory, save_source,
                    utcnow)
from .stream import LargeFile, iter_blocks, iter_chunks, read_blocks, read_input, stream_meta
from .txn import begin_immediate, commit, rollback, write_transaction

BULK_SOURCES = 8  # an ingest of at least this many sources takes the bulk path
BULK_CACHE_KIB = 512 * 1024  # the writer's page cache on the bulk path
BULK_AUTOCHECKPOINT = 100_000  # WAL pages between automatic checkpoints on the bulk path (default 1000)
COMMIT_SECONDS = 5.0  # the bulk path commits the sources stored so far about this often
# The writer is the pipeline's one serial stage: the workers run at a lower priority so that it gets a
# core whenever it has work, and each may read and reconstruct AHEAD sources in advance, so that they
# go on while the writer commits. With equal priorities the three processes shared two cores evenly,
# the workers kept the queue full, and at each commit (FTS indexing, pages to the WAL: a second or
# more at 1M fragments) they had nothing left to do: one core idle, 15 of 97 s (docs/performance.md).
WORKER_NICE = 10
AHEAD = 16

Input = Source | LargeFile | Exception | Path  # a Path is read by the ingest itself (in a worker on the bulk path)


def ingest_sources(db_path: str | Path, inputs: Iterable[tuple[str, Input]], private: bool = False,
                   progress: bool = False, workers: int | None = None) -> IngestSummary:
    """Store every readable source (skipping and reporting unusable ones); returns the summary.

    An input is a Source, the exception met reading it, or a Path still to read. The archive is
    created only when at least one input is usable. With `private`, a source archived publicly
    before is marked private (`projection.mark`, once the others are stored) and named in
    `made_private`; a private source given again without `private` stays private.
    """
    items = list(inputs)
    summary = IngestSummary()
    bulk = len(items) >= BULK_SOURCES
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if bulk else 0
    pool = _pool(workers) if workers > 0 else None  # before the database is opened: no connection crosses a fork
    db = None
    run: _BulkRun | None = None
    try:
        prepared = _ordered(pool, items, workers) if pool else (_prepare(item) for item in items)
        bar_shown = progress and len(items) > 1  # a single large file shows its own bar (ingest_large)
        with click.progressbar(prepared, length=len(items), label="ingesting", show_pos=True) if bar_shown \
                else nullcontext(prepared) as bar:
            for label, got, result, seconds, extra in bar:
                for step, value in seconds.items():
                    summary.lap(step, value)
                if isinstance(got, Exception):
                    summary.skipped.append({"path": label, "reason": str(got)})
                    continue
                if db is None:
                    db = open_db(db_path)
                    if bulk:
                        run = _BulkRun(db)
                got.private = got.private or private
                start = time.perf_counter()
                if isinstance(got, LargeFile):  # stored by this process, a chunk at a time, in its own transaction
                    if run is not None:
                        run.commit()
                    summary.add(ingest_large(db, got, progress=progress))
                    continue
                if run is None:
                    summary.add(save_source(db, got, result, 0, hashes=extra and extra["hashes"]))
                else:
                    summary.add(run.save(got, result, extra))
                    run.maybe_commit()
                summary.lap("store", time.perf_counter() - start)
        if run is not None:
            run.commit()
            summary.near_duplicates += run.finish(summary)
            run.close()
        if db is not None:
            summary.near_duplicates += _index_backlog(db)
            if summary.make_private:  # archived publicly before, given again as private: made private now
                marked = projection.mark(db, sorted(set(summary.make_private)), True)
                summary.made_private += [m.name for m in marked if m.changed]
            summary.settle(db.conn)  # the run's threads as the archive holds them after all its merges
    except BaseException:
        if run is not None:
            try:  # the sources stored before the failure stay; the failing one is not stored
                run.recover()
            except BaseException:  # noqa: BLE001 - the failure that got us here is the one to report
                pass
            try:  # the connection's settings (and the garbage collector) restored even so
                run.close()
            except BaseException:  # noqa: BLE001
                pass
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if db is not None:
            # Closing the last connection checkpoints the WAL into the database file.
            db.conn.close()
    return summary


def ingest_source(db, source: Source) -> IngestSummary:
    """Reconstruct one source and store it atomically; a source already archived changes nothing."""
    result = parse_sources([source], duplicates=False)
    return save_source(db, source, result, 0)


def _index_backlog(db) -> int:
    """Index fragments an earlier, interrupted ingest stored without near-duplicate indexing (a
    grouped run killed before its one pass at the end); usually there are none. Returns the pairs."""
    conn = db.conn
    if not neardup.backlog(conn):
        return 0
    with write_transaction(conn):
        return neardup.index_pending(conn, utcnow()).pairs


def ingest_large(db, scan: LargeFile, progress: bool = False) -> IngestSummary:
    """Store a file too large to hold in memory (archiver/stream.py): its content written block by
    block, reconstructed chunk by chunk, all in one transaction; memory stays bounded by the chunk.
    With `progress`, a bar follows the content written (on a terminal)."""
    writer = StreamWriter(db, _streamed_source(scan))
    if not writer.open():
        return writer.summary
    bar = click.progressbar(length=scan.content_bytes, label=f"ingesting {writer.source.name}") if progress else None
    try:
        state = ChunkState()

        def blocks():
            for text, _ in iter_blocks(scan):
                start = time.perf_counter()
                before = writer.offset
                writer.write_content(text)
                if bar is not None:
                    bar.update(writer.offset - before)
                writer.summary.lap("content", time.perf_counter() - start)
                yield text

        chunks = iter_chunks(blocks())
        while True:
            start = time.perf_counter()
            chunk = next(chunks, None)  # reading and decoding (and writing the content) happen here
            writer.summary.lap("read", time.perf_counter() - start)
            if chunk is None:
                break
            first_line, lines = chunk
            start = time.perf_counter()
            threads, dropped, copies = parse_chunk(lines, first_line, state)
            del lines, chunk
            writer.summary.lap("parse", time.perf_counter() - start)
            start = time.perf_counter()
            writer.add(threads, dropped, copies)
            del threads, dropped, copies
            writer.summary.lap("store", time.perf_counter() - start)
            start = time.perf_counter()
            writer.index()
            writer.summary.lap("neardup", time.perf_counter() - start)
        start = time.perf_counter()
        writer.index(final=True)
        writer.summary.lap("neardup", time.perf_counter() - start)
        start = time.perf_counter()
        done = writer.finish()
        writer.summary.lap("commit", time.perf_counter() - start)
        return done
    except BaseException:
        writer.abort()
        raise
    finally:
        if bar is not None:
            bar.render_finish()


def _streamed_source(scan: LargeFile) -> StreamedSource:
    """What the writer stores of a large file's first pass: its row, how to decode its content again
    and, when the content does not give them back, its raw bytes block by block."""
    meta = {**({} if scan.lossless else stream_meta(scan)), "format": "plain"}
    raw = None if scan.lossless else functools.partial(read_blocks, scan.path, 0, scan.size)
    return StreamedSource(sha256=scan.sha256, kind=scan.kind, name=scan.name, encoding=scan.encoding,
                          repair=scan.repair, size=scan.size, lines=scan.lines, content_bytes=scan.content_bytes,
                          private=scan.private, meta=meta, raw=raw)


def _prepare(item: tuple[str, Input], extras: bool = False):
    """(label, Source or the exception met reading it, its reconstruction, seconds per step, extras).
    Runs in a worker on the bulk path, where `extras` (content hashes, band keys, the source's record and
    its threads' digests) spare the writer."""
    label, got = item
    seconds = {}
    if isinstance(got, Path):
        start = time.perf_counter()
        try:
            got = read_input(got)
        except InputError as e:
            got = e
        seconds["read"] = time.perf_counter() - start
    if isinstance(got, (Exception, LargeFile)):
        return label, got, None, seconds, None
    start = time.perf_counter()
    result = parse_sources([got], duplicates=False)
    seconds["parse"] = time.perf_counter() - start
    if not extras:
        return label, got, result, seconds, None
    # work the writer would otherwise do: content hashes, and the band keys of the one near-duplicate pass
    start = time.perf_counter()
    texts = [p.text for t in result.threads for p in t.parts]
    hashes = {text: content_hash(text) for text in texts}
    extra = {"hashes": hashes, "bands": neardup.presign(texts, hashes),
             "record": projection.encode_threads(result.threads, 0, hashes),
             "digests": {t.id: presign(t, 0, hashes) for t in result.threads}}
    seconds["presign"] = time.perf_counter() - start
    return label, got, result, seconds, extra


def _pool(workers: int) -> ProcessPoolExecutor:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                               initializer=_start_worker, initargs=(os.getpid(),))


def _start_worker(parent: int) -> None:
    """In a new worker: die with the ingest process, then step down to WORKER_NICE."""
    _die_with_parent(parent)
    try:
        os.nice(WORKER_NICE)
    except (OSError, AttributeError):  # no nice() here (Windows): the same work, only scheduled worse
        pass


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the ingest process dies, even by SIGKILL (Linux), else exit
    as soon as it is gone; a worker must never outlive the ingest (or hold its output open)."""
    import signal
    import threading

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _ordered(pool: ProcessPoolExecutor, items: list, workers: int) -> Iterator:
    """_prepare over the items in the pool, results in input order, AHEAD sources a worker ahead of the writer."""
    queue: deque = deque()
    pending = iter(items)
    for item in pending:
        queue.append(pool.submit(_prepare, item, True))
        if len(queue) >= AHEAD * workers:
            break
    while queue:
        future = queue.popleft()
        item = next(pending, None)
        if item is not None:
            queue.append(pool.submit(_prepare, item, True))
        yield future.result()


class _BulkRun:
    """The writer's settings for a bulk ingest, and the work deferred to its end."""

    def __init__(self, db):
        self.conn = db.conn
        self.pragmas = {name: self.conn.execute(f"pragma {name}").fetchone()[0]
                        for name in ("synchronous", "cache_size", "wal_autocheckpoint")}
        self.conn.execute("pragma synchronous = NORMAL")
        self.conn.execute(f"pragma cache_size = -{BULK_CACHE_KIB}")
        self.conn.execute(f"pragma wal_autocheckpoint = {BULK_AUTOCHECKPOINT}")
        self.gc = gc.isenabled()
        gc.disable()  # many acyclic objects per source: the cyclic collector would only cost time
        self.since: float | None = None  # when the open transaction began
        self.deferred = False  # sources stored without their near-duplicate indexing
        # their texts' ids, band keys and folded lengths, from the workers (neardup.presign)
        self.presigned: list[tuple[list[str], np.ndarray, np.ndarray, list[str]]] = []
        self.group: list[tuple] = []  # what the open transaction stored: (source, result, extra) per source
        self.run = RunKeys()  # the ids stored so far, for lookups an archive that began empty can skip
        self.version: int | None = None  # `pragma data_version` at the last begin: another writer changes it
        self.db = db

    def begin(self) -> None:
        """Open the transaction the next sources are stored in."""
        if self.since is None:
            begin_immediate(self.conn)
            self.since = time.monotonic()
            version = self.conn.execute("pragma data_version").fetchone()[0]
            if self.version is None:
                self.run.complete = self.conn.execute(
                    "select not exists (select 1 from fragments) and not exists (select 1 from threads)"
                    " and not exists (select 1 from thread_aliases)").fetchone()[0] == 1
            elif version != self.version:
                self.run.complete = False  # another connection wrote between two of our transactions
            self.version = version

    def save(self, source: Source, result, extra: dict | None) -> IngestSummary:
        """Store one source in the open transaction (begun if need be), its near-duplicates left for `finish`."""
        self.begin()
        done = self._store(source, result, extra)
        self.group.append((source, result, extra))
        if done.sources_new:
            self.deferred = True
            if extra:
                self.presigned.append(extra["bands"])
        return done

    def _store(self, source: Source, result, extra: dict | None) -> IngestSummary:
        return save_source(self.db, source, result, 0, index=False, in_transaction=True,
                           hashes=extra and extra["hashes"], run=self.run, record=extra and extra.get("record"),
                           digests=extra and extra.get("digests"))

    def recover(self) -> None:
        """After a failure inside the open transaction (a source half-stored: no savepoint guards it),
        roll it back and store the sources before the failing one again, in a new transaction."""
        if self.since is None:
            return
        self.since = None
        rollback(self.conn)
        done, self.group = self.group, []
        if not done:
            return
        self.begin()
        try:
            for source, result, extra in done:
                self._store(source, result, extra)
            self.commit()
        except BaseException:
            rollback(self.conn)
            self.since = None
            raise

    def maybe_commit(self) -> None:
        """Commit once the transaction has been open for COMMIT_SECONDS."""
        if self.since is not None and time.monotonic() - self.since >= COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        """Index the stored sources for full-text search and commit them."""
        if self.since is not None:
            if self.conn.in_transaction:
                update_fts(self.conn)
                commit(self.conn)
            self.since = None
            self.group = []

    def finish(self, summary: IngestSummary) -> int:
        """Index the run's new fragments for near-duplicates in one pass; returns the pairs found."""
        if not self.deferred:
            return 0
        start = time.perf_counter()
        # the one pass holds the run's band keys in memory: give back the writer's page cache first
        self.conn.execute(f"pragma cache_size = {self.pragmas['cache_size']}")
        self.conn.execute("pragma shrink_memory")
        release_free_memory()
        presigned = []
        if self.presigned:  # one array and an index by fragment id, taken (and dropped) by the one pass
            index = {fid: i for i, fid in enumerate(fid for ids, _, _, _ in self.presigned for fid in ids)}
            index.update((fid, neardup.SHORT) for *_, short in self.presigned for fid in short)
            presigned.append((index, np.concatenate([keys for _, keys, _, _ in self.presigned]),
                              np.concatenate([lengths for _, _, lengths, _ in self.presigned])))
            self.presigned = []
            del index
        with write_transaction(self.conn):
            # the run's fragments are committed: a second connection may read them (the candidates are
            # scored in a thread while this connection writes the band keys)
            path = self.conn.execute("pragma database_list").fetchone()[2] or None
            pairs = neardup.index_pending(self.conn, utcnow(), presigned=presigned, reader=path).pairs
        summary.lap("neardup", time.perf_counter() - start)
        return pairs

    def close(self) -> None:
        """Restore the connection's settings."""
        for name, value in self.pragmas.items():
            self.conn.execute(f"pragma {name} = {value}")
        if self.gc:
            gc.enable()


def ingest_text(db_path: str | Path, text: str, name: str = "paste") -> IngestSummary:
    """Archive a pasted text (a convenience for scripts and tests)."""
    if not text.strip():
        raise InputError("the paste is empty: nothing to archive")
    from .sources import read_bytes

    return ingest_sources(db_path, [(name, read_bytes(text.encode("utf-8"), name, "paste"))])
