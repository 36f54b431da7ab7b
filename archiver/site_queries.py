"""The canned queries the published archive offers, kept as `.sql` files with their descriptions.

Each `plugins/queries/NAME.sql` is one canned query named NAME: a front matter of `-- key: value`
comment lines, then the SQL. Keys:

    -- title: One thread, part by part
    -- description: Every part of a thread in order, ...
    --   (a line starting with `--` and two spaces continues the value above)
    -- param id: Thread id | The 12-character id shown on the thread page
    -- empty: No thread has the id “{id}”.
    -- button: Show the thread
    -- order: 2

`param NAME: Label | hint` names a parameter (in the order of the form) with the label and hint
its form field shows; `empty` is said instead of an empty result when a parameter is given
(`{NAME}` is replaced by its value); `button` is the form's button; `order` sorts the list on the
front page and the database page. `hide_sql` is true unless `-- hide_sql: false`.

The queries are written against the public views (archiver/public_views.py): the visitor_access plugin runs
them on the raw tables for a signed-in reader. The Datasette plugin plugins/query_files.py adds
them to the metadata of every archive served (so `datasette serve --plugins-dir plugins` has them
too, as `archiver serve` does).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

_KEY = re.compile(r"^--\s*([a-z_]+)(?:\s+(\w+))?\s*:\s?(.*)$")
_CONTINUED = re.compile(r"^--\s{2,}(.*)$")
_cache: dict[Path, tuple[tuple, dict[str, dict[str, Any]]]] = {}


def parse_query_file(text: str) -> dict[str, Any]:
    """One query's Datasette metadata (title, description, params, sql, ...) from its file's text."""
    query: dict[str, Any] = {"hide_sql": True}
    labels: dict[str, str] = {}
    hints: dict[str, str] = {}
    params: list[str] = []
    lines = text.splitlines()
    last: tuple[str, str | None] | None = None
    body_start = len(lines)
    for i, line in enumerate(lines):
        cont = _CONTINUED.match(line)
        if cont and last is not None:
            key, arg = last
            if key == "param" and arg is not None:
                hints[arg] = (hints.get(arg, "") + " " + cont.group(1).strip()).strip()
            else:
                query[key] = (str(query.get(key, "")) + " " + cont.group(1).strip()).strip()
            continue
        m = _KEY.match(line)
        if not m:
            if line.strip() == "" or line.startswith("--"):
                last = None
                continue
            body_start = i
            break
        key, arg, value = m.group(1), m.group(2), m.group(3).strip()
        last = (key, arg)
        if key == "param" and arg:
            params.append(arg)
            label, _, hint = value.partition("|")
            labels[arg] = label.strip() or arg
            if hint.strip():
                hints[arg] = hint.strip()
        elif key == "hide_sql":
            query["hide_sql"] = value.lower() not in ("false", "no", "0")
        elif key == "order":
            query["order"] = int(value)
        elif key == "empty":
            query["empty_message"] = value
        else:
            query[key] = value
    query["sql"] = "\n".join(lines[body_start:]).strip() + "\n"
    if params:
        query["params"] = params
        query["param_labels"] = labels
        query["param_hints"] = hints
    return query


def load_queries(folder: str | Path) -> dict[str, dict[str, Any]]:
    """name -> canned query, for every `.sql` file of the folder, in their `order` (then by name).
    A copy each time (Datasette merges into what it is given); the files are read again when they change."""
    folder = Path(folder)
    files = sorted(folder.glob("*.sql"))
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    cached = _cache.get(folder)
    if cached is None or cached[0] != stamp:
        queries = {p.stem: parse_query_file(p.read_text(encoding="utf-8")) for p in files}
        ordered = dict(sorted(queries.items(), key=lambda kv: (kv[1].get("order", 1000), kv[0])))
        _cache[folder] = cached = (stamp, ordered)
    return copy.deepcopy(cached[1])
