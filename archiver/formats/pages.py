"""Copies of web pages that hold many posts: a platform's conversation or timeline, a forum
thread, the comments under an article.

Each page format is data: the header lines that start a post (and name its author and time),
the lines that end one (counts, action buttons, a comment's signature), and the rest of the
page's chrome vocabulary. The reader is shared: every run of text between such lines is one
post. Who wrote what decides how the posts group: on a forum or under an article every post
is its own item; on a platform page an author's consecutive posts are one self-thread when
they say they are a thread (a marker, a 🧵, the word), else separate posts (a timeline). A run
of long prose lines on such a page is the article the comments are about.

    Lina Morgana ‏@KingBeyonceStan Jun 21           <- twitter.com 2010-2016: header (U+200F before @)
    Now before you write me off as bias ...          <- the post
    79 retweets 282 likes                            <- ends the post; chrome until the next header
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    signals: tuple[regex.Pattern, ...] = field(default_factory=tuple)  # lines only this page has
    hints: tuple[str, ...] = ()  # a header, separator or counted ending holds one of these (a cheap first test)


def _rx(pattern: str) -> regex.Pattern:
    return regex.compile(pattern, regex.IGNORECASE | regex.VERSION1)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_SHORT_TIME = rf"(?:\d{{1,2}}[smhd]|{_MONTH} \d{{1,2}}(?:,? \d{{4}})?|\d{{1,2}} {_MONTH}(?: \d{{4}})?)"
_COUNT = r"[\d.,]+\s?[KkMm]?"

TWITTER_2016 = PageFormat(
    name="twitter-web-2016",
    hints=("\u200f@",),
    header=_rx(rf"^(?P<name>[^\n@]{{1,60}}?)\s*\u200f@(?P<handle>\w{{1,15}})(?:\s+(?P<when>{_SHORT_TIME}))?$"),
    ends=_rx(rf"^(?:{_COUNT} (?:retweets?|replies|reply|likes?|favorites?)(?: {_COUNT} (?:retweets?|likes?|favorites?))*"
             r"|(?:Retweets|Likes|Favorites) [\d.,]+[KM]?)$"),
    chrome=_rx(r"^(?:Reply|Retweet|Retweeted|Like|Liked|Favorite|Favorited|More|Expand|Collapse|Details|"
               r"Embed Tweet|Copy link to Tweet|Block or Report|Verified account|Dismiss|View other replies|"
               r"Show more|Load more|Previous Tweet|Next Tweet from user|Back to top ↑|Promoted Tweet|"
               r"\d{1,2}:\d{2} [AP]M - \d{1,2} \w{3} \d{4}|.{1,60} retweeted|Follow(?: Following Unfollow.*)?)$"),
)

NITTER = PageFormat(
    name="nitter",
    hints=(" @",),
    header=_rx(r"^(?P<name>[^\n@]{1,60}?)\s+@(?P<handle>\w{1,15})$"),
    date_next=_rx(rf"^(?:{_SHORT_TIME}|{_MONTH} \d{{1,2}}, \d{{4}} · \d{{1,2}}:\d{{2}} [AP]M UTC)$"),
    chrome=_rx(r"^(?:[\d,.]+|Pinned Tweet|Show this thread|.{1,60} retweeted|Replying to .{1,200}|Load more|"
               r"Load newest|\d+ more repl(?:y|ies)|earlier replies|Enable hls playback|nitter|"
               r"Tweets(?: & Replies)?|Media|Search|Joined \w+ \d{4}|(?:Tweets|Following|Followers|Likes) [\d,.]+|"
               r"\d+ Photos and videos)$"),
    signals=(_rx(r"^nitter$"),),
)

HACKER_NEWS = PageFormat(
    name="hacker-news",
    hints=(" ago",),
    header=_rx(r"^(?:\d+ points? by )?(?P<handle>[\w-]{2,20}) (?P<when>\d+ (?:second|minute|hour|day|month|year)s? ago)"
               r"(?: \|.*)?$"),
    chrome=_rx(r"^(?:reply|login|Hacker News new \|.*|Guidelines \| FAQ.*|Search:.*|\[–\]|\[\+\]|more)$"),
    self_threads=False,
)

REDDIT = PageFormat(
    name="reddit",
    hints=("level ", "Level ", "Posted by"),
    header=_rx(r"^(?:level \d{1,2}|Posted by\s*(?:u/)?(?P<handle>[\w-]*)\s*(?P<when>\d+ \w+ ago)?)$"),
    chrome=_rx(r"^(?:Share|Report|Save|Reply|Give Award|Award|Vote|Upvote|Downvote|hide|share|save|report|"
               r"\d+ more repl(?:y|ies)|Continue this thread|Comment deleted by user.*|\[deleted\]|\[removed\]|"
               r"[\d.,]+k? comments|\d+% Upvoted|Archived|Sort by: \w+|View discussions in .*|"
               r"This thread is archived|New comments cannot be posted and votes cannot be cast|·\s*\d+ \w+\.? ago|"
               r"[\d.,]+k?|Log In|Sign Up|Log InSign Up|User account menu|Found the internet!|"
               r"Press J to jump to the feed.*|Back to Top|Advertisement|Join|Members|Online|Created \w+ \d+, \d{4})$"),
    self_threads=False,
)

LINKEDIN = PageFormat(
    name="linkedin",
    hints=("Report this",),
    header=_rx(r"^Report this (?:comment|post)$"),
    ends=_rx(r"^(?:Like|Sign in to like this comment)$"),
    chrome=_rx(r"^(?:Reply|Sign in to (?:like|reply to) this comment|\d+ Likes?|\d+[ywdhm]|See more comments|"
               r"To view or add a comment, sign in.*|Like Comment Share|\+ Follow|Published \w+ \d+, \d{4}|"
               r"Join now Sign in|Expand search|[\d,.]+ (?:[\d,.]+ )?Comments?)$"),
    self_threads=False,
)

BLOG_COMMENTS = PageFormat(
    name="blog-comments",
    hints=(" says", " sagt", " dit", " dice", " scrive", " пишет", " napisał", " on ", " am ", " le ", " el ",
           "Comment ", "Kommentar ", "Commentaire "),
    header=_rx(r"^(?:(?P<name>[^\n]{1,60}?) (?:says|sagt|dit|dice|scrive|пишет|napisał)\s?:?"
               r"|(?P<name2>[^\n]{1,60}?) (?:on|am|le|el) \d{1,2}[./ ].{3,30}(?:at|um|à) \d{1,2}[:.]\d{2}.*)$"),
    separators=_rx(r"^(?:Comment|Kommentar|Commentaire) (?:by|von|de|par) (?P<name>.{1,60}?) [—–-] (?P<when>.{4,40})$"),
    chrome=_rx(r"^(?:Reply|Antworten|Répondre|Responder|Ответить|Permalink|Comments? \(\d+\)|\d+ Comments? »|"
               r"\d+ Kommentare?|posted by .{1,40} at \d{1,2}:\d{2}|Log in to Reply|Leave a Reply|"
               r"Kommentar (?:schreiben|verfassen))$"),
    self_threads=False,
    min_headers=3,
)

TELEGRAM_WEB = PageFormat(
    name="telegram-web",
    hints=("Forwarded from", "views"),
    header=_rx(r"^(?:Forwarded from (?P<name>.{1,80}))$"),
    ends=_rx(r"^[\d.,]+[KM]? views\s?(?:edited\s?)?\d{1,2}:\d{2}(?:\s?[AP]M)?$"),
    chrome=_rx(r"^(?:This media is not supported in your browser|VIEW IN TELEGRAM|Please open Telegram to view this post|"
               r"\d{1,2}:\d{2}(?::\d{2})?|[\d.]+ [KMG]B|\w+ \d{1,2}(?:, \d{4})?|Anonymous Poll|Public Poll|"
               r"\d+ votes?|Open a channel via Telegram app|Download Telegram|Context|"
               r"[\d.,]+[KM]? (?:subscribers|photos|videos|files|links))$"),
    self_threads=False,
    ends_count=True,
    ends_close=False,
    repeated_names=True,
    min_headers=1,
)

TELEGRAM_DESKTOP = PageFormat(
    name="telegram-desktop",
    hints=(", [",),
    header=_rx(r"^(?P<name>[^\n]{1,80}), \[(?P<when>\d{1,2}[./]\d{1,2}[./]\d{2,4},? \d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?)\]$"),
    chrome=_rx(r"^(?:\[(?:Forwarded from|Переслано от|In reply to|В ответ на) [^\n]{1,80}\]|"
               r"\[ ?(?:Photo|Album|Video|Sticker|GIF|File|Фото|Альбом|Видео|Стикер|Файл) ?\])$"),
    self_threads=False,
)

# Comments under a news article or a blog post with the author's name on a line of its own and the
# time on the next (`lex` / `2021-04-28 11:48:27`, `Anna` / `8. April 2019 @ 11:38`), or both on
# one line (`bollwerk 17 September 2020 15:03`), and a reply button or vote counts after the text.
DATED_COMMENTS = PageFormat(
    name="dated-comments",
    hints=(":",),
    header=_rx(r"^(?:(?P<name>[^\n]{1,40}?) )??(?P<when>\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?"
               r"|\d{1,2}\.? [\p{L}]{3,12}\.? \d{4},? (?:@|um|at|à|o|в)? ?\d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?(?: Uhr)?"
               r"|\d{1,2}[./]\d{1,2}[./]\d{2,4},? (?:@|um|at|à|o|в)? ?\d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?(?: Uhr)?"
               r"|[\p{L}]{3,9}\.? \d{1,2},? \d{4},? (?:@|at)? ?\d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?)$"),
    ends=_rx(r"^(?:odpowiedz|odpowiedź|reply|antworten|répondre|responder|rispondi|ответить|відповісти)$"),
    chrome=_rx(r"^(?:\d{1,5}|pokaż ?odpowiedzi \(\d+\)|show replies(?: \(\d+\))?|antworten anzeigen|"
               r"zgłoś|report|melden|signaler|cytuj|quote|zitieren|like|gefällt mir)$"),
    self_threads=False,
    name_above=True,
    min_headers=3,
)

PAGE_FORMATS = (TWITTER_2016, NITTER, HACKER_NEWS, REDDIT, LINKEDIN, BLOG_COMMENTS, TELEGRAM_WEB, TELEGRAM_DESKTOP,
                DATED_COMMENTS)


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
    for i, line in enumerate(doc.lines):
        s = line.strip()
        if not s or len(s) > 200:
            out.append(_Line("blank" if not s else "text"))
            continue
        if s in names:
            out.append(_Line("header", name=s, repeated=True))
            continue
        m, above = _header_at(doc, fmt, i, s)
        if m and above is not None:
            if out[above].kind != "text":
                m = None
            else:
                out[above] = _Line("chrome")  # the author's name: the header's first line
        if m:
            groups = m.groupdict()
            handle = groups.get("handle")
            name = groups.get("name") or groups.get("name2") or (doc.lines[above].strip() if above is not None else None)
            out.append(_Line("header", name=name, handle="@" + handle if handle else None, when=groups.get("when")))
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
        out.append(_Line("text"))
    return out


def _header_at(doc: Document, fmt: PageFormat, i: int, s: str) -> tuple[regex.Match | None, int | None]:
    """The format's header match of line i (its text `s`), or None: with the time line under it
    where the format asks for one, and with the name line above it (its index, the second value)
    where the header's time has no name beside it."""
    m = fmt.header.match(s)
    if m and fmt.date_next is not None:
        nxt = doc.next_content(i + 1)
        if nxt is None or not fmt.date_next.match(doc.lines[nxt].strip()):
            return None, None
    if m and fmt.name_above and not m.group("name"):
        above = _name_above(doc, i)
        return (m, above) if above is not None else (None, None)
    return m, None


_INITIAL = regex.compile(r"(?:^|\s)\p{Lu}\.$")


def _name_above(doc: Document, i: int) -> int | None:
    """The line right above line i when it can be a commenter's name: short, a few words, no
    sentence punctuation at its end."""
    j = i - 1
    if j < 0 or doc.blank(j):
        return None
    s = doc.lines[j].strip()
    initial = _INITIAL.search(s) is not None  # `Daniyar T.`
    return j if len(s) <= 40 and len(s.split()) <= 4 and (initial or not s.endswith((".", "!", "?", ":", ","))) else None


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
    posts = []
    for a, b, head in runs:
        if _is_article(doc, a, b, head=b < first):
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
