"""The published archive in a real browser: a `datasette` server started the way `archiver serve`
starts it, driven by Playwright with Debian's Chromium.

Skipped when Playwright or /usr/bin/chromium is missing (`playwright install` is not used: the
browser comes from the system package). Screenshots go to tests/screenshots/ (gitignored).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from archive_helpers import stop_process

from archiver.serve import datasette_args
from server_helpers import free_port, wait_until_up
from site_helpers import OSCE_TITLE

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-proxy-server"]




@pytest.fixture(scope="module")
def server(archive, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "datasette.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(datasette_args(archive, port=port), stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/-/versions.json", proc, log)
        yield base
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def thread_id(archive: Path, title_prefix: str) -> str:
    conn = sqlite3.connect(archive)
    (tid,) = conn.execute("select id from threads where title like ? || '%'", [title_prefix]).fetchone()
    conn.close()
    return tid


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_osce_thread_page(server, archive, page):
    page.goto(f"{server}/-/threads/{thread_id(archive, OSCE_TITLE)}")
    expect = sync_api.expect
    expect(page.locator("h1")).to_contain_text("ELECTIONS IN KAZAKHSTAN PASSED WITHOUT POLITICAL COMPETITION")
    labels = page.locator(".part .part-n").all_inner_texts()
    assert labels[:9] == [f"{n}/10" for n in range(1, 10)]
    expect(page.locator(".gap")).to_have_text("part 10 missing (of 10: not in any archived source yet)")
    expect(page.get_by_text("What did the Tokayev-Nazarbayev regime dislike so much")).to_be_visible()
    expect(page.locator(".part").first.locator(".provenance")).to_contain_text("003_3681a0714a60d3fd.txt")
    shot(page, "thread-osce")

    page.get_by_role("link", name="#OSCE").first.click()  # a hashtag opens the search page
    page.wait_for_url("**/-/search?q=%23OSCE")
    assert page.locator(".hit").count() > 0
    assert not page.dialogs


def test_search_form(server, page):
    page.goto(f"{server}/archive/search")
    page.locator("input[name=q]").fill("défenseurs")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=d%C3%A9fenseurs")
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() >= 1
    sources = page.locator("td.col-source").all_inner_texts()
    assert sources and all(s.startswith("001_") for s in sources)
    sync_api.expect(page.locator("td.col-snippet mark").first).to_have_text("défenseurs")
    shot(page, "search-defenseurs")

    page.goto(f"{server}/archive/search?q=Zhovtis")
    assert {s[:4] for s in page.locator("td.col-source").all_inner_texts()} >= {"000_", "001_"}
    shot(page, "search-zhovtis")


def test_markdown_export_link(server, archive, page):
    page.goto(f"{server}/-/threads/{thread_id(archive, 'Gap thread opening')}")
    sync_api.expect(page.locator(".gap")).to_contain_text("part 3 missing")
    with page.expect_download() as download:
        page.get_by_role("link", name="Markdown").click()
    assert download.value.suggested_filename.endswith(".md")
    assert "[part 3/4 missing]" in Path(download.value.path()).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["/-/threads/{xss}", "/archive/public_fragments?_search=alert", "/archive/search?q=alert",
                                  "/archive/thread?id={xss}", "/archive/public_threads"])
def test_archived_markup_stays_text(server, archive, page, path):
    xss = thread_id(archive, "<script>")
    page.goto(server + path.format(xss=xss))
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    sync_api.expect(page.get_by_text("<script>alert(1)</script>").first).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    if path.startswith("/-/threads"):
        sync_api.expect(page.get_by_text("<img src=x onerror=alert(1)>")).to_be_visible()
        shot(page, "thread-xss")


# --- the journalist's path (issue K) -------------------------------------------------------------------

def test_front_door_search_finds_zhovtis_with_facets(server, page):
    page.goto(server + "/")
    box = page.get_by_role("searchbox", name="Search archived text")
    box.fill("Zhovtis")
    box.press("Enter")
    page.wait_for_url("**/-/search?q=Zhovtis")
    expect = sync_api.expect
    expect(page.locator(".hit")).to_have_count(2)
    expect(page.locator(".hit-snippet mark").first).to_have_text("Zhovtis")
    for facet in ("kind", "author", "source", "month"):
        expect(page.locator(f".facet-{facet} li").first).to_be_visible()
    sources = page.locator(".facet-source li a").all_inner_texts()
    assert {s[:4] for s in sources} == {"000_", "001_"}
    page.locator(".facet-source li a").first.click()  # a facet value narrows the results
    expect(page.locator(".hit")).to_have_count(1)
    expect(page.locator(".filters a")).to_contain_text("Source: 00")


@pytest.mark.parametrize("typed", ['"political persecution"', "elections OR Tokayev", "OSC*"])
def test_search_syntax_returns_hits(server, page, typed):
    page.goto(server + "/")
    page.get_by_role("searchbox", name="Search archived text").fill(typed)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/-/search?q=*")
    assert page.locator(".hit").count() > 0
    assert page.locator(".search-problem").count() == 0
    assert page.locator(".hit-snippet mark").count() > 0


def test_unparsable_query_is_explained(server, page):
    page.goto(server + "/-/search?q=" + quote('"political persecution'))
    notice = page.locator(".search-problem")
    sync_api.expect(notice).to_be_visible()
    sync_api.expect(notice).to_contain_text('the quote " is not closed')
    sync_api.expect(notice).to_contain_text('Showing results for "political persecution" instead')
    assert page.locator(".hit").count() > 0


def test_a_hit_lands_on_its_part(server, archive, page):
    page.goto(server + "/-/search?q=" + quote("Tokayev-Nazarbayev regime"))
    link = page.locator(".hit-link").first
    href = link.get_attribute("href")
    assert href == f"/-/threads/{thread_id(archive, OSCE_TITLE)}#part-2"
    link.click()
    page.wait_for_url("**#part-2")
    part = page.locator("#part-2")
    sync_api.expect(part).to_be_in_viewport()
    sync_api.expect(part).to_contain_text("What did the Tokayev-Nazarbayev regime dislike so much")
    assert page.evaluate("document.querySelector(':target').id") == "part-2"


def test_seen_in_opens_the_source_at_the_cited_lines(server, archive, page):
    page.goto(f"{server}/-/threads/{thread_id(archive, OSCE_TITLE)}")
    page.locator("#part-9 .provenance a").first.click()
    page.wait_for_url("**/-/sources/*#L29-L32")
    highlighted = page.locator(".line.hl")
    sync_api.expect(highlighted).to_have_count(4)
    assert [el.get_attribute("id") for el in highlighted.all()] == ["L29", "L30", "L31", "L32"]
    sync_api.expect(page.locator("#L29")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0  # scrolled to them, not left at the top
    sync_api.expect(page.locator(".source-facts")).to_contain_text("sha256")


def test_the_citation_block_copies(server, archive, browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    try:
        page.goto(f"{server}/-/threads/{thread_id(archive, OSCE_TITLE)}")
        page.get_by_role("button", name="Copy").click()
        sync_api.expect(page.get_by_role("button", name="Copied")).to_be_visible()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#citation-text").inner_text()
        assert copied.startswith("“#OSCE: ELECTIONS IN KAZAKHSTAN PASSED WITHOUT POLITICAL COMPETITION”")
        assert "sha256 3e016064f3ea38e26f45691c1609b501f1976fc85a71360ff53a24c7a84c40b7" in copied
    finally:
        context.close()


def test_print_layout_has_no_navigation_chrome(server, archive, page):
    page.goto(f"{server}/-/threads/{thread_id(archive, OSCE_TITLE)}")
    sync_api.expect(page.locator("footer.ft")).to_be_visible()
    sync_api.expect(page.locator(".thread-actions")).to_be_visible()
    page.emulate_media(media="print")
    for chrome in ("header", "footer.ft", ".thread-actions", ".copy-button", ".tags"):
        sync_api.expect(page.locator(chrome).first).to_be_hidden()
    sync_api.expect(page.locator("#citation-text")).to_be_visible()
    sync_api.expect(page.locator(".part").first).to_be_visible()
    sync_api.expect(page.locator(".gap")).to_be_visible()
    assert len(page.pdf()) > 1000  # Chromium makes the PDF from it


def test_evidence_zip_manifest_checks(server, archive, page, tmp_path):
    page.goto(f"{server}/-/threads/{thread_id(archive, OSCE_TITLE)}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Evidence package (.zip)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        z.extractall(tmp_path / "unzipped")
    (folder,) = (tmp_path / "unzipped").iterdir()
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
        assert check.returncode == 0 and check.stdout.count(": OK") == 5, check.stdout + check.stderr
    from archiver.package import verify_package

    assert verify_package(path) == ([], 5)
