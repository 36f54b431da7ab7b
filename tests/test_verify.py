"""Issue F: `archiver verify` passes a fresh archive and names every kind of corruption it finds."""

from __future__ import annotations

import codecs
import json
import sqlite3

import pytest

from archive_helpers import SEEDS, copy_archive, run
from archiver.db import open_db
from archiver.verify import span_gives_text, verify_archive


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("verify")
    db = folder / "archive.db"
    assert run("ingest", db, SEEDS).exit_code == 0
    # A source whose raw bytes are stored (UTF-16 big-endian does not re-encode identically).
    be = folder / "utf16be.txt"
    be.write_bytes(codecs.BOM_UTF16_BE + "Выборы в Мажилис прошли без конкуренции, заявили наблюдатели ОБСЕ.\n"
                   .encode("utf-16-be"))
    assert run("ingest", db, be).exit_code == 0
    return db


@pytest.fixture
def archive(pristine, tmp_path):
    db = tmp_path / "archive.db"
    copy_archive(pristine, db)
    return db


def _corrupt(db, *statements):
    conn = sqlite3.connect(db)
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def _verify(db):
    result = run("verify", db)
    return result.exit_code, result.stdout


def test_fresh_archive_verifies_clean(archive):
    code, out = _verify(archive)
    assert code == 0, out
    assert out.startswith("ok: checked 6 sources")
    assert verify_archive(open_db(archive, create=False)) == []


def test_json_report(archive):
    result = run("verify", archive, "--json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and doc["ok"] is True and doc["problems"] == []
    assert doc["checked"]["sources"] == 6


def test_changed_source_content_is_caught(archive):
    sid = sqlite3.connect(archive).execute("select id from sources where raw is null order by id").fetchone()[0]
    _corrupt(archive, ("update sources set content = replace(content, 'Tax', 'Fax') where id = ?", [sid]))
    code, out = _verify(archive)
    assert code == 1
    assert f"source-hash: sources {sid} (000_456a8ef12e54a9f5.txt)" in out
    assert "sighting:" in out  # its lines no longer give the fragments seen there


def test_changed_raw_bytes_are_caught(archive):
    _corrupt(archive, ("update sources set raw = cast(substr(raw, 1, length(raw) - 2) as blob)"
                       " where name = 'utf16be.txt'", []))
    code, out = _verify(archive)
    assert code == 1
    assert "source-hash: sources 6 (utf16be.txt)" in out


def test_content_that_differs_from_its_raw_bytes_is_caught(archive):
    _corrupt(archive, ("update sources set content = replace(content, 'ОБСЕ', 'ООН') where name = 'utf16be.txt'", []))
    code, out = _verify(archive)
    assert code == 1
    assert "source-content: sources 6 (utf16be.txt): content differs from its raw bytes" in out


def test_changed_fragment_text_is_caught(archive):
    conn = sqlite3.connect(archive)
    fid = conn.execute("select fragment_id from sightings order by id limit 1 offset 3").fetchone()[0]
    conn.close()
    _corrupt(archive, ("update fragments set text = replace(text, 'the', 'a') where id = ?", [fid]))
    code, out = _verify(archive)
    assert code == 1
    assert f"fragment-hash: fragments {fid}" in out
    assert f"(fragment {fid}, source" in out
    assert "the source's lines no longer give the fragment's text" in out
    # The triggers kept the search index in step with the edit: no FTS problem is reported.
    assert "fts:" not in out


def test_moved_sighting_is_caught(archive):
    _corrupt(archive, ("update sightings set line_start = line_start + 1, line_end = line_end + 1"
                       " where id = (select min(id) from sightings where line_end > line_start)", []))
    code, out = _verify(archive)
    assert code == 1
    assert "sighting: sightings" in out


def test_part_and_sighting_rowids_that_disagree_with_their_ids_are_caught(archive):
    """Parts and sightings name fragments and threads twice (id and rowid); verify checks the pairs."""
    conn = sqlite3.connect(archive)
    pid, fid = conn.execute("select rowid, fragment_id from thread_parts order by rowid limit 1").fetchone()
    sid, tid = conn.execute("select id, thread_id from sightings where thread_id is not null order by id limit 1").fetchone()
    conn.close()
    _corrupt(archive, ("update thread_parts set fragment_rowid = fragment_rowid + 1 where rowid = ?", [pid]),
             ("update sightings set thread_rowid = 999999 where id = ?", [sid]))
    problems = verify_archive(open_db(archive, create=False))
    refs = [p for p in problems if p.check == "reference"]
    assert [(p.table, fid in p.key) for p in refs if p.table == "thread_parts"] == [("thread_parts", True)]
    assert [p for p in refs if p.table == "sightings" and p.key.startswith(f"{sid} ") and tid in p.key
            and "no thread" in p.message]
    assert run("verify", archive).exit_code != 0


def test_fts_entry_written_behind_the_triggers_is_caught(archive):
    _corrupt(archive, ("insert into fragments_fts (rowid, text) values (?, ?)", [999999, "forged entry"]))
    code, out = _verify(archive)
    assert code == 1
    assert "fts: fragments_fts integrity-check" in out
    assert "fts: fragments_fts row count" in out


def test_stale_fts_entry_is_caught(archive):
    conn = sqlite3.connect(archive)
    conn.execute("drop trigger threads_au")
    conn.execute("update threads set title = 'a forged title' where rowid = 1")
    conn.commit()
    conn.close()
    code, out = _verify(archive)
    assert code == 1
    assert "fts: threads_fts trigger threads_au" in out
    assert "fts: threads_fts integrity-check" in out


def test_deleted_fts_entry_is_caught(archive):
    conn = sqlite3.connect(archive)
    rowid, text = conn.execute("select rowid, text from fragments limit 1").fetchone()
    conn.execute("insert into fragments_fts (fragments_fts, rowid, text) values ('delete', ?, ?)", [rowid, text])
    conn.commit()
    conn.close()
    code, out = _verify(archive)
    assert code == 1
    assert "fts: fragments_fts" in out


def test_every_problem_is_named(archive):
    conn = sqlite3.connect(archive)
    fid = conn.execute("select id from fragments order by rowid limit 1 offset 5").fetchone()[0]
    conn.close()
    _corrupt(archive,
             ("update sources set content = content || 'x' where id = 2", []),
             ("update fragments set text = text || ' (edited)' where id = ?", [fid]),
             ("insert into threads_fts (rowid, title, author) values (424242, 'forged', null)", []))
    result = run("verify", archive, "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    checks = {(p["check"], p["table"]) for p in doc["problems"]}
    assert ("source-hash", "sources") in checks
    assert ("fragment-hash", "fragments") in checks
    assert ("fts", "threads_fts") in checks


def test_span_check_tolerates_markers_blank_lines_and_spacers():
    lines = ["2/10", "What did the regime dislike?", "\u2800", "Tokayev did not allow the opposition."]
    text = "What did the regime dislike?\nTokayev did not allow the opposition."
    assert span_gives_text(lines, 1, 4, text, ["2/10"])
    assert not span_gives_text(lines, 1, 4, text.replace("regime", "party"), ["2/10"])
    # A marker cut out of the middle of a line.
    assert span_gives_text(["The court fined the bureau 3/5 and suspended it."], 1, 1,
                           "The court fined the bureau and suspended it.", ["3/5"])


def test_verify_never_creates_an_archive(tmp_path):
    result = run("verify", tmp_path / "none.db")
    assert result.exit_code == 1
    assert not (tmp_path / "none.db").exists()


# --- a thread's structure: the digest the writer kept (archiver/digest.py) ------------------------------

def _a_thread(archive) -> tuple[str, int]:
    """A thread with at least two parts and a title and author."""
    conn = sqlite3.connect(archive)
    row = conn.execute("select t.id, t.rowid from threads t where t.author is not null and t.title != ''"
                       " and (select count(*) from thread_parts p where p.thread_rowid = t.rowid) >= 2"
                       " order by t.rowid limit 1").fetchone()
    conn.close()
    assert row
    return row


CHANGED = "its parts, sightings, title, author or total changed since the writer stored it"


@pytest.mark.parametrize("sql", [
    "delete from sightings where id = (select min(id) from sightings where thread_rowid = :t)",
    "delete from thread_parts where rowid = (select max(rowid) from thread_parts where thread_rowid = :t)",
    "update thread_parts set n = n + 7 where thread_rowid = :t",
    "update threads set title = 'Tokayev resigns: a forged title' where rowid = :t",
    "update threads set author = '@forged_author' where rowid = :t",
    "update threads set total = coalesce(total, 0) + 1 where rowid = :t",
    "update sightings set source_id = (select max(id) from sources) where id = (select max(id) from sightings"
    " where thread_rowid = :t and source_id != (select max(id) from sources))",
], ids=["deleted sighting", "deleted part", "renumbered part", "forged title", "forged author", "forged total",
        "sighting moved to another source"])
def test_a_tampered_thread_is_caught(archive, sql):
    tid, rowid = _a_thread(archive)
    assert _verify(archive)[0] == 0
    _corrupt(archive, (sql, {"t": rowid}))
    code, out = _verify(archive)
    assert code == 1
    assert f"structure: threads {tid}: {CHANGED} (digest " in out
    assert sum(line.startswith("structure:") for line in out.splitlines()) == 1  # that thread alone


def test_every_thread_renumbered_is_named(archive):
    """The issue's `update thread_parts set n = n + 7`: every thread with a numbered part."""
    conn = sqlite3.connect(archive)
    numbered = {r[0] for r in conn.execute("select distinct thread_id from thread_parts where n is not null")}
    conn.close()
    _corrupt(archive, ("update thread_parts set n = n + 7", []))
    problems = verify_archive(open_db(archive, create=False))
    assert {p.key for p in problems if p.check == "structure"} == numbered and len(numbered) > 5


def test_a_tampered_public_projection_is_caught(tmp_path):
    """The projection's threads keep their digests too: a part of a public thread deleted there is
    named (as pub_threads), and so is a sighting of the projection that is not one of the archive's."""
    from archiver.ingest import ingest_text

    db = tmp_path / "archive.db"
    ingest_text(db, "1/2 Monitors counted the ballots twice.\n2/2 The second count found forty more votes.\n",
                name="public.txt")
    ingest_text(db, "A private statement about the count that nobody else saw.\n", name="private.txt")
    conn = sqlite3.connect(db)
    conn.execute("update sources set private = 1 where name = 'private.txt'")
    conn.commit()
    conn.close()
    open_db(db).conn.close()  # repaired: the projection is built
    assert _verify(db)[0] == 0
    conn = sqlite3.connect(db)
    tid = conn.execute("select id from pub_threads").fetchone()[0]
    conn.close()
    _corrupt(db, ("delete from pub_thread_parts where rowid = (select max(rowid) from pub_thread_parts)", []),
             ("update pub_sightings set line_start = 40, line_end = 41 where id = (select min(id) from pub_sightings)",
              []))
    code, out = _verify(db)
    assert code == 1
    assert f"structure: pub_threads {tid}: {CHANGED}" in out
    assert "projection: pub_sightings" in out and "not a sighting of the archive" in out


def test_a_thread_written_without_a_digest_is_named(archive):
    tid, rowid = _a_thread(archive)
    _corrupt(archive, ("update threads set digest = null where rowid = ?", [rowid]))
    code, out = _verify(archive)
    assert code == 1 and f"structure: threads {tid}: no digest kept: not written by the archiver's writer" in out
