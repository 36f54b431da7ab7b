"""Every weight and threshold of reconstruction, in one place.

Reconstruction reads them from the `Settings` in force: `DEFAULT` unless a caller passes its own
(`parse_text(text, settings=Settings(post_limit=500))`, `parse_sources(..., settings=...)`,
`reconstruct_text(text, settings=...)`). The public entry points set it for the length of the call
(`using`), and the modules below them read it with `current()`, so the dozens of functions in
between need not pass it along; worker processes are handed it explicitly.

The weights are log-odds-like scores added up by the decoder (`reconstruct._best_plan`): positive
favours a cut between two units, negative favours keeping them together. They were chosen on
`../shared/eval/dev` and on the tune half of `eval/realworld`, and confirmed on sets that played
no part in the choice (docs/reconstruction.md gives the figures).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Mapping


@dataclass(frozen=True)
class Settings:
    """The weights and thresholds of reconstruction (weighted characters count a link as 23, as X does)."""

    # --- cutting posts (segment, reconstruct) ---
    post_limit: int = 304  # weighted characters: longer is very likely two posts (X allows 280, and a media link of 23 after them)
    # the evidence for a cut in each kind of gap between two units: a single blank line is no
    # evidence on its own (posts hold paragraphs), two are
    gap_none: float = -3.0  # the next line continues the sentence (no line break in the post's text)
    gap_line: float = -1.5  # a line break
    gap_wrap: float = 0.5  # a line break after a line filled to the post's width
    gap_spacer: float = -0.5  # an invisible spacer line (U+2800 and alike)
    gap_blank: float = -0.25  # one blank line
    gap_after_link: float = -0.75  # a line break after a line that ends in a link (a post's links close it)
    gap_blank2: float = 2.5  # two blank lines or more
    gap_date: float = 1.0  # a date line
    gap_other: float = 3.0  # any other gap (chrome, a separator, a status URL): strong evidence of a cut
    # in a thread whose markers show spacer lines between posts and blank lines inside them
    gap_spaced_spacer: float = 2.5  # a spacer there parts two posts
    gap_spaced_blank: float = -3.0  # a blank line there parts two paragraphs of one post
    gap_copied: float = 4.0  # before a text pasted again further on: it is a whole post, so it opens one
    lowercase_start: float = -1.0  # a unit starting in lower case continues the sentence above
    open_end: float = -0.5  # a unit ending without sentence punctuation runs on
    overlong: float = -8.0  # per post_limit a post runs over
    short_unit: int = 50  # a unit this short (a link, "Paper: <LINK>") rarely stands as a post ...
    short_start: float = -1.5  # ... so a post starting with one is unlikely
    tiny_post: float = -2.0  # a post that is only a link or a few words
    entities_start: float = -1.5  # a post that opens with a line of mentions, hashtags and links only
    chrome_layout_blank: float = -8.0  # in a copy of the web UI, chrome separates posts; blank lines do not
    # --- filling numbers (reconstruct) ---
    reward_head: float = 2.5  # an unmarked post right before a new chain's first marker: its missing part 1
    reward_known: float = 0.2  # a post that fills a number the arithmetic says exists (often simply missing)
    # a post after the last marker: the total allows it, nothing after confirms it; as unlikely as an
    # open post (a dump that stops after part 4 of 7 mostly holds the rest of part 4, not an unmarked 5)
    reward_end: float = -1.0  # a post after the last marker of a thread that declared its total
    reward_open: float = -1.0  # a new post where no number is known to be missing
    orphan: float = -0.75  # a unit left out of every numbered post (it starts an unnumbered thread)
    orphan_units: int = 2  # ... counted up to this many: a longer run left out is the next thread's opening
    orphan_between: float = -3.0  # more per unit left out between two consecutive numbers of one thread (it is theirs)
    dp_limit: int = 80  # beyond this many free units between anchors, cut greedily
    open_chains: int = 64  # how far back an interleaved thread can be picked up again
    self_thread_hours: float = 12.0  # an author's posts further apart than this (header times) are separate posts
    repaste_min_chars: int = 30  # a shorter text pasted again is not told apart from a common line
    # --- markers ---
    max_total: int = 500  # a larger number is not a thread's part number
    # --- chrome ---
    max_classify: int = 300  # lines longer than this are content, whatever they start with
    max_chrome: int = 120  # ... and longer than this, unless they start like `Replying to`
    # --- articles and titles ---
    article_line: int = 400  # weighted characters: a line this long is prose, not a post
    prose_line: int = 280  # in a text with no thread signals, lines this long make it prose
    article_paragraphs: int = 6  # on a page, this many paragraphs, two of them prose-long, are an article
    title_max: int = 200  # a longer line is not a title
    # --- capture formats ---
    markdown_min: int = 1_000  # weighted characters: shorter Markdown is a post or a draft, not an article
    post_line: int = 280  # ... unless two of its paragraphs are longer than a post
    post_block: int = 450  # rules that cut a text into blocks of about this size cut posts, not sections
    fenced_post_max: int = 3_000  # weighted characters: a longer text in a code fence of its own is no post
    chrome_max: int = 2  # Markdown with more chrome lines is a copied web page, read by the page formats
    markdown_max_chars: int = 500_000  # larger texts are read as plain text (markdown-it-py is slow on them)
    sample_lines: int = 4_000  # a layout shows in a text's first lines: recognising it reads no further
    draft_min_markers: int = 2  # markup markers a draft needs before its headings and emphasis number posts
    frame_lines: int = 4  # distinct lines of a saved x.com page's frame (sign-in prompt, sidebar) that recognise it

    @cached_property
    def gap_scores(self) -> Mapping[str, float]:
        """The gap weights by the gap's kind (segment.Unit.gap)."""
        return {"none": self.gap_none, "line": self.gap_line, "wrap": self.gap_wrap, "spacer": self.gap_spacer,
                "blank": self.gap_blank, "blank2": self.gap_blank2, "date": self.gap_date}


DEFAULT = Settings()
_CURRENT: ContextVar[Settings] = ContextVar("reconstruction_settings", default=DEFAULT)


def current() -> Settings:
    """The settings in force for this call (DEFAULT unless a caller passed its own)."""
    return _CURRENT.get()


@contextmanager
def using(settings: Settings | None) -> Iterator[Settings]:
    """Put `settings` in force for the block (None keeps those already in force)."""
    if settings is None:
        yield current()
        return
    token = _CURRENT.set(settings)
    try:
        yield settings
    finally:
        _CURRENT.reset(token)
