"""Static checks: no undefined names, unused imports or unreachable leftovers in the project's code."""

import io
from pathlib import Path

import pytest

pyflakes_api = pytest.importorskip("pyflakes.api")
from pyflakes.reporter import Reporter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [ROOT / "archiver", ROOT / "plugins", ROOT / "tests", *sorted((ROOT / "benchmarks").glob("*.py"))]


def test_pyflakes_finds_nothing():
    out, err = io.StringIO(), io.StringIO()
    warnings = pyflakes_api.checkRecursive([str(p) for p in CHECKED], Reporter(out, err))
    assert (warnings, err.getvalue()) == (0, ""), out.getvalue()


def test_pyflakes_would_catch_an_undefined_name(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    return batch\n")
    out = io.StringIO()
    assert pyflakes_api.checkRecursive([str(bad)], Reporter(out, io.StringIO())) == 1
    assert "undefined name 'batch'" in out.getvalue()
