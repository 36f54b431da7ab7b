"""Files too large to hold in memory are ingested a block at a time (archiver/stream.py).

The thresholds are lowered here so that small files take the streaming path; the result must be
the archive the in-memory path builds from the same file.
"""

import sqlite3

import pytest
from archive_helpers import big_dump, canonical, ingest_bytes, original_bytes, run
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver import stream
from archiver.models import split_lines


@pytest.fixture
def small_stream(monkeypatch):
    """Stream anything over 2 KB, in odd-sized blocks (multi-byte characters get split) and small chunks."""
    monkeypatch.setattr(stream, "STREAM_BYTES", 2000)
    monkeypatch.setattr(stream, "BLOCK_BYTES", 777)
    monkeypatch.setattr(stream, "STREAM_CHUNK_CHARS", 3000)
    monkeypatch.setattr(stream, "CUT_REACH", 300)


def test_a_streamed_file_gives_the_archive_the_in_memory_path_gives(tmp_path, monkeypatch):
    """Threads each opened by a status URL: every chunk is cut where a thread starts, so the
    chunks rebuild what the whole text rebuilds; the re-pasted thread is folded across chunks."""
    text = big_dump(articles=False)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")

    whole = tmp_path / "whole.db"
    assert run("ingest", whole, path).exit_code == 0

    monkeypatch.setattr(stream, "STREAM_BYTES", 2000)
    monkeypatch.setattr(stream, "BLOCK_BYTES", 777)
    monkeypatch.setattr(stream, "STREAM_CHUNK_CHARS", 3000)
    monkeypatch.setattr(stream, "CUT_REACH", 300)
    assert stream.is_large(path)
    streamed = tmp_path / "streamed.db"
    result = run("ingest", streamed, path, "--json")
    assert result.exit_code == 0, result.output
    assert canonical(streamed) == canonical(whole)
    conn = sqlite3.connect(streamed)
    # the stretch pasted again at the end is seen twice: its parts are the first copy's
    assert conn.execute("select count(*) from sightings where line_start > ? and fragment_id in"
                        " (select fragment_id from sightings where line_start < 100)",
                        [len(split_lines(text)) - 30]).fetchone()[0] > 0
    assert run("verify", streamed).exit_code == 0

    again = run("ingest", streamed, path)
    assert "0 new, 1 already archived" in again.output


def test_a_streamed_file_accounts_for_every_line(tmp_path, small_stream):
    """Articles cut anywhere: whatever the cuts, every sighting's lines give its fragment's text
    (verify), every line of the file is in a part or a dropped span, the content is the file."""
    text = big_dump(seed=8)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "a.db"
    assert run("ingest", db, path).exit_code == 0
    assert run("verify", db).exit_code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("select content from sources").fetchone()[0] == text
    covered = set()
    for start, end in conn.execute("select line_start, line_end from sightings union all"
                                   " select line_start, line_end from dropped"):
        covered.update(range(start, end + 1))
    lines = split_lines(text)
    assert {i + 1 for i, line in enumerate(lines) if line.strip()} <= covered


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1251", "utf-8"])
def test_streamed_encodings_keep_raw_bytes_and_content(tmp_path, small_stream, encoding):
    body = ("Выборы в Мажилис прошли 10 января; наблюдатели ОБСЕ отметили нарушения.\n"
            "1/3 Тенге упал. Правозащитники задержаны в Алматы.\n\n") * 80
    if encoding == "utf-8":
        body = "Zhovtis 🧵 défenseurs " + body
    raw = body.encode(encoding)
    row = ingest_bytes(tmp_path, raw, "big.txt")
    assert row["encoding"] == encoding
    assert row["content"] == body
    assert row["lines"] == len(split_lines(body))
    assert original_bytes(row) == raw
    assert run("verify", tmp_path / "archive.db").exit_code == 0


def test_unusable_large_files_are_refused(tmp_path, small_stream):
    blank = tmp_path / "blank.txt"
    blank.write_text("\n \u2800\n" * 2000, encoding="utf-8")
    binary = tmp_path / "nul.bin"
    binary.write_bytes(b"\0" * 10_000)
    for path in (blank, binary):
        result = run("ingest", tmp_path / "a.db", path)
        assert result.exit_code == 1
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "a.db").exists()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.just(""), st.just("https://x.com/a/status/1"), st.text(min_size=0, max_size=90)),
                max_size=120), st.booleans())
def test_chunks_are_the_lines_of_the_text_in_order(lines_in, trailing):
    text = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines_in)
    text += "\n" if trailing else ""
    old = stream.STREAM_CHUNK_CHARS, stream.CUT_REACH
    stream.STREAM_CHUNK_CHARS, stream.CUT_REACH = 200, 7
    try:
        blocks = [text[i:i + 37] for i in range(0, len(text), 37)]
        chunks = list(stream.iter_chunks(iter(blocks)))
    finally:
        stream.STREAM_CHUNK_CHARS, stream.CUT_REACH = old
    lines = split_lines(text)
    assert [line for _, chunk in chunks for line in chunk] == lines
    starts = [first for first, _ in chunks]
    assert starts == [sum(len(c) for _, c in chunks[:k]) for k in range(len(chunks))]
    for _, chunk in chunks:  # bounded: a chunk ends within CUT_REACH lines past STREAM_CHUNK_CHARS
        assert sum(len(line) + 1 for line in chunk[:max(0, len(chunk) - 7)]) < 200


def test_a_large_paste_is_spooled_not_held(tmp_path, small_stream):
    """Standard input past the threshold goes to a temporary file and takes the streaming path."""
    text = big_dump(seed=5, articles=False)
    db = tmp_path / "a.db"
    result = run("ingest", db, "-", input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    name, kind, same = conn.execute("select name, kind, content = ? from sources", [text]).fetchone()
    assert (kind, same) == ("paste", 1)
    # named as a small paste is, by the time and its first line (read back from the spooled file)
    assert name.startswith("paste ") and name.endswith(' UTC "https://twitter.com/monitor0/status/1000"'), name
    small = run("ingest", db, "-", input=b"1/2 The court fined the bureau.\n2/2 Its work is suspended.\n")
    assert small.exit_code == 0 and "sources: 1 new" in small.output


def test_a_large_file_in_a_folder_of_many(tmp_path, small_stream):
    """In a folder ingest (the bulk path, worker processes) a large file is scanned by a worker
    and stored by the writer in its own transaction, between the small ones, in input order."""
    from archive_helpers import make_dumps

    folder = tmp_path / "dumps"
    make_dumps(folder, 9, seed=4, parts=(2, 3))
    big = big_dump(seed=6, articles=False)
    (folder / "dump_004b_big.txt").write_text(big, encoding="utf-8")
    assert sum(stream.is_large(p) for p in folder.iterdir()) == 1
    db = tmp_path / "a.db"
    result = run("ingest", db, folder, "--json")
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("select name from sources order by id")]
    assert names == sorted(p.name for p in folder.iterdir())
    assert conn.execute("select content from sources where name = 'dump_004b_big.txt'").fetchone()[0] == big
    assert run("verify", db).exit_code == 0


def test_a_streamed_file_that_needed_repair_verifies(tmp_path, small_stream):
    """UTF-8 with a stretch of Latin-1 bytes in it: detected on a sample, repaired block by block;
    the raw bytes are kept and `verify` decodes them again the same way (block by block)."""
    body = big_dump(seed=9, articles=False).encode("utf-8")
    raw = body[:20000] + "café naïve défenseurs\n".encode("latin-1") + body[20000:]
    path = tmp_path / "mixed.txt"
    path.write_bytes(raw)
    db = tmp_path / "a.db"
    assert run("ingest", db, path).exit_code == 0
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = conn.execute("select * from sources").fetchone()
    assert row["repair"] and original_bytes(row) == raw
    assert run("verify", db).exit_code == 0
    conn.execute("update sources set content = replace(content, 'Almaty', 'Astana')")
    conn.commit()
    caught = run("verify", db)
    assert caught.exit_code == 1 and "content differs from its raw bytes decoded again" in caught.output + caught.stderr


def test_a_streamed_file_of_damaged_utf8_is_read_as_utf8(tmp_path, small_stream):
    """Mostly-UTF-8 text with a bad byte pair: streamed, it is decided as the in-memory path decides
    (UTF-8, the bad bytes marked U+FFFD), the raw bytes kept, and `verify` agrees."""
    from archiver.sources import decode_bytes

    body = ("Выборы в Мажилис прошли 10 января; наблюдатели ОБСЕ отметили нарушения.\n"
            "1/3 Тенге упал. Правозащитники задержаны в Алматы.\n\n") * 80
    raw = body.encode("utf-8")
    cut = raw.index("задержаны".encode(), 3000) + 4
    raw = raw[:cut] + b"\xc0\xaf" + raw[cut:]
    row = ingest_bytes(tmp_path, raw, "big.txt")
    assert stream.is_large(tmp_path / "big.txt")
    assert (row["encoding"], row["repair"]) == ("utf-8", "utf-8 with 2 undecodable bytes replaced by U+FFFD")
    assert row["content"] == decode_bytes(raw)[0] == raw.decode("utf-8", errors="replace")
    assert row["content"].count("\ufffd") == 2 and original_bytes(row) == raw
    assert run("verify", tmp_path / "archive.db").exit_code == 0
