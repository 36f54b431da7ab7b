"""HTML inputs: saved thread pages and news articles -> threads, with beautifulsoup4.

The page's own markup says what it is; each adapter reads one kind of page:

- X/Twitter (a saved x.com conversation): `article[data-testid="tweet"]`, `[data-testid="User-Name"]`,
  `[data-testid="tweetText"]`, `a[href*="/status/"] time[datetime]`.
- nitter: `.main-thread .timeline-item` with `.username`, `.tweet-content`, `.tweet-date a[title]`.
- Thread Reader App: `.content-tweet[data-tweet]` (with `data-screenname`).
- Mastodon: the web app's rendered statuses (`.detailed-status`, `.status` with `.status__content`,
  `.display-name__account`, `time[datetime]`) or the older server-rendered `.entry` / `.h-entry` pages.
- Anything else is read as an article: title from og:title, h1 or <title>; paragraphs from <article>
  (or the block holding the most paragraph text) with navigation, footers, asides, scripts, share
  and "Read more" boilerplate left out.

For a thread page only the author's own posts are kept (the self-thread), in page order; other
people's replies are left out unless `replies=True`. HTML has no line spans: parts carry None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from html import unescape
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup, Tag

from .models import Dropped, Part, Source, Thread, thread_title
from .normalize import content_hash, short_hash

X_BASE = "https://x.com"
_STATUS_RE = re.compile(r"/([A-Za-z0-9_]{1,15})/status(?:es)?/(\d+)")
_BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "footer", "aside", "form", "header", "template",
                     "iframe", "svg", "button", "select", "input")
_BOILERPLATE_HINT = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|footer|sidebar|side-bar|share|sharing|social|related|recommend|newsletter|"
    r"subscribe|promo|advert|ads?|cookie|consent|comments?|breadcrumbs?|tags|byline-share|read-more|readmore|"
    r"more-stories|paywall|signup|sign-up|byline|dateline|author-info|caption|credit)($|[-_\s])", re.I)
_BOILERPLATE_TEXT = re.compile(
    r"^(read more|continue reading|advertisement|share( this( article)?)?|subscribe( now)?|sign up|"
    r"related( articles| stories)?|more stories|click here|follow us|share on (facebook|twitter|x)|"
    r"copy link|comments?|loading\.*)\W*$", re.I)


def parse_html(source: Source, *, replies: bool = False) -> tuple[list[Thread], list[Dropped]]:
    """Threads (or one article) read from an HTML page; no dropped spans (HTML has no line spans)."""
    soup = BeautifulSoup(source.text, "html.parser")
    base = source.url or _canonical(soup)
    for detect, adapter in ADAPTERS:
        if detect(soup):
            threads = adapter(soup, base, replies)
            if threads:
                return threads, []
    return parse_article(soup, base), []


def page_kind(source_or_text: Source | str) -> str:
    """Which adapter reads this page: x, nitter, threadreader, mastodon or article."""
    text = source_or_text.text if isinstance(source_or_text, Source) else source_or_text
    soup = BeautifulSoup(text, "html.parser")
    for (detect, _), name in zip(ADAPTERS, ("x", "nitter", "threadreader", "mastodon")):
        if detect(soup):
            return name
    return "article"


# --- shared helpers -------------------------------------------------------------------------------
def element_text(el: Tag) -> str:
    """Visible text of an element: <br> and blocks are line breaks, emoji images give their alt text."""
    el = _copy(el)
    for junk in el.find_all(("script", "style", "noscript", "template")):
        junk.decompose()
    for br in el.find_all("br"):
        br.replace_with("\n")
    for img in el.find_all("img"):
        img.replace_with(img.get("alt") or "")
    for block in el.find_all(("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre")):
        block.insert_before("\n")
        block.insert_after("\n")
    text = el.get_text()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


_BLOCKS = ("p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol")


def html_to_text(fragment: str) -> str:
    """Post HTML (a Mastodon status, an outbox Note) -> text: <br> is a line break, <p> and other
    blocks are paragraphs, entities decoded."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return unescape(fragment).strip()
    soup = BeautifulSoup(fragment, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for img in soup.find_all("img"):  # custom emoji and inline images keep their alt text
        img.replace_with(img.get("alt") or "")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    text = soup.get_text()
    lines = [line.strip(" \t") for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _copy(el: Tag) -> Tag:
    return BeautifulSoup(str(el), "html.parser")


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content", "").strip():
            return tag["content"].strip()
    return None


def _canonical(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    if link and link.get("href"):
        return link["href"]
    return _meta(soup, "og:url")


def _classes(el: Tag) -> str:
    return " ".join(el.get("class") or []) + " " + (el.get("id") or "") + " " + (el.get("role") or "")


def _thread(namespace: str, posts: list[dict], author: str | None, title_from: str | None = None,
            url: str | None = None) -> Thread:
    parts = [Part(n=i, text=p["text"], line_start=None, line_end=None, inferred=False, author=p.get("author"),
                  posted_at=p.get("posted_at"), external_id=p.get("id"), parent_id=p.get("parent"),
                  url=p.get("url")) for i, p in enumerate(posts, 1)]
    root = posts[0]
    key = root.get("id") or content_hash(root["text"])
    return Thread(id=short_hash(namespace, key), kind="thread" if len(parts) > 1 else "post",
                  title=thread_title(title_from or root["text"]), author=author, url=url or root.get("url"), total=None,
                  missing=[], parts=parts)


def _self_thread(posts: list[dict], author: str | None, replies: bool) -> list[dict]:
    """The author's own posts (all posts with replies=True); each parent is the previous kept post."""
    if not replies and author:
        key = author.lower()
        posts = [p for p in posts if (p.get("author") or "").lower() == key]
    prev = None
    for p in posts:
        if p.get("parent") is None and prev is not None:
            p["parent"] = prev.get("id")
        prev = p
    return posts


def _status_link(href: str | None, base: str | None) -> tuple[str | None, str | None, str | None]:
    """(handle, status id, canonical x.com URL) from a /user/status/123 link."""
    if not href:
        return None, None, None
    m = _STATUS_RE.search(href)
    if not m:
        return None, None, None
    return m.group(1), m.group(2), f"{X_BASE}/{m.group(1)}/status/{m.group(2)}"


# --- X / Twitter ------------------------------------------------------------------------------------
def _is_x(soup: BeautifulSoup) -> bool:
    return soup.select_one('article[data-testid="tweet"]') is not None


def parse_x(soup: BeautifulSoup, base: str | None, replies: bool = False) -> list[Thread]:
    """A saved x.com conversation: the self-thread of the first tweet's author."""
    posts = []
    for art in soup.select('article[data-testid="tweet"]'):
        if art.find_parent("article", attrs={"data-testid": "tweet"}):
            continue  # a tweet nested in another (quote) is part of that tweet
        name_block = art.select_one('[data-testid="User-Name"]')
        handle = None
        if name_block:
            for s in name_block.find_all(string=re.compile(r"^\s*@\w{1,15}\s*$")):
                handle = s.strip()
                break
        text_el = None
        for candidate in art.select('[data-testid="tweetText"]'):
            if not candidate.find_parent(attrs={"data-testid": "quoteTweet"}):
                text_el = candidate
                break
        time_el = art.select_one("time[datetime]")
        link = time_el.find_parent("a", href=True) if time_el else None
        if link is None:
            link = next((a for a in art.select('a[href*="/status/"]')
                         if not a.find_parent(attrs={"data-testid": "quoteTweet"})), None)
        h2, sid, url = _status_link(link.get("href") if link else None, base)
        handle = handle or (f"@{h2}" if h2 else None)
        text = element_text(text_el) if text_el else ""
        if not text and not sid:
            continue
        posts.append({"id": sid, "text": text, "author": handle, "url": url,
                      "posted_at": time_el.get("datetime") if time_el else None})
    _h, page_id, _u = _status_link(base, None)
    focal = next((i for i, p in enumerate(posts) if page_id and p["id"] == page_id), 0)
    return _thread_list("x", posts, replies, focal)


def _thread_list(namespace: str, posts: list[dict], replies: bool, focal: int = 0) -> list[Thread]:
    """The focal post's author's own posts, from that author's first post on the page."""
    if not posts:
        return []
    author = posts[focal].get("author")
    # Ancestors written by someone else are context, not the thread.
    first = next((i for i, p in enumerate(posts) if p.get("author") == author), 0)
    kept = _self_thread(posts if replies else posts[first:], author, replies)
    return [_thread(namespace, kept, author)] if kept else []


# --- nitter ------------------------------------------------------------------------------------------
def _is_nitter(soup: BeautifulSoup) -> bool:
    return soup.select_one(".main-thread .timeline-item, .main-tweet .timeline-item") is not None or (
        soup.select_one(".timeline-item .tweet-content") is not None and soup.select_one(".tweet-date") is not None)


def _nitter_time(title: str | None) -> str | None:
    """`Nov 7, 2022 · 11:26 AM UTC` -> `2022-11-07T11:26:00+00:00`."""
    if not title:
        return None
    clean = title.replace("\u00b7", "").replace("UTC", "").split()
    try:
        dt = datetime.strptime(" ".join(clean), "%b %d, %Y %I:%M %p")
    except ValueError:
        return None
    return dt.replace(tzinfo=timezone.utc).isoformat()


def parse_nitter(soup: BeautifulSoup, base: str | None, replies: bool = False) -> list[Thread]:
    """A nitter conversation page: before-tweet ancestors, main tweet, after-tweet self-thread."""
    container = soup.select_one(".main-thread") or soup.select_one(".conversation") or soup
    items = [it for it in container.select(".timeline-item")
             if not it.find_parent(class_="quote") and "unavailable" not in (it.get("class") or [])]
    if replies:
        items += [it for it in soup.select(".replies .timeline-item") if it not in items]
    posts = []
    focal = 0
    for it in items:
        user = it.select_one(".username")
        handle = user.get_text(strip=True) if user else None
        if handle and not handle.startswith("@"):
            handle = "@" + handle
        if not handle and it.get("data-username"):
            handle = "@" + it["data-username"]
        link = it.select_one("a.tweet-link") or it.select_one(".tweet-date a")
        _h, sid, url = _status_link(link.get("href") if link else None, base)
        date = it.select_one(".tweet-date a[title]")
        body = it.select_one(".tweet-content")
        if body is None:
            continue
        if it.find_parent(class_="main-tweet"):
            focal = len(posts)
        posts.append({"id": sid, "text": element_text(body), "author": handle, "url": url,
                      "posted_at": _nitter_time(date.get("title") if date else None)})
    return _thread_list("x", posts, replies, focal)


# --- Thread Reader App ------------------------------------------------------------------------------------
def _is_threadreader(soup: BeautifulSoup) -> bool:
    return soup.select_one(".content-tweet[data-tweet]") is not None


def parse_threadreader(soup: BeautifulSoup, base: str | None, replies: bool = False) -> list[Thread]:
    """A Thread Reader App unroll: one `.content-tweet` block per tweet, in order."""
    blocks = soup.select(".content-tweet[data-tweet]")
    handle = next((b.get("data-screenname") for b in blocks if b.get("data-screenname")), None)
    if not handle:
        m = re.search(r"@(\w{1,15})", (soup.select_one(".thread-info, .thread-author, .author") or soup).get_text())
        handle = m.group(1) if m else None
    author = f"@{handle.lstrip('@')}" if handle else None
    posts = []
    for b in blocks:
        b = _copy(b)
        for junk in b.select(".entity-image, .entity-video, .tw-permalink, .tweet-stats, .rd-stats, script"):
            junk.decompose()
        sid = b.find(attrs={"data-tweet": True})["data-tweet"]
        url = f"{X_BASE}/{handle.lstrip('@')}/status/{sid}" if handle else f"{X_BASE}/i/web/status/{sid}"
        t = b.find("time", attrs={"datetime": True})
        posts.append({"id": sid, "text": element_text(b), "author": author, "url": url,
                      "posted_at": t.get("datetime") if t else None})
    posts = [p for p in posts if p["text"]]
    if not posts:
        return []
    _self_thread(posts, author, True)
    return [_thread("x", posts, author)]


# --- Mastodon ------------------------------------------------------------------------------------------------
def _is_mastodon(soup: BeautifulSoup) -> bool:
    return soup.select_one(".detailed-status .status__content, .status .status__content, "
                           ".entry .status__content, .h-entry .e-content") is not None


def parse_mastodon_page(soup: BeautifulSoup, base: str | None, replies: bool = False) -> list[Thread]:
    """A Mastodon status page: the rendered web app or the older server-rendered (h-entry) markup."""
    nodes = []
    for el in soup.select(".detailed-status, .status, .entry, .h-entry"):
        if el.find_parent(class_=["status", "detailed-status", "entry", "h-entry"]):
            continue  # nested inside a status already taken
        content = el.select_one(".status__content__text, .status__content, .e-content")
        if content is None:
            continue
        nodes.append(el)
    posts = []
    focal = 0
    for el in nodes:
        content = el.select_one(".status__content__text") or el.select_one(".e-content") or \
            el.select_one(".status__content")
        content = _copy(content)
        for junk in content.select(".status__content__spoiler-link, .status__content__read-more-button,"
                                   " .status__translate, button"):
            junk.decompose()
        acct = el.select_one(".display-name__account, .p-author .display-name__account")
        handle = acct.get_text(strip=True) if acct else None
        link = el.select_one("a.status__relative-time[href], a.detailed-status__datetime[href], a.u-url[href],"
                             " a.u-uid[href]")
        href = urljoin(base or "", link["href"]) if link else None
        if handle is None and href:
            m = re.search(r"/@([^/]+)/\d+", href)
            host = urlparse(href).hostname
            handle = f"@{m.group(1)}@{host}" if m else None
        elif handle and "@" not in handle.lstrip("@") and href:
            handle = f"@{handle.lstrip('@')}@{urlparse(href).hostname}"
        sid = el.get("data-id") or (re.search(r"/(\d+)/?$", href).group(1) if href and re.search(r"/(\d+)/?$", href)
                                    else None)
        t = el.find("time", attrs={"datetime": True})
        dt_el = el.find(attrs={"data-datetime": True})
        posted = t["datetime"] if t else (dt_el["data-datetime"] if dt_el else None)
        classes = el.get("class") or []
        if "detailed-status" in classes or "entry-center" in classes:
            focal = len(posts)
        posts.append({"id": sid, "text": element_text(content), "author": handle, "url": href, "posted_at": posted})
    return _thread_list("mastodon", posts, replies, focal)


# --- generic article ---------------------------------------------------------------------------------------
def parse_article(soup: BeautifulSoup, base: str | None = None, replies: bool = False) -> list[Thread]:
    """A news article or blog post: title, byline, date and its paragraphs, boilerplate left out."""
    title = _meta(soup, "og:title", "twitter:title")
    h1 = soup.find("h1")
    if not title and h1:
        title = h1.get_text(" ", strip=True)
    if not title and soup.title:
        title = soup.title.get_text(" ", strip=True)
    author = _meta(soup, "author", "article:author", "parsely-author", "twitter:creator")
    if not author:
        by = soup.select_one('[rel="author"], .byline, .author, [itemprop="author"]')
        author = by.get_text(" ", strip=True)[:120] if by else None
    if author:
        author = re.sub(r"^by\s+", "", author, flags=re.I).strip() or None
    published = _meta(soup, "article:published_time", "datePublished", "date", "pubdate")
    if not published:
        t = soup.find("time", attrs={"datetime": True})
        published = t["datetime"] if t else None
    url = base or _canonical(soup)
    body = soup.body or soup
    body = _copy(body)
    for junk in body.find_all(_BOILERPLATE_TAGS):
        if junk.name == "header" and junk.find_parent("article") and not junk.find(("nav", "form")):
            continue  # an article's own header holds its title and byline
        junk.decompose()
    for el in body.find_all(True):
        if el.decomposed:
            continue
        if el.name not in ("body", "html", "article", "main") and _BOILERPLATE_HINT.search(_classes(el)):
            el.decompose()
    container = _main_container(body)
    paragraphs = []
    seen = set()
    for el in container.find_all(("p", "h2", "h3", "h4", "blockquote", "li", "pre")):
        if el.find_parent(("p", "blockquote", "li", "pre")) and el.name != "p":
            continue
        if el.name == "p" and el.find_parent(("blockquote", "li")):
            continue
        if el.name == "li" and not el.find_parent(("ol", "ul")):
            continue
        text = element_text(el)
        if not text or _BOILERPLATE_TEXT.match(text) or text == title:
            continue
        if el.name == "li" and len(text) < 25 and el.find("a"):
            continue  # link lists: menus that survived
        key = content_hash(text)
        if key in seen:
            continue
        seen.add(key)
        paragraphs.append(text)
    if not paragraphs:
        text = element_text(container)
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not paragraphs:
        return []
    parts = [Part(n=i, text=p, line_start=None, line_end=None, inferred=False, author=author,
                  posted_at=published, url=url) for i, p in enumerate(paragraphs, 1)]
    tid = short_hash("article", url or "", content_hash(paragraphs[0]))
    return [Thread(id=tid, kind="article", title=(title or thread_title(paragraphs[0]))[:200], author=author, url=url,
                   total=None, missing=[], parts=parts)]


def _main_container(body: Tag) -> Tag:
    """The <article> (or <main>), else the element whose direct paragraphs hold the most text."""
    articles = body.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text(" ", strip=True)))
    main = body.find("main") or body.find(attrs={"role": "main"})
    scope = main or body
    best, best_len = scope, 0
    for el in [scope, *scope.find_all(("div", "section", "td"))]:
        length = sum(len(p.get_text(" ", strip=True)) for p in el.find_all("p", recursive=False))
        if length > best_len:
            best, best_len = el, length
    return best if best_len else scope


ADAPTERS: list[tuple[Callable[[BeautifulSoup], bool], Callable[..., list[Thread]]]] = [
    (_is_x, parse_x),
    (_is_nitter, parse_nitter),
    (_is_threadreader, parse_threadreader),
    (_is_mastodon, parse_mastodon_page),
]

__all__ = ["parse_html", "page_kind", "parse_article", "parse_x", "parse_nitter", "parse_threadreader",
           "parse_mastodon_page", "element_text"]
