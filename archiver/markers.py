"""Part markers (`2/10`, `(1/n)`, `Part 2/7`, `2 of 7`, `1/`) found at the start or end of a line.

Detection works on whitespace tokens rather than one big regular expression, so that a
20 MB line or 100,000 digits and slashes are scanned once (no backtracking).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex
from .settings import current as current_settings


# Every Unicode decimal digit (Arabic-Indic, fullwidth, Devanagari ...) read as its ASCII digit.
_PUNCT = str.maketrans({"\uff0f": "/", "\u2044": "/", "\u2215": "/", "\uff08": "(", "\uff09": ")",
                        "\uff3b": "[", "\uff3d": "]"})
_NON_ASCII_DIGIT = regex.compile(r"[^\x00-\x7f](?<=\p{Nd})")

# One token: [1/3]  (2/6)  1/10  1/  3/n  1/8🧵👇  2/5:
_TOKEN = regex.compile(
    r"^[\p{So}\uFE0F]{0,3}[\[({]?(?P<n>\d{1,3})/(?P<total>\d{1,3}|[nN?])?[\])}]?[.:,;!)\]}]?(?P<tail>[\p{So}\p{Sk}\uFE0F\u200d]*)$"
)
# a marker glued to a sentence's end punctuation: punctuation, then the marker (`it..5/n`,
# `paper!(2/5)`, `でしょう。..4/5`, `(Fraser 2007).2/n`, `🔽..1/n`, `!!4/n`); `4.5/5`, a score, and `3:1/2`
# have one mark after a digit, `@coling2020..1/2` has two
_GLUED = regex.compile(r"^(?P<pre>.*?)(?P<punct>[.…!?:;,)\]。！？、）」』]+)(?P<marker>[\[(]?\d{1,3}/(?:\d{1,3}|[nN])?[\])]?)$")
_LEADING_SYMBOLS = regex.compile(r"^[\p{So}\uFE0F]+")
_WORDS = {"part", "thread", "tweet", "partie", "fil", "часть", "тред", "hilo"}
_TRAILING_JUNK = regex.compile(r"^(?:https?://\S+|<LINK>|www\.\S+|pic\.twitter\.com/\S+|#\w+|[\p{So}\p{Sk}\uFE0F\u200d.…!]+)$")


@dataclass(frozen=True)
class Marker:
    """A part marker: number, declared total (None for `1/` and `1/n`), where it sits and its text."""

    n: int
    total: int | None
    position: str  # "line" (the whole line), "start" or "end"
    text: str
    start: int  # character offsets of the marker text in the line
    end: int


def to_ascii_digits(line: str) -> str:
    """Map digits of every script (and fullwidth slashes and brackets) to ASCII, keeping length."""
    if line.isascii():
        return line
    line = line.translate(_PUNCT)
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(), 0)), line)


def _read_token(token: str) -> tuple[int, int | None, bool] | None:
    cfg = current_settings()
    m = _TOKEN.match(token)
    if not m:
        return None
    n = int(m.group("n"))
    raw_total = m.group("total")
    total = int(raw_total) if raw_total and raw_total.isdigit() else None
    has_slash_total = raw_total is not None
    if n < 1 or (total is not None and (total < 1 or n > total or total > cfg.max_total)) or n > cfg.max_total:
        return None
    return n, total, has_slash_total


def _word_total(tokens: list[str], i: int) -> tuple[int, int] | None:
    """`2 of 7` / `(2 of 7)` starting at token i."""
    cfg = current_settings()
    if i + 2 >= len(tokens):
        return None
    a, word, b = tokens[i].lstrip("(["), tokens[i + 1].lower(), tokens[i + 2].rstrip(")].:,")
    if word not in ("of", "sur", "из", "de") or not a.isdigit() or not b.isdigit():
        return None
    n, total = int(a), int(b)
    if 1 <= n <= total <= cfg.max_total:
        return n, total
    return None


def find_marker(line: str) -> Marker | None:
    """The part marker of a line, if any: a whole-line marker, else a leading one, else a trailing one."""
    stripped = line.strip()
    if not stripped or len(stripped) > 100_000 and "/" not in stripped[:64] and "/" not in stripped[-400:]:
        return None
    text = to_ascii_digits(line)
    return _leading(line, text) or _trailing(line, text)


def _leading(line: str, text: str) -> Marker | None:
    head = text[:80]
    tokens = head.split(None, 4)
    if not tokens:
        return None
    i = 0
    if tokens[0].lower().rstrip(":") in _WORDS and len(tokens) > 1:
        i = 1
    found = _read_token(tokens[i])
    consumed = i + 1
    total: int | None
    if found:
        n, total, has_total = found
        # `1/` alone at the start is a marker; `3/4 of the votes` is a fraction (`3/4 Of Voters` a
        # headline's); `10/10 Of late, ...` starts a sentence after its marker
        if len(tokens) > consumed and tokens[consumed].lower() in ("of", "de", "du", "des", "of:") and not (
                tokens[consumed][:1].isupper() and len(tokens) > consumed + 1 and tokens[consumed + 1][:1].islower()):
            return None
    else:
        pair = _word_total(tokens, i) if len(tokens) >= i + 3 else None
        if not pair:
            return None
        n, total = pair
        consumed = i + 3
    # locate the end of the consumed tokens in the original line
    pos = 0
    for tok in tokens[:consumed]:
        pos = text.index(tok, pos) + len(tok)
    # `(1/n) <LINK>`: a marker followed only by links is a line of its own, like `2/10`;
    # so is a bracketed one followed by a word or two (`(5/n) n=5`)
    rest = text[pos:].split()
    whole = all(_TRAILING_JUNK.match(t) and not t.startswith("#") for t in rest) or (
        tokens[i][:1] in "([" and len(rest) <= 2 and len(" ".join(rest)) <= 12)
    start = len(line) - len(line.lstrip())
    return Marker(n, total, "line" if whole else "start", line[start:pos], start, pos)


def _trailing(line: str, text: str) -> Marker | None:
    tail = text[-400:]
    offset = len(text) - len(tail)
    tokens = tail.split()
    if not tokens:
        return None
    j = len(tokens) - 1
    while j > 0 and _TRAILING_JUNK.match(tokens[j]):
        j -= 1
    found = _read_token(tokens[j])
    glued = None if found else _GLUED.match(tokens[j])
    if glued and glued.group("pre")[-1:].isdigit() and len(glued.group("punct")) < 2 and glued.group("punct") != "…":
        glued = None  # (`4.5/5`, a score; `3:1/2`)
    if j < 1 and not glued:
        return None  # a marker alone is a line's own (`3/9`); one glued to a word ends its text
    if glued:
        # `the paper!..5/n`: a marker glued to the sentence's end punctuation
        found = _read_token(glued.group("marker"))
        if found and (found[1] is not None or glued.group("marker")[-1:] in "nN)]"):
            n, total, _ = found
            at = tail.rindex(tokens[j]) + glued.start("marker")
            return Marker(n, total, "end", line[offset + at:offset + at + len(glued.group("marker"))],
                          offset + at, offset + at + len(glued.group("marker")))
        found = None
    if found:
        n, total, has_total = found
        if not has_total and _LEADING_SYMBOLS.sub("", tokens[j])[:1] not in "([{":
            return None  # a bare `5/` at the end of a sentence is rarely a marker; `(5/)` is one
        first = j
    else:
        if j < 3:
            return None
        pair = _word_total(tokens, j - 2)
        if not pair:
            return None
        n, total = pair
        first = j - 2
    # character span of tokens[first..j] inside the line
    pos = 0
    spans = []
    for k, tok in enumerate(tokens[: j + 1]):
        at = tail.index(tok, pos)
        spans.append(at)
        pos = at + len(tok)
    start, end = offset + spans[first], offset + pos
    before = text[:start]
    if before and not before[-1].isspace():
        return None
    return Marker(n, total, "end", line[start:end], start, end)


def strip_marker(line: str, marker: Marker) -> str:
    """The line without its marker text (and the space the marker left)."""
    if marker.position == "line":
        return line[marker.end:].strip()  # links after a marker line stay with the post
    if marker.position == "start":
        return line[marker.end:].lstrip(" \t:.-–—")
    return (line[: marker.start].rstrip() + " " + line[marker.end:].strip()).strip()


# --- markers written with markup: headings, emphasis, braces, labels (`## Tweet 2/12 - Problem`) ---
# Words that name one post of a thread, in the languages the archive meets; `#` as in `## #2 — Hook`.
POST_LABELS = frozenset({
    "tweet", "post", "part", "toot", "skeet", "#", "твит", "пост", "часть", "сообщение", "жазба", "бөлім",
    "ツイート", "投稿", "ポスト", "推文", "帖子", "贴文", "트윗", "게시물", "포스트", "parte", "partie", "teil",
    "beitrag", "publicación", "publication", "tuit", "gönderi", "допис", "частина",
    "variant", "variante", "вариант", "нұсқа",  # one of several versions of a post, each a post
})
# Words that name a whole thread (`## Thread 2: ...` starts another thread, it numbers no post).
THREAD_LABELS = frozenset({"thread", "тред", "ветка", "hilo", "fil", "スレッド", "线程", "串", "스레드", "threads"})
_MARKUP_LINE = regex.compile(
    r"^(?P<lead>\#{1,6}[ \t]+|>[ \t]*)?[\p{So}\uFE0F]{0,2}[ \t]*(?P<open>\*\*|__|\*|_|\{|\[|\(|【|「)?(?P<open2>[{\[(【「])?[ \t]*"
    r"(?P<label>[\p{L}#]{1,14})?[ \t]*\#?(?P<n>\d{1,3})(?:[ \t]*(?P<slash>/)[ \t]*(?P<total>\d{1,3}|[nN])?)?(?P<ord>[.)．])?"
    r"[ \t]*(?P<close2>[}\])】」])?(?P<close>\*\*|__|\*|_|\}|\]|\)|】|」)?[ \t]*(?P<rest>.*)$")
_CJK_ORDINAL = regex.compile(r"第\s*(\d{1,3})\s*(?:条|篇|帖|则|則|部分|回|弾)")
_REST_OK = regex.compile(r"^(?:[-–—:：|｜(（\[【·.,、][^\n]{0,120}|[\p{So}\p{Sk}\uFE0F\u200d\s]*|\*\*|__)$")


@dataclass(frozen=True)
class MarkupMarker:
    """A marker read from a whole line of markup, and what it numbers.

    `kind` is "post" (it numbers a post: `## Tweet 2/12`, `**3/10**`, `{1/8}`), "thread" (it
    numbers a thread: `## Thread 2: ...`) or "ordinal" (a bare list-style number, `**3.**`, a post
    number only where the text is known to be a thread). `closing` is True for a braced or
    bracketed marker, which closes the text above it rather than opening the text below."""

    marker: Marker
    kind: str
    heading: int  # the Markdown heading level, 0 when the line is no heading
    closing: bool
    markup: bool  # written with markup (a heading, emphasis, braces or brackets) or a label word


def read_markup_marker(line: str) -> MarkupMarker | None:
    """The marker a whole line states with Markdown or bracket markup, if it is one."""
    cfg = current_settings()
    stripped = line.strip()
    if not stripped or len(stripped) > 160:
        return None
    text = _CJK_ORDINAL.sub(r"post \1", to_ascii_digits(stripped), count=1)  # `第3条` is post 3
    m = _MARKUP_LINE.match(text)
    if not m:
        return None
    label = (m.group("label") or "").casefold()
    lead, opener, closer = m.group("lead") or "", m.group("open") or "", m.group("close") or ""
    if m.group("open2"):  # `**(1/3)**`: the bracket inside the emphasis says what the marker is
        close2 = m.group("close2") or (m.group("ord") if m.group("ord") in (")",) else None)
        if not close2:
            return None
        opener, closer = m.group("open2"), close2
    heading = len(lead.strip()) if lead.startswith("#") else 0
    if label and label not in POST_LABELS and label not in THREAD_LABELS:
        return None
    if not _REST_OK.match(m.group("rest")):
        return None
    pairs = {"**": "**", "__": "__", "*": "*", "_": "_", "{": "}", "[": "]", "(": ")", "【": "】", "「": "」"}
    if opener == "(" and not closer and m.group("ord") == ")":
        closer = ")"  # `(2/5)`: the closing bracket was read as a list number's `)`
    if opener and closer and pairs[opener] != closer and not (opener in "*_" and closer in "*_"):
        return None
    n = int(m.group("n"))
    raw_total = m.group("total")
    slash = m.group("slash") is not None
    total = int(raw_total) if raw_total and raw_total.isdigit() else None
    if n < 1 or n > cfg.max_total or (total is not None and not n <= total <= cfg.max_total):
        return None
    markup = bool(heading or opener or lead)
    if label in THREAD_LABELS and not slash:
        kind = "thread"
    elif label or slash:
        kind = "post"
    elif markup and (m.group("ord") or heading) and not m.group("rest").strip(" \t*_"):
        kind = "ordinal"
    else:
        return None
    if not markup and not label and m.group("rest").strip():
        return None  # `3/10 text` without markup is an ordinary leading marker (find_marker reads it)
    closing = opener in ("{", "[", "(", "【", "「") and not heading and not label
    end = len(line) - len(line.lstrip()) + len(stripped)
    start = len(line) - len(line.lstrip())
    return MarkupMarker(Marker(n, total, "line", stripped, start, end), kind, heading, closing,
                        markup or bool(label))
