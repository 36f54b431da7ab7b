"""Full-text indexes written once per transaction (archiver/fts.py): correctness and migration."""

from __future__ import annotations

import sqlite3

import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_helpers import SEED_FILES, SEEDS, make_dumps, run
from archiver.db import _schema_complete, open_db
from archiver.fts import FTS, TOKENIZE, ensure_fts, fts_current, pending_fts, update_fts
from archiver.normalize import content_hash
from archiver.verify import verify_archive


def _matches(conn: sqlite3.Connection, table: str, word: str) -> list[int]:
    return sorted(r[0] for r in conn.execute(f"select rowid from {table}_fts where {table}_fts match ?", [f'"{word}"']))


def _integrity(conn: sqlite3.Connection) -> None:
    for table in FTS:
        conn.execute(f"insert into {table}_fts ({table}_fts, rank) values ('integrity-check', 1)")


def _small_archive() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("create table fragments (id text primary key, text text not null)")
    conn.execute("create table threads (id text primary key, title text, author text, parts integer)")
    ensure_fts(conn)
    return conn


WORDS = ["almaty", "astana", "ballot", "court", "decree", "observer"]
ops = st.lists(st.one_of(
    st.tuples(st.just("insert"), st.sampled_from(["fragments", "threads"]), st.sampled_from(WORDS)),
    st.tuples(st.just("update"), st.sampled_from(["fragments", "threads"]), st.sampled_from(WORDS)),
    st.tuples(st.just("delete"), st.sampled_from(["fragments", "threads"]), st.just("")),
    st.tuples(st.just("count"), st.just("threads"), st.just("")),  # an update of a column not indexed
    st.tuples(st.just("index"), st.just(""), st.just("")),
), max_size=40)


@settings(max_examples=150, deadline=None)
@given(ops, st.randoms(use_true_random=False))
def test_any_mix_of_writes_leaves_the_index_equal_to_the_table(steps, rng):
    """Inserts, updates and deletes in any order, with `update_fts` between some of them: once it
    has run, every index holds exactly its table's rows as they stand (FTS5's own integrity check
    against the table, and a search per word)."""
    conn = _small_archive()
    counter = 0
    for op, table, word in steps:
        column = "text" if table == "fragments" else "title"
        rowids = [r[0] for r in conn.execute(f"select rowid from {table}")] if table else []
        if op == "insert":
            counter += 1
            conn.execute(f"insert into {table} (id, {column}) values (?, ?)", [f"id{counter}", f"a {word} post"])
        elif op == "update" and rowids:
            conn.execute(f"update {table} set {column} = ? where rowid = ?", [f"now {word}", rng.choice(rowids)])
        elif op == "delete" and rowids:
            conn.execute(f"delete from {table} where rowid = ?", [rng.choice(rowids)])
        elif op == "count" and rowids:
            conn.execute("update threads set parts = coalesce(parts, 0) + 1 where rowid = ?", [rng.choice(rowids)])
        elif op == "index":
            update_fts(conn)
    update_fts(conn)
    assert pending_fts(conn) == {"fragments": 0, "threads": 0}
    _integrity(conn)
    for table, column in (("fragments", "text"), ("threads", "title")):
        for word in WORDS:
            expected = sorted(r[0] for r in conn.execute(f"select rowid from {table} where {column} like ?",
                                                         [f"% {word}%"]))
            assert _matches(conn, table, word) == expected


def test_a_new_row_taking_the_rowid_of_a_deleted_indexed_one_is_indexed():
    """Deleting the last indexed row lets SQLite give its rowid to the next row: the mark moves back."""
    conn = _small_archive()
    conn.execute("insert into threads (id, title) values ('a', 'first ballot'), ('b', 'second ballot')")
    update_fts(conn)
    conn.execute("delete from threads where id = 'b'")
    conn.execute("insert into threads (id, title) values ('c', 'third decree')")
    assert conn.execute("select rowid from threads where id = 'c'").fetchone() == (2,)
    update_fts(conn)
    assert _matches(conn, "threads", "decree") == [2] and _matches(conn, "threads", "ballot") == [1]
    _integrity(conn)


def test_ingest_leaves_no_row_waiting_and_no_insert_trigger(tmp_path):
    db = tmp_path / "archive.db"
    assert run("ingest", db, SEEDS).exit_code == 0
    conn = sqlite3.connect(db)
    assert pending_fts(conn) == {"fragments": 0, "threads": 0} and fts_current(conn)
    assert not conn.execute("select name from sqlite_master where type = 'trigger' and name like '%_ai'").fetchall()
    conn.close()
    assert verify_archive(open_db(db, create=False)) == []


def test_a_row_added_without_indexing_is_reported_then_indexed_by_the_next_ingest(tmp_path):
    db = tmp_path / "archive.db"
    assert run("ingest", db, SEED_FILES[0]).exit_code == 0
    text = "A post written by another tool, straight into the table about the zhanaozen strike."
    h = content_hash(text)
    conn = sqlite3.connect(db)
    conn.execute("insert into fragments (id, hash, kind, text, chars) values (?, ?, 'post', ?, ?)",
                 [h[:16], h, text, len(text)])
    conn.commit()
    problems = verify_archive(open_db(db, create=False))
    assert [(p.check, p.key) for p in problems] == [("fts", "rows waiting")]
    assert _matches(conn, "fragments", "zhanaozen") == []
    assert run("ingest", db, SEED_FILES[1]).exit_code == 0
    assert len(_matches(conn, "fragments", "zhanaozen")) == 1
    conn.close()
    assert verify_archive(open_db(db, create=False)) == []


def _make_old_style(db) -> None:
    """Turn an archive into what versions before archiver/fts.py made: sqlite-utils' per-row triggers."""
    conn = sqlite3.connect(db, isolation_level=None)
    names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'trigger'")]
    for name in names:
        conn.execute(f'drop trigger "{name}"')
    conn.execute("drop table fts_indexed")
    old = sqlite_utils.Database(conn)
    for table, cols in FTS.items():
        old[table].enable_fts(cols, create_triggers=True, tokenize=TOKENIZE, replace=True)
    conn.close()


def test_an_archive_with_per_row_triggers_keeps_its_index_and_is_brought_up_to_date(tmp_path):
    db = tmp_path / "archive.db"
    assert run("ingest", db, SEED_FILES[0]).exit_code == 0
    _make_old_style(db)
    conn = sqlite3.connect(db)
    assert not _schema_complete(sqlite_utils.Database(conn))
    segments = conn.execute("select count(*) from fragments_fts_data").fetchone()[0]
    conn.close()
    assert run("ingest", db, SEED_FILES[1]).exit_code == 0  # opening for writing brings the schema up to date
    conn = sqlite3.connect(db)
    assert fts_current(conn) and pending_fts(conn) == {"fragments": 0, "threads": 0}
    assert conn.execute("select count(*) from fragments_fts_data").fetchone()[0] >= segments  # kept, not rebuilt
    _integrity(conn)
    conn.close()
    assert verify_archive(open_db(db, create=False)) == []


def test_an_old_archive_that_lost_its_triggers_is_indexed_again(tmp_path):
    """An FTS index found without its triggers may have missed rows: it is made again from its table."""
    db = tmp_path / "archive.db"
    assert run("ingest", db, SEEDS).exit_code == 0
    _make_old_style(db)
    conn = sqlite3.connect(db)
    for table in FTS:
        conn.execute(f"drop trigger {table}_ai")
    text = "A post written while the index trigger was gone."
    h = content_hash(text)
    conn.execute("insert into fragments (id, hash, kind, text, chars) values (?, ?, 'post', ?, ?)",
                 [h[:16], h, text, len(text)])
    conn.commit()
    conn.close()
    assert {p.check for p in verify_archive(open_db(db, create=False))} == {"fts"}
    repaired = open_db(db)  # opening for writing ensures the schema
    assert _schema_complete(repaired)
    assert verify_archive(repaired) == []
    assert len(_matches(repaired.conn, "fragments", "trigger")) == 1


def _segments(conn: sqlite3.Connection, table: str) -> int:
    # FTS5 keeps a segment's pages in %_data under rowids whose high bits (from bit 37) are the segment id
    return conn.execute(f"select count(distinct id >> 37) from {table}_fts_data where id >> 37 > 0").fetchone()[0]


def test_a_grouped_ingest_writes_each_index_once_per_transaction(tmp_path, monkeypatch):
    """Twelve dumps stored in one transaction: one INSERT ... SELECT per index, fired by no trigger,
    and one new segment per index (a trigger wrote a segment for every statement that fired it)."""
    import archiver.ingest as ingest

    paths = make_dumps(tmp_path / "dumps", 12, seed=5, parts=(3, 7))
    monkeypatch.setattr(ingest, "COMMIT_SECONDS", 3600.0)
    statements: list[str] = []
    real_open = ingest.open_db

    def traced(path):
        db = real_open(path)
        db.conn.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(ingest, "open_db", traced)
    db = tmp_path / "archive.db"
    ingest.ingest_sources(db, [(str(p), p) for p in paths], workers=0)
    for table in FTS:
        writes = [q for q in statements if q.lstrip().startswith(f'INSERT INTO "{table}_fts"')]
        assert len(writes) == 1, writes
    assert not [q for q in statements if q.startswith("-- TRIGGER")]
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from fragments").fetchone()[0] > 50
    assert _segments(conn, "fragments") == 1 and _segments(conn, "threads") == 1
    _integrity(conn)
    conn.close()


def test_every_index_keeps_its_settings_and_an_older_archive_gets_them(tmp_path):
    """A new archive's indexes hold SETTINGS (a 16 MiB pending buffer, 16-way merges); an archive made
    with FTS5's defaults is given them the next time it is opened for writing, its index kept."""
    from archiver.fts import SETTINGS, _settings

    db = tmp_path / "archive.db"
    assert run("ingest", db, SEED_FILES[0]).exit_code == 0
    conn = sqlite3.connect(db)
    assert all(_settings(conn, table) == SETTINGS for table in FTS)
    for table in FTS:  # as an archive made before the settings were kept
        conn.execute(f"delete from {table}_fts_config where k in ('hashsize', 'automerge')")
    conn.commit()
    assert not fts_current(conn)
    words = _matches(conn, "fragments", "election")
    conn.close()
    conn = open_db(db).conn
    assert fts_current(conn) and all(_settings(conn, table) == SETTINGS for table in FTS)
    assert _matches(conn, "fragments", "election") == words and words
    _integrity(conn)
