"""Search as people type it: FTS5 query syntax, a one-line explanation instead of an error, facets
and paging through every match.

Query syntax is SQLite FTS5's (https://sqlite.org/fts5.html#full_text_query_syntax): words (all
must match), `"a phrase"`, `OR`, `NOT`, `AND`, brackets, and `word*` for a prefix. What people type
that FTS5 would refuse is read the way they meant it before FTS5 sees it: a word holding
punctuation (`Tokayev-Nazarbayev`, `#OSCE`, `@kibhr`, `U.S.`, `1/10`) is searched as the phrase of
its words, and `-word` after another word excludes it (`elections -Tokayev`, as in web search
engines). A query that still cannot be read (an unclosed quote or bracket, an operator with nothing
on one side) is explained in one line, and the corrected query (closed, or every word quoted) is
searched instead: a search never ends in a bare "0 results" because of its syntax. Accents are
ignored by the index itself (tokenizer `unicode61 remove_diacritics 2`: `defenseurs` finds
`défenseurs`, `défens*` finds `defenseurs`).

Ranking and its cost. The matches are ranked by relevance (FTS5's bm25) among the WINDOW most
recently archived ones: ranking every match of a very common word in a million-fragment archive
would take seconds. Facets (kind, author, source, month) count the FACET_SAMPLE best-ranked
matches of that window, which is every match of all but the commonest words; a facet value, once
chosen, filters the whole window. Sorting by date pages through every match, however many
(keyset paging on the fragment rowid, which grows with the archive).

Privacy: anonymous visitors search the public views and the full-text index of public material
(`fragments_fts`, archiver/fts.py); a signed-in reader's SQL is the same with the raw tables and the
index of everything (`public_views.full_sql`).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .fts import TOKENIZE

# Matches ranked by relevance (the most recently archived ones), and the best-ranked of them the
# facets count. Measured at a million fragments on 2 shared cores (benchmarks/scale.py, in process,
# 250 queries): with 20,000 and 1,000, p50 28 ms and p95 57-61 ms; with 10,000 and 500, 18.5 and
# 40 ms, which leaves the served page (HTML, facets) room under its 100 ms p95 when the cores are busy.
WINDOW = 10_000
FACET_SAMPLE = 500
PAGE_SIZE = 20
MAX_QUERY_CHARS = 500
MIN_PREFIX = 2  # characters before a `*`: `a*` would read most of the index
SORTS = ("relevance", "newest", "oldest")
FACETS = ("kind", "author", "source", "month")
OPERATORS = ("AND", "OR", "NOT")
HIT_START, HIT_END = "\x02", "\x03"  # snippet markers (control characters: never in archived text)

_BAREWORD = re.compile(r"[0-9A-Za-z_\x1a\x80-\U0010ffff]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Token:
    """One piece of a query: a term (word or phrase, maybe a prefix), an operator or a bracket."""

    kind: str  # "term", "op", "open", "close"
    raw: str  # as typed (what a corrected query shows)
    fts: str  # as FTS5 reads it


@dataclass
class Query:
    """A query as typed, what is searched for, and why it differs when it does."""

    text: str
    fts: str | None  # the FTS5 expression searched; None when there is nothing to search for
    problem: str | None = None  # why the typed query could not be read, in words
    suggestion: str | None = None  # the corrected query (searched instead), as a person would type it


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def tokenize(text: str) -> tuple[list[Token], list[str]]:
    """The query's tokens, and the problems met on the way (an unclosed quote: the string is
    closed at the end of the query)."""
    tokens: list[Token] = []
    problems: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == '"':
            j, inner = i + 1, []
            while True:
                k = text.find('"', j)
                if k < 0:
                    inner.append(text[j:])
                    problems.append("the quote \" is not closed")
                    i = n
                    break
                inner.append(text[j:k])
                if k + 1 < n and text[k + 1] == '"':  # "" inside a string is a quote
                    inner.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            phrase = "".join(inner)
            star = ""
            while i < n and text[i] == "*":
                star, i = "*", i + 1
            tokens.append(Token("term", _quoted(phrase) + star, _quoted(phrase) + star))
            continue
        if c in "()":
            tokens.append(Token("open" if c == "(" else "close", c, c))
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in '"()':
            j += 1
        word, i = text[i:j], j
        if word in OPERATORS:
            tokens.append(Token("op", word, word))
            continue
        negate = word.startswith("-") and len(word) > 1 and bool(tokens) and tokens[-1].kind in ("term", "close")
        core = word.lstrip("-+") if negate or word.startswith("+") else word
        star = "*" if core.endswith("*") else ""
        core = core.rstrip("*")
        if not _BAREWORD.search(core):
            continue  # punctuation alone (`-`, `#`, `*`): nothing to search for
        fts = core if _BAREWORD.fullmatch(core) and core not in OPERATORS else _quoted(core)
        if negate:
            tokens.append(Token("op", "NOT", "NOT"))
        tokens.append(Token("term", core + star, fts + star))
    return tokens, problems


def _repair(tokens: list[Token]) -> tuple[list[Token], list[str]]:
    """Tokens FTS5 can read: brackets balanced, each operator between two operands; and what was wrong."""
    problems: list[str] = []
    out: list[Token] = []
    depth = 0
    skip = False
    for t in tokens:
        if skip and t.kind == "term":  # the operand of a NOT that had nothing before it: not searched for
            skip = False
            continue
        skip = False
        if t.kind == "close":
            if depth == 0:
                problems.append("a bracket ) has no ( before it")
                continue
            if out and out[-1].kind == "open":  # () holds nothing
                out.pop()
                depth -= 1
                continue
            if out and out[-1].kind == "op":
                problems.append(f"{out[-1].raw} needs words on both sides")
                out.pop()
            depth -= 1
        elif t.kind == "open":
            depth += 1
        elif t.kind == "op":
            if not out or out[-1].kind in ("op", "open"):
                problems.append(f"{t.raw} needs words on both sides")
                skip = t.raw == "NOT"
                continue
        out.append(t)
    while out and out[-1].kind in ("op", "open"):
        last = out.pop()
        if last.kind == "op":
            problems.append(f"{last.raw} needs words on both sides")
        else:
            depth -= 1
    if depth > 0:
        problems.append("a bracket ( is not closed")
        out += [Token("close", ")", ")")] * depth
    # FTS5 reads two words side by side as both required, but not a word beside a bracket
    # (`Kazakhstan (elections OR vote)`): the AND is written out there.
    joined: list[Token] = []
    for t in out:
        if joined and ((t.kind == "open" and joined[-1].kind in ("term", "close") and joined[-1].fts != "NEAR")
                       or (joined[-1].kind == "close" and t.kind in ("term", "open"))):
            joined.append(Token("op", "AND", "AND"))
        joined.append(t)
    return joined, problems


def _short_prefix(tokens: list[Token]) -> str | None:
    for t in tokens:
        if t.kind == "term" and t.fts.endswith("*"):
            words = _BAREWORD.findall(t.raw.rstrip("*"))
            if words and len(words[-1]) < MIN_PREFIX:
                return t.raw
    return None


def _join(tokens: list[Token], attr: str) -> str:
    out = ""
    for t in tokens:
        value = getattr(t, attr)
        if out and not out.endswith("(") and t.kind != "close":
            out += " "
        out += value
    return out


_local = threading.local()


def fts_can_read(expression: str) -> str | None:
    """None when FTS5 can read the expression, else SQLite's message (checked on an empty index
    with the archive's tokenizer, in memory)."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(":memory:")
        conn.execute(f"create virtual table q using fts5(text, tokenize='{TOKENIZE}')")
    try:
        conn.execute("select count(*) from q where q match ?", [expression]).fetchone()
        return None
    except sqlite3.Error as e:
        return str(e)


def parse_query(text: str | None) -> Query:
    """What to search for: the query as FTS5 reads it, or its correction with the reason."""
    typed = (text or "")[:MAX_QUERY_CHARS]
    text = _CONTROL.sub(" ", typed).strip()
    tokens, problems = tokenize(text)
    if _BAREWORD.search(typed) and not _BAREWORD.search(text):
        # the index would read a control character (a stray Ctrl key) as a letter: say why it is not
        problems.append("control characters are not searched")
    fixed, structure = _repair(tokens)
    problems += structure
    short = _short_prefix(fixed)
    if short is not None:
        problems.append(f"a prefix needs at least {MIN_PREFIX} letters before the * ({short})")
        fixed = [Token(t.kind, t.raw.rstrip("*"), t.fts.rstrip("*")) if t.raw == short else t for t in fixed]
    terms = [t for t in fixed if t.kind == "term"]
    if not terms:
        return Query(text, None, "; ".join(problems) or None)
    expression = _join(fixed, "fts")
    refused = fts_can_read(expression)
    if refused is not None:  # what the repairs above do not foresee: every word quoted, nothing else
        problems.append(f"it is not a query the index can read ({refused})")
        words = [w for t in terms for w in [t.raw.strip('"*')] if _BAREWORD.search(w)]
        fixed = [Token("term", _quoted(w), _quoted(w)) for w in words]
        expression = _join(fixed, "fts")
        if not fixed or fts_can_read(expression) is not None:
            return Query(text, None, "; ".join(problems))
    if not problems:
        return Query(text, expression)
    return Query(text, expression, "; ".join(dict.fromkeys(problems)), _join(fixed, "raw"))


def fts_expression(text: str | None) -> str:
    """The FTS5 expression a query is searched as (one matching nothing when there is nothing to
    search for): the `fts_query()` SQL function of the canned queries."""
    return parse_query(text).fts or '""'


# ---------------------------------------------------------------------------------------------
# Running a search

@dataclass
class Hit:
    """One matching fragment: its text's snippet, the thread parts it is and where it was seen."""

    rowid: int
    fragment_id: str
    snippet: str
    first_seen_at: str | None
    parts: list[dict[str, Any]] = field(default_factory=list)
    sightings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Results:
    """A page of results with the facts around it."""

    query: Query
    filters: dict[str, str]
    sort: str
    total: int = 0  # every match of the query, filters aside
    windowed: bool = False  # more matches than WINDOW: ranking and filters see the most recent WINDOW
    count: int | None = None  # matches with the filters (within the window), when filters are set
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    facet_sampled: bool = False  # facets count the FACET_SAMPLE best-ranked matches, not all
    page: int = 1  # relevance paging
    next_page: int | None = None
    cursor: int | None = None  # date paging: the rowid this page continues after
    next_cursor: int | None = None

    @property
    def shown_total(self) -> int:
        """How many matches the listing pages through."""
        if self.count is not None:
            return self.count
        return min(self.total, WINDOW) if self.sort == "relevance" else self.total


# The SQL below names the public views and the index of public material; a reader runs it on the
# raw tables and the index of everything (public_views.full_sql).
_FILTER_SQL = {
    "kind": "exists (select 1 from public_thread_parts p join public_threads t on t.rowid = p.thread_rowid"
            " where p.fragment_rowid = fragments_fts.rowid and t.kind = :f_kind)",
    "author": "exists (select 1 from public_thread_parts p join public_threads t on t.rowid = p.thread_rowid"
              " where p.fragment_rowid = fragments_fts.rowid and coalesce(p.author, t.author) = :f_author)",
    "source": "exists (select 1 from public_sightings g where g.fragment_rowid = fragments_fts.rowid"
              " and g.source_id = cast(:f_source as integer))",
    "month": "exists (select 1 from public_fragments f left join public_thread_parts p on p.fragment_rowid = f.rowid"
             " where f.rowid = fragments_fts.rowid and substr(coalesce(p.posted_at, f.first_seen_at), 1, 7) = :f_month)",
}
# Each lookup below starts from the list of rowids (CROSS JOIN keeps it the outer loop: the planner
# would otherwise start from the public sources, every one of them, for the view's `private = 0`).
_FACET_VALUES_SQL = """
select j.value, t.kind, coalesce(p.author, t.author), substr(coalesce(p.posted_at, f.first_seen_at), 1, 7)
from json_each(:rowids) j
cross join public_fragments f on f.rowid = j.value
left join public_thread_parts p on p.fragment_rowid = f.rowid
left join public_threads t on t.rowid = p.thread_rowid"""
_FACET_SOURCES_SQL = """
select distinct j.value, g.source_id, src.name
from json_each(:rowids) j
cross join public_sightings g on g.fragment_rowid = j.value
cross join public_sources src on src.id = g.source_id"""
# One pass over the matches between the page's first and last rowid. The list of rowids is a filter
# (`+rowid`), not a constraint FTS5 is given: SQLite would run the match once per rowid, and a prefix
# query merges its terms' doclists each time (inte* at a million fragments: 125 ms instead of 12).
_SNIPPETS_SQL = f"""
select fragments_fts.rowid, snippet(fragments_fts, 0, '{HIT_START}', '{HIT_END}', ' … ', 32), f.id, f.first_seen_at
from fragments_fts
cross join public_fragments f on f.rowid = fragments_fts.rowid
where fragments_fts match :q and fragments_fts.rowid between :lo and :hi
  and +fragments_fts.rowid in (select value from json_each(:rowids))"""
_PARTS_SQL = """
select j.value, p.thread_id, p.n, t.total, t.title, t.kind, coalesce(p.author, t.author), p.posted_at
from json_each(:rowids) j
cross join public_thread_parts p on p.fragment_rowid = j.value
cross join public_threads t on t.rowid = p.thread_rowid
order by j.key, p.thread_id, p.n"""
_SIGHTINGS_SQL = """
select j.value, g.source_id, src.name, g.line_start, g.line_end, src.lines
from json_each(:rowids) j
cross join public_sightings g on g.fragment_rowid = j.value
cross join public_sources src on src.id = g.source_id
order by j.key, g.source_id, g.line_start"""


def clean_filters(args: dict[str, str | None]) -> dict[str, str]:
    """The facet filters a request sets (kind, author, source, month), empty ones left out."""
    out = {}
    for name in FACETS:
        value = (args.get(name) or "").strip()
        if value and len(value) <= 200 and not _CONTROL.search(value):
            if name == "source" and not value.isdigit():
                continue
            out[name] = value
    return out


def run_search(conn: sqlite3.Connection, query: Query, filters: dict[str, str] | None = None,
               sort: str = "relevance", page: int = 1, cursor: int | None = None,
               sql=lambda s: s, page_size: int = PAGE_SIZE) -> Results:
    """Run a search on an archive connection: the page asked for, the counts and the facets.

    `sql` rewrites the statements for the reader (public_views.full_sql), `sort` is relevance (paged by
    number within the ranked window) or newest/oldest (paged by `cursor`, a fragment rowid, through
    every match)."""
    filters = filters or {}
    sort = sort if sort in SORTS else "relevance"
    results = Results(query, filters, sort, page=max(1, page))
    if query.fts is None:
        return results
    # Plain tuples: the rows here are ids and short values, and a row factory (Datasette's, or the
    # limits plugin's budget) would cost a Python call for each of the thousands a search reads.
    factory, conn.row_factory = conn.row_factory, None
    try:
        _run(conn, results, filters, sort, cursor, sql, page_size)
    finally:
        conn.row_factory = factory
    return results


def _run(conn, results: Results, filters: dict[str, str], sort: str, cursor: int | None, sql, page_size: int) -> None:
    params: dict[str, Any] = {"q": results.query.fts, **{f"f_{k}": v for k, v in filters.items()}}
    match = "fragments_fts match :q"

    def rows(statement: str, extra: dict | None = None) -> list:
        return conn.execute(sql(statement), {**params, **(extra or {})}).fetchall()

    results.total = rows(f"select count(*) from fragments_fts where {match}")[0][0]
    if not results.total:
        return
    floor = 0
    if results.total > WINDOW:
        results.windowed = True
        floor = rows(f"select min(rowid) from (select rowid from fragments_fts where {match}"
                     f" order by rowid desc limit {WINDOW})")[0][0] or 0
    params["floor"] = floor
    condition = " and ".join([match, "fragments_fts.rowid >= :floor"] + [_FILTER_SQL[k] for k in filters])
    offset = (results.page - 1) * page_size
    if filters:
        # One pass over the window with the filters (each match is looked up once, not once to
        # count and again to rank): every match's rank, sorted here.
        everything = [r[0] for r in sorted(rows(f"select fragments_fts.rowid, rank from fragments_fts"
                                                f" where {condition}"), key=lambda r: r[1])]
        results.count = len(everything)
        if not everything:
            return
        ranked = everything[:FACET_SAMPLE]
    else:
        everything = None
        ranked = [r[0] for r in rows(f"select fragments_fts.rowid from fragments_fts where {condition}"
                                     f" order by rank limit {FACET_SAMPLE}")]
    # the best-ranked matches: the facets' sample, and the relevance pages within it
    results.facet_sampled = len(ranked) == FACET_SAMPLE and (results.count or results.total) > FACET_SAMPLE
    results.facets = _facets(rows, ranked, filters)
    if sort == "relevance":
        if everything is not None:
            page_rows = everything[offset:offset + page_size + 1]
        elif offset + page_size < len(ranked) or len(ranked) < FACET_SAMPLE:
            page_rows = ranked[offset:offset + page_size + 1]
        else:
            page_rows = [r[0] for r in rows(f"select fragments_fts.rowid from fragments_fts where {condition}"
                                            f" order by rank limit {page_size + 1} offset {offset}")]
        if len(page_rows) > page_size:
            results.next_page = results.page + 1
    else:
        newest = sort == "newest"
        results.cursor = cursor
        date_where = [match] + [_FILTER_SQL[k] for k in filters]
        if cursor is not None:
            date_where.append("fragments_fts.rowid < :cursor" if newest else "fragments_fts.rowid > :cursor")
        page_rows = [r[0] for r in rows(
            f"select fragments_fts.rowid from fragments_fts where {' and '.join(date_where)}"
            f" order by fragments_fts.rowid {'desc' if newest else 'asc'} limit {page_size + 1}",
            {"cursor": cursor})]
        if len(page_rows) > page_size:
            results.next_cursor = page_rows[page_size - 1]
    results.hits = _hits(rows, page_rows[:page_size])


def _facets(rows, ranked: list[int], filters: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Facet values with counts (a match counts once per value), most frequent first."""
    if not ranked:
        return {}
    ids = json.dumps(ranked)
    seen: dict[str, set] = {name: set() for name in FACETS}
    labels: dict[str, dict[str, str]] = {name: {} for name in FACETS}
    for r, kind, author, month in rows(_FACET_VALUES_SQL, {"rowids": ids}):
        for name, value in (("kind", kind), ("author", author), ("month", month)):
            if value:
                seen[name].add((r, value))
    for r, source_id, name in rows(_FACET_SOURCES_SQL, {"rowids": ids}):
        seen["source"].add((r, str(source_id)))
        labels["source"][str(source_id)] = name
    out = {}
    for name in FACETS:
        counts = Counter(value for _, value in seen[name])
        order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if name != "month" else \
            sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
        out[name] = [{"value": v, "label": labels[name].get(v, v), "count": c, "selected": filters.get(name) == v}
                     for v, c in order[:30]]
    return out


def _hits(rows, rowids: list[int]) -> list[Hit]:
    """The page's hits in order, with snippet, parts and sightings."""
    if not rowids:
        return []
    ids = json.dumps(rowids)
    hits = {r: Hit(r, fid, snippet, seen) for r, snippet, fid, seen in rows(
        _SNIPPETS_SQL, {"rowids": ids, "lo": min(rowids), "hi": max(rowids)})}
    for r, thread_id, n, total, title, kind, author, posted_at in rows(_PARTS_SQL, {"rowids": ids}):
        if r in hits:
            hits[r].parts.append({"thread_id": thread_id, "n": n, "total": total, "title": title, "kind": kind,
                                  "author": author, "posted_at": posted_at})
    for r, source_id, name, start, end, lines in rows(_SIGHTINGS_SQL, {"rowids": ids}):
        if r in hits:
            hits[r].sightings.append({"source_id": source_id, "name": name, "line_start": start,
                                      "line_end": end, "lines": lines})
    return [hits[r] for r in rowids if r in hits]
