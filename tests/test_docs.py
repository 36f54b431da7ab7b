"""Help texts say what they are about: the benchmarks' --help, the command list of `archiver --help`;
and the canned queries are SQL files a person can read.

(The README and docs/*.md are checked by tests/test_readme.py.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted((ROOT / "benchmarks").glob("*.py"))
# A piece of work's name (`issue G`, `(J3)`, `issue J item 11`) tells a reader nothing of what is measured.
WORK_NAME = re.compile(r"\b[Ii]ssues? [A-Z]\b|\([A-Z]\d*\)|\b[Ii]tem \d+\b")


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    """Every call of a function or method called `name`."""
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and getattr(n.func, "attr", getattr(n.func, "id", None)) == name]


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.name)
def test_benchmarks_say_what_they_measure_not_which_issue(path):
    """The --help texts, docstrings and comments of the benchmarks name no issue letters."""
    text = path.read_text(encoding="utf-8")
    named = [m.group(0) for m in WORK_NAME.finditer(text)]
    assert not named, f"{path.name} names pieces of work instead of what it measures: {named}"
    assert ast.get_docstring(ast.parse(text)), f"{path.name} has no docstring"


@pytest.mark.parametrize("path", [p for p in BENCHMARKS if "argparse" in p.read_text(encoding="utf-8")],
                         ids=lambda p: p.name)
def test_every_benchmark_option_has_help(path):
    """`--help` describes the benchmark and every option."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for parser in _calls(tree, "ArgumentParser"):
        assert any(k.arg == "description" for k in parser.keywords), f"{path.name}: --help has no description"
    for call in _calls(tree, "add_argument"):
        name = next((a.value for a in call.args if isinstance(a, ast.Constant)), "?")
        assert any(k.arg == "help" for k in call.keywords), f"{path.name}: {name} has no help text"


def test_the_command_list_shows_each_summary_whole():
    """`archiver --help` at 80 columns lists each command with the first line of its docstring, a
    complete sentence: click cuts a longer one mid-sentence ("Archive dumps: keep each raw...")."""
    from click.testing import CliRunner

    from archiver.cli import cli

    out = CliRunner().invoke(cli, ["--help"], terminal_width=80).output
    listed = dict(line.split(None, 1) for line in out.split("Commands:\n", 1)[1].splitlines() if line.strip())
    assert set(listed) == set(cli.commands)
    for name, summary in listed.items():
        first_line = cli.commands[name].help.strip().splitlines()[0]
        assert summary == first_line, f"archiver {name}: the list shows {summary!r} of {first_line!r}"
        assert summary.endswith("."), f"archiver {name}: {summary!r} is not a sentence"


@pytest.mark.parametrize("path", sorted((ROOT / "plugins" / "queries").glob("*.sql")), ids=lambda p: p.name)
def test_canned_queries_are_readable_sql_files(path):
    """One clause or expression per line, as a person writes SQL (the queries were once one-line JSON
    strings of 1.6-1.9 KB in datasette-metadata.json; tests/test_publishing.py checks they left it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if line.strip() and not line.startswith("--")]) >= 3
    long = [f"line {i}: {len(line)} characters" for i, line in enumerate(lines, 1) if len(line) > 110]
    assert not long, f"{path.name}: {long}"
