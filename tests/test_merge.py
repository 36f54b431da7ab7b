"""Cross-dump thread merging: a thread captured in pieces becomes one thread, whatever the order."""

from __future__ import annotations

import itertools
import json
import sqlite3

import pytest

from archive_helpers import connect, numbered_dump, part_texts, run, unnumbered_dump
from archiver.db import open_db
from archiver.queries import load_thread, resolve_thread_id
from archiver.verify import verify_archive

def _write(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _ingest(db, *paths):
    for p in paths:
        result = run("ingest", db, p, "--json")
        assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _threads(db) -> list[tuple]:
    conn = connect(db)
    try:
        return conn.execute("select id, kind, total, parts, missing, complete, conflicts from threads"
                            " order by id").fetchall()
    finally:
        conn.close()


def _sightings_per_part(db, thread_id: str) -> dict[int, int]:
    conn = connect(db)
    try:
        return dict(conn.execute("select n, count(*) from sightings where thread_id = ? group by n", [thread_id]))
    finally:
        conn.close()


def _structure(db) -> dict:
    """Threads, parts, sightings (sources by name) and aliases: what must not depend on ingest order."""
    # merges move parts and sightings between threads: their rowid references must follow
    assert [p for p in verify_archive(open_db(db, create=False)) if p.check == "reference"] == []
    conn = connect(db)
    try:
        return {
            "threads": conn.execute("select id, kind, title, author, total, missing, complete, parts, conflicts"
                                    " from threads order by id").fetchall(),
            # every column but the rowids, which number rows in the order they were written
            "parts": conn.execute("select thread_id, n, fragment_id, inferred, marker, conflict, author, posted_at,"
                                  " external_id, parent_id, url from thread_parts order by thread_id, n, fragment_id"
                                  ).fetchall(),
            "sightings": conn.execute(
                "select s.fragment_id, src.name, s.line_start, s.line_end, s.thread_id, s.n from sightings s"
                " join sources src on src.id = s.source_id order by 1, 2, 3").fetchall(),
            "aliases": conn.execute("select alias, thread_id from thread_aliases order by alias").fetchall(),
            "fragments": conn.execute("select id, text from fragments order by id").fetchall(),
        }
    finally:
        conn.close()


@pytest.fixture
def split(tmp_path):
    texts = part_texts(11)
    first = _write(tmp_path, "first.txt", numbered_dump(texts, range(1, 7)))
    second = _write(tmp_path, "second.txt", numbered_dump(texts, range(5, 11)))
    return first, second


def test_split_capture_gives_one_thread_in_either_order(tmp_path, split):
    first, second = split
    ab, ba = tmp_path / "ab.db", tmp_path / "ba.db"
    _ingest(ab, first, second)
    _ingest(ba, second, first)
    for db in (ab, ba):
        (thread,) = _threads(db)
        tid, kind, total, parts, missing, complete, conflicts = thread
        assert (kind, total, parts, json.loads(missing), complete, conflicts) == ("thread", 10, 10, [], 1, 0)
        stored = load_thread(open_db(db, create=False), tid)
        assert [p.n for p in stored.parts] == list(range(1, 11))
        per_part = _sightings_per_part(db, tid)
        assert per_part == {n: 2 if n in (5, 6) else 1 for n in range(1, 11)}
        for n in (5, 6):
            (part,) = [p for p in stored.parts if p.n == n]
            assert {s.source_name for s in part.sightings} == {"first.txt", "second.txt"}
    assert _threads(ab)[0][0] == _threads(ba)[0][0]
    assert _structure(ab) == _structure(ba)


def test_the_other_id_is_an_alias_that_still_resolves(tmp_path, split):
    first, second = split
    db = tmp_path / "archive.db"
    parsed = [json.loads(run("parse", p, "--json").output)["threads"][0]["id"] for p in split]
    assert parsed[0] != parsed[1]  # each dump alone gives its own id
    _ingest(db, first, second)
    (thread,) = _threads(db)
    canonical = thread[0]
    assert canonical == min(parsed)
    database = open_db(db, create=False)
    for tid in parsed:
        assert resolve_thread_id(database, tid) == canonical
        assert run("show", db, tid).exit_code == 0
    conn = connect(db)
    assert conn.execute("select alias, thread_id from thread_aliases").fetchall() == [(max(parsed), canonical)]


def test_summary_names_the_merged_thread(tmp_path, split):
    first, second = split
    db = tmp_path / "archive.db"
    one = _ingest(db, first)
    assert one["threads"] == 1 and one["merged_threads"] == []
    two = _ingest(db, second)
    (thread,) = _threads(db)
    assert two["threads"] == 0 and two["merged_threads"] == [thread[0]]
    assert two["fragments"] == {"new": 4, "known": 2, "near_duplicates": two["fragments"]["near_duplicates"]}
    text = run("ingest", tmp_path / "other.db", first).output + run("ingest", tmp_path / "other.db", second).output
    assert f"merged into existing threads: {thread[0]}" in text


def test_two_texts_for_one_part_number_are_both_kept_as_a_conflict(tmp_path):
    texts = part_texts(12)
    other = part_texts(99, 1)[0]
    db = tmp_path / "archive.db"
    first = _write(tmp_path, "first.txt", numbered_dump(texts, range(1, 7)))
    edited = list(texts)
    edited[5] = other  # part 6 says something else in the second capture
    second = _write(tmp_path, "second.txt", numbered_dump(edited, range(5, 11)))
    _ingest(db, first, second)
    (thread,) = _threads(db)
    tid, _, _, parts, missing, complete, conflicts = thread
    assert (parts, json.loads(missing), complete, conflicts) == (10, [], 1, 1)
    conn = connect(db)
    rows = conn.execute("select f.text, p.conflict from thread_parts p join fragments f on f.id = p.fragment_id"
                        " where p.thread_id = ? and p.n = 6", [tid]).fetchall()
    assert sorted(rows) == sorted([(texts[5], 1), (other, 1)])
    assert conn.execute("select count(*) from thread_parts where conflict = 1").fetchone()[0] == 2


def test_a_bridging_dump_joins_two_threads_in_any_order(tmp_path):
    texts = part_texts(13)
    dumps = [
        _write(tmp_path, "head.txt", numbered_dump(texts, range(1, 4))),
        _write(tmp_path, "tail.txt", numbered_dump(texts, range(8, 11))),
        _write(tmp_path, "middle.txt", numbered_dump(texts, range(3, 9))),
    ]
    ids = {json.loads(run("parse", p, "--json").output)["threads"][0]["id"] for p in dumps}
    assert len(ids) == 3
    structures = []
    for k, order in enumerate(itertools.permutations(dumps)):
        db = tmp_path / f"order{k}.db"
        _ingest(db, *order)
        (thread,) = _threads(db)
        assert thread[0] == min(ids) and thread[3] == 10 and json.loads(thread[4]) == []
        structures.append(_structure(db))
    assert all(s == structures[0] for s in structures)


def test_an_unnumbered_chain_captured_twice_is_aligned_by_its_shared_posts(tmp_path):
    texts = part_texts(5, 7)
    one = _write(tmp_path, "one.txt", unnumbered_dump(texts, range(1, 6)))
    two = _write(tmp_path, "two.txt", unnumbered_dump(texts, range(3, 8)))
    results = []
    for name, order in (("a.db", (one, two)), ("b.db", (two, one))):
        db = tmp_path / name
        _ingest(db, *order)
        (thread,) = _threads(db)
        stored = load_thread(open_db(db, create=False), thread[0])
        assert [(p.n, p.text) for p in stored.parts] == list(enumerate(texts, 1))
        results.append(_structure(db))
    assert results[0] == results[1]


def test_no_merge_across_authors_or_numbers(tmp_path):
    texts = part_texts(14)
    db = tmp_path / "archive.db"
    mine = _write(tmp_path, "mine.txt", numbered_dump(texts, range(1, 5)))
    # the same words posted by someone else, and a copy claiming other part numbers
    theirs = _write(tmp_path, "theirs.txt", numbered_dump(texts, range(3, 7), header="Someone Else\n@someone_else\n\n"))
    shifted = _write(tmp_path, "shifted.txt", "KZ Monitor\n@kz_monitor\n\n" + "\n\n".join(
        f"{texts[n - 1]}\n{n + 2}/12" for n in range(1, 4)) + "\n")
    _ingest(db, mine, theirs, shifted)
    assert len(_threads(db)) == 3
    assert connect(db).execute("select count(*) from thread_aliases").fetchone()[0] == 0


def test_articles_sharing_paragraphs_stay_apart(tmp_path):
    from archive_helpers import SEED_FILES

    db = tmp_path / "archive.db"
    _ingest(db, SEED_FILES[0], SEED_FILES[2])
    conn = connect(db)
    assert conn.execute("select count(*) from threads where kind = 'article'").fetchone()[0] == 2
    assert conn.execute("select count(*) from thread_aliases").fetchone()[0] == 0


def test_merged_thread_page_follows_the_alias(tmp_path, split):
    first, second = split
    db = tmp_path / "archive.db"
    _ingest(db, first, second)
    alias, canonical = sqlite3.connect(db).execute("select alias, thread_id from thread_aliases").fetchone()
    by_alias = run("show", db, alias, "--format", "json")
    by_id = run("show", db, canonical, "--format", "json")
    assert by_alias.exit_code == 0 and by_alias.output == by_id.output
    assert json.loads(by_id.output)["id"] == canonical


def test_a_later_copy_of_an_aligned_capture_lands_on_the_aligned_numbers(tmp_path):
    texts = part_texts(5, 7)
    one = _write(tmp_path, "one.txt", unnumbered_dump(texts, range(1, 6)))
    two = _write(tmp_path, "two.txt", unnumbered_dump(texts, range(3, 8)))
    again = _write(tmp_path, "two again.txt", unnumbered_dump(texts, range(3, 8)) + "\n")  # other bytes
    for name, order in (("a.db", (one, two, again)), ("b.db", (two, one, again)), ("c.db", (two, again, one))):
        db = tmp_path / name
        _ingest(db, *order)
        (thread,) = _threads(db)
        assert thread[6] == 0  # no conflicts
        stored = load_thread(open_db(db, create=False), thread[0])
        assert [(p.n, p.text) for p in stored.parts] == list(enumerate(texts, 1))
        assert _sightings_per_part(db, thread[0]) == {1: 1, 2: 1, 3: 3, 4: 3, 5: 3, 6: 2, 7: 2}
