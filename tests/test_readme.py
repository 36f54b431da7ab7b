"""The README is checked by tests: its set-up commands, and every command and option it names."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from archiver.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
MAIN_JOB = "pip install -e . && archiver ingest archive.db seeds/ && archiver serve archive.db"
TESTS = "pip install -e '.[test]' && pytest"

FENCED = re.findall(r"^```[a-z]*\n(.*?)^```$", README, re.S | re.M)
INLINE = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```$", "", README, flags=re.S | re.M))
CODE = "\n".join(FENCED + INLINE)


def test_setup_commands_are_there_verbatim():
    blocks = [b.strip() for b in FENCED]
    assert MAIN_JOB in blocks
    assert TESTS in blocks
    assert README.index(MAIN_JOB) < README.index(TESTS)


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert TESTS in ci


NAMED = sorted(set(re.findall(r"(?<![\w/.-])archiver ([a-z][a-z0-9_-]*)", CODE)))


def test_readme_names_commands():
    assert {"ingest", "parse", "threads", "show", "serve", "verify"} <= set(NAMED)


@pytest.mark.parametrize("name", NAMED)
def test_every_command_named_in_the_readme_exists(name):
    assert name in cli.commands, f"README names `archiver {name}`, which the CLI does not have"


def _invocations() -> list[list[str]]:
    """`archiver ...` command lines in the README's code, each cut at a pipe or redirection."""
    out = []
    for line in CODE.splitlines():
        for m in re.finditer(r"(?<![\w/.-])archiver ([^|;&>`]*)", line):
            try:
                out.append(shlex.split(m.group(1)))
            except ValueError:
                out.append(m.group(1).split())
    return out


@pytest.mark.parametrize("argv", _invocations(), ids=lambda a: " ".join(a)[:60])
def test_every_option_named_in_the_readme_exists(argv):
    command = cli.commands.get(argv[0])
    if command is None:
        pytest.skip("checked by test_every_command_named_in_the_readme_exists")
    options = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)} | {"--help", "-h"}
    for token in argv[1:]:
        if token.startswith("-") and token != "-":
            assert token.split("=", 1)[0] in options, f"`archiver {argv[0]}` has no option {token}"
