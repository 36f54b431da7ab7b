"""Segmentation: classified lines -> units (runs of content lines) with the gaps between them.

A unit is a run of content lines with no blank line, chrome, separator or marker boundary
inside. Units are the atoms that reconstruction groups into posts, threads and articles.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import regex

from .chrome import SENTENCE_END, LineKind, age_hours, classify_lines, reply_targets
from .formats import PLAIN, Layout, Post
from .markers import Marker, find_marker, strip_marker
from .models import Dropped
from .settings import current as current_settings

# How strongly the gap before a unit separates it from the unit above (see reconstruct.GAP_SCORES).
HARD_GAPS = {"start", "chrome", "status", "separator", "article", "date"}

_URL = regex.compile(r"https?://\S+|<LINK>")
_HANDLES_LINE = regex.compile(r"^\s*@\w+\s*$")
_WIDE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_ENTITY = regex.compile(r"&(?:amp|lt|gt|quot|#\d{1,6});")


def weighted_length(text: str) -> int:
    """Length as the platform counts a post: a URL 23, a CJK character 2, an HTML entity 1."""
    n = len(text)
    if "&" in text:
        text2 = _ENTITY.sub("&", text)
        n -= len(text) - len(text2)
        text = text2
    after_link: int | None = None  # where the link before ends
    for m in _URL.finditer(text):
        # a link right after a link: media or a quoted post's link, which the post's limit leaves out
        follows = after_link is not None and not text[after_link:m.start()].strip()
        n += (0 if follows else 23) - len(m.group())
        after_link = m.end()
    if not text.isascii():
        n += len(_WIDE.findall(text))
    return n


@dataclass
class Unit:
    """A run of content lines (0-based line indexes) and what lies before it."""

    lines: list[int]
    gap: str = "none"  # start, none, blank, blank2, spacer, chrome, status, separator, date, article
    marker: Marker | None = None
    marker_line: int | None = None
    author: str | None = None
    when: str | None = None
    age: float | None = None  # hours since it was posted, from a relative time in its header (`· 3d`)
    url: str | None = None
    texts: list[str] = field(default_factory=list)  # clean text per line (marker removed)
    marker_only: bool = False
    post: "Post | None" = field(default=None, repr=False, compare=False)  # the layout's post this unit is
    chrome_layout: bool = False  # the text is a copy of the web UI: chrome delimits posts
    chrome_post: bool = False  # ... and the lines between this chrome and the next hold one marker at most
    own_header: bool = False  # its author comes from a header right above it, not from one far above
    fixed: bool = False  # a post whose lines a capture format fixed (archiver.formats): never cut or joined
    note: bool = False  # the capture's own notes around its posts (a draft's posting tips): an article
    repaste: bool = False  # a text pasted again after a hard gap: it folds into its first copy
    copied: bool = False  # the first unit of a text pasted again: people paste posts again, so it opens one
    spaced: bool = False  # its thread parts its posts with spacer lines and its paragraphs with blank lines
    replies_to: frozenset[str] = frozenset()  # the accounts a `Replying to` line above it names (casefolded)
    # caches of text and length, keyed on the texts list (lines are only ever added)
    _text: str = field(default="", repr=False, compare=False)
    _text_key: tuple | None = field(default=None, repr=False, compare=False)
    _length: int = field(default=0, repr=False, compare=False)
    _length_key: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def start(self) -> int:
        """First line index."""
        return self.lines[0]

    @property
    def end(self) -> int:
        """Last line index."""
        return self.lines[-1]

    @property
    def text(self) -> str:
        """Clean text: marker removed, inner line breaks kept."""
        key = (len(self.texts), id(self.texts))
        if self._text_key != key:
            self._text = "\n".join(t for t in self.texts if t.strip())
            self._text_key = key
        return self._text

    @property
    def length(self) -> int:
        """Weighted length of the clean text."""
        key = (len(self.texts), id(self.texts))
        if self._length_key != key:
            texts = self.texts
            if any("@" in t for t in texts):
                # (an account that signs the text on a line of its own, `@channel`, is not the post's text)
                texts = [t for t in texts if not _HANDLES_LINE.match(t)]
            self._length = weighted_length(" ".join(texts))
            self._length_key = key
        return self._length

    @property
    def marker_at_start(self) -> bool:
        """True when the unit's marker opens it (`2/10 text`, or a `2/10` line above the text)."""
        return self.marker is not None and self.marker_line == self.lines[0] and self.marker.position != "end"


@dataclass
class Segmentation:
    """Units plus the dropped spans and per-line classification of one source."""

    lines: list[str]
    kinds: list[LineKind]
    units: list[Unit]
    dropped: list[Dropped]


# a line a capture format drops, as the line kind that gives the same gap and dropped reason
_LAYOUT_KIND = {"separator": "separator", "chrome": "chrome", "title": "title", "metadata": "metadata",
                "url": "url", "boilerplate": "boilerplate"}
_DROP_REASON = {"title": "title", "metadata": "metadata", "url": "url", "chrome": "chrome", "handle": "chrome", "name": "chrome", "date": "chrome",
                "byline": "chrome", "separator": "separator", "status": "chrome",
                "boilerplate": "boilerplate"}


def segment_lines(lines: list[str], source_index: int = 0, layout: Layout | None = None) -> Segmentation:
    """Split classified lines into units, recording dropped chrome, separators and boilerplate.

    A `layout` from a capture format (archiver.formats) decides the lines it knows: dropped lines
    with their reason, posts taken whole, and the document's notes; the rest is read as plain text."""
    cfg = current_settings()
    layout = layout or PLAIN
    kinds = classify_lines(lines)
    for i in layout.dropped:
        kinds[i] = LineKind(_LAYOUT_KIND.get(layout.dropped[i], "chrome"))
    bare = _bare_number_markers(lines, kinds)
    for i in bare:
        kinds[i] = LineKind("content")
    post_of = {i: p for p in layout.posts for i in range(p.start, p.end + 1)}
    notes = set(layout.notes)
    units: list[Unit] = []
    dropped: list[Dropped] = []
    gap = "start"
    blanks = spacers = 0
    author = url = None
    fresh = False  # a header naming the author came since the last unit
    age: float | None = None  # a relative time in that header
    replying: set[str] = set()  # accounts named by a `Replying to` line since the last unit
    current: Unit | None = None
    for i, line in enumerate(lines):
        k = kinds[i]
        if i in post_of and i not in layout.dropped:
            post = post_of[i]
            if k.kind == "blank":
                continue
            if current is None or current.post is not post:
                current = Unit(lines=[], gap="status" if post.item else _stronger(gap, "separator"),
                               author=post.author, url=post.url, when=post.posted_at, fixed=True, post=post)
                units.append(current)
            current.lines.append(i)
            silent = i in post.silent
            if i == post.marker_line:
                current.marker, current.marker_line = post.marker, i
            current.texts.append("" if silent else post.texts.get(i, line).rstrip())
            gap, blanks, spacers, url = "none", 0, 0, None
            continue
        if i in notes:
            if k.kind == "blank":
                continue
            if current is None or not current.note or blanks or spacers:
                current = Unit(lines=[], gap="article", note=True)
                units.append(current)
            current.lines.append(i)
            current.texts.append(line.rstrip())
            gap, blanks, spacers = "none", 0, 0
            continue
        if k.kind == "blank":
            if line.strip():
                spacers += 1
            else:
                blanks += 1
            current = None
            continue
        if k.kind != "content":
            reason = _DROP_REASON.get(k.kind, "chrome")
            if dropped and dropped[-1].line_end == i and dropped[-1].reason == reason:
                dropped[-1].line_end = i + 1
            else:
                dropped.append(Dropped(source_index, i + 1, i + 1, reason))
            if k.kind in ("chrome", "handle", "name"):
                targets = reply_targets(line, k)
                if targets is not None:
                    replying.update(targets)
                if k.handle:
                    author, fresh = k.handle, True
                if k.when and units and units[-1].when is None and current is None:
                    units[-1].when = k.when
                if fresh and age is None:
                    age = age_hours(line)
                gap = _stronger(gap, "chrome")
            elif k.kind == "status":
                author, url, fresh = k.handle, k.url, True
                gap = "status"
            elif k.kind == "separator":
                gap = _stronger(gap, "separator")
            else:
                gap = _stronger(gap, "date")
            current = None
            continue
        marker = bare.get(i) or find_marker(line)
        if current is not None and current.marker and current.marker.position == "end" and links_only(line):
            # `text 1/3` then `<LINK> <LINK>`: the media links of the post the marker closed
            current.lines.append(i)
            current.texts.append(line.rstrip())
            continue
        opens = marker is not None and marker.position in ("start", "line")
        if (current is not None and not opens and not current.marker_only
                and current.length + weighted_length(line) > cfg.post_limit and not _handles_only(line)):
            # (accounts named under a text sign it, whatever its length: they start no post)
            # two adjacent lines that cannot both fit one post: the boundary is soft evidence
            gap = "wrap"
            current = None
        elif current is not None and not opens and not current.marker_only and _sentence_break(lines[i - 1], line):
            # a sentence ends and a capitalised one starts: a weak candidate for a post boundary
            gap = "line"
            current = None
        if current is not None and not blanks and not spacers and gap == "none" and not (
            marker is not None and marker.position in ("start", "line")
        ) and not current.marker_only and not (current.marker and current.marker.position == "end"):
            current.lines.append(i)
            current.texts.append(strip_marker(line, marker) if marker else line.rstrip())
            if marker:
                current.marker, current.marker_line = marker, i
            continue
        if gap == "none" and (blanks or spacers):
            gap = "blank2" if blanks >= 2 else ("blank" if blanks else "spacer")
        current = Unit(lines=[i], gap=gap, author=author, url=url, own_header=fresh, age=age if fresh else None,
                       replies_to=frozenset(replying))
        current.texts.append(strip_marker(line, marker) if marker else line.rstrip())
        if marker:
            current.marker, current.marker_line = marker, i
            current.marker_only = marker.position == "line"
        units.append(current)
        gap, blanks, spacers, url, fresh, age = "none", 0, 0, None, False, None
        replying = set()
    _attach_marker_lines(units)
    _mark_chrome_blocks(units)
    units = [u for u in units if not u.marker_only]
    _mark_spaced_threads(units)
    return Segmentation(lines, kinds, units, dropped)


_BARE_NUMBER = regex.compile(r"^\s*(\d{1,3})\s*$")
_BARE_ORDINAL = regex.compile(r"^\s*(\d{1,3})[.)]\s*$")


def _bare_number_markers(lines: list[str], kinds: list[LineKind]) -> dict[int, Marker]:
    """Bare numbers alone on lines that number the texts between them (`2`, text, `3`, text, ...).

    A number alone on a line is usually a count of the web UI (likes, replies: three in a row, or
    next to other chrome). It is the author's own numbering when it stands between lines of text
    and the numbers so placed rise one by one (2, 3, 4), or by a few where posts are missing (2, 4,
    5, 7): then each is a marker line. So is an ordinal alone on its line (`3.`), which no count is.
    On a timeline the number stands between a post's header and its text, where no count stands
    (counts follow the text): the numbers under one author's headers that rise are that author's
    markers, however they start, one alone too, and other authors' posts between them break no run.
    Under an action bar, where a count may follow, only a run of three or more is."""
    runs: dict[str | None, list[list[tuple[int, bool, int]]]] = {}
    last_author = None
    for i, line in enumerate(lines):
        # a count is chrome; an ordinal alone on its line (`3.`) is no count
        m = (_BARE_NUMBER.match(line) if kinds[i].kind == "chrome" else _BARE_ORDINAL.match(line)) \
            if len(line) < 8 else None
        if not m:
            continue
        author = _header_above(lines, kinds, i)
        under_bar = author is None and _under_action_bar(lines, kinds, i)
        if under_bar:
            author = last_author  # the bar closes the post above: the number goes on its author's run
        elif author is None and not _text_around(kinds, i):
            continue
        last_author = author
        n = int(m.group(1))
        groups = runs.setdefault(author, [[]])
        run = groups[-1]
        # the numbers rise one by one, or skip a few where posts are missing from the copy; a number
        # said again is a post pasted again
        if run and not run[-1][2] <= n <= run[-1][2] + 5:
            groups.append(run := [])
        if n >= 1:
            run.append((i, under_bar, n))
    found: dict[int, Marker] = {}
    for author, groups in runs.items():
        for run in groups:
            # (a step of two: the part between is missing from the copy)
            close_steps = all(a <= b <= a + 2 for (_, _, a), (_, _, b) in zip(run, run[1:]))
            # a count may follow an action bar: numbers under bars are markers only in a longer run
            loose = any(u for _, u, _ in run)
            # (one number alone from 2 or 3, right between two lines of text: a thread's second or third
            # part, its first above it)
            alone = (len(run) == 1 and not loose and 2 <= run[0][2] <= 3 and 0 < run[0][0] < len(lines) - 1
                     and kinds[run[0][0] - 1].kind == "content" and kinds[run[0][0] + 1].kind == "content")
            # (under a header, where no count stands, one number alone is a marker too)
            if (author is not None and not loose) or (len(run) >= 2 and not loose and close_steps and run[0][2] <= 3) or (
                    len(run) >= 3 and run[0][2] <= 3) or alone:
                first = _first_above(lines, kinds, run[0][0]) if run[0][2] == 2 else None
                for j, _, k in ([(first, False, 1)] if first is not None else []) + run:
                    s = lines[j].strip()
                    start = lines[j].index(s)
                    found[j] = Marker(k, None, "line", s, start, start + len(s))
    return found


def _first_above(lines: list[str], kinds: list[LineKind], i: int) -> int | None:
    """The line of a `1` alone over the text above a run's `2` (line i), which counts above it made
    look like one more: the run's first marker."""
    j = _nearest(kinds, i, -1)
    if not 0 <= j < len(kinds) or kinds[j].kind != "content":
        return None
    while 0 <= j < len(kinds) and kinds[j].kind == "content":
        j = _nearest(kinds, j, -1)
    return j if 0 <= j < len(kinds) and lines[j].strip() == "1" else None


def _nearest(kinds: list[LineKind], i: int, step: int) -> int:
    """The nearest non-blank line above (step -1) or below (step 1) line i; -1 or len(kinds) at the edge."""
    j = i + step
    while 0 <= j < len(kinds) and kinds[j].kind == "blank":
        j += step
    return j


def _header_above(lines: list[str], kinds: list[LineKind], i: int) -> str | None:
    """The author's handle when line i sits right under a post's header line (or the `Replying to`
    line under it) and over text."""
    above, below = _nearest(kinds, i, -1), _nearest(kinds, i, 1)
    while above >= 0 and reply_targets(lines[above], kinds[above]) is not None:
        above = _nearest(kinds, above, -1)
    if above < 0 or below >= len(kinds) or kinds[below].kind != "content":
        return None
    return kinds[above].handle


def _under_action_bar(lines: list[str], kinds: list[LineKind], i: int) -> bool:
    """Line i sits between a chrome line of words (an action bar, `Reply  Retweet  Like`) and text."""
    above, below = _nearest(kinds, i, -1), _nearest(kinds, i, 1)
    return (0 <= above and below < len(kinds) and kinds[below].kind == "content" and kinds[above].kind == "chrome"
            and kinds[above].handle is None and not any(c.isdigit() for c in lines[above]))


def _text_around(kinds: list[LineKind], i: int) -> bool:
    """True when the nearest non-blank lines above and below line i are text (or the text's edge);
    a separator above is an edge too (`---`, `2`, text: the rule between two numbered posts)."""
    for step in (-1, 1):
        j = _nearest(kinds, i, step)
        if 0 <= j < len(kinds) and kinds[j].kind != "content" and not (step < 0 and kinds[j].kind == "separator"):
            return False
    return True


def _sentence_break(prev: str, line: str) -> bool:
    """The line above ends a sentence (or a link) and this one starts with a capital letter."""
    p = prev.rstrip()
    if not p:
        return False
    tokens = p.split()
    # a line of mentions and hashtags signs off the text above it, like a sentence's end
    ends = p.endswith(SENTENCE_END) or tokens[-1].startswith(("http", "<LINK>")) or all(
        t.startswith(("@", "#")) and len(t) > 1 for t in tokens)
    first = line.lstrip()[:1]
    # (a line may open with an emoji as with a capital: `🚨New paper alert🚨`)
    return ends and (first.isupper() or unicodedata.category(first) == "So")


def is_signature(line: str) -> bool:
    """True for a line holding one account alone (`@lab_kz`): a signature under a post's text."""
    return _HANDLES_LINE.match(line) is not None


def _handles_only(line: str) -> bool:
    tokens = line.split()
    return bool(tokens) and all(t.startswith("@") and len(t) > 1 for t in tokens)


def links_only(line: str) -> bool:
    """True for a line of links only (`https://t.co/x <LINK>`): a post's media, after its text."""
    tokens = line.split()
    return bool(tokens) and all(_URL.fullmatch(t) or t.startswith("pic.twitter.com/") for t in tokens)


_GAP_ORDER = ["none", "line", "wrap", "spacer", "blank", "blank2", "date", "chrome", "separator", "status", "article", "start"]


def _stronger(a: str, b: str) -> str:
    return a if _GAP_ORDER.index(a) >= _GAP_ORDER.index(b) else b


def _mark_chrome_blocks(units: list[Unit]) -> None:
    """Units between chrome above and chrome below (a copy of the web UI) are one post's lines."""
    start = 0
    for idx in range(1, len(units) + 1):
        if idx == len(units) or units[idx].gap in HARD_GAPS:
            after = units[idx].gap if idx < len(units) else "chrome"
            # (a copy that starts with a post's header has chrome above its first post too, when
            # chrome, not the end of the text, comes after it: a header over a whole text is no copy)
            above = units[start].gap == "chrome" or (units[start].gap == "start" and units[start].own_header
                                                     and idx < len(units))
            if above and after == "chrome":
                single = sum(u.marker is not None for u in units[start:idx]) <= 1
                for u in units[start:idx]:
                    u.chrome_layout = True
                    u.chrome_post = single
            start = idx


def _mark_spaced_threads(units: list[Unit]) -> None:
    """Mark the units of a thread whose markers show spacer lines between its posts and blank
    lines inside them (`spaced`): there a blank line is no evidence of a cut, and a spacer is.

    A run is a thread's markers whose numbers rise; where they all close their posts (`text (2/12)`),
    the unit after each marked one opens the next post, and the unmarked units before the first
    marker, back to a hard gap, are the thread's opening; where they all open them, each marked unit
    does."""
    if not any(u.gap == "spacer" for u in units):
        return
    marked = [i for i, u in enumerate(units) if u.marker is not None]
    runs: list[list[int]] = []
    for i in marked:
        m = units[i].marker
        if runs:
            p = units[runs[-1][-1]].marker
            if p.total == m.total and p.n < m.n <= p.n + 3 and units[i].gap not in HARD_GAPS:
                runs[-1].append(i)
                continue
        runs.append([i])
    for run in runs:
        positions = {units[i].marker.position for i in run}
        if len(run) < 3 or len(positions) != 1 or positions <= {"line"}:
            continue
        closing = positions == {"end"}
        between, inside = [], []
        for a, b in zip(run, run[1:]):
            if units[b].marker.n != units[a].marker.n + 1:
                continue  # (unmarked posts between: where they part is not known)
            first = a + 1 if closing else b
            between.append(units[first].gap)
            inside += [units[k].gap for k in range(a + 1, b + 1) if k != first]
        if set(between) != {"spacer"} or "blank" not in inside or not set(inside) <= {"blank", "none", "line", "wrap"}:
            continue
        start = run[0]
        while closing and start > 0 and units[start].gap not in HARD_GAPS | {"spacer", "blank2"}:
            start -= 1
        for k in range(start, run[-1] + 1):
            units[k].spaced = True


def _opens_block(units: list[Unit], idx: int) -> bool:
    """True when the units above units[idx] back to a hard gap (or the start) carry no marker; a
    thread's last marker on a line of its own (`(5/5)`) above them also ends a block: it closes
    the last text of a complete thread (after an in-line `12/12 text`, the post may go on)."""
    j = idx - 1
    while j >= 0:
        m = units[j].marker
        if m is not None:
            return j < idx - 1 and units[j].marker_only and m.total is not None and m.n == m.total > 1
        if units[j].gap in HARD_GAPS:
            return True
        j -= 1
    return True


def _free(u: Unit) -> bool:
    """A unit a marker line may join: plain text, not a marker line, a fixed post or a note."""
    return not (u.marker_only or u.fixed or u.note)


def _marker_styles(units: list[Unit]) -> dict[int, str]:
    """For each unit with a declared total, where its thread's markers written inside lines of text
    sit: "start" when they open their text (`2/4 text`), "end" when they close it (`text 2/4`); units
    of threads with both, or none, left out. A thread is a run of markers of one total whose numbers
    rise: another thread of the same total further on (`١/١٠ ...` after `1/10` on lines of its
    own) is no evidence for it."""
    runs: list[list[int]] = []
    last: tuple[int, int] | None = None
    for idx, u in enumerate(units):
        m = u.marker
        if m is None or m.total is None:
            continue
        if last is None or last[0] != m.total or m.n <= last[1]:
            runs.append([])
        runs[-1].append(idx)
        last = (m.total, m.n)
    styles: dict[int, str] = {}
    for run in runs:
        seen: set[str] = set()
        for idx in run:
            u, m = units[idx], units[idx].marker
            # (bracketed markers close their text whatever the rest of the thread does, and the first
            # post's marker is often written apart from the others, `... paper: <LINK> 1/12`: not evidence)
            if m.text.lstrip()[:1] in "([{【":
                continue
            if not u.marker_only:
                if m.n > 1:
                    seen.add(m.position)
                continue
            # a marker line with text on one side only can only number that side
            above = idx > 0 and u.gap not in HARD_GAPS and not units[idx - 1].marker_only
            below = idx + 1 < len(units) and units[idx + 1].gap not in HARD_GAPS and not units[idx + 1].marker_only
            if above and below and {u.gap, units[idx + 1].gap} in ({"none", "blank"}, {"none", "blank2"}):
                # text on both sides: the side it touches, with a blank line on the other (`12/13` right
                # under its text, a blank line, then whatever comes next)
                above, below = u.gap == "none", units[idx + 1].gap == "none"
            if above != below:
                seen.add("end" if above else "start")
        if len(seen) == 1:
            styles.update((idx, next(iter(seen))) for idx in run)
    return styles


def _attach_marker_lines(units: list[Unit]) -> None:
    """Give a line that is only a marker (`2/10`) to the text it numbers: below it, or above it."""
    cfg = current_settings()
    closing_run: tuple[int | None, int] | None = None  # (total, last n) of a run of closing markers
    opening_run: tuple[int | None, int] | None = None  # ... and of a run of opening ones
    styles = _marker_styles(units)
    for idx, u in enumerate(units):
        if not u.marker_only:
            continue
        prev = units[idx - 1] if idx > 0 and _free(units[idx - 1]) else None
        nxt = units[idx + 1] if idx + 1 < len(units) and _free(units[idx + 1]) else None
        prev_ok = prev is not None and prev.marker is None and u.gap in ("none", "blank", "spacer", "wrap", "line")
        next_ok = nxt is not None and nxt.marker is None and nxt.gap in ("none", "blank", "spacer", "wrap", "line")
        # a bracketed marker closes the text above it; otherwise the marker belongs to the
        # side it touches, and a marker touching both sides opens the text below unless it
        # carries the thread's last number
        bracketed = u.marker.text.lstrip()[:1] in "([{【"
        last = u.marker.total is not None and u.marker.n == u.marker.total
        prev_adj, next_adj = u.gap == "none", next_ok and nxt.gap == "none"
        in_run = closing_run is not None and closing_run[0] == u.marker.total and u.marker.n > closing_run[1]
        # the thread's earlier own-line markers opened their texts: this one opens its text too, even
        # its last number, which on its own would close the text above it
        opening = opening_run is not None and opening_run[0] == u.marker.total and u.marker.n > opening_run[1]
        style = styles.get(idx)
        if bracketed and prev_ok:
            close = True
        elif style is not None and prev_ok and next_ok:
            close = style == "end"  # the side the thread's other markers take
        elif opening and next_ok and not bracketed:
            close = False
        elif prev_ok and prev.length <= cfg.post_limit and (in_run or (
                u.marker.n == 1 and _opens_block(units, idx) and (prev_adj or not next_adj))):
            # `1/4` under the unmarked text that opens a block numbers that text (unless a blank
            # line parts it from that text and none from the text below); the markers after it in
            # the same thread follow the same layout
            close = True
        elif prev_adj != next_adj:
            close = prev_adj and prev_ok
        elif prev_adj and next_adj:
            # touching both sides: only the last number closes, and not the `2/2` under a block's
            # first text, which is then the thread's part 1 (closing it would leave 1 missing)
            close = last and prev_ok and not (u.marker.n > 1 and _opens_block(units, idx))
        else:
            close = prev_ok and not next_ok
        closing_run = (u.marker.total, u.marker.n) if close else None
        opening_run = None if close or not next_ok else (u.marker.total, u.marker.n)
        if close:
            target, above = prev, False
        elif next_ok:
            target, above = nxt, True
        elif prev_ok:
            target, above = prev, False
        else:
            u.marker_only = False  # an orphan marker: kept as a part of its own
            continue
        if above:
            target.lines.insert(0, u.lines[0])
            target.texts.insert(0, u.texts[0])
            target.gap, target.author, target.url = u.gap, u.author or target.author, u.url or target.url
            target.own_header = target.own_header or u.own_header
            target.marker = Marker(u.marker.n, u.marker.total, "start", u.marker.text, u.marker.start, u.marker.end)
        else:
            target.lines.append(u.lines[0])
            target.texts.append(u.texts[0])
            target.marker = Marker(u.marker.n, u.marker.total, "end", u.marker.text, u.marker.start, u.marker.end)
        target.marker_line = u.lines[0]
