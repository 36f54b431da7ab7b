"""Running Datasette on an archive with the project's metadata, plugins and settings.

Private material is hidden from anonymous visitors by the `visitor_access` plugin in every mode
(archiver/public_views.py, plugins/visitor_access.py). A reader signs in with datasette-auth-passwords when
ARCHIVER_PASSWORD_HASH is set; on one's own machine (no `--public`) Datasette also prints a
one-time sign-in link (`--root`). `--public` turns arbitrary SQL off for everyone, and refuses an
archive holding private sources unless sign-in is configured (else nobody could read them).

The metadata, plugins and templates are found where the installed package has them (see
`site_root`); `serve` refuses to start when the visitor_access plugin (or the limits plugin, which bounds
what one request may cost) is missing or cannot be loaded, rather than publishing without it.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
from pathlib import Path

from .errors import ArchiveError
from .public_views import private_source_count
from .signin import PASSWORD_ENV, auth_configured, auth_plugin_installed

PACKAGE = Path(__file__).resolve().parent
# Where the Datasette side lives, in the same layout in both places: `datasette-metadata.json`,
# `plugins/*.py` and `plugins/templates/`. A built wheel carries them as package data under
# archiver/_site (pyproject.toml maps the top level there); a source checkout, and so an editable
# install, has them at its top level, next to archiver/.
WHEEL_SITE = PACKAGE / "_site"
CHECKOUT_SITE = PACKAGE.parent
# Plugins without which the archive must not be published: each name -> a hook it must define.
REQUIRED_PLUGINS = {"visitor_access": "permission_allowed", "limits": "prepare_connection"}
# suggest_facets off: a table page would otherwise group every column of the table to suggest
# facets, a query per column, each reading every value of it (a source's whole content), and one
# value past the limits plugin's length limit would make the whole page an error.
SETTINGS = {"sql_time_limit_ms": 3000, "max_returned_rows": 1000, "default_page_size": 50,
            "suggest_facets": "off"}
# glibc returns a freed block to the system only when it was mmap'd, and by default raises the mmap
# threshold (up to 32 MiB) after each large free: the multi-MiB values of a big result would then be
# kept by each SQL thread's arena, and the server's memory would stay at the sum of their peaks. A
# fixed threshold (which also stops that adjustment) gives them back. A value the user set wins.
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(1024 * 1024)}


def site_root() -> Path:
    """The folder holding the metadata and plugins: the wheel's package data, else the checkout's
    top level (a folder with pyproject.toml, never some other site-packages entry)."""
    if (WHEEL_SITE / "plugins").is_dir():
        return WHEEL_SITE
    if (CHECKOUT_SITE / "pyproject.toml").is_file() and (CHECKOUT_SITE / "plugins").is_dir():
        return CHECKOUT_SITE
    return WHEEL_SITE  # nothing there: check_site says what is missing


ROOT = site_root()
METADATA = ROOT / "datasette-metadata.json"
PLUGINS = ROOT / "plugins"
TEMPLATES = ROOT / "plugins" / "templates"
QUERIES = ROOT / "plugins" / "queries"  # the canned queries, one .sql file each (archiver/site_queries.py)


def canned_queries() -> dict[str, dict]:
    """The canned queries the archive is served with (plugins/queries/*.sql), as Datasette gets them."""
    from .site_queries import load_queries

    return load_queries(QUERIES)


def check_site() -> None:
    """Refuse to serve without the metadata, the templates or a required plugin that loads."""
    reinstall = "reinstall thread-archiver"
    for path in (METADATA, TEMPLATES, QUERIES):
        if not path.exists():
            raise ArchiveError(f"{path} is missing from this installation: {reinstall}")
    for name, hook in REQUIRED_PLUGINS.items():
        path = PLUGINS / f"{name}.py"
        if not path.is_file():
            raise ArchiveError(f"the {name} plugin ({path}) is missing from this installation: {reinstall};"
                               f" refusing to serve without it")
        try:
            spec = importlib.util.spec_from_file_location(f"archiver_check_{name}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        except Exception as e:  # noqa: BLE001 - whatever stops the plugin loading stops the server
            raise ArchiveError(f"the {name} plugin ({path}) cannot be loaded ({type(e).__name__}:"
                               f" {' '.join(str(e).split())});"
                               f" refusing to serve without it") from None
        if not callable(getattr(module, hook, None)):
            raise ArchiveError(f"the {name} plugin ({path}) defines no {hook} hook; refusing to serve without it")


def datasette_args(db: str | os.PathLike[str], port: int = 8001, public: bool = False) -> list[str]:
    """The datasette command line for serving this archive. Brings the archive's schema up to date
    first (an archive made before the public views existed gets them), and with `public` refuses
    an archive whose private sources no one could sign in to read, and refuses to serve without
    the metadata and the required plugins (`check_site`)."""
    if not Path(db).exists():
        raise ArchiveError(f"{db}: no such archive (run `archiver ingest {db} PATH` first)")
    prepare_archive(db)
    if public:
        check_public(db)
    check_site()
    args = [sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port),
            "--metadata", str(METADATA), "--plugins-dir", str(PLUGINS), "--template-dir", str(TEMPLATES)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    if not public:
        args += ["--root"]  # prints a one-time link signing this machine's user in as a reader
    if public:
        args += ["--setting", "default_allow_sql", "off"]
    return args


def check_public(db: str | os.PathLike[str]) -> None:
    """Refuse to publish an archive holding private sources when no reader could sign in."""
    count = private_source_count(db)
    if count and not auth_configured():
        what = f"{count} private source{'s' if count != 1 else ''}"
        if not auth_plugin_installed():
            raise ArchiveError(f"{db} holds {what} and datasette-auth-passwords is not installed: "
                               f"install it and set {PASSWORD_ENV} before serving --public")
        raise ArchiveError(f"{db} holds {what} but no reader can sign in: set {PASSWORD_ENV} "
                           f"(from `datasette hash-password`) before serving --public")


def prepare_archive(db: str | os.PathLike[str]) -> None:
    """Bring an archive's schema up to date (the public views) before Datasette opens it read-only.
    A file that is not an archive (no `sources` table) is left alone."""
    from .db import open_db

    try:
        conn = sqlite3.connect(Path(db).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            is_archive = conn.execute("select 1 from sqlite_master where type = 'table' and name = 'sources'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise ArchiveError(f"{db}: not a readable archive database ({e})") from None
    if is_archive:
        open_db(db).conn.close()


def datasette_env() -> dict[str, str]:
    """The environment to run Datasette in: this one, with the allocator setting of MALLOC_ENV."""
    return {**MALLOC_ENV, **os.environ}


def run_datasette(args: list[str]) -> None:
    """Replace this process with Datasette."""
    os.execve(args[0], args, datasette_env())
