"""Ingest: read sources, reconstruct them, store each one in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from .db import open_db
from .errors import InputError
from .models import Source
from .parse import parse_sources
from .store import IngestSummary, save_source


def ingest_sources(db_path: str | Path, inputs: Iterable[tuple[str, Source | Exception]], private: bool = False,
                   progress: bool = False) -> IngestSummary:
    """Store every readable source (skipping and reporting unusable ones); returns the summary."""
    inputs = list(inputs)
    usable = [(label, got) for label, got in inputs if not isinstance(got, Exception)]
    summary = IngestSummary()
    for label, got in inputs:
        if isinstance(got, Exception):
            summary.skipped.append({"path": label, "reason": str(got)})
    if not usable:
        return summary
    db = open_db(db_path)
    try:
        with click.progressbar(usable, label="ingesting", show_pos=True, file=None) if progress else _nullbar(usable) as bar:
            for label, source in bar:
                source.private = source.private or private
                summary.add(ingest_source(db, source))
    finally:
        # Closing the last connection checkpoints the WAL into the database file.
        db.conn.close()
    return summary


def ingest_source(db, source: Source) -> IngestSummary:
    """Reconstruct one source and store it atomically; a source already archived changes nothing."""
    result = parse_sources([source])
    return save_source(db, source, result, 0)


class _nullbar:
    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self.items

    def __exit__(self, *exc):
        return False


def ingest_text(db_path: str | Path, text: str, name: str = "paste") -> IngestSummary:
    """Archive a pasted text (a convenience for scripts and tests)."""
    if not text.strip():
        raise InputError("the paste is empty: nothing to archive")
    from .sources import read_bytes

    return ingest_sources(db_path, [(name, read_bytes(text.encode("utf-8"), name, "paste"))])
