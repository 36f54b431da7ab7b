"""Thread drafts and unrolls written in Markdown: posts numbered by headings, emphasis or braces.

    # Launch thread                      <- the document's title: dropped
    ## Tweet 1/8 - Hook                  <- a marker heading opens post 1 (label, number, total)
    text ...
    ---                                  <- a rule, or the next marker, or a heading ends the post
    **2/8** 🧵                           <- emphasis markers open posts the same way
    text ...      {3/8}                  <- a braced or bracketed marker line closes the text above it
    ## Posting tips                      <- after the last post: the author's notes (an article)

A heading `## Thread 2: ...` starts another thread. Bare list numbers (`**3.**`, `## 3`) number a
thread's posts only where the document says it is a thread (a 🧵 or the word in its title or first
post); otherwise they number a plan of separate posts, each its own post.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

import regex

from ..chrome import classify_line
from ..markers import Marker, MarkupMarker, find_marker, read_markup_marker
from ..segment import weighted_length
from . import Layout, Post
from .document import Block, Document
from .markdown import POST_NOUNS, POST_WORDS, THREAD_WORDS, drop_head, posts_context, thread_context
from ..settings import current as current_settings



def read(doc: Document) -> Layout | None:
    """The posts of a Markdown thread draft or post plan, or None when the text is not one."""
    cfg = current_settings()
    if not doc.markdown_like:
        return None
    found = _markers(doc)
    posts = [(b, m) for b, m in found if m.kind == "post"]
    ordinals = [(b, m) for b, m in found if m.kind == "ordinal"]
    layout = Layout(format="markdown-draft")
    head_end = drop_head(doc, layout, first=min((b.start for b, _ in found), default=len(doc.lines)))
    if len(posts) >= cfg.draft_min_markers or (posts and posts[0][1].marker.total and posts[0][1].marker.total > 1):
        chosen = [x for x in found if x[1].kind in ("post", "thread")]
        # numbered posts with no total in a document that never says it holds a thread (in its
        # title, its headings or its first post): a plan of separate posts (`## Post 1: Reddit`,
        # `## Post 2 — The insight`)
        plan = not any(m.marker.total for _, m in posts) and not thread_context(doc, layout, posts[0][0].start)
    elif len(ordinals) >= cfg.draft_min_markers:
        plan = not thread_context(doc, layout, ordinals[0][0].start)
        chosen = [x for x in found if x[1].kind in ("ordinal", "thread")]
    else:
        return None
    if plan:
        layout.format = "markdown-post-plan"
    closing = sum(m.closing for _, m in chosen if m.kind != "thread") * 2 > len(chosen)
    if closing:
        _closing_posts(doc, layout, chosen, head_end)
    else:
        _opening_posts(doc, layout, chosen, plan)
    if not layout.posts:
        return None
    _author_from_source(layout)
    _notes(doc, layout)
    return layout


def _author_from_source(layout: Layout) -> None:
    """A thread saved under its status URL (`https://x.com/name/status/...` on top) is by that account."""
    status = classify_line(layout.meta.get("source", ""))
    if status.kind != "status" or layout.format != "markdown-draft":
        return
    for k, post in enumerate(layout.posts):
        if post.item and k:
            break
        post.author = status.handle
    layout.posts[0].url = status.url


def _markers(doc: Document) -> list[tuple[Block, MarkupMarker]]:
    """Marker lines of top-level blocks: a heading, or the first or only line of a paragraph."""
    found = []
    for b in doc.top():
        if b.kind not in ("heading", "paragraph"):
            continue
        lines = [b.start] if b.kind == "heading" or b.end == b.start else [b.start, b.end]
        for i in lines:
            m = read_markup_marker(doc.lines[i])
            if m is not None and m.markup and (m.heading or b.kind == "paragraph"):
                # a bracketed marker closes the text above it only where it ends its paragraph;
                # on the first line of a paragraph (`**(1/3)**` over the text) it opens it
                m = replace(m, closing=m.closing and i == b.end)
                found.append((Block(b.kind, i, i, 0, b.level, b.text), m))
                break
    return found


def _ends_post(doc: Document, b: Block, marker: MarkupMarker) -> bool:
    """True for a block that ends the post a marker opened: a rule, or a heading at the marker's
    level or above (any heading after an emphasis marker)."""
    if b.kind == "hr":
        return True
    return b.kind == "heading" and (marker.heading == 0 or b.level <= marker.heading)


def _opening_posts(doc: Document, layout: Layout, chosen: list[tuple[Block, MarkupMarker]], plan: bool) -> None:
    """Each marker opens a post that runs to the next marker, rule or ending heading."""
    marker_lines = {b.start for b, _ in chosen}
    enders = [x for x in doc.top() if x.kind in ("hr", "heading") and x.start not in marker_lines]
    fields = _plan_fields(doc) if plan else set()
    starts = [x.start for x in enders]
    last_n = 0
    item = True
    for k, (b, m) in enumerate(chosen):
        if m.kind == "thread":
            layout.dropped[b.start] = "title"
            item, last_n = True, 0
            continue
        limit = chosen[k + 1][0].start if k + 1 < len(chosen) else len(doc.lines)
        end = limit - 1
        for other in enders[bisect_right(starts, b.start):]:
            if other.start >= limit:
                break
            if not plan and other.kind == "hr" and doc.next_content(b.start + 1) == other.start:
                # a rule right under the marker underlines it: the post's text comes after it (a
                # planned post's rule is read with its fields, by _under_fields)
                continue
            if _ends_post(doc, other, m):
                end = other.start - 1
                break
        while end > b.start and doc.blank(end):
            end -= 1
        n = m.marker.n
        if n <= last_n:
            item = True  # the numbering starts again: another thread
        last_n = n
        if plan:
            layout.dropped[b.start] = "title"
            start, end = _under_fields(doc, layout, enders, b.start + 1, end, limit, m)
            if start is None or start > end:
                continue
            start, end = _body_post(doc, layout, start, end, fields)
            layout.posts.append(Post(start, end, item=True))
            continue
        under = doc.next_content(b.start + 1)
        silent = {b.start} if _marker_only(doc.lines[b.start], m) else set()
        if under is not None and under <= end and under in starts and enders[starts.index(under)].kind == "hr":
            silent.add(under)  # the rule underlining the marker is no text of the post
        layout.posts.append(Post(b.start, end, marker=_opening(m.marker), marker_line=b.start, item=item,
                                 silent=frozenset(silent)))
        item = False


def _closing_posts(doc: Document, layout: Layout, chosen: list[tuple[Block, MarkupMarker]], head_end: int) -> None:
    """Each marker closes the post made of the text since the previous one."""
    start = doc.next_content(head_end + 1)
    last_n = 0
    item = True
    for b, m in chosen:
        if m.kind == "thread":
            layout.dropped[b.start] = "title"
            item, last_n, start = True, 0, doc.next_content(b.start + 1)
            continue
        if start is None:
            break
        while start < b.start and (start in layout.dropped or doc.blank(start)):
            start += 1
        if m.marker.n <= last_n:
            item = True
        last_n = m.marker.n
        marker = Marker(m.marker.n, m.marker.total, "end", m.marker.text, m.marker.start, m.marker.end)
        layout.posts.append(Post(start, b.start, marker=marker, marker_line=b.start, item=item,
                                 silent=frozenset({b.start})))
        item = False
        start = doc.next_content(b.start + 1)


def _under_fields(doc: Document, layout: Layout, enders: list[Block], start: int, end: int,
                  limit: int, marker: MarkupMarker) -> tuple[int, int]:
    """The text of a planned post whose heading ends at line start - 1: lines start..end, or, where
    the heading is followed only by fields (`**Title:** ...`, `**Platform:** X`) or nothing and a
    rule, the text after the rule up to the next heading that ends the post (the fields describe
    the post; rules and sub-headings inside it are its own: `### Stack`, a rule over its hashtags)."""
    lines = [i for i in range(start, end + 1) if not doc.blank(i)]
    as_is = (lines[0], end) if lines else (start, start - 1)
    rule = next((x for x in enders if x.start > end), None)
    if not all((f := _field(doc.lines[i])) is not None and f[1] for i in lines) or rule is None or rule.kind != "hr":
        return as_is
    body = doc.next_content(rule.end + 1)
    if body is None or body >= limit:
        return as_is
    stop = next((x.start for x in enders if body < x.start < limit and x.kind == "heading"
                 and _ends_post(doc, x, marker)), limit)
    rules = {x.start for x in enders if x.kind == "hr"}
    last = _last_content(doc, body, stop - 1)
    while last > body and (last in rules or doc.blank(last)):
        last -= 1  # the rule between this post and the next heading
    layout.drop(start, end, "metadata", doc)
    return body, last


def _opening(marker: Marker) -> Marker:
    return Marker(marker.n, marker.total, "start", marker.text, marker.start, marker.end)


_LABEL_REST = regex.compile(r"^[\s\-–—:|(（·.,]*")


def _marker_only(line: str, m: MarkupMarker) -> bool:
    """True when the marker line holds nothing of the post's text: a heading or an emphasised
    label (`## Tweet 2 - Hook`), not a marker in front of the text (`**1/10** 🧵` keeps its emoji)."""
    return m.heading > 0 or line.strip().endswith(("**", "__", ":", ")", "}", "]"))


# A field of a planned post: a bold label and a colon, its value after it or in the lines under it
# (`**Title:** ...`, `**Body:**`, `**标题**：...`, `**内容**：`).
_FIELD_LABEL = regex.compile(r"^\s*(?:>\s?)*(?:\*\*|__)(?P<label>[^*_\n:：]{1,30}?)\s*(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：])\s*(?P<value>.*)$")
# The fields whose value is the post itself, in the languages such plans are written in.
_BODY_LABELS = {"body", "post body", "content", "post", "text", "copy", "post text", "tweet", "message",
                "内容", "正文", "帖子内容", "本文", "投稿", "본문", "내용", "inhalt", "beitrag", "texte", "contenu",
                "cuerpo", "contenido", "texto", "corpo", "testo", "текст", "содержание", "пост"}


def _field(line: str) -> tuple[str, str] | None:
    """(label, value) of a field line of a planned post, or None."""
    m = _FIELD_LABEL.match(line)
    return (m.group("label").strip().casefold(), m.group("value").strip()) if m else None


def _plan_fields(doc: Document) -> set[str]:
    """The field labels a plan gives each of its posts: those that come back (`Title`, `Notes`),
    not the bold labels inside one post's text (`**What it does:**`)."""
    counts: dict[str, int] = {}
    for line in doc.lines:
        if "**" in line or "__" in line:
            f = _field(line)
            if f is not None:
                counts[f[0]] = counts.get(f[0], 0) + 1
    return {label for label, n in counts.items() if n >= 2}


def _body_post(doc: Document, layout: Layout, start: int, end: int, plan: set[str]) -> tuple[int, int]:
    """A planned post's text within lines start..end: where the span holds a body field
    (`**Body:**`, `**内容**：`), the lines under it up to the next of the plan's fields (`plan`,
    from _plan_fields); the other fields and their lines describe the post (metadata). Else the
    span as it is."""
    fields = [(i, f) for i in range(start, end + 1) if (f := _field(doc.lines[i])) is not None and f[0] in plan]
    body = next(((i, value) for i, (label, value) in fields if label in _BODY_LABELS), None)
    if body is None:
        return start, end
    at, value = body
    first = at if value else doc.next_content(at + 1)
    stop = next((i for i, _ in fields if i > at), end + 1)
    if first is None or first >= stop:
        return start, end
    last = _last_content(doc, first, stop - 1)
    layout.drop(start, first - 1, "metadata", doc)
    layout.drop(last + 1, end, "metadata", doc)
    return first, last


def read_fields(doc: Document) -> Layout | None:
    """A plan of posts, each under its heading with its fields, the post itself the value of a
    body field:

        ## V2EX                          <- a title: dropped
        **标题**：...                     <- a field: metadata
        **内容**：                        <- the body field: the post is the text under it
        > 大家好！...

    (A document with fewer than two body fields is none.)"""
    cfg = current_settings()
    if not doc.markdown_like:
        return None
    bodies = [i for i in range(len(doc.lines)) if (f := _field(doc.lines[i])) is not None and f[0] in _BODY_LABELS]
    if len(bodies) < cfg.draft_min_markers:
        return None
    bounds = sorted({b.start for b in doc.top() if b.kind in ("heading", "hr")} | {len(doc.lines)})
    plan = _plan_fields(doc)
    layout = Layout(format="markdown-post-plan")
    drop_head(doc, layout, first=bodies[0])
    for at in bodies:
        stop = next((b for b in bounds if b > at), len(doc.lines))
        label, value = _field(doc.lines[at])
        first, last = _body_post(doc, layout, at, _last_content(doc, at, stop - 1), plan | {label})
        if first != at or value:
            layout.posts.append(Post(first, last, item=True))
    for b in doc.top():
        if b.kind == "heading" and b.start not in layout.dropped:
            layout.dropped[b.start] = "title"
    # the other fields of each post (its title, its platform) above its body
    for i in range(len(doc.lines)):
        if i not in layout.dropped and (f := _field(doc.lines[i])) is not None and f[0] in plan and not any(
                p.start <= i <= p.end for p in layout.posts):
            layout.dropped[i] = "metadata"
    if not layout.posts:
        return None
    _notes(doc, layout)
    return layout


def _notes(doc: Document, layout: Layout) -> None:
    """Content lines in no post and not dropped are the document's notes (one article); rules
    among them are dropped as separators. A text kept in a code fence of its own among them (to be
    copied as it is: a single post beside the thread, a reply template) is a post."""
    covered = set(layout.dropped)
    for p in layout.posts:
        covered.update(range(p.start, p.end + 1))
    for post in _titled_posts(doc, layout, covered) + _quoted_replies(doc, layout, covered):
        layout.posts.append(post)
        covered.update(range(post.start, post.end + 1))
    covered.update(layout.dropped)  # the titles, fields and rules of those posts
    for fence in _fenced_posts(doc, covered):
        layout.posts.append(Post(fence.start, fence.end, item=True))
        covered.update(range(fence.start, fence.end + 1))
    layout.posts.sort(key=lambda p: p.start)
    for before, post in zip(layout.posts, layout.posts[1:]):
        if before.marker is None and post.item and post.marker is not None and post.marker.n == 2:
            # a thread whose numbers start at 2 (`**Tweet 2/10**`) right after an unnumbered post (the
            # hook, fenced under `## First tweet`): that post is its part 1
            post.item = False
    rules = {b.start for b in doc.blocks if b.kind == "hr"}
    headings = {b.start for b in doc.blocks if b.kind == "heading"}
    first = min((p.start for p in layout.posts), default=0)
    last = max((p.end for p in layout.posts), default=0)
    for i in range(len(doc.lines)):
        if i in covered or doc.blank(i):
            continue
        if i in rules:
            layout.dropped[i] = "separator"
        elif i in headings and first < i < last:
            layout.dropped[i] = "title"  # a section title between the posts (`## Tuesday`)
        else:
            layout.notes.append(i)




def _titled_posts(doc: Document, layout: Layout, covered: set[int]) -> list[Post]:
    """Text outside every post under a heading that names a post or a platform (`## 2. LinkedIn
    Post`, `## Reddit post (r/ClaudeAI)`), up to the next heading at its level: a post of its own,
    whose fields and rules under the heading (`**Title:** ...`, `---`) describe it."""
    top = doc.top()
    heads = [b for b in top if b.kind == "heading"]
    rules = {b.start for b in doc.blocks if b.kind == "hr"}
    found = []
    for k, h in enumerate(heads):
        if (h.start in covered and layout.dropped.get(h.start) != "title") or not POST_WORDS.search(h.text) \
                or THREAD_WORDS.search(h.text):
            continue  # (a heading dropped as the document's title may still head its first posts)
        stop = next((x.start for x in heads[k + 1:] if x.level <= h.level), len(doc.lines))
        span = [i for i in range(h.start + 1, stop) if not doc.blank(i)]
        if not span or any(i in covered or i in layout.dropped for i in span):
            continue
        if any(h.start < x.start < stop for x in heads[k + 1:]) or _fenced_texts(doc, top, h.start, stop - 1):
            continue  # sub-headings, or texts fenced to be copied (the fences are the posts)
        body = [i for i in span if i not in rules and _field(doc.lines[i]) is None]
        if not body:
            continue
        first, last = body[0], body[-1]
        for i in span:
            if i < first:
                layout.dropped[i] = "separator" if i in rules else "metadata"
        layout.dropped[h.start] = "title"
        # rules between its texts cut it into posts (`## Single tweets` / `1.` text / --- / `2.` text)
        cuts = [i for i in span if first < i < last and i in rules]
        for lo, hi in zip([first - 1] + cuts, cuts + [last + 1]):
            text = [i for i in body if lo < i < hi]
            if text:
                found.append(Post(text[0], text[-1], item=True))
    return found


_LABEL_LINE = regex.compile(r"^\s*(?:\*\*|__)[^*_\n]{1,80}[:：]\s*(?:\*\*|__)\s*$")
_QUOTED = regex.compile(r"^\s*[\"“«„「『].*[\"”»“」』]\s*$", regex.DOTALL)


def _quoted_replies(doc: Document, layout: Layout, covered: set[int]) -> list[Post]:
    """Texts in quotes under bold labels outside every post (`**For Elio:**` over `"One-time
    purchase, no subscription."`), two or more of them: replies prepared to be posted, each a post;
    the labels say when to post them."""
    found = []
    for b in doc.top():
        # (a label that comes back, `**For Elio:**` under two questions, was taken for a field of the
        # plan: it still labels its text)
        if (b.kind != "paragraph" or b.end == b.start or any(i in covered for i in range(b.start + 1, b.end + 1))
                or (b.start in covered and layout.dropped.get(b.start) != "metadata")):
            continue
        text = "\n".join(doc.lines[i] for i in range(b.start + 1, b.end + 1))
        if _LABEL_LINE.match(doc.lines[b.start]) and _QUOTED.match(text):
            found.append((b.start, Post(b.start + 1, b.end, item=True)))
    if len(found) < 2:
        return []
    for label, _ in found:
        layout.dropped[label] = "metadata"
    return [post for _, post in found]


# Info strings of a fence that holds text, not code (most posts are fenced with none)
_TEXT_FENCES = {"", "text", "txt", "plain", "plaintext", "markdown", "md"}


def _fenced_posts(doc: Document, covered: set[int]) -> list[Block]:
    """Top-level code fences outside every post that hold a post's text: no code's info string,
    prose inside, no longer than a long post."""
    cfg = current_settings()
    found = []
    for b in doc.top():
        if b.kind != "fence" or b.end - b.start < 2 or any(i in covered for i in range(b.start, b.end + 1)):
            continue
        inner = [doc.lines[i] for i in range(b.start + 1, b.end) if not doc.blank(i)]
        if _holds_text(doc, b) and sum(weighted_length(line) for line in inner) <= cfg.fenced_post_max:
            found.append(b)
    return found


def _holds_text(doc: Document, b: Block) -> bool:
    """True for a code fence of text: no code's info string, and prose inside."""
    info = doc.lines[b.start].strip().lstrip("`~").strip().casefold()
    inner = [doc.lines[i] for i in range(b.start + 1, b.end) if not doc.blank(i)]
    return info in _TEXT_FENCES and any(sum(ch.isalpha() for ch in line) >= 10 for line in inner)


def read_sections(doc: Document) -> Layout | None:
    """Separate posts kept in one Markdown file as titled sections between rules:

        ## Cursor Community          <- each section's title: dropped
        Made an MCP server ...       <- the post, its own item
        ---
        ## Cline Community
        ...

    (A long article cut into titled sections has paragraphs longer than any post: it is left to
    the article reader.)"""
    cfg = current_settings()
    if not doc.markdown_like:
        return None
    top = doc.top()
    rules = [b.start for b in top if b.kind == "hr"]
    if not rules or any(weighted_length(doc.lines[i]) > cfg.article_line for i in range(len(doc.lines))):
        return None
    bounds = [-1] + rules + [len(doc.lines)]
    sections: list[tuple[int, int]] = []
    titles: list[int] = []
    for a, b in zip(bounds, bounds[1:]):
        blocks = [x for x in top if a < x.start < b]
        if blocks and blocks[0].kind == "heading" and read_markup_marker(doc.lines[blocks[0].start]) is None \
                and len(blocks) > 1:
            # a section may hold several posts under labelled headings (`## English` /
            # `### Template A` / text / `### Template B` / text): headings over text that share
            # their label each open one, up to the next heading, and the headings over them are
            # titles; headings with labels of their own are an article's (`### Design`, `### Usage`)
            # (a heading with a label of its own among them, `## Notes` after `## Variant A` and
            # `## Variant B`, opens the author's notes, no post)
            heads = [x.start for x in blocks if x.kind == "heading"]
            subs = [(h, nxt - 1) for h, nxt in zip(heads, heads[1:] + [b])
                    if doc.next_content(h + 1) is not None and doc.next_content(h + 1) < nxt]
            label, count = Counter(_label(doc.lines[h]) for h, _ in subs).most_common(1)[0] if subs else ("", 0)
            if count >= 2 and count > len(subs) - count:
                titles.extend(heads)
                sections.extend(sub for sub in subs if _label(doc.lines[sub[0]]) == label)
            else:
                # the headings it opens with are its titles (`# Notes` / `## V2EX`)
                lead = next((k for k, x in enumerate(blocks) if x.kind != "heading"), len(blocks))
                titles.extend(x.start for x in blocks[:max(lead, 1)])
                sections.append((blocks[max(lead, 1) - 1].start, b - 1))
    if len(sections) < cfg.draft_min_markers:
        return None
    if not posts_context(doc):
        return None  # titled sections of a document that never names a post: a README's, an article's
    layout = Layout(format="markdown-sections")
    plan = _plan_fields(doc)
    drop_head(doc, layout, first=titles[0])
    for t in titles:
        layout.dropped[t] = "title"
    for title, end in sections:
        start = doc.next_content(title + 1)
        end = _last_content(doc, title, end)
        if start is not None and start <= end:
            if all(doc.blank(i) or _field(doc.lines[i]) is not None for i in range(start, end + 1)):
                layout.drop(start, end, "metadata", doc)  # fields only (`> **Channel**: ...`): about the posts
                continue
            fences = _fenced_texts(doc, top, title, end)
            if fences:
                for fence in fences:
                    layout.posts.extend(_fence_posts(doc, fence))
                continue
            start, end = _body_post(doc, layout, start, end, plan)
            layout.posts.append(Post(start, end, item=True))
    _notes(doc, layout)
    return layout


def _fenced_texts(doc: Document, top: list[Block], start: int, end: int) -> list[Block]:
    """The text fences of lines start..end when they hold most of its text: a section that keeps
    each version of its post in a fence to be copied (`### Short` / fence / `### Long` / fence)."""
    fences = [b for b in top if b.kind == "fence" and start < b.start and b.end <= end and _holds_text(doc, b)]
    inside = {i for b in fences for i in range(b.start, b.end + 1)}
    heads = {b.start for b in top if b.kind == "heading"}
    outside = [i for i in range(start + 1, end + 1) if i not in inside and i not in heads and not doc.blank(i)]
    return fences if fences and _size(doc, outside) < _size(doc, inside) else []


def _size(doc: Document, lines: Iterable[int]) -> int:
    """Weighted characters of these lines."""
    return sum(weighted_length(doc.lines[i]) for i in lines)


def _fence_posts(doc: Document, fence: Block) -> list[Post]:
    """The posts of a text fence: one post, or the parts of a thread where its lines open with
    markers numbered 1, 2, 3 ... (`1/ ...`, `2/ ...`). The fence lines belong to the posts' spans
    but carry none of their text."""
    first, last = doc.next_content(fence.start + 1), _last_content(doc, fence.start, fence.end - 1)
    if first is None or first > last:
        return []
    opened = [(i, m) for i in range(first, last + 1)
              if (m := find_marker(doc.lines[i])) is not None and m.position in ("start", "line")]
    if not _numbered_from(opened, first):
        return [Post(fence.start, fence.end, item=True, silent=frozenset({fence.start, fence.end}))]
    posts = []
    for k, (i, m) in enumerate(opened):
        start = fence.start if k == 0 else i
        end = _last_content(doc, i, opened[k + 1][0] - 1) if k + 1 < len(opened) else fence.end
        posts.append(Post(start, end, marker=m, marker_line=i, item=k == 0,
                          silent=frozenset({fence.start, fence.end}) & {start, end}))
    return posts


# A label alone on its line, a field of a planned post whose value is in the lines under it
# (`Title:`, `Body:`, `**Post:**`, `Tags:`).
_LABEL_ALONE = regex.compile(r"^\s*(?:\*\*|__)?(?P<label>[^\s*_:：#>\-][^*_:：\n]{0,24}?)\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*$")


def read_titled(doc: Document) -> Layout | None:
    """Posts of a plan kept under headings that name their platform or kind, with no marker in
    markup (a Markdown draft's markers are read by `read`):

        ## X post              <- names a post or a platform: a title, dropped; the text is the post
        Launching ...
        ## X thread
        1/ I open-sourced ...   <- paragraphs opened by markers 1, 2, 3 ...: a thread, a part each
        2/ The problem ...
        ## Hacker News
        Title:                  <- labels alone on their lines: fields that describe the post ...
        Arcgentic: ...
        Post:                   <- ... but for the body's, whose lines are the post
        I built ...

    A document whose title names one post (`# 中文首发帖`) holds versions of it: every section is
    a post (`## 长版`, `## 短版`). Sections with headings inside them are left to the notes."""
    if not doc.markdown_like or _markers(doc):
        return None
    top = doc.top()
    fm = doc.front_matter
    if any(b.kind == "hr" and b.start > (fm[0] if fm else -1) for b in top):
        return None  # rules part the text: the sections reader's, or the decoder's
    heads = [b for b in top if b.kind == "heading"]
    title = heads[0] if heads and heads[0].level == 1 and sum(h.level == 1 for h in heads) == 1 else None
    title_text = (fm[1].get("title", "") if fm else "") + " " + (title.text if title else "")
    below = [h for h in heads if h is not title]
    if not below:
        return None
    level = min(h.level for h in below)
    sections = [h for h in below if h.level == level]
    every = bool(POST_NOUNS.search(title_text))
    chosen = [h for h in sections if every or POST_WORDS.search(h.text) or THREAD_WORDS.search(h.text)]
    if len(chosen) < current_settings().draft_min_markers or len(chosen) * 2 < len(sections):
        return None  # (a README's `# Show context for a toot` among thirty sections names no post)
    layout = Layout(format="markdown-titled")
    drop_head(doc, layout, first=sections[0].start)
    counts = Counter(label for line in doc.lines if (label := _label_alone(line)) is not None)
    fields = {label for label, n in counts.items() if n >= 2}
    for h in chosen:
        stop = next((x.start for x in heads if x.start > h.start and x.level <= h.level), len(doc.lines))
        if any(h.start < x.start < stop for x in heads):
            continue
        first = doc.next_content(h.start + 1)
        if first is None or first >= stop:
            continue
        layout.dropped[h.start] = "title"
        first, last = _labelled_body(doc, layout, first, _last_content(doc, first, stop - 1), fields)
        if first is not None:
            layout.posts.extend(_marked_paragraphs(doc, first, last))
    if not layout.posts:
        return None
    _notes(doc, layout)
    return layout


def _label_alone(line: str) -> str | None:
    """The label of a line that is a label alone (`Title:`, `**Post:**`): three words at most, no marker."""
    m = _LABEL_ALONE.match(line)
    if m is None or len(m.group("label").split()) > 3 or find_marker(line) is not None:
        return None
    return m.group("label").strip().casefold()


def _labelled_body(doc: Document, layout: Layout, start: int, end: int, fields: set[str]
                   ) -> tuple[int | None, int]:
    """A section's post within lines start..end: where labels alone on their lines (`Title:`, `Body:`)
    part it into fields (a body's label, or one the plan gives several posts: `fields`), the body
    field's lines up to the next field, the rest metadata; where no field is the body, None (the
    section describes a post); else the section."""
    labels = {i: label for i in range(start, end + 1) if (i == start or doc.blank(i - 1))
              and (label := _label_alone(doc.lines[i])) is not None and (label in fields or label in _BODY_LABELS)}
    if not labels:
        return start, end
    body = next((i for i, label in labels.items() if label in _BODY_LABELS), None)
    if body is None:
        layout.drop(start, end, "metadata", doc)
        return None, end
    first = doc.next_content(body + 1)
    stop = next((i for i in labels if i > body), end + 1)
    if first is None or first >= stop:
        layout.drop(start, end, "metadata", doc)
        return None, end
    last = _last_content(doc, first, stop - 1)
    layout.drop(start, first - 1, "metadata", doc)
    layout.drop(last + 1, end, "metadata", doc)
    return first, last


def _marked_paragraphs(doc: Document, first: int, last: int) -> list[Post]:
    """One post of lines first..last, or the parts of a thread where paragraphs open with markers
    numbered 1, 2, 3 ... from its first line on (`1/ ...`, blank line, `2/ ...`)."""
    opened = [(i, m) for i in range(first, last + 1) if (i == first or doc.blank(i - 1))
              and (m := find_marker(doc.lines[i])) is not None and m.position in ("start", "line")]
    if not _numbered_from(opened, first):
        return [Post(first, last, item=True)]
    return [Post(i, _last_content(doc, i, opened[k + 1][0] - 1) if k + 1 < len(opened) else last,
                 marker=m, marker_line=i, item=k == 0) for k, (i, m) in enumerate(opened)]

def _numbered_from(opened: list[tuple[int, Marker]], first: int) -> bool:
    """True when the markers opening lines (line, marker) number 1, 2, 3 ... from line `first` on: a thread."""
    return (len(opened) >= 2 and opened[0][0] == first
            and [m.n for _, m in opened] == list(range(1, len(opened) + 1)))


def read_dated(doc: Document) -> Layout | None:
    """Posts kept under the dates they were posted, one Markdown heading per day:

        ### 2020-03-25                <- the day: the posts' time, dropped
        Observers were asked ...      <- a post (its paragraph)
        https://example.org/report
                                      <- a blank line: the next post of that day
        The bureau will appeal ...

    (Every heading but a title on top is a date; each paragraph or list under it is a post.)"""
    if not doc.markdown_like:
        return None
    top = doc.top()
    heads = [b for b in top if b.kind == "heading"]
    days = [b for b in heads if classify_line(b.text).kind == "date"]
    others = [b for b in heads if b not in days]
    if len(days) < current_settings().draft_min_markers or any(b.start > days[0].start for b in others):
        return None
    layout = Layout(format="markdown-dated")
    prose = {b.start for b in top if b.kind == "paragraph"}
    drop_head(doc, layout, first=days[0].start)
    bounds = [b.start for b in days] + [len(doc.lines)]
    for day, stop in zip(days, bounds[1:]):
        layout.dropped[day.start] = "title"
        for b in top:
            if day.start < b.start < stop and b.kind in ("paragraph", "item", "quote", "fence"):
                if layout.posts and layout.posts[-1].end == b.start - 1 and b.kind == "item":
                    layout.posts[-1].end = b.end  # a list goes on its post's paragraph
                    continue
                layout.posts.append(Post(b.start, b.end, item=True, posted_at=day.text.strip()))
            elif day.start < b.start < stop and b.kind == "hr":
                layout.dropped[b.start] = "separator"
    # posts are prose: lists under dates alone are a changelog's entries, no posts
    if not layout.posts or sum(p.start in prose for p in layout.posts) * 2 < len(layout.posts):
        return None
    _notes(doc, layout)
    return layout


def _label(heading: str) -> str:
    """A heading's first word: the label a series of headings shares (`Template` of `### Template A`)."""
    words = heading.strip().lstrip("#").split()
    return words[0].casefold() if words else ""


def _last_content(doc: Document, start: int, end: int) -> int:
    while end > start and doc.blank(end):
        end -= 1
    return end
