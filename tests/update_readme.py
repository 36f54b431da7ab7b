"""Regenerate the example output in README.md by running each `$ command` for real.

    python tests/update_readme.py

Every fenced block whose first line starts with `$ ` is an example session: its commands run in
order, in one scratch folder that holds a `seeds/` link to the repository's seeds, sharing one
`archive.db` across the whole README (so `threads` sees what the first `ingest` stored). The
lines after each command are replaced by what it printed (stdout and stderr, as a terminal
would show them). `archiver` runs as `python -m archiver` from this checkout. A server command
(`archiver serve` without `--dry-run`) is stopped with Ctrl-C (SIGINT) after a few seconds.
Check the result before committing: a thread id shown in the README changes if the
reconstruction of the seeds changes.
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

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FENCE = re.compile(r"^```[a-z]*\n(\$ .*?)^```$", re.S | re.M)


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
    return "".join(lines).rstrip("\n")


def regenerate(text: str) -> str:
    """README text with every example session's output replaced by a fresh run."""
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


def main() -> int:
    README.write_text(regenerate(README.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
