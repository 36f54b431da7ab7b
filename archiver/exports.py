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
import gc
import hashlib
import html
import json
import re
import sqlite3
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Optional, Union

from .digest import tree_digests
from .errors import ArchiveError, InputError
from .fts import update_fts
from .models import Part, Source, Thread
from .normalize import content_hash, short_hash
from .sources import SAVE_AS_TEXT, check_regular, describe_zip, open_regular, read_regular, sniff_unusable
from .store import find_known_fragments
from .tableset import FULL, TableSet
from .txn import begin_immediate
from .wording import plural

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


# --- the shared tree builder ---------------------------------------------------------------------
@dataclass(slots=True)
class Post:
    """One post of an export, reduced to what a thread part needs."""

    id: str
    parent: str | None
    text: str
    posted_at: str | None
    author: str | None
    url: str | None
    self_reply: bool = True  # may join its parent's tree when the parent is in the file
    order: tuple = ()
    origin: int = 0  # which file of a multi-file export it came from
    reply_name: str | None = None  # Twitter: in_reply_to_screen_name
    reply_user: str | None = None  # Twitter: in_reply_to_user_id_str


def reply_trees(posts: Iterable[Post]) -> list[list[Post]]:
    """Posts grouped into reply trees, each in depth-first order (siblings by time, then id), roots by time."""
    by_id: dict[str, Post] = {}
    for p in posts:
        by_id.setdefault(p.id, p)
    children: dict[str, list[Post]] = defaultdict(list)
    roots: list[Post] = []
    for p in by_id.values():
        if p.parent is not None and p.self_reply and p.parent in by_id and p.parent != p.id:
            children[p.parent].append(p)
        else:
            roots.append(p)
    for kids in children.values():
        if len(kids) > 1:
            kids.sort(key=lambda p: p.order)
    roots.sort(key=lambda p: p.order)
    trees: list[list[Post]] = []
    for root in roots:
        if root.id not in children:
            trees.append([root])
            continue
        ordered: list[Post] = []
        stack = [root]
        while stack:  # depth-first, iterative: a 3,000-post chain must not hit the recursion limit
            p = stack.pop()
            ordered.append(p)
            kids = children.get(p.id)
            if kids:
                stack.extend(reversed(kids))
        trees.append(ordered)
    return trees


def build_threads(posts: Iterable[Post], namespace: str = "export") -> list[tuple[Thread, int]]:
    """Reply trees as Threads: (Thread, index of the file holding the root) in the order the roots were posted."""
    out: list[tuple[Thread, int]] = []
    for ordered in reply_trees(posts):
        root = ordered[0]
        parts = [Part(n=i, text=p.text, line_start=None, line_end=None, author=p.author,
                      posted_at=p.posted_at, external_id=p.id, parent_id=p.parent, url=p.url)
                 for i, p in enumerate(ordered, 1)]
        out.append((Thread(id=short_hash(namespace, root.id), kind="thread" if len(parts) > 1 else "post",
                           title=_title(root.text), author=root.author, url=root.url, total=None, missing=[],
                           parts=parts), root.origin))
    return out


def _title(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:200]
    return ""


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


_BLOCKS = ("p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol")


def html_to_text(fragment: str) -> str:
    """Post HTML -> text: <br> is a line break, <p> and other blocks are paragraphs, entities decoded."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for img in soup.find_all("img"):  # custom emoji and inline images keep their alt text
        img.replace_with(img.get("alt") or "")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    text = soup.get_text()
    lines = [line.strip(" \t") for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- the bulk import path ------------------------------------------------------------------------------
def import_export(db, path: str | Path, private: bool = False):
    """Archive an export in one transaction: the raw file streamed in, threads stored with executemany.

    Returns an IngestSummary. Re-importing the same bytes changes nothing; a newer export of the same
    account adds its new posts to the threads already archived (thread ids depend on the root post id).
    Memory stays near twice the largest data file: SQLite's copy of the text is made before the file is
    parsed, and the parsed tweets are reduced to parts as they are read.
    """
    from . import projection
    from .store import IngestSummary, refresh_thread, utcnow
    from .tableset import PUBLIC

    found = find_export(path)
    summary = IngestSummary()
    conn = db.conn
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of acyclic objects: the cyclic collector only costs time here
    # No checkpoint inside the COMMIT of a bulk load: closing the connection (or the next automatic
    # checkpoint) copies the WAL into the database once.
    autocheckpoint = conn.execute("pragma wal_autocheckpoint").fetchone()[0]
    conn.execute("pragma wal_autocheckpoint = 0")
    fresh = _rollback_journal_if_fresh(conn)
    begin_immediate(conn)
    try:
        now = utcnow()
        meta = json.dumps({"format": "twitter-archive" if found.fmt == "twitter" else "mastodon-outbox"})
        new_files: dict[int, int] = {}  # index in found.files -> source id
        limit = conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
        public_too = None
        for i, f in enumerate(found.files):
            _check_storable(f, f.size, limit)  # before reading it: the size the file (or zip) declares
            sha, size, lines, encoding = _scan(f)
            _check_storable(f, size - (3 if encoding == "utf-8-sig" else 0), limit)
            known = conn.execute("select id, private from sources where sha256 = ?", [sha]).fetchone()
            if known is not None:
                summary.sources_present += 1
                summary.present.append(f.name)
                if private and not known[1]:
                    summary.make_private.append(known[0])
                continue
            if public_too is None:  # a first private source starts the public projection (archiver/projection.py)
                public_too = projection.prepare(conn, private)
            new_files[i] = _insert_streamed_source(conn, f, sha, size, lines, encoding, private, meta, now)
        if not new_files:
            conn.execute("ROLLBACK")
            return summary
        # The export is parsed in a second thread while this one copies the files into their rows:
        # blob writes and file reads run without the GIL, so the copy costs next to nothing.
        with ThreadPoolExecutor(1) as pool:
            parsing = pool.submit(export_posts, found)
            for i, rowid in new_files.items():
                _fill_streamed_source(conn, found.files[i], rowid)
            posts, _meta = parsing.result()
        trees = [(short_hash("export", tree[0].id), tree, new_files[tree[0].origin])
                 for tree in reply_trees(posts) if tree[0].origin in new_files]
        del posts
        hashes = tree_hashes(trees)
        records: dict[int, list] = {}
        _bulk_store(db, trees, now, summary, refresh_thread, hashes=hashes, records=records)
        for source_id in new_files.values():  # what each file gave, for a later rebuild of the projection
            projection.save_record(conn, source_id, 0, projection.EXPORT,
                                   projection.encode_trees(records.get(source_id, [])))
        if public_too:
            _bulk_store(db, trees, now, IngestSummary(), refresh_thread, PUBLIC, hashes)
        update_fts(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        if fresh:
            conn.execute("pragma journal_mode = wal")
        conn.execute(f"pragma wal_autocheckpoint = {int(autocheckpoint)}")
        if collecting:
            gc.enable()
    summary.sources_new = len(new_files)
    if new_files:
        summary.formats["export"] = len(new_files)
    summary.settle(conn)
    return summary


def _check_storable(f: ExportFile, length: int, limit: int) -> None:
    """Refuse a data file whose text is longer than SQLite stores in one value (SQLITE_LIMIT_LENGTH,
    1,000,000,000 bytes by default): its source row could not hold it."""
    if length > limit:
        raise InputError(f"{f.name}: {length:,} bytes, more than the {limit:,} bytes SQLite can store in one"
                         " value: it cannot be archived as one source (nothing was written)")


def _rollback_journal_if_fresh(conn) -> bool:
    """Into an archive that holds nothing yet, import with a rollback journal instead of the WAL:
    every page written is new, so the journal records nothing and each page is written once,
    where the WAL would write it twice (into the log, then into the file at the checkpoint).
    Still one atomic transaction (a crash leaves a hot journal that the next open rolls back,
    and `open_db` puts the archive back in WAL mode). Only when no other connection has the
    file open; returns True when the mode was changed (the caller changes it back)."""
    if conn.execute("select exists (select 1 from sources)").fetchone()[0]:
        return False
    try:
        return conn.execute("pragma journal_mode = delete").fetchone()[0] == "delete"
    except sqlite3.OperationalError:  # another connection holds the file: stay in WAL mode
        return False


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


def _insert_streamed_source(conn, f: ExportFile, sha: str, size: int, lines: int, encoding: str,
                            private: bool, meta: str, now: str) -> int:
    """Insert the sources row with its text column made at its final length, for
    `_fill_streamed_source` to fill from the file by incremental blob I/O.

    The content of a UTF-8 file is its bytes (after any BOM): the decoded text is never built in
    Python. Lossless by construction, so `raw` stays NULL, as save_source leaves it for any lossless source.
    """
    skip = 3 if encoding == "utf-8-sig" else 0
    length = size - skip
    cur = conn.execute(
        "insert into sources (sha256, kind, name, url, encoding, repair, bytes, lines, ingested_at, fetched_at,"
        " private, meta, content, raw) values (?, 'export', ?, null, ?, null, ?, ?, ?, null, ?, ?,"
        " cast(zeroblob(?) as text), null)",
        [sha, f.name, encoding, size, lines, now, int(private), meta, length],
    )
    return cur.lastrowid


def _fill_streamed_source(conn, f: ExportFile, rowid: int) -> None:
    """Copy the file's text (after any BOM) into the content column made for it, 1 MB at a time."""
    with conn.blobopen("sources", "content", rowid) as blob, f.opener() as stream:
        head = stream.read(len(codecs.BOM_UTF8))
        if head != codecs.BOM_UTF8:  # the mark is not part of the text (encoding utf-8-sig)
            blob.write(head)
        while chunk := stream.read(_CHUNK):
            blob.write(chunk)


def fast_content_hash(text: str) -> str:
    """content_hash, with its ASCII case inlined (no NFC or invisible spacers to handle).

    Must equal normalize.content_hash for every text: tests/test_exports.py checks it.
    """
    if text.isascii():
        return hashlib.sha256(" ".join(text.split()).encode("ascii")).hexdigest()
    return content_hash(text)


@contextmanager
def _indexes_deferred(conn, tables: tuple[str, ...]):
    """Into tables that are all empty, insert with their secondary indexes dropped and made again after.

    Inside the caller's transaction, so a crash or an error rolls the drop back with the rows. Building an
    index from its table sorts once; keeping it up to date row by row inserts at random places in a B-tree
    (fragment ids are content hashes): 0.8 s of a 4.2 s import of 100,000 tweets. The indexes come back from
    their own stored SQL. Tables that hold rows keep their indexes (a second import sees its threads).
    """
    if not all(conn.execute(f'select not exists (select 1 from "{t}")').fetchone()[0] for t in tables):
        yield
        return
    indexes = conn.execute("select name, sql from sqlite_master where type = 'index' and sql is not null"
                           f" and tbl_name in ({','.join('?' * len(tables))})", list(tables)).fetchall()
    for name, _ in indexes:
        conn.execute(f'drop index "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def tree_hashes(trees: list[tuple[str, list[Post], int]]) -> dict[str, str]:
    """text -> content hash of every post of these trees."""
    hashes: dict[str, str] = {}
    sha256 = hashlib.sha256
    for _, tree, _ in trees:
        for p in tree:
            text = p.text
            if text not in hashes:  # fast_content_hash, inlined: 100,000 calls add up
                hashes[text] = sha256(" ".join(text.split()).encode("ascii")).hexdigest() \
                    if text.isascii() else content_hash(text)
    return hashes


def _bulk_store(db, trees: list[tuple[str, list[Post], int]], now: str, summary, refresh_thread,
                tables: TableSet = FULL, hashes: dict[str, str] | None = None,
                records: dict[int, list] | None = None) -> None:
    """Insert (thread id, reply tree, source id) items as threads, fragments, thread_parts and sightings.

    The rows are the ones save_source writes for the same threads (tests/test_exports.py checks it), built
    straight from the posts and inserted with executemany in key order. (A helper thread building rows
    while this one inserts was tried: GIL hand-offs made it slower.) Into the public projection
    (`tables`, archiver/tableset.py) the fragments are archived already: each one the projection has
    not seen gets its `pub_fragments` row instead. `records`, when given, receives each source's part
    rows (thread id, n, fragment id, author, date, post id, parent id, url, ...: what it said), for
    its record (`projection.encode_trees`).
    """
    conn = db.conn
    trees = sorted(trees, key=lambda item: item[0])
    existing_threads: dict[str, int] = {}  # thread id -> rowid
    if conn.execute(f"select 1 from {tables.threads} limit 1").fetchone():
        ids = [tid for tid, _, _ in trees]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            existing_threads.update(conn.execute(
                f"select id, rowid from {tables.threads} where id in ({','.join('?' * len(chunk))})", chunk).fetchall())
    hashes = hashes if hashes is not None else tree_hashes(trees)
    rowids: dict[str, int] = {}  # content hash -> fragment rowid, archived before this batch
    if conn.execute("select 1 from fragments limit 1").fetchone():
        unique = list(set(hashes.values()))
        for i in range(0, len(unique), 500):
            chunk = unique[i:i + 500]
            rowids.update((h, rowid) for h, _, rowid in find_known_fragments(conn, chunk))
    if tables.public:  # known to the projection: the fragments it has a row for
        public: set[int] = set()
        values = list(rowids.values())
        for i in range(0, len(values), 10_000):
            public.update(r[0] for r in conn.execute(
                "select fragment_rowid from pub_fragments where fragment_rowid in (select value from json_each(?))",
                [json.dumps(values[i:i + 10_000])]))
        known = {h for h, rowid in rowids.items() if rowid in public}
    else:
        known = set(rowids)
    # New texts get rowids in id order, so the rows append to both the table and its id index.
    first: dict[str, tuple[str, int]] = {}  # hash -> (text, source id) where first seen
    for _, tree, source_id in trees:
        for p in tree:
            h = hashes[p.text]
            if h not in known and h not in first:
                first[h] = (p.text, source_id)
    fragment_rows: list[tuple] = []
    if tables.public:
        missing = [h for h in first if h not in rowids]
        if missing:
            raise ArchiveError(f"{plural(len(missing), 'text')} of an export not in the archive")
        public_rows = [(rowids[h], "post", first[h][1], now) for h in sorted(first, key=lambda h: h[:16])]
    else:
        top = conn.execute("select coalesce(max(rowid), 0) from fragments").fetchone()[0]
        for i, h in enumerate(sorted(first, key=lambda h: h[:16]), top + 1):
            text, source_id = first[h]
            rowids[h] = i
            fragment_rows.append((i, h[:16], h, "post", text, len(text), source_id, now))
    thread_top = conn.execute(f"select coalesce(max(rowid), 0) from {tables.threads}").fetchone()[0]
    thread_rows: list[tuple] = []
    part_rows: list[tuple] = []
    sighting_rows: list[tuple] = []
    add_part, add_sighting = part_rows.append, sighting_rows.append
    fragments_known = fragments_new = 0
    refresh: list[str] = []
    signing: list[tuple] = []  # the new threads, their digests worked out together (digest.tree_digests)
    spans: list[tuple[int, int]] = []  # each tree's source and first row in part_rows, for its record
    for tid, tree, source_id in trees:
        trowid = existing_threads.get(tid)
        new = trowid is None
        if new:
            thread_top += 1
            trowid = existing_threads[tid] = thread_top
        else:
            refresh.append(tid)
        spans.append((source_id, len(part_rows)))
        n = 0
        for p in tree:
            n += 1
            h = hashes[p.text]
            fid, frowid = h[:16], rowids[h]
            if h in known:
                fragments_known += 1
            else:
                known.add(h)
                fragments_new += 1
            add_part((tid, n, fid, p.author, p.posted_at, p.id, p.parent, p.url, trowid, frowid))
            add_sighting((fid, source_id, tid, n, frowid, trowid))
        if new:
            root, title = tree[0], _title(tree[0].text)
            thread_rows.append([trowid, tid, "thread" if len(tree) > 1 else "post", title, root.author,
                                root.url, len(tree), source_id, now, now, None])
            signing.append((title, root.author, len(part_rows) - n, n, source_id))
    for row, digest in zip(thread_rows, tree_digests(signing, part_rows)):
        row[-1] = digest
    if records is not None:  # what each source gave: its trees' part rows, in order
        ends = [start for _, start in spans[1:]] + [len(part_rows)]
        for (source_id, start), end in zip(spans, ends):
            records.setdefault(source_id, []).append((start, end))
        for source_id, ranges in records.items():
            records[source_id] = [row for start, end in ranges for row in part_rows[start:end]]
    summary.created_ids.update(row[1] for row in thread_rows)  # counted as stored by IngestSummary.settle
    summary.joined_ids.update(refresh)
    summary.fragments_known += fragments_known
    summary.fragments_new += fragments_new
    # Rows go in key order (new fragments and threads numbered in id order, trees walked in thread-id
    # order): B-tree inserts then append to pages.
    deferred = (tables.threads, tables.parts, tables.sightings) + (() if tables.public else ("fragments",))
    with _indexes_deferred(conn, deferred):
        if tables.public:
            conn.executemany("insert into pub_fragments (fragment_rowid, kind, first_source_id, first_seen_at)"
                             " values (?, ?, ?, ?)", public_rows)
        else:
            conn.executemany(
                "insert into fragments (rowid, id, hash, kind, text, chars, first_source_id, first_seen_at)"
                " values (?, ?, ?, ?, ?, ?, ?, ?)", fragment_rows)
        conn.executemany(
            f"insert into {tables.threads} (rowid, id, kind, title, author, url, total, missing, complete, parts,"
            " conflicts, first_source_id, created_at, updated_at, digest)"
            " values (?, ?, ?, ?, ?, ?, null, '[]', 1, ?, 0, ?, ?, ?, ?)", thread_rows)
        conn.executemany(
            f"insert or ignore into {tables.parts} (thread_id, n, fragment_id, inferred, marker, conflict, author,"
            " posted_at, external_id, parent_id, url, thread_rowid, fragment_rowid)"
            " values (?, ?, ?, 0, null, 0, ?, ?, ?, ?, ?, ?, ?)", part_rows)
        conn.executemany(
            f"insert or ignore into {tables.sightings} (fragment_id, source_id, line_start, line_end, thread_id, n,"
            " fragment_rowid, thread_rowid) values (?, ?, null, null, ?, ?, ?, ?)", sighting_rows)
    # Threads that were already archived (a newer export of the same account) are recounted as save_source does.
    for tid in refresh:
        refresh_thread(db, tid, now, tables)
