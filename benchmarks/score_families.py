#!/usr/bin/env python3
"""Exact-thread rate per noise family of an eval set written by benchmarks/corpus.py.

Usage: score_families.py DIR [DIR ...] [--by style] [--by layout] [--cache PREDS] -- COMMAND...

COMMAND gets each dump's path appended and must print the `parse --json` contract (as for the
shared `score_dir.py`). Every dump is scored with the shared scorer (`../shared/eval/score.py`);
each gold thread counts under every family its `families` field names (the renderer records
them), under "(no new family)" when it has none, and under "all threads". The totals line is
computed as `score_dir.py` computes it (over all the folders given), so the two can be checked
against each other. `--cache PREDS` keeps each prediction as PREDS/FOLDER/NAME.json and reuses it
on the next run (to pool seeds already scored without parsing them again).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Callable

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
NONE = "(no new family)"
ALL = "all threads"


def load_scorer(folder: Path = EVAL) -> Callable:
    """The shared scorer's `score` function."""
    sys.path.insert(0, str(folder))
    from score import score  # noqa: PLC0415 (it lives outside the project)

    return score


def predict(path: Path, command: list[str], cache: Path | None) -> dict | None:
    """The command's JSON for one dump (from the cache when it holds it), or None when it failed."""
    cached = cache / (path.stem + ".json") if cache else None
    if cached and cached.exists():
        out = cached.read_text(encoding="utf-8")
    else:
        try:
            done = subprocess.run(command + [str(path)], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            return None  # counted as a failed dump, as score_dir counts a command that gives no JSON
        out = done.stdout
        if cached and done.returncode == 0:
            cached.write_text(out, encoding="utf-8")
    try:
        return json.loads(out)
    except ValueError:
        return None


def tally(folders: list[Path], command: list[str], by: list[str], cache: Path | None = None) -> tuple[dict, dict]:
    """Run and score every dump of the folders; returns (totals as score_dir reports them, {table: {row: [exact, threads]}})."""
    score = load_scorer()
    tables: dict[str, dict[str, list[int]]] = {"family": defaultdict(lambda: [0, 0])}
    for field in by:
        tables[field] = defaultdict(lambda: [0, 0])
    tot = {"dumps": 0, "failed": 0, "exact": 0, "threads": 0, "lines": 0, "f1": 0.0, "num_ok": 0.0, "num_lines": 0}
    dumps = [(folder, g) for folder in folders for g in sorted(folder.glob("*.gold.json"))]
    for folder, gold_path in dumps:
        where = cache / folder.resolve().name if cache else None
        if where:
            where.mkdir(parents=True, exist_ok=True)
        path = gold_path.with_name(gold_path.name[:-len(".gold.json")] + ".txt")
        if not path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        src = path.read_text(encoding="utf-8").split("\n")
        if src and src[-1] == "":
            src = src[:-1]
        tot["dumps"] += 1
        tot["threads"] += len(gold["threads"])
        pred = predict(path, command, where)
        try:
            result = score(gold, src, pred, verbose=True)
        except Exception:  # noqa: BLE001 (the scorer's own failures count as a failed dump, as in score_dir)
            tot["failed"] += 1
            result = {"per_thread": [(t["key"], False) for t in gold["threads"]], "exact_threads": 0}
        else:
            tot["lines"] += result["lines"]
            tot["f1"] += result["bcubed_f1"] * result["lines"]
            if result["numbering_acc"] is not None:
                tot["num_ok"] += result["numbering_acc"] * result["numbered_lines"]
                tot["num_lines"] += result["numbered_lines"]
        tot["exact"] += result["exact_threads"]
        ok_of = dict(result["per_thread"])
        for t in gold["threads"]:
            ok = bool(ok_of.get(t["key"]))
            rows = {"family": (t.get("families") or [NONE]) + [ALL]}
            for field in by:
                rows[field] = [str(t.get(field) or t.get("kind")), ALL]
            for table, names in rows.items():
                for name in names:
                    tables[table][name][0] += ok
                    tables[table][name][1] += 1
    return tot, tables


def render(tot: dict, tables: dict) -> str:
    """The totals line and one table per grouping, rows sorted by rate (worst first)."""
    lines = [f"exact_thread_rate {tot['exact'] / max(1, tot['threads']):.4f} ({tot['exact']}/{tot['threads']}), "
             f"line_bcubed_f1 {tot['f1'] / max(1, tot['lines']):.4f}, "
             f"numbering_acc {tot['num_ok'] / max(1, tot['num_lines']):.4f}, failed {tot['failed']}, dumps {tot['dumps']}"]
    for table, rows in tables.items():
        lines.append("")
        lines.append(f"{table:<20} {'threads':>7} {'exact':>6} {'rate':>6}")
        body = sorted((r for r in rows if r != ALL), key=lambda r: (rows[r][0] / rows[r][1], r))
        for row in body + [ALL]:
            exact, n = rows[row]
            lines.append(f"{row:<20} {n:>7} {exact:>6} {exact / n:>6.3f}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Command line: DIR [DIR ...] [--by FIELD]... [--cache PREDS] -- COMMAND..."""
    if "--" not in argv or argv.index("--") == 0 or argv.index("--") == len(argv) - 1:
        print("Error: usage: score_families.py DIR [DIR ...] [--by style] [--by layout] [--cache PREDS] -- COMMAND...",
              file=sys.stderr)
        return 2
    split = argv.index("--")
    own, command = argv[:split], argv[split + 1:]
    by: list[str] = []
    cache = None
    folders: list[Path] = []
    i = 0
    while i < len(own):
        if own[i] in ("--by", "--cache") and i + 1 < len(own):
            if own[i] == "--by":
                by.append(own[i + 1])
            else:
                cache = Path(own[i + 1])
            i += 2
        elif not own[i].startswith("--"):
            folders.append(Path(own[i]))
            i += 1
        else:
            print(f"Error: unexpected argument {own[i]!r}", file=sys.stderr)
            return 2
    if not folders or not all(f.is_dir() for f in folders):
        print(f"Error: not a folder: {next((f for f in folders if not f.is_dir()), 'none given')}", file=sys.stderr)
        return 2
    tot, tables = tally(folders, command, by, cache)
    print(render(tot, tables))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
