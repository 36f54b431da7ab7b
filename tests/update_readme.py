"""Regenerate the example output in README.md and docs/*.md by running each `$ command` for real.

    python tests/update_readme.py                  # README.md and every docs/*.md with examples
    python tests/update_readme.py docs/cli.md      # one file

Every fenced block whose first line starts with `$ ` is an example session. Each file's sessions
run in order, in a scratch folder of its own that holds a `seeds/` link to the repository's seeds,
sharing one `archive.db` across the file (so in docs/cli.md `threads` sees what the first `ingest`
stored); a file starts from nothing, so what it shows first is what it set up. The lines after
each command are replaced by what it printed (stdout and stderr, as a terminal would show them).
`archiver` runs as `python -m archiver` from this checkout. A server command (`archiver serve`
without `--dry-run` or `--port`) runs on a free port, shown as the default 8001 it would use, and
is stopped with Ctrl-C (SIGINT) after a few seconds. tests/test_readme.py runs the same sessions
and fails when a file shows output its commands no longer print. Check the result before
committing: a thread id shown changes if the reconstruction of the seeds changes.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from server_helpers import free_port

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FENCE = re.compile(r"^```[a-z]*\n(\$ .*?)^```$", re.S | re.M)
DEFAULT_PORT = 8001

# What differs between two runs of the same commands: the sign-in token and a snapshot's sha256
# (64 hex digits; a snapshot holds the time of its ingests) and the server's process id.
VOLATILE = [(re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"), (re.compile(r"(server process) \[\d+\]"), r"\1 [PID]")]


def documents() -> list[Path]:
    """README.md and every docs/*.md that holds an example session."""
    docs = sorted((ROOT / "docs").glob("*.md"))
    return [README] + [p for p in docs if FENCE.search(p.read_text(encoding="utf-8"))]


def comparable(text: str) -> str:
    """The text with the values that change from run to run replaced by placeholders."""
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def run_session(block: str, cwd: Path, env: dict[str, str]) -> str:
    """Run every `$ ` line of a block; returns the block with fresh output."""
    out = []
    for line in block.splitlines():
        if not line.startswith("$ "):
            continue
        command = line[2:]
        out.append(line)
        if command.startswith("archiver serve") and "--dry-run" not in command:
            printed = _run_server(command, cwd, env)
        else:
            proc = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=120)
            printed = (proc.stdout + proc.stderr).rstrip("\n")
        if printed:
            out.append(printed)
    return "\n".join(out) + "\n"


def _run_server(command: str, cwd: Path, env: dict[str, str], seconds: float = 5.0) -> str:
    """Run a server command, press Ctrl-C after `seconds`; its output with `^C` where that fell."""
    port = None
    if "--port" not in command:
        port = free_port()
        command = f"{command} --port {port}"
    proc = subprocess.Popen(["/bin/sh", "-c", f"exec {command}"], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        lines.append("^C\n")
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    reader.join(timeout=30)
    printed = "".join(lines).rstrip("\n")
    return printed.replace(f"127.0.0.1:{port}", f"127.0.0.1:{DEFAULT_PORT}") if port else printed


def regenerate(text: str) -> str:
    """A document's text with every example session's output replaced by a fresh run."""
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "seeds").symlink_to(ROOT / "seeds")
        bindir = cwd / "bin"
        bindir.mkdir()
        shim = bindir / "archiver"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m archiver "$@"\n')
        shim.chmod(0o755)
        env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}",
                   PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", COLUMNS="100")
        return FENCE.sub(lambda m: m.group(0).replace(m.group(1), run_session(m.group(1), cwd, env)), text)


def main(argv: list[str]) -> int:
    """Rewrite the files named (default: every document with examples) with fresh output."""
    paths = [Path(a).resolve() for a in argv] or documents()
    for path in paths:
        path.write_text(regenerate(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
