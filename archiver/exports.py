"""Platform exports: a Twitter/X data export and a Mastodon outbox -> Sources whose threads come from structure.

A thread here is known, not guessed: it is a tree of the account's own posts in which every reply points
(in_reply_to_status_id_str / inReplyTo) at another post of the same file. Trees of two or more posts are
threads, the rest single posts. Parts follow the reply tree depth-first, siblings by time then id; a tree
that branches (the author answered one post twice) stays one thread, each part keeping its parent's id.

Two entry points:

- `parse_twitter_export(path)` / `parse_mastodon_outbox(path)` / `read_export(path)` return Sources
  (kind "export", the exact bytes of the file read, decoded text) with `Source.structured` set, for the
  ordinary pipeline (`parse_sources`, `ingest_source`).
- `import_export(db, path)` stores an export in one transaction through a bulk path: the raw file is
  streamed into the archive (never held twice in memory) and rows go in with executemany. It writes the
  same tables and the same values as `save_source` would.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Optional, Union

import sqlite_utils

from .errors import InputError
from .models import Post, Source, Thread
from .normalize import short_hash
from .replies import build_threads, reply_trees
from .sources import SAVE_AS_TEXT, check_regular, describe_zip, open_regular, read_regular, sniff_unusable
from .store import ExportWriter, IngestSummary

try:  # msgspec decodes only the fields we ask for: ~4x faster and far smaller than json.loads
    import msgspec
except ImportError:  # pragma: no cover - exercised only where msgspec is missing
    msgspec = None

TWITTER_FILE_RE = re.compile(r"(?:^|/)tweets?(?:-part\d+)?\.js$")
TWITTER_ACCOUNT_RE = re.compile(r"(?:^|/)account\.js$")
MASTODON_FILE_RE = re.compile(r"(?:^|/)outbox\.json$")
MASTODON_ACTOR_RE = re.compile(r"(?:^|/)actor\.json$")
AS_PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
TWITTER_BASE = "https://twitter.com"
_CHUNK = 1 << 20
_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                        "Nov", "Dec"), 1)}


# --- finding the files of an export ---------------------------------------------------------------
@dataclass
class ExportFile:
    """One data file inside a zip, a folder, or given directly."""

    name: str
    fmt: str  # "twitter" | "mastodon"
    opener: Callable[[], IO[bytes]]
    size: int

    def read(self) -> bytes:
        with self.opener() as f:
            return f.read()


@dataclass
class ExportSet:
    """The data files of one export and what its side files say about the account."""

    fmt: str
    files: list[ExportFile]
    account: dict[str, str] = field(default_factory=dict)


def find_export(path: str | Path) -> ExportSet:
    """Locate the tweets/outbox files of an export given as a zip, its folder, or the data file itself."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or folder")
    if not p.is_dir():
        check_regular(p)  # a FIFO or device is refused before anything opens it (and waits on it)
    entries: list[tuple[str, Callable[[], IO[bytes]], int]] = []
    if p.is_dir():
        for f in sorted(p.rglob("*")):
            if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                rel = f.relative_to(p).as_posix()
                entries.append((f"{p.name}/{rel}", _file_opener(f), f.stat().st_size))
    elif zipfile.is_zipfile(p):
        try:
            zf = zipfile.ZipFile(p)
        except (zipfile.BadZipFile, OSError) as e:
            raise InputError(f"{path}: not a readable zip archive ({e})") from None
        for info in zf.infolist():
            if not info.is_dir() and not any(part.startswith(("__MACOSX", ".")) for part in
                                             PurePosixPath(info.filename).parts):
                entries.append((f"{p.name}/{info.filename}", _zip_opener(p, info.filename), info.file_size))
    else:
        fmt = _sniff_format(p)
        if fmt is None:
            with open_regular(p) as f:
                unusable = sniff_unusable(f.read(65536))
            raise InputError(f"{path}: {unusable}" if unusable else f"{path}: not a Twitter/X export (tweets.js) or a"
                             " Mastodon outbox.json; a text file or a saved page is archived with `archiver ingest`")
        files = [ExportFile(p.name, fmt, _file_opener(p), p.stat().st_size)]
        side = p.parent / ("account.js" if fmt == "twitter" else "actor.json")
        account = _read_account(fmt, read_regular(side)) if side.is_file() else {}
        return ExportSet(fmt, files, account)
    twitter = [ExportFile(n, "twitter", o, s) for n, o, s in entries if TWITTER_FILE_RE.search(n)]
    mastodon = [ExportFile(n, "mastodon", o, s) for n, o, s in entries if MASTODON_FILE_RE.search(n)]
    if twitter:
        side = next((o for n, o, _ in entries if TWITTER_ACCOUNT_RE.search(n)), None)
        twitter.sort(key=lambda f: _part_number(f.name))
        return ExportSet("twitter", twitter, _read_account("twitter", _read_all(side)) if side else {})
    if mastodon:
        side = next((o for n, o, _ in entries if MASTODON_ACTOR_RE.search(n)), None)
        return ExportSet("mastodon", mastodon[:1], _read_account("mastodon", _read_all(side)) if side else {})
    if not p.is_dir():
        what, kind = describe_zip(p)
        if kind == "document":
            raise InputError(f"{path}: {what}, not a Twitter/X or Mastodon export: {SAVE_AS_TEXT} (`archiver ingest`)")
    raise InputError(f"{path}: holds no tweets.js / tweet.js (Twitter/X export) or outbox.json (Mastodon export)")


def _file_opener(f: Path) -> Callable[[], IO[bytes]]:
    return lambda: open_regular(f)


def _zip_opener(z: Path, member: str) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        zf = zipfile.ZipFile(z)
        stream = zf.open(member)
        close = stream.close

        def closing() -> None:
            close()
            zf.close()

        stream.close = closing  # type: ignore[method-assign]
        return stream

    return opener


def _read_all(opener: Callable[[], IO[bytes]]) -> bytes:
    with opener() as f:
        return f.read()


def _part_number(name: str) -> int:
    m = re.search(r"-part(\d+)\.js$", name)
    return int(m.group(1)) if m else 0


def _sniff_format(p: Path) -> str | None:
    with open_regular(p) as f:
        head = f.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"window.YTD."):
        return "twitter"
    if head.startswith(b"{") and (b"OrderedCollection" in head or b"orderedItems" in head or
                                  p.name == "outbox.json"):
        return "mastodon"
    if head.startswith(b"[") and p.suffix == ".js":
        return "twitter"
    return None


def _read_account(fmt: str, raw: bytes) -> dict[str, str]:
    try:
        if fmt == "twitter":
            data = _ytd_json(raw)
            acc = (data[0].get("account") or data[0]) if data else {}
            return {k: str(v) for k, v in (("username", acc.get("username")), ("id", acc.get("accountId")))
                    if v}
        data = json.loads(raw)
        out = {}
        if data.get("preferredUsername"):
            out["username"] = data["preferredUsername"]
        if data.get("id"):
            out["id"] = data["id"]
        return out
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        return {}


def _ytd_json(raw: bytes) -> Any:
    """Parse `window.YTD.<name>.partN = [ ... ]`: everything before the first `[` is dropped."""
    start = raw.find(b"[")
    if start < 0:
        raise InputError("no JSON array after the window.YTD prefix")
    return json.loads(raw[start:])


# --- decoding a data file ----------------------------------------------------------------------------
def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """Exports are UTF-8 JSON: decode strictly (a BOM is recorded as utf-8-sig)."""
    try:
        if raw.startswith(codecs.BOM_UTF8):
            return raw[3:].decode("utf-8"), "utf-8-sig"
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text ({e.reason} at byte {e.start}); exports are UTF-8 JSON") from None


# --- Twitter/X ---------------------------------------------------------------------------------------
if msgspec is not None:
    class _Url(msgspec.Struct):
        url: Optional[str] = None
        expanded_url: Optional[str] = None

    class _Entities(msgspec.Struct):
        urls: Optional[list[_Url]] = None
        media: Optional[list[_Url]] = None

    class _Tweet(msgspec.Struct):
        id_str: Optional[Union[str, int]] = None
        id: Optional[Union[str, int]] = None
        full_text: Optional[str] = None
        text: Optional[str] = None
        created_at: Optional[str] = None
        in_reply_to_status_id_str: Optional[Union[str, int]] = None
        in_reply_to_status_id: Optional[Union[str, int]] = None
        in_reply_to_screen_name: Optional[str] = None
        in_reply_to_user_id_str: Optional[Union[str, int]] = None
        entities: Optional[_Entities] = None
        extended_entities: Optional[_Entities] = None

    class _Item(_Tweet):
        tweet: Optional[_Tweet] = None

    _TWEETS_DECODER = msgspec.json.Decoder(list[_Item])


def _tweet_posts(raw: bytes, name: str, origin: int = 0) -> list[Post]:
    """Every tweet of a tweets.js as a Post (author and URL filled in later); msgspec when available."""
    start = raw.find(b"[")
    prefix = raw[:start].lstrip(codecs.BOM_UTF8).strip() if start >= 0 else b""
    if start < 0 or (prefix and not prefix.startswith(b"window.YTD")):
        raise InputError(f"{name}: not a Twitter/X export file (expected `window.YTD.tweets.part0 = [...]`)")
    if msgspec is not None:
        try:
            items = _TWEETS_DECODER.decode(memoryview(raw)[start:])
        except (msgspec.ValidationError, msgspec.DecodeError):
            items = None
        if items is not None:
            posts = [_post_from_struct(it.tweet or it, origin) for it in items]
            return [p for p in posts if p is not None]
    try:
        data = json.loads(raw[start:])
    except ValueError as e:
        raise InputError(f"{name}: the tweets JSON does not parse ({e})") from None
    if not isinstance(data, list):
        raise InputError(f"{name}: expected a JSON array of tweets")
    posts = [_post_from_dict(it.get("tweet", it), origin) for it in data if isinstance(it, dict)]
    return [p for p in posts if p is not None]


def _s(v: Any) -> str | None:
    return None if v is None or v == "" else str(v)


def _post_from_struct(t: Any, origin: int) -> Post | None:
    tid = t.id_str or t.id
    if tid is None or tid == "":
        return None
    tid = str(tid)
    text = t.full_text if t.full_text is not None else (t.text or "")
    for ents in (t.entities, t.extended_entities):
        if ents is not None:
            for group in (ents.urls, ents.media):
                if group:
                    for u in group:
                        if u.url and u.expanded_url and u.url in text:
                            text = text.replace(u.url, u.expanded_url)
    if "&" in text:
        text = html.unescape(text)
    created = _twitter_time(t.created_at)
    parent = t.in_reply_to_status_id_str or t.in_reply_to_status_id
    user = t.in_reply_to_user_id_str
    return Post(tid, str(parent) if parent else None, text, created, None, None, False,
                (created or "", int(tid) if tid.isdigit() else 0, tid), origin,
                t.in_reply_to_screen_name, str(user) if user else None)


def _post_from_dict(t: Any, origin: int) -> Post | None:
    if not isinstance(t, dict):
        return None
    tid = _s(t.get("id_str")) or _s(t.get("id"))
    if tid is None:
        return None
    text = t.get("full_text") if t.get("full_text") is not None else (t.get("text") or "")
    urls = []
    for key in ("entities", "extended_entities"):
        ents = t.get(key) or {}
        for u in (ents.get("urls") or []) + (ents.get("media") or []):
            if isinstance(u, dict) and u.get("url") and u.get("expanded_url"):
                urls.append((u["url"], u["expanded_url"]))
    created = _twitter_time(t.get("created_at"))
    return Post(tid, _s(t.get("in_reply_to_status_id_str")) or _s(t.get("in_reply_to_status_id")),
                tweet_text(str(text), urls), created, None, None, False,
                (created or "", int(tid) if tid.isdigit() else 0, tid), origin,
                t.get("in_reply_to_screen_name"), _s(t.get("in_reply_to_user_id_str")))


def tweet_text(full_text: str, urls: Iterable[tuple[str, str]] = ()) -> str:
    """A tweet's text as shown: t.co links replaced by their expanded_url, HTML entities decoded."""
    text = full_text
    for short, expanded in urls:
        if short in text:
            text = text.replace(short, expanded)
    return html.unescape(text) if "&" in text else text


def _twitter_time(value: str | None) -> str | None:
    """`Sat Nov 09 12:14:18 +0000 2024` -> `2024-11-09T12:14:18+00:00` (ISO values pass through)."""
    if not value:
        return None
    if len(value) == 30 and value[3] == " " and value[19] == " " and value[4:7] in _MONTHS:
        # The export's fixed layout: `Sat Nov 09 12:14:18 +0000 2024`
        return f"{value[26:30]}-{_MONTHS[value[4:7]]:02d}-{value[8:10]}T{value[11:19]}{value[20:23]}:{value[23:25]}"
    bits = value.split()
    if len(bits) == 6 and bits[1] in _MONTHS and len(bits[4]) == 5:
        tz = bits[4]
        return f"{bits[5]}-{_MONTHS[bits[1]]:02d}-{int(bits[2]):02d}T{bits[3]}{tz[:3]}:{tz[3:]}"
    return value


_RT_RE = re.compile(r"^RT @(\w{1,15}):")


def twitter_accounts(posts: list[Post], account: dict[str, str] | None = None) -> str | None:
    """Fill in author, URL and self-reply flags of an archive's tweets; returns the account handle.

    The handle comes from account.js, else from the self-replies (in_reply_to_screen_name of replies whose
    parent is in the file). A reply joins its parent's tree when the parent is in the file and the reply
    went to the account (by user id when account.js gives it, else by screen name).
    """
    account = account or {}
    ids = {p.id for p in posts}
    handle = account.get("username")
    if not handle:
        names: dict[str, int] = defaultdict(int)
        for p in posts:
            if p.reply_name and p.parent in ids:
                names[p.reply_name] += 1
        handle = max(names, key=lambda k: names[k]) if names else None
    account_id = account.get("id")
    author = f"@{handle}" if handle else None
    base = f"{TWITTER_BASE}/{handle}/status/" if handle else f"{TWITTER_BASE}/i/web/status/"
    lower = handle.lower() if handle else None
    for p in posts:
        if p.parent in ids:
            if account_id and p.reply_user:
                p.self_reply = p.reply_user == account_id
            else:
                p.self_reply = lower is None or (p.reply_name or "").lower() == lower
        rt = _RT_RE.match(p.text) if p.text.startswith("RT @") else None
        p.author = f"@{rt.group(1)}" if rt else author
        p.url = base + p.id
    return handle


def parse_twitter_export(path: str | Path) -> list[Source]:
    """A Twitter/X export (zip, folder, tweets.js or tweet.js) -> one Source per tweets file, threads attached."""
    found = find_export(path)
    if found.fmt != "twitter":
        raise InputError(f"{path}: not a Twitter/X export (found a Mastodon outbox; use parse_mastodon_outbox)")
    return _sources_for(found)


def parse_mastodon_outbox(path: str | Path) -> list[Source]:
    """A Mastodon outbox.json (or the archive zip / folder holding it) -> one Source with its threads."""
    found = find_export(path)
    if found.fmt != "mastodon":
        raise InputError(f"{path}: not a Mastodon outbox (found a Twitter/X export; use parse_twitter_export)")
    return _sources_for(found)


def read_export(path: str | Path) -> list[Source]:
    """Any supported export, detected from its files: Sources with `structured` threads."""
    return _sources_for(find_export(path))


def _sources_for(found: ExportSet) -> list[Source]:
    threads, meta = export_threads(found)
    sources = []
    for i, f in enumerate(found.files):
        raw = f.read()
        text, encoding = _decode(raw, f.name)
        sources.append(Source(name=f.name, kind="export", raw=raw, text=text, encoding=encoding, meta=dict(meta),
                              structured=[t for t, origin in threads if origin == i], structured_dropped=[]))
    return sources


def export_posts(found: ExportSet) -> tuple[list[Post], dict[str, Any]]:
    """Every post of a located export (files read one at a time and dropped once parsed) and the source meta.

    Trees are built across all the files of a multi-part archive (tweets.js, tweets-part1.js, ...); a
    thread belongs to the file of its root.
    """
    if found.fmt == "twitter":
        posts: list[Post] = []
        for i, f in enumerate(found.files):
            posts.extend(_tweet_posts(f.read(), f.name, i))
        twitter_accounts(posts, found.account)
        return posts, {"format": "twitter-archive"}
    f = found.files[0]
    posts, _info = mastodon_posts(_mastodon_json(f.read(), f.name), found.account)
    return posts, {"format": "mastodon-outbox"}


def export_threads(found: ExportSet) -> tuple[list[tuple[Thread, int]], dict[str, Any]]:
    """Threads of a located export, each with the index of the file holding its root, and the source meta."""
    posts, meta = export_posts(found)
    return build_threads(posts, "export"), meta


# --- Mastodon ---------------------------------------------------------------------------------------------
def _mastodon_json(raw: bytes, name: str) -> dict:
    try:
        data = json.loads(raw)
    except ValueError as e:
        raise InputError(f"{name}: the outbox JSON does not parse ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("orderedItems"), list):
        raise InputError(f"{name}: not an ActivityStreams OrderedCollection with orderedItems")
    return data


def mastodon_author(actor: str | None, username: str | None = None) -> str | None:
    """`https://host/users/name` -> `@name@host`."""
    if not actor:
        return None
    m = re.match(r"https?://([^/]+)/(?:users/|@)([^/?#]+)", actor)
    if not m:
        return None
    return f"@{username or m.group(2)}@{m.group(1)}"


def visibility(obj: dict) -> str:
    """public, unlisted, private (followers only) or direct, from a Note's to/cc audiences."""
    to = obj.get("to") or []
    cc = obj.get("cc") or []
    to = [to] if isinstance(to, str) else to
    cc = [cc] if isinstance(cc, str) else cc
    if any(a in AS_PUBLIC for a in to):
        return "public"
    if any(a in AS_PUBLIC for a in cc):
        return "unlisted"
    if any(isinstance(a, str) and a.endswith("/followers") for a in to + cc):
        return "private"
    return "direct"


def mastodon_posts(outbox: dict, account: dict[str, str] | None = None,
                   include_direct: bool = False) -> tuple[list[Post], dict[str, Any]]:
    """Posts of an outbox's Create activities (Notes, polls); boosts and, by default, direct messages skipped."""
    from .html import html_to_text  # BeautifulSoup is loaded for an outbox only: a Twitter import need not pay it

    account = account or {}
    skipped: dict[str, int] = defaultdict(int)
    posts = []
    author_default = mastodon_author(account.get("id"), account.get("username"))
    for item in outbox.get("orderedItems") or []:
        if not isinstance(item, dict):
            continue
        obj = item.get("object")
        if item.get("type") != "Create" or not isinstance(obj, dict):
            skipped["boosts" if item.get("type") == "Announce" else "other"] += 1
            continue
        if not obj.get("id") or obj.get("type") not in ("Note", "Question", "Article", "Page"):
            skipped["other"] += 1
            continue
        if not include_direct and visibility(obj) == "direct":
            skipped["direct"] += 1
            continue
        text = html_to_text(_content(obj))
        if obj.get("summary"):
            text = f"CW: {html_to_text(obj['summary'])}\n\n{text}".strip()
        options = obj.get("oneOf") or obj.get("anyOf") or []
        if options:
            text += "\n" + "\n".join(f"- {o.get('name')}" for o in options if isinstance(o, dict))
        author = mastodon_author(obj.get("attributedTo") or item.get("actor"), account.get("username")) \
            or author_default
        published = obj.get("published") or item.get("published")
        reply = obj.get("inReplyTo")
        if isinstance(reply, dict):
            reply = reply.get("id")
        posts.append(Post(id=obj["id"], parent=reply or None, text=text, posted_at=published, author=author,
                          url=obj.get("url") if isinstance(obj.get("url"), str) else obj["id"],
                          order=(published or "", _numeric_tail(obj["id"]), obj["id"])))
    authors = [p.author for p in posts if p.author]
    return posts, {"author": max(set(authors), key=authors.count) if authors else None, "skipped": dict(skipped)}


def _content(obj: dict) -> str:
    content = obj.get("content")
    if not content and isinstance(obj.get("contentMap"), dict) and obj["contentMap"]:
        content = next(iter(obj["contentMap"].values()))
    return content or ""


def _numeric_tail(uri: str) -> int:
    m = re.search(r"(\d+)/?$", uri)
    return int(m.group(1)) if m else 0


# --- the bulk import path ------------------------------------------------------------------------------
def import_export(db: sqlite_utils.Database, path: str | Path, private: bool = False) -> IngestSummary:
    """Archive an export in one transaction: the raw file streamed in, threads stored with executemany.

    Returns an IngestSummary. Re-importing the same bytes changes nothing; a newer export of the same
    account adds its new posts to the threads already archived (thread ids depend on the root post id).
    Memory stays near twice the largest data file: SQLite's copy of the text is made before the file is
    parsed, and the parsed tweets are reduced to parts as they are read.
    """
    found = find_export(path)
    writer = ExportWriter(db, private)
    writer.open()
    try:
        meta = {"format": "twitter-archive" if found.fmt == "twitter" else "mastodon-outbox"}
        new_files: dict[int, int] = {}  # index in found.files -> source id
        for i, f in enumerate(found.files):
            writer.check_storable(f.name, f.size)  # before reading it: the size the file (or zip) declares
            sha, size, lines, encoding = _scan(f)
            skip = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
            writer.check_storable(f.name, size - skip)
            source_id = writer.add_file(f.name, sha, size, lines, encoding, size - skip, meta)
            if source_id is not None:
                new_files[i] = source_id
        if new_files:
            # The export is parsed in a second thread while this one copies the files into their rows:
            # blob writes and file reads run without the GIL, so the copy costs next to nothing.
            with ThreadPoolExecutor(1) as pool:
                parsing = pool.submit(export_posts, found)
                for i, source_id in new_files.items():
                    writer.fill(source_id, _content_chunks(found.files[i]))
                posts, _meta = parsing.result()
            trees = [(short_hash("export", tree[0].id), tree, new_files[tree[0].origin])
                     for tree in reply_trees(posts) if tree[0].origin in new_files]
            del posts
            writer.store(trees)
        return writer.finish()
    except BaseException:
        writer.abort()
        raise


def _scan(f: ExportFile) -> tuple[str, int, int, str]:
    """Stream a file once: sha256, size, line count (as Source.lines counts), strict UTF-8 check."""
    h = hashlib.sha256()
    size = newlines = 0
    last = b""
    first = True
    bom = False
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with f.opener() as stream:
            while chunk := stream.read(_CHUNK):
                if first:
                    bom = chunk.startswith(codecs.BOM_UTF8)
                    first = False
                h.update(chunk)
                size += len(chunk)
                newlines += chunk.count(b"\n")
                last = chunk[-1:]
                if not (chunk.isascii() and decoder.getstate()[0] == b""):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as e:
        raise InputError(f"{f.name}: not UTF-8 text ({e.reason}); exports are UTF-8 JSON") from None
    except (OSError, zipfile.BadZipFile) as e:
        raise InputError(f"{f.name}: cannot read ({e})") from None
    if size == 0:
        raise InputError(f"{f.name}: the file is empty")
    lines = newlines + (0 if last == b"\n" else 1)
    return h.hexdigest(), size, lines, "utf-8-sig" if bom else "utf-8"


def _content_chunks(f: ExportFile) -> Iterator[bytes]:
    """The file's text (its bytes after any BOM: the mark is not part of the text, encoding utf-8-sig),
    1 MB at a time."""
    with f.opener() as stream:
        head = stream.read(len(codecs.BOM_UTF8))
        if head != codecs.BOM_UTF8:
            yield head
        while chunk := stream.read(_CHUNK):
            yield chunk
