"""Regenerate the screenshots in docs/screenshots/ that docs/publishing.md (and the README) show.

    python tests/update_screenshots.py

Archives the bundled seeds (`archiver ingest archive.db seeds/`, in a scratch folder), serves them
as `archiver serve` does, and photographs the published pages with Debian's Chromium
(/usr/bin/chromium) through Playwright: the front door, a search with its facets, a thread page,
the source viewer at the cited lines, and the thread page's print layout.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from server_helpers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--no-proxy-server"]
OSCE = "#OSCE: ELECTIONS IN KAZAKHSTAN"


def main() -> None:
    from playwright.sync_api import sync_playwright

    from archiver.serve import datasette_args

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        subprocess.run([sys.executable, "-m", "archiver", "ingest", str(db), str(ROOT / "seeds")], check=True,
                       capture_output=True)
        conn = sqlite3.connect(db)
        (osce,) = conn.execute("select id from threads where title like ? || '%'", [OSCE]).fetchone()
        conn.close()
        port = free_port()
        server = subprocess.Popen(datasette_args(db, port=port, public=True), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/-/versions.json", server, timeout=60)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1100, "height": 860}, device_scale_factor=1)
                shots = [
                    ("front-door", base + "/", None),
                    ("search", base + "/-/search?q=" + quote("elections OR Tokayev"), None),
                    ("thread", f"{base}/-/threads/{osce}", None),
                    ("source", "", None),
                    ("print", f"{base}/-/threads/{osce}", "print"),
                ]
                for name, url, media in shots:
                    if name == "source":  # "Seen in" of part 9, as a reader follows it; taller, to show the facts too
                        page.goto(f"{base}/-/threads/{osce}")
                        page.locator("#part-9 .provenance a").first.click()
                        page.wait_for_url("**#L29-L32")
                        page.set_viewport_size({"width": 1100, "height": 1500})
                        page.evaluate("window.scrollTo(0, 0)")
                        page.wait_for_timeout(200)
                    else:
                        page.set_viewport_size({"width": 1100, "height": 860})
                        page.emulate_media(media=media or "screen")
                        page.goto(url)
                    page.screenshot(path=str(OUT / f"{name}.png"))
                    print(OUT / f"{name}.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
