"""Fetching: API adapters through httpx.MockTransport, hostile servers on loopback. No test leaves the machine.

Loopback servers are reached with allow_private limited to their own origin, so every other
private address (169.254.169.254, another loopback port) is still refused by the same check a
public fetch goes through. Addresses that must be refused are refused before any connection.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.errors import FetchError
from archiver.fetch import USER_AGENT, bluesky_text, check_address, fetch_url

PUBLIC = "93.184.216.34"  # what the fake resolver answers for every name: a public address


def public_resolver(host):
    return [PUBLIC]


def mock(handler, calls=None):
    def wrapped(request: httpx.Request) -> httpx.Response:
        if calls is not None:
            calls.append(request)
        return handler(request)

    return httpx.MockTransport(wrapped)


# --- Mastodon API ----------------------------------------------------------------------------------
ANN = {"id": "1", "username": "ann", "acct": "ann", "url": "https://mastodon.example/@ann"}
BOB = {"id": "2", "username": "bob", "acct": "bob@other.example", "url": "https://other.example/@bob"}


def status(sid, account, content, reply=None, minute=0):
    host = "mastodon.example" if account is ANN else "other.example"
    return {"id": sid, "created_at": f"2022-11-20T08:{minute:02d}:00.000Z", "in_reply_to_id": reply,
            "in_reply_to_account_id": None, "content": content, "spoiler_text": "", "account": account,
            "uri": f"https://{host}/users/{account['username']}/statuses/{sid}",
            "url": f"https://{host}/@{account['username']}/{sid}", "visibility": "public"}


STATUSES = {
    "100": status("100", BOB, "<p>Who is covering the vote?</p>", None, 0),
    "101": status("101", ANN, "<p>Election day: a thread 🧵</p>", "100", 1),
    "102": status("102", ANN, "<p>Observers turned away.<br>Two stations.</p>", "101", 2),
    "103": status("103", ANN, "<p>Counting starts at 20:00.</p>", "102", 3),
    "104": status("104", BOB, "<p>Thanks!</p>", "102", 4),
    "105": status("105", ANN, "<p>Side note on part two.</p>", "102", 5),
}


def mastodon_handler(request: httpx.Request) -> httpx.Response:
    assert request.headers["user-agent"] == USER_AGENT
    path = request.url.path
    if path == "/api/v1/statuses/102":
        return httpx.Response(200, json=STATUSES["102"])
    if path == "/api/v1/statuses/102/context":
        return httpx.Response(200, json={"ancestors": [STATUSES["100"], STATUSES["101"]],
                                         "descendants": [STATUSES["103"], STATUSES["104"], STATUSES["105"]]})
    return httpx.Response(404, json={"error": "Record not found"})


def test_mastodon_status_url_goes_through_the_api():
    calls: list[httpx.Request] = []
    source = fetch_url("https://mastodon.example/@ann/102", transport=mock(mastodon_handler, calls),
                       resolver=public_resolver)
    assert [c.url.path for c in calls] == ["/api/v1/statuses/102", "/api/v1/statuses/102/context"]
    assert source.kind == "url" and source.url == "https://mastodon.example/@ann/102"
    assert source.meta["format"] == "mastodon-api" and source.meta["status"] == 200
    assert source.meta["headers"]["content-type"] == "application/json" and source.fetched_at
    doc = json.loads(source.raw)  # both API bodies, verbatim
    assert doc["status"]["id"] == "102" and len(doc["context"]["descendants"]) == 3
    (thread,) = source.structured
    # The author's self-thread: Bob's question above and Bob's reply below are not in it.
    assert [p.text for p in thread.parts] == ["Election day: a thread 🧵", "Observers turned away.\nTwo stations.",
                                              "Counting starts at 20:00.", "Side note on part two."]
    uri = "https://mastodon.example/users/ann/statuses/"
    assert [p.external_id for p in thread.parts] == [uri + "101", uri + "102", uri + "103", uri + "105"]
    assert [p.parent_id for p in thread.parts] == [
        "https://other.example/users/bob/statuses/100", uri + "101", uri + "102", uri + "102"]
    assert thread.author == "@ann@mastodon.example" and thread.kind == "thread"
    assert thread.parts[0].url == "https://mastodon.example/@ann/101"


def test_mastodon_replies_keeps_the_conversation():
    source = fetch_url("https://mastodon.example/@ann/102", transport=mock(mastodon_handler),
                       resolver=public_resolver, replies=True)
    (thread,) = source.structured
    assert [p.author for p in thread.parts] == ["@bob@other.example", "@ann@mastodon.example",
                                                "@ann@mastodon.example", "@ann@mastodon.example",
                                                "@bob@other.example", "@ann@mastodon.example"]


def test_not_mastodon_falls_back_to_the_page():
    def handler(request):
        if request.url.path.startswith("/api/"):
            return httpx.Response(404, text="not here")
        return httpx.Response(200, headers={"content-type": "text/html; charset=utf-8"},
                              text="<html><head><title>A post</title></head><body><article>"
                                   "<p>A blog post that lives at an @-path.</p></article></body></html>")

    source = fetch_url("https://blog.example/@writer/123", transport=mock(handler), resolver=public_resolver)
    (article,) = source.structured
    assert article.kind == "article" and article.parts[0].text == "A blog post that lives at an @-path."


# --- Bluesky --------------------------------------------------------------------------------------
def post(rkey, did, handle, text, parent=None, minute=0, facets=None):
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": f"2024-02-01T10:{minute:02d}:00.000Z"}
    if parent:
        record["reply"] = {"root": {"uri": parent}, "parent": {"uri": parent}}
    if facets:
        record["facets"] = facets
    return {"uri": f"at://{did}/app.bsky.feed.post/{rkey}", "cid": "bafy" + rkey,
            "author": {"did": did, "handle": handle}, "record": record}


ALICE = ("did:plc:alice", "alice.example")
CAROL = ("did:plc:carol", "carol.example")


def bsky_thread():
    a1 = post("a1", *ALICE, "Thread about the vote 🧵", None, 0)
    a2 = post("a2", *ALICE, "Part two: report at example.org/rep…", a1["uri"], 1,
              facets=[{"index": {"byteStart": 20, "byteEnd": len("Part two: report at example.org/rep…".encode())},
                       "features": [{"$type": "app.bsky.richtext.facet#link",
                                     "uri": "https://example.org/report/2024"}]}])
    a3 = post("a3", *ALICE, "Part three.", a2["uri"], 2)
    c1 = post("c1", *CAROL, "Nice thread", a2["uri"], 3)
    a4 = post("a4", *ALICE, "Part four.", a3["uri"], 4)
    return {"thread": {
        "$type": "app.bsky.feed.defs#threadViewPost", "post": a2,
        "parent": {"$type": "app.bsky.feed.defs#threadViewPost", "post": a1},
        "replies": [
            {"$type": "app.bsky.feed.defs#threadViewPost", "post": c1, "replies": []},
            {"$type": "app.bsky.feed.defs#threadViewPost", "post": a3,
             "replies": [{"$type": "app.bsky.feed.defs#threadViewPost", "post": a4, "replies": []}]},
        ]}}


def test_bluesky_post_url_goes_through_get_post_thread():
    calls: list[httpx.Request] = []

    def handler(request):
        assert request.url.host == "public.api.bsky.app"
        assert request.url.path == "/xrpc/app.bsky.feed.getPostThread"
        assert parse_qs(urlsplit(str(request.url)).query)["uri"] == ["at://alice.example/app.bsky.feed.post/a2"]
        return httpx.Response(200, json=bsky_thread())

    source = fetch_url("https://bsky.app/profile/alice.example/post/a2", transport=mock(handler, calls),
                       resolver=public_resolver)
    assert len(calls) == 1 and source.meta["format"] == "bluesky-api"
    (thread,) = source.structured
    assert [p.text for p in thread.parts] == [
        "Thread about the vote 🧵", "Part two: report at https://example.org/report/2024", "Part three.",
        "Part four."]
    assert thread.author == "@alice.example"
    assert thread.parts[1].parent_id == "at://did:plc:alice/app.bsky.feed.post/a1"
    assert thread.parts[3].url == "https://bsky.app/profile/alice.example/post/a4"


def test_bluesky_text_multibyte_facets():
    text = "Ünïcode 🧵 link: ex.org/…"
    start = len("Ünïcode 🧵 link: ".encode())
    record = {"text": text, "facets": [{"index": {"byteStart": start, "byteEnd": len(text.encode())},
                                        "features": [{"$type": "app.bsky.richtext.facet#link",
                                                      "uri": "https://ex.org/full"}]}]}
    assert bluesky_text(record) == "Ünïcode 🧵 link: https://ex.org/full"


def test_bluesky_not_found():
    def handler(request):
        return httpx.Response(200, json={"thread": {"$type": "app.bsky.feed.defs#notFoundPost",
                                                    "uri": "at://x/app.bsky.feed.post/y", "notFound": True}})

    with pytest.raises(FetchError, match="notFoundPost"):
        fetch_url("https://bsky.app/profile/x/post/y", transport=mock(handler), resolver=public_resolver)


# --- HTML pages, retries -----------------------------------------------------------------------------
def test_html_page_is_read_by_the_html_adapters():
    page = (__import__("pathlib").Path(__file__).parent / "fixtures" / "html" / "nitter_thread.html").read_bytes()

    def handler(request):
        return httpx.Response(200, headers={"content-type": "text/html; charset=utf-8"}, content=page)

    source = fetch_url("https://nitter.example/annobserver/status/1590000000000000002",
                       transport=mock(handler), resolver=public_resolver)
    assert source.raw == page and source.meta["format"] == "html"
    (thread,) = source.structured
    assert len(thread.parts) == 3 and thread.author == "@annobserver"


def test_429_retried_after_retry_after():
    calls: list[httpx.Request] = []

    def handler(request):
        if len(calls) == 1:
            return httpx.Response(429, headers={"retry-after": "1"})
        return httpx.Response(200, headers={"content-type": "text/plain"}, text="hello after waiting\n")

    t0 = time.monotonic()
    source = fetch_url("https://slow.example/x", transport=mock(handler, calls), resolver=public_resolver)
    assert source.text == "hello after waiting\n" and len(calls) == 2
    assert time.monotonic() - t0 >= 0.95


def test_retry_after_is_capped():
    calls: list[httpx.Request] = []

    def handler(request):
        if len(calls) == 1:
            return httpx.Response(429, headers={"retry-after": "3600"})
        return httpx.Response(200, headers={"content-type": "text/plain"}, text="ok\n")

    t0 = time.monotonic()
    fetch_url("https://slow.example/x", transport=mock(handler, calls), resolver=public_resolver,
              max_retry_wait=0.2)
    assert time.monotonic() - t0 < 2


def test_retry_after_past_the_deadline_gives_up():
    def handler(request):
        return httpx.Response(429, headers={"retry-after": "20"})

    with pytest.raises(FetchError, match="deadline"):
        fetch_url("https://slow.example/x", transport=mock(handler), resolver=public_resolver, deadline=3)


def test_5xx_retried_with_backoff_then_given_up():
    calls: list[httpx.Request] = []

    def flaky(request):
        return httpx.Response(503 if len(calls) < 3 else 200, headers={"content-type": "text/plain"}, text="ok\n")

    source = fetch_url("https://flaky.example/", transport=mock(flaky, calls), resolver=public_resolver,
                       backoff=0.01)
    assert source.text == "ok\n" and len(calls) == 3

    broken: list[httpx.Request] = []
    with pytest.raises(FetchError, match=r"HTTP 502 Bad Gateway \(after 2 retries\)"):
        fetch_url("https://down.example/", transport=mock(lambda r: httpx.Response(502), broken),
                  resolver=public_resolver, backoff=0.01, retries=2)
    assert len(broken) == 3


def test_redirects_are_checked_at_every_hop():
    calls: list[httpx.Request] = []

    def handler(request):
        if request.url.host == "start.example":
            return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data/"})
        raise AssertionError("the private address must not be requested")

    with pytest.raises(FetchError, match="169.254.169.254 is a link-local address"):
        fetch_url("https://start.example/", transport=mock(handler, calls), resolver=public_resolver)
    assert [c.url.host for c in calls] == ["start.example"]


def test_a_name_that_resolves_to_a_private_address_is_refused():
    calls: list[httpx.Request] = []
    with pytest.raises(FetchError, match="resolves to 10.0.0.5 is a private address"):
        fetch_url("https://rebind.example/", transport=mock(lambda r: httpx.Response(200), calls),
                  resolver=lambda host: ["10.0.0.5"])
    assert calls == []


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                     "100.100.100.200", "0.0.0.0", "::1", "fc00::1", "fe80::1", "::ffff:127.0.0.1",
                                     "224.0.0.1", "240.0.0.1"])
def test_check_address_refuses(address):
    assert check_address(address) is not None


def test_check_address_allows_public():
    assert check_address(PUBLIC) is None and check_address("2606:4700:4700::1111") is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://example.org/", "ftp://example.org/x",
                                 "http://[::ffff:127.0.0.1]/", "http://2130706433/", "http://0177.0.0.1/"])
def test_refused_urls(url):
    with pytest.raises(FetchError) as e:
        fetch_url(url, transport=mock(lambda r: httpx.Response(200)))
    assert "\n" not in str(e.value)


# --- hostile loopback servers ---------------------------------------------------------------------
class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    other_port = 0

    def log_message(self, *args):
        pass

    def _send(self, code, body=b"", ctype="text/plain", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self.server.hits.append(self.path)
        self.server.hosts.append(self.headers.get("Host"))
        p = self.path
        try:
            if p == "/page":
                self._send(200, b"<html><body><article><p>A fine page about the vote.</p></article></body></html>",
                           "text/html; charset=utf-8")
            elif p == "/big":  # no Content-Length: only counting while streaming can stop it
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b"x" * 16384 + b"\n")
            elif p == "/big-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"y" * 1024)
            elif p == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "30")
                self.end_headers()
                for _ in range(30):  # bounded: 30 bytes, one a second
                    self.wfile.write(b"z")
                    self.wfile.flush()
                    time.sleep(1)
            elif p == "/drip-headers":
                for ch in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: " + b"a" * 20:
                    self.wfile.write(bytes([ch]))
                    self.wfile.flush()
                    time.sleep(0.5 if ch != ord("a") else 1)
            elif p == "/404":
                self._send(404, b"not found")
            elif p in ("/loop", "/loop2"):
                self._send(302, extra=[("Location", "/loop2" if p == "/loop" else "/loop")])
            elif p.startswith("/hop"):
                n = int(p[4:] or 0)
                self._send(302, extra=[("Location", f"/hop{n + 1}")])
            elif p == "/to-metadata":
                self._send(302, extra=[("Location", "http://169.254.169.254/latest/meta-data/")])
            elif p == "/to-loopback":
                self._send(302, extra=[("Location", f"http://127.0.0.1:{self.other_port}/secret")])
            elif p == "/to-file":
                self._send(302, extra=[("Location", "file:///etc/passwd")])
            elif p == "/png":
                self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
            elif p == "/png-as-text":
                self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "text/plain")
            else:
                self._send(404)
        except (BrokenPipeError, ConnectionResetError):
            pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients hanging up on purpose (deadline, size cap) are expected here


def _serve():
    server = QuietServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    server.hits = []
    server.hosts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def servers():
    a, b = _serve(), _serve()
    Hostile.other_port = b.server_address[1]
    yield a, b
    a.shutdown()
    b.shutdown()
    a.server_close()
    b.server_close()


def origin(server):
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_loopback_page_with_its_origin_allowed(servers):
    a, _ = servers
    source = fetch_url(origin(a) + "/page", allow_private=[origin(a)])
    assert source.structured[0].parts[0].text == "A fine page about the vote."
    assert source.meta["status"] == 200 and source.url == origin(a) + "/page"
    with pytest.raises(FetchError, match="127.0.0.1 is a loopback address"):
        fetch_url(origin(a) + "/page")  # not allowed by default


def test_connection_goes_to_the_checked_address(servers):
    """The name is resolved once per hop; the request goes to that address with the name in Host."""
    a, _ = servers
    port = a.server_address[1]
    asked = []

    def resolver(host):
        asked.append(host)
        return ["127.0.0.1"]

    source = fetch_url(f"http://archive.test:{port}/page", resolver=resolver,
                       allow_private=[f"http://archive.test:{port}"])
    assert asked == ["archive.test"]
    assert a.hosts[-1] == f"archive.test:{port}"
    assert source.url == f"http://archive.test:{port}/page"
    with pytest.raises(FetchError, match="archive.test resolves to 127.0.0.1 is a loopback address"):
        fetch_url(f"http://archive.test:{port}/page", resolver=resolver)


HOSTILE = [
    ("/big", r"passed the 100,000 bytes limit"),
    ("/big-declared", r"over the 100,000 bytes limit"),
    ("/drip", r"within the 2 s deadline"),
    ("/drip-headers", r"within the 2 s deadline"),
    ("/404", r"HTTP 404 Not Found"),
    ("/loop", r"redirect loop"),
    ("/hop0", r"too many redirects \(more than 5\)"),
    ("/to-metadata", r"169\.254\.169\.254 is a link-local address"),
    ("/to-loopback", r"127\.0\.0\.1 is a loopback address"),
    ("/to-file", r"only http and https"),
    ("/png", r"binary body \(Content-Type image/png\)"),
    ("/png-as-text", r"PNG image"),
]


@pytest.mark.parametrize("path, message", HOSTILE)
def test_hostile_server(servers, path, message):
    a, b = servers
    before = len(b.hits)
    t0 = time.monotonic()
    with pytest.raises(FetchError, match=message) as e:
        fetch_url(origin(a) + path, allow_private=[origin(a)], deadline=2, max_bytes=100_000)
    assert time.monotonic() - t0 < 3.5
    assert "\n" not in str(e.value)
    assert len(b.hits) == before  # the other loopback server was never reached


@pytest.mark.parametrize("path, message", HOSTILE + [("file:///etc/passwd", "only http and https")])
def test_cli_fetch_fails_in_one_line_and_writes_nothing(servers, tmp_path, path, message):
    a, _ = servers
    db = tmp_path / "archive.db"
    url = path if ":" in path else origin(a) + path
    t0 = time.monotonic()
    result = CliRunner().invoke(cli, ["fetch", str(db), url, "--allow-origin", origin(a), "--deadline", "2",
                                      "--max-bytes", "100000"])
    assert time.monotonic() - t0 < 3.5
    assert result.exit_code == 1
    lines = result.output.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert not db.exists()  # nothing written, not even an empty archive


def test_cli_fetch_archives_and_reports_partial_failure(servers, tmp_path):
    a, _ = servers
    db = tmp_path / "archive.db"
    result = CliRunner().invoke(cli, ["fetch", str(db), origin(a) + "/page", origin(a) + "/404",
                                      "--allow-origin", origin(a), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["sources"]["new"] == 1 and doc["failed"][0]["url"].endswith("/404")
    conn = sqlite3.connect(db)
    kind, url, fetched_at, meta, sha = conn.execute("select kind, url, fetched_at, meta, sha256 from sources").fetchone()
    assert kind == "url" and url.endswith("/page") and fetched_at
    meta = json.loads(meta)
    assert meta["status"] == 200 and meta["headers"]["content-type"].startswith("text/html")
    assert conn.execute("select count(*) from threads").fetchone()[0] == 1


def test_cli_drip_ends_at_the_deadline_in_a_real_process(servers, tmp_path):
    a, _ = servers
    db = tmp_path / "archive.db"
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "archiver", "fetch", str(db), origin(a) + "/drip",
                           "--allow-origin", origin(a), "--deadline", "2"], capture_output=True, text=True,
                          timeout=30)
    assert time.monotonic() - t0 < 8  # 2 s deadline plus interpreter start-up
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "deadline" in proc.stderr
    assert not db.exists()


def test_unreachable_port_is_a_one_line_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError) as e:
        fetch_url(f"http://127.0.0.1:{port}/", allow_private=True, deadline=3, retries=0)
    assert "\n" not in str(e.value)


# --- the deadline covers the name lookup (issue J.7) ---------------------------------------------------

@pytest.fixture
def silent_dns(monkeypatch):
    """getaddrinfo that waits 10 s (as a resolver that gets no answer does) before failing."""
    release = threading.Event()
    calls = []

    def blocking(host, *args, **kwargs):
        calls.append(host)
        release.wait(10)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", blocking)
    yield calls
    release.set()


def test_the_deadline_covers_a_name_lookup_that_gets_no_answer(silent_dns):
    t0 = time.monotonic()
    with pytest.raises(FetchError, match="within the 1 s deadline"):
        fetch_url("https://no-answer.example/story", deadline=1)
    assert time.monotonic() - t0 < 3
    assert silent_dns == ["no-answer.example"]


def test_the_deadline_covers_a_resolver_that_blocks():
    release = threading.Event()

    def resolver(host):
        release.wait(10)
        return [PUBLIC]

    t0 = time.monotonic()
    try:
        with pytest.raises(FetchError, match="within the 1 s deadline"):
            fetch_url("https://no-answer.example/story", resolver=resolver, deadline=1,
                      transport=mock(lambda request: httpx.Response(200, text="never reached")))
        assert time.monotonic() - t0 < 3
    finally:
        release.set()


def test_cli_fetch_deadline_2_takes_about_2_s_when_dns_does_not_answer(silent_dns, tmp_path):
    db = tmp_path / "a.db"
    t0 = time.monotonic()
    result = CliRunner().invoke(cli, ["fetch", str(db), "https://no-answer.example/story", "--deadline", "2"])
    elapsed = time.monotonic() - t0
    assert 1.9 < elapsed < 4, elapsed
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "within the 2 s deadline" in result.output
    assert not db.exists()


def test_a_lookup_that_fails_at_once_is_still_a_one_line_error(monkeypatch):
    def failing(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", failing)
    with pytest.raises(FetchError, match="cannot resolve"):
        fetch_url("https://no-such-name.example/", deadline=5)
