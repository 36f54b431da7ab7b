"""The test suite's own rules: shared code lives in helper modules and conftest.py, and a test that
cannot run without the shared material says so in the summary, with how to get it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_file_imports_another():
    """Helpers and fixtures shared by test files are in conftest.py or a *_helpers.py module: a
    test file imported by another runs its module-level code twice and hides what is shared."""
    found = []
    for path in sorted(TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}:{node.lineno} imports {n}" for n in names if n.split(".")[0].startswith("test_")]
    assert not found, "\n".join(found)


def test_tests_needing_the_shared_material_say_what_is_missing_and_how_to_get_it(tmp_path):
    """Run as CI runs it (pytest's own options from pyproject.toml) with no shared material: the
    summary names each skipped test with the folder it needs and where to put it."""
    missing = tmp_path / "no-shared-here"
    env = dict(os.environ, ARCHIVER_SHARED=str(missing))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider",
                           "tests/test_reconstruct.py", "tests/test_exports.py",
                           "-k", "nothing_lost or matches_gold or alrocar_55"],
                          cwd=TESTS.parent, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    skipped = [line for line in proc.stdout.splitlines() if line.startswith("SKIPPED")]
    needs = {"eval/dev", "eval/gold/003_3681a0714a60d3fd.json", "corpora/alrocar-twitter-archive/tweets.js"}
    for folder in needs:
        lines = [line for line in skipped if f"needs ../shared/{folder}:" in line]
        assert lines, f"no skip reason names ../shared/{folder}:\n{proc.stdout}"
        assert all("shared material" in line and str(missing) in line for line in lines), lines
