"""Helpers shared by the build_gold.py scripts of every part (pages, notes, more, more2, more3, more4, more5, more6): compact gold specs
(T, post, article, key), the page helpers (page_gaps, comments) and the checker that writes gold/.

check_and_write checks every spec against its dump in raw/:

  * every span (and every `also` span) lies inside the file and starts and ends on a non-blank line;
  * spans never overlap (within a thread or across threads, `also` spans included);
  * every non-blank line of the dump is either labelled (inside exactly one part span or `also` span) or
    deliberately unlabelled (inside exactly one UNLABELLED span, each with a reason);
    a line that is both, or neither, is an error;
  * near-duplicate pairs name existing (key, n) parts.

A part's script calls use(its folder) first, then builds its SPECS with these helpers.
"""
import json, os, re


# The gold note of the parts more2 and more3 (thread drafts, page copies and comment pages).
DRAFT_AND_PAGE_CONVENTIONS = (
    "Hand reconstruction of a real-world dump (see ../SOURCES.md, 'Gold conventions'). Lines 1-based inclusive. "
    "Unlabelled (not scored): document titles and section headings of a draft, the notes around a draft, "
    "author/date header lines, separators, page chrome (counts, buttons, 'Replying to' lines, menus, profile "
    "boxes, comment forms, sidebars), and debatable edge lines (media placeholders, link cards and photo captions "
    "at the start or end of a post or article). A marker on its own line (a heading such as '## Tweet 2/5 - ...' "
    "or '**2/3**', a trailing '🧵 2/9') belongs to the part it numbers. score_n false: no marker numbers the "
    "parts (numbering not scored). Same conventions as the dev set (realworld-dev) and the pages/notes/more sets.")


def use(here):
    """Read dumps from here/raw and write gold to here/gold."""
    global RAW, GOLD
    RAW, GOLD = os.path.join(here, "raw"), os.path.join(here, "gold")


RAW = GOLD = ""  # the part's raw/ and gold/ folders, set by use()
BLANKS = "\u2800\u200b\u200c\u200d\ufeff\u3164\u115f\u1160"


def blank(s):
    return not s.strip().strip(BLANKS).strip()


def T(key, kind, parts, total=None, missing=(), score_n=None):
    """parts: (a, b) -> unnumbered part (n by order, inferred);
              (n, a, b) -> a part numbered by a marker;
              (n, a, b, 'inferred') -> numbered by position only (no marker of its own);
              any of these may end with a dict of extra fields: {"also": [[a, b], ...], "alt_n": {...}}."""
    ps = []
    for i, p in enumerate(parts, 1):
        extra = {}
        if p and isinstance(p[-1], dict):
            extra, p = p[-1], p[:-1]
        if len(p) == 2:
            d = {"n": i, "lines": [p[0], p[1]], "inferred": True}
        elif len(p) == 3:
            d = {"n": p[0], "lines": [p[1], p[2]]}
        else:
            d = {"n": p[0], "lines": [p[1], p[2]], "inferred": True}
        d.update(extra)
        ps.append(d)
    t = {"key": key, "kind": kind, "total": total, "missing": list(missing), "parts": ps}
    if score_n is None:
        score_n = kind == "thread" and any(not d.get("inferred") for d in ps)
    if not score_n:
        t["score_n"] = False
    return t


def post(key, a, b, also=None):
    return T(key, "post", [(a, b, {"also": also})] if also else [(a, b)])


def article(name, key, a, b):
    lines = dump_lines(name)
    return T(key, "article", [(i, i) for i in range(a, b + 1) if not blank(lines[i - 1])], score_n=False)


def dump_lines(name):
    """The lines of a dump in raw/ (without the empty string after a final newline)."""
    lines = open(os.path.join(RAW, name + ".txt"), encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return lines


_K = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def key(i):
    return _K[i] if i < 26 else "Z%d" % i


# Page chrome that page_gaps accepts without an explicit reason: Bluesky name/handle headers (wrapped in U+202A..
# U+202C by the page), relative times, bare counts, the ALT badge, 'Follow', 'Replied to', 'Reposted by ...'.
_CHROME = [re.compile(p) for p in (
    r"^\u202a.*\u202c$",                                   # Bluesky display name and/or @handle line
    r"^· ?(\d+(s|m|h|d|mo|y)|[A-Z][a-z]{2} \d{1,2}(, \d{4})?)$",  # relative time / short date
    r"^[\d.,]+[KM]?$",                                      # reply / repost / like / view counts
    r"^(ALT|Follow|Replied to|Reposted by .+|Sign-in Required|Labeled by the author\. Learn more\.|"
    r"Graphic Media|Labeled by @moderation\.bsky\.app\. Learn more\.)$")]


def _is_chrome(s):
    return any(p.match(s.strip()) for p in _CHROME)


def page_gaps(name, threads, special, extra=()):
    """Unlabelled stretches between the labelled parts of a page copy. A stretch whose first line is in `special`
    gets that reason; any other stretch must consist of recognised chrome only (else build fails)."""
    lines = dump_lines(name)
    lab = set()
    for t in threads:
        for p in t["parts"]:
            for a, b in [p["lines"]] + p.get("also", []):
                lab.update(range(a, b + 1))
    out, cur = [], None
    for i, s in enumerate(lines, 1):
        if blank(s) or i in lab:
            if cur:
                out.append(cur)
                cur = None
            continue
        cur = [i, i] if cur is None else [cur[0], i]
    if cur:
        out.append(cur)
    res = []
    for a, b in out:
        if a in special:
            res.append((a, b, special[a]))
            continue
        bad = [i for i in range(a, b + 1) if not blank(lines[i - 1]) and not _is_chrome(lines[i - 1])
               and not any(re.match(p, lines[i - 1].strip()) for p in extra)]
        if bad:
            raise SystemExit(f"{name}: lines {bad} between posts are not recognised chrome; give a reason")
        res.append((a, b, "chrome: name/handle header, time, counts" if not extra else
                    "chrome: commenter name/date header, 'Reply' link"))
    return res


def comments(name, first, last, header, skip_after=0, stop=None):
    """Spans of the comments of a blog page between lines first..last: each comment is the run of non-blank lines
    after a header line (matching `header`) and the `skip_after` lines that follow it (date line), up to the next
    header or a line matching `stop` ('Reply'); returns [(a, b), ...] trimmed to non-blank lines."""
    lines = dump_lines(name)
    out, i = [], first
    while i <= last:
        if re.match(header, lines[i - 1].strip()):
            a = i + 1 + skip_after
            j = a
            while j <= last and not re.match(header, lines[j - 1].strip()) and not (
                    stop and re.match(stop, lines[j - 1].strip())):
                j += 1
            b = j - 1
            while b >= a and blank(lines[b - 1]):
                b -= 1
            if b >= a:
                out.append((a, b))
            i = j
        else:
            i += 1
    return out


def check_and_write(specs, notes, unlabelled, neardup, common, review=False, write=True):
    """Check every spec against its dump (see the module docstring) and write gold/; False on any error."""
    SPECS, NOTES, UNLABELLED, NEARDUP, COMMON = specs, notes, unlabelled, neardup, common
    total = 0
    kinds = {}
    errors = []
    for name, threads in SPECS.items():
        lines = dump_lines(name)
        seen = {}
        for t in threads:
            kinds[t["kind"]] = kinds.get(t["kind"], 0) + 1
            for p in t["parts"]:
                for a, b in [p["lines"]] + p.get("also", []):
                    if not (1 <= a <= b <= len(lines)):
                        errors.append((name, t["key"], p, "outside file"))
                        continue
                    if blank(lines[a - 1]) or blank(lines[b - 1]):
                        errors.append((name, t["key"], p, "blank edge"))
                    for ln in range(a, b + 1):
                        if ln in seen:
                            errors.append((name, ln, "labelled twice", seen[ln], t["key"]))
                        seen[ln] = (t["key"], p["n"])
                    if review:
                        print(f"{name} {t['key']}/{p['n']} [{a},{b}] | {lines[a-1][:60]!r} .. {lines[b-1][:45]!r}")
        parts = {(t["key"], p["n"]) for t in threads for p in t["parts"]}
        for pair in NEARDUP.get(name, []):
            for ref in pair:
                if tuple(ref) not in parts:
                    errors.append((name, "near_duplicates names a missing part", ref))
        unl = {}
        for a, b, why in UNLABELLED.get(name, []):
            for ln in range(a, b + 1):
                if ln < 1 or ln > len(lines) or blank(lines[ln - 1]):
                    continue
                if ln in seen:
                    errors.append((name, ln, "both labelled and unlabelled", why))
                if ln in unl:
                    errors.append((name, ln, "unlabelled twice", why))
                unl[ln] = why
            if review:
                shown = [f"{ln}:{lines[ln-1][:40]!r}" for ln in range(a, b + 1)
                         if 1 <= ln <= len(lines) and not blank(lines[ln - 1])]
                print(f"{name} UNLABELLED [{a},{b}] ({why}): " + (" | ".join(shown[:3]) +
                      (f" ... ({len(shown)} lines)" if len(shown) > 3 else "")))
        for ln, s in enumerate(lines, 1):
            if not blank(s) and ln not in seen and ln not in unl:
                errors.append((name, ln, "non-blank line neither labelled nor deliberately unlabelled", s[:60]))
        gold = {"source": name + ".txt", "note": COMMON + " " + NOTES[name], "threads": threads}
        if NEARDUP.get(name):
            gold["near_duplicates"] = NEARDUP[name]
        if write:
            os.makedirs(GOLD, exist_ok=True)
            with open(os.path.join(GOLD, name + ".txt.gold.json"), "w", encoding="utf-8") as f:
                json.dump(gold, f, ensure_ascii=False, indent=1)
                f.write("\n")
        total += len(threads)
    for e in errors:
        print("ERROR", e)
    print(f"{len(SPECS)} gold files, {total} gold threads ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
          f"{len(errors)} errors")
    return not errors


# Added by the more3 part, used by more3 and more4.
def runs(name, first, last, seps, before=None, after=None):
    """Comment spans between lines first..last: the maximal runs of non-blank lines that are not separators. A line
    is a separator if it matches one of `seps`, or if the NEXT line matches `before` (a name line above a date
    line), or if the PREVIOUS line matches `after` (a name line under an 'answered ...' line)."""
    lines = dump_lines(name)
    m = lambda i, pats: 1 <= i <= len(lines) and any(re.match(p, lines[i - 1].strip()) for p in pats)
    sep = lambda i: (m(i, seps) or (before is not None and m(i + 1, [before]))
                     or (after is not None and m(i - 1, [after])))
    out, cur = [], None
    for i in range(first, last + 1):
        if blank(lines[i - 1]):
            continue
        if sep(i):
            if cur:
                out.append(tuple(cur))
            cur = None
        else:
            cur = [i, i] if cur is None else [cur[0], i]
    if cur:
        out.append(tuple(cur))
    return out


def art(name, key, ranges):
    """An article whose parts are the non-blank lines of several ranges (lines between the ranges are not its)."""
    lines = dump_lines(name)
    return T(key, "article", [(i, i) for a, b in ranges for i in range(a, b + 1) if not blank(lines[i - 1])],
             score_n=False)


def doc(name, key, a, b=None, sep=r"^---$"):
    """An article made of the non-blank lines a..b (b: the dump's last line when None), one part per line, leaving
    out lines matching sep (rules: unlabelled like every separator, so a reconstruction may keep them in the article
    or drop them)."""
    lines = dump_lines(name)
    return T(key, "article", [(i, i) for i in range(a, (b or len(lines)) + 1)
                              if not blank(lines[i - 1]) and not re.match(sep, lines[i - 1].strip())], score_n=False)


def after_each(spans, reason, skip_last=True):
    """A reason for the stretch of chrome after each comment (name/date header of the next one, buttons, votes)."""
    return {b + 1: reason for a, b in (spans[:-1] if skip_last else spans)}


# Added by the more5 part (Markdown drafts and post plans).
def headed(name, first, last, head):
    """Spans of the tweets of a Markdown draft between lines first..last: each starts at a heading line matching
    `head` (its marker) and ends on the last non-blank line before the next '---' line or heading; code-fence lines
    (and '# comment' lines inside a fence) belong to the tweet they are in."""
    lines = dump_lines(name)
    out, cur, fence = [], None, False
    for i in range(first, last + 1):
        s = lines[i - 1].strip()
        if s.startswith("```"):
            fence = not fence
        if fence or s.startswith("```"):
            if cur:
                cur[1] = i
            continue
        if re.match(head, s):
            if cur:
                out.append(tuple(cur))
            cur = [i, i]
        elif s == "---" or re.match(r"^#{1,6} ", s):  # '#MCP #DevTools' hashtag lines are tweet text
            if cur:
                out.append(tuple(cur))
            cur = None
        elif cur and not blank(s):
            cur[1] = i
    if cur:
        out.append(tuple(cur))
    return out


# Added by the more11 part (drafts whose tweets open with a marker line of their own), shared with more12.
def marker_runs(name, first, last, head, sep=r"^(---|#{1,6} .*)$"):
    """Thread parts of a draft whose tweets are opened by a marker line matching `head`: each part runs from its marker
    through the last non-blank line before the next marker or a separator/heading line (fences belong to the part)."""
    lines = dump_lines(name)
    out, cur, fence = [], None, False
    for i in range(first, last + 1):
        s = lines[i - 1].strip()
        if s.startswith("```"):
            fence = not fence
            if cur:
                cur[1] = i
            continue
        if fence:
            if cur and s:
                cur[1] = i
            continue
        if re.match(head, s):
            if cur:
                out.append(tuple(cur))
            cur = [i, i]
        elif re.match(sep, s):
            if cur:
                out.append(tuple(cur))
            cur = None
        elif cur and s:
            cur[1] = i
    if cur:
        out.append(tuple(cur))
    return out

def fenced(name, first, last):
    """Spans of the text inside each ``` code fence between lines first..last (fence lines excluded, trimmed to
    non-blank lines): the post bodies of a plan that puts each post in a fence under a note heading."""
    lines = dump_lines(name)
    out, cur, fence = [], None, False
    for i in range(first, last + 1):
        s = lines[i - 1].strip()
        if s.startswith("```"):
            if fence and cur:
                out.append(tuple(cur))
            fence, cur = not fence, None
        elif fence and not blank(s):
            cur = [i, i] if cur is None else [cur[0], i]
    return out


def gaps(name, threads, reasons):
    """Every unlabelled stretch of a Markdown file with a reason: the reason of the nearest listed line at or
    before the stretch's first line."""
    lines = dump_lines(name)
    lab = {ln for t in threads for p in t["parts"] for a, b in [p["lines"]] + p.get("also", [])
           for ln in range(a, b + 1)}
    out, cur = [], None
    for i, s in enumerate(lines + [""], 1):
        if i <= len(lines) and not blank(s) and i not in lab:
            cur = [i, i] if cur is None else [cur[0], i]
        elif cur:
            why = reasons[max(k for k in reasons if k <= cur[0])]
            out.append((cur[0], cur[1], why))
            cur = None
    return out


# Added by the more6 part (post plans with labelled bodies, files holding several numbered threads).
def bodies(name, first, last, start, stop):
    """Spans of the post bodies of a plan between lines first..last: each body begins on the first non-blank line
    after a line matching `start` (a '**Body:**' label or a '### Post Body' heading) and ends on the last non-blank
    line before the next line matching `stop` or `start` (code fences and bold lead-ins inside a body are its lines)."""
    lines = dump_lines(name)
    out, cur = [], None
    for i in range(first, last + 1):
        s = lines[i - 1].strip()
        if re.match(start, s) or re.match(stop, s):
            if cur:
                out.append(tuple(cur))
            cur = [] if re.match(start, s) else None
        elif cur is not None and not blank(s):
            cur = [i, i] if not cur else [cur[0], i]
    if cur:
        out.append(tuple(cur))
    return out


def split_threads(name, spans, first_marker):
    """Group the marked parts of several threads (spans from `headed`, in file order) into one list per thread: a new
    thread begins at every part whose first line matches `first_marker` (its '1/' marker)."""
    lines = dump_lines(name)
    out = []
    for a, b in spans:
        if re.match(first_marker, lines[a - 1].strip()) or not out:
            out.append([])
        out[-1].append((a, b))
    return out


# Added by the more5-more7 parts.

def numbered(spans):
    """Thread parts numbered 1..k by their own markers."""
    return [(i + 1, a, b) for i, (a, b) in enumerate(spans)]


def posts(spans, start=0):
    """One post per span, keyed A, B, ... from `start`."""
    return [post(key(start + i), a, b) for i, (a, b) in enumerate(spans)]
