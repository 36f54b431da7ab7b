"""The command line: help with examples everywhere; threads and show make gaps and provenance visible."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive_helpers import run
from archiver.cli import cli, json_array

POSTS = {
    1: "THREAD: What the OSCE observers recorded at the snap presidential election in Kazakhstan 🧵",
    2: "The mission found that the election lacked genuine competition: no opposition candidate was "
       "registered, and the procedures for nomination were restrictive.",
    3: "Observers noted that fundamental freedoms of assembly and expression remain restricted, and that "
       "the media environment did not allow voters to make an informed choice.",
    4: "On the eve of the vote the akimats of Almaty, Astana, Shymkent and Taraz refused to authorise "
       "peaceful protests announced by civil activists.",
    5: "Several activists of the unregistered \"Alga Kazakhstan\" party were detained or given administrative "
       "arrests of up to 15 days in the week before election day.",
    6: "At polling stations, observers reported cases of group voting, ballot stuffing and identical "
       "signatures on voter lists in a number of regions.",
    7: "The counting was assessed negatively in a significant share of observed polling stations, mainly "
       "because procedures were not followed.",
    8: "The Foreign Ministry answered that the report \"suffers from a lack of objectivity\" and called the "
       "assessment biased.",
    9: "Human rights defenders called on the government to implement the ODIHR recommendations before the "
       "parliamentary elections.",
}
ABSENT = (4, 10)  # part 4 was never copied; part 10 was cut off at the end of the paste


def _dump() -> tuple[str, dict[int, tuple[int, int]]]:
    """The pasted thread and, per part, the 1-based lines of its text and its marker."""
    lines: list[str] = []
    spans = {}
    for n, text in POSTS.items():
        if n in ABSENT:
            continue
        lines.append(text)
        lines.append(f"{n}/10")
        spans[n] = (len(lines) - 1, len(lines))
        lines.append("")
    return "\n".join(lines), spans


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    text, spans = _dump()
    dump = folder / "osce-thread.txt"
    dump.write_text(text, encoding="utf-8")
    db = folder / "archive.db"
    result = run("ingest", db, dump)
    assert result.exit_code == 0, result.output
    listing = json.loads(run("threads", db, "--json").stdout)
    assert len(listing) == 1, listing
    return db, listing[0]["id"], spans


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example(name):
    result = run(name, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    assert re.search(rf"^\s+(\S+ \| )?archiver {name}\b", result.stdout, re.M), result.stdout


def test_top_level_help_lists_examples():
    result = run("--help")
    assert result.exit_code == 0
    for name in ("ingest", "threads", "serve"):
        assert f"archiver {name}" in result.stdout


def test_threads_lists_parts_present_and_missing(archive):
    db, tid, _ = archive
    result = run("threads", db)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith(tid))
    assert "8/10" in line
    assert "missing 4,10" in line
    row = json.loads(run("threads", db, "--json").stdout)[0]
    assert row["total"] == 10 and row["parts_present"] == 8
    assert row["missing"] == [4, 10]
    assert row["complete"] is False


def test_show_text_has_gaps_and_provenance(archive):
    db, tid, spans = archive
    result = run("show", db, tid)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[part 4/10 missing]" in out
    assert "[part 10/10 missing]" in out
    assert out.index("[3/10]") < out.index("[part 4/10 missing]") < out.index("[5/10]")
    assert out.rstrip().endswith("[part 10/10 missing]")
    for n, (a, b) in spans.items():
        assert f"osce-thread.txt lines {a}-{b}" in out, n
        assert POSTS[n] in out


def test_show_markdown_has_gaps_and_provenance(archive):
    db, tid, spans = archive
    result = run("show", db, tid, "--format", "markdown")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# ")
    assert "[part 4/10 missing]" in out and "[part 10/10 missing]" in out
    assert f"> {POSTS[2]}" in out
    a, b = spans[9]
    assert f"osce-thread.txt lines {a}-{b}" in out


def test_show_json_has_gaps_and_provenance(archive):
    db, tid, spans = archive
    result = run("show", db, tid, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["id"] == tid and doc["total"] == 10
    assert doc["missing"] == [4, 10]
    assert [p["n"] for p in doc["parts"]] == [n for n in POSTS if n not in ABSENT]
    for part in doc["parts"]:
        assert part["text"] == POSTS[part["n"]]
        assert part["marker"] == f"{part['n']}/10"
        (sighting,) = part["sightings"]
        assert sighting["source_name"] == "osce-thread.txt"
        assert (sighting["line_start"], sighting["line_end"]) == spans[part["n"]]


def test_show_unknown_thread_is_one_line(archive):
    db, _, _ = archive
    result = run("show", db, "ffffffffffff")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no thread with id ffffffffffff"


def test_serve_dry_run_prints_datasette_command(archive):
    db, _, _ = archive
    result = run("serve", db, "--dry-run", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "datasette serve" in result.stdout and str(db) in result.stdout and "8123" in result.stdout
    assert "127.0.0.1" in result.stdout


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.lists(JSON_VALUES, max_size=6), st.lists(JSON_VALUES, max_size=3))
def test_json_array_streams_exactly_what_json_dumps_prints(items, others):
    assert "".join(json_array(iter(items))) == json.dumps(items, ensure_ascii=False, indent=1)
    # one level deep, as `duplicates --json` writes its two arrays
    doc = '{\n "a": ' + "".join(json_array(iter(items), 1)) + ',\n "b": ' + "".join(json_array(iter(others), 1)) + "\n}"
    assert doc == json.dumps({"a": items, "b": others}, ensure_ascii=False, indent=1)
