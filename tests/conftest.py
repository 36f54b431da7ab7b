"""Fixtures shared by the test files. Plain helpers are in tests/archive_helpers.py (the CLI, an
archive's tables, generated dumps) and tests/site_helpers.py (the published side).

`archive` is the published test archive, built once per test module; a module that needs another
archive defines its own `archive`, and `ds` then serves that one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from datasette.app import Datasette

from site_helpers import build_archive, make_datasette


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The seeds and four small dumps (site_helpers.build_archive), all public, built by the real ingest."""
    return build_archive(tmp_path_factory.mktemp("archive") / "archive.db")


@pytest.fixture
def ds(archive) -> Datasette:
    """An in-process Datasette serving the module's `archive` with the project's metadata, plugins
    and templates."""
    return make_datasette(archive)
