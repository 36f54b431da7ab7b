"""Re-ingesting any dump changes no row: every table, FTS shadow tables and index tables included."""

from __future__ import annotations

import shutil

import pytest

from archive_helpers import (SEED_FILES, connect, copy_archive, dump_all, numbered_dump, part_texts, run,
                            table_names, unnumbered_dump)
from archiver.db import open_db


def _dumps(folder):
    """Seeds plus dumps that exercise merging, conflicts, alignment and near-duplicates."""
    folder.mkdir()
    texts = part_texts(21)
    unnumbered = part_texts(22, 7)
    made = {
        "split_first.txt": numbered_dump(texts, range(1, 7)),
        "split_second.txt": numbered_dump(texts, range(5, 11)),
        "conflict.txt": numbered_dump(texts[:5] + ["A different sixth part: " + texts[5]] + texts[6:], range(4, 8)),
        "chain_one.txt": unnumbered_dump(unnumbered, range(1, 5)),
        "chain_two.txt": unnumbered_dump(unnumbered, range(3, 8)),
        "reworded.txt": "Recall, " + texts[2] + "\n",
    }
    paths = []
    for name, text in made.items():
        p = folder / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return [*SEED_FILES, *paths]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    base = tmp_path_factory.mktemp("idempotent")
    dumps = _dumps(base / "dumps")
    db = base / "archive.db"
    for p in dumps:
        result = run("ingest", db, p)
        assert result.exit_code == 0, result.output
    conn = connect(db)
    # the archive really holds what these tests are about
    assert conn.execute("select count(*) from thread_aliases").fetchone()[0] >= 2
    assert conn.execute("select count(*) from near_duplicates").fetchone()[0] >= 3
    assert conn.execute("select count(*) from thread_parts where conflict = 1").fetchone()[0] == 2
    assert conn.execute("select count(*) from fragment_bands").fetchone()[0] > 0
    conn.close()
    return db, dumps


@pytest.fixture
def copy(archive, tmp_path):
    db, dumps = archive
    target = tmp_path / "archive.db"
    copy_archive(db, target)
    return target, dumps


def test_dump_all_sees_every_table(archive):
    db, _ = archive
    names = set(table_names(connect(db)))
    assert {"fragment_bands", "neardup_index", "near_duplicates", "thread_aliases", "fragments_fts_data"} <= names
    assert set(dump_all(db)) == names


def test_reingesting_each_dump_changes_no_row(copy):
    db, dumps = copy
    before = dump_all(db)
    for p in dumps:
        result = run("ingest", db, p, "--json")
        assert result.exit_code == 0, result.output
        assert '"new": 0' in result.output
        assert dump_all(db) == before, p.name


def test_reingesting_everything_at_once_in_another_order_changes_no_row(copy):
    db, dumps = copy
    before = dump_all(db)
    result = run("ingest", db, *reversed(dumps))
    assert result.exit_code == 0 and f"0 new, {len(dumps)} already archived" in result.output
    assert dump_all(db) == before


def test_reingesting_as_a_paste_or_under_another_name_changes_no_row(copy, tmp_path):
    db, dumps = copy
    before = dump_all(db)
    for p in dumps[-4:]:
        assert run("ingest", db, "-", input=p.read_bytes()).exit_code == 0
        renamed = tmp_path / f"renamed {p.name}"
        shutil.copy(p, renamed)
        assert run("ingest", db, renamed).exit_code == 0
    assert dump_all(db) == before


def test_reading_and_reopening_change_no_row(copy):
    db, _ = copy
    before = dump_all(db)
    for args in (("duplicates", db, "--near", "--json"), ("duplicates", db), ("threads", db), ("verify", db)):
        result = run(*args)
        assert result.exit_code == 0, result.output
    open_db(db).conn.close()
    assert dump_all(db) == before


def test_an_archive_from_before_the_index_gets_its_tables_and_columns(copy):
    db, _ = copy
    conn = connect(db)
    conn.execute("drop table fragment_bands")
    conn.execute("drop table neardup_index")
    for (view,) in conn.execute("select name from sqlite_master where type = 'view'").fetchall():
        conn.execute(f'drop view "{view}"')  # an archive from before the public views, too
    conn.execute("alter table threads drop column conflicts")
    conn.commit()
    conn.close()
    database = open_db(db)
    names = set(database.table_names())
    assert {"fragment_bands", "neardup_index"} <= names
    assert "conflicts" in {c.name for c in database["threads"].columns}
    database.conn.close()
    once = dump_all(db)
    open_db(db).conn.close()  # a second open finds nothing to add
    assert dump_all(db) == once
    # the next ingest that brings a new source rebuilds the near-duplicate index for the whole archive
    assert run("ingest", db, "-", input="A paste that is new to this archive and long enough to index.\n").exit_code == 0
    conn = connect(db)
    assert conn.execute("select count(*) from fragment_bands").fetchone()[0] > 0
    assert conn.execute("select value from neardup_index where name = 'indexed_rowid'").fetchone()[0] == \
        str(conn.execute("select max(rowid) from fragments").fetchone()[0])
