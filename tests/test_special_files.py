"""Issue J.4: only regular files are read. A FIFO, a device or a socket, named directly, found in a
folder or reached through a symlink (to /dev/zero), is refused or skipped with a one-line reason,
and never opened in a way that waits (a FIFO with no writer) or reads without end (/dev/zero).

Every command runs in a child process with a timeout and a memory cap: before the fix these
inputs hung the ingest or grew it without limit.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import stat
import subprocess
import sys

import pytest

from archive_helpers import SEED_FILES, counts, make_dumps
from archiver import sources, stream
from archiver.errors import InputError, UnusableInput

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")

MEMORY_CAP = 2 * 1024**3  # address space of the child: a read of /dev/zero hits it in a second or two


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def archiver(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m archiver ARGS` in a child process, memory capped; a hang fails the test."""
    return subprocess.run([sys.executable, "-m", "archiver", *map(str, args)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=_capped)


def _one_error_line(proc: subprocess.CompletedProcess, *words: str) -> str:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr
    assert all(w in lines[0] for w in words), lines[0]
    return lines[0]


@pytest.fixture
def specials(tmp_path):
    """A FIFO, a symlink to /dev/zero and a Unix socket, each named like a dump."""
    made = {}
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    made["fifo"] = (fifo, "FIFO")
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    made["zero"] = (zero, "character device")
    sock_path = tmp_path / "sock.txt"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock_path))
        made["socket"] = (sock_path, "socket")
    except OSError:  # path too long for a socket on this machine: the other kinds still run
        pass
    yield made
    server.close()


@pytest.mark.parametrize("kind", ["fifo", "zero", "socket"])
@pytest.mark.parametrize("command", ["ingest", "parse"])
def test_a_special_file_named_directly_is_refused_in_one_line(tmp_path, specials, kind, command):
    if kind not in specials:
        pytest.skip("no Unix socket here")
    path, what = specials[kind]
    args = (command, tmp_path / "a.db", path) if command == "ingest" else (command, path, "--json")
    _one_error_line(archiver(*args), path.name, what, "not a regular file")
    assert not (tmp_path / "a.db").exists()


def test_a_device_named_directly_is_refused(tmp_path):
    _one_error_line(archiver("ingest", tmp_path / "a.db", "/dev/urandom"), "/dev/urandom", "character device")
    _one_error_line(archiver("parse", "/dev/zero"), "/dev/zero", "character device")


@pytest.mark.parametrize("many", [False, True], ids=["few", "bulk"])
def test_special_files_in_a_folder_are_skipped_with_a_reason(tmp_path, specials, many):
    """A folder ingest (in-process for a few files, worker processes for many) skips each one on
    its own line and stores the dumps."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    dumps = make_dumps(folder, 9, seed=3, parts=(2, 3)) if many else []
    if not many:
        (folder / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
        dumps = [folder / SEED_FILES[0].name]
    for path, _ in specials.values():
        os.rename(path, folder / path.name)
    db = tmp_path / "a.db"
    proc = archiver("ingest", db, folder)
    assert proc.returncode == 0, proc.stderr
    skipped = [line for line in proc.stdout.splitlines() if line.startswith("skipped")]
    assert len(skipped) == len(specials), proc.stdout
    for path, what in specials.values():
        assert any(path.name in line and what in line for line in skipped), (path.name, skipped)
    assert counts(db)["sources"] == len(dumps)
    doc = json.loads(archiver("ingest", db, folder, "--json").stdout)
    assert len(doc["sources"]["skipped"]) == len(specials)


def test_parse_skips_special_files_found_in_a_folder(tmp_path, specials):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / SEED_FILES[1].name).write_bytes(SEED_FILES[1].read_bytes())
    for path, _ in specials.values():
        os.rename(path, folder / path.name)
    proc = archiver("parse", folder, "--json")
    assert proc.returncode == 0, proc.stderr
    assert [s["name"] for s in json.loads(proc.stdout)["sources"]] == [SEED_FILES[1].name]
    skipped = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(skipped) == len(specials) and all(line.startswith("skipped ") for line in skipped), proc.stderr


def test_import_refuses_a_fifo(tmp_path):
    fifo = tmp_path / "tweets.js"
    os.mkfifo(fifo)
    _one_error_line(archiver("import", tmp_path / "a.db", fifo), "tweets.js", "FIFO")


def test_a_file_swapped_for_a_fifo_after_the_check_is_refused_not_waited_on(tmp_path, monkeypatch):
    """The race: the path passes the stat check, then is a FIFO when opened. Opened non-blocking and
    checked again on the descriptor, it is refused at once (a plain open would wait for a writer)."""
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    real_stat = os.stat

    def regular_once(path, *args, **kwargs):
        result = real_stat(path, *args, **kwargs)
        if str(path) == str(fifo):
            return os.stat_result((stat.S_IFREG | 0o644, *tuple(result)[1:]))
        return result

    class Waited(Exception):
        """The open waited for a writer."""

    def waited(*_):
        raise Waited()

    monkeypatch.setattr(sources.os, "stat", regular_once)
    previous = signal.signal(signal.SIGALRM, waited)  # a blocking open fails the test instead of hanging it
    signal.alarm(10)
    try:
        with pytest.raises(UnusableInput, match="FIFO"):
            sources.read_path(fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_reads_stop_at_the_size_the_file_had(tmp_path):
    """A file is read up to the size it had when opened, and a streamed read never past `end`: a
    file growing while it is read cannot make a read go on without end."""
    path = tmp_path / "growing.txt"
    path.write_bytes(b"1/2 first part\n" * 100)
    with sources.open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
    assert b"".join(stream.read_blocks(path, 0, 40)) == path.read_bytes()[:40]
    assert len(b"".join(stream.read_blocks(path))) == size
    with pytest.raises(InputError, match="no such file"):
        sources.read_path(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        sources.read_path(tmp_path)
