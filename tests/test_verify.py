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
