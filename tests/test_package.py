"""The installed package is the tested one: a built wheel carries the plugins, templates and
metadata, and `archiver serve` refuses to start without the visitor_access plugin.

test_installed_wheel_serves_no_private_text builds the wheel from a copy of the checkout, installs
it (not editable) into a fresh virtualenv outside the checkout, and runs that virtualenv's
`archiver ingest` and `archiver serve` from a folder outside the checkout, as `pip install
thread-archiver` or `pipx install` would. The dependencies come from this interpreter's
site-packages (a .pth file), so nothing is downloaded for them; building the wheel needs
setuptools>=68 (pip's build isolation fetches it, unless this environment has it already).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import site
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import archiver.serve as serve
from archive_helpers import ROOT, SEEDS, run, stop_process
from archiver.errors import ArchiveError
from server_helpers import free_port

PUBLIC_TEXT = ("1/2 Observers counted the ballots at polling station 41 in Oral zqxpublicword and saw no violations.\n"
               "2/2 The count ended at midnight and the protocol was posted on the door.\n")
PRIVATE_TEXT = ("https://x.com/zqxsecrethandle/status/1790000000000000001\n"
                "1/2 zqxsecretword The lawyer met the detained activists at the Almaty pre-trial centre on Friday.\n"
                "https://x.com/zqxsecrethandle/status/1790000000000000002\n"
                "2/2 zqxsecretpart their names and cell numbers are known to us.\n")
PRIVATE_TOKENS = ("zqxsecretword", "zqxsecretpart", "zqxsecrethandle", "pre-trial centre")
PLUGINS = ("visitor_access.py", "limits.py", "thread_page.py", "search_page.py", "source_page.py", "query_files.py")
# What a wheel is built from: everything but local state and what the wheel does not carry.
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
                                     ".pytest_cache", "tests", "benchmarks", "seeds", "docs", "*.db", "*.db-*")


def check(args: list, **kwargs) -> subprocess.CompletedProcess:
    """Run a command; fail the test with its output when it fails."""
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, stdin=subprocess.DEVNULL, **kwargs)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def build_wheel(out: Path, tmp: Path) -> Path:
    """`pip wheel --no-deps` of a clean copy of the checkout (a stale build/ folder cannot leak in)."""
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=COPY_IGNORE)
    args = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, src]
    try:
        # A setuptools that builds wheels by itself (70.1 and later) is here already: no download.
        if tuple(int(n) for n in importlib.metadata.version("setuptools").split(".")[:2]) >= (70, 1):
            args.insert(4, "--no-build-isolation")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        pass
    check(args, timeout=300)
    (wheel,) = out.glob("thread_archiver-*.whl")
    return wheel


def make_venv(path: Path, wheel: Path) -> Path:
    """A fresh virtualenv with the wheel installed (not editable); the dependencies are this
    interpreter's, reached through a .pth file listing its site-packages."""
    check([sys.executable, "-m", "venv", path], timeout=300)
    python = path / "bin" / "python"
    purelib = check([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    ours = [p for p in site.getsitepackages() + [site.getusersitepackages()] if os.path.isdir(p)]
    Path(purelib, "outer-site-packages.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    check([python, "-m", "pip", "install", "--no-deps", "--no-index", "--no-cache-dir", wheel], timeout=300)
    return python


def test_installed_wheel_serves_no_private_text(tmp_path):
    elsewhere = tmp_path / "elsewhere"  # the cwd of every command: not the checkout
    elsewhere.mkdir()
    assert ROOT not in elsewhere.resolve().parents
    started = time.monotonic()
    wheel = build_wheel(tmp_path / "wheelhouse", tmp_path)
    built = time.monotonic()
    python = make_venv(tmp_path / "venv", wheel)
    archiver = tmp_path / "venv" / "bin" / "archiver"
    installed = time.monotonic()

    # The venv runs the wheel's code and the wheel's plugins, not the checkout's.
    where = json.loads(check([python, "-c", "import json, archiver, archiver.serve as s;"
                              " print(json.dumps([archiver.__file__, str(s.ROOT), str(s.PLUGINS)]))"],
                             cwd=elsewhere).stdout)
    venv = (tmp_path / "venv").resolve()
    for path in where:
        assert venv in Path(path).resolve().parents, where

    (elsewhere / "public.txt").write_text(PUBLIC_TEXT, encoding="utf-8")
    (elsewhere / "private.txt").write_text(PRIVATE_TEXT, encoding="utf-8")
    db = elsewhere / "archive.db"
    check([archiver, "ingest", db, "public.txt"], cwd=elsewhere, timeout=120)
    check([archiver, "ingest", db, "private.txt", "--private"], cwd=elsewhere, timeout=120)
    conn = sqlite3.connect(db)
    private_threads = sorted({r[0] for r in conn.execute(
        "select s.thread_id from sightings s join sources src on src.id = s.source_id where src.private = 1")})
    conn.close()
    assert private_threads

    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen([archiver, "serve", db, "--port", str(port)], cwd=elsewhere,
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=30) as anonymous:
            pages = {
                **{f"private thread page {t}": f"/-/threads/{t}" for t in private_threads},
                **{f"private thread markdown {t}": f"/-/threads/{t}.md" for t in private_threads},
                **{f"private thread package {t}": f"/-/threads/{t}.zip" for t in private_threads},
                "fragments table": "/archive/fragments.json?_shape=array",
                "public fragments view": "/archive/public_fragments.json?_shape=array",
                "threads table": "/archive/threads.json?_shape=array",
                "public threads view": "/archive/public_threads.json?_shape=array",
                "arbitrary SQL": "/archive.json?sql=select+text+from+fragments",
                "search": "/archive/search.json?q=zqxsecretword&_shape=array",
                "search page": "/-/search.json?q=lawyer+OR+detained+OR+Almaty+OR+zqx*",
                "front page": "/",
                "recent": "/archive/recent.json?_shape=array",
                "database download": "/archive.db",
            }
            for what, url in pages.items():
                r = anonymous.get(url)
                for token in PRIVATE_TOKENS:
                    assert token not in r.text, f"{what} ({url}, {r.status_code}) shows {token!r}"
            for thread in private_threads:
                assert anonymous.get(f"/-/threads/{thread}").status_code == 404
            assert anonymous.get(pages["arbitrary SQL"]).status_code == 403
            assert anonymous.get(pages["database download"]).status_code == 403
            # The public material is served, through the canned queries of the metadata.
            queries = {q["name"] for q in anonymous.get("/archive.json").json()["queries"]}
            assert {"search", "thread", "recent", "sources"} <= queries
            hits = anonymous.get("/archive/search.json?q=zqxpublicword&_shape=array").json()
            assert hits and "zqxpublicword" in json.dumps(hits)
            public_thread = hits[0]["thread_id"]
            page = anonymous.get(f"/-/threads/{public_thread}")
            assert page.status_code == 200 and "polling station 41" in page.text
            loaded = {p["name"] for p in anonymous.get("/-/plugins.json").json()}
            assert set(PLUGINS) <= loaded
            assert "polling station 41" in anonymous.get("/-/search?q=zqxpublicword").text
    finally:
        stop_process(proc)
        log.close()
    served = time.monotonic()
    plugins = Path(where[2])
    assert {p.name for p in plugins.glob("*.py")} == set(PLUGINS)
    assert {p.name for p in (plugins / "templates").iterdir()} == {p.name for p in serve.TEMPLATES.iterdir()}
    assert {p.name for p in (plugins / "queries").iterdir()} == {p.name for p in serve.QUERIES.glob("*.sql")}
    assert (Path(where[1]) / "datasette-metadata.json").is_file()

    # Without its privacy plugin the installed package refuses to serve, in one line.
    (plugins / "visitor_access.py").unlink()
    refused = subprocess.run([archiver, "serve", db, "--dry-run"], cwd=elsewhere, capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=120)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("Error: the visitor_access plugin") and refused.stderr.count("\n") == 1, refused.stderr
    print(f"\nwheel built in {built - started:.1f} s, installed in {installed - built:.1f} s,"
          f" ingested and served in {served - installed:.1f} s")


def test_checkout_finds_its_plugins():
    """Run from the checkout (an editable install, as the README and CI install it): the top-level
    plugins/, templates and metadata are the ones served."""
    if serve.ROOT != serve.CHECKOUT_SITE:
        pytest.skip("archiver is installed from a wheel here, not run from the checkout")
    assert serve.PLUGINS == ROOT / "plugins" and serve.METADATA == ROOT / "datasette-metadata.json"
    serve.check_site()


@pytest.mark.parametrize("damage", ["missing", "syntax error", "import error", "no hook"])
def test_serve_refuses_without_a_loadable_privacy_plugin(tmp_path, monkeypatch, damage):
    plugins = tmp_path / "plugins"
    shutil.copytree(serve.PLUGINS, plugins)
    privacy = plugins / "visitor_access.py"
    if damage == "missing":
        privacy.unlink()
    elif damage == "syntax error":
        privacy.write_text(privacy.read_text(encoding="utf-8") + "\ndef broken(:\n", encoding="utf-8")
    elif damage == "import error":
        privacy.write_text("import archiver.no_such_module\n" + privacy.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        privacy.write_text("from datasette import hookimpl\n", encoding="utf-8")
    monkeypatch.setattr(serve, "PLUGINS", plugins)
    db = tmp_path / "archive.db"
    assert run("ingest", db, SEEDS / "000_456a8ef12e54a9f5.txt").exit_code == 0
    with pytest.raises(ArchiveError, match="visitor_access plugin"):
        serve.datasette_args(db)
    result = run("serve", db, "--dry-run")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: the visitor_access plugin") and result.stderr.count("\n") == 1, result.stderr
    assert "refusing to serve" in result.stderr
