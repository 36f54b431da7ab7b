"""The README and docs/*.md are checked by tests: the set-up commands, every example session run
again (its output must be what the file shows), every command and option named, every link."""

from __future__ import annotations

import difflib
import re
import shlex

import pytest

from archiver.cli import cli
from update_readme import ROOT, comparable, documents, regenerate

README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
DOCS = [README_PATH, *sorted((ROOT / "docs").glob("*.md"))]
MAIN_JOB = "pip install -e . && archiver ingest archive.db seeds/ && archiver serve archive.db"
TESTS = "pip install -e '.[test]' && pytest"


def fenced(text: str) -> list[str]:
    """The contents of the fenced code blocks."""
    return re.findall(r"^```[a-z]*\n(.*?)^```$", text, re.S | re.M)


def code(text: str) -> str:
    """Every fenced block and every inline `code` span, one after the other."""
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```$", "", text, flags=re.S | re.M))
    return "\n".join(fenced(text) + inline)


CODE = {path.relative_to(ROOT).as_posix(): code(path.read_text(encoding="utf-8")) for path in DOCS}


def test_setup_commands_are_there_verbatim():
    blocks = [b.strip() for b in fenced(README)]
    assert MAIN_JOB in blocks
    assert TESTS in blocks
    assert README.index(MAIN_JOB) < README.index(TESTS)


def test_setup_commands_come_first():
    """The first two code blocks of the README are the set-up commands: usage before anything else."""
    assert [b.strip() for b in fenced(README)[:2]] == [MAIN_JOB, TESTS]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TESTS in ci


def test_readme_fits_on_a_few_screens():
    assert len(README.encode("utf-8")) <= 10_000


NAMED = sorted({(doc, name) for doc, text in CODE.items()
                for name in re.findall(r"(?<![\w/.-])archiver ([a-z][a-z0-9_-]*)", text)})


def test_readme_names_commands():
    assert {"ingest", "parse", "threads", "show", "serve", "verify"} <= {n for d, n in NAMED if d == "README.md"}


@pytest.mark.parametrize("doc,name", NAMED, ids=lambda v: v)
def test_every_command_named_in_the_docs_exists(doc, name):
    assert name in cli.commands, f"{doc} names `archiver {name}`, which the CLI does not have"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name):
    """docs/cli.md has a section for every command (a new command needs its documentation)."""
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"^## `archiver {name}\b", reference, re.M), f"docs/cli.md has no section for `archiver {name}`"


def _invocations() -> list[tuple[str, list[str]]]:
    """(file, argv) for every `archiver ...` command line in the docs' code, cut at a pipe or redirection."""
    out = []
    for doc, text in CODE.items():
        for line in text.splitlines():
            for m in re.finditer(r"(?<![\w/.-])archiver ([^|;&>`]*)", line):
                try:
                    out.append((doc, shlex.split(m.group(1))))
                except ValueError:
                    out.append((doc, m.group(1).split()))
    return out


@pytest.mark.parametrize("doc,argv", _invocations(), ids=lambda v: v if isinstance(v, str) else " ".join(v)[:60])
def test_every_option_named_in_the_docs_exists(doc, argv):
    command = cli.commands.get(argv[0])
    if command is None:
        pytest.skip("checked by test_every_command_named_in_the_docs_exists")
    options = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)} | {"--help", "-h"}
    for token in argv[1:]:
        if token.startswith("-") and token != "-":
            assert token.split("=", 1)[0] in options, f"{doc}: `archiver {argv[0]}` has no option {token}"


def slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


LINKS = [(path.relative_to(ROOT).as_posix(), target) for path in DOCS
         for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8"))
         if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("doc,target", LINKS, ids=lambda v: v)
def test_every_link_in_the_docs_leads_somewhere(doc, target):
    """A relative link names a file that exists, and a #fragment a heading of that file."""
    file, _, fragment = target.partition("#")
    path = (ROOT / doc).parent / file if file else ROOT / doc
    assert path.exists(), f"{doc} links to {target}: no such file"
    if fragment:
        headings = re.findall(r"^#+ (.+)$", re.sub(r"^```.*?^```$", "", path.read_text(encoding="utf-8"),
                                                        flags=re.S | re.M), re.M)
        assert fragment in {slug(h) for h in headings}, f"{doc} links to {target}: no such heading"


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_session_prints_what_the_docs_show(path):
    """Every `$ command` in a fenced block is run again (as tests/update_readme.py does): the file
    must show what it prints, but for the sign-in token, a snapshot's sha256 and process ids."""
    shown = path.read_text(encoding="utf-8")
    fresh = regenerate(shown)
    if comparable(fresh) != comparable(shown):
        diff = "".join(difflib.unified_diff(comparable(shown).splitlines(True), comparable(fresh).splitlines(True),
                                            "shown", "printed now", n=1))
        pytest.fail(f"{path.relative_to(ROOT)} shows output its commands no longer print "
                    f"(run `python tests/update_readme.py`, check and commit the result):\n{diff}")
