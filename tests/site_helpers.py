"""Shared helpers for the tests of the published side: the test archive (the seeds and a few small
dumps), private sources in it, an in-process Datasette as `archiver serve` configures it, and a
signed-in reader's cookies.

The fixtures built on these (`archive`, `ds`) are in tests/conftest.py.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from datasette.app import Datasette

from archive_helpers import SEEDS
from archiver.ingest import ingest_sources, ingest_text
from archiver.serve import METADATA, PLUGINS, SETTINGS, TEMPLATES
from archiver.sources import read_path

XSS_NAME = "xss-\u202etxt.exe"  # a file name that a bidi override would show as xss-exe.txt
XSS_DUMP = (
    "1/3 <script>alert(1)</script> Thread about \u202eevil\u202c things #XSStag\n"
    "2/3 Look at this <img src=x onerror=alert(1)> picture @attacker\n"
    '3/3 Read more: javascript:alert(1) and <a href="javascript:alert(1)">click me</a>\n'
)
GAP_DUMP = (
    "1/4 Gap thread opening about the kestrel survey #birds\n"
    "2/4 Second part counts the kestrels\n"
    "4/4 Last part thanks @ornithologist\n"
)
# Quotes part 2 of GAP_DUMP word for word: one fragment, two threads.
QUOTE_DUMP = (
    "1/2 Owl census notes from the marsh, quoting the kestrel people:\n"
    "2/2 Second part counts the kestrels\n"
)
CYRILLIC_DUMP = (
    "1/2 Правозащитник Евгений Жовтис заявил о давлении на #НКО\n"
    "2/2 Бюро по правам человека приостановило работу @kibhr\n"
)
OSCE_TITLE = "#OSCE: ELECTIONS IN KAZAKHSTAN"


def build_archive(path: Path) -> Path:
    """The test archive at `path`: the five seeds, then the XSS, gap, quote and Cyrillic dumps."""
    seeds = sorted(SEEDS.glob("*.txt"))
    summary = ingest_sources(path, [(str(p), read_path(p)) for p in seeds])
    assert summary.sources_new == len(seeds)
    ingest_text(path, XSS_DUMP, name=XSS_NAME)
    ingest_text(path, GAP_DUMP, name="gap.txt")
    ingest_text(path, QUOTE_DUMP, name="quote.txt")
    ingest_text(path, CYRILLIC_DUMP, name="cyrillic.txt")
    return path


def make_datasette(db: Path, **settings) -> Datasette:
    """An in-process Datasette on `db` with the project's metadata, plugins and templates."""
    return Datasette([str(db)], metadata=json.loads(METADATA.read_text()), plugins_dir=str(PLUGINS),
                     template_dir=str(TEMPLATES), settings=settings or None)


def served_datasette(db: Path) -> Datasette:
    """An in-process Datasette as `archiver serve` starts it (archiver/serve.py: datasette_args),
    its settings included."""
    return make_datasette(db, **SETTINGS)


def thread_id_by_title(archive: Path, prefix: str) -> str:
    """The id of the thread whose title starts with `prefix`."""
    conn = sqlite3.connect(archive)
    row = conn.execute("select id from threads where title like ? || '%'", [prefix]).fetchone()
    conn.close()
    assert row, f"no thread titled {prefix!r}"
    return row[0]


def reader(ds: Datasette) -> dict[str, str]:
    """The cookies of a signed-in reader. The raw tables are for readers; anonymous visitors get
    the public views (tests/test_privacy.py)."""
    return {"ds_actor": ds.sign({"a": {"id": "reader"}}, "actor")}


# --- private material ------------------------------------------------------------------------------
MARKERS = ("zqxprivate", "zqxtag", "zqxhandle")  # words found only in the private sources below
PRIVATE_THREAD = (
    "1/3 Witness zqxprivate statement about the detention centre #zqxtag\n"
    "2/3 The guard zqxprivate named @zqxhandle in the corridor\n"
    "3/3 Second part counts the kestrels\n"  # quotes part 2 of the public GAP_DUMP
)
# The part 3/4 that the public gap thread (GAP_DUMP) lacks, in a private source.
PRIVATE_GAP = (
    "1/4 Gap thread opening about the kestrel survey #birds\n"
    "3/4 Third part zqxprivate counts the hidden nests\n"
)
PRIVATE_NAMES = ("zqxprivate-witness.txt", "zqxprivate-gap.txt")


def ingest_private(db: Path, folder: Path) -> None:
    """Write PRIVATE_THREAD and PRIVATE_GAP into `folder` and ingest each with --private."""
    for name, text in zip(PRIVATE_NAMES, (PRIVATE_THREAD, PRIVATE_GAP)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        summary = ingest_sources(db, [(str(path), read_path(path))], private=True)
        assert summary.sources_new == 1
