"""The reconstruction pipeline for text sources: segment -> reconstruct -> dedupe, pure functions.

Sources read by their structure (saved pages, platform exports, APIs) come with their threads
(`Source.structured`, filled in by the input side) and pass through unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .dedupe import find_duplicates
from .models import Dropped, ParseResult, Source, Thread
from .reconstruct import reconstruct_chunk
from .reconstruct import reconstruct_capture
from .settings import Settings


def parse_sources(sources: list[Source], duplicates: bool = True, settings: Settings | None = None) -> ParseResult:
    """Reconstruct every source (text in, dataclasses out); ids are stable for the same input.

    `settings` overrides the weights and thresholds of reconstruction (archiver/settings.py).

    `duplicates=False` skips the in-dump duplicate report (`ParseResult.duplicates` stays empty):
    an ingest does not use it, the archive finds duplicates across everything it holds."""
    threads = []
    dropped = []
    for index, source in enumerate(sources):
        if source.structured is not None:  # read by its structure (a saved page, an export, an API): no guessing
            if source.format == "plain":
                source.format = source.kind
            # copies that name this source's index: the source's own threads are left as they were read
            src_threads = [replace(t, parts=[replace(p, source=index) for p in t.parts]) for t in source.structured]
            src_dropped = [replace(d, source=index) for d in source.structured_dropped]
        else:
            src_threads, src_dropped, layout = reconstruct_capture(source.text, index, settings)
            source.format = layout.format
            if layout.meta:
                source.meta = {**source.meta, "capture": dict(layout.meta)}
        threads.extend(src_threads)
        dropped.extend(src_dropped)
    _unique_ids(threads)
    return ParseResult(sources=sources, threads=threads, duplicates=find_duplicates(threads) if duplicates else [],
                       dropped=dropped)


@dataclass
class ChunkState:
    """What parsing a text chunk by chunk carries from one chunk to the next."""

    prior: set[int] = field(default_factory=set)  # keys of the texts of earlier chunks' parts
    ids: dict[str, int] = field(default_factory=dict)  # thread ids given so far


def parse_chunk(lines: list[str], first_line: int, state: ChunkState, settings: Settings | None = None
                ) -> tuple[list[Thread], list[Dropped], list[tuple[str, int, int]]]:
    """Reconstruct one chunk of a text too large to parse whole (archiver/stream.py).

    Returns its threads and dropped spans (line numbers counted in the whole text), and the
    copies of earlier chunks' parts as (content hash, line_start, line_end): what
    `parse_sources` gives for the whole text, cut where no thread continues.
    """
    threads, dropped, copies = reconstruct_chunk(lines, first_line, state.prior, settings)
    _unique_ids(threads, state.ids)
    return threads, dropped, copies


def parse_text(text: str, name: str = "paste", settings: Settings | None = None) -> ParseResult:
    """Reconstruct one text given as a string (a convenience for scripts and tests)."""
    raw = text.encode("utf-8")
    return parse_sources([Source(name=name, kind="paste", raw=raw, text=text, encoding="utf-8")], settings=settings)


def _unique_ids(threads, seen: dict[str, int] | None = None) -> None:
    """Suffix repeated thread ids (-2, -3, ...); `seen` carries the ids over several calls."""
    seen = {} if seen is None else seen
    for t in threads:
        if t.id in seen:
            seen[t.id] += 1
            t.id = f"{t.id}-{seen[t.id]}"
        else:
            seen[t.id] = 1
