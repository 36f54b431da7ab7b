"""The layers the code keeps, checked from its source: input -> reconstruction -> storage -> publishing.

- One writer: write transactions begin, commit and roll back in archiver/txn.py only, and only
  the storage modules hold an INSERT, UPDATE or DELETE.
- Storage knows no input format: the storage modules import nothing of the input side.
- No module imports another's private (`_name`) names.
- The sign-in settings read from the environment stay on the publishing side.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHIVER = ROOT / "archiver"
INPUT = {"sources", "stream", "imports", "html", "fetch", "replies"}
STORAGE = {"store", "db", "txn", "merge", "projection", "neardup", "fts", "digest", "tableset", "public_views"}
PUBLISHING = {"serve", "signin", "cli", "__main__"}
WRITE_SQL = re.compile(r"(?i)\b(insert\s+(or\s+\w+\s+)?into|update\s+\w+\s+set|delete\s+from)\b")


def modules() -> dict[str, ast.Module]:
    """archiver's modules by dotted name below archiver (a package's by its folder's name)."""
    out = {}
    for path in sorted(ARCHIVER.rglob("*.py")):
        parts = path.relative_to(ARCHIVER).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return out


def imported(name: str, tree: ast.Module) -> list[tuple[str, str]]:
    """(module below archiver, name taken from it) of every import in a module, lazy ones included;
    `import archiver.x` or `from . import x` gives (x, "")."""
    package = name.split(".")[:-1] if not (ARCHIVER / name.replace(".", "/")).is_dir() else name.split(".")
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            elif node.module and node.module.startswith("archiver"):
                base = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                target = ".".join(base)
                if not node.module and node.level:  # from . import x
                    out.append((".".join(base + [alias.name]), ""))
                else:
                    out.append((target, alias.name))
        elif isinstance(node, ast.Import):
            out += [(a.name.split(".", 1)[1], "") for a in node.names if a.name.startswith("archiver.")]
    return out


def top(module: str) -> str:
    """The top-level module or package below archiver a module belongs to."""
    return module.split(".")[0]


def test_write_transactions_begin_commit_and_roll_back_in_txn_only():
    for path in sorted(ARCHIVER.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name != "txn.py":
            assert "BEGIN IMMEDIATE" not in text, path
            assert not re.search(r"""["'](COMMIT|ROLLBACK)["']""", text), path
    assert (ARCHIVER / "txn.py").read_text(encoding="utf-8").count("BEGIN IMMEDIATE") <= 2


def test_only_storage_writes_rows():
    # besides storage: the snapshot writes its own copy, verify asks an FTS5 index to check itself
    allowed = STORAGE | {"snapshot", "verify"}
    for name, tree in modules().items():
        sql = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
               and WRITE_SQL.search(n.value)]
        assert not sql or top(name) in allowed, (name, sql)


def test_storage_imports_nothing_of_the_input_side():
    for name, tree in modules().items():
        if top(name) in STORAGE:
            reached = {top(module) for module, _ in imported(name, tree)}
            assert not reached & INPUT, (name, reached & INPUT)


def test_no_private_name_is_imported_across_modules():
    found = []
    for name, tree in modules().items():
        found += [(name, module, taken) for module, taken in imported(name, tree)
                  if taken.startswith("_") and not taken.startswith("__")]
        aliases = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level
                   and not n.module for a in n.names}
        found += [(name, n.value.id, n.attr) for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                  and isinstance(n.value, ast.Name) and n.value.id in aliases
                  and n.attr.startswith("_") and not n.attr.startswith("__")]
    assert found == []


def test_only_the_publishing_side_reaches_the_settings_read_from_the_environment():
    trees = modules()
    reads_env = {name for name, tree in trees.items()
                 if "os.environ" in ast.unparse(tree) or "getenv" in ast.unparse(tree)}
    assert reads_env <= PUBLISHING, reads_env
    graph = {name: {module for module, _ in imported(name, tree)} for name, tree in trees.items()}
    for name in trees:
        if top(name) in PUBLISHING:
            continue
        seen, todo = set(), [name]
        while todo:
            for module in graph.get(todo.pop(), ()):
                if module not in seen:
                    seen.add(module)
                    todo.append(module)
        assert not seen & reads_env, (name, seen & reads_env)
