"""Text normalisation shared by reconstruction, deduplication and storage."""

from __future__ import annotations

import hashlib
import unicodedata

# Characters that render as nothing: a line made only of these (and whitespace) is blank.
INVISIBLES = "\u2800\u200b\u200c\u200d\u2060\ufeff\u3164\u115f\u1160\u00ad"


def is_blank(line: str) -> bool:
    """True for a line of whitespace and invisible spacers only (U+2800 and friends)."""
    return not line.strip().strip(INVISIBLES).strip()


def normalize_text(text: str) -> str:
    """Unicode NFC, invisible spacers removed, whitespace folded to single spaces."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        for ch in INVISIBLES:
            if ch in text:
                text = text.replace(ch, "")
    return " ".join(text.split())


def content_hash(text: str) -> str:
    """Hex sha256 of the normalised text: equal for exact duplicates."""
    return normalized_hash(normalize_text(text))


def normalized_hash(norm: str) -> str:
    """`content_hash` of a text already normalised (`normalize_text`): for callers that need both."""
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def fragment_id(text: str) -> str:
    """A short, stable id for a text fragment (first 16 hex digits of its content hash)."""
    return content_hash(text)[:16]


def short_hash(*parts: str | int | None, length: int = 12) -> str:
    """A stable short hex id built from several values."""
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]
