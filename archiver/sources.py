"""Reading raw inputs: files, folders and standard input, decoded with their encoding recorded."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError, UnusableInput
from .models import Source

# Magic numbers of formats that hold no pasteable text.
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a zip archive (use `archiver import` for platform exports)",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3\x00": "an SQLite database",
    b"RIFF": "a RIFF media file",
    b"\x7fELF": "an executable",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


def sniff_unusable(raw: bytes) -> str | None:
    """Say why these bytes hold no text to archive, or None when they look like text."""
    if not raw:
        return "the input is empty"
    for magic, what in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            return f"the input is {what}, not text"
    if any(raw.startswith(bom) for bom, _ in _BOMS[3:]) or raw.startswith(codecs.BOM_UTF32_LE):
        return None  # UTF-16/32 text legitimately holds NUL bytes
    head = raw[:65536]
    if head.count(0) > 0:
        return "the input holds NUL bytes: it is binary, not text"
    return None


def decode_bytes(raw: bytes) -> tuple[str, str, str | None]:
    """Decode raw bytes: returns (text, encoding, repair), repair naming any mojibake fix applied."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding), encoding, None
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _detect(raw)
    return _repair_mojibake(text, encoding)


def _detect(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=None).best()
    if best is not None and best.encoding:
        encoding = codecs.lookup(best.encoding).name
        return str(best), encoding
    return raw.decode("latin-1"), "latin-1"


def _repair_mojibake(text: str, encoding: str) -> tuple[str, str, str | None]:
    """Undo UTF-8 text that was once decoded as cp1252/latin-1 and saved again (`Ð¢ÐµÐ½Ð³Ðµ`)."""
    import ftfy

    # fix_encoding only undoes mojibake; it never touches quotes, widths or ligatures.
    fixed, steps = ftfy.fix_encoding_and_explain(text)
    if fixed != text and steps:
        names = [s.action + ":" + s.parameter for s in steps if s.action in ("encode", "decode")]
        return fixed, encoding, "ftfy " + " ".join(names) if names else "ftfy"
    return text, encoding, None


def read_bytes(raw: bytes, name: str, kind: str, url: str | None = None) -> Source:
    """Build a Source from raw bytes, refusing input that holds no text."""
    reason = sniff_unusable(raw)
    if reason:
        raise UnusableInput(f"{name}: {reason}")
    text, encoding, repair = decode_bytes(raw)
    if not text.strip() or not any(not ch.isspace() and ch not in "\u2800\u200b\ufeff" for ch in text):
        raise UnusableInput(f"{name}: the input holds only blank lines")
    return Source(name=name, kind=kind, raw=raw, text=text, encoding=encoding, repair=repair, url=url)


def read_path(path: str | os.PathLike[str]) -> Source:
    """Read one file into a Source (kind html for saved pages, file otherwise)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    source = read_bytes(raw, p.name, "file")
    if looks_like_html(source.text):
        source.kind = "html"
    return source


def read_stdin(stream) -> Source:
    """Read a paste from a binary stream (standard input)."""
    raw = stream.read()
    if not raw or not raw.strip():
        raise InputError("standard input is empty: nothing to archive (paste some text, e.g. `pbpaste | archiver ingest archive.db -`)")
    return read_bytes(raw, "stdin", "paste")


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document rather than pasted text."""
    head = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or (
        head.startswith("<") and ("<body" in text[:20000].lower() or "<article" in text[:20000].lower())
    )


def iter_paths(paths: list[str]) -> Iterator[Path]:
    """Expand folders recursively (sorted, hidden files skipped); files are yielded as given."""
    for raw_path in paths:
        p = Path(raw_path)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f.startswith(".") or f in SKIP_NAMES:
                        continue
                    yield Path(root) / f
        else:
            if not p.exists():
                raise InputError(f"{raw_path}: no such file or folder")
            yield p
