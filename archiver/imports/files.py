"""Finding and reading the data files of a platform export: a zip, its folder, or the file itself.

Which files hold the posts (tweets.js and its parts, outbox.json) and which say whose account it
is (account.js, actor.json); their bytes scanned once for what their sources row records, and
streamed in for the archive to keep them verbatim.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ..errors import InputError
from ..sources import (MASTODON_FILE_RE, SAVE_AS_TEXT, TWITTER_FILE_RE, check_regular, describe_zip, open_regular,
                       read_regular, sniff_unusable)

TWITTER_ACCOUNT_RE = re.compile(r"(?:^|/)account\.js$")
MASTODON_ACTOR_RE = re.compile(r"(?:^|/)actor\.json$")
_CHUNK = 1 << 20


@dataclass
class ExportFile:
    """One data file inside a zip, a folder, or given directly."""

    name: str
    fmt: str  # "twitter" | "mastodon"
    opener: Callable[[], IO[bytes]]
    size: int

    def read(self) -> bytes:
        """The file's bytes, whole."""
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
        account = read_account(fmt, read_regular(side)) if side.is_file() else {}
        return ExportSet(fmt, files, account)
    twitter = [ExportFile(n, "twitter", o, s) for n, o, s in entries if TWITTER_FILE_RE.search(n)]
    mastodon = [ExportFile(n, "mastodon", o, s) for n, o, s in entries if MASTODON_FILE_RE.search(n)]
    if twitter:
        side = next((o for n, o, _ in entries if TWITTER_ACCOUNT_RE.search(n)), None)
        twitter.sort(key=lambda f: _part_number(f.name))
        return ExportSet("twitter", twitter, read_account("twitter", _read_all(side)) if side else {})
    if mastodon:
        side = next((o for n, o, _ in entries if MASTODON_ACTOR_RE.search(n)), None)
        return ExportSet("mastodon", mastodon[:1], read_account("mastodon", _read_all(side)) if side else {})
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


def read_account(fmt: str, raw: bytes) -> dict[str, str]:
    """The account a side file names (account.js: username and id; actor.json: preferredUsername and
    id); empty when it says nothing readable."""
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


def decode_export_file(raw: bytes, name: str) -> tuple[str, str]:
    """Exports are UTF-8 JSON: decode strictly (a BOM is recorded as utf-8-sig)."""
    try:
        if raw.startswith(codecs.BOM_UTF8):
            return raw[3:].decode("utf-8"), "utf-8-sig"
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text ({e.reason} at byte {e.start}); exports are UTF-8 JSON") from None


def scan_export_file(f: ExportFile) -> tuple[str, int, int, str]:
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


def content_chunks(f: ExportFile) -> Iterator[bytes]:
    """The file's text (its bytes after any BOM: the mark is not part of the text, encoding utf-8-sig),
    1 MB at a time."""
    with f.opener() as stream:
        head = stream.read(len(codecs.BOM_UTF8))
        if head != codecs.BOM_UTF8:
            yield head
        while chunk := stream.read(_CHUNK):
            yield chunk
