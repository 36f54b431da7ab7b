"""Reading raw inputs: files, folders and standard input, decoded with their encoding recorded."""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, UnusableInput
from .models import Source

# Magic numbers of formats that hold no pasteable text (a zip is told apart by what it holds: `describe_zip`).
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3\x00": "an SQLite database",
    b"RIFF": "a RIFF media file",
    b"\x7fELF": "an executable",
}
ZIP_MAGIC = b"PK\x03\x04"
# The data files of the platform exports `archiver import` reads (archiver/imports/).
TWITTER_FILE_RE = re.compile(r"(?:^|/)tweets?(?:-part\d+)?\.js$")
MASTODON_FILE_RE = re.compile(r"(?:^|/)outbox\.json$")
# Documents an editor saves as text: what the archive reads (`SAVE_AS_TEXT` says how).
_DOCUMENT_MAGIC = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an older Microsoft Office document (.doc, .xls or .ppt)",
    b"{\\rtf": "an RTF document",
}
SAVE_AS_TEXT = "save it as plain text (.txt) or as a web page (.html) first, then ingest that"
# Zip members that say which Office document a zip is.
_OFFICE_MEMBERS = {"word/document.xml": "a Word document (.docx)", "xl/workbook.xml": "an Excel workbook (.xlsx)",
                   "ppt/presentation.xml": "a PowerPoint presentation (.pptx)"}
# Byte-order marks, longest first, with the encoding recorded for the source (a Python codec that
# reads the mark itself) and the codec that decodes the bytes after the mark.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


def sniff_unusable(raw: bytes) -> str | None:
    """Say why these bytes hold no text to archive, or None when they look like text."""
    if not raw:
        return "the input is empty"
    for magic, what in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            return f"the input is {what}, not text"
    if raw.startswith(ZIP_MAGIC):
        return "the input is " + zip_reason(raw)
    for magic, what in _DOCUMENT_MAGIC.items():
        if raw.startswith(magic):
            return f"the input is {what}, not text: {SAVE_AS_TEXT}"
    if any(raw.startswith(bom) for bom, _, _ in BOMS[1:]):
        return None  # UTF-16/32 text legitimately holds NUL bytes
    if utf16_without_bom(raw) is not None:
        return None
    head = raw[:65536]
    if head.count(0) > 0:
        return "the input holds NUL bytes: it is binary, not text"
    return None


def describe_zip(data: bytes | os.PathLike[str]) -> tuple[str, str]:
    """What a zip archive (its bytes, or its path) is, and its kind: ("a Word document (.docx)",
    "document") for an Office or OpenDocument file or an EPUB book, ("a Twitter/X export", "export")
    or ("a Mastodon export", "export") for what `archiver import` reads, ("a zip archive", "zip")
    for anything else, or a zip whose list of files cannot be read (the first bytes of a large one)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as zf:
            names = zf.namelist()
            mimetype = zf.read("mimetype")[:80].decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError, RuntimeError, ValueError):
        return "a zip archive", "zip"
    for member, what in _OFFICE_MEMBERS.items():
        if member in names:
            return what, "document"
    if mimetype.startswith("application/vnd.oasis.opendocument.text"):
        return "an OpenDocument text (.odt)", "document"
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return "an OpenDocument file", "document"
    if mimetype.startswith("application/epub"):
        return "an EPUB book", "document"
    if any(TWITTER_FILE_RE.search(n) for n in names):
        return "a Twitter/X export", "export"
    if any(MASTODON_FILE_RE.search(n) for n in names):
        return "a Mastodon export", "export"
    return "a zip archive", "zip"


def zip_reason(data: bytes | os.PathLike[str]) -> str:
    """Why a zip is not read as text, and what to do instead (only a platform export is sent to `archiver import`)."""
    what, kind = describe_zip(data)
    if kind == "document":
        return f"{what}, not text: {SAVE_AS_TEXT}"
    if kind == "export":
        return f"{what}, not text: archive it with `archiver import`"
    return f"{what}, not text: unpack it and ingest the files inside"


def decode_bytes(raw: bytes) -> tuple[str, str, str | None]:
    """Decode raw bytes: returns (text, encoding, repair), repair naming any mojibake fix applied.

    Order: a byte-order mark decides; then strict UTF-8; then UTF-8 with its few undecodable bytes
    replaced by U+FFFD, for text that is mostly UTF-8 (`damaged_utf8`: a bad byte pair in a
    Cyrillic post must not make the whole file a guess); then single-byte Cyrillic (cp1251, or
    kz1048 for Kazakh) and Western (latin-1/cp1252) text recognised by what the decoded words look
    like; then charset-normalizer; latin-1 as the last resort (it decodes any bytes).
    """
    for bom, encoding, body_codec in BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(body_codec), encoding, None
            except UnicodeDecodeError:
                # A damaged file: keep what decodes; the raw bytes are stored since this is lossy.
                return raw[len(bom):].decode(body_codec, errors="replace"), encoding, "replaced undecodable bytes"
    bomless = utf16_without_bom(raw)
    if bomless is not None:
        return raw.decode(bomless), bomless, None
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        bad = damaged_utf8([raw])
        if bad is None:
            text, encoding = detect_encoding(raw)
        else:
            text, encoding, mojibake = repair_mojibake(raw.decode("utf-8", errors="replace"), "utf-8")
            return text, encoding, replaced_bytes(bad) + (f"; {mojibake}" if mojibake else "")
    return repair_mojibake(text, encoding)


# Text is read as damaged UTF-8 when most of its non-ASCII bytes decode: its valid multi-byte
# sequences hold more bytes than the bytes that do not decode. Text in a single-byte code page
# (cp1251, latin-1) seldom forms a valid sequence by chance (a lead byte followed by the right
# number of continuation bytes): nearly all its non-ASCII bytes fail, where UTF-8 text with a few
# damaged bytes has nearly all of them decode.
_ASCII_BYTES = bytes(range(128))
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def damaged_utf8(blocks: Iterable[bytes]) -> int | None:
    """The number of bytes that do not decode, when the bytes (given block by block) are UTF-8 text
    with a few damaged bytes: some, and more non-ASCII bytes that decode. None otherwise (valid
    UTF-8, or text that is not mostly UTF-8)."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")  # one lone surrogate per bad byte
    bad = high = 0
    for block in blocks:
        high += len(block.translate(None, _ASCII_BYTES))  # the bytes >= 0x80
        bad += sum(1 for _ in _ESCAPED_BYTE.finditer(decoder.decode(block)))
    bad += sum(1 for _ in _ESCAPED_BYTE.finditer(decoder.decode(b"", final=True)))
    return bad if bad and high - bad > bad else None


def replaced_bytes(bad: int) -> str:
    """The repair recorded for UTF-8 text read with its undecodable bytes replaced (raw bytes kept)."""
    return f"utf-8 with {bad} undecodable byte{'s' if bad != 1 else ''} replaced by U+FFFD"


def utf16_without_bom(raw: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text saved without a byte-order mark, else None.

    In UTF-16 text of one script the high byte of each pair takes very few values: NUL for
    spaces, digits and punctuation, and the script's block (0x04 for Cyrillic); the low byte is
    almost never NUL. Recognised on the first 64 KiB when the bytes then decode strictly.
    """
    from collections import Counter

    head = raw[:65536]
    if len(raw) % 2 or len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    for high, low, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        common = Counter(high).most_common(3)
        if (high.count(0) >= 0.1 * len(high) and sum(n for _, n in common) >= 0.95 * len(high)
                and low.count(0) <= 0.02 * len(low)):
            try:
                raw.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None


def decode_with(raw: bytes, encoding: str) -> str:
    """Decode bytes with a recorded encoding (strict; a BOM encoding reads either byte order)."""
    for bom, name, body_codec in BOMS:
        if name == encoding and raw.startswith(bom):
            return raw[len(bom):].decode(body_codec)
    return raw.decode(encoding)


_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# The commonest vowels of Cyrillic-script languages: about a third of the letters of real text,
# rare in Greek or other text read through cp1251.
_CYRILLIC_VOWELS = set("оеаиыяуіә")
# Letters that cp1251 and kz1048 put on the same bytes: cp1251 reads Kazakh letters as these.
_KZ1048_AS_CP1251 = set("ЌќЈјЅѕЋћ")
_SOUTH_SLAVIC = set("ЂђЃѓЉљЊњЏџ")


def _try_decode(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _looks_cyrillic(text: str) -> bool:
    """True for text whose words are Cyrillic words (not Western text read as cp1251: `dйclarй`)."""
    words = [w for w in _WORD_RE.findall(text) if any(_is_cyrillic(c) for c in w)]
    if not words:
        return False
    mixed = sum(1 for w in words if any(c.isascii() for c in w))
    letters = [c.lower() for w in words for c in w if _is_cyrillic(c)]
    vowels = sum(1 for c in letters if c in _CYRILLIC_VOWELS)
    non_ascii_letters = [c for c in text if c.isalpha() and not c.isascii()]
    return (
        mixed <= max(1, len(words) // 20)
        and vowels >= 0.25 * len(letters)
        and sum(1 for c in non_ascii_letters if _is_cyrillic(c)) >= 0.9 * len(non_ascii_letters)
    )


def _looks_western(text: str) -> bool:
    """True for Latin-script text with occasional accents (not Cyrillic or Greek read as cp1252)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    accented = sum(1 for c in letters if not c.isascii())
    if accented > 0.25 * len(letters):
        return False
    return _implausible(text) <= len(letters) // 2000


def _implausible(text: str) -> int:
    """Count signs of a wrong code page: a symbol inside a word (`odby³y`: Polish read as cp1252),
    a word mixing Latin and Cyrillic letters, a control character."""
    inside = len(_IN_WORD_SYMBOL_RE.findall(text))
    mixed = sum(1 for w in _WORD_RE.findall(text)
                if any(_is_cyrillic(c) for c in w) and any(c.isalpha() and not _is_cyrillic(c) for c in w))
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    return inside + mixed + controls


_IN_WORD_SYMBOL_RE = re.compile(r"(?<=[^\W\d_])[\u0080-\u00bf\u00d7\u00f7](?=[^\W\d_])")


def detect_encoding(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of bytes that are not UTF-8: Cyrillic (cp1251, kz1048) or Western (cp1252,
    latin-1) when the text reads as such, else charset-normalizer's first candidate that reads as words."""
    cyrillic = _try_decode(raw, "cp1251")
    if cyrillic is not None and _looks_cyrillic(cyrillic):
        if any(c in _KZ1048_AS_CP1251 for c in cyrillic) and not any(c in _SOUTH_SLAVIC for c in cyrillic):
            return raw.decode("kz1048"), "kz1048"
        return cyrillic, "cp1251"
    western = _try_decode(raw, "cp1252")
    if western is not None and _looks_western(western):
        if any(0x80 <= b <= 0x9F for b in raw):
            return western, "cp1252"
        return raw.decode("latin-1"), "iso8859-1"
    from charset_normalizer import from_bytes

    # charset-normalizer ranks candidates; take the first whose text reads as words.
    matches = [m for m in from_bytes(raw, cp_isolation=None) if m.encoding]
    for match in matches:
        text = str(match)
        if _implausible(text) == 0:
            return text, codecs.lookup(match.encoding).name
    if matches:
        return str(matches[0]), codecs.lookup(matches[0].encoding).name
    return raw.decode("latin-1"), "iso8859-1"


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Every pattern of ftfy's mojibake heuristic (ftfy.badness.BADNESS_RE) holds a non-ASCII character
# and spans at most 7 characters, so a match lies within this reach of a non-ASCII character.
_MOJIBAKE_REACH = 8


def may_be_mojibake(text: str) -> bool:
    """False only when ftfy.badness.is_bad(text) is False (ftfy then changes nothing), decided by
    looking at the text around its non-ASCII characters: mostly-ASCII text is cleared at a fraction of
    the cost of running the heuristic over all of it. True means: ask ftfy."""
    from ftfy.badness import is_bad

    if text.isascii():
        return False
    windows: list[list[int]] = []
    covered = 0
    for m in _NON_ASCII_RUN.finditer(text):
        start, end = max(0, m.start() - _MOJIBAKE_REACH), m.end() + _MOJIBAKE_REACH
        if windows and start <= windows[-1][1]:
            covered += max(0, end - windows[-1][1])
            windows[-1][1] = max(windows[-1][1], end)
        else:
            covered += end - start
            windows.append([start, end])
        if covered > len(text) // 2:  # mostly non-ASCII text: the heuristic over all of it is as cheap
            return True
    return any(is_bad(text[start:end]) for start, end in windows)


def repair_mojibake(text: str, encoding: str) -> tuple[str, str, str | None]:
    """Undo UTF-8 text that was once decoded as cp1252/latin-1 and saved again (`Ð¢ÐµÐ½Ð³Ðµ`)."""
    if not may_be_mojibake(text):
        return text, encoding, None
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


def special_file(mode: int) -> str | None:
    """What a file of this st_mode is when it is neither a regular file nor a folder (None otherwise)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    for test, what in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "not a regular file"


def _not_regular(path: str | os.PathLike[str], mode: int) -> InputError:
    if stat.S_ISDIR(mode):
        return InputError(f"{path}: is a folder")
    return UnusableInput(f"{path}: is {special_file(mode)}, not a regular file: not read")


def check_regular(path: str | os.PathLike[str]) -> None:
    """Raise InputError unless the path (its target, for a symlink) is a regular file; opens nothing."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    if not stat.S_ISREG(mode):
        raise _not_regular(path, mode)


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading, never waiting: a FIFO, device or socket (named directly, or
    the target of a symlink) raises UnusableInput without being opened for reading.

    Checked before opening (opening a FIFO waits for a writer; /dev/zero never ends) and again on
    the open descriptor, which is opened non-blocking: a file swapped for a FIFO in between is
    refused too rather than waited on."""
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file, at most as many as it held when opened (a file that grows while
    it is read is not followed); InputError for anything else (`open_regular`)."""
    with open_regular(path) as f:
        try:
            return f.read(os.fstat(f.fileno()).st_size)
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e.strerror})") from None


def read_path(path: str | os.PathLike[str]) -> Source:
    """Read one regular file into a Source: kind html for a saved page, whose threads are read from
    its markup (`Source.structured`, archiver/html.py), file otherwise."""
    p = Path(path)
    source = read_bytes(read_regular(p), p.name, "file")
    if looks_like_html(source.text):
        from .html import page_kind, parse_html  # BeautifulSoup is loaded for a saved page only

        source.kind = "html"
        source.structured, source.structured_dropped = parse_html(source)
        source.format = f"html-{page_kind(source)}"
    return source


def read_stdin(stream, name: str | None = None) -> Source:
    """Read a paste from a binary stream (standard input), named `name` or else by `paste_name`."""
    raw = stream.read()
    if not raw or not raw.strip():
        raise InputError("standard input is empty: nothing to archive (paste some text, e.g. `pbpaste | archiver ingest archive.db -`)")
    source = read_bytes(raw, "stdin", "paste")
    source.name = name or paste_name(source.text)
    return source


PASTE_WORDS = 60  # characters of the first line kept in a paste's name
_NAME_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u061c\u202a-\u202e\u2060-\u2069\ufeff]")


def paste_name(text: str, when: datetime | None = None) -> str:
    """The name a paste gets when none is given: `paste`, the time (UTC, to the minute) and the words
    of its first line with words, so that a citation reads `paste 2026-12-07 04:30 UTC "Activists
    gathered outside the Astana court"` rather than `stdin`. One line, without control or bidi
    characters, its words cut at a word (…) past PASTE_WORDS characters; the store adds ` (2)`
    when another paste has the name already (`store.free_paste_name`)."""
    when = when or datetime.now(timezone.utc)
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    first = next((line for line in text.splitlines() if any(ch.isalnum() for ch in line)), "")
    words = " ".join(_NAME_UNSAFE.sub(" ", first).replace('"', "'").split())
    if len(words) > PASTE_WORDS:
        cut = words[:PASTE_WORDS + 1].rsplit(" ", 1)[0] if " " in words[:PASTE_WORDS + 1] else words[:PASTE_WORDS]
        words = cut[:PASTE_WORDS].rstrip(" ,.;:-") + "…"
    return f'paste {stamp} "{words}"' if words else f"paste {stamp}"


def check_name(name: str) -> str:
    """A name given for a paste (`--name`), checked: not blank, on one line, without control characters."""
    cleaned = " ".join(_NAME_UNSAFE.sub(" ", name).split())
    if not cleaned:
        raise InputError("--name is blank: give the paste a name with words in it")
    return cleaned


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
