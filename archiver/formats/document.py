"""A text as a Markdown document: its front matter and its blocks, read with markdown-it-py.

Markdown structure (fenced code, headings, lists, block quotes, rules) is read by a CommonMark
parser rather than by more regular expressions: a `#` comment inside a code fence is no heading,
a numbered list inside a post is no run of markers. Two CommonMark rules are switched off
because pasted text means something else by them: setext headings (`text` over `---` is a
paragraph and a separator) and indented code (pasted lines are often indented).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..normalize import is_blank
from ..settings import current as current_settings

# A line only Markdown (or a Markdown draft) has.
_MARKDOWN_LINE = regex.compile("|".join((
    r"^\s{0,3}(?:```|~~~)",  # a code fence
    r"^\s{0,3}#{1,6}\s+\S",  # a heading
    r"^\s*(?:\*\*|__)\S",  # an emphasised line
    r"^\s*[{【（]\s*[\d０-９]{1,3}\s*[/／]\s*[\d０-９]{0,3}\s*[}】）]\s*$",  # a braced marker line (`{2/8}`)
)))
_LIST = regex.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+\S")
_FM_FIELD = regex.compile(r"^(?P<key>[A-Za-z_][\w-]{0,40})\s*[:=]\s*(?P<value>.*)$")


@dataclass(frozen=True)
class Block:
    """A Markdown block: kind, first and last line (0-based, inclusive), nesting depth and heading level."""

    kind: str  # heading, paragraph, fence, hr, quote, item, table, html
    start: int
    end: int
    depth: int = 0  # 0 for top-level blocks; list items and quotes nest deeper
    level: int = 0  # heading level
    text: str = ""  # the inline text (headings, paragraphs)


class Document:
    """Lines of one text, with its Markdown structure worked out on first use."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def blank(self, i: int) -> bool:
        """True for a blank line (whitespace and invisible spacers only)."""
        return is_blank(self.lines[i])

    def next_content(self, i: int) -> int | None:
        """The first non-blank line at or after i."""
        while i < len(self.lines):
            if not self.blank(i):
                return i
            i += 1
        return None

    @functools.cached_property
    def sample(self) -> str:
        """The text's first lines (the settings' `sample_lines`), joined: where a format looks for its signs."""
        cfg = current_settings()
        return "\n".join(self.lines[:cfg.sample_lines])

    @functools.cached_property
    def size(self) -> int:
        """Characters of the text."""
        return sum(len(line) + 1 for line in self.lines)

    @functools.cached_property
    def front_matter(self) -> tuple[int, dict[str, str]] | None:
        """(last line, fields) of a YAML (`---`) or TOML (`+++`) front matter block opening the text."""
        first = self.next_content(0)
        if first is None or first > 2 or self.lines[first].strip() not in ("---", "+++"):
            return None
        fence = self.lines[first].strip()
        fields: dict[str, str] = {}
        for i in range(first + 1, min(len(self.lines), first + 200)):
            line = self.lines[i]
            if line.strip() == fence:
                return (i, fields) if fields else None
            m = _FM_FIELD.match(line)
            if m and not line[:1].isspace():
                fields[m.group("key").lower()] = m.group("value").strip().strip("'\"")
            elif line.strip() and not line[:1].isspace() and not line.lstrip().startswith(("-", "#", "[")):
                return None  # not key: value lines: a separator above a text, not front matter
        return None

    @functools.cached_property
    def markdown_like(self) -> bool:
        """True when the text carries Markdown structure (front matter, headings, fences, emphasis
        lines or lists) and is small enough to parse as a document."""
        cfg = current_settings()
        if self.size > cfg.markdown_max_chars:
            return False
        if self.front_matter is not None:
            return True
        strong = lists = 0
        for line in self.lines[:cfg.sample_lines]:
            if _MARKDOWN_LINE.match(line):
                strong += 1
            elif _LIST.match(line):
                lists += 1
            if strong >= 2 or (strong and lists >= 2):
                return True
        return False

    @functools.cached_property
    def blocks(self) -> list[Block]:
        """The Markdown blocks of the text (front matter left out), in line order."""
        from markdown_it import MarkdownIt

        lines = list(self.lines)
        if self.front_matter is not None:
            for i in range(self.front_matter[0] + 1):
                lines[i] = ""
        md = MarkdownIt("commonmark").disable(["lheading", "code"])
        md.core.ruler.disable(["inline", "text_join"])  # block structure only: no inline markup is read
        tokens = md.parse("\n".join(lines))
        out: list[Block] = []
        depth = 0
        for k, tok in enumerate(tokens):
            if tok.nesting == 1 and tok.type in ("blockquote_open", "list_item_open"):
                if tok.map:
                    kind = "quote" if tok.type == "blockquote_open" else "item"
                    out.append(Block(kind, tok.map[0], tok.map[1] - 1, depth))
                depth += 1
                continue
            if tok.nesting == -1 and tok.type in ("blockquote_close", "list_item_close"):
                depth -= 1
                continue
            if not tok.map or tok.nesting == -1:
                continue
            start, end = tok.map[0], tok.map[1] - 1
            if tok.type == "heading_open":
                out.append(Block("heading", start, end, depth, int(tok.tag[1:]), tokens[k + 1].content))
            elif tok.type == "paragraph_open":
                out.append(Block("paragraph", start, end, depth, 0, tokens[k + 1].content))
            elif tok.type == "fence":
                out.append(Block("fence", start, end, depth))
            elif tok.type == "hr":
                out.append(Block("hr", start, end, depth))
            elif tok.type == "table_open":
                out.append(Block("table", start, end, depth))
            elif tok.type == "html_block":
                out.append(Block("html", start, end, depth))
        return out

    def top(self) -> list[Block]:
        """The top-level blocks (list items and quotes count as top-level blocks of their own)."""
        return [b for b in self.blocks if b.depth == 0]
