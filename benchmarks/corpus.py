"""Render real threads from ../shared/corpora into messy dumps, with line-level gold.

Used by the benchmarks (large dumps) and by `make_eval_set.py` (a held-out evaluation set
in the scorer's gold format). The noise follows what real pastes carry: markers in many
forms (or none, or dropped), parts missing, posts split across lines, spacer lines, UI chrome
in English and French, status URLs, separators, re-pasted posts, interleaved timelines and
news-style abstracts glued after a thread.
"""

from __future__ import annotations

import ast
import csv
import json
import random
import re
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


def write_eval_set(out: Path, count: int, seed: int) -> None:
    """Write `count` dumps with gold (name-NNN.txt / .gold.json) to `out`."""
    rng = random.Random(seed)
    threads = load_threads()
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        picked = rng.sample(threads, rng.randint(1, 5))
        dump = render_dump(picked, rng)
        name = f"held-{i:03d}"
        (out / f"{name}.txt").write_text(dump.text(), encoding="utf-8")
        (out / f"{name}.gold.json").write_text(json.dumps(dump.gold(name + ".txt"), ensure_ascii=False),
                                               encoding="utf-8")


if __name__ == "__main__":
    import sys

    write_eval_set(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 60,
                   int(sys.argv[3]) if len(sys.argv) > 3 else 7)
