"""Platform imports: a Twitter/X data export and a Mastodon outbox -> posts whose threads come from structure.

The input side of `archiver import`: finding an export's data files (imports/files.py), decoding
them into Posts (imports/twitter.py, imports/mastodon.py) and grouping those into reply trees
(archiver/replies.py). A thread here is known, not guessed: a tree of the account's own posts in
which every reply points (in_reply_to_status_id_str / inReplyTo) at another post of the same export.
The archive's writer (archiver/store.py) stores what is read; nothing here writes to the archive.

Two entry points:

- `parse_twitter_export(path)` / `parse_mastodon_outbox(path)` / `read_export(path)` return Sources
  (kind "export", the exact bytes of the file read, decoded text) with `Source.structured` set, for the
  ordinary pipeline (`parse_sources`, `ingest_source`).
- `import_export(db, path)` hands an export to the writer's bulk path (`store.ExportWriter`): the raw
  file is streamed into the archive (never held twice in memory) and the reply trees stored in one
  transaction, the same rows `save_source` would write.
"""

from __future__ import annotations

import codecs
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import InputError
from ..models import Post, Source, Thread
from ..normalize import short_hash
from ..replies import build_threads, reply_trees
from ..store import ExportWriter, IngestSummary
from .files import ExportSet, content_chunks, decode_export_file, find_export, scan_export_file
from .mastodon import mastodon_posts, outbox_json
from .twitter import tweet_posts, twitter_accounts


def parse_twitter_export(path: str | Path) -> list[Source]:
    """A Twitter/X export (zip, folder, tweets.js or tweet.js) -> one Source per tweets file, threads attached."""
    found = find_export(path)
    if found.fmt != "twitter":
        raise InputError(f"{path}: not a Twitter/X export (found a Mastodon outbox; use parse_mastodon_outbox)")
    return export_sources(found)


def parse_mastodon_outbox(path: str | Path) -> list[Source]:
    """A Mastodon outbox.json (or the archive zip / folder holding it) -> one Source with its threads."""
    found = find_export(path)
    if found.fmt != "mastodon":
        raise InputError(f"{path}: not a Mastodon outbox (found a Twitter/X export; use parse_twitter_export)")
    return export_sources(found)


def read_export(path: str | Path) -> list[Source]:
    """Any supported export, detected from its files: Sources with `structured` threads."""
    return export_sources(find_export(path))


def export_sources(found: ExportSet) -> list[Source]:
    """One Source per data file (its exact bytes, decoded), holding the threads whose root it has."""
    threads, meta = export_threads(found)
    sources = []
    for i, f in enumerate(found.files):
        raw = f.read()
        text, encoding = decode_export_file(raw, f.name)
        sources.append(Source(name=f.name, kind="export", raw=raw, text=text, encoding=encoding, meta=dict(meta),
                              structured=[t for t, origin in threads if origin == i], structured_dropped=[]))
    return sources


def export_posts(found: ExportSet) -> tuple[list[Post], dict[str, Any]]:
    """Every post of a located export (files read one at a time and dropped once parsed) and the source meta.

    Trees are built across all the files of a multi-part archive (tweets.js, tweets-part1.js, ...); a
    thread belongs to the file of its root.
    """
    if found.fmt == "twitter":
        posts: list[Post] = []
        for i, f in enumerate(found.files):
            posts.extend(tweet_posts(f.read(), f.name, i))
        twitter_accounts(posts, found.account)
        return posts, {"format": "twitter-archive"}
    f = found.files[0]
    posts, _info = mastodon_posts(outbox_json(f.read(), f.name), found.account)
    return posts, {"format": "mastodon-outbox"}


def export_threads(found: ExportSet) -> tuple[list[tuple[Thread, int]], dict[str, Any]]:
    """Threads of a located export, each with the index of the file holding its root, and the source meta."""
    posts, meta = export_posts(found)
    return build_threads(posts, "export"), meta


def import_export(db: sqlite_utils.Database, path: str | Path, private: bool = False) -> IngestSummary:
    """Archive an export in one transaction: the raw file streamed in, threads stored with executemany.

    Returns an IngestSummary. Re-importing the same bytes changes nothing; a newer export of the same
    account adds its new posts to the threads already archived (thread ids depend on the root post id).
    Memory stays near twice the largest data file: SQLite's copy of the text is made before the file is
    parsed, and the parsed tweets are reduced to parts as they are read.
    """
    found = find_export(path)
    writer = ExportWriter(db, private)
    writer.open()
    try:
        meta = {"format": "twitter-archive" if found.fmt == "twitter" else "mastodon-outbox"}
        new_files: dict[int, int] = {}  # index in found.files -> source id
        for i, f in enumerate(found.files):
            writer.check_storable(f.name, f.size)  # before reading it: the size the file (or zip) declares
            sha, size, lines, encoding = scan_export_file(f)
            skip = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
            writer.check_storable(f.name, size - skip)
            source_id = writer.add_file(f.name, sha, size, lines, encoding, size - skip, meta)
            if source_id is not None:
                new_files[i] = source_id
        if new_files:
            # The export is parsed in a second thread while this one copies the files into their rows:
            # blob writes and file reads run without the GIL, so the copy costs next to nothing.
            with ThreadPoolExecutor(1) as pool:
                parsing = pool.submit(export_posts, found)
                for i, source_id in new_files.items():
                    writer.fill(source_id, content_chunks(found.files[i]))
                posts, _meta = parsing.result()
            trees = [(short_hash("export", tree[0].id), tree, new_files[tree[0].origin])
                     for tree in reply_trees(posts) if tree[0].origin in new_files]
            del posts
            writer.store(trees)
        return writer.finish()
    except BaseException:
        writer.abort()
        raise
