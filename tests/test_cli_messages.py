"""The command line's messages, each asserted exactly: one line naming the real cause, the right exit
status (2 for arguments given wrongly, as click's usage errors; 1 for everything else), counts in
words, one JSON type per field, a paste's name, a hint at a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from archive_helpers import ROOT, SEED_FILES, SEEDS, run
from archiver import db as archive_db
from archiver import queries
from archiver.cli import cli
from archiver.errors import one_line
from archiver.sources import paste_name
from archiver.wording import plural

POSTS = [
    "The court in Astana heard the case of the activists who gathered outside on Monday morning.",
    "Witnesses said the police detained twelve people before the hearing even started that day.",
    "The judge refused to let journalists into the courtroom, citing a lack of space for them.",
    "Lawyers for the activists said they would appeal the decision to the higher court soon.",
]


def paste(numbers: list[int], total: int = 5) -> str:
    """A pasted thread: the given parts of POSTS, each closed by its `n/total` marker."""
    return "\n\n".join(f"{POSTS[n - 1]}\n{n}/{total}" for n in numbers) + "\n"


def only_line(text: str) -> str:
    """The one line of an output (asserting there is exactly one)."""
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A scratch folder as the working directory, holding a copy of the seeds as `seeds/`."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The seeds archive (read only by the tests that use it)."""
    db = tmp_path_factory.mktemp("seeded") / "archive.db"
    assert run("ingest", db, SEEDS).exit_code == 0
    return db


# --- arguments in the wrong place --------------------------------------------------------------------
def test_swapped_arguments_are_named_in_one_line(here):
    result = run("ingest", "seeds/", "new.db")
    assert result.exit_code == 2
    assert only_line(result.stderr) == "Error: seeds/ is a folder; the archive comes first: archiver ingest new.db seeds/"
    assert result.stdout == "" and not (here / "new.db").exists()


def test_a_folder_as_the_archive_suggests_an_archive_name(here):
    result = run("ingest", "seeds/", "seeds/000_456a8ef12e54a9f5.txt")
    assert result.exit_code == 2
    assert only_line(result.stderr) == ("Error: seeds/ is a folder; the archive comes first: archiver ingest archive.db"
                                         " seeds/ seeds/000_456a8ef12e54a9f5.txt")


def test_a_folder_given_to_a_reading_command(here):
    result = run("threads", "seeds/")
    assert result.exit_code == 2
    assert only_line(result.stderr) == ("Error: seeds/ is a folder, not an archive: give the archive's file,"
                                        " e.g. archiver threads archive.db")
    (here / "data").mkdir()
    assert run("ingest", "data/archive.db", "seeds/000_456a8ef12e54a9f5.txt").exit_code == 0
    result = run("show", "data", "abcd")
    assert result.exit_code == 2
    assert only_line(result.stderr) == ("Error: data is a folder, not an archive: give the archive's file,"
                                        " e.g. archiver show data/archive.db")


def test_usage_errors_are_one_line_with_exit_status_2(here):
    result = CliRunner().invoke(cli, ["ingest", "archive.db"], prog_name="archiver")
    assert result.exit_code == 2
    assert only_line(result.stderr) == ("Error: Missing argument 'PATHS...'. (Usage: archiver ingest [OPTIONS] DB"
                                        " PATHS...; see archiver ingest --help)")
    result = run("threads", "archive.db", "--jsn")
    assert result.exit_code == 2
    assert only_line(result.stderr).startswith("Error: No such option '--jsn'")


def test_a_new_archive_in_a_missing_folder_blames_the_folder(here):
    result = run("ingest", "no/such/dir/a.db", "seeds/")
    assert result.exit_code == 1
    assert only_line(result.stderr) == ("Error: cannot create no/such/dir/a.db: no such folder no/such/dir"
                                        " (create it first, or give another path)")
    assert not (here / "no").exists()


# --- files the tool cannot read: the advice is true -----------------------------------------------
def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_a_word_document_is_told_to_be_saved_as_text(here):
    _zip(here / "thread.docx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    result = run("ingest", "archive.db", "thread.docx")
    assert result.exit_code == 1
    assert only_line(result.stderr) == ("Error: thread.docx: the input is a Word document (.docx), not text: save it as"
                                        " plain text (.txt) or as a web page (.html) first, then ingest that")
    assert "archiver import" not in result.stderr
    result = run("import", "archive.db", "thread.docx")
    assert result.exit_code == 1
    assert only_line(result.stderr) == ("Error: thread.docx: a Word document (.docx), not a Twitter/X or Mastodon"
                                        " export: save it as plain text (.txt) or as a web page (.html) first, then"
                                        " ingest that (`archiver ingest`)")
    assert not (here / "archive.db").exists() or sqlite3.connect("archive.db").execute(
        "select count(*) from sources").fetchone()[0] == 0


def test_only_an_export_is_sent_to_import_and_import_takes_it(here):
    tweets = 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "id": "1", "full_text": "A post of the export",' \
             ' "created_at": "Mon Nov 20 08:00:00 +0000 2022", "entities": {}}}]'
    _zip(here / "twitter-2024.zip", {"data/tweets.js": tweets})
    result = run("ingest", "archive.db", "twitter-2024.zip")
    assert result.exit_code == 1
    assert only_line(result.stderr) == ("Error: twitter-2024.zip: the input is a Twitter/X export, not text: archive it"
                                        " with `archiver import`")
    assert run("import", "archive.db", "twitter-2024.zip").exit_code == 0  # the advice holds
    _zip(here / "notes.zip", {"a.txt": "hello"})
    result = run("ingest", "archive.db", "notes.zip")
    assert only_line(result.stderr) == ("Error: notes.zip: the input is a zip archive, not text: unpack it and ingest"
                                        " the files inside")
    (here / "notes.txt").write_text("Some notes\n", encoding="utf-8")
    result = run("import", "archive.db", "notes.txt")
    assert result.exit_code == 1
    assert only_line(result.stderr) == ("Error: notes.txt: not a Twitter/X export (tweets.js) or a Mastodon outbox.json;"
                                        " a text file or a saved page is archived with `archiver ingest`")
    assert run("ingest", "archive.db", "notes.txt").exit_code == 0  # and so it is


# --- parse and ingest skip the same way -----------------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def images(here):
    (here / "imgs").mkdir()
    (here / "imgs" / "a.png").write_bytes(PNG)
    (here / "imgs" / "b.jpg").write_bytes(JPEG)
    return here / "imgs"


SKIPPED = ["skipped imgs/a.png: the input is a PNG image, not text",
           "skipped imgs/b.jpg: the input is a JPEG image, not text"]


@pytest.mark.parametrize("args", [["imgs/"], ["imgs/a.png", "imgs/b.jpg"]], ids=["folder", "named"])
def test_nothing_readable_skips_each_then_says_so(images, args):
    parsed = run("parse", *args)
    assert parsed.exit_code == 1
    assert parsed.stderr.splitlines() == [*SKIPPED, "Error: nothing to parse: no input could be read (2 files skipped)"]
    ingested = run("ingest", "archive.db", *args)
    assert ingested.exit_code == 1
    assert ingested.stdout.splitlines() == SKIPPED
    assert ingested.stderr.splitlines() == ["Error: nothing to archive: no input could be read (2 files skipped)"]
    assert not Path("archive.db").exists()


def test_what_can_be_read_is_read_and_the_rest_skipped(images):
    text = "seeds/000_456a8ef12e54a9f5.txt"
    parsed = run("parse", "imgs/a.png", text, "imgs/b.jpg")
    assert parsed.exit_code == 0, parsed.output
    assert parsed.stderr.splitlines() == SKIPPED
    assert parsed.stdout.splitlines()[-1] == "1 item, 2 dropped spans, 0 duplicate groups; formats: plain 1"
    ingested = run("ingest", "archive.db", "imgs/a.png", text, "imgs/b.jpg")
    assert ingested.exit_code == 0, ingested.output
    assert ingested.stdout.splitlines()[0] == "sources: 1 new, 0 already archived"
    assert ingested.stdout.splitlines()[-2:] == SKIPPED


def test_an_empty_folder_says_no_file_was_found(here):
    (here / "empty").mkdir()
    for command in (["parse"], ["ingest", "archive.db"]):
        result = run(*command, "empty")
        assert result.exit_code == 1
        verb = "parse" if command == ["parse"] else "archive"
        assert only_line(result.stderr) == f"Error: nothing to {verb}: no file found in empty"


# --- a busy archive ---------------------------------------------------------------------------------------
def _hold_write_lock(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)  # released from a timer thread
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_busy_archive_waits_then_says_so(here, monkeypatch):
    assert run("ingest", "archive.db", "seeds/000_456a8ef12e54a9f5.txt").exit_code == 0
    monkeypatch.setattr(archive_db, "BUSY_TIMEOUT_MS", 1000)
    other = _hold_write_lock(here / "archive.db")
    try:
        start = time.monotonic()
        result = run("ingest", "archive.db", "seeds/001_ac1307bc80349681.txt")
        waited = time.monotonic() - start
        assert result.exit_code == 1
        assert only_line(result.stderr) == ("Error: archive.db is busy: another archiver is writing to it (waited 1 s);"
                                            " try again when it has finished")
        assert waited >= 0.9
        result = run("private", "archive.db", "000_456a8ef12e54a9f5.txt")
        assert result.exit_code == 1
        assert only_line(result.stderr) == ("Error: archive.db is busy: another archiver is writing to it (waited 1 s);"
                                            " try again when it has finished")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert sqlite3.connect("archive.db").execute("select count(*) from sources").fetchone()[0] == 1


def test_a_busy_archive_is_waited_for(here, monkeypatch):
    """The other writer finishes within the timeout: the ingest waits, then goes on."""
    assert run("ingest", "archive.db", "seeds/000_456a8ef12e54a9f5.txt").exit_code == 0
    monkeypatch.setattr(archive_db, "BUSY_TIMEOUT_MS", 20_000)
    other = _hold_write_lock(here / "archive.db")
    release = threading.Timer(0.7, lambda: other.execute("COMMIT"))
    release.start()
    try:
        start = time.monotonic()
        result = run("ingest", "archive.db", "seeds/001_ac1307bc80349681.txt")
        assert result.exit_code == 0, result.output
        assert time.monotonic() - start >= 0.6
    finally:
        release.join()
        other.close()


# --- the summary counts what the archive holds --------------------------------------------------------
def _stored(db: str) -> list[tuple[str, int, list[int]]]:
    return [(t["id"], t["parts_present"], t["missing"]) for t in json.loads(run("threads", db, "--json").stdout)]


def test_two_pastes_of_one_thread_one_after_the_other(here):
    first = run("ingest", "archive.db", "-", input=paste([1, 2]))
    assert first.stdout.splitlines()[1] == "threads: 1 new, 0 extended (now 2 parts, 3 missing)"
    second = run("ingest", "archive.db", "-", input=paste([2, 3, 4]))  # part 2 again: the pastes overlap
    (tid, parts, missing), = _stored("archive.db")
    assert (parts, missing) == (4, [5])
    lines = second.stdout.splitlines()
    assert lines[1] == "threads: 0 new, 1 extended (now 4 parts, 1 missing)"
    assert lines[-1] == f"merged into existing threads: {tid}"
    doc = json.loads(run("ingest", "archive.db", "-", "--json", input=paste([2, 3, 4]) + "\n").stdout)
    assert (doc["threads"], doc["threads_extended"], doc["parts"], doc["missing_parts"]) == (0, 1, 4, 1)
    assert doc["merged_threads"] == [tid]


def test_two_pastes_of_one_thread_in_one_ingest(here):
    (here / "a.txt").write_text(paste([1, 2]), encoding="utf-8")
    (here / "b.txt").write_text(paste([2, 3, 4]), encoding="utf-8")
    result = run("ingest", "archive.db", "a.txt", "b.txt")
    assert result.stdout.splitlines()[1] == "threads: 1 new, 0 extended (now 4 parts, 1 missing)"
    assert "merged into" not in result.stdout  # the thread is this ingest's own
    doc = json.loads(run("ingest", "again.db", "a.txt", "b.txt", "--json").stdout)
    assert (doc["threads"], doc["threads_extended"], doc["parts"], doc["missing_parts"]) == (1, 0, 4, 1)
    assert doc["merged_threads"] == []


def test_pastes_that_share_no_part_stay_two_threads_and_are_counted_so(here):
    """Parts 1-2 and 3-4 of 5 share no text: nothing says they are one thread, and the summary
    counts the two threads as stored."""
    (here / "a.txt").write_text(paste([1, 2]), encoding="utf-8")
    (here / "b.txt").write_text(paste([3, 4]), encoding="utf-8")
    doc = json.loads(run("ingest", "archive.db", "a.txt", "b.txt", "--json").stdout)
    stored = _stored("archive.db")
    assert (doc["threads"], doc["parts"], doc["missing_parts"]) == (
        len(stored), sum(p for _, p, _ in stored), sum(len(m) for _, _, m in stored)) == (2, 4, 6)


# --- one JSON type per field ------------------------------------------------------------------------------
BOOLEAN_FIELDS = {"complete", "inferred", "conflict", "private", "changed", "ok"}


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = (SEED_FILES[0].read_bytes().decode("utf-8").split("\n\n")[0]).encode("utf-8")
        page = b"<html><body><article><p>" + body + b"</p></article></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args):
        pass


def _every_json_document(tmp_path: Path) -> dict[str, object]:
    db = tmp_path / "archive.db"
    out: dict[str, object] = {}

    def doc(name: str, *args: str) -> None:
        result = run(*args)
        assert result.exit_code == 0, (name, result.output)
        out[name] = json.loads(result.stdout)

    doc("ingest", "ingest", db, SEEDS, "--json")
    doc("parse", "parse", SEEDS, "--json")
    doc("threads", "threads", db, "--json")
    tid = out["threads"][3]["id"]
    doc("show", "show", db, tid, "--format", "json")
    doc("duplicates", "duplicates", db, "--near", "--json")
    doc("verify", "verify", db, "--json")
    tweets = tmp_path / "tweets.js"
    tweets.write_text('window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "id": "1", "full_text": "A post",'
                      ' "created_at": "Mon Nov 20 08:00:00 +0000 2022", "entities": {}}}]', encoding="utf-8")
    doc("import", "import", db, tweets, "--json")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        doc("fetch", "fetch", db, origin + "/story", "--allow-origin", origin, "--json")
    finally:
        server.shutdown()
        server.server_close()
    doc("private", "private", db, SEED_FILES[0].name, "--json")
    doc("snapshot", "snapshot", db, tmp_path / "snapshot.db", "--json")
    return out


def _entities(docs: dict) -> dict[str, list[tuple[str, dict]]]:
    """The objects of each kind every command prints: (command, object)."""
    kinds: dict[str, list[tuple[str, dict]]] = {k: [] for k in ("thread", "part", "sighting", "source", "summary",
                                                                "counts")}
    kinds["thread"] += [("threads", t) for t in docs["threads"]] + [("show", docs["show"])]
    kinds["thread"] += [("parse", t) for t in docs["parse"]["threads"]]
    kinds["part"] += [("show", p) for p in docs["show"]["parts"]]
    kinds["part"] += [("parse", p) for t in docs["parse"]["threads"] for p in t["parts"]]
    kinds["sighting"] += [("show", s) for p in docs["show"]["parts"] for s in p["sightings"]]
    kinds["sighting"] += [("duplicates", s) for g in docs["duplicates"]["exact"] for s in g["sightings"]]
    kinds["source"] += [("parse", s) for s in docs["parse"]["sources"]] + [("private", s) for s in docs["private"]["sources"]]
    kinds["summary"] += [(name, docs[name]) for name in ("ingest", "import", "fetch")]
    kinds["counts"] += [("verify", docs["verify"]["checked"])]
    kinds["counts"] += [("snapshot", docs["snapshot"][k]) for k in ("kept", "removed", "rewritten")]
    return kinds


def _type(value) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "list", dict: "object"}[type(value)]


def test_every_command_gives_each_field_one_json_type(tmp_path):
    docs = _every_json_document(tmp_path)
    for kind, objects in _entities(docs).items():
        assert objects, kind
        seen: dict[str, dict[str, str]] = {}
        for command, obj in objects:
            for key, value in obj.items():
                if value is not None:
                    seen.setdefault(key, {}).setdefault(_type(value), command)
        mixed = {key: types for key, types in seen.items() if len(types) > 1}
        assert not mixed, f"{kind} fields with more than one JSON type: {mixed}"

    def walk(value, where):
        if isinstance(value, dict):
            for key, v in value.items():
                if key in BOOLEAN_FIELDS:
                    assert isinstance(v, bool), f"{where}.{key} is {v!r}, not a boolean"
                walk(v, f"{where}.{key}")
        elif isinstance(value, list):
            for v in value:
                walk(v, where + "[]")
        elif isinstance(value, str) and re.fullmatch(r"\[[\d, ]*\]", value):
            raise AssertionError(f"{where} holds a list written as a string: {value!r}")

    for name, doc in docs.items():
        walk(doc, name)
    # the fields of the issue: the same in `threads` and `show`
    listed = {t["id"]: t for t in docs["threads"]}[docs["show"]["id"]]
    assert listed["missing"] == docs["show"]["missing"] and listed["complete"] is docs["show"]["complete"]


# --- a paste at a terminal ----------------------------------------------------------------------------
def test_a_paste_at_a_terminal_is_told_how_to_end(tmp_path):
    """Standard input a terminal (a pseudo-terminal here): the hint comes before anything is read."""
    leader, follower = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "archiver", "ingest", str(tmp_path / "a.db"), "-"],
                            stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    try:
        ready, _, _ = select.select([proc.stderr], [], [], 60)
        assert ready, "no hint within 60 s"
        assert proc.stderr.readline().decode() == "Paste the text, then press Ctrl-D (Ctrl-Z Enter on Windows)\n"
        os.write(leader, paste([1, 2]).replace("\n", "\r").encode() + b"\r\x04")
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert b"sources: 1 new" in out


def test_no_hint_when_the_paste_is_piped(tmp_path):
    result = run("ingest", tmp_path / "a.db", "-", input=paste([1, 2]))
    assert result.exit_code == 0 and "Ctrl-D" not in result.output


# --- show takes a unique prefix -----------------------------------------------------------------------------
def test_show_takes_a_unique_prefix(seeded):
    ids = [t["id"] for t in json.loads(run("threads", seeded, "--json").stdout)]
    tid = next(t for t in ids if sum(1 for other in ids if other.startswith(t[:4])) == 1)
    whole = run("show", seeded, tid)
    prefixed = run("show", seeded, tid[:4])
    assert prefixed.exit_code == 0 and prefixed.stdout == whole.stdout
    assert run("show", seeded, tid[:6].upper()).stdout == whole.stdout
    short = run("show", seeded, tid[:3])
    assert short.exit_code == 1
    assert only_line(short.stderr) == f"Error: no thread with id {tid[:3]} (give at least 4 characters of an id)"
    absent = next(p for p in (f"{i:04x}" for i in range(65536)) if not any(t.startswith(p) for t in ids))
    result = run("show", seeded, absent)
    assert result.exit_code == 1 and only_line(result.stderr) == f"Error: no thread whose id starts with {absent}"


def test_show_names_an_ambiguous_prefix(seeded, monkeypatch):
    ids = sorted(t["id"] for t in json.loads(run("threads", seeded, "--json").stdout))
    first = next(c for c in "0123456789abcdef" if sum(1 for t in ids if t.startswith(c)) >= 2)
    matching = [t for t in ids if t.startswith(first)]
    monkeypatch.setattr(queries, "MIN_PREFIX", 1)  # the seeds' few threads share first digits, not four
    result = run("show", seeded, first)
    assert result.exit_code == 1
    listed = ", ".join(matching[:3]) + (", …" if len(matching) > 3 else "")
    assert only_line(result.stderr) == (f"Error: ambiguous: {len(matching)} threads start with {first} ({listed}):"
                                        " give more of the id")


# --- counts in words ------------------------------------------------------------------------------------------
def test_plural():
    assert [plural(n, "part") for n in (0, 1, 2)] == ["0 parts", "1 part", "2 parts"]
    assert plural(1, "near-duplicate pair") == "1 near-duplicate pair" and plural(3, "copy", "copies") == "3 copies"


def test_every_count_of_one_is_singular(here):
    """An archive of one source, one thread of one part: no command prints `1 parts` and the like."""
    one = "A single post about the court in Astana, long enough to be a text of its own here.\n"
    outputs = []
    ingested = run("ingest", "archive.db", "-", "--name", "one post", input=one)
    assert ingested.stdout.splitlines()[:3] == ["sources: 1 new, 0 already archived",
                                                "threads: 1 new, 0 extended (now 1 part, 0 missing)",
                                                "fragments: 1 new, 0 already known, 0 near-duplicate pairs"]
    parsed = run("parse", "-", input=one)
    assert parsed.stdout.splitlines()[-1] == "1 item, 0 dropped spans, 0 duplicate groups; formats: plain 1"
    (tid,) = [t["id"] for t in json.loads(run("threads", "archive.db", "--json").stdout)]
    shown = run("show", "archive.db", tid)
    assert shown.stdout.splitlines()[1] == f"post {tid}, 1 part"
    verified = run("verify", "archive.db")
    assert verified.stdout.splitlines()[-1] == "ok: checked 1 source, 1 fragment, 1 sighting"
    again = run("ingest", "archive.db", "-", input="  " + one.replace("\n", "  \n"))  # other bytes, the same text
    assert again.exit_code == 0
    duplicates = run("duplicates", "archive.db").stdout.splitlines()
    assert duplicates[0] == "exact duplicates: 1 text seen more than once"
    snapshot = run("snapshot", "archive.db", "snapshot.db").stdout.splitlines()
    assert re.fullmatch(r"snapshot\.db: [\d.]+ MB \(the archive [\d.]+ MB\), 2 sources, 1 fragment, 1 thread;"
                        r" left out: nothing private", snapshot[0]), snapshot[0]
    outputs += [ingested.output, parsed.output, shown.output, verified.output, again.output, *duplicates, *snapshot]
    assert not re.search(r"(?<![\d/.,])1 (parts|sources|threads|fragments|sightings|pairs|texts|items|problems|files"
                         r"|spans|groups|rows)\b", "\n".join(outputs))


# --- a paste's name ---------------------------------------------------------------------------------------------
def test_paste_name_is_the_time_and_first_words():
    when = datetime(2026, 12, 7, 4, 30, 59, tzinfo=timezone.utc)
    assert paste_name("\n\nActivists gathered outside the Astana court\n2/5\n", when) == \
        'paste 2026-12-07 04:30 UTC "Activists gathered outside the Astana court"'
    long = "Activists gathered outside the Astana court on Monday morning as the hearing of the case began"
    assert paste_name(long, when) == 'paste 2026-12-07 04:30 UTC "Activists gathered outside the Astana court on Monday…"'
    assert paste_name('🧵\nSaid "no"\u202e\x1b[2J here', when) == 'paste 2026-12-07 04:30 UTC "Said \'no\' [2J here"'
    assert paste_name("🧵 ⋯\n", when) == "paste 2026-12-07 04:30 UTC"


@given(st.text(max_size=300))
def test_a_paste_name_is_one_safe_line(text):
    name = paste_name(text, datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc))
    assert one_line(name) == name and "\n" not in name
    assert name.startswith("paste 2026-01-02 03:04 UTC") and name.count('"') in (0, 2)
    assert len(name) <= len('paste 2026-01-02 03:04 UTC ""') + 61


def test_a_paste_is_named_by_its_first_words_and_the_time(here):
    before = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    assert run("ingest", "archive.db", "-", input=paste([1, 2])).exit_code == 0
    after = datetime.now(timezone.utc)
    (name,) = [r[0] for r in sqlite3.connect("archive.db").execute("select name from sources")]
    m = re.fullmatch(r'paste (\d{4}-\d\d-\d\d \d\d:\d\d) UTC "The court in Astana heard the case of the activists who…"',
                     name)
    assert m, name
    assert before <= datetime.strptime(m.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc) <= after
    shown = run("show", "archive.db", _stored("archive.db")[0][0]).stdout
    assert f"  -- {name} lines 1-2" in shown  # the citation reads well
    parsed = json.loads(run("parse", "-", "--json", input=paste([1, 2])).stdout)
    assert re.fullmatch(r'paste \d{4}-\d\d-\d\d \d\d:\d\d UTC "The court in Astana heard the case of the activists'
                        r' who…"', parsed["sources"][0]["name"])


def test_a_paste_can_be_named(here):
    assert run("ingest", "archive.db", "-", "--name", "Astana court thread", input=paste([1, 2])).exit_code == 0
    parsed = json.loads(run("parse", "-", "--name", "Astana court thread", "--json", input=paste([1])).stdout)
    assert parsed["sources"][0]["name"] == "Astana court thread"
    # a name printed on one line: its line ends and control characters are taken out
    assert run("ingest", "archive.db", "-", "--name", "court\nError: forged\x1b[31m", input=paste([3])).exit_code == 0
    names = [r[0] for r in sqlite3.connect("archive.db").execute("select name from sources order by id")]
    assert names == ["Astana court thread", "court Error: forged [31m"]
    result = run("ingest", "archive.db", "seeds/000_456a8ef12e54a9f5.txt", "--name", "x")
    assert result.exit_code == 2
    assert only_line(result.stderr) == "Error: --name names a paste (standard input, `-`); files keep their own names"
    result = run("ingest", "archive.db", "-", "--name", " \t", input=paste([4]))
    assert result.exit_code == 1 and only_line(result.stderr) == "Error: --name is blank: give the paste a name with words in it"


def test_two_pastes_of_one_name_are_told_apart(here):
    for numbers in ([1, 2], [1, 3], [1, 4]):  # the same first line, within the same minute (or named so)
        assert run("ingest", "archive.db", "-", "--name", "Astana court", input=paste(numbers)).exit_code == 0
    names = [r[0] for r in sqlite3.connect("archive.db").execute("select name from sources order by id")]
    assert names == ["Astana court", "Astana court (2)", "Astana court (3)"]
    again = run("ingest", "archive.db", "-", input=paste([1, 3]))  # given again: named as archived
    assert again.stdout.splitlines()[-1] == "already archived: Astana court (2)"
