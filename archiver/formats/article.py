"""Articles kept as Markdown: a blog post, a news story or a clipped article is one article.

A Markdown document with prose paragraphs and no post markers is one article whose parts are its
paragraphs; its headings are section titles inside it, not the starts of other articles (plain
text, which has no headings, is cut into articles at title lines by archiver.articles). Front
matter and the head above the text (title, rules, cover image) are dropped.
"""

from __future__ import annotations

from ..chrome import classify_line
from ..markers import find_marker, read_markup_marker
from ..segment import weighted_length
from . import Layout
from .document import Document
from .markdown import drop_head
from ..settings import current as current_settings



def read(doc: Document) -> Layout | None:
    """One article of a Markdown document of prose, or None when the text is not one."""
    cfg = current_settings()
    if not doc.markdown_like:
        return None
    content = [i for i in range(len(doc.lines)) if not doc.blank(i)]
    # a marker inside fenced code is the code's (a progress bar's `10/10`), no post's
    code = {i for b in doc.blocks if b.kind == "fence" for i in range(b.start + 1, b.end)}
    if not content or sum(_marked(doc.lines[i]) for i in content if i not in code) > 1:
        return None
    lengths = [weighted_length(doc.lines[i]) for i in content]
    # long enough for an article, or paragraphs no post could hold
    if (sum(lengths) < cfg.markdown_min and sum(n > cfg.post_line for n in lengths) < 2) or _posts_between_rules(doc):
        return None
    if sum(classify_line(doc.lines[i]).kind in ("chrome", "status", "handle", "name")
           for i in content if i not in code) > cfg.chrome_max:
        return None
    layout = Layout(format="markdown-article")
    drop_head(doc, layout, first=len(doc.lines))
    _keep_section_headings(doc, layout)
    rules = {b.start for b in doc.blocks if b.kind == "hr"}
    for i in content:
        if i in layout.dropped:  # (the head's lines are, but for a section heading kept above)
            continue
        if i in rules:
            layout.dropped[i] = "separator"
        else:
            layout.notes.append(i)
    return layout if layout.notes else None


def _keep_section_headings(doc: Document, layout: Layout) -> None:
    """Of the headings at the top, only the document's title is dropped: one under it at a deeper
    level (`## The problem` under `# Why I ...`), or any under a title given in front matter, opens
    the first section and is the article's first part."""
    fm = doc.front_matter
    level = 0 if fm is not None and fm[1].get("title") else None
    for b in doc.blocks:
        if b.kind != "heading" or layout.dropped.get(b.start) != "title":
            continue
        if level is None:
            level = b.level
        elif b.level > level:
            del layout.dropped[b.start]


def _marked(line: str) -> bool:
    found = read_markup_marker(line)
    return find_marker(line) is not None or (found is not None and found.markup and found.kind != "ordinal")


def _posts_between_rules(doc: Document) -> bool:
    """True when rules cut the text into two or more blocks of a post's size (a thread draft)."""
    cfg = current_settings()
    rules = [b.start for b in doc.top() if b.kind == "hr"]
    if len(rules) < 2:
        return False
    bounds = [-1] + rules + [len(doc.lines)]
    heads = {b.start for b in doc.top() if b.kind == "heading"}
    blocks = [(a, b) for a, b in zip(bounds, bounds[1:]) if doc.next_content(a + 1) not in (None, b)]
    if blocks and all(doc.next_content(a + 1) in heads for a, b in blocks[1:]):
        return False  # titled sections (a README's `## Install` / `## Usage`): the sections reader's, if posts
    sizes = [sum(weighted_length(doc.lines[i]) for i in range(a + 1, b)) for a, b in blocks]
    sizes = sorted(n for n in sizes if n)
    return bool(sizes) and sizes[len(sizes) // 2] <= cfg.post_block
