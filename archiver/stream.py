"""Sources too large to hold in memory: scanned, decoded and reconstructed a block at a time.

A file above `STREAM_BYTES` is never read whole. A first pass (`scan_file`) hashes the raw bytes,
decides the encoding, counts lines and the size of the decoded text; a second pass
(`iter_blocks`) decodes it again block by block, for the store to write the content into a
pre-sized column and to hand reconstruction line-aligned chunks (`iter_chunks`). Both passes
decode the same way, so the stored content is what the in-memory path would have stored: the
same encoding rules (`sources.decode_bytes`), the same mojibake repair (made per block of lines,
as ftfy works line by line), the same line numbering.

UTF-16 and UTF-32 files take the in-memory path (`scan_file` returns None for them).
"""

from __future__ import annotations

import atexit
import codecs
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, UnusableInput
from .sources import (BOMS, ZIP_MAGIC, damaged_utf8, detect_encoding, open_regular, paste_name, read_bytes, read_path,
                      read_stdin, repair_mojibake, replaced_bytes, sniff_unusable, utf16_without_bom, zip_reason)

STREAM_BYTES = 32 * 1024 * 1024  # files larger than this are ingested a block at a time
BLOCK_BYTES = 4 * 1024 * 1024  # raw bytes read per step
STREAM_CHUNK_CHARS = 2_000_000  # characters of a large file handed to reconstruction at a time (then cut safely)
CUT_REACH = 20_000  # lines looked through for a safe cut past STREAM_CHUNK_CHARS
SAMPLE_BYTES = 1024 * 1024  # bytes around the first non-UTF-8 byte given to the encoding detector


@dataclass
class LargeFile:
    """What the first pass learnt about a large file: enough to store it without reading it whole."""

    path: Path
    name: str
    size: int  # raw bytes
    sha256: str
    encoding: str  # as recorded on the source (what sources.decode_bytes would record)
    codec: str  # the Python codec that decodes the bytes after any byte-order mark
    bom: int  # bytes of byte-order mark skipped before decoding
    errors: str  # "strict", or "replace" for a damaged file
    repair: str | None  # mojibake repair or replacement applied, as recorded on the source
    lossless: bool  # the decoded text encodes back to the raw bytes exactly
    lines: int
    content_bytes: int  # UTF-8 length of the decoded text (what SQLite stores)
    kind: str = "file"
    private: bool = False


def is_large(path: str | os.PathLike[str]) -> bool:
    """True for a regular file too large to read whole (it takes the streaming path)."""
    try:
        return Path(path).stat().st_size > STREAM_BYTES
    except OSError:
        return False


def read_input(path: str | os.PathLike[str]):
    """A file as a Source read whole, or as a LargeFile (scanned only) when it is too large."""
    return (scan_file(path) if is_large(path) else None) or read_path(path)


def read_stdin_input(stream, name: str | None = None):
    """A paste from a binary stream: a Source, or, past STREAM_BYTES, a LargeFile spooled to a
    temporary file (removed when the process exits) so that it too is never held whole. Named
    `name`, or else from its first line and the time (`sources.paste_name`)."""
    head = stream.read(STREAM_BYTES + 1)
    if len(head) <= STREAM_BYTES:
        return read_stdin(io.BytesIO(head), name)
    with tempfile.NamedTemporaryFile(prefix="archiver-stdin-", suffix=".txt", delete=False) as spool:
        spool.write(head)
        del head
        shutil.copyfileobj(stream, spool, BLOCK_BYTES)
    atexit.register(os.unlink, spool.name)
    scan = scan_file(spool.name)
    if scan is None:  # UTF-16/32: read whole after all
        source = read_bytes(Path(spool.name).read_bytes(), "stdin", "paste")
        source.name = name or paste_name(source.text)
        return source
    with open_regular(spool.name) as f:  # the first line, for the name
        first = f.read(65536)[scan.bom:].decode(scan.codec, errors="replace")
    scan.name, scan.kind = name or paste_name(first), "paste"
    return scan


def read_blocks(path: Path, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """The file's bytes from `start` to `end` (by default its size when opened), BLOCK_BYTES at a time.

    Only a regular file is read (`sources.open_regular`), and never past `end`: a file that grows
    while it is read (or a special file) cannot make a read go on without limit."""
    with open_regular(path) as f:
        if end is None:
            end = os.fstat(f.fileno()).st_size
        f.seek(start)
        left = end - start
        while left > 0 and (block := f.read(min(BLOCK_BYTES, left))):
            left -= len(block)
            yield block


def scan_file(path: str | os.PathLike[str]) -> LargeFile | None:
    """First pass over a large file: hash, encoding, line count, decoded size.

    Raises UnusableInput for input holding no text (as `sources.read_bytes` does); returns None
    for UTF-16/32 text, which is read whole instead.
    """
    p = Path(path)
    with open_regular(p) as f:
        try:
            size = os.fstat(f.fileno()).st_size
            head = f.read(min(65536, size))
        except OSError as e:
            raise InputError(f"{p}: cannot read ({e.strerror})") from None
    # a zip says what it is by its list of files, at its end: read from the file, not the first bytes
    reason = "the input is " + zip_reason(p) if head.startswith(ZIP_MAGIC) else sniff_unusable(head)
    if reason:
        raise UnusableInput(f"{p.name}: {reason}")
    bom, codec, encoding = 0, "utf-8", "utf-8"
    for mark, recorded, body_codec in BOMS:
        if head.startswith(mark):
            if recorded != "utf-8-sig":
                return None
            bom, codec, encoding = len(mark), body_codec, recorded
            break
    else:
        if utf16_without_bom(head) is not None:
            return None
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(codec)("strict")
    offset, failed_at = 0, None
    for block in read_blocks(p, 0, size):
        digest.update(block)
        if failed_at is None:
            try:
                decoder.decode(block[bom:] if offset == 0 else block)
            except UnicodeDecodeError as e:
                failed_at = offset + e.start + (bom if offset == 0 else 0)
        offset += len(block)
    try:
        if failed_at is None:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        failed_at = size - 1
    errors = "strict"
    repair = None
    if failed_at is not None:
        if bom:  # a damaged UTF-8 file with its mark: keep what decodes
            errors, repair = "replace", "replaced undecodable bytes"
        elif (bad := damaged_utf8(read_blocks(p, 0, size))) is not None:  # as sources.decode_bytes decides
            errors, repair = "replace", replaced_bytes(bad)
        else:
            with open_regular(p) as f:
                f.seek(max(0, failed_at - SAMPLE_BYTES // 2))
                sample = f.read(SAMPLE_BYTES)
            _, encoding = detect_encoding(head + b"\n" + sample)
            codec = encoding
    scan = LargeFile(path=p, name=p.name, size=size, sha256=digest.hexdigest(), encoding=encoding, codec=codec,
                     bom=bom, errors=errors, repair=repair, lossless=False, lines=0, content_bytes=0)
    try:
        _measure(scan)
    except UnicodeDecodeError:  # the detected encoding does not decode every byte: keep what decodes
        scan.errors, scan.repair = "replace", "replaced undecodable bytes"
        _measure(scan)
    return scan


def _measure(scan: LargeFile) -> None:
    """Decode the file as the second pass will, and record its lines, decoded size, mojibake
    repair and whether the text encodes back to the raw bytes; raises UnusableInput for a file of
    blank lines, UnicodeDecodeError when strict decoding fails."""
    lines = content = 0
    text_seen = False
    last = ""
    encoder = hashlib.sha256()
    encode = codecs.getincrementalencoder(scan.encoding if scan.encoding == "utf-8-sig" else scan.codec)("strict").encode
    repaired = False
    for text, fixed in iter_blocks(scan):
        repaired = repaired or fixed is not None
        if fixed is not None and scan.repair is None:
            scan.repair = fixed
        lines += text.count("\n")
        content += len(text.encode("utf-8"))
        if not text_seen:
            text_seen = any(not ch.isspace() and ch not in "\u2800\u200b\ufeff" for ch in text)
        if text:
            last = text[-1]
        if not repaired and scan.errors == "strict":
            try:
                encoder.update(encode(text))
            except UnicodeEncodeError:
                repaired = True
    if not text_seen:
        raise UnusableInput(f"{scan.name}: the input holds only blank lines")
    scan.lines = lines + (1 if last and last != "\n" else 0)
    scan.content_bytes = content
    scan.lossless = not repaired and scan.errors == "strict" and encoder.hexdigest() == scan.sha256


def iter_blocks(scan: LargeFile) -> Iterator[tuple[str, str | None]]:
    """The decoded text in line-aligned blocks, each with the mojibake repair made to it (or None)."""
    return decode_blocks(read_blocks(scan.path, scan.bom, scan.size), scan.codec, scan.errors, scan.encoding)


def decode_blocks(blocks: Iterable[bytes], codec: str, errors: str, encoding: str
                  ) -> Iterator[tuple[str, str | None]]:
    """Raw blocks (after any byte-order mark) decoded into line-aligned text blocks, each with the
    mojibake repair made to it (or None): how a streamed source's content is made, and remade by
    `archiver verify` (`decode_streamed`)."""
    decoder = codecs.getincrementaldecoder(codec)(errors)
    carry = ""
    first = True
    for block in blocks:
        text = carry + decoder.decode(block)
        first = False
        cut = text.rfind("\n") + 1
        if cut == 0:  # no line end in this block: a very long line goes on
            carry = text
            continue
        carry = text[cut:]
        yield _repaired(text[:cut], encoding)
    text = carry + decoder.decode(b"", final=True)
    if text or first:
        yield _repaired(text, encoding)


def stream_meta(scan: LargeFile) -> dict:
    """What a streamed source records (in `sources.meta`) so its content can be decoded again."""
    return {"streamed": {"block_bytes": BLOCK_BYTES, "codec": scan.codec, "bom": scan.bom, "errors": scan.errors}}


def decode_streamed(raw: bytes, encoding: str, meta: dict) -> str:
    """A streamed source's content made again from its raw bytes, block by block as at ingest."""
    how = meta["streamed"]
    size, start = how["block_bytes"], how["bom"]
    blocks = (raw[i:i + size] for i in range(start, len(raw), size))
    return "".join(text for text, _ in decode_blocks(blocks, how["codec"], how["errors"], encoding))


def _repaired(text: str, encoding: str) -> tuple[str, str | None]:
    fixed, _, repair = repair_mojibake(text, encoding)
    return fixed, repair


def iter_chunks(blocks: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
    """(index of the first line, lines) chunks of about STREAM_CHUNK_CHARS, each cut where no thread
    continues, as `reconstruct` cuts a long text (a status URL, a double blank line, a blank line,
    looked for within CUT_REACH lines); where there is no such place the cut is made anyway, so
    memory stays bounded whatever the input."""
    from .reconstruct import safe_cut

    pending: list[str] = []
    first_line = 0
    tail = ""  # a line not ended yet
    for text in blocks:
        parts = (tail + text).split("\n")
        tail = parts.pop()
        pending += [line[:-1] if line.endswith("\r") else line for line in parts]
        while (pos := _past(pending, STREAM_CHUNK_CHARS)) is not None and len(pending) >= pos + CUT_REACH:
            cut = safe_cut(pending, pos, pos + CUT_REACH) or pos
            yield first_line, pending[:cut]
            first_line += cut
            pending = pending[cut:]
    if tail:
        pending.append(tail[:-1] if tail.endswith("\r") else tail)
    while pending:
        pos = _past(pending, STREAM_CHUNK_CHARS)
        cut = len(pending) if pos is None else (safe_cut(pending, pos, min(len(pending), pos + CUT_REACH)) or pos)
        yield first_line, pending[:cut]
        first_line += cut
        pending = pending[cut:]


def _past(lines: list[str], chars: int) -> int | None:
    """The index of the line after the one that brings the running size to `chars`, or None."""
    size = 0
    for i, line in enumerate(lines):
        size += len(line) + 1
        if size >= chars:
            return i + 1
    return None
