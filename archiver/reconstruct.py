"""Reconstruction: units -> posts -> threads, as a scored decoding over the evidence.

The model (see docs/reconstruction.md):
- Hard evidence fixes boundaries: a status URL or an author change starts a thread; chrome
  and separators end a post; a marker at the start of a line starts a post, one at the end
  closes it.
- Markers chain into threads: the same declared total and a rising number continue a chain.
- Between two anchors (marked posts) the unmarked units are cut into posts by an exact
  search that maximises the sum of the evidence scores below, under the n/N arithmetic
  (how many parts fit between the anchors) and the 280-character post limit.
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

import regex

from .articles import Article, split_articles
from .formats import PLAIN, Layout, read_layout
from .models import Dropped, Part, Thread, split_lines, thread_title
from .normalize import content_hash, normalize_text, normalized_hash, short_hash
from .segment import HARD_GAPS, SENTENCE_END, Unit, is_signature, links_only, segment_lines
from .settings import Settings, using
from .settings import current as current_settings

# Every soft decision is a sum of evidence weights: they, and every threshold, are fields of the
# settings in force (archiver/settings.py), overridable per call.


@dataclass
class Post:
    """A post being built: its units, number, marker and evidence."""

    units: list[Unit]
    n: int | None = None
    marker: str | None = None
    inferred: bool = True

    @property
    def lines(self) -> list[int]:
        """All line indexes of the post."""
        return [i for u in self.units for i in u.lines]

    @property
    def text(self) -> str:
        """Clean text of the post."""
        return "\n".join(u.text for u in self.units if u.text)

    @property
    def length(self) -> int:
        """Weighted length of the post."""
        return sum(u.length for u in self.units)


@dataclass
class Chain:
    """A thread being built: its posts, declared total, author and url."""

    posts: list[Post] = field(default_factory=list)
    total: int | None = None
    numbered: bool = False
    author: str | None = None
    url: str | None = None
    last_n: int = 0
    reopened: bool = False  # took a post in the region being assembled (its posts are sorted again)
    copy: bool = False  # made of a text pasted again: it folds into the first copy, and no thread continues it


PARALLEL_CHUNK_CHARS = 4_000_000  # texts longer than this are cut into chunks parsed on every core


def reconstruct_text(text: str, source_index: int = 0, settings: Settings | None = None
                     ) -> tuple[list[Thread], list[Dropped]]:
    """Rebuild the threads, posts and articles of one text; returns them with the dropped spans."""
    threads, dropped, _ = reconstruct_capture(text, source_index, settings)
    return threads, dropped


def reconstruct_capture(text: str, source_index: int = 0, settings: Settings | None = None
                        ) -> tuple[list[Thread], list[Dropped], Layout]:
    """`reconstruct_text`, with the capture format's layout (its name and the source's metadata:
    title, source URL, author, dates); a text long enough to be cut into chunks is read as plain."""
    # Reconstruction makes millions of small objects and no reference cycles: the cyclic
    # collector would rescan them all again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        with using(settings) as cfg:
            lines = split_lines(text)
            if len(text) > PARALLEL_CHUNK_CHARS:
                return (*_reconstruct_chunked(lines, source_index, cfg), PLAIN)
            layout = read_layout(lines)
            return (*_reconstruct_lines(lines, source_index, layout=layout), layout)
    finally:
        if enabled:
            gc.enable()


def reconstruct_chunk(lines: list[str], offset: int, prior: set[int], settings: Settings | None = None
                      ) -> tuple[list[Thread], list[Dropped], list[tuple[str, int, int]]]:
    """Rebuild one chunk of a long text whose first line is line `offset` of the whole; re-pastes
    of earlier chunks' parts (`prior`, extended here) come back as (hash, line_start, line_end)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with using(settings):
            threads, dropped = _reconstruct_lines(lines, 0, offset, fold=False)
        copies: list[tuple[str, int, int]] = []
        threads = _fold_repastes(threads, prior, copies, dropped)
        threads.sort(key=lambda t: (t.parts[0].line_start or 0))
        return threads, dropped, copies
    finally:
        if enabled:
            gc.enable()


def _reconstruct_lines(lines: list[str], source_index: int = 0, offset: int = 0,
                       fold: bool = True, layout: Layout | None = None) -> tuple[list[Thread], list[Dropped]]:
    layout = layout if layout is not None else read_layout(lines)
    seg = segment_lines(lines, source_index, layout)
    articles, units = split_articles(seg)
    chains: list[Chain] = []
    timeline = _interleaved_authors(units)
    for region in _regions(units, profile=_profile_page(lines)):
        _assemble_region(region, chains, timeline)
    threads = [_thread_from_chain(c, lines, source_index) for c in chains if c.posts]
    threads += [_thread_from_article(a, lines, source_index) for a in articles]
    if offset:
        for t in threads:
            for p in t.parts:
                p.line_start += offset
                p.line_end += offset
                p.also = [(a + offset, b + offset) for a, b in p.also]
        for d in seg.dropped:
            d.line_start += offset
            d.line_end += offset
    if fold:
        threads = _fold_repastes(threads, dropped=seg.dropped)
    threads.sort(key=lambda t: (t.parts[0].line_start or 0))
    dropped = sorted(seg.dropped, key=lambda d: d.line_start)
    return threads, dropped


def _chunk_starts(lines: list[str], target: int) -> list[int]:
    """Line indexes where a long text is cut: a status URL (a thread starts there), else a
    double blank line, else any blank line, looked for past each `target` characters."""
    starts = [0]
    size = 0
    i = 0
    while i < len(lines):
        size += len(lines[i]) + 1
        if size >= target:
            cut = safe_cut(lines, i + 1, min(len(lines), i + 1 + 20_000))
            if cut is None:
                break
            starts.append(cut)
            size = 0
            i = cut
            continue
        i += 1
    return starts


def safe_cut(lines: list[str], lo: int, hi: int) -> int | None:
    """The first line in lines[lo:hi] where no thread continues (a status URL, then a line after two
    blank lines, then one after a blank line), where a long text may be cut; None when there is none."""
    for pred in (lambda j: lines[j].lstrip().startswith(("https://twitter.com/", "https://x.com/"))
                 and "/status/" in lines[j] and len(lines[j]) < 120,
                 lambda j: j >= 2 and not lines[j - 1].strip() and not lines[j - 2].strip() and lines[j].strip(),
                 lambda j: j >= 1 and not lines[j - 1].strip() and lines[j].strip()):
        for j in range(lo, hi):
            if pred(j):
                return j
    return None


# The lines of the text being parsed in chunks: forked workers inherit them, so that a job names
# its chunk by its bounds instead of sending its lines through a pipe.
_CHUNKED_LINES: list[str] = []
_CHUNKED_LOCK = threading.Lock()
_THREAD_FIELDS = tuple(f.name for f in fields(Thread))
_PART_FIELDS = tuple(f.name for f in fields(Part))


def _reconstruct_chunk(args: tuple[list[str] | tuple[int, int], int, int, Settings]) -> tuple[list, list, list]:
    """Rebuild one chunk (its lines, or its bounds in `_CHUNKED_LINES`) in a worker; the threads and
    dropped spans go back as plain tuples, which cross the pipe several times faster than dataclasses."""
    chunk, source_index, offset, settings = args
    lines = _CHUNKED_LINES[chunk[0]:chunk[1]] if isinstance(chunk, tuple) else chunk
    with using(settings):  # a worker process starts with the defaults
        threads, dropped = _reconstruct_lines(lines, source_index, offset, fold=False, layout=PLAIN)
    # the parts' content hashes are worked out here, on every core, for the fold over the whole text
    hashes = [[_part_hash(p) for p in t.parts] for t in threads]
    return ([_thread_row(t) for t in threads],
            [(d.source, d.line_start, d.line_end, d.reason) for d in dropped], hashes)


def _thread_row(thread: Thread) -> tuple:
    """A thread as a tuple of its fields, its parts as tuples of theirs (`_rebuild_threads` undoes it)."""
    return tuple([tuple(getattr(p, k) for k in _PART_FIELDS) for p in thread.parts] if k == "parts"
                 else getattr(thread, k) for k in _THREAD_FIELDS)


def _rebuild_threads(rows: list) -> list[Thread]:
    """Threads from the tuples `_reconstruct_chunk` sends back."""
    at = _THREAD_FIELDS.index("parts")
    out = []
    for row in rows:
        values = list(row)
        values[at] = [Part(*p) for p in values[at]]
        out.append(Thread(*values))
    return out


def _reconstruct_chunked(lines: list[str], source_index: int, settings: Settings
                         ) -> tuple[list[Thread], list[Dropped]]:
    """A long text parsed in chunks cut where no thread continues, in parallel, then folded whole."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    global _CHUNKED_LINES
    cores = os.cpu_count() or 1
    total = sum(len(line) + 1 for line in lines)
    starts = _chunk_starts(lines, max(PARALLEL_CHUNK_CHARS // 4, total // (cores * 4)))
    bounds = list(zip(starts, starts[1:] + [len(lines)]))
    workers = max(1, min(len(bounds), cores))
    forked = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    jobs = [((a, b) if forked else lines[a:b], source_index, a, settings) for a, b in bounds]
    if workers == 1:
        results = [_reconstruct_chunk(j) for j in jobs]
    else:
        context = multiprocessing.get_context("fork" if forked else None)
        with _CHUNKED_LOCK:  # (one text at a time in `_CHUNKED_LINES`, whatever the threads)
            _CHUNKED_LINES = lines
            try:
                with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                    results = list(pool.map(_reconstruct_chunk, jobs, chunksize=1))
            finally:
                _CHUNKED_LINES = []
    threads: list[Thread] = []
    dropped: list[Dropped] = []
    known: dict[int, str | None] = {}
    for rows, spans, hashes in results:
        chunk_threads = _rebuild_threads(rows)
        threads.extend(chunk_threads)
        dropped.extend(Dropped(*d) for d in spans)
        for t, part_hashes in zip(chunk_threads, hashes):
            for p, h in zip(t.parts, part_hashes):
                known[id(p)] = h
    threads = _fold_repastes(threads, dropped=dropped, known=known)
    threads.sort(key=lambda t: (t.parts[0].line_start or 0))
    return threads, dropped


# --- regions: stretches that cannot share a thread ----------------------------------------------
# A profile page's head: its counts of followers, of accounts followed and of posts (`1.1M followers`,
# `329 posts`), on lines of their own near the top.
_PROFILE_STATS = regex.compile(r"^[\d.,]+\s?[KkMm]?\s*(?:followers|following|abonnés|abonnements|подписчик\w*|"
                               r"seguidores|siguiendo|Follower|folgt)(?!\p{L})", regex.IGNORECASE)


def _profile_page(lines: list[str]) -> bool:
    """True for a copy of one account's profile page: its posts, made at different times, are
    separate posts (on a thread page the author's consecutive posts are a self-thread)."""
    return any(_PROFILE_STATS.match(line.strip()) for line in lines[:40])


def _regions(units: list[Unit], profile: bool = False) -> list[list[Unit]]:
    cfg = current_settings()
    regions: list[list[Unit]] = []
    author = None
    age: float | None = None
    seen: dict[str, Unit] = {}
    was_copy = False
    last: tuple[int | None, int] | None = None  # (total, n) of the last marker seen, not in a copy
    for u in units:
        new_author = u.author is not None and author is not None and u.author != author
        # the same author's posts made hours or days apart (a profile page): separate posts
        apart = u.own_header and (profile or (u.age is not None and age is not None
                                              and abs(u.age - age) > cfg.self_thread_hours))
        # a reply to another account's post (`Replying to @other`) is no part of its author's thread
        elsewhere = u.own_header and bool(u.replies_to) and (u.author or "").casefold() not in u.replies_to
        if u.own_header:
            age = u.age
        norm = normalize_text(u.text)
        # a unit pasted again stands apart, so that it folds into its first copy; the units after it
        # that were pasted before too go with it (a post of several lines pasted again)
        apart_gap = u.gap in HARD_GAPS or u.gap == "blank2"
        copy = norm in seen and ((apart_gap and len(norm) >= cfg.repaste_min_chars) or (was_copy and bool(norm)))
        m = u.marker
        if copy and not was_copy and m is not None and m.total is not None and last == (m.total, m.n - 1):
            copy = False  # the next number of the thread being pasted: a part it shares with another
        if m is not None:
            last = None if copy else (m.total, m.n)
        if copy and not was_copy:
            seen[norm].copied = True
        seen.setdefault(norm, u)
        if not regions or u.gap in ("status", "article", "start") or new_author or apart or elsewhere or (
                copy and (apart_gap or not was_copy)) or (was_copy and not copy):
            regions.append([])
        was_copy = copy
        u.repaste = copy
        regions[-1].append(u)
        author = u.author or author
    return regions


def _segments(region: list[Unit]) -> list[list[Unit]]:
    """Group units between forced post boundaries; each group holds at most one marker."""
    segs: list[list[Unit]] = []
    for u in region:
        forced = (
            not segs
            or u.gap in HARD_GAPS
            or u.marker_at_start
            or (segs[-1][-1].marker is not None and not segs[-1][-1].marker_at_start and u.gap != "none")
            or (u.marker is not None and any(x.marker for x in segs[-1]))
        )
        if forced:
            segs.append([u])
        else:
            segs[-1].append(u)
    return segs


def _seg_marker(seg: list[Unit]) -> tuple[Unit, bool] | None:
    """The marked unit of a segment and whether its marker opens the segment."""
    for u in seg:
        if u.marker is not None:
            return u, u is seg[0] and u.marker_at_start
    return None


# --- assembly ------------------------------------------------------------------------------------
def _assemble_region(region: list[Unit], chains: list[Chain], timeline: bool = False) -> None:
    """Assemble one region's units into chains, appended to `chains` (the chains of the regions
    before it: an author's numbered thread interleaved with another's in a timeline copy is picked
    up again across regions, by author and numbering; an unnumbered one too when the text is a
    `timeline` of a few authors' threads)."""
    cfg = current_settings()
    segs = _segments(region)
    first = len(chains)
    current: Chain | None = None
    anchor: Post | None = None  # last marked post
    anchor_tail: list[Unit] = []  # units after the anchor's marked unit inside its segment
    pending: list[list[Unit]] = []
    for seg in segs:
        found = _seg_marker(seg)
        if found is None:
            pending.append(seg)
            continue
        unit, at_start = found
        m = unit.marker
        if at_start:
            marked_units, lead, trail = [unit], [], seg[1:]
        else:
            idx = seg.index(unit)
            marked_units, lead, trail = seg[idx:idx + 1], seg[:idx], seg[idx + 1:]
        free = anchor_tail + [u for s in pending for u in s] + lead
        # a marker closing a post (`text (4/)`) stands under the header that opens the post
        headed = unit.own_header or any(u.own_header for u in free)
        target = _continuing_chain(chains, current, m.n, m.total, unit.author, first, headed, m.text)
        if target is None and _repeats(current, m, lead + [unit]):
            # the same post pasted again right after itself: a copy in the same thread (folded into
            # an `also` span of the first), not the start of another thread; the lines above its
            # closing marker are the copy's own
            target = current
            marked_units, free = lead + marked_units, free[:len(free) - len(lead)]
        if current is not None and target is not current and (current.total is None or current.last_n < current.total):
            before, own, rest = _self_thread_posts(free, current)
            if own:  # the current thread's author goes on under their own headers before the next thread
                _close_thread(current, anchor, before, own, chains)
                free, anchor = rest, None
        if target is None and current is None and not (unit.own_header or any(u.own_header for u in lead)):
            # a copy shows every post of one thread with its header, or none of them: the posts
            # under headers above a headless marker are not the opening its numbers ask for
            cut = min(len(free), _after_headed_posts(free + marked_units))
            if cut:
                chains.append(_unnumbered_chain(free[:cut], _forced_positions(free[:cut])))
                free = free[cut:]
        forced = _forced_positions(free)
        post = Post(units=list(marked_units), n=m.n, marker=m.text, inferred=False)
        if target is not None:
            orphans = _fill(target, anchor, free, forced, post, head=None, cap=max(0, m.n - target.last_n - 1))
        else:
            new = Chain(total=m.total, numbered=True, author=unit.author, url=_first_url(pending, seg))
            orphans = _fill(current, anchor, free, forced, post, head=new, cap=m.n - 1)
        if orphans:
            chains.append(_unnumbered_chain(orphans, set()))
        if target is None:
            chains.append(new)
            target = new
        target.posts.append(post)
        target.reopened = True
        target.last_n = max(target.last_n, m.n)
        target.author = target.author or unit.author
        current, anchor, anchor_tail, pending = target, post, list(trail), []
    free = anchor_tail + [u for s in pending for u in s]
    # a post under an author's header after a thread that showed none starts a thread of its own
    cut = next((p for p, u in enumerate(free) if current is not None and _headed_elsewhere(current, u)), None)
    headed = free[cut:] if cut is not None else []
    free = free[:cut] if cut is not None else free
    own: list[list[Unit]] = []
    if current is not None and (current.total is None or current.last_n < current.total):
        free, own, rest = _self_thread_posts(free, current)
        headed = rest + headed
    if current is None and free:
        _place_unnumbered(free, chains, first, timeline, at=first)
    elif current is not None:
        _close_thread(current, anchor, free, own, chains)
    if headed:
        _place_unnumbered(headed, chains, first, timeline, at=len(chains))
    if region and region[0].repaste:
        for c in chains[first:]:
            c.copy = True
    for c in chains[first:] + [c for c in chains[max(0, first - cfg.open_chains):first] if c.reopened]:
        c.posts.sort(key=lambda p: (p.n if p.n is not None else 0))
        c.reopened = False


def _place_unnumbered(free: list[Unit], chains: list[Chain], first: int, timeline: bool, at: int) -> None:
    """Unmarked units that no marked post of the region took: the unnumbered thread (inserted into
    `chains` at `at`) or the next posts of the same author's thread from an earlier region."""
    chain = _unnumbered_chain(free, _forced_positions(free))
    earlier = _author_thread(chains, first, free[0]) if timeline else _interrupted_thread(chains, first, free[0])
    if earlier is None:
        chains.insert(at, chain)
        return
    for post in chain.posts:  # the author's unnumbered thread, interleaved with another's posts
        # a post pasted again takes its first copy's number (folded into an `also` span later): it
        # is not the thread's next part, which a marker may still bring
        twin = _twin(earlier, post.text)
        if twin is None:
            earlier.last_n += 1
        post.n = earlier.last_n if twin is None else twin.n
        earlier.posts.append(post)


def _interleaved_authors(units: list[Unit]) -> bool:
    """True when the posts under author headers come from a few authors who each posted several
    times: threads interleaved in a timeline. A reply page, where most repliers post once, is not
    one: an author's replies there, with others' between them, are separate posts, even where two
    of them talk back and forth. A timeline may hold one other account's post among them (a
    retweet, a quoted post); two accounts that post once make a reply page."""
    posts: dict[str, int] = {}
    for u in units:
        if u.own_header and u.author is not None:
            posts[u.author] = posts.get(u.author, 0) + 1
    several = sum(1 for n in posts.values() if n >= 2)
    return several >= 2 and len(posts) - several <= 1


def _author_thread(chains: list[Chain], first: int, unit: Unit) -> Chain | None:
    """The thread, from a region before this one, that an unnumbered unit under its own author
    header continues: the same author's posts in a timeline, with another author's between them."""
    cfg = current_settings()
    if not unit.own_header or unit.author is None:
        return None
    for k in range(first - 1, max(-1, first - 1 - cfg.open_chains), -1):
        c = chains[k]
        if c.author == unit.author:
            # (or a numbered one that has not reached its total: `1/n`, or `1/5` with 3 posts seen)
            return c if c.total is None or c.last_n < c.total else None
    return None


def _close_thread(chain: Chain, anchor: Post | None, free: list[Unit], own: list[list[Unit]], chains: list[Chain]) -> None:
    """The units after a thread's last marked post: they continue it where the numbers allow (the
    rest start an unnumbered thread), then its author's own next posts (`_self_thread_posts`)."""
    if free:
        cap = (chain.total - chain.last_n) if chain.total else None
        orphans = _fill(chain, anchor, free, _forced_positions(free), None, head=None, cap=cap)
        if orphans:
            chains.append(_unnumbered_chain(orphans, set()))
    for units in own:
        chain.last_n += 1
        chain.posts.append(Post(units=units, n=chain.last_n if chain.numbered else None))


def _self_thread_posts(free: list[Unit], chain: Chain) -> tuple[list[Unit], list[list[Unit]], list[Unit]]:
    """After a thread's last marker, its author's next posts, each under the author's own header:
    the self-thread goes on, one post per header (a post's lines run to the next hard gap). Returns
    the units before them, the posts, and the units after them."""
    start = next((p for p, u in enumerate(free) if u.own_header and u.author is not None and u.author == chain.author), None)
    if start is None:
        return free, [], []
    posts: list[list[Unit]] = []
    end = start
    room = chain.total - chain.last_n if chain.total else None  # (no more posts than its total allows)
    for u in free[start:]:
        if u.own_header and u.author == chain.author and len(posts) != room:
            if _starts_a_post(chain, u.text):
                break  # a post of the thread pasted again (it folds into its first copy)
            posts.append([u])
        elif u.gap not in HARD_GAPS:
            posts[-1].append(u)
        else:
            break
        end += 1
    if not posts:
        return free, [], []
    return free[:start], posts, free[end:]


def _after_headed_posts(free: list[Unit]) -> int:
    """Where the headless units after the last post under an author's header (not a status URL,
    which names no page layout) begin, a hard gap parting them from it; 0 when none follow one."""
    last = next((p for p in range(len(free) - 1, -1, -1)
                 if free[p].own_header and free[p].author is not None and free[p].url is None), None)
    if last is None:
        return 0
    cut = next((p for p in range(last + 1, len(free)) if free[p].gap in HARD_GAPS), None)
    return cut or 0


def _starts_a_post(chain: Chain, text: str) -> bool:
    """True when a post of the chain starts with this text."""
    norm = normalize_text(text)
    return bool(norm) and any(normalize_text(p.text).startswith(norm) for p in chain.posts)


def _headed_elsewhere(chain: Chain, unit: Unit) -> bool:
    """True when the unit opens a post under an author's header and the chain's posts came with
    none: a copy shows every post of one thread with its header, or none of them."""
    return unit.own_header and unit.author is not None and _headless(chain)


def _headless(chain: Chain) -> bool:
    """True when no post of the chain came under an author's header (and no author is known)."""
    return chain.author is None and bool(chain.posts) and not any(u.own_header for p in chain.posts for u in p.units)


def _interrupted_thread(chains: list[Chain], first: int, unit: Unit) -> Chain | None:
    """The unnumbered thread that a post pasted again interrupted (its copy is a chain of its own,
    folded later) and that this unit, under the same author's header, goes on."""
    c = _before_copies(chains, first)
    if c is None or not unit.own_header or unit.author is None:
        return None
    return c if c.author == unit.author and not c.numbered else None


def _before_copies(chains: list[Chain], end: int) -> Chain | None:
    """The chain right before the copies (chains of a post pasted again) that end chains[:end], the
    thread they interrupted; None when chains[end - 1] is no copy or nothing comes before them."""
    k = end - 1
    while k >= 0 and chains[k].copy:
        k -= 1
    return chains[k] if 0 <= k < end - 1 else None


def _repeats(chain: Chain | None, marker, units: list[Unit]) -> bool:
    """True when the chain already holds a post numbered like this marker with the very text of
    these units."""
    if chain is None or marker.total != chain.total or not any(p.n == marker.n for p in chain.posts):
        return False
    return _twin(chain, "\n".join(u.text for u in units if u.text), marker.n) is not None


def _twin(chain: Chain, text: str, n: int | None = None) -> Post | None:
    """The chain's post (numbered n, when given) with this very text: a copy pasted again."""
    norm = normalize_text(text)
    return next((p for p in chain.posts if norm and (n is None or p.n == n) and normalize_text(p.text) == norm), None)


def _first_url(pending: list[list[Unit]], seg: list[Unit]) -> str | None:
    for u in [x for s in pending for x in s] + seg:
        if u.url:
            return u.url
    return None


def _other_brackets(a: str | None, b: str | None) -> bool:
    """True when both markers are written in brackets, and not in the same ones (`(2/)`, `[1/2]`)."""
    def brackets(text: str | None) -> str:
        text = (text or "").strip()
        return (text[:1] if text[:1] in "([{【（" else "") + (text[-1:] if text[-1:] in ")]}】）" else "")
    x, y = brackets(a), brackets(b)
    return bool(x) and bool(y) and x != y


def _last_marker(chain: Chain) -> str | None:
    """The marker text of the chain's last marked post."""
    return next((p.marker for p in reversed(chain.posts) if p.marker), None)


def _continuing_chain(chains: list[Chain], current: Chain | None, n: int, total: int | None,
                      author: str | None, first: int = 0, own_header: bool = False,
                      marker: str | None = None) -> Chain | None:
    """The open chain this marker continues, if any (the current one first, then same-author ones).

    Chains before index `first` come from earlier regions (another author's posts came between):
    they are picked up again by a post under its own author header, or by a marker that declares
    their total: the timeline of two authors' numbered threads, not on an author remembered from a
    header far above."""
    cfg = current_settings()
    def fits(c: Chain) -> bool:
        # a marker that leaves its total out (`(2/)`, `2/`) continues the thread it comes right after,
        # unless both are in brackets and not the same ones (`(2/)` does not go on `[1/2]`)
        same_total = c.total == total or (total is None and c is current and c.total is not None and n <= c.total
                                          and not _other_brackets(marker, _last_marker(c)))
        # (a post under its author's header does not go on a thread that showed no header)
        return same_total and n > c.last_n and (author is None or c.author is None or c.author == author) and not (
            own_header and author is not None and _headless(c))

    if current is not None and fits(current):
        return current
    # right after a post pasted again (its own chain, folded later), the thread it interrupted goes on
    c = _before_copies(chains, len(chains))
    if c is not None and c is not current:
        if fits(c):
            return c
        if (not c.numbered and total is not None and n > c.last_n
                and (author is None or c.author is None or c.author == author)):
            # the unnumbered opening of a numbered thread, pasted again before the thread goes on:
            # the head a marker's arithmetic would have found right above it
            c.numbered, c.total = True, total
            return c
    if author is None:
        return None
    # interleaved timelines: an earlier chain of the same author, among the most recent ones
    for k in range(len(chains) - 1, max(-1, len(chains) - 1 - cfg.open_chains), -1):
        c = chains[k]
        if c is not current and not c.copy and c.author == author and fits(c) and (
                k >= first or own_header or (total is not None and c.numbered)):
            # (the author's unnumbered posts before it are the thread's opening: numbered from 1,
            # so a number the copy skips is missing)
            c.numbered = True
            return c
    if own_header and total is not None and n > 1:
        # the author's unnumbered posts just before, no more than the numbers before this one: the
        # thread's opening, with another author's posts between (its head, by the arithmetic; the
        # numbers it leaves out are missing from the copy)
        for k in range(len(chains) - 1, max(-1, len(chains) - 1 - cfg.open_chains), -1):
            c = chains[k]
            if c is not current and not c.copy and c.author == author:
                if not c.numbered and c.total is None and 1 <= c.last_n <= n - 1:
                    c.numbered, c.total = True, total
                    return c
                break
    return None


def _forced_positions(free: list[Unit]) -> set[int]:
    """Positions in the free list where a cut is forced: chrome, separators and other hard gaps."""
    return {p for p, u in enumerate(free) if u.gap in HARD_GAPS}


def _gap_score(units: list[Unit], p: int) -> float:
    """Evidence for a post boundary before units[p] (p >= 1) or before the first unit."""
    cfg = current_settings()
    u = units[p]
    s = cfg.gap_scores.get(u.gap, cfg.gap_other)
    if u.chrome_layout and u.chrome_post and u.gap in ("blank", "spacer", "blank2", "line", "wrap"):
        # between two chrome blocks of a web-UI copy lies one post, however long its lines
        s = cfg.chrome_layout_blank
    if u.spaced and u.gap in ("blank", "spacer"):
        # a thread that parts its posts with spacer lines keeps its paragraphs apart with blank ones
        s = cfg.gap_spaced_spacer if u.gap == "spacer" else cfg.gap_spaced_blank
    if u.gap == "line" and p > 0 and _ends_in_link(units[p - 1]):
        # a post's links come at its end: a line break after one is weaker evidence of more text
        s = cfg.gap_after_link
    if u.copied:
        s = max(s, cfg.gap_copied)
    if u.length < cfg.short_unit:
        s += cfg.short_start
    first = u.text.lstrip()[:1]
    if first.islower():
        s += cfg.lowercase_start
    if p > 0:
        prev = units[p - 1].text.rstrip()
        if prev and not prev.endswith(SENTENCE_END) and not prev.split()[-1].startswith(("http", "<LINK>", "#", "@")):
            s += cfg.open_end
    return s


def _ends_in_link(unit: Unit) -> bool:
    """True when the unit's text ends with a link."""
    tokens = unit.text.split()
    return bool(tokens) and tokens[-1].startswith(("http", "<LINK>"))


def _fill(chain: Chain | None, anchor: Post | None, free: list[Unit], forced: set[int], next_post: Post | None,
          head: Chain | None, cap: int | None) -> list[Unit]:
    """Cut the free units between an anchor and the next marked post into posts and number them.

    The free units may continue the anchor post (a prefix), form new posts of `chain` after the
    anchor (numbered on), form the first posts of `head` (the chain that `next_post` opens,
    numbered from 1, at most `cap`), or continue `next_post` (a suffix, when its marker closes
    it). Returns units that fit nowhere (orphans).
    """
    if not free:
        return []
    n = len(free)
    head_cap = cap if head is not None else 0
    tail_cap: int | None
    if head is not None:
        tail_cap = (chain.total - chain.last_n) if (chain is not None and chain.total) else (
            None if chain is not None else 0)
    else:
        tail_cap = cap
    can_prefix = anchor is not None and 0 not in forced and _goes_on(anchor, free[0])
    can_suffix = (next_post is not None and not next_post.units[0].marker_at_start
                  and next_post.units[0].gap not in HARD_GAPS)
    plan = _best_plan(free, forced, anchor, next_post, can_prefix, can_suffix, tail_cap, head_cap,
                      chain is not None and chain.total is not None, head_next=head is not None)
    prefix, groups, suffix, orphan_count = plan
    if prefix and anchor is not None:
        anchor.units.extend(free[:prefix])
    if suffix and next_post is not None:
        next_post.units[0:0] = free[n - suffix:]
    orphans = free[prefix:prefix + orphan_count]
    groups_units = [free[a:b] for a, b in groups]
    h = min(len(groups_units), head_cap) if head is not None else 0
    t = len(groups_units) - h
    for k, units in enumerate(groups_units[:t]):
        if chain is None:
            orphans = orphans + units  # nothing to continue: these start an unnumbered thread
            continue
        post = Post(units=units)
        post.n = chain.last_n + k + 1 if chain.numbered else None
        chain.posts.append(post)
    if chain is not None and t:
        if chain.numbered:
            chain.last_n += t
    for k, units in enumerate(groups_units[t:]):
        if head is not None:
            head.posts.append(Post(units=units, n=k + 1))
    return orphans


Plan = tuple[int, list[tuple[int, int]], int, int]  # prefix length, post groups, suffix length, orphans


def _entities_only(unit: Unit) -> bool:
    """True for a unit of mentions, hashtags and links only (`@workshop #EMNLP <LINK>`)."""
    tokens = unit.text.split()
    return bool(tokens) and all(t.startswith(("@", "#", "http", "<LINK>", "pic.twitter.com")) for t in tokens)


def _goes_on(post: Post, unit: Unit) -> bool:
    """True when the unit may continue the post. A marker that ends its post (`text 2/8`, a `{2/8}`
    line under it) or a signature under it says the post is over, but for the mentions, hashtags
    and links a tweet carries after its text; a closing N/N ends the thread too, but for the media
    links of a post whose marker is glued into its text (`... the ruling.2/2`, then a link)."""
    if not (_closed(post) or _signed(post)):
        return True
    if not _entities_only(unit):
        return False
    return not _final(post) or (links_only(unit.text) and _marker_in_text(post))


def _marker_in_text(post: Post) -> bool:
    """True when the post's marker stands in a line of its text (`... done!2/2`), not on a line of its own."""
    u = next((u for u in post.units if u.marker is not None and u.marker_line is not None), None)
    return u is not None and bool(u.texts[u.lines.index(u.marker_line)].strip())


def _signed(post: Post) -> bool:
    """True when the post's last line is an account alone (`@lab_kz`), the signature that ends it."""
    last = post.units[-1]
    return len(last.texts) > 1 and is_signature(last.texts[-1])


def _final(post: Post) -> bool:
    """True when the post's marker carries its thread's last number (`7/7`)."""
    m = next((u.marker for u in post.units if u.marker is not None), None)
    return m is not None and m.total is not None and m.n == m.total


def _closed(post: Post) -> bool:
    """True when the post's last unit carries a marker that closes it."""
    last = post.units[-1]
    return last.marker is not None and last.marker.position == "end" and last.marker_line == last.lines[-1]


def _best_plan(free: list[Unit], forced: set[int], anchor: Post | None, next_post: Post | None,
               can_prefix: bool, can_suffix: bool, tail_cap: int | None, head_cap: int, known_total: bool,
               head_next: bool = False) -> Plan:
    """Exact search over cut points; returns (prefix_len, groups, suffix_len, orphan_count)."""
    cfg = current_settings()
    n = len(free)
    gap = [_gap_score(free, p) for p in range(n)]
    if next_post is None or next_post.units[0].marker_at_start:
        gap.append(0.0)  # the cut before a marker that opens its post is forced, not evidence
    else:
        gap.append(_gap_score(free + next_post.units, n))
    cap_total = (tail_cap if tail_cap is not None else n) + head_cap
    # only a later marker of the same chain confirms that a number between exists
    same_chain_next = next_post is not None and head_cap == 0 and tail_cap is not None and tail_cap >= 0
    confirmed = same_chain_next and not head_next  # (a total left out, `6/n`, confirms the numbers below it too)
    reward_tail = cfg.reward_known if confirmed else (cfg.reward_end if known_total else cfg.reward_open)
    if anchor is None and not confirmed:
        # (posts of a thread picked up again after others' posts are confirmed like any other)
        reward_tail = cfg.reward_open

    def group_score(a: int, b: int) -> float:
        length = sum(u.length for u in free[a:b])
        if length < cfg.short_unit:
            return cfg.tiny_post
        # one unit cannot be cut further: only a group of several can be too long, and the
        # longer it is, the less likely it is one post; in a copy of the web UI the chrome
        # around a post delimits it, whatever its length (a link card under the text adds lines)
        if b - a > 1 and all(u.chrome_layout and u.chrome_post for u in free[a:b]):
            return 0.0
        return cfg.overlong * (length // cfg.post_limit) if b - a > 1 and length > cfg.post_limit else 0.0

    def inner_forced(a: int, b: int) -> bool:
        return any(p in forced for p in range(a + 1, b))

    if n > cfg.dp_limit:
        return _greedy_plan(free, forced, gap)

    best: tuple[float, tuple] | None = None
    # the units lie between two consecutive numbers of one thread: no part is missing there
    between = anchor is not None and same_chain_next and tail_cap == 0 and not head_next
    anchor_len = anchor.length if anchor is not None else 0
    next_len = next_post.length if next_post is not None else 0
    for prefix in range(0, n + 1):
        if prefix > 0 and (not can_prefix or inner_forced(0, prefix)):
            break
        pre_score = 0.0
        if prefix > 0:
            pre_len = anchor_len + sum(u.length for u in free[:prefix])
            pre_score += cfg.overlong * (pre_len // cfg.post_limit)
        orphan_options = range(0, n - prefix + 1)
        for orphans in orphan_options:
            start = prefix + orphans
            # (past a few units, the text left out is another thread's opening: it costs no more)
            base = pre_score + (cfg.orphan if anchor is None else 2 * cfg.orphan) * min(orphans, cfg.orphan_units)
            if orphans and between:
                base += cfg.orphan_between * min(orphans, cfg.orphan_units)
            # dp over groups from `start`; each group pays for the cut at its end
            dp: dict[tuple[int, int], tuple[float, list[tuple[int, int]]]] = {(start, 0): (0.0, [])}
            for a in range(start, n):
                for cnt in range(0, cap_total):
                    if (a, cnt) not in dp:
                        continue
                    sc, groups = dp[(a, cnt)]
                    for b in range(a + 1, n + 1):
                        if inner_forced(a, b):
                            break
                        s2 = sc + gap[b] + group_score(a, b)
                        key = (b, cnt + 1)
                        if key not in dp or dp[key][0] < s2:
                            dp[key] = (s2, groups + [(a, b)])
            # the cut after the anchor's post, and the one after the orphans, are always made
            entry = gap[prefix] + (gap[start] if orphans else 0.0)
            for (pos, cnt), (sc, groups) in dp.items():
                suffix = n - pos
                if suffix and (not can_suffix or inner_forced(pos, n)):
                    continue
                total = base + sc + entry
                if suffix:  # units given to the next post: like the prefix, the longer, the less likely
                    total += cfg.overlong * ((next_len + sum(u.length for u in free[pos:])) // cfg.post_limit)
                    if _entities_only(free[pos]):
                        # mentions, hashtags and links end the post above them; a post seldom opens with them
                        total += cfg.entities_start
                # reward: head posts first, then tail posts
                h = min(cnt, head_cap)
                t = cnt - h
                if tail_cap is not None and t > tail_cap:
                    continue
                total += (cfg.reward_head + cfg.reward_known * (h - 1) if h else 0.0) + reward_tail * t
                cand = (total, (prefix, groups, suffix, orphans))
                if best is None or cand[0] > best[0] + 1e-9:
                    best = cand
    if best is None:
        return _greedy_plan(free, forced, gap)
    return best[1]


def _greedy_plan(free: list[Unit], forced: set[int], gap: list[float]) -> Plan:
    """Cut where the evidence says so: forced cuts, positive gap scores, and overlong posts."""
    cfg = current_settings()
    groups = []
    a = 0
    length = 0
    for p in range(len(free)):
        # (in a copy of the web UI, chrome delimits a post whatever its length)
        overlong = length + free[p].length > cfg.post_limit and not (free[p].chrome_layout and free[p].chrome_post)
        if p > 0 and (p in forced or gap[p] > 0 or overlong):
            groups.append((a, p))
            a, length = p, 0
        length += free[p].length
    groups.append((a, len(free)))
    return 0, groups, 0, 0


def _unnumbered_chain(units: list[Unit], forced: set[int]) -> Chain:
    """An unnumbered thread: posts cut at hard gaps, blank lines and the length limit."""
    gap = [_gap_score(units, p) for p in range(len(units))]
    _, groups, _, _ = _greedy_plan(units, forced | {p for p, u in enumerate(units) if u.gap in HARD_GAPS}, gap)
    chain = Chain(numbered=False, author=next((u.author for u in units if u.author), None),
                  url=next((u.url for u in units if u.url), None))
    for k, (a, b) in enumerate(groups):
        chain.posts.append(Post(units=units[a:b], n=k + 1))
    chain.last_n = len(groups)
    return chain


# --- output --------------------------------------------------------------------------------------
def _thread_from_chain(chain: Chain, lines: list[str], source_index: int) -> Thread:
    parts = []
    for post in chain.posts:
        idxs = post.lines
        parts.append(Part(
            n=post.n, text=post.text, line_start=min(idxs) + 1, line_end=max(idxs) + 1, source=source_index,
            inferred=post.inferred, marker=post.marker,
            author=next((u.author for u in post.units if u.author), None),
            posted_at=next((u.when for u in post.units if u.when), None),
            url=next((u.url for u in post.units if u.url), None),
        ))
    total = chain.total if chain.numbered else None
    present = {p.n for p in parts if p.n is not None}
    if total:
        missing = [k for k in range(1, total + 1) if k not in present]
    else:
        top = max(present, default=0)
        missing = [k for k in range(1, top) if k not in present] if chain.numbered else []
    kind = "thread" if len(parts) > 1 or total and total > 1 else "post"
    first = parts[0].text if parts else ""
    tid = short_hash(kind, chain.author, total, content_hash(first))
    return Thread(id=tid, kind=kind, title=thread_title(first), author=chain.author, url=chain.url, total=total,
                  missing=missing, parts=parts)


def _thread_from_article(article: Article, lines: list[str], source_index: int) -> Thread:
    parts: list[Part] = []
    by_text: dict[str, Part] = {}
    for para in article.paragraphs:
        text = "\n".join(lines[i].strip() for i in para)
        h = content_hash(text)
        if h in by_text:
            by_text[h].also.append((para[0] + 1, para[-1] + 1))
            continue
        part = Part(n=len(parts) + 1, text=text, line_start=para[0] + 1, line_end=para[-1] + 1,
                    source=source_index, inferred=True)
        by_text[h] = part
        parts.append(part)
    first = parts[0].text if parts else ""
    tid = short_hash("article", content_hash(first))
    return Thread(id=tid, kind="article", title=thread_title(first), author=article.author, url=None, total=None,
                  missing=[], parts=parts)


def _fold_repastes(threads: list[Thread], prior: set[int] | None = None,
                   copies: list[tuple[str, int, int]] | None = None, dropped: Iterable[Dropped] = (),
                   known: dict[int, str | None] | None = None) -> list[Thread]:
    """A post pasted again is one part: its later copies become `also` spans of the first.

    A copy folds when it repeats a part of its own thread, or when its whole thread is
    copies (a stretch pasted twice); a copy inside an otherwise new thread stays its part.
    A text streamed in chunks (archiver/stream.py) passes `prior`, the keys (`_text_key`) of
    the parts of earlier chunks, which this call extends: a copy of one of those is appended to
    `copies` as (content hash, line_start, line_end), for the store to record on the earlier part.
    `dropped` are the spans reconstruction left out (chrome...): no copy's span takes in one of them.
    `known` holds parts' content hashes already worked out (by id(part)).
    """
    part_hash, first = _part_hashes(threads, known or {})
    threads = _fold_split_repastes(threads, part_hash, first, dropped)
    threads = _fold_repasted_openers(threads, part_hash)
    seen: dict[str, tuple[Part, Thread]] = {}
    prior = set() if prior is None else prior
    out: list[Thread] = []
    for t in sorted(threads, key=lambda t: t.parts[0].line_start or 0):
        hashes = [part_hash[id(p)] for p in t.parts]
        all_copies = t.kind != "article" and all(
            h is not None and (h in seen or _text_key(h) in prior) for h in hashes)
        keep: list[Part] = []
        for p, h in zip(t.parts, hashes):
            # (a copy's own `also` spans, copies of it folded before, go with it)
            if h is not None and h in seen and t.kind != "article" and (all_copies or seen[h][1] is t):
                seen[h][0].also.extend([(p.line_start, p.line_end), *p.also])
                continue
            if h is not None and all_copies and h not in seen and copies is not None:
                copies.extend((h, a, b) for a, b in [(p.line_start, p.line_end), *p.also])
                continue
            if h is not None:
                seen.setdefault(h, (p, t))
            keep.append(p)
        if keep:
            t.parts = keep
            present = {p.n for p in keep}
            if t.total:
                t.missing = [k for k in range(1, t.total + 1) if k not in present]
            out.append(t)
    if copies is not None:
        prior.update(_text_key(h) for h in seen)
    return out


def _fold_repasted_openers(threads: list[Thread], part_hash: dict[int, str | None]) -> list[Thread]:
    """A thread's opening post pasted twice in a row (each copy under its own header, or its
    `1/8` read twice): the first copy came out a post, or a thread of that one part, and the
    second opens the thread. The post is the thread's first part, seen first where the post
    stands; the second copy is an `also` span."""
    order = sorted(threads, key=lambda t: t.parts[0].line_start or 0)
    gone: set[int] = set()
    for a, b in zip(order, order[1:]):
        if (len(a.parts) != 1 or a.kind == "article" or len(b.parts) < 2 or b.kind != "thread"
                or a.parts[0].marker != b.parts[0].marker or a.parts[0].line_start is None
                or (a.parts[0].marker and (a.total != b.total or a.parts[0].n != b.parts[0].n))):
            continue
        post, part = a.parts[0], b.parts[0]
        h = part_hash[id(post)]
        if h is None or h != part_hash[id(part)] or len(normalize_text(post.text)) < current_settings().repaste_min_chars:
            continue
        part.also = sorted([*post.also, *part.also, (part.line_start, part.line_end)])
        part.line_start, part.line_end = post.line_start, post.line_end
        part.author = part.author or post.author
        gone.add(id(a))
    return [t for t in threads if id(t) not in gone] if gone else threads


def _part_hash(part: Part) -> str | None:
    """A part's content hash, None for a part with no text."""
    norm = normalize_text(part.text)
    return normalized_hash(norm) if norm else None


def _part_hashes(threads: list[Thread], known: dict[int, str | None]
                 ) -> tuple[dict[int, str | None], dict[str, Part]]:
    """Each part's content hash (None for a part with no text), by id(part), computed once (or
    taken from `known`); and the earliest part (by line) of each text outside articles."""
    hashes: dict[int, str | None] = {}
    first: dict[str, Part] = {}
    for t in threads:
        article = t.kind == "article"
        for p in t.parts:
            h = hashes[id(p)] = known[id(p)] if id(p) in known else _part_hash(p)
            if h is not None and not article and p.line_start is not None:
                earliest = first.get(h)
                if earliest is None or p.line_start < earliest.line_start:
                    first[h] = p
    return hashes, first


def _fold_split_repastes(threads: list[Thread], part_hash: dict[int, str | None], first: dict[str, Part],
                         dropped: Iterable[Dropped] = ()) -> list[Thread]:
    """A post pasted again whose lines came apart (two or three adjacent parts, each a thread or
    post of its own, that together are exactly an earlier part's text) is a re-paste of that part:
    those threads go, and their lines become an `also` span of the earlier part. Parts one line
    apart are adjacent when that line is blank, not when it was dropped (a timestamp between two
    pieces stays a dropped line, outside the span)."""
    # Only whole small threads can be the pieces: look at their parts alone, in line order.
    small = sorted(((p, t) for t in threads if len(t.parts) <= 3 and t.kind != "article"
                    for p in t.parts if p.line_start is not None), key=lambda pt: pt[0].line_start)
    if len(small) < 2:
        return threads
    starts = {p.line_start for t in threads for p in t.parts}
    spans = sorted((d.line_start, d.line_end) for d in dropped)
    ends = [end for _, end in spans]

    def was_dropped(line: int) -> bool:
        at = bisect_left(ends, line)
        return at < len(spans) and spans[at][0] <= line

    # next_to[j]: small[j + 1] follows small[j] with at most a blank line and no other part between
    # (parts never overlap, so a part between two would start on the line after the first; a line
    # that is neither a part's nor dropped is blank)
    next_to = [b.line_start - a.line_end == 1 or (b.line_start - a.line_end == 2 and a.line_end + 1 not in starts
                                                  and not was_dropped(a.line_end + 1))
               for (a, _), (b, _) in zip(small, small[1:])]
    gone: set[int] = set()
    i = 0
    while i < len(next_to):
        step = 1
        for k in (2, 3):
            if not all(next_to[i:i + k - 1]) or i + k > len(small):
                break
            run = small[i:i + k]
            owners = {id(t): t for _, t in run}
            if sum(len(t.parts) for t in owners.values()) != k or any(o in gone for o in owners):
                continue  # the run must be whole threads: a part of a longer thread is not a copy
            if any(part_hash[id(p)] is None or first.get(part_hash[id(p)]) is not p for p, _ in run):
                continue  # a piece seen before whole is a plain re-paste (the fold below takes it)
            text = "\n".join(p.text for p, _ in run)
            match = first.get(content_hash(text))
            if match is None or match.line_start >= run[0][0].line_start \
                    or any(match is q for t in owners.values() for q in t.parts):
                continue
            match.also.append((run[0][0].line_start, run[-1][0].line_end))
            gone.update(owners)
            step = k
            break
        i += step
    return [t for t in threads if id(t) not in gone] if gone else threads


def _text_key(content_hash: str) -> int:
    """A compact key for a part's text (64 bits of its content hash) in a streamed text's memory."""
    return int(content_hash[:16], 16)
