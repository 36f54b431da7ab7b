"""Fetching a URL into a Source, within rules that an untrusted URL cannot get around.

- http and https only; at most 5 redirects, followed by hand so every hop is checked.
- Every hop's host is resolved and each address checked: loopback, private, link-local (169.254.169.254),
  shared (100.64/10), reserved, multicast and unspecified addresses are refused unless allow_private.
  Real connections go to the address that was checked (the Host header and TLS SNI keep the name), so
  a DNS answer that changes between check and connect (rebinding) cannot redirect them.
- Connect and read timeouts, plus one total deadline for the whole fetch (name lookups, redirects,
  retries and every byte of the body included): a server that drips a byte a second, or a DNS
  server that does not answer, is cut off at the deadline.
- The body is counted while it streams and refused past the size cap (10 MB by default), whatever
  Content-Length says; decompressed bytes are counted, so a compression bomb stops at the cap too.
- 429 and 5xx are retried with exponential backoff, honouring Retry-After (capped, and never past the
  deadline). Binary bodies (by Content-Type or magic number) are refused.
- Mastodon status URLs (https://host/@user/123) go through the public API (statuses/:id and its
  context) and Bluesky post URLs (https://bsky.app/profile/<handle>/post/<rkey>) through
  app.bsky.feed.getPostThread: the author's self-thread, or the whole conversation with replies=True.
  Every other URL is read as HTML by archiver.html (or as plain text).

Every failure is a FetchError with a one-line message. Tests inject an httpx transport
(httpx.MockTransport) and a resolver; nothing here needs the network to be tested.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import httpx

from . import __version__
from .errors import FetchError
from .models import Post, Source, Thread
from .wording import plural

PROJECT_URL = "https://github.com/thread-archiver/thread-archiver"
USER_AGENT = f"thread-archiver/{__version__} (+{PROJECT_URL})"
DEFAULT_DEADLINE = 30.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 15.0
MAX_REDIRECTS = 5
MAX_RETRIES = 3
MAX_RETRY_WAIT = 10.0
BACKOFF = 0.5
BSKY_API = "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread"
REDIRECTS = {301, 302, 303, 307, 308}
_TEXT_TYPES = re.compile(r"^(text/[\w.+-]+|application/([\w.-]+\+)?(json|xml)|application/(xhtml\+xml|"
                         r"javascript|x-javascript|ecmascript)|application/ld\+json)$")
_MASTODON_PATH = re.compile(r"^/(?:@([^/]+)|users/([^/]+)/statuses)/(\d+)/?$")
_BSKY_PATH = re.compile(r"^/profile/([^/]+)/post/([A-Za-z0-9._:~-]+)/?$")
_SHARED = ipaddress.ip_network("100.64.0.0/10")

Resolver = Callable[[str], "list[str]"]


@dataclass
class FetchOptions:
    """The limits of one fetch."""

    allow_private: bool | Collection[str] = False
    deadline: float = DEFAULT_DEADLINE
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    retries: int = MAX_RETRIES
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    max_retry_wait: float = MAX_RETRY_WAIT
    backoff: float = BACKOFF
    resolver: Resolver | None = None
    user_agent: str = USER_AGENT


@dataclass
class Fetched:
    """One response body that passed every check."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class _StatusError(FetchError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


# --- public API ----------------------------------------------------------------------------------
def fetch_url(url: str, *, transport: httpx.AsyncBaseTransport | None = None,
              client: httpx.AsyncClient | None = None, replies: bool = False, **options: Any) -> Source:
    """Fetch one URL into a Source (kind "url"); threads already attached for API and HTML pages.

    Options: allow_private (bool, or a collection of origins like "http://127.0.0.1:8000" that may be
    private), deadline, max_bytes, max_redirects, retries, connect_timeout, read_timeout, max_retry_wait,
    backoff, resolver (host -> list of IP strings; for tests), user_agent.
    """
    coro = fetch_url_async(url, transport=transport, client=client, replies=replies, **options)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called from inside an event loop (a web handler): run the fetch on its own loop in a thread.
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = e

    worker = threading.Thread(target=run, name="archiver-fetch")
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


async def fetch_url_async(url: str, *, transport: httpx.AsyncBaseTransport | None = None,
                          client: httpx.AsyncClient | None = None, replies: bool = False,
                          **options: Any) -> Source:
    """The async form of fetch_url."""
    opts = FetchOptions(**options)
    url = url.strip()
    started = time.monotonic()
    fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    own_client = client is None
    if client is None:
        client = httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(opts.read_timeout, connect=opts.connect_timeout),
            headers={"User-Agent": opts.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
    fetcher = _Fetcher(client, opts, started, pin=transport is None and own_client)
    try:
        async with asyncio.timeout(opts.deadline):
            return await _fetch(fetcher, url, replies, fetched_at)
    except TimeoutError:
        raise FetchError(f"{url}: no complete response within the {opts.deadline:g} s deadline") from None
    except httpx.TimeoutException as e:
        raise FetchError(f"{url}: timed out ({type(e).__name__})") from None
    except httpx.HTTPError as e:
        raise FetchError(f"{url}: {_one_line(type(e).__name__ + ': ' + str(e))}") from None
    finally:
        if own_client:
            await client.aclose()


def check_address(ip_text: str) -> str | None:
    """Why this address may not be fetched from (None when it is a public address)."""
    try:
        ip = ipaddress.ip_address(ip_text.split("%", 1)[0])
    except ValueError:
        return f"{ip_text} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, what in (("is_loopback", "a loopback"), ("is_link_local", "a link-local"),
                       ("is_unspecified", "an unspecified"), ("is_multicast", "a multicast"),
                       ("is_private", "a private"), ("is_reserved", "a reserved")):
        if getattr(ip, test):
            return f"{ip} is {what} address"
    if ip.version == 4 and ip in _SHARED:
        return f"{ip} is a shared (carrier-grade NAT) address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


# --- dispatch -------------------------------------------------------------------------------------
async def _fetch(fetcher: "_Fetcher", url: str, replies: bool, fetched_at: str) -> Source:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched (not {parts.scheme or 'a bare path'}:)")
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    if host in ("bsky.app", "www.bsky.app") and _BSKY_PATH.match(path):
        return await _fetch_bluesky(fetcher, url, replies, fetched_at)
    m = _MASTODON_PATH.match(path)
    if m and not parts.query:
        try:
            return await _fetch_mastodon(fetcher, url, m.group(3), replies, fetched_at)
        except _StatusError as e:
            if e.status not in (400, 401, 403, 404, 405, 406, 410, 501):
                raise
            # Not a Mastodon server (or its API is closed to anonymous readers): read the page itself.
    return await _fetch_page(fetcher, url, replies, fetched_at)


async def _fetch_page(fetcher: "_Fetcher", url: str, replies: bool, fetched_at: str) -> Source:
    got = await fetcher.get(url, accept="text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5")
    source = _source(url, got, fetched_at)
    is_html = got.content_type in ("text/html", "application/xhtml+xml")
    if not is_html and not got.content_type:
        from .sources import looks_like_html

        is_html = looks_like_html(source.text)
    if is_html:
        from .html import parse_html

        threads, dropped = parse_html(source, replies=replies)
        source.structured, source.structured_dropped = threads, dropped
        source.meta["format"] = "html"
    else:
        source.meta["format"] = "text"
    return source


def _source(name: str, got: Fetched, fetched_at: str, raw: bytes | None = None,
            extra_meta: dict[str, Any] | None = None) -> Source:
    from .sources import decode_bytes, sniff_unusable

    body = got.body if raw is None else raw
    reason = sniff_unusable(body)
    if reason:
        raise FetchError(f"{got.url}: {reason.replace('the input', 'the response body')}")
    charset = _charset(got.headers.get("content-type", ""))
    text = encoding = repair = None
    if charset:
        try:
            text, encoding, repair = body.decode(charset), charset, None
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, encoding, repair = decode_bytes(body)
    meta: dict[str, Any] = {
        "status": got.status,
        "headers": {k: v for k, v in got.headers.items() if k not in ("set-cookie",)},
        "final_url": got.url,
        "redirects": got.redirects,
        "elapsed": round(got.elapsed, 3),
        "user_agent": USER_AGENT,
    }
    meta.update(extra_meta or {})
    return Source(name=name, kind="url", raw=body, text=text, encoding=encoding, repair=repair, url=got.url,
                  fetched_at=fetched_at, meta=meta)


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset=\"?([\w.:-]+)", content_type, re.I)
    return m.group(1).lower() if m else None


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


# --- the guarded GET ------------------------------------------------------------------------------
class _Fetcher:
    def __init__(self, client: httpx.AsyncClient, opts: FetchOptions, started: float, pin: bool):
        self.client = client
        self.opts = opts
        self.started = started
        self.pin = pin

    def remaining(self) -> float:
        return self.opts.deadline - (time.monotonic() - self.started)

    async def get(self, url: str, accept: str) -> Fetched:
        """GET with redirects followed by hand (each hop checked), retries, and the body caps."""
        redirects: list[str] = []
        current = url
        t0 = time.monotonic()
        for _hop in range(self.opts.max_redirects + 1):
            status, headers, body = await self._with_retries(current, accept)
            if status in REDIRECTS:
                location = headers.get("location")
                if not location:
                    raise FetchError(f"{current}: HTTP {status} redirect without a Location header")
                target = urljoin(current, location.strip())
                if target == current or target in redirects:
                    raise FetchError(f"{url}: redirect loop ({current} -> {target})")
                redirects.append(current)
                current = target
                continue
            if status >= 400:
                raise _StatusError(f"{current}: HTTP {status} {_reason(status)}", status)
            if status != 200 and status not in (203,):
                raise FetchError(f"{current}: HTTP {status} {_reason(status)}: nothing to archive")
            return Fetched(url=current, status=status, headers=headers, body=body, redirects=redirects,
                           elapsed=time.monotonic() - t0)
        raise FetchError(f"{url}: too many redirects (more than {self.opts.max_redirects})")

    async def _with_retries(self, url: str, accept: str) -> tuple[int, dict[str, str], bytes]:
        attempt = 0
        while True:
            status, headers, body = await self._once(url, accept)
            if status != 429 and not 500 <= status < 600:
                return status, headers, body
            if attempt >= self.opts.retries:
                raise _StatusError(f"{url}: HTTP {status} {_reason(status)} (after {plural(attempt, 'retry', 'retries')})", status)
            wait = _retry_after(headers.get("retry-after"))
            if wait is None:
                wait = self.opts.backoff * (2 ** attempt)
            wait = min(max(wait, 0.0), self.opts.max_retry_wait)
            if wait >= self.remaining():
                raise FetchError(f"{url}: HTTP {status} {_reason(status)}; retrying after {wait:g} s would pass"
                                 f" the {self.opts.deadline:g} s deadline")
            await asyncio.sleep(wait)
            attempt += 1

    async def _once(self, url: str, accept: str) -> tuple[int, dict[str, str], bytes]:
        target, headers, extensions = await self._guard(url)
        headers["Accept"] = accept
        request = self.client.build_request("GET", target, headers=headers, extensions=extensions)
        timeout = max(0.001, self.remaining())
        request.extensions["timeout"] = httpx.Timeout(
            min(self.opts.read_timeout, timeout), connect=min(self.opts.connect_timeout, timeout)).as_dict()
        response = await self.client.send(request, stream=True)
        try:
            status = response.status_code
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            if status in REDIRECTS or status >= 300:
                return status, resp_headers, b""
            ctype = resp_headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype and not _TEXT_TYPES.match(ctype):
                raise FetchError(f"{url}: refused a binary body (Content-Type {ctype}); only text, HTML and"
                                 " JSON are archived")
            declared = resp_headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.opts.max_bytes:
                raise FetchError(f"{url}: the body is {int(declared):,} bytes, over the"
                                 f" {_size(self.opts.max_bytes)} limit")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > self.opts.max_bytes:
                    raise FetchError(f"{url}: the body passed the {_size(self.opts.max_bytes)} limit;"
                                     " stopped reading")
            return status, resp_headers, bytes(body)
        finally:
            await response.aclose()

    async def _guard(self, url: str) -> tuple[str, dict[str, str], dict[str, Any]]:
        """Check one hop; returns the URL to request (the checked address when pinning) and headers."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"{url}: only http and https URLs can be fetched (not {scheme or 'a bare path'}:)")
        host = parts.hostname
        if not host:
            raise FetchError(f"{url}: the URL has no host")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"{url}: bad port in URL") from None
        origin = f"{scheme}://{_host_for_url(host)}:{port}"
        allowed = self.opts.allow_private
        if allowed is True and not self.pin:
            return url, {}, {}
        addresses = await self._resolve(host, port)
        if not addresses:
            raise FetchError(f"{url}: {host} does not resolve to any address")
        if not (allowed is True or (not isinstance(allowed, bool) and
                                    _origin_allowed(origin, scheme, host, port, allowed))):
            for addr in addresses:
                why = check_address(addr)
                if why:
                    raise FetchError(f"{url}: refused: {host} resolves to {why} (pass --allow-private to allow)"
                                     if addr != host else f"{url}: refused: {why} (pass --allow-private to allow)")
        if not self.pin:
            return url, {}, {}
        pinned = addresses[0]
        netloc = _host_for_url(pinned) + (f":{parts.port}" if parts.port else "")
        target = parts._replace(netloc=netloc).geturl()
        host_header = _host_for_url(host) + (f":{parts.port}" if parts.port else "")
        return target, {"Host": host_header}, ({"sni_hostname": host} if scheme == "https" else {})

    async def _resolve(self, host: str, port: int) -> list[str]:
        try:
            ipaddress.ip_address(host)
            return [host]
        except ValueError:
            pass
        if self.opts.resolver is not None:
            return list(await _in_daemon_thread(self.opts.resolver, host))
        try:
            infos = await _in_daemon_thread(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
        except socket.gaierror as e:
            raise FetchError(f"{host}: cannot resolve ({e.strerror or e})") from None
        out: list[str] = []
        for info in infos:
            addr = str(info[4][0])
            if addr not in out:
                out.append(addr)
        return out


async def _in_daemon_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) in a thread of its own, awaited: the fetch's deadline covers it.

    A name lookup cannot be interrupted (getaddrinfo waits out the resolver's timeouts, 10-20 s
    when DNS does not answer). Run on the event loop it would hold the deadline off; run in the
    loop's default executor (asyncio.to_thread) it would be abandoned at the deadline, but
    asyncio.run joins that executor before returning. A daemon thread is left to finish alone."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future = loop.create_future()

    def settle(value: Any, error: BaseException | None) -> None:
        if future.done():  # the deadline passed: nobody waits for this answer
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def run() -> None:
        try:
            value, error = fn(*args), None
        except BaseException as e:  # noqa: BLE001 - handed to the awaiting coroutine
            value, error = None, e
        try:
            loop.call_soon_threadsafe(settle, value, error)
        except RuntimeError:  # the loop is closed: the fetch ended without this answer
            pass

    threading.Thread(target=run, name="archiver-resolve", daemon=True).start()
    return await future


def _origin_allowed(origin: str, scheme: str, host: str, port: int, allowed: Collection[str]) -> bool:
    for item in allowed:
        item = item.strip().rstrip("/").lower()
        if "://" in item:
            p = urlsplit(item)
            item_port = p.port or (443 if p.scheme == "https" else 80)
            if p.scheme == scheme and (p.hostname or "") == host.lower() and item_port == port:
                return True
        elif item in (host.lower(), f"{host.lower()}:{port}"):
            return True
    return False


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _reason(status: int) -> str:
    try:
        from http import HTTPStatus

        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else (f"{n:,} bytes" if n != 1 else "1 byte")


# --- Mastodon ---------------------------------------------------------------------------------------
async def _fetch_mastodon(fetcher: _Fetcher, url: str, status_id: str, replies: bool, fetched_at: str) -> Source:
    parts = urlsplit(url)
    api = f"{parts.scheme}://{parts.netloc}/api/v1/statuses/{status_id}"
    got_status = await fetcher.get(api, accept="application/json")
    got_context = await fetcher.get(api + "/context", accept="application/json")
    try:
        import json

        status = json.loads(got_status.body)
        context = json.loads(got_context.body)
        if not isinstance(status, dict) or "id" not in status or not isinstance(context, dict):
            raise ValueError("not a status")
    except ValueError:
        raise _StatusError(f"{api}: not a Mastodon API answer", 404) from None
    threads = mastodon_threads(status, context, parts.hostname or "", replies)
    # The archived bytes: both API bodies, verbatim, in one JSON document.
    raw = b'{"status": ' + got_status.body + b', "context": ' + got_context.body + b"}"
    source = _source(url, got_status, fetched_at, raw=raw,
                     extra_meta={"format": "mastodon-api", "api": [api, api + "/context"]})
    source.url = status.get("url") or url
    source.structured, source.structured_dropped = threads, []
    return source


def mastodon_threads(status: dict, context: dict, host: str, replies: bool = False) -> list[Thread]:
    """The author's self-thread around a status (ancestors and descendants by the same account)."""
    from .html import html_to_text
    from .replies import build_threads

    items: list[dict] = []
    seen: set[str] = set()
    for s in [*(context.get("ancestors") or []), status, *(context.get("descendants") or [])]:
        if isinstance(s, dict) and s.get("id") and s["id"] not in seen:
            seen.add(s["id"])
            items.append(s)
    by_id = {s["id"]: s for s in items}
    author_id = (status.get("account") or {}).get("id")
    if replies:
        keep = set(by_id)
    else:
        root = status
        while root.get("in_reply_to_id") in by_id and \
                (by_id[root["in_reply_to_id"]].get("account") or {}).get("id") == author_id:
            root = by_id[root["in_reply_to_id"]]
        keep = {root["id"]}
        changed = True
        while changed:
            changed = False
            for s in items:
                if s["id"] not in keep and s.get("in_reply_to_id") in keep and \
                        (s.get("account") or {}).get("id") == author_id:
                    keep.add(s["id"])
                    changed = True
    posts = []
    for s in items:
        if s["id"] not in keep:
            continue
        account = s.get("account") or {}
        acct = account.get("acct") or account.get("username") or ""
        author = f"@{acct}" if "@" in acct else f"@{acct}@{host}"
        text = html_to_text(s.get("content") or "")
        if s.get("spoiler_text"):
            text = f"CW: {s['spoiler_text']}\n\n{text}".strip()
        parent = s.get("in_reply_to_id")
        posts.append(Post(id=s["id"], parent=parent, text=text, posted_at=s.get("created_at"), author=author,
                          url=s.get("url") or s.get("uri"), self_reply=True,
                          order=(s.get("created_at") or "", int(s["id"]) if str(s["id"]).isdigit() else 0, s["id"])))
    # Ids in the archive are the statuses' global URIs where the API gives them.
    uri = {s["id"]: s.get("uri") or s["id"] for s in items}
    threads = [t for t, _ in build_threads(posts, "mastodon")]
    for t in threads:
        for p in t.parts:
            p.parent_id = uri.get(p.parent_id, p.parent_id) if p.parent_id else None
            p.external_id = uri.get(p.external_id, p.external_id)
        t.id = _thread_id("mastodon", t.parts[0].external_id)
    return threads


def _thread_id(namespace: str, key: str | None) -> str:
    from .normalize import short_hash

    return short_hash(namespace, key)


# --- Bluesky -----------------------------------------------------------------------------------------------
async def _fetch_bluesky(fetcher: _Fetcher, url: str, replies: bool, fetched_at: str) -> Source:
    m = _BSKY_PATH.match(urlsplit(url).path)
    actor, rkey = m.group(1), m.group(2)
    at_uri = f"at://{actor}/app.bsky.feed.post/{rkey}"
    api = f"{BSKY_API}?uri={quote(at_uri, safe='')}&depth=100&parentHeight=100"
    got = await fetcher.get(api, accept="application/json")
    try:
        import json

        data = json.loads(got.body)
        thread = data["thread"]
    except (ValueError, KeyError, TypeError):
        raise FetchError(f"{api}: not a getPostThread answer") from None
    if not isinstance(thread, dict) or "post" not in thread:
        kind = (thread or {}).get("$type", "") if isinstance(thread, dict) else ""
        raise FetchError(f"{url}: the post is not available ({kind.rsplit('#', 1)[-1] or 'no thread'})")
    threads = bluesky_threads(thread, replies)
    source = _source(url, got, fetched_at, extra_meta={"format": "bluesky-api", "api": [api]})
    source.url = url
    source.structured, source.structured_dropped = threads, []
    return source


def bluesky_threads(node: dict, replies: bool = False) -> list[Thread]:
    """The author's self-thread from a getPostThread threadViewPost (parents up, replies down)."""
    from .replies import build_threads

    focal = node["post"]
    did = (focal.get("author") or {}).get("did")
    nodes: list[dict] = []
    parent = node.get("parent")
    chain = []
    while isinstance(parent, dict) and "post" in parent:
        if not replies and (parent["post"].get("author") or {}).get("did") != did:
            break
        chain.append(parent)
        parent = parent.get("parent")
    nodes.extend(reversed(chain))
    stack = [node]
    while stack:
        n = stack.pop()
        nodes.append(n)
        kids = [r for r in (n.get("replies") or []) if isinstance(r, dict) and "post" in r and
                (replies or (r["post"].get("author") or {}).get("did") == did)]
        stack.extend(reversed(kids))
    posts = []
    for n in nodes:
        post = n["post"]
        record = post.get("record") or {}
        author = post.get("author") or {}
        handle = author.get("handle") or author.get("did")
        rkey = post["uri"].rsplit("/", 1)[-1]
        parent_uri = ((record.get("reply") or {}).get("parent") or {}).get("uri")
        created = record.get("createdAt") or post.get("indexedAt")
        posts.append(Post(id=post["uri"], parent=parent_uri, text=bluesky_text(record), posted_at=created,
                          author=f"@{handle}", url=f"https://bsky.app/profile/{handle}/post/{rkey}",
                          self_reply=True, order=(created or "", 0, post["uri"])))
    return [t for t, _ in build_threads(posts, "bluesky")]


def bluesky_text(record: dict) -> str:
    """A post's text with link facets expanded to their full URIs (the text shows them shortened)."""
    text = record.get("text") or ""
    links = []
    for facet in record.get("facets") or []:
        index = facet.get("index") or {}
        for feature in facet.get("features") or []:
            if feature.get("$type") == "app.bsky.richtext.facet#link" and feature.get("uri"):
                links.append((index.get("byteStart"), index.get("byteEnd"), feature["uri"]))
    if not links:
        return text
    data = text.encode("utf-8")
    for start, end, uri in sorted((s, e, u) for s, e, u in links if isinstance(s, int) and isinstance(e, int)
                                  and 0 <= s <= e <= len(data))[::-1]:
        data = data[:start] + uri.encode("utf-8") + data[end:]
    return data.decode("utf-8", errors="replace")
