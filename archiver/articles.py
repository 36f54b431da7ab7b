"""Telling news and prose text apart from posts, and cutting it into articles and paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field

from .segment import Segmentation, Unit, weighted_length
from .settings import current as current_settings

_TITLE_END = tuple('.;,…。，；、')  # a line ending so is a sentence or a clause, not a title ...
_CLOSING_QUOTES = '"»”'  # ... also inside closing quotes (`he said "no."`); a quoted name ends a title


@dataclass
class Article:
    """An article: paragraphs as lists of 0-based line indexes, and its byline if one was seen."""

    paragraphs: list[list[int]] = field(default_factory=list)
    author: str | None = None


def _title_like(line: str) -> bool:
    cfg = current_settings()
    s = line.strip()
    # (a title may open with a word in camel case, `gradSLAM: ...`, `iOS 17 ...`; not with lower case)
    opens_lower = bool(s) and s[0].islower() and not any(c.isupper() for c in s.split()[0])
    return 0 < len(s) <= cfg.title_max and not s.rstrip(_CLOSING_QUOTES).endswith(_TITLE_END) and not opens_lower


def has_thread_signals(seg: Segmentation) -> bool:
    """True when the text carries anything of a post thread: markers, UI chrome or status URLs."""
    if any(u.marker for u in seg.units):
        return True
    return any(k.kind in ("chrome", "handle", "name", "status") for k in seg.kinds)


def _posts_between_rules(seg: Segmentation) -> bool:
    """True when rules (`---`) part three blocks of text or more in a row, none longer than a post:
    a thread or posts pasted one by one, not prose."""
    cfg = current_settings()
    blocks = [0]
    for u in seg.units:
        if u.gap == "separator" and blocks[-1]:
            blocks.append(0)
        blocks[-1] += u.length
    run = 0
    for b in blocks[1:-1]:  # (the text before the first rule and after the last may be anything)
        run = run + 1 if 0 < b <= cfg.post_limit else 0
        if run >= 3:
            return True
    return False


def split_articles(seg: Segmentation) -> tuple[list[Article], list[Unit]]:
    """Take the article text out of the units; returns the articles and the units left for threads."""
    cfg = current_settings()
    lines = seg.lines
    notes = [u for u in seg.units if u.note]
    if notes or any(u.fixed for u in seg.units):
        # a capture format fixed the posts: its notes are one article, everything else is posts
        rest = [u for u in seg.units if not u.note]
        if not notes:
            return [], rest
        article = Article(paragraphs=_paragraphs(lines, [i for u in notes for i in u.lines]))
        return [article], rest
    if not has_thread_signals(seg) and not _posts_between_rules(seg):
        if any(weighted_length(lines[i]) > cfg.prose_line for u in seg.units for i in u.lines):
            return _cut_articles(seg, [i for u in seg.units for i in u.lines]), []
        return [], seg.units
    articles: list[Article] = []
    rest: list[Unit] = []
    current: Article | None = None
    for idx, original in enumerate(seg.units):
        u = original
        long_at = next((k for k, i in enumerate(u.lines) if weighted_length(lines[i]) > cfg.article_line), None)
        if u.marker is not None or long_at is None:
            if current is not None and u.marker is None and u.gap in ("blank", "spacer", "none", "line", "wrap") and any(
                weighted_length(lines[i]) > cfg.prose_line for i in u.lines
            ):
                current.paragraphs.extend(_paragraphs(lines, u.lines))
                continue
            current = None
            rest.append(u)
            continue
        if current is not None and u.gap in ("blank", "spacer", "none", "date", "line", "wrap"):
            current.paragraphs.extend(_paragraphs(lines, u.lines))
            continue
        if long_at == 0 and u.gap in ("wrap", "line") and rest:
            # the title sits at the end of the unit above, split off by the length rule
            prev = rest[-1]
            k = _title_start(lines, prev.lines + [u.lines[0]], len(prev.lines))
            keep = max(k, 1 if prev.marker is not None else 0)
            if prev.marker_line is not None and prev.marker_line in prev.lines[keep:]:
                keep = len(prev.lines)
            moved_lines, moved_texts = prev.lines[keep:], prev.texts[keep:]
            if moved_lines:
                prev.lines, prev.texts = prev.lines[:keep], prev.texts[:keep]
                if not prev.lines:
                    rest.pop()
                u = Unit(lines=moved_lines + u.lines, gap=prev.gap if not prev.lines else "wrap",
                         author=prev.author, url=prev.url, texts=moved_texts + u.texts)
                long_at = len(moved_lines)
        head = _title_start(lines, u.lines, long_at)
        if head > 0:
            before = Unit(lines=u.lines[:head], gap=u.gap, author=u.author, url=u.url, texts=u.texts[:head])
            rest.append(before)
        title: list[int] = []
        if head == 0 and lines[u.lines[0]][:1].isspace() and rest and rest[-1].marker is None \
                and _title_like(lines[rest[-1].lines[-1]]):
            # the unit opens with the indented rest of a wrapped title: its first line ends the unit above
            prev = rest[-1]
            title = prev.lines[-1:]
            prev.lines, prev.texts = prev.lines[:-1], prev.texts[:-1]
            if not prev.lines:
                rest.pop()
        current = Article()
        current.paragraphs.extend(_paragraphs(lines, title + u.lines[head:]))
        articles.append(current)
        _mark_after(seg, idx)
    return articles, rest


def _mark_after(seg: Segmentation, idx: int) -> None:
    """The unit that follows an article starts a new thread."""
    if idx + 1 < len(seg.units):
        nxt = seg.units[idx + 1]
        if nxt.gap in ("none", "blank", "blank2", "spacer", "date", "line", "wrap"):
            nxt.gap = "article"


def _title_start(lines: list[str], idxs: list[int], long_at: int) -> int:
    """Index (into idxs) of the first title line above the long line at long_at."""
    k = long_at
    while k - 1 >= 0 and lines[idxs[k - 1]][:1].isspace() and k - long_at > -4:
        k -= 1
    wrapped = k < long_at  # an indented continuation: the line above it starts the title
    if k - 1 >= 0 and (wrapped or _title_like(lines[idxs[k - 1]])):
        k -= 1
    return k


def _paragraphs(lines: list[str], idxs: list[int]) -> list[list[int]]:
    """Each line is a paragraph, except indented continuation lines, which join the line above."""
    out: list[list[int]] = []
    for i in idxs:
        if out and (lines[i][:1].isspace() or (out[-1][-1] == i - 1 and _title_like(lines[out[-1][-1]])
                                               and lines[i][:1].isspace())):
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _cut_articles(seg: Segmentation, idxs: list[int]) -> list[Article]:
    """A text with no thread signals: split into articles at title lines that follow body text."""
    lines = seg.lines
    articles = [Article()]
    body_seen = False
    for pos, i in enumerate(idxs):
        # the line after the title and its indented continuation lines (a title wrapped by arXiv)
        after = pos + 1
        while after < len(idxs) and lines[idxs[after]][:1].isspace():
            after += 1
        nxt = idxs[after] if after < len(idxs) else None
        is_title = (
            body_seen
            and not lines[i][:1].isspace()
            and _title_like(lines[i])
            and len(lines[i].strip()) < 150
            and "://" not in lines[i]  # a link line ("Previous post: https://...") is no title
            and nxt is not None
            and weighted_length(lines[nxt]) > 100
            and not _repeats_title(lines, articles[-1], i)
        )
        if is_title:
            articles.append(Article())
            body_seen = False
        if lines[i][:1].isspace() and articles[-1].paragraphs:
            articles[-1].paragraphs[-1].append(i)
        else:
            articles[-1].paragraphs.append([i])
        if weighted_length(lines[i]) > 150:
            body_seen = True
    for art in articles:
        art.author = _byline(seg, art)
    return [a for a in articles if a.paragraphs]


def _repeats_title(lines: list[str], article: Article, i: int) -> bool:
    return bool(article.paragraphs) and lines[article.paragraphs[0][0]].strip() == lines[i].strip()


def _byline(seg: Segmentation, article: Article) -> str | None:
    first = article.paragraphs[0][0]
    last = article.paragraphs[-1][-1]
    for i in range(first, min(last, first + 12)):
        if seg.kinds[i].kind == "byline":
            return seg.lines[i].strip()
    return None
