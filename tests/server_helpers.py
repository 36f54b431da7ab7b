"""Helpers for tests and scripts that start a real `archiver serve` / Datasette process."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port nothing listens on now (the machine is shared: 8001 may be taken)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, log: Path | None = None, timeout: float = 30) -> None:
    """Wait until `url` answers 200 (proxies ignored); RuntimeError, with the server's log when
    given, if the process exits or the time runs out first."""
    def fail(why: str) -> RuntimeError:
        return RuntimeError(why + (f":\n{log.read_text()}" if log is not None else ""))

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise fail(f"the server exited with {proc.returncode}")
        try:
            with opener.open(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise fail(f"the server did not answer {url} within {timeout}s")
