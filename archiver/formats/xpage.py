"""A saved x.com or twitter.com page (the web app since 2019) as the text a reader copies from it.

The posts in the page's main column are read by the plain decoder (their `Name`, `@handle`,
time and count lines are the chrome vocabulary of archiver/chrome.py). What this format adds is
the page's frame, which holds no post: the sign-in prompt and the cookie banner above the
column, and the sidebar after it (the sign-up box, people to follow, what is trending) down to
the footer. Without them the first post swallows the banner and the last the trends.

    Don’t miss what’s happening              <- the frame: dropped up to the column's first header
    People on X are the first to know.
    Conversation
    Aigerim N.                               <- the first post (read by the plain decoder)
    @aigerim_monitor
    The court fined the bureau today.
    New to X?                                <- the sidebar: dropped down to the footer
    Trending now
    © 2025 X Corp.
"""

from __future__ import annotations

import regex

from ..settings import current as current_settings
from . import Layout
from .document import Document

# Lines of the frame the app draws around the column, in any position.
_FRAME = regex.compile(
    r"^(?:don[’']t miss what[’']s happening|people on (?:x|twitter) are the first to know\.?|log in|sign up|"
    r"did someone say … cookies\?|(?:x|twitter) and its partners use cookies .{0,400}|show more about your choices\.?|"
    r"accept all cookies|refuse non-essential cookies|explore|settings|home|notifications|messages|"
    r"see new (?:posts|tweets)|conversation|post|tweet|"
    r"new to (?:x|twitter)\?|sign up now to get your own personalized timeline!?|sign up with (?:apple|google)|"
    r"sign up with phone or email|create account|by signing up, you agree to the terms of service.{0,200}|"
    r"relevant people|click to follow \S{1,15}|trending now|what[’']s happening|who to follow|"
    r"trending in .{1,40}|trending with .{1,60}|.{1,40} · trending|[\d.,]+[km]? (?:posts|tweets)|"
    r"terms of service|privacy policy|cookie policy|accessibility|ads info|more|\||imprint|"
    r"(?:terms of service)?privacy policy.{0,80}|© \d{4} (?:x corp\.?|twitter, inc\.?)|"
    # the label of a count the page puts on its own line under the number
    r"retweets|quote tweets|likes|bookmarks|reposts|quotes|views|"
    # the people tagged in a photo
    r".{1,60} and \d{1,4} others)$",
    regex.IGNORECASE)
# Where the sidebar starts: it runs from here down to the footer.
_SIDEBAR = regex.compile(r"^(?:new to (?:x|twitter)\?|relevant people|trending now|what[’']s happening)$",
                         regex.IGNORECASE)
_FOOTER = regex.compile(r"^(?:© \d{4} (?:x corp\.?|twitter, inc\.?)|(?:terms of service)?privacy policy.{0,80})$",
                        regex.IGNORECASE)
# A cheap first test: one of these is in the frame of every such page.
_SIGNS = ("first to know", "New to X?", "New to Twitter?", "X Corp.", "Twitter, Inc.", "Trending now", "Relevant people")
_HANDLE_LINE = regex.compile(r"^@\w{1,15}$")


def read(doc: Document) -> Layout | None:
    """The frame of a saved x.com page as dropped chrome, or None for any other text."""
    lines = doc.lines
    tail = "\n".join(lines[-200:])
    if not any(sign in doc.sample or sign in tail for sign in _SIGNS):
        return None
    frame = [i for i, line in enumerate(lines) if len(line) < 500 and _FRAME.match(line.strip())]
    if len({lines[i].strip().casefold() for i in frame}) < current_settings().frame_lines:
        return None
    layout = Layout(format="x-web")
    # the column starts with its first post's header: a handle alone on its line
    first = next((i for i, line in enumerate(lines) if _HANDLE_LINE.match(line.strip())), len(lines))
    head = [i for i in frame if i < first]
    if head:
        layout.drop(0, head[-1], "chrome", doc)
    side = next((i for i in range(first, len(lines)) if _SIDEBAR.match(lines[i].strip())), None)
    if side is not None:
        footer = max((i for i in range(side, len(lines)) if _FOOTER.match(lines[i].strip())), default=None)
        layout.drop(side, footer if footer is not None else len(lines) - 1, "chrome", doc)
    for i in frame:
        layout.dropped[i] = "chrome"
    return layout
