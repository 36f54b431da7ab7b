"""The evidence package (archiver/package.py): `archiver export DB THREAD_ID DIR|ZIP` writes it,
`sha256sum -c SHA256SUMS` and `archiver verify --package` check it, and a change to any byte of it,
or a forged text, is named.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from archive_helpers import SEEDS, run
from archiver.ingest import ingest_sources
from archiver.sources import read_bytes

PRIVATE_GAP = "1/4 Gap thread opening about the kestrel survey #birds\n3/4 Third part zqxsecret counts the nests\n"
GAP = "1/4 Gap thread opening about the kestrel survey #birds\n2/4 Second part counts the kestrels\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("evidence") / "archive.db"
    assert run("ingest", db, SEEDS).exit_code == 0
    ingest_sources(db, [("gap.txt", read_bytes(GAP.encode(), "gap.txt", "file"))])
    ingest_sources(db, [("witness.txt", read_bytes(PRIVATE_GAP.encode(), "witness.txt", "file"))], private=True)
    return db


OSCE = "23a0c79db9d1"


def gap_id(archive: Path) -> str:
    out = run("threads", archive, "--json").output
    return next(t["id"] for t in json.loads(out) if t["title"].startswith("Gap thread opening"))


def test_export_to_a_zip_and_verify_it(archive, tmp_path):
    dest = tmp_path / "osce.zip"
    result = run("export", archive, OSCE, dest)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{dest}: thread {OSCE}, 6 files, 1 source, {sum(i.file_size for i in zipfile.ZipFile(dest).infolist()):,} bytes",
        f"check it: `archiver verify --package {dest}`, or unzip it, then `sha256sum -c SHA256SUMS` in thread-{OSCE}/"]
    checked = run("verify", "--package", dest)
    assert checked.exit_code == 0
    assert checked.output == (f"ok: {dest}: 5 files match SHA256SUMS, the sources' sha256 are the archive's,"
                              " every part is at its cited lines\n")


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum")
def test_export_to_a_folder_checks_with_sha256sum(archive, tmp_path):
    dest = tmp_path / "osce"
    assert run("export", archive, OSCE, dest).exit_code == 0
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dest, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert sorted(check.stdout.splitlines()) == sorted(
        f"{p.relative_to(dest).as_posix()}: OK" for p in dest.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    (seed,) = (dest / "sources").iterdir()
    assert seed.read_bytes() == (SEEDS / "003_3681a0714a60d3fd.txt").read_bytes()
    (dest / "thread.md").write_text("# forged\n")
    assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dest, capture_output=True).returncode == 1


def test_the_package_holds_the_thread_whole(archive, tmp_path):
    dest = tmp_path / "osce"
    run("export", archive, OSCE, dest, "--url", f"https://archive.example.org/-/threads/{OSCE}")
    doc = json.loads((dest / "thread.json").read_text())
    assert doc["format"] == "thread-archiver evidence package" and doc["thread"]["id"] == OSCE
    assert [p["n"] for p in doc["thread"]["parts"]] == list(range(1, 10)) and doc["thread"]["missing"] == [10]
    import sqlite3

    conn = sqlite3.connect(archive)
    (sha,) = conn.execute("select sha256 from sources where name = '003_3681a0714a60d3fd.txt'").fetchone()
    conn.close()
    assert [(s["sha256"], s["file"]) for s in doc["sources"]] == [(sha, "sources/4-003_3681a0714a60d3fd.txt")]
    citation = (dest / "citation.txt").read_text()
    assert f"thread {OSCE}, archived " in citation and f": https://archive.example.org/-/threads/{OSCE}" in citation
    assert "*number inferred*" in (dest / "thread.md").read_text()
    assert "sha256sum -c SHA256SUMS" in (dest / "README.txt").read_text()


def _tampered(archive: Path, tmp_path: Path, change) -> list[str]:
    dest = tmp_path / "pkg"
    if dest.exists():
        shutil.rmtree(dest)
    assert run("export", archive, OSCE, dest).exit_code == 0
    change(dest)
    result = run("verify", "--package", dest)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1].endswith(f": {dest}") and "problem" in lines[-1]
    return lines[:-1]


def test_a_changed_source_byte_is_named(archive, tmp_path):
    def change(dest):
        (source,) = (dest / "sources").iterdir()
        data = bytearray(source.read_bytes())
        data[100] ^= 1
        source.write_bytes(bytes(data))

    problems = _tampered(archive, tmp_path, change)
    assert problems[0] == "sources/4-003_3681a0714a60d3fd.txt: sha256 differs from SHA256SUMS"
    assert problems[1].startswith("source 4 (003_3681a0714a60d3fd.txt): the file's sha256 is not the one the archive"
                                  " recorded (3e016064f3ea38e2")


def test_a_forged_text_with_a_remade_manifest_is_named(archive, tmp_path):
    import hashlib

    def change(dest):
        doc = json.loads((dest / "thread.json").read_text())
        doc["thread"]["parts"][1]["text"] = "The OSCE praised the elections."
        (dest / "thread.json").write_text(json.dumps(doc))
        files = sorted(p for p in dest.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
        (dest / "SHA256SUMS").write_text("".join(
            f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(dest).as_posix()}\n" for p in files))

    assert _tampered(archive, tmp_path, change) == [
        "part 2: source 4 lines 4-6 do not give its text", "thread.md is not the Markdown of thread.json"]


def test_an_added_or_missing_file_is_named(archive, tmp_path):
    def change(dest):
        (dest / "extra.txt").write_text("slipped in")
        (dest / "citation.txt").unlink()

    assert _tampered(archive, tmp_path, change) == [
        "citation.txt: listed in SHA256SUMS but missing", "extra.txt: not listed in SHA256SUMS"]


def test_public_export_leaves_private_material_out(archive, tmp_path):
    gap = gap_id(archive)
    full, public = tmp_path / "full.zip", tmp_path / "public.zip"
    assert run("export", archive, gap, full).exit_code == 0
    assert run("export", archive, gap, public, "--public").exit_code == 0
    read = lambda path: b"".join(zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist())  # noqa: E731
    assert b"zqxsecret" in read(full) and b"witness.txt" in read(full)
    assert b"zqxsecret" not in read(public) and b"witness.txt" not in read(public)
    assert b"[part 3/4 missing]" in read(public)
    assert run("verify", "--package", public).exit_code == 0


def test_export_errors_are_one_line(archive, tmp_path):
    result = run("export", archive, "nosuchthread", tmp_path / "x.zip")
    assert (result.exit_code, result.output) == (1, "Error: no thread with id nosuchthread\n")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "file").write_text("x")
    result = run("export", archive, OSCE, taken)
    assert (result.exit_code, result.output) == (1, f"Error: {taken} exists and is not an empty folder: choose another\n")
    (tmp_path / "x.zip").write_text("x")
    result = run("export", archive, OSCE, tmp_path / "x.zip")
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'x.zip'} exists already: choose another name\n")


def test_verify_names_what_is_not_a_package(archive, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run("verify", folder)
    assert (result.exit_code, result.output) == (
        2, f"Error: {folder} is a folder, not an archive (an evidence package? archiver verify --package {folder})\n")
    result = run("verify", "--package", folder)
    assert (result.exit_code, result.output) == (1, f"no SHA256SUMS in the package\n1 problem: {folder}\n")
    bad = tmp_path / "bad.zip"
    bad.write_text("not a zip")
    result = run("verify", "--package", bad)
    assert (result.exit_code, result.output) == (1, f"Error: {bad}: neither a folder nor a zip file\n")


def test_a_package_too_large_to_build_here_says_so(archive):
    from archiver.db import open_db
    from archiver.package import TooLarge, build_package
    from archiver.queries import load_thread

    db = open_db(archive, create=False)
    thread = load_thread(db, OSCE)
    with pytest.raises(TooLarge, match=f"the sources of thread {OSCE} hold more than 0 MB: use `archiver export`"):
        build_package(db.conn, thread, False, None, "Thread Archiver", max_source_bytes=1000)
    assert build_package(db.conn, thread, False, None, "Thread Archiver", max_source_bytes=10_000)
    db.conn.close()
