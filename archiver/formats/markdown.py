"""What every Markdown capture shares: its head (front matter, title, rules) and its vocabulary."""

from __future__ import annotations

import regex

from ..chrome import classify_line
from . import Layout
from .document import Document

# Front-matter keys that describe the source (web clippers, static-site generators, note apps).
META_KEYS = {"title": "title", "source": "source", "url": "source", "link": "source", "original_url": "source",
             "author": "author", "authors": "author", "handle": "author", "published": "published",
             "date": "published", "date_published": "published", "created": "created", "date_saved": "created"}
# A document that says it holds a thread (its title or first post): `🧵`, "thread", "тред" ...
# (Japanese and Korean words take particles and suffixes with no space: `スレッド形式`, `스레드를`.)
THREAD_WORDS = regex.compile(r"🧵|スレッド|스레드|\b(?:thread|threads|тред|ветка|треде|hilo|线程|串|unroll)\b",
                              regex.IGNORECASE)
# A document that says it holds posts: a word for a post (a reply to be posted is one), or a
# platform's name, in its title or headings (`# Discord Launch Posts`, `## V2EX`, `# 微博短文`,
# `## 投稿内容`, `## Comment reply: ...`). CJK words match inside a
# longer word; the others as words.
_CJK_POST = r"投稿|推文|帖|貼文|贴文|文案|게시물|트윗|ツイート|ポスト"
_POST = r"posts?|tweets?|toots?|skeets?|пост(?:ы|а|ов)?|твит(?:ы|а|ов)?|beitr[aä]ge?|publicaci[oó]n(?:es)?"
POST_WORDS = regex.compile(
    rf"{_CJK_POST}|微博|微信|朋友圈|掘金|小红书|知乎|"
    rf"\b(?:{_POST}|threads?|reply|"
    r"publications?|twitter|x\.com|linkedin|reddit|hacker\s?news|hn|discord|v2ex|facebook|instagram|"
    r"bluesky|mastodon|telegram|weibo|wechat|xiaohongshu|rednote|ptt|line|vk|habr|qiita|zenn|product\s?hunt)\b",
    regex.IGNORECASE)
# The words for a post alone, without the platforms' names: a title that says its document holds
# a post (`# 中文首发帖`, `# Launch post`), not one that names a tool for a platform (`# Mastodon Archive`).
POST_NOUNS = regex.compile(rf"{_CJK_POST}|\b(?:{_POST})\b", regex.IGNORECASE)
_IMAGE_LINE = regex.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")


def drop_head(doc: Document, layout: Layout, first: int) -> int:
    """Drop the head of a document above line `first`: front matter (read into `layout.meta`),
    then titles, rules, images and status URLs up to the first line of text. Returns the last line
    of the head (-1 when there is none)."""
    end = -1
    fm = doc.front_matter
    if fm is not None:
        last, fields = fm
        for key, value in fields.items():
            if key in META_KEYS and value and META_KEYS[key] not in layout.meta:
                layout.meta[META_KEYS[key]] = value
        layout.drop(0, last, "metadata", doc)
        end = last
    headings = {b.start for b in doc.blocks if b.kind == "heading"}
    rules = {b.start for b in doc.blocks if b.kind == "hr"}
    i = end + 1
    while i < min(first, len(doc.lines)):
        if doc.blank(i):
            i += 1
            continue
        line = doc.lines[i]
        if i in headings:
            layout.dropped[i] = "title"
            layout.meta.setdefault("title", line.strip().lstrip("#").strip())
        elif i in rules:
            layout.dropped[i] = "separator"
        elif _IMAGE_LINE.match(line):
            layout.dropped[i] = "metadata"
        elif classify_line(line).kind == "status":
            layout.dropped[i] = "url"
            layout.meta.setdefault("source", line.strip().strip("<>"))
        else:
            break
        end = i
        i += 1
    return end


def thread_context(doc: Document, layout: Layout, first: int) -> bool:
    """True when the document says it holds a thread: in its title, in any heading (`## Tweet 2
    (thread — the problem)`), or in the first lines from `first` on."""
    texts = [layout.meta.get("title", "")]
    texts += [b.text for b in doc.blocks if b.kind == "heading"]
    texts += doc.lines[first:first + 6]
    return any(THREAD_WORDS.search(t) for t in texts)


def posts_context(doc: Document) -> bool:
    """True when the document says it holds posts: in its front matter's title or in a heading of
    the first two levels (a README's `### Each post -> a file` is about posts, not a plan of them)."""
    fm = doc.front_matter
    texts = [fm[1].get("title", "") if fm else ""] + [b.text for b in doc.blocks
                                                      if b.kind == "heading" and b.level <= 2]
    return any(POST_WORDS.search(t) for t in texts)
