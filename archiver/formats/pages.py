"""Copies of web pages that hold many posts: a platform's conversation or timeline, a forum
thread, the comments under an article.

Each page format is data, in pages.toml next to this module: the header lines that start a post
(and name its author and time), the lines that end one (counts, action buttons, a comment's
signature), and the rest of the page's chrome vocabulary. The reader is shared: every run of
text between such lines is one post. Who wrote what decides how the posts group: on a forum or
under an article every post is its own item; on a platform page an author's consecutive posts
are one self-thread when they say they are a thread (a marker, a 🧵, the word), else separate
posts (a timeline). A run of long prose lines on such a page is the article the comments are
about.

    Lina Morgana ‏@KingBeyonceStan Jun 21           <- twitter.com 2010-2016: header (U+200F before @)
    Now before you write me off as bias ...          <- the post
    79 retweets 282 likes                            <- ends the post; chrome until the next header
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources

import regex

from ..markers import find_marker
from ..segment import weighted_length
from . import Layout, Post
from .document import Document
from .markdown import THREAD_WORDS
from ..settings import current as current_settings

MIN_HEADERS = 2


@dataclass(frozen=True)
class PageFormat:
    """One layout of a page copy: its header, its post endings and its chrome vocabulary."""

    name: str
    header: regex.Pattern  # a line that starts a post: groups `name`, `handle`, `when`
    chrome: regex.Pattern  # lines that are never text (buttons, counts, navigation)
    ends: regex.Pattern | None = None  # a line that ends a post's text: chrome follows until the next header
    date_next: regex.Pattern | None = None  # the header is only a header when this line follows it (its time)
    separators: regex.Pattern | None = None  # lines between posts that start none (a comment's signature)
    self_threads: bool = True  # an author's consecutive posts can be one thread (else each post is an item)
    ends_count: bool = False  # the post endings alone recognise the page (no header lines: a channel's posts)
    ends_close: bool = True  # after a post's ending, text is chrome until the next header (else a new post may start)
    repeated_names: bool = False  # a short line repeated above the posts (a channel's name) is their header
    min_headers: int = MIN_HEADERS
    name_above: bool = False  # the header is a time line under a short line of its own: the author's name
    title_above: bool = False  # a short line right above the header is the comment's subject (not text)
    end_above: bool = False  # the header is a header only right under a post's ending line (a footer: reply, date)
    name_below: bool = False  # the first short line after the header (and its chrome) is the next post's author
    block_above: bool = False  # the short lines right above the header are its author's block (name, rank, date)
    signals: tuple[regex.Pattern, ...] = field(default_factory=tuple)  # lines only this page has
    hints: tuple[str, ...] = ()  # a header, separator or counted ending holds one of these (a cheap first test)


def _rx(pattern: str) -> regex.Pattern:
    return regex.compile(pattern, regex.IGNORECASE | regex.VERSION1)


_PATTERNS = ("header", "chrome", "ends", "date_next", "separators")
_FRAGMENT = regex.compile(r"\{\{(\w+)\}\}")


def _pattern(value: str | list[str], fragments: dict[str, str]) -> regex.Pattern:
    """A pattern of pages.toml: a regular expression, or a vocabulary (a list: the whole line is one
    of its entries), with its `{{NAME}}` fragments filled in."""
    if not isinstance(value, str):
        for entry in value:
            regex.compile(entry)  # each entry stands alone: an unbalanced one is an error here, not a wrong match
        value = "^(?:" + "|".join(value) + ")$"
    while _FRAGMENT.search(value):
        value = _FRAGMENT.sub(lambda m: fragments[m.group(1)], value)
    return _rx(value)


def load_page_formats(text: str) -> tuple[PageFormat, ...]:
    """The page formats a pages.toml text declares, in its order."""
    data = tomllib.loads(text)
    fragments = data.get("fragments", {})
    formats = []
    for entry in data["formats"]:
        fields = dict(entry)
        for key in _PATTERNS:
            if key in fields:
                fields[key] = _pattern(fields[key], fragments)
        fields["signals"] = tuple(_pattern(p, fragments) for p in fields.get("signals", ()))
        fields["hints"] = tuple(fields.get("hints", ()))
        formats.append(PageFormat(**fields))
    return tuple(formats)


# The formats are data (archiver/formats/pages.toml): a layout is added or its vocabulary
# extended there, without code.
PAGE_FORMATS = load_page_formats(resources.files(__package__).joinpath("pages.toml").read_text("utf-8"))


@dataclass
class _Line:
    kind: str  # header, chrome, separator, text
    name: str | None = None
    handle: str | None = None
    when: str | None = None
    ends: bool = False
    repeated: bool = False  # a header only by repetition: it does not recognise the page


def read(doc: Document) -> Layout | None:
    """The posts of a page copy in a known page format, or None when the text is none."""
    best: tuple[int, PageFormat] | None = None
    for fmt in PAGE_FORMATS:
        if fmt.signals and not any(p.match(line.strip()) for p in fmt.signals for line in doc.lines[:60]):
            continue
        headers = _count_headers(doc, fmt)
        if headers >= fmt.min_headers and (best is None or headers > best[0]):
            best = (headers, fmt)
    if best is None:
        return None
    return _read_page(doc, best[1], _classify(doc, best[1]))


def _count_headers(doc: Document, fmt: PageFormat) -> int:
    """How many lines start a post in this format (headers, separators, counted endings)."""
    cfg = current_settings()
    hints = [h for h in fmt.hints if h in doc.sample]
    if not hints:
        return 0
    count = 0
    for i, line in enumerate(doc.lines[:cfg.sample_lines]):
        if len(line) > 200 or not any(h in line for h in hints):
            continue
        s = line.strip()
        m, _ = _header_at(doc, fmt, i, s)
        if m or (fmt.separators is not None and fmt.separators.match(s)) or (
                fmt.ends_count and fmt.ends is not None and fmt.ends.match(s)):
            count += 1
    return count


def _classify(doc: Document, fmt: PageFormat) -> list[_Line]:
    out = []
    names = _repeated_names(doc) if fmt.repeated_names else set()
    named: _Line | None = None  # a header whose author's name is the next short line (name_below)
    for i, line in enumerate(doc.lines):
        s = line.strip()
        if not s or len(s) > 200:
            out.append(_Line("blank" if not s else "text"))
            continue
        if named is not None and not fmt.chrome.match(s) and _name_line(s):
            named.name, named = s, None
            out.append(_Line("chrome"))
            continue
        if s in names:
            out.append(_Line("header", name=s, repeated=True))
            continue
        m, above = _header_at(doc, fmt, i, s)
        if m and fmt.block_above:
            above = _block_above(doc, out, i)
        if m and above is not None:
            if out[above].kind == "text":
                # the header's first lines: the author's name, the comment's subject, the author's block
                for j in range(above, i):
                    if out[j].kind == "text":
                        out[j] = _Line("chrome")
            elif fmt.name_above:
                m = None
        if m:
            groups = m.groupdict()
            handle = groups.get("handle")
            name = groups.get("name") or groups.get("name2") or (doc.lines[above].strip() if above is not None else None)
            out.append(_Line("header", name=name, handle="@" + handle if handle else None, when=groups.get("when")))
            if fmt.name_below:
                named = out[-1]
            continue
        if fmt.separators is not None and (m := fmt.separators.match(s)):
            out.append(_Line("separator", name=m.groupdict().get("name"), when=m.groupdict().get("when")))
            continue
        if fmt.ends is not None and fmt.ends.match(s):
            out.append(_Line("chrome", ends=True))
            continue
        if fmt.chrome.match(s) or (fmt.date_next is not None and i > 0 and out[-1].kind == "header"
                                   and fmt.date_next.match(s)):
            out.append(_Line("chrome"))
            continue
        named = None
        out.append(_Line("text"))
    return out


def _header_at(doc: Document, fmt: PageFormat, i: int, s: str) -> tuple[regex.Match | None, int | None]:
    """The format's header match of line i (its text `s`), or None: with the time line under it
    where the format asks for one, and with the name line above it (its index, the second value)
    where the header's time has no name beside it, or the subject line above it where the format
    gives comments one."""
    m = fmt.header.match(s)
    if m and fmt.end_above:
        j = i - 1
        while j >= 0 and doc.blank(j):
            j -= 1
        if j < 0 or fmt.ends is None or not fmt.ends.match(doc.lines[j].strip()):
            return None, None
    if m and fmt.date_next is not None:
        nxt = doc.next_content(i + 1)
        if nxt is None or not fmt.date_next.match(doc.lines[nxt].strip()):
            return None, None
    if m and fmt.name_above and not m.group("name"):
        above = _name_above(doc, i)
        return (m, above) if above is not None else (None, None)
    if m and fmt.title_above:
        return m, _subject_above(doc, i)
    return m, None


_INITIAL = regex.compile(r"(?:^|\s)\p{Lu}\.$")


def _name_above(doc: Document, i: int) -> int | None:
    """The line right above line i when it can be a commenter's name: short, a few words, no
    sentence punctuation at its end."""
    j = i - 1
    if j < 0 or doc.blank(j):
        return None
    return j if _name_line(doc.lines[j].strip()) else None


def _short_line(s: str) -> bool:
    """A line of a name's size: 40 characters and four words at most."""
    return len(s) <= 40 and len(s.split()) <= 4


def _name_line(s: str) -> bool:
    """A line that can be a commenter's name: short, a few words, no sentence punctuation at its end."""
    initial = _INITIAL.search(s) is not None  # `Daniyar T.`
    return _short_line(s) and (initial or not s.endswith((".", "!", "?", ":", ",")))


def _block_above(doc: Document, kinds: list[_Line], i: int, most: int = 8) -> int | None:
    """The first line of the author's block right above header line i: the short lines (a name, a
    rank, a date) back to the line that ends the post above, a blank line or a longer line."""
    j, first = i - 1, None
    while (j >= 0 and i - j <= most and kinds[j].kind == "text" and not doc.blank(j)
           and _short_line(doc.lines[j].strip())):
        first = j
        j -= 1
    return first


def _subject_above(doc: Document, i: int) -> int | None:
    """The line right above line i when it can be a comment's subject: short, a title's words (a
    question too), not the end of a sentence."""
    j = i - 1
    if j < 0 or doc.blank(j):
        return None
    s = doc.lines[j].strip()
    return j if len(s) <= 80 and len(s.split()) <= 10 and not s.endswith((".", ",", ";")) else None


def _repeated_names(doc: Document) -> set[str]:
    """Short lines without sentence punctuation that occur three times or more (a channel's name
    above each of its posts), and the page's first line when it occurs again."""
    counts: dict[str, int] = {}
    for line in doc.lines:
        s = line.strip()
        if 0 < len(s) <= 60 and not s.endswith((".", "!", "?", ":")) and len(s.split()) <= 6:
            counts[s] = counts.get(s, 0) + 1
    first = next((line.strip() for line in doc.lines if line.strip()), "")
    return {s for s, n in counts.items() if n >= 3 or (s == first and n >= 2)}


def _read_page(doc: Document, fmt: PageFormat, kinds: list[_Line]) -> Layout:
    layout = Layout(format=fmt.name)
    runs: list[tuple[int, int, _Line | None]] = []  # text runs with the header above them
    header: _Line | None = None
    closed = False  # the post's text ended (counts or buttons): chrome until the next header
    start = None
    for i, k in enumerate(kinds + [_Line("end")]):
        if k.kind in ("text", "blank") and not closed:
            if k.kind == "text" and start is None:
                start = i
            continue
        if start is not None:
            runs.append((start, _last_text(kinds, start, i - 1), header))
            start = None
            header = None
        if k.kind == "end":
            break
        if k.kind == "header":
            header, closed = k, False
        elif k.kind == "separator":
            header, closed = None, False
        elif k.kind == "chrome" and k.ends and fmt.ends_close:
            closed = True
        if k.kind != "blank":
            layout.dropped[i] = "chrome"
    # text before the first header or separator is the page's own chrome, unless it is prose
    first = next((i for i, k in enumerate(kinds) if k.kind in ("header", "separator")), len(kinds))
    if fmt.name_below:
        runs = _first_named(doc, kinds, runs, first, layout)
    posts = []
    for a, b, head in runs:
        # (a comment under its header is a post however long: only text no header starts is prose)
        if head is None and _is_article(doc, a, b, head=b < first):
            layout.notes.extend(i for i in range(a, b + 1) if kinds[i].kind == "text")
            continue
        if b < first and head is None and _navigation(doc, a, b):
            layout.drop(a, b, "chrome", doc)
            continue
        posts.append(Post(a, b, author=head.handle or head.name if head else None, posted_at=head.when if head else None,
                          item=True))
    _group(doc, fmt, posts)
    layout.posts = posts
    return layout


def _first_named(doc: Document, kinds: list[_Line], runs: list[tuple[int, int, _Line | None]], first: int,
                 layout: Layout) -> list[tuple[int, int, _Line | None]]:
    """Where each comment's footer names the next commenter, the first comment has no footer above
    it: it is the text under the last line, before the first footer, that names a commenter the
    footers name too (`Anonymous`); the article and the comment form above it stay as they were."""
    names = {k.name for k in kinds if k.kind == "header" and k.name}
    out = []
    for a, b, head in runs:
        at = next((j for j in range(b - 1, a - 1, -1) if doc.lines[j].strip() in names), None) \
            if head is None and b < first else None
        if at is None:
            out.append((a, b, head))
            continue
        if at > a:
            out.append((a, _last_text(kinds, a, at - 1), None))
        layout.dropped[at] = "chrome"
        out.append((at + 1, b, _Line("header", name=doc.lines[at].strip())))
    return out


def _last_text(kinds: list[_Line], a: int, b: int) -> int:
    while b > a and kinds[b].kind != "text":
        b -= 1
    return b


def _is_article(doc: Document, a: int, b: int, head: bool) -> bool:
    """Article prose: above the first post (`head`), a run of several paragraphs some of them
    longer than any post; anywhere, a run with several paragraphs longer than any post."""
    cfg = current_settings()
    lengths = [weighted_length(doc.lines[i]) for i in range(a, b + 1) if not doc.blank(i)]
    if head:
        return sum(n > cfg.article_line for n in lengths) >= 2 or (
            len(lengths) >= cfg.article_paragraphs and sum(n > cfg.prose_line for n in lengths) >= 2)
    return sum(n > cfg.article_line for n in lengths) >= cfg.article_paragraphs // 2


def _navigation(doc: Document, a: int, b: int) -> bool:
    """Short lines of a page's head (menus, the site's name): no sentence among them."""
    return all(len(doc.lines[i].split()) <= 6 for i in range(a, b + 1) if not doc.blank(i))


def _group(doc: Document, fmt: PageFormat, posts: list[Post]) -> None:
    """An author's consecutive posts are one self-thread when they say they are a thread."""
    if not fmt.self_threads:
        return
    k = 0
    while k < len(posts):
        j = k
        while j + 1 < len(posts) and posts[j + 1].author and posts[j + 1].author == posts[k].author:
            j += 1
        run = posts[k:j + 1]
        if len(run) > 1 and _says_thread(doc, run):
            for p in run[1:]:
                p.item = False
        k = j + 1


def _says_thread(doc: Document, run: list[Post]) -> bool:
    first = run[0]
    if any(THREAD_WORDS.search(doc.lines[i]) for i in range(first.start, first.end + 1)):
        return True
    return sum(find_marker(doc.lines[p.start]) is not None for p in run) >= 2
