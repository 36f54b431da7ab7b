"""Files that hold no text: refused with one line and a non-zero exit, skipped (and reported) in folders."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from archive_helpers import SEED_FILES, counts, dump_all, run, run_subprocess


def _pdf() -> bytes:
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


UNUSABLE = {
    "report.pdf": (_pdf(), "PDF"),
    "screenshot.png": (_png(), "PNG"),
    "zeros.bin": (b"\x00" * 4096, "NUL"),
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"\n \n\t\n\xe2\xa0\x80\n", "blank"),  # spaces and a U+2800 spacer only
}


@pytest.mark.parametrize("name", UNUSABLE)
def test_unusable_file_is_refused_in_one_line(tmp_path, name):
    data, word = UNUSABLE[name]
    path = tmp_path / name
    path.write_bytes(data)
    db = tmp_path / "archive.db"
    proc = run_subprocess("ingest", db, path)
    assert proc.returncode != 0
    err = proc.stderr.decode()
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert name in lines[0] and word in lines[0]
    assert "Traceback" not in err
    assert not db.exists()


@pytest.mark.parametrize("name", UNUSABLE)
def test_unusable_file_writes_nothing_to_an_existing_archive(tmp_path, name):
    db = tmp_path / "archive.db"
    assert run("ingest", db, SEED_FILES[0]).exit_code == 0
    before = dump_all(db)
    path = tmp_path / name
    path.write_bytes(UNUSABLE[name][0])
    result = run("ingest", db, path)
    assert result.exit_code != 0
    assert dump_all(db) == before


@pytest.mark.parametrize("name", ["report.pdf", "zeros.bin"])
def test_unusable_paste_is_refused(tmp_path, name):
    db = tmp_path / "archive.db"
    proc = run_subprocess("ingest", db, "-", input=UNUSABLE[name][0])
    assert proc.returncode != 0
    assert len([line for line in proc.stderr.decode().splitlines() if line.strip()]) == 1
    assert not db.exists()


def _mixed_folder(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, (data, _) in UNUSABLE.items():
        (folder / name).write_bytes(data)
    for f in SEED_FILES[:2]:
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def test_folder_ingest_skips_unusable_files_and_goes_on(tmp_path):
    folder = _mixed_folder(tmp_path)
    db = tmp_path / "archive.db"
    result = run("ingest", db, folder)
    assert result.exit_code == 0, result.output
    assert "sources: 2 new" in result.stdout
    for name in UNUSABLE:
        assert any(line.startswith("skipped") and name in line for line in result.stdout.splitlines()), name
    assert counts(db)["sources"] == 2


def test_folder_ingest_reports_skips_in_json(tmp_path):
    folder = _mixed_folder(tmp_path)
    result = run("ingest", tmp_path / "archive.db", folder, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["sources"]["new"] == 2
    skipped = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in doc["sources"]["skipped"]}
    assert set(skipped) == set(UNUSABLE)
    assert "PDF" in skipped["report.pdf"] and "PNG" in skipped["screenshot.png"]


def test_folder_of_only_unusable_files_fails_and_creates_nothing(tmp_path):
    folder = tmp_path / "junk"
    folder.mkdir()
    for name, (data, _) in UNUSABLE.items():
        (folder / name).write_bytes(data)
    db = tmp_path / "archive.db"
    result = run("ingest", db, folder)
    assert result.exit_code != 0
    assert not db.exists()
