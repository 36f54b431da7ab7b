"""Render real threads from ../shared/corpora into messy dumps, with line-level gold.

Used by the benchmarks (large dumps, `render_dump`) and for held-out evaluation sets in the
scorer's gold format (`write_eval_set`, or `python3 benchmarks/corpus.py OUT COUNT SEED`).
The noise follows what real pastes carry: markers in many forms (or none, or dropped), parts
missing, posts split across lines, spacer lines, UI chrome in English and French, status URLs,
separators, re-pasted posts and news-style abstracts glued after a thread.

Two renderers share the corpus:
- the classic one (`render_dump`, `--classic`) renders byte for byte what it always did for a
  seed, so figures measured on its sets stay comparable;
- the families one (`render_dump_families`, the default for eval sets) adds the noise families
  of pasted threads, each picked at random with a modest probability: interleaved timelines (two or
  three authors' threads alternating in runs, one thread per author in the gold), bracketed
  markers with no total after the text (`(3/)`), markers glued to the end punctuation
  (`done.3/7`, `it..5/n`), the author's bare numbers alone on lines before each post, closing
  `k/N` markers on their own line under the text, a trailing `@handle` line of the text,
  thread junctions (no blank line between two threads, also right after a closing `N/N`), a post
  re-pasted right after itself (an `also` span of its part), and timeline chrome (an action bar
  on one line, a display-name-and-handle line before posts, counts under posts). Every gold
  thread names its families in an extra `families` field (the scorer ignores extra fields);
  `benchmarks/score_families.py` prints the exact-thread rate per family.
"""

from __future__ import annotations

import ast
import csv
import json
import random
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PAPERTWEET = SHARED / "corpora" / "papertweet"
_OLD_MARKER = re.compile(
    r"^\s*[\[(]?\d{1,2}\s*/\s*(?:\d{1,2}|n)?[\])]?[.:]?\s*"
    r"|\s*[\[(]?\d{1,2}\s*/\s*(?:\d{1,2}|n)?[\])]?(?=(?:\s+(?:<LINK>|https?://\S+))*\s*$)")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789/", "０１２３４５６７８９／")


def _strip_markers(text: str) -> str:
    """The post without the numbering its author wrote (the renderer adds its own)."""
    lines = [_OLD_MARKER.sub("", line).rstrip() for line in text.replace("\r", "").split("\n")]
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    return "\n".join(out).strip()


@dataclass
class Source:
    """One real thread: author, posts, and the paper's title and abstract."""

    author: str
    handle: str
    posts: list[str]
    title: str
    abstract: str


@dataclass
class Dump:
    """A rendered dump: its lines and the gold threads (scorer format)."""

    lines: list[str] = field(default_factory=list)
    threads: list[dict] = field(default_factory=list)

    def add(self, text: str = "") -> int:
        self.lines.append(text)
        return len(self.lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def gold(self, name: str) -> dict:
        return {"source": name, "threads": self.threads, "near_duplicates": []}


def load_threads(min_posts: int = 2) -> list[Source]:
    """Every papertweet thread with at least `min_posts` posts (replies to others dropped)."""
    csv.field_size_limit(10**9)
    out = []
    for path in sorted(PAPERTWEET.glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                try:
                    tweets = ast.literal_eval(row["Tweets"])
                except (ValueError, SyntaxError):
                    continue
                posts = [_strip_markers(t) for t in tweets if not t.startswith("@")]
                posts = [p for p in posts if p]
                if len(posts) < min_posts:
                    continue
                name = row["AuthorName"].strip() or "Someone"
                handle = re.sub(r"\W", "_", name)[:15]
                out.append(Source(name, handle, posts, (row.get("Title") or "").strip(),
                                  (row.get("Abstract") or "").strip()))
    return out


MARKER_STYLES = ["none", "lead", "trail", "line_before", "paren_after", "bracket", "slash", "part", "of",
                 "arabic", "fullwidth"]
LAYOUTS = ["blank", "spacer", "newline", "separator", "chrome", "chrome_fr", "compact"]


def _mark(style: str, n: int, total: int, text: str) -> tuple[list[str], bool]:
    """The post's lines with its marker; returns (lines, marked)."""
    lines = text.split("\n")
    if style == "none":
        return lines, False
    if style == "lead":
        return [f"{n}/{total} {lines[0]}"] + lines[1:], True
    if style == "trail":
        return lines[:-1] + [f"{lines[-1]} {n}/{total}"], True
    if style == "line_before":
        return [f"{n}/{total}"] + lines, True
    if style == "paren_after":
        return lines + [f"({n}/{total})"], True
    if style == "bracket":
        return [f"[{n}/{total}] {lines[0]}"] + lines[1:], True
    if style == "slash":
        return [f"{n}/ {lines[0]}"] + lines[1:], True
    if style == "part":
        return [f"Part {n}/{total}: {lines[0]}"] + lines[1:], True
    if style == "of":
        return [f"{n} of {total} {lines[0]}"] + lines[1:], True
    if style == "arabic":
        return [f"{n}/{total}".translate(ARABIC) + " " + lines[0]] + lines[1:], True
    if style == "fullwidth":
        return [f"{n}/{total}".translate(FULLWIDTH) + " " + lines[0]] + lines[1:], True
    raise ValueError(style)


def _chrome_before(dump: Dump, src: Source, layout: str, rng: random.Random) -> None:
    if layout in ("chrome", "chrome_fr"):
        dump.add(src.author)
        dump.add("@" + src.handle)
    elif layout == "compact":
        dump.add(f"{src.author} @{src.handle} · {rng.randint(1, 59)}m")
        if rng.random() < 0.3:
            dump.add(f"Replying to @{src.handle}")


def _chrome_after(dump: Dump, layout: str, rng: random.Random) -> None:
    h, m = rng.randint(1, 12), rng.randint(10, 59)
    if layout == "chrome":
        dump.add(f"{h}:{m} {'AM' if rng.random() < .5 else 'PM'} · Oct {rng.randint(1, 28)}, 2021")
        dump.add("·Twitter Web App")
        dump.add(f"{rng.randint(1, 300)} Retweets")
        dump.add(f"{rng.randint(1, 40)} Quote Tweets")
        dump.add(f"{rng.randint(1, 900)} Likes")
    elif layout == "chrome_fr":
        dump.add(f"{h + 8}:{m} · {rng.randint(1, 28)} oct. 2021")
        dump.add("·Twitter Web App")
        dump.add(f"{rng.randint(1, 300)} Retweets")
        dump.add(f"{rng.randint(1, 40)} Tweets cités")
        dump.add(f"{rng.randint(1, 900)} J’aime")


def render_thread(dump: Dump, src: Source, key: str, rng: random.Random, layout: str | None = None,
                  style: str | None = None) -> None:
    """Append one thread to the dump, with its gold entry."""
    layout = layout or rng.choice(LAYOUTS)
    style = style or rng.choice(MARKER_STYLES)
    total = len(src.posts)
    numbered = style != "none"
    has_total = style not in ("none", "slash")
    keep = [k for k in range(1, total + 1) if k == 1 or rng.random() > 0.12]
    if rng.random() < 0.3:
        dump.add(f"https://twitter.com/{src.handle}/status/{rng.randint(10**17, 10**18)}")
    parts = []
    any_marked = False
    for idx, n in enumerate(keep):
        text = src.posts[n - 1]
        drop_marker = numbered and ((n == 1 and rng.random() < 0.4) or rng.random() < 0.08)
        lines, marked = _mark("none" if drop_marker else style, n, total, text)
        any_marked = any_marked or marked
        if idx and layout in ("blank", "spacer", "separator"):
            dump.add({"blank": "", "spacer": "⠀", "separator": "---"}[layout])
        _chrome_before(dump, src, layout, rng)
        first = len(dump.lines) + 1
        for line in lines:
            dump.add(line)
        last = len(dump.lines)
        content = [i for i in range(first, last + 1) if dump.lines[i - 1].strip()]
        parts.append({"n": n, "lines": [content[0], content[-1]]})
        _chrome_after(dump, layout, rng)
    present = {p["n"] for p in parts}
    if not any_marked:  # every marker was dropped: nothing says this thread was numbered
        numbered = has_total = False
    if numbered and has_total:
        missing = [k for k in range(1, total + 1) if k not in present]
    elif numbered:
        missing = [k for k in range(1, max(present)) if k not in present]
    else:
        missing = []
        for i, p in enumerate(parts, 1):
            p["n"] = i
    dump.threads.append({"key": key, "kind": "thread", "total": total if has_total else None,
                         "missing": missing, "score_n": numbered, "parts": parts,
                         "style": style, "layout": layout})


def render_article(dump: Dump, src: Source, key: str, rng: random.Random) -> None:
    """Append the paper's title and abstract as an article."""
    if rng.random() < 0.5:
        dump.add(f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(18, 22)}")
    title = [line for line in src.title.split("\n") if line.strip()]
    first = dump.add(title[0])
    for line in title[1:]:
        dump.add(line)
    last = dump.add(src.abstract.replace("\n", " "))
    dump.threads.append({"key": key, "kind": "article", "total": None, "missing": [], "score_n": False,
                         "parts": [{"n": 1, "lines": [first, last]}]})


def render_dump(sources: list[Source], rng: random.Random) -> Dump:
    """A dump of 1-5 threads, some followed by their abstracts, maybe a re-pasted post."""
    dump = Dump()
    for t, src in enumerate(sources):
        if dump.lines:
            dump.add("")
        render_thread(dump, src, f"T{t}", rng)
        if src.abstract and len(src.abstract) > 400 and rng.random() < 0.35:
            dump.add("")
            render_article(dump, src, f"A{t}", rng)
    if rng.random() < 0.2 and dump.threads:
        t = rng.choice([t for t in dump.threads if t["kind"] == "thread"])
        p = rng.choice(t["parts"])
        dump.add("")
        dump.add("")
        lo, hi = p["lines"]
        start = len(dump.lines) + 1
        for i in range(lo, hi + 1):
            if dump.lines[i - 1].strip():
                dump.add(dump.lines[i - 1])
        p.setdefault("also", []).append([start, len(dump.lines)])
    return dump


# ---------------------------------------------------------------------------------------------
# The families renderer (interleaved timelines, junctions, re-pastes in a row ...). The classic functions above stay as they are: `render_dump`
# feeds the scale and throughput benchmarks and `--classic` eval sets, whose figures must stay
# comparable. Everything below draws its own random numbers and never runs in classic mode.

P_NEW_STYLE = 0.4  # a thread's markers take one of the new forms (else one of MARKER_STYLES)
P_NEW_LAYOUT = 0.3  # a thread's layout is one of the timeline-chrome ones (else one of LAYOUTS)
P_TIGHT = 0.3  # a thread with own-line markers is pasted with no line at all between its posts
P_INTERLEAVE = 0.15  # the next two (or three) threads of a dump come from one timeline copy
P_THIRD_AUTHOR = 0.3
P_JUNCTION = 0.3  # no blank line between two plain threads
P_JUNCTION_CLOSED = 0.5  # ... and the first of them ends with its N/N marker
P_REPASTE_ROW = 0.1  # one post of a thread is pasted twice in a row
P_TRAILING_HANDLE = 0.15  # a thread's posts may end with an @handle line
P_HANDLE_POST = 0.4
P_STATUS_URL = 0.3
P_ARTICLE = 0.35
P_REPASTE_END = 0.2

NEW_STYLES = ["paren_open", "paren_open_line", "glued", "glued_n", "bare", "own_line_after"]
NEW_LAYOUTS = ["namehandle", "actionbar", "actionbar_fr", "counts"]
NO_TOTAL_STYLES = {"slash", "paren_open", "paren_open_line", "glued_n", "bare"}
# the marker comes after the text: a trailing @handle line would stand after the marker, not end the text
END_MARKER_STYLES = {"trail", "paren_after", "paren_open", "paren_open_line", "glued", "glued_n", "own_line_after"}
OWN_LINE_STYLES = {"line_before", "paren_after", "paren_open_line", "own_line_after", "bare"}
FINAL_NN_STYLES = {"line_before", "paren_after", "own_line_after"}  # the last part's marker is an N/N line
CLOSING_STYLES = ["own_line_after", "paren_after", "trail"]  # a thread that ends on its N/N
PLAIN_LAYOUTS = ["blank", "spacer", "newline", "separator"]  # no author on the page: junctions are hard
TIMELINE_LAYOUTS = ["chrome", "chrome_fr", "compact", "namehandle", "actionbar", "actionbar_fr", "counts"]
FAMILIES = NEW_STYLES + NEW_LAYOUTS + ["interleaved", "junction", "junction_closed", "final_nn_between",
                                       "trailing_handle", "repaste_row"]
GAPS = {"blank": "", "spacer": "⠀", "separator": "---", "namehandle": ""}
ACTION_BARS = {"actionbar": ["Reply  Retweet  Like", "Like  Retweet  Reply", "Reply   Retweet   Like   Share"],
               "actionbar_fr": ["Répondre  Retweeter  J’aime", "Répondre  Retweeter  J'aime",
                                "Répondre   Retweeter   J’aime   Partager"]}
MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
MONTHS_FR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
FALLBACK_MENTIONS = ["arxiv", "NeurIPSConf", "icmlconf", "aclmeeting", "StanfordAILab", "berkeley_ai", "MIT_CSAIL",
                     "DeepMind", "GoogleAI", "MSFTResearch", "AstroPH", "nature"]
BLANKS = "\u2800\u200b\u200c\u200d\ufeff\u3164\u115f\u1160"  # the scorer's invisible spacers
_LINKISH = re.compile(r"(?:<LINK>|https?://\S+)")
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,15})\b")


_LEFTOVER = re.compile(r"(?<![\w/.])[\[(]?(\d{1,2})\s*/\s*(\d{1,2}|n)?[\])]?(?![\w/])")


def has_leftover_marker(src: Source) -> bool:
    """True when a post still holds a marker of its author's (`(1/6): <LINK>`) that `_strip_markers` left.

    Such a marker would contradict the gold's numbering when parts are missing or renumbered,
    so the families renderer leaves these few threads out (a fraction like `1/2 of` goes too).
    """
    for k, post in enumerate(src.posts, 1):
        for m in _LEFTOVER.finditer(post):
            a, b = int(m.group(1)), m.group(2)
            if abs(a - k) <= 2 and (b in (None, "n") or (int(b) >= a and int(b) > 1)):
                return True
    return False


def is_blank(line: str) -> bool:
    """A line the scorer leaves unscored (whitespace and invisible spacers only)."""
    return not line.strip().strip(BLANKS).strip()


def ascii_handle(name: str) -> str:
    """A handle spelt as real ones are (ASCII letters, digits and `_`, 15 at most) for a display name."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    handle = re.sub(r"\W", "_", folded)[:15]
    return handle if handle.strip("_") else f"user{zlib.crc32(name.encode()) % 10**6}"


def _glue(lines: list[str], marker: str, rng: random.Random) -> list[str]:
    """The lines with `marker` glued to the end punctuation of the last sentence (`done.3/7`)."""
    for i in range(len(lines) - 1, -1, -1):
        toks = lines[i].split(" ")
        j = len(toks)
        while j and (not toks[j - 1] or _LINKISH.fullmatch(toks[j - 1])):
            j -= 1
        body = " ".join(toks[:j]).rstrip()
        if not body:
            continue
        if body[-1] in "!?…" or (body[-1] == "." and not (len(body) > 1 and body[-2].isdigit())):
            glued = body + marker
        elif body[-1] == "." or body[-1].isdigit():
            glued = body + ".." + marker if body[-1].isdigit() else body + "." + marker  # '2019.3/7' reads as a number
        else:
            glued = body + rng.choice([".", ".."]) + marker
        rest = [t for t in toks[j:] if t]
        return lines[:i] + [" ".join([glued] + rest)] + lines[i + 1:]
    return [f"{marker} {lines[0]}"] + lines[1:]  # a post of links only: nothing to glue to


def _mark_families(style: str, n: int, total: int, text: str, rng: random.Random) -> tuple[list[str], bool]:
    """The post's lines with its marker in a classic or a new style; returns (lines, marked)."""
    lines = text.split("\n")
    if style == "paren_open":
        return lines[:-1] + [f"{lines[-1]} ({n}/)"], True
    if style == "paren_open_line":
        return lines + [f"({n}/)"], True
    if style == "glued":
        return _glue(lines, f"{n}/{total}", rng), True
    if style == "glued_n":
        return _glue(lines, f"{n}/n", rng), True
    if style == "bare":
        return [str(n)] + lines, True
    if style == "own_line_after":
        return lines + [f"{n}/{total}"], True
    return _mark(style, n, total, text)


@dataclass
class _Thread:
    """One thread being rendered by the families renderer, and what its gold will say."""

    src: Source
    key: str
    handle: str
    style: str
    layout: str
    keep: list[int]
    families: set[str]
    close: bool = False
    header: bool = True
    show_thread: bool = False
    client: str = "·Twitter Web App"
    bar: str = ""
    mention: str = ""
    handle_posts: set[int] = field(default_factory=set)
    repaste: int | None = None
    date: tuple[int, int, int] = (2020, 1, 1)
    clock: int = 0
    posts_done: int = 0
    any_marked: bool = False
    final_marker_line: int | None = None
    parts: list[dict] = field(default_factory=list)
    gold: dict = field(default_factory=dict)


def _plan_thread(src: Source, key: str, handle: str, rng: random.Random, exclude: set[str],
                 layout: str | None = None, style: str | None = None, close: bool = False) -> _Thread:
    """Draw a thread's style, layout, kept parts and per-thread noise."""
    if style is None:
        style = rng.choice(NEW_STYLES) if rng.random() < P_NEW_STYLE else rng.choice(MARKER_STYLES)
        if style == "bare" and len(src.posts) < 3:  # a lone `2` is a like count as much as a number: no sequence
            style = rng.choice(MARKER_STYLES)
    if layout is None:
        layout = rng.choice(NEW_LAYOUTS) if rng.random() < P_NEW_LAYOUT else rng.choice(LAYOUTS)
        if style in OWN_LINE_STYLES and rng.random() < P_TIGHT:
            layout = "newline"
    total = len(src.posts)
    keep = [k for k in range(1, total + 1) if k == 1 or (close and k == total) or rng.random() > 0.12]
    th = _Thread(src, key, handle, style, layout, keep, set(), close=close)
    if style in NEW_STYLES:
        th.families.add(style)
    if layout in NEW_LAYOUTS:
        th.families.add(layout)
    if close:
        th.families.add("junction_closed")
    th.header = layout not in ACTION_BARS or rng.random() < 0.5
    th.show_thread = rng.random() < 0.5
    th.client = rng.choice(["·Twitter Web App", "·Twitter for iPhone", "·Twitter for Android"])
    th.bar = rng.choice(ACTION_BARS.get(layout, [""]))
    th.date = (rng.randint(2018, 2022), rng.randint(1, 12), rng.randint(1, 28))
    th.clock = rng.randint(0, 22 * 60)
    if style not in END_MARKER_STYLES and rng.random() < P_TRAILING_HANDLE:
        mentions = sorted({m for p in src.posts for m in _MENTION.findall(p)} - exclude) or FALLBACK_MENTIONS
        th.mention = rng.choice(mentions)
        th.handle_posts = {n for n in keep if rng.random() < P_HANDLE_POST} or {rng.choice(keep)}
        th.families.add("trailing_handle")
    if rng.random() < P_REPASTE_ROW and (len(keep) > 1 or not close):
        th.repaste = rng.choice(keep[:-1] if close else keep)  # a closed thread's N/N stays right above the junction
        th.families.add("repaste_row")
    return th


def _header(dump: Dump, th: _Thread, rng: random.Random) -> None:
    """The author lines a copy of the platform's page puts above a post."""
    name, h, layout = th.src.author, th.handle, th.layout
    if layout in ("chrome", "chrome_fr"):
        dump.add(name)
        dump.add("@" + h)
    elif layout == "compact":
        dump.add(f"{name} @{h} · {rng.randint(1, 59)}m")
        if rng.random() < 0.3:
            dump.add(f"Replying to @{h}")
    elif layout == "namehandle" or (layout in ACTION_BARS and th.header):
        dump.add(f"{name} @{h}")
    elif layout == "counts":
        dump.add(f"{name} @{h} · {MONTHS_EN[th.date[1] - 1]} {th.date[2]}")
        if th.posts_done and rng.random() < 0.4:
            dump.add(f"Replying to @{h}")


def _footer(dump: Dump, th: _Thread, rng: random.Random) -> None:
    """The time, client, counts or action bar a copy of the platform's page puts under a post."""
    layout = th.layout
    hour, minute = divmod(th.clock, 60)
    th.clock = min(th.clock + rng.randint(0, 4), 23 * 60 + 59)
    year, month, day = th.date
    if layout == "chrome":
        dump.add(f"{hour % 12 or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'} · {MONTHS_EN[month - 1]} {day}, {year}")
        dump.add(th.client)
        dump.add(f"{rng.randint(1, 300)} Retweets")
        dump.add(f"{rng.randint(1, 40)} Quote Tweets")
        dump.add(f"{rng.randint(1, 900)} Likes")
        if th.show_thread:
            dump.add("Show this thread")
    elif layout == "chrome_fr":
        dump.add(f"{hour}:{minute:02d} · {day} {MONTHS_FR[month - 1]} {year}")
        dump.add(th.client)
        dump.add(f"{rng.randint(1, 300)} Retweets")
        dump.add(f"{rng.randint(1, 40)} Tweets cités")
        dump.add(f"{rng.randint(1, 900)} J’aime")
        if th.show_thread:
            dump.add("Afficher cette discussion")
    elif layout == "counts":
        for _ in range(3):  # replies, reposts, likes: bare numbers, as the timeline copies them
            dump.add(str(rng.randint(1, 900)))
    elif layout in ACTION_BARS:
        dump.add(th.bar)


def _emit(dump: Dump, th: _Thread, lines: list[str], rng: random.Random) -> tuple[int, int, int]:
    """Header, the post's lines, footer; returns (first content line, last content line, first line)."""
    _header(dump, th, rng)
    first = len(dump.lines) + 1
    for line in lines:
        dump.add(line)
    content = [i for i in range(first, first + len(lines)) if not is_blank(dump.lines[i - 1])]
    _footer(dump, th, rng)
    return content[0], content[-1], first


def _render_post(dump: Dump, th: _Thread, n: int, rng: random.Random) -> None:
    """Append part `n` of the thread (and its copy right after it, if it is the re-pasted one)."""
    total = len(th.src.posts)
    keep_marker = th.close and n == total
    drop = th.style != "none" and not keep_marker and ((n == 1 and rng.random() < 0.4) or rng.random() < 0.08)
    lines, marked = _mark_families("none" if drop else th.style, n, total, th.src.posts[n - 1], rng)
    th.any_marked = th.any_marked or marked
    if n in th.handle_posts:
        lines = lines + ["@" + th.mention]
    start = len(dump.lines) + 1
    lo, hi, first = _emit(dump, th, lines, rng)
    end = len(dump.lines)
    part: dict = {"n": n, "lines": [lo, hi]}
    if marked and n == total and th.style in FINAL_NN_STYLES:
        th.final_marker_line = first if th.style == "line_before" else first + len(lines) - 1
    th.parts.append(part)
    th.posts_done += 1
    if th.repaste == n:
        if th.layout in GAPS:
            dump.add(GAPS[th.layout])
        shift = len(dump.lines) + 1 - start
        for line in dump.lines[start - 1:end]:  # the same post twice: its header and counts come along unchanged
            dump.add(line)
        part["also"] = [[lo + shift, hi + shift]]


def _finish(dump: Dump, th: _Thread) -> None:
    """Append the thread's gold entry (numbering, total and missing parts as rendered)."""
    total = len(th.src.posts)
    numbered = th.style != "none" and th.any_marked  # every marker dropped: nothing numbers the thread
    has_total = numbered and th.style not in NO_TOTAL_STYLES
    present = {p["n"] for p in th.parts}
    if has_total:
        missing = [k for k in range(1, total + 1) if k not in present]
    elif numbered:
        missing = [k for k in range(1, max(present)) if k not in present]
    else:
        missing = []
        for i, p in enumerate(th.parts, 1):
            p["n"] = i
    th.gold = {"key": th.key, "kind": "thread", "total": total if has_total else None, "missing": missing,
               "score_n": numbered, "parts": th.parts, "style": th.style, "layout": th.layout,
               "handle": "@" + th.handle, "families": sorted(th.families)}
    dump.threads.append(th.gold)


def _interleave(counts: list[int], rng: random.Random) -> list[int]:
    """The order in which a timeline shows the posts of several threads: runs of 1-3 posts by one author."""
    remaining = list(counts)
    order: list[int] = []
    last = None
    while any(remaining):
        if last is None:  # open with a thread that can be split, so that the runs really interleave
            choices = [g for g, r in enumerate(remaining) if r > 1] or [g for g, r in enumerate(remaining) if r]
        else:
            choices = [g for g, r in enumerate(remaining) if r and g != last] or [last]
        g = rng.choice(choices)
        cap = remaining[g] - 1 if last is None and remaining[g] > 1 else remaining[g]
        run = rng.randint(1, min(3, cap))
        order += [g] * run
        remaining[g] -= run
        last = g
    return order


def render_dump_families(sources: list[Source], rng: random.Random) -> Dump:
    """A dump of 1-5 threads with every noise family, each drawn with a modest probability."""
    dump = Dump()
    handles = [ascii_handle(s.author) for s in sources]
    exclude = set(handles)
    blocks: list[list[int]] = []
    i = 0
    while i < len(sources):
        k = 1
        if i + 1 < len(sources) and rng.random() < P_INTERLEAVE:
            k = 3 if i + 2 < len(sources) and rng.random() < P_THIRD_AUTHOR else 2
            if len({handles[j] for j in range(i, i + k)}) < k:
                k = 1  # one author's two threads: nothing on a timeline tells them apart
        blocks.append(list(range(i, i + k)))
        i += k
    articles = [[j for j in b if len(sources[j].abstract) > 400 and rng.random() < P_ARTICLE] for b in blocks]
    junction = [False] + [len(blocks[b - 1]) == 1 and len(blocks[b]) == 1 and not articles[b - 1]
                          and rng.random() < P_JUNCTION for b in range(1, len(blocks))]
    closed = [b + 1 < len(blocks) and junction[b + 1] and rng.random() < P_JUNCTION_CLOSED
              for b in range(len(blocks))]
    rendered: list[_Thread] = []
    for b, block in enumerate(blocks):
        if dump.lines and not junction[b]:
            dump.add("")
        if len(block) == 1:
            j = block[0]
            at_junction = junction[b] or (b + 1 < len(blocks) and junction[b + 1])
            th = _plan_thread(sources[j], f"T{j}", handles[j], rng, exclude,
                              layout=rng.choice(PLAIN_LAYOUTS) if at_junction else None,
                              style=rng.choice(CLOSING_STYLES) if closed[b] else None, close=closed[b])
            if at_junction:
                th.families.add("junction")
            if not junction[b] and rng.random() < P_STATUS_URL:  # a status URL would say where the thread starts
                dump.add(f"https://twitter.com/{th.handle}/status/{rng.randint(10**17, 10**18)}")
            for idx, n in enumerate(th.keep):
                if idx and th.layout in GAPS:
                    dump.add(GAPS[th.layout])
                _render_post(dump, th, n, rng)
            group = [th]
        else:
            layout = rng.choice(TIMELINE_LAYOUTS)
            group = [_plan_thread(sources[j], f"T{j}", handles[j], rng, exclude, layout=layout) for j in block]
            for th in group[1:]:
                th.bar = group[0].bar  # one page, one action bar
            order = _interleave([len(th.keep) for th in group], rng)
            spans = [(order.index(g), len(order) - 1 - order[::-1].index(g)) for g in range(len(group))]
            for g, th in enumerate(group):
                th.header = True  # every post of a timeline copy stands under its author
                lo, hi = spans[g]
                if any(h != g and a < hi and lo < b for h, (a, b) in enumerate(spans)):  # runs across another
                    th.families.add("interleaved")
            for idx, g in enumerate(order):
                if idx and layout in GAPS:
                    dump.add(GAPS[layout])
                th = group[g]
                _render_post(dump, th, th.keep[th.posts_done], rng)
        for th in group:
            _finish(dump, th)
        rendered += group
        for j in articles[b]:
            dump.add("")
            render_article(dump, sources[j], f"A{j}", rng)
    if rng.random() < P_REPASTE_END and rendered:
        th = rng.choice(rendered)
        p = rng.choice(th.parts)
        dump.add("")
        dump.add("")
        lo, hi = p["lines"]
        start = len(dump.lines) + 1
        for line in dump.lines[lo - 1:hi]:
            if not is_blank(line):
                dump.add(line)
        p.setdefault("also", []).append([start, len(dump.lines)])
        th.families.add("repaste_end")
    labelled = {ln for t in dump.threads for p in t["parts"] for lo, hi in [p["lines"]] + p.get("also", [])
                for ln in range(lo, hi + 1) if not is_blank(dump.lines[ln - 1])}
    for th in rendered:
        m = th.final_marker_line
        if m is not None and m - 1 in labelled and m + 1 in labelled:  # text right above and right below
            th.families.add("final_nn_between")
        th.gold["families"] = sorted(th.families)
    return dump


def write_eval_set(out: Path, count: int, seed: int, classic: bool = False) -> None:
    """Write `count` dumps with gold (held-NNN.txt / .gold.json) to `out`; `classic` renders as before the noise families were added."""
    rng = random.Random(seed)
    threads = load_threads()
    if not classic:
        threads = [t for t in threads if not has_leftover_marker(t)]
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        picked = rng.sample(threads, rng.randint(1, 5))
        dump = render_dump(picked, rng) if classic else render_dump_families(picked, rng)
        name = f"held-{i:03d}"
        (out / f"{name}.txt").write_text(dump.text(), encoding="utf-8")
        (out / f"{name}.gold.json").write_text(json.dumps(dump.gold(name + ".txt"), ensure_ascii=False),
                                               encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: OUT [COUNT [SEED]] [--classic]."""
    import argparse

    parser = argparse.ArgumentParser(description="Render a held-out evaluation set from the real corpora.")
    parser.add_argument("out", type=Path, help="folder to write NAME.txt and NAME.gold.json into")
    parser.add_argument("count", type=int, nargs="?", default=60, help="how many dumps (default 60)")
    parser.add_argument("seed", type=int, nargs="?", default=7, help="random seed: the same seed gives the same set")
    parser.add_argument("--classic", action="store_true",
                        help="render exactly what the generator rendered before the noise families (interleaved timelines, junctions ...) were added")
    args = parser.parse_args(argv)
    write_eval_set(args.out, args.count, args.seed, classic=args.classic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
