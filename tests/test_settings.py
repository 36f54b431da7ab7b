"""One settings object holds every weight and threshold of reconstruction, overridable per call."""

from __future__ import annotations

import dataclasses
import pickle

from archiver import reconstruct
from archiver.parse import parse_text
from archiver.reconstruct import reconstruct_text
from archiver.settings import DEFAULT, Settings, current, using

# two unmarked posts of about 200 characters each, one blank line between them
FIRST = ("The district court in Almaty fined the observers' bureau two hundred monthly indices on Monday, "
         "saying its report on the January events had not been registered with the ministry in time.")
SECOND = ("Its lawyers say the registration rule did not exist when the report was published, and that the "
          "bureau will appeal the fine and the three-month suspension of its work in the city court.")
TEXT = f"{FIRST}\n\n{SECOND}\n"


def _part_counts(result) -> list[int]:
    return [len(t.parts) for t in result.threads]


def test_the_post_limit_is_read_from_the_settings_of_the_call():
    # together the two paragraphs run over 304 weighted characters: two posts
    assert _part_counts(parse_text(TEXT)) == [2]
    # a caller allowing longer posts gets one post of two paragraphs, and the defaults are untouched
    assert _part_counts(parse_text(TEXT, settings=Settings(post_limit=1000))) == [1]
    assert current() is DEFAULT and DEFAULT.post_limit == 304
    assert _part_counts(parse_text(TEXT)) == [2]


def test_a_gap_weight_is_read_from_the_settings_of_the_call():
    short = "The court fined the bureau today.\n\nIts work is suspended for three months.\n"
    assert _part_counts(parse_text(short)) == [1]  # one blank line between two short texts: one post
    assert _part_counts(parse_text(short, settings=Settings(gap_blank=5.0))) == [2]


def test_settings_are_restored_after_a_call_that_fails():
    try:
        with using(Settings(post_limit=7)):
            assert current().post_limit == 7
            raise ValueError("boom")
    except ValueError:
        pass
    assert current() is DEFAULT


def test_settings_reach_the_worker_processes_of_a_long_text(monkeypatch):
    # a text long enough to be cut into chunks is parsed in other processes: they get the settings too
    monkeypatch.setattr(reconstruct, "PARALLEL_CHUNK_CHARS", 2_000)
    text = "\n\n\n".join([TEXT] * 40)
    threads, _ = reconstruct_text(text, settings=Settings(post_limit=1000))
    assert {len(t.parts) for t in threads if t.kind != "article"} <= {1}
    threads, _ = reconstruct_text(text)
    assert 2 in {len(t.parts) for t in threads}


def test_settings_are_frozen_picklable_and_documented():
    assert pickle.loads(pickle.dumps(DEFAULT)) == DEFAULT
    try:
        DEFAULT.post_limit = 1  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("Settings must be frozen")
    source = open(reconstruct.__file__.replace("reconstruct.py", "settings.py"), encoding="utf-8").read()
    for f in dataclasses.fields(Settings):
        line = next(line for line in source.splitlines() if line.strip().startswith(f"{f.name}:"))
        assert "#" in line, f"{f.name} has no comment saying what it weighs"
