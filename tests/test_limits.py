"""One request cannot take the server down: the limits plugin (plugins/limits.py) bounds every value,
row and result on every connection `archiver serve` opens.

The amplification queries of issue J (a gigabyte from zeroblob, randomblob, printf, replace,
group_concat) and wider ones (a row of 32 large values, a thousand large rows) are sent to a real
`archiver serve` process, anonymously and as a signed-in reader. Each must be an error response,
the next request must succeed, and the server's resident memory, sampled from /proc while each
request runs, must stay under 500 MB (a sampler kills the server at 1 GB so that a regression
cannot take the machine with it). Legitimate content must still be served: a 3 MiB source whole,
a 4.5 MiB one as a clear 400 on its row page and in full everywhere else with its big columns left out.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from archive_helpers import SEEDS, run, stop_process
from archiver.serve import PLUGINS
from server_helpers import free_port

RSS_LIMIT_MB = 500
KILL_MB = 1000
MIB = 1024 * 1024
BILLION = 1_000_000_000
ROWS = "with recursive c(i) as (select 1 union all select i + 1 from c where i < {n}) "
AMPLIFICATIONS = {
    "zeroblob": f"select zeroblob({BILLION})",
    "randomblob": f"select randomblob({BILLION})",
    "printf": f"select printf('%.*c', {BILLION}, 'x')",
    "replace": ("select replace(replace(replace(printf('%.*c', 1000, 'x'), 'x', printf('%.*c', 1000, 'y')),"
                " 'y', printf('%.*c', 1000, 'z')), 'z', 'zz')"),  # 1000 * 1000 * 1000 * 2 characters
    "group_concat": ROWS.format(n=2000) + "select group_concat(printf('%.*c', 100000, 'x')) from c",  # 200 MB
    "32 values of 4 MB in a row": "select " + ", ".join(["randomblob(4000000)"] * 32),
    "200 values of 4 MB in a row": "select " + ", ".join(["zeroblob(4000000)"] * 200),
    "1,000 rows of 8 MB": ROWS.format(n=1000) + "select randomblob(4000000), printf('%.*c', 4000000, 'x') from c",
    "printf width": f"select printf('%{BILLION}d', 1)",
}


@functools.cache
def load_limits():
    """plugins/limits.py as Datasette loads it (exec'd as a standalone module)."""
    spec = importlib.util.spec_from_file_location("limits_under_test", PLUGINS / "limits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rss_mb(pid: int, field: str = "VmRSS") -> int:
    """A process's resident memory (or its peak, VmHWM) in MB, from /proc."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    raise AssertionError(f"no {field} for {pid}")


class Server:
    """A real `archiver serve` and the figures of each request sent to it."""

    def __init__(self, proc: subprocess.Popen, base: str, reader_cookie: str):
        self.proc, self.base, self.reader_cookie = proc, base, reader_cookie
        self.figures: list[tuple[str, int, int]] = []

    def get(self, label: str, url: str, reader: bool = False, **params) -> httpx.Response:
        """GET url while sampling the server's memory; records (label, status, peak MB)."""
        peak, done = [rss_mb(self.proc.pid)], threading.Event()

        def sample():
            while not done.is_set() and self.proc.poll() is None:
                peak[0] = max(peak[0], rss_mb(self.proc.pid))
                if peak[0] > KILL_MB:
                    self.proc.kill()  # protect the machine; the test fails below
                    return
                time.sleep(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            cookies = {"ds_actor": self.reader_cookie} if reader else None
            r = httpx.get(self.base + url, params=params or None, cookies=cookies, timeout=120)
        except httpx.TransportError as e:
            pytest.fail(f"{label}: the server stopped answering ({e!r}); peak {peak[0]} MB")
        finally:
            done.set()
            sampler.join()
        self.figures.append((label, r.status_code, peak[0]))
        assert peak[0] < RSS_LIMIT_MB, f"{label}: the server reached {peak[0]} MB"
        return r

    def alive(self) -> None:
        """The server answers the next request."""
        assert self.proc.poll() is None
        r = httpx.get(self.base + "/archive.json", params={"sql": "select 1 as one", "_shape": "array"}, timeout=30)
        assert r.status_code == 200 and r.json() == [{"one": 1}]


def repeated_lines(path: Path, tag: str, size: int) -> Path:
    """A dump of `size` bytes that ingests quickly (one line over and over: one fragment)."""
    line = f"{tag} the same line again and again, " + "and again, " * 16 + "\n"
    path.write_text(line * (size // len(line) + 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("limits")
    db = tmp / "archive.db"
    for path in (SEEDS, repeated_lines(tmp / "medium.txt", "zqxmedium", 3 * MIB),
                 repeated_lines(tmp / "big.txt", "zqxbig", int(4.5 * MIB))):
        assert run("ingest", db, path).exit_code == 0
    port = free_port()
    log = (tmp / "serve.log").open("wb")
    env = {**os.environ, "DATASETTE_SECRET": "limits-test-secret"}
    proc = subprocess.Popen([sys.executable, "-m", "archiver", "serve", str(db), "--port", str(port)], env=env,
                            cwd=tmp, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    from datasette.app import Datasette

    cookie = Datasette(memory=True, secret="limits-test-secret").sign({"a": {"id": "reader"}}, "actor")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, (tmp / "serve.log").read_text()
            time.sleep(0.1)
        yield Server(proc, base, cookie)
    finally:
        stop_process(proc)
        log.close()


def source_id(server: Server, name: str) -> int:
    rows = httpx.get(server.base + "/archive/sources.json", params={"_shape": "array"}, timeout=30).json()
    (found,) = [r["source_id"] for r in rows if r["name"] == name]
    return found


def test_the_limits_plugin_is_loaded(server):
    assert "limits.py" in {p["name"] for p in httpx.get(server.base + "/-/plugins.json").json()}
    # ... in a process whose allocator gives large freed blocks back (archiver/serve.py, MALLOC_ENV)
    environ = Path(f"/proc/{server.proc.pid}/environ").read_bytes().split(b"\0")
    assert f"MALLOC_MMAP_THRESHOLD_={1024 * 1024}".encode() in environ


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_amplification_queries_fail_and_the_server_stays_small(server, who):
    reader, first = who == "reader", len(server.figures)
    if reader:  # the cookie is honoured: a reader's pages carry the private, no-store header
        r = httpx.get(server.base + "/archive", cookies={"ds_actor": server.reader_cookie})
        assert r.headers["cache-control"] == "private, no-store"
    for name, sql in AMPLIFICATIONS.items():
        for fmt in (".json", ""):
            r = server.get(f"{who} {name} {fmt or '.html'}", "/archive" + fmt, reader=reader, sql=sql)
            assert 400 <= r.status_code < 500, (name, fmt, r.status_code, r.text[:300])
            assert len(r.content) < 100_000
            server.alive()
        # A query's CSV reports an error as an empty file (Datasette's way): bounded all the same.
        r = server.get(f"{who} {name} .csv", "/archive.csv", reader=reader, sql=sql)
        assert len(r.content) < 100_000
        server.alive()
    hwm = rss_mb(server.proc.pid, "VmHWM")
    print(f"\n{'request':<55} status  peak RSS")
    for label, status, peak in server.figures[first:]:
        print(f"{label:<55} {status:>6}  {peak:>4} MB")
    print(f"server peak (VmHWM) after {len(server.figures)} requests so far: {hwm} MB")
    assert hwm < RSS_LIMIT_MB


def test_legitimate_large_sources_are_still_served(server):
    medium, big = source_id(server, "medium.txt"), source_id(server, "big.txt")
    for reader in (False, True):
        row = server.get("medium source row", f"/archive/sources/{medium}.json", reader=reader, _shape="array")
        assert row.status_code == 200
        assert row.json()[0]["content"].startswith("zqxmedium") and len(row.json()[0]["content"]) >= 3 * MIB
        assert server.get("medium source page", f"/archive/sources/{medium}", reader=reader).status_code == 200
        # Past the 4 MiB a value may have: a clear 400, and the server carries on.
        for url in (f"/archive/sources/{big}.json", f"/archive/sources/{big}", "/archive/public_sources.json"):
            r = server.get("big source", url, reader=reader)
            assert r.status_code == 400 and "larger than the 4 MiB this server returns" in r.text, (url, r.text[:300])
            server.alive()
        # Everything else about it is served: its listing, its columns but the two big ones, its thread.
        listing = server.get("sources query", "/archive/sources.json", reader=reader, _shape="array").json()
        assert {"medium.txt", "big.txt"} <= {r["name"] for r in listing}
        slim = server.get("public_sources without content", "/archive/public_sources.json", reader=reader,
                          _nocol=["content", "raw"], _shape="array")
        assert slim.status_code == 200 and big in {r["id"] for r in slim.json()}
        hits = server.get("search", "/archive/search.json", reader=reader, q="zqxbig", _shape="array").json()
        assert hits and hits[0]["thread_id"]
        page = server.get("thread page", f"/-/threads/{hits[0]['thread_id']}", reader=reader)
        assert page.status_code == 200 and "zqxbig" in page.text
        # A streamed CSV reads a table a page at a time: the whole of it, each page within the budget.
        csv = server.get("fragments CSV stream", "/archive/public_fragments.csv", reader=reader, _stream="on",
                         _size="max")
        assert csv.status_code == 200 and "zqxmedium" in csv.text and "zqxbig" in csv.text
    assert rss_mb(server.proc.pid, "VmHWM") < RSS_LIMIT_MB


# --- the plugin's pieces, in process ------------------------------------------------------------

def limited_connection() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    load_limits().prepare_connection(conn)
    return conn


def test_a_result_past_the_budget_is_an_error_and_a_smaller_one_is_whole():
    limits = load_limits()
    conn = limited_connection()
    rows = conn.execute(ROWS.format(n=6) + "select i, randomblob(4000000) as b from c").fetchall()
    assert [r["i"] for r in rows] == [1, 2, 3, 4, 5, 6] and all(len(r["b"]) == 4_000_000 for r in rows)
    with pytest.raises(sqlite3.DataError, match="Result too large"):
        conn.execute(ROWS.format(n=9) + "select i, randomblob(4000000) from c").fetchall()
    # The budget is per statement: the next one starts afresh.
    assert len(conn.execute(ROWS.format(n=6) + "select randomblob(4000000) from c").fetchall()) == 6
    with pytest.raises(sqlite3.DataError, match="too big"):
        conn.execute(f"select zeroblob({limits.MAX_VALUE_BYTES + 1})").fetchall()
    with pytest.raises(sqlite3.OperationalError, match="too many columns"):
        conn.execute("select " + ", ".join(["1"] * (limits.MAX_COLUMNS + 1))).fetchall()


# Datasette turns sqlite3's callback tracebacks on: a refusal inside printf is printed as well.
QUIET_REFUSALS = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@QUIET_REFUSALS
def test_printf_repeating_past_the_limit_is_an_error_at_once():
    limits = load_limits()
    conn = limited_connection()
    started = time.monotonic()
    for sql in ("select printf('%.*c', 2147483647, 'x')", "select format('%.2000000000c', 'x')",
                "select printf('%d %.*c', 1, 1e9, 'x')", "select printf('%.*c', '1000000000 times', 'x')",
                f"select printf('%.{limits.MAX_VALUE_BYTES + 1}c', 'x')"):
        with pytest.raises(sqlite3.DataError, match="too big"):
            conn.execute(sql).fetchall()
    assert time.monotonic() - started < 1  # SQLite's own printf loops for seconds on each
    assert conn.execute("select printf('%.*c', 5, '-') || printf('%5.2f|%-4d|%q|%%', 3.14159, 42, 'it''s')"
                        ).fetchone()[0] == "----- 3.14|42  |it''s|%"
    assert tuple(conn.execute("select printf(NULL), printf()").fetchone()) == (None, None)


PRINTF_PIECES = ["%d", "%s", "%q", "%Q", "%w", "%x", "%5.2f", "%-6s|", "%c", "%.3c", "%.*c", "%*d", "%.*s", "%%",
                 "%!.3g", "%,d", "%lld", "%z", "%05d", "%.0c", "%-.*c", " a ", "é", "\n"]
ARGS = st.one_of(st.integers(-(2**40), 2**40), st.integers(-10, 3000), st.floats(allow_nan=False, width=32),
                 st.text(max_size=20), st.binary(max_size=10), st.none(), st.sampled_from(["12", " 40x", "1e3"]))


@QUIET_REFUSALS
@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(PRINTF_PIECES), max_size=6), args=st.lists(ARGS, max_size=6))
def test_checked_printf_is_sqlites_printf_or_an_error_where_that_gives_null(pieces, args):
    """The replacement gives SQLite's own output exactly, refuses what SQLite's printf could not give
    within the limit (its NULL), and refuses a %c whose count may pass the limit before SQLite
    loops over it: whatever it lets through, SQLite's printf answers at once."""
    limits, limit = load_limits(), 2000
    fmt = "".join(pieces)
    checked = limits.checked_printf(limit)
    if limits.repeats_too_long(fmt, tuple(args), limit):
        event("refused before SQLite's printf")
        with pytest.raises(OverflowError):
            checked(fmt, *args)
        return
    plain = sqlite3.connect(":memory:")
    plain.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limit)
    plain.text_factory = lambda b: str(b, "utf-8", "replace")
    started = time.monotonic()
    expected = plain.execute(f"select printf({', '.join('?' * (len(args) + 1))})", [fmt, *args]).fetchone()[0]
    assert time.monotonic() - started < 0.5, (fmt, args)  # nothing let through makes SQLite's printf loop
    if expected is None:
        event("SQLite's printf gives NULL: refused")
        with pytest.raises(OverflowError):
            checked(fmt, *args)
    else:
        event("SQLite's output")
        assert checked(fmt, *args) == expected, (fmt, args)
