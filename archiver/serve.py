"""Running Datasette on an archive with the project's metadata, plugins and settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import ArchiveError

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "datasette-metadata.json"
PLUGINS = ROOT / "plugins"
TEMPLATES = ROOT / "plugins" / "templates"
SETTINGS = {"sql_time_limit_ms": 3000, "max_returned_rows": 1000, "default_page_size": 50}


def datasette_args(db: str | os.PathLike[str], port: int = 8001, public: bool = False) -> list[str]:
    """The datasette command line for serving this archive."""
    if not Path(db).exists():
        raise ArchiveError(f"{db}: no such archive (run `archiver ingest {db} PATH` first)")
    args = [sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port)]
    if METADATA.exists():
        args += ["--metadata", str(METADATA)]
    if PLUGINS.exists():
        args += ["--plugins-dir", str(PLUGINS)]
    if TEMPLATES.exists():
        args += ["--template-dir", str(TEMPLATES)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    if public:
        args += ["--setting", "default_allow_sql", "off"]
    return args


def run_datasette(args: list[str]) -> None:
    """Replace this process with Datasette."""
    os.execv(args[0], args)
