"""The public side of an archive is the archive that its public sources alone would give.

Random thread dumps (numbered parts, status URLs naming handles, parts shared between dumps,
re-pasted parts), each public or private, ingested in a random order. Every token of the
generated texts, handles and file names is unique, made of letters that are not hex digits (so it
cannot hide in an id or a hash), and so is every private-only fragment and thread id: none may
reach the public side.

Three properties, cheap to dear (the cheap ones run many examples, the dear ones fewer, so the
suite stays fast on two cores):

- `test_public_views_are_the_archive_of_the_public_sources_alone` (500 examples, SQL only, archives
  in memory): the public views equal, modulo source ids, rowids and timestamps, the raw tables of an
  archive built from the public sources alone in the same order; no public view holds a
  private-only token or id, and the public full-text indexes match none.
- `test_marking_sources_after_the_fact_rebuilds_the_same_projection` (150 examples): marking
  sources private or public afterwards (`archiver private`) gives the same public side as
  ingesting them so from the start, and marking them back gives the archive's tables again.
- `test_no_anonymous_response_and_no_snapshot_byte_holds_private_text` (20 examples): through
  Datasette in-process, with the project's metadata, plugins, templates and settings as `archiver
  serve` loads them, every table, view, canned query (with private and public tokens and ids as
  parameters), table search, thread page, Markdown export and evidence package (unzipped), the
  front page, the search page and its JSON (with private and public tokens, every facet filter
  and order), and the source viewer and raw download of every source id answered to an anonymous
  visitor, and every byte of `archiver snapshot`'s file, hold no private-only token or id.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_helpers import comparable_rows, digests_hold, seed_sentences
from archiver import public_views
from archiver.db import ensure_schema
from archiver.normalize import fragment_id
from archiver.parse import parse_sources
from archiver.projection import mark
from archiver.serve import canned_queries
from archiver.sources import read_bytes
from archiver.store import save_source
from site_helpers import served_datasette

SENTENCES = seed_sentences()
LETTERS = "ghjkmnpqrstuvwxyz"  # no hex digit: a token is never part of an id or a hash


def token(i: int) -> str:
    """The i-th token of an example: `zq` and five letters, unique per i."""
    out = ""
    for _ in range(5):
        i, r = divmod(i, len(LETTERS))
        out += LETTERS[r]
    return "zq" + out


@dataclass
class Dump:
    """One generated source: its text, name and whether it is private."""

    name: str
    text: str
    private: bool
    source: object = None
    result: object = None
    tokens: set[str] = field(default_factory=set)


@st.composite
def scenarios(draw, max_sources: int = 7) -> list[Dump]:
    """Dumps of a few threads, public or private, in the order they are ingested."""
    n_threads = draw(st.integers(1, 4))
    threads = []
    for t in range(n_threads):
        total = draw(st.integers(2, 5))
        handle = token(1000 + t)
        parts = {n: f"{token(100 * t + n)} {SENTENCES[draw(st.integers(0, len(SENTENCES) - 1))]} {token(50_000 + 100 * t + n)}"
                 for n in range(1, total + 1)}
        threads.append((handle, total, parts))
    dumps = []
    for i in range(draw(st.integers(2, max_sources))):
        private = draw(st.booleans())
        lines: list[str] = []
        for t in draw(st.lists(st.integers(0, n_threads - 1), min_size=1, max_size=2)):
            handle, total, parts = threads[t]
            numbers = draw(st.lists(st.integers(1, total), min_size=1, max_size=total + 1))  # repeats: re-pastes
            style = draw(st.sampled_from(["marker-first", "marker-last", "status-url", "bare"]))
            if style == "marker-last":
                lines += [f"@{handle} · thread", ""]
            for n in sorted(numbers) if draw(st.booleans()) else numbers:
                if style == "status-url":
                    lines.append(f"https://x.com/{handle}/status/{1790000000000000000 + 1000 * t + n}")
                if style == "marker-last":
                    lines += [parts[n], f"{n}/{total}", ""]
                elif style == "bare":
                    lines += [parts[n], ""]
                else:
                    lines += [f"{n}/{total} {parts[n]}", ""]
        name = f"{token(90_000 + i)}-{'private' if private else 'public'}.txt"
        # distinct bytes even when two dumps say the same (blank lines at the end change no thread)
        dumps.append(Dump(name, "\n".join(lines) + "\n" * (1 + i), private))
    return draw(st.permutations(dumps))


def _prepare(dumps: list[Dump]) -> None:
    for d in dumps:
        if d.source is None:
            d.source = read_bytes(d.text.encode("utf-8"), d.name, "paste")
            d.source.private = d.private
            d.result = parse_sources([d.source], duplicates=False)
            d.tokens = {w for w in d.text.replace("/", " ").replace("-", " ").split() if w.startswith("zq")}
            d.tokens |= {d.name.split("-")[0]}


def secrets(dumps: list[Dump], private: set[str] | None = None) -> list[str]:
    """What only the private dumps hold: tokens, names, sha256s, fragment and thread ids."""
    _prepare(dumps)
    is_private = (lambda d: d.name in private) if private is not None else (lambda d: d.private)
    public = [d for d in dumps if not is_private(d)]
    hidden = [d for d in dumps if is_private(d)]
    seen_tokens = set().union(*(d.tokens for d in public))
    seen_text = "\n".join(d.text for d in public)
    seen_fragments = {fragment_id(p.text) for d in public for t in d.result.threads for p in t.parts}
    seen_threads = {t.id for d in public for t in d.result.threads}
    out = set()
    for d in hidden:
        out |= {w for w in d.tokens if w not in seen_tokens and w not in seen_text}
        out |= {d.name, d.source.sha256}
        out |= {fragment_id(p.text) for t in d.result.threads for p in t.parts} - seen_fragments
        out |= {t.id for t in d.result.threads} - seen_threads
    return sorted(out)


_TEMPLATE: sqlite3.Connection | None = None


def memory_archive() -> sqlite_utils.Database:
    """An empty archive in memory (a copy of one made once: the schema costs more than an example)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        ensure_schema(sqlite_utils.Database(_TEMPLATE))
    conn = sqlite3.connect(":memory:", isolation_level=None)
    _TEMPLATE.backup(conn)
    return sqlite_utils.Database(conn)


def build(dumps: list[Dump], only_public: bool = False, db: sqlite_utils.Database | None = None
          ) -> sqlite_utils.Database:
    """Store the dumps in order, through the writer (`save_source`, as `archiver ingest` does)."""
    _prepare(dumps)
    db = db or memory_archive()
    for d in dumps:
        if only_public and d.private:
            continue
        save_source(db, d.source, d.result)
    return db


# --- comparing an archive's public views with another's tables -------------------------------------

def assert_same_public_side(public: dict[str, list], alone: dict[str, list]) -> None:
    """The public views equal the public-only archive's tables, near-duplicate pairs included: the
    projection keeps a near-duplicate index of its own, of the public fragments in the order the
    public sources alone would have stored them (archiver/neardup.py, `neardup.PUBLIC`)."""
    assert public == alone


def public_dump(conn: sqlite3.Connection) -> str:
    """Every row of every public view, as one text."""
    return json.dumps([conn.execute(f"select * from {v}").fetchall() for v in sorted(public_views.VIEWS)],
                      ensure_ascii=False, default=repr)


def assert_nothing_private(conn: sqlite3.Connection, hidden: list[str]) -> None:
    """No private-only token or id in any public view, and no match for one in the public indexes."""
    everything = public_dump(conn)
    assert [h for h in hidden if h in everything] == []
    for h in hidden:
        if h.startswith("zq") and "." not in h:
            for fts in ("fragments_fts", "threads_fts"):
                assert conn.execute(f"select count(*) from {fts} where {fts} match ?", [f'"{h}"']).fetchone()[0] == 0


# --- the properties ----------------------------------------------------------------------------------

@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_public_views_are_the_archive_of_the_public_sources_alone(dumps):
    mixed = build(dumps)
    alone = build(dumps, only_public=True)
    assert_same_public_side(comparable_rows(mixed.conn, "public_"), comparable_rows(alone.conn, ""))
    assert_nothing_private(mixed.conn, secrets(dumps))
    assert digests_hold(mixed.conn)
    # and the archive's own tables keep everything, public and private (what a reader sees)
    everything = build(dumps, db=None)
    assert comparable_rows(mixed.conn, "") == comparable_rows(everything.conn, "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios(), st.data())
def test_marking_sources_after_the_fact_rebuilds_the_same_projection(dumps, data):
    """`archiver private` / `--public` afterwards: the public side is that of the archive built with
    the new marks from the start (the projection is replayed from what each source said)."""
    db = build(dumps)
    names = [d.name for d in dumps]
    flip = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    now_private = {d.name for d in dumps if d.private} ^ set(flip)
    for name in flip:
        mark(db, [name], private=name in now_private)
    expected = [Dump(d.name, d.text, d.name in now_private) for d in dumps]
    alone = build(expected, only_public=True)
    assert_same_public_side(comparable_rows(db.conn, "public_"), comparable_rows(alone.conn, ""))
    assert_nothing_private(db.conn, secrets(expected))
    assert public_views.public_state(db.conn) == ("projected" if now_private else "public")
    # marked back as they were ingested: the same public side as before
    for name in flip:
        mark(db, [name], private=name not in now_private)
    original = build(dumps, only_public=True)
    assert_same_public_side(comparable_rows(db.conn, "public_"), comparable_rows(original.conn, ""))


# --- through Datasette, and the snapshot's bytes ------------------------------------------------------

def _urls(conn: sqlite3.Connection, dumps: list[Dump], hidden: list[str]) -> list[str]:
    """Every table and view (JSON, CSV, HTML), table searches, every canned query with private and
    some public tokens and ids as parameters, and the thread page and Markdown of every thread id."""
    name = "archive"
    secret = [h for h in hidden if h.startswith("zq") or len(h) in (12, 16)]  # tokens, thread and fragment ids
    tokens = sorted({w for d in dumps for w in d.tokens} - set(hidden))[:6]
    ids = sorted({t.id for d in dumps for t in d.result.threads}
                 | {r[0] for r in conn.execute("select id from threads union select id from pub_threads"
                                               " union select alias from thread_aliases")})
    fragments = sorted({fragment_id(p.text) for d in dumps for t in d.result.threads for p in t.parts} - set(hidden))
    queries = canned_queries()
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')"
                                         " and name not like 'sqlite_%' order by name")]
    urls = [f"/{name}.json", f"/{name}"]
    for table in tables:
        urls += [f"/{name}/{table}.json?_shape=array&_size=max", f"/{name}/{table}.csv?_size=max"]
        if table.startswith("public_"):
            urls.append(f"/{name}/{table}")
    words = secret + tokens
    for view in ("public_fragments", "public_threads"):
        for word in words:
            urls.append(f"/{name}/{view}.json?" + urlencode({"_search": word, "_shape": "array"}))
    values = words + [i for i in ids if i not in hidden][:4] + fragments[:3] + [""]
    for query, spec in queries.items():
        params = spec.get("params") or []
        combos = [{}] if not params else [dict.fromkeys(params, v) for v in values]
        for combo in combos:
            urls.append(f"/{name}/{query}.json?" + urlencode({**combo, "_shape": "array", "_size": "max"}))
    for tid in ids:
        urls += [f"/-/threads/{tid}", f"/-/threads/{tid}.md", f"/-/threads/{tid}.zip"]
    # the front page, the search page with every facet filter and order, the source viewer
    urls += ["/", f"/{name}"]
    sources = [r[0] for r in conn.execute("select id from sources")]
    months = [r[0] for r in conn.execute("select distinct substr(first_seen_at, 1, 7) from fragments")]
    filters = [("kind", k) for k in ("thread", "post", "article")] + [("source", str(s)) for s in sources]
    filters += [("month", m) for m in months] + [("author", w) for w in words[:4]]
    for word in words:
        for page in ("/-/search", "/-/search.json"):
            urls.append(f"{page}?" + urlencode({"q": word}))
            urls += [f"{page}?" + urlencode([("q", word), f]) for f in filters]
        urls += ["/-/search?" + urlencode({"q": word, "sort": sort}) for sort in ("newest", "oldest")]
    urls += ["/-/search?" + urlencode({"q": " OR ".join(words[:8])}), "/-/search.json?" + urlencode({"q": "zq*"})]
    for source in sources:
        urls += [f"/-/sources/{source}", f"/-/sources/{source}/raw"]
    return urls


def _unzipped(data: bytes) -> str:
    """Every file of an evidence package, as text."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(name + "\n" + z.read(name).decode("utf-8", "replace") for name in z.namelist())


def _found(url: str, body: str) -> str:
    """What a search found (the search box and the links echo the query, which may be a private token)."""
    import re

    if url.startswith("/-/search.json"):
        data = json.loads(body)
        return json.dumps([data["hits"], data["facets"]], ensure_ascii=False)
    hits = "".join(re.findall(r'<ol class="hits".*?</ol>', body, re.S))
    facets = "".join(re.findall(r'<aside class="facets".*?</aside>', body, re.S))
    return hits + re.sub(r"<[^>]+>", " ", facets)


def _anonymous_leaks(path: Path, urls: list[str], hidden: list[str]) -> list[tuple]:
    import asyncio

    ds = served_datasette(path)

    async def walk() -> list[tuple]:
        leaks = []
        for url in urls:
            r = await ds.client.get(url)
            assert r.status_code < 500, (url, r.status_code, r.text[:300])
            body = r.text
            if r.headers.get("content-type") == "application/zip":
                body = _unzipped(r.content)
            elif url.startswith("/-/search"):
                body = _found(url, body)
            found = [h for h in hidden if h in body]
            if found:
                leaks.append((url, r.status_code, found))
        return leaks

    return asyncio.run(walk())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                 HealthCheck.function_scoped_fixture])
@given(scenarios(max_sources=6))
def test_no_anonymous_response_and_no_snapshot_byte_holds_private_text(tmp_path_factory, dumps):
    from archiver.db import open_db
    from archiver.snapshot import save_snapshot

    folder = tmp_path_factory.mktemp("mix")
    path = folder / "archive.db"
    db = build(dumps, db=open_db(path))
    db.conn.close()
    hidden = secrets(dumps)
    conn = sqlite3.connect(path)
    urls = _urls(conn, dumps, hidden)
    conn.close()
    assert _anonymous_leaks(path, urls, hidden) == []
    save_snapshot(path, folder / "snapshot.db")
    data = (folder / "snapshot.db").read_bytes()
    assert [h for h in hidden if h.encode("utf-8") in data] == []
