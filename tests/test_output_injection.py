"""Issue J.12: nothing taken from an input prints a line of its own or reaches a page as markup.

A file name may hold a line end or a terminal escape (`$'evil\\nError: fake.png'`): every message
that names it shows it escaped on its one line. The Markdown export (`show --format markdown`,
the thread page's `.md`) escapes what could start markup in the archived text, so raw HTML,
`<script>`, images and `[x](javascript:...)` links render as the text they are.
"""

from __future__ import annotations

import html.parser
import re
import sqlite3
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_helpers import SEED_FILES, run, run_subprocess
from archiver.errors import one_line
from archiver.queries import Sighting, StoredThread, ThreadPart
from archiver.render import markdown_text, render_markdown, render_text

EVIL = "evil\nError: fake.png"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_one_line_escapes_line_ends_controls_and_bidi():
    assert one_line(EVIL) == "evil\\nError: fake.png"
    assert one_line("a\r\x1b[2Jb\u2028c\u202ed\x85") == "a\\r\\x1b[2Jb\\u2028c\\u202ed\\x85"
    assert one_line("Выборы 🧵 café\ttab") == "Выборы 🧵 café\\ttab"


def test_a_file_name_with_a_line_end_cannot_forge_an_error_line(tmp_path):
    path = tmp_path / EVIL
    path.write_bytes(PNG)
    proc = run_subprocess("ingest", tmp_path / "a.db", path)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert len(_lines(err)) == 1, err
    assert err.startswith("Error: ") and "evil\\nError: fake.png" in err


def test_a_skipped_file_in_a_folder_is_reported_on_one_line(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / EVIL).write_bytes(PNG)
    (folder / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
    result = run("ingest", tmp_path / "a.db", folder)
    assert result.exit_code == 0, result.output
    assert not any(line.startswith("Error:") for line in result.output.splitlines()), result.output
    skipped = [line for line in result.stdout.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and "evil\\nError: fake.png" in skipped[0]


def _archive_with_evil_name(tmp_path):
    """A text file named with a line end, ingested: its name is stored on the source row."""
    name = "post\nError: forged\x1b[31m.txt"
    path = tmp_path / name
    path.write_bytes(SEED_FILES[0].read_bytes())
    db = tmp_path / "a.db"
    assert run("ingest", db, path).exit_code == 0
    (path.parent / "copy.txt").write_bytes(SEED_FILES[0].read_bytes() + b"\nmore\n")
    assert run("ingest", db, path.parent / "copy.txt").exit_code == 0
    tid = sqlite3.connect(db).execute("select id from threads order by parts desc limit 1").fetchone()[0]
    return db, tid


def test_stored_names_are_escaped_in_show_duplicates_and_verify(tmp_path):
    db, tid = _archive_with_evil_name(tmp_path)
    shown = "post\\nError: forged\\x1b[31m.txt"
    for args, name in ((("show", db, tid), shown), (("duplicates", db), shown),
                       (("show", db, tid, "--format", "markdown"), markdown_text(shown))):
        out = run(*args).output
        assert not any(line.lstrip().startswith("Error: forged") for line in out.splitlines()), args
        assert "\x1b" not in out
        assert name in out, args
    conn = sqlite3.connect(db)
    conn.execute("update sources set sha256 = 'x' where name like 'post%'")  # a problem naming it
    conn.commit()
    result = run("verify", db)
    assert result.exit_code == 1
    assert not any(line.startswith("Error: forged") for line in result.output.splitlines())
    assert "post\\nError: forged" in result.output


# --- the Markdown export -------------------------------------------------------------------------

def _thread(texts: list[str], title: str = "Title", author: str | None = "@ann", url: str | None = None,
            source: str = "dump.txt") -> StoredThread:
    parts = [ThreadPart(n=i + 1, fragment_id=f"f{i}", text=t, inferred=False, marker=None, conflict=False,
                        author=None, posted_at=None,
                        sightings=[Sighting(1, source, "ab" * 32, i + 1, i + 1)]) for i, t in enumerate(texts)]
    return StoredThread(id="0123456789ab", kind="thread", title=title, author=author, url=url,
                        total=len(texts) + 1, missing=[len(texts) + 1], complete=False, parts=parts)


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[here](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<div>\n<b>raw block</b>\n</div>",
    "&lt;script&gt; and &#60;b&#62;",
    "[x](<javascript:alert(1)>)",
    "`code` *em* _em_ # heading\n# heading\n- list\n1. list\n---",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_export_passes_no_markup_through(text):
    out = render_markdown(_thread([text], title=text, author=text, url="javascript:alert(1)", source=text))
    assert_inert(out)


def test_markdown_export_keeps_ordinary_text_as_written():
    text = "1/5 The police detained four activists in Almaty on Monday. Read https://x.com/a_b/status/1?s=2&t=3"
    out = render_markdown(_thread([text], url="https://x.com/a_b/status/1"))
    assert f"> {text}" in out and "<https://x.com/a_b/status/1>" in out


def test_show_markdown_escapes_what_was_archived(tmp_path):
    dump = tmp_path / "dump.txt"
    dump.write_text("1/2 Officials said <script>alert(1)</script> was all [here](javascript:alert(1)).\n\n"
                    "2/2 Then <img src=x onerror=alert(2)> followed.\n", encoding="utf-8")
    db = tmp_path / "a.db"
    assert run("ingest", db, dump).exit_code == 0
    tid = sqlite3.connect(db).execute("select id from threads").fetchone()[0]
    out = run("show", db, tid, "--format", "markdown").stdout
    assert "\\<script\\>" in out and "\\<img" in out and "\\](javascript:" in out  # shown, escaped
    assert not re.search(r"(?<!\\)(<script|<img|\]\(javascript:)", out)
    assert_inert(out)


# What a Markdown renderer makes of the export: only the markup the export writes itself.
ALLOWED_TAGS = {"h1", "p", "blockquote", "strong", "em", "code", "sub", "br", "a"}


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_inert(markdown: str) -> None:
    """Rendered (markdown-it-py, CommonMark with raw HTML and any link allowed, as a permissive site
    renders it),
    the export holds no tag it did not write and no link but an http(s) one; without a renderer,
    every `<`, `[` and `]` in it is escaped except the export's own `<sub>` and `[part n missing]`."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # the structural check: what a renderer would need to make markup
        own = re.sub(r"</?sub>|\[part \d+(/\d+)? missing\]|<https?://[^\s<>]+>", "", markdown)
        assert not re.search(r"(?<!\\)[<\[\]]", own), markdown
        return
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # markdown-it drops javascript: links itself; other renderers do not
    rendered = md.render(markdown)
    parser = _Tags()
    parser.feed(rendered)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, rendered)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, rendered)
            if name in ("href", "src"):  # (so never javascript:, data: or vbscript:)
                assert re.match(r"https?://", unescape(value or "").strip(), re.I), (value, rendered)


_meta = st.sampled_from(["<", ">", "[", "]", "(", ")", "!", "`", "*", "_", "&", "#", "\\", ":", "/", "\"", "'",
                         "=", "-", "+", "~", "|", " ", "\n", "\t", "    ", "1.", "javascript:", "JaVaScRiPt:",
                         "script", "<script>", "</script>", "](javascript:alert(1))", "<img src=x onerror=alert(1)>",
                         "http://", "https://x.com/", "<!--", "-->", "<![CDATA[", "&lt;", "&#60;", "&#x3c;",
                         "<a href='javascript:alert(1)'>", "<?php", "<b>", "a", "word", "é", "🧵", "\x00", "\r"])
_hostile_text = st.lists(st.one_of(_meta, st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_hostile_text, min_size=1, max_size=4), _hostile_text, _hostile_text, _hostile_text,
       st.one_of(st.none(), _hostile_text))
def test_markdown_export_of_any_text_renders_no_tag_and_no_script_link(texts, title, author, source, url):
    assert_inert(render_markdown(_thread(texts, title=title, author=author, url=url, source=source)))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L", "N", "Zs"), exclude_characters="\u2028\u2029"), max_size=80))
def test_plain_words_are_not_escaped(text):
    assert markdown_text(text) == text


def test_render_text_shows_control_characters_escaped():
    out = render_text(_thread(["ok"], title="T\x1b[2J", author="@a\nError: x", source=EVIL))
    assert "\x1b" not in out and not any(line.startswith("Error:") for line in out.splitlines())
    assert "by @a\\nError: x" in out and "evil\\nError: fake.png lines 1-1" in out


async def test_thread_page_markdown_export_escapes_what_was_archived(tmp_path):
    """The thread page's `.md` (plugins/thread_page.py) is the same export, served to anyone."""
    from site_helpers import make_datasette

    dump = tmp_path / "dump.txt"
    dump.write_text("1/2 Officials said <script>alert(1)</script> was all [here](javascript:alert(1)).\n\n"
                    "2/2 Then <img src=x onerror=alert(2)> followed.\n", encoding="utf-8")
    db = tmp_path / "archive.db"
    assert run("ingest", db, dump).exit_code == 0
    tid = sqlite3.connect(db).execute("select id from threads").fetchone()[0]
    r = await make_datasette(db).client.get(f"/-/threads/{tid}.md")
    assert r.status_code == 200 and "\\<script\\>" in r.text
    assert_inert(r.text)
