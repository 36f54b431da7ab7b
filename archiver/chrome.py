"""Classifying single lines: UI chrome, status URLs, separators, datelines and boilerplate.

Every pattern is anchored and bounded, and is only tried on short lines, so classification
is linear in the input whatever it holds.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

import regex

from .normalize import is_blank
from .settings import Settings
from .settings import current as current_settings

# --- chrome: what a copy of the web UI leaves around the text --------------------------------
# A handle: X/Twitter `@name`, Mastodon `@user@instance`, Bluesky `@name.bsky.social` (a domain).
_HANDLE_BODY = r"(?:[A-Za-z0-9_]{1,30}@[\w-]+(?:\.[\w-]+)+|[\w-]{1,63}(?:\.[\w-]+)*\.[a-z]{2,}|[A-Za-z0-9_]{1,15})"
_HANDLE = regex.compile(rf"^@{_HANDLE_BODY}$")
# A post header on one line: `Name @handle · 2h` (x.com), `Name @handle 3m` (TweetDeck),
# `Name @handle.bsky.social· 2h` (Bluesky), `Name ‏@handle Jun 21` (twitter.com 2010-2016); a name may
# carry another account in brackets (`Ana (@ana@chaos.social) @ana_k · 3m`).
_SHORT_WHEN = (r"(?:\d{1,2}[smhd]|\d{1,2}mo|now|"
               r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:,? \d{4})?|"
               r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?: \d{4})?)")
_NAME_HANDLE = regex.compile(
    rf"^(?P<name>(?:[^\n@]|\(@[^\s()]{{1,60}}\)){{1,60}}?)[\s\u200f\u00a0]*(?<![\w.+-])@(?P<handle>{_HANDLE_BODY})"
    rf"(?:\s*·\s*(?P<when>[^·]{{1,30}})|\s+(?P<when2>{_SHORT_WHEN}))?$", regex.IGNORECASE)
_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|janv|févr|fevr|mars|avr|mai|juin|juil|"
           r"août|aout|sept|oct|nov|déc|dec|янв|фев|мар|апр|мая|июн|июл|авг|сен|окт|ноя|дек)\.?")
_TIMESTAMP = regex.compile(
    r"^(?:\S{1,4}\s)?\d{1,2}[:h.]\d{2}(?:\s?[AaPp]\.?\s?[Mm]\.?)?\s*·\s*[^\n]{3,60}$")
_DATE_WORDS = regex.compile(
    rf"^(?:\d{{1,2}}\s+{_MONTHS}[a-zéû]*\.?\s+\d{{4}}|{_MONTHS}[a-z]*\.?\s+\d{{1,2}},?\s+\d{{4}})$",
    regex.IGNORECASE)
_MONTH_DAY = regex.compile(rf"^(?:{_MONTHS}[a-z]*\.?\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS}[a-z]*\.?)$", regex.IGNORECASE)
_DATE_NUMERIC = regex.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")
_RELATIVE_TIME = regex.compile(r"^·?\s*(?P<n>\d{1,2})\s?(?P<unit>s|m|h|d|min|mins|hr|hrs|j)$")
_HOURS = {"s": 1 / 3600, "m": 1 / 60, "min": 1 / 60, "mins": 1 / 60, "h": 1.0, "hr": 1.0, "hrs": 1.0, "d": 24.0, "j": 24.0}
_VIA = regex.compile(
    r"^·?\s*(?:Twitter|X|TweetDeck|Tweetbot|Hootsuite)(?:\s(?:Web App|for iPhone|for Android|for iPad|for Mac|Web Client|Lite))?\s*$",
    regex.IGNORECASE)
_DOT_LINE = regex.compile(r"^·\s*\S[^\n]{0,40}$")
_COUNT_WORDS = (
    r"retweets?|quote tweets?|quote retweets?|quotes?|likes?|replies|reply|reposts?|bookmarks?|views?|"
    r"j[’']aime|retweets?|tweets? cités?|citations?|réponses?|signets?|vues?|partages?|"
    r"ретвит\w*|цитат\w*|отмет\w*|нравится|ответ\w*|просмотр\w*|"
    r"beğeni|alıntı tweetler|tweet com comentário|curtidas|retuítes|me gusta|respuestas|citas"
)
_COUNT = regex.compile(rf"^(?:[\d.,\s ]{{1,12}}[KkMm]?\s*(?:{_COUNT_WORDS}|boosts?|favou?rites?|saves?)\s*){{1,5}}$",
                       regex.IGNORECASE)
_BARE_COUNT = regex.compile(r"^\d{1,3}(?:[.,\s ]\d{3})*(?:[.,]\d)?[KkMm]?$")
_REPLYING = r"(?:replying to|en réponse à|en reponse a|в ответ|respondiendo a|em resposta a)"
_REPLYING_AT = regex.compile(rf"^{_REPLYING}", regex.IGNORECASE)
# The words that join the accounts of a bare `Replying to` line, each on a line of its own (a saved
# page's links): `@a`, `and`, `@b`, `and 2 others`.
_REPLY_LIST_JOIN = regex.compile(r"^(?:,|and|y|et|und|и|e|(?:and|y|et|und|и|e) \d{1,4} (?:others?|otros|autres|andere|других|outros))$",
                                 regex.IGNORECASE)
_UI_PHRASES = regex.compile(
    rf"^{_REPLYING}(?:\s+@?[^\n]{{1,200}})?$"
    r"|^(?:show this thread|afficher cette discussion|show more|show replies|show less|translate tweet|"
    r"translate post|traduire le tweet|traduire le post|view tweet activity|view post engagements|quote tweet|"
    r"pinned tweet|pinned|retweeted|you retweeted|reposted|you reposted|copy link to tweet|embed tweet|"
    r"like|likes|retweet|reply|repost|quote|j[’']aime|répondre|retweeter|citer|"
    r"show additional replies|read \d+ replies|more replies|the following media includes potentially sensitive content\.?|"
    r"this tweet was deleted by the tweet author\.?|this post is unavailable\.?|learn more|"
    r"показать эту ветку|voir plus|mostrar este hilo|follow|following|suivre|abonné|"
    # x.com (2023-), Bluesky, Mastodon, with the localised strings people meet most
    r"post|conversation|·|views|post your reply|show more replies|discover more|relevant people|trending now|"
    r"what[’']s happening|who to follow|translate post|most relevant|view quotes|relevant|show anyway|"
    r"everybody can reply|· translate|continued thread|replied in thread|edited|boost|favorite|favourite|"
    r"voir plus de réponses|показать ещё ответы|mostrar más respuestas|mehr antworten anzeigen|"
    r"les plus pertinentes|наиболее актуальные|más relevantes|besonders relevant|citation|цитата|cita|zitat|"
    r"ce post n[’']est pas disponible\.?|этот пост недоступен\.?|este post no está disponible\.?|"
    r"dieser post ist nicht verfügbar\.?|"
    r"[^\n]{1,60} (?:boosted|reposted|retweeted|a partagé ?:?|teilte|продвинул\(?а?\)?)|reposted by [^\n]{1,60}|"
    r"retweeted by [^\n]{1,60}|replied to(?: [^\n]{1,60})?|alt|sign-in required|graphic media|adult content|"
    r"labeled by [^\n]{1,80}\. learn more\.)$",
    regex.IGNORECASE)

# --- status URLs that name the thread that follows --------------------------------------------
_STATUS_URL = regex.compile(
    r"^<?(?P<url>https?://(?:www\.|mobile\.)?(?:twitter\.com|x\.com|nitter\.[\w.]+)/(?P<handle>[A-Za-z0-9_]{1,15})"
    r"/status(?:es)?/(?P<id>\d{1,25})[^\s>]*)>?$"
    r"|^<?(?P<url2>https?://[\w.\-]{1,100}/@(?P<handle2>[\w.]{1,30})/(?P<id2>\d{1,25}))>?$"
    r"|^<?(?P<url3>https?://bsky\.app/profile/(?P<handle3>[\w.:\-]{1,100})/post/(?P<id3>\w{1,20}))>?$")

# --- article boilerplate -----------------------------------------------------------------------
_BOILERPLATE = regex.compile(
    r"^(?:read more|read also|read the full story|continue reading|lire la suite|lire aussi|à lire aussi|"
    r"advertisement|publicité|sponsored|подробнее|читать далее|читайте также|реклама|жарнама|толығырақ|"
    r"share|share this|share this article|subscribe|related|related articles|comments|print|email|"
    r"click here|sign up|log in|cookie settings|accept cookies|all rights reserved\.?|tweet|"
    r"↑|back to top|top of page|photo:?|source:?)$",
    regex.IGNORECASE)
# "By"/"par" must be followed by a name (a capital or a handle: "By Aigerim Seisembayeva, Vlast.kz"),
# and a byline is no exclamation or question: "By modeling change, we do better!" and "Par ailleurs, ..."
# are sentences of a post or an article.
_BYLINE = regex.compile(r"^(?:(?i:by|par)\s+(?=[\p{Lu}@])[^\n]{2,60}(?<![!?])|(?i:anonim|аноним|автор:\s*[^\n]{2,60}))$")

# The action bar of a post copied as one line: `Like  Retweet  Reply`, `Reply Retweet Favorite More`.
_ACTIONS = frozenset({"like", "likes", "liked", "retweet", "retweets", "retweeted", "reply", "replies", "repost",
                      "reposts", "share", "quote", "quotes", "bookmark", "bookmarks", "favorite", "favorited", "more",
                      "boost", "views", "j’aime", "j'aime", "répondre", "retweeter", "partager", "citer",
                      "нравится", "ответить", "ретвитнуть", "поделиться", "me", "gusta", "responder", "retuitear"})


@dataclass(frozen=True)
class LineKind:
    """What a line is: kind in content, blank, chrome, handle, name, separator, status, date, boilerplate, byline."""

    kind: str
    handle: str | None = None
    when: str | None = None
    url: str | None = None


_BIDI_CHARS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = dict.fromkeys(map(ord, _BIDI_CHARS))
_HAS_BIDI = regex.compile(f"[{_BIDI_CHARS}]")
CONTENT = LineKind("content")
BLANK = LineKind("blank")


def classify_line(line: str, cfg: Settings | None = None) -> LineKind:
    """Classify one line on its own (context rules, such as a display name above a handle, come later)."""
    if is_blank(line):
        return BLANK
    cfg = cfg or current_settings()
    # Bluesky wraps names and handles in directional embeddings (`\u202a@ana.bsky.social\u202c`)
    s = (line if line.isascii() or not _HAS_BIDI.search(line) else line.translate(_BIDI)).strip()
    if len(s) > cfg.max_classify or (len(s) > cfg.max_chrome and not s[:1] in "RrEeВв"):
        return CONTENT  # chrome is short; only a long `Replying to ...` list comes close
    if len(s) >= 3 and set(s) <= set("-_*=~•·—–# "):
        return LineKind("separator")
    m = _STATUS_URL.match(s)
    if m:
        url = m.group("url") or m.group("url2") or m.group("url3")
        handle = m.group("handle") or m.group("handle2") or m.group("handle3")
        return LineKind("status", handle="@" + handle, url=url)
    if _HANDLE.match(s):
        return LineKind("handle", handle=s)
    if _TIMESTAMP.match(s):
        return LineKind("chrome", when=s)
    if _VIA.match(s) or _RELATIVE_TIME.match(s) or _COUNT.match(s) or _BARE_COUNT.match(s) or _UI_PHRASES.match(s):
        return LineKind("chrome")
    words = s.casefold().replace("·", " ").split()
    if 2 <= len(words) <= 8 and all(w in _ACTIONS for w in words):
        return LineKind("chrome")
    if _DOT_LINE.match(s) and len(s) < 40:
        return LineKind("chrome")
    m = _NAME_HANDLE.match(s)
    if m and len(s) < 90 and (m.group("when") or m.group("when2")):
        return LineKind("chrome", handle="@" + m.group("handle"), when=m.group("when") or m.group("when2"))
    # (Bluesky embeds the name and the handle each in its own directional run: a header whatever the name says)
    embedded = "\u202a@" in line and "\u202c" in line
    if m and len(s) < 90 and (embedded or display_name(m.group("name")) or _spells_handle(m.group("name"), m.group("handle"))):
        return LineKind("chrome", handle="@" + m.group("handle"))  # `Aigerim N. @aigerim_monitor`
    if _DATE_NUMERIC.match(s) or _DATE_WORDS.match(s) or _MONTH_DAY.match(s):
        return LineKind("date")
    if _BOILERPLATE.match(s):
        return LineKind("boilerplate")
    if _BYLINE.match(s) and not (line[:1].isspace() and s[:1].islower()):
        # (` by @a @b etc.` indented under a line of text runs on from that line's sentence)
        return LineKind("byline")
    return CONTENT


# Words that start a sentence mentioning an account (`And @x`, `Thanks @x`, `RT @x`), not a name.
_SENTENCE_WORDS = frozenset({"and", "but", "or", "with", "by", "via", "cc", "ht", "rt", "mt", "thanks", "thank", "congrats",
                             "also", "see", "ask", "et", "mais", "avec", "par", "merci", "и", "но", "с", "спасибо",
                             "y", "pero", "con", "gracias", "und", "aber", "mit", "danke", "from", "to", "for", "w/"})


def age_hours(line: str) -> float | None:
    """How long ago a post was made, in hours, from a relative time under its author (`· 14h`, `3d`)."""
    m = _RELATIVE_TIME.match(line.strip())
    return int(m.group("n")) * _HOURS[m.group("unit")] if m else None


def display_name(text: str) -> bool:
    """A person's or an account's display name: one to five words, each capitalised, uncased (CJK)
    or a symbol (`Aigerim N.`, `Ельжан Б.`, `Election Watch KZ 🇰🇿`), a hashtag among them
    (`Joshua L. #peace`); not a sentence (`Thanks to`)."""
    words = text.split()
    if not 1 <= len(words) <= 5 or any(w.casefold().strip(".,:") in _SENTENCE_WORDS or "/" in w for w in words):
        return False
    named = [w for w in words if not w.startswith("#")]
    for w in named:
        first = next((c for c in w if c.isalpha()), None)
        if first is not None and first.islower():
            return False
    return any(c.isalpha() for w in named for c in w)


def _folded(text: str) -> str:
    """Letters and digits only, case and accents folded away (`Jörn_J` -> `jornj`)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if c.isalnum())


def _spells_handle(name: str, handle: str) -> bool:
    """True when every word of a name is spelled in the handle beside it (`jörn jacobsen
    @jorn_jacobsen`, `anna @anna`): the account's name, in whatever case, not a sentence."""
    words = [_folded(w) for w in name.split()]
    folded = _folded(handle)
    return bool(words) and all(w and w in folded for w in words)


_NAME_MAX = 50  # characters of a display name (X allows 50)
_HASHTAG = regex.compile(r"(?:^|\s)#\w")


def looks_like_name(line: str) -> bool:
    """A display-name line: short, no sentence punctuation at the end, no hashtag (checked where a
    handle line follows; a name that comes back over each of its posts needs no such look)."""
    s = line.strip()
    return (0 < len(s) <= _NAME_MAX and not s.endswith(("?", "!", ":", ",")) and "http" not in s and "<LINK>" not in s
            and not s.startswith("@") and not _HASHTAG.search(s))


def classify_lines(lines: list[str]) -> list[LineKind]:
    """Classify every line, then apply context: the line above an `@handle` line is a display name;
    an `@handle` line with no name above it and no time or chrome below it signs the text above
    (`#Belgorod #Drones` then `@channel` under a post): it is that text's last line. So is one
    under text where the copy's headers put a display name above each handle, time or no time."""
    cfg = current_settings()
    # A copy repeats its chrome (`Like`, `Reply`, counts, headers) on every post: each distinct line
    # is classified once (a LineKind is immutable, so equal lines can share one).
    seen: dict[str, LineKind] = {}
    kinds = []
    for line in lines:
        kind = seen.get(line)
        if kind is None:
            kind = seen[line] = classify_line(line, cfg)
        kinds.append(kind)
    _read_repeated_headers(lines, kinds)
    _read_reply_lists(lines, kinds)
    above: dict[int, int] = {}  # handle line -> the non-blank line above it
    for i, k in enumerate(kinds):
        if k.kind == "handle":
            j = i - 1
            while j >= 0 and kinds[j].kind == "blank":
                j -= 1
            above[i] = j
    # a display name over its handle comes back above each of the account's posts, whatever it
    # says (`Brad, what are you gonna do?`); a sentence running into a mention does not
    pairs = Counter((lines[j].strip(), lines[i].strip()) for i, j in above.items() if j >= 0)
    repeated = {i for i, j in above.items() if j >= 0 and pairs[(lines[j].strip(), lines[i].strip())] > 1
                and len(lines[j].strip()) <= _NAME_MAX}
    # a handle that signs two texts or more (under a line of text, heading nothing) signs wherever it
    # stands under text: under a short line with no time below (`Hooray!` / `@lab`), over a date; a
    # name over it with a post's time below still heads that post
    signs = Counter(lines[i].strip().casefold() for i, j in above.items()
                    if i not in repeated and j >= 0 and kinds[j].kind == "content" and not looks_like_name(lines[j])
                    and not _header_below(kinds, i, lines))
    for i, j in list(above.items()):
        if i not in repeated and _inline_mention(lines, kinds, i, j):
            kinds[i] = CONTENT
            del above[i]
    named = sum(1 for j in above.values() if j >= 0 and kinds[j].kind == "content" and looks_like_name(lines[j]))
    # (a page whose headers are `Name @handle · 2h` lines puts no handle on a line of its own over a post)
    one_line = named == 0 and sum(1 for k in kinds if k.kind == "chrome" and k.handle is not None and k.when) >= 2
    for i, j in above.items():
        signed = i not in repeated and signs[lines[i].strip().casefold()] >= 2
        if (j >= 0 and kinds[j].kind == "content" and (looks_like_name(lines[j]) or i in repeated)
                and not (signed and not _time_below(lines, kinds, i)) and not _signature(lines, kinds, i, j)
                and (_text_below(kinds, i) or _header_below(kinds, i, lines))):
            kinds[j] = LineKind("name", handle=kinds[i].handle)
        elif j >= 0 and kinds[j].kind == "content" and (named >= 2 or signed or not _header_below(kinds, i, lines)
                                                         or _number_below(lines, kinds, i) or one_line):
            # (with no name above it, a handle over a bare number and text signs the text above: the
            # number is the next post's marker, no post's time)
            kinds[i] = CONTENT
    return kinds


SENTENCE_END = tuple('.!?…"”»)')  # what ends a sentence (a quote or bracket may close it)
_JOINING = tuple(",.;:!?…)")  # a line starting with one of these continues the sentence above it


def _inline_mention(lines: list[str], kinds: list[LineKind], i: int, j: int) -> bool:
    """An `@handle` line inside a sentence: a saved page puts each link of a post's text on a line
    of its own (`... Cultura de empresa con`, `@patoroco`, `, Katia en`). The sentence runs into it
    from the line right above (a fragment that starts mid-sentence, or words that end without
    punctuation, more than a display name has) or on into the line right below (a comma...)."""
    if j != i - 1 or kinds[j].kind != "content":
        return False
    prev = lines[j].strip()
    nxt = lines[i + 1].strip() if i + 1 < len(lines) and kinds[i + 1].kind == "content" else ""
    words = prev.split()
    # (`Lo mejor de`, `Nos faltaba`: a name's last word is capitalised; a header's handle has
    # its time under it)
    runs_on = len(words) >= 2 and words[-1].isalpha() and words[-1][0].islower() and not _time_below(lines, kinds, i)
    return (prev.startswith(_JOINING) or nxt.startswith(_JOINING) or runs_on
            or (len(words) > 5 and not prev.endswith(SENTENCE_END)))


def _read_repeated_headers(lines: list[str], kinds: list[LineKind]) -> None:
    """A `Name @handle` line that comes back over text is a post header, whatever words the name
    has (`Julius von Kügelgen @Julius_von_Kuge`: a particle in lower case, a handle cut short)."""
    counts = Counter(line for line, k in zip(lines, kinds) if k is CONTENT and len(line) < 90 and "@" in line)
    headers: dict[str, LineKind] = {}
    for line, n in counts.items():
        m = _NAME_HANDLE.match(line.strip()) if n >= 2 else None
        if m is not None and _name_with_particles(m.group("name")):
            headers[line] = LineKind("chrome", handle="@" + m.group("handle"))
    if headers:
        for i, line in enumerate(lines):
            if kinds[i] is CONTENT and line in headers:
                kinds[i] = headers[line]


def _name_with_particles(name: str) -> bool:
    """A display name whose first and last words are capitalised, with words in lower case between
    them (`von`, `de la`, `at`): no longer than X allows (50 characters), and no sentence."""
    words = name.split()
    return 2 <= len(words) and len(name.strip()) <= _NAME_MAX and display_name(" ".join((words[0], words[-1]))) and not any(
        w.casefold().strip(".,:") in _SENTENCE_WORDS for w in words) and not name.rstrip().endswith(("!", "?", ":"))


def _number_below(lines: list[str], kinds: list[LineKind], i: int) -> bool:
    """True when the next non-blank line after i is a number alone (`4`)."""
    j = _next_nonblank(kinds, i)
    return j < len(kinds) and lines[j].strip().isdigit()


def _time_below(lines: list[str], kinds: list[LineKind], i: int) -> bool:
    """True when the next non-blank line after i is a post's time (`·`, `Nov 25, 2017`, `· 2h`)."""
    j = _next_nonblank(kinds, i)
    return j < len(kinds) and (kinds[j].kind == "date" or kinds[j].when is not None
                               or (kinds[j].kind == "chrome" and lines[j].strip().startswith("·")))


def _read_reply_lists(lines: list[str], kinds: list[LineKind]) -> None:
    """The accounts a post replies to, on lines of their own under `Replying to` (with `and`, `,`
    and `and 2 others` between them), are chrome that names no author: the post's author is in
    the header above."""
    for i, k in enumerate(kinds):
        if k.kind != "chrome" or not _REPLYING_AT.fullmatch(lines[i].strip()):
            continue
        j = i + 1
        while j < len(kinds) and (kinds[j].kind in ("blank", "handle") or _REPLY_LIST_JOIN.match(lines[j].strip())):
            if kinds[j].kind != "blank":
                kinds[j] = _REPLY_LIST
            j += 1


_REPLY_LIST = LineKind("chrome")
_HANDLE_IN = regex.compile(rf"@{_HANDLE_BODY}")


def reply_targets(line: str, kind: LineKind) -> list[str] | None:
    """The accounts a `Replying to` line names (`Replying to @a and @b`; a bare `Replying to` names
    none, its accounts follow on lines of their own), or the account a line of that list names;
    None for any other line."""
    s = line.strip()
    if kind is _REPLY_LIST or (kind.kind == "chrome" and _REPLYING_AT.match(s)):
        return [h.casefold() for h in _HANDLE_IN.findall(s)]
    return None


def _signature(lines: list[str], kinds: list[LineKind], i: int, j: int) -> bool:
    """A name over a handle (line j over line i) that signs the text right above it (`Led by Eli M.`
    over `@lab`): it follows that text with no blank line between and heads nothing, since a
    status URL, a rule or the end of the text comes next, or a blank line before more text (a
    header's post starts right under it)."""
    if j == 0 or kinds[j - 1].kind != "content" or not lines[j - 1].strip():
        return False
    k = _next_nonblank(kinds, i)
    return k >= len(kinds) or kinds[k].kind in ("status", "separator") or (k > i + 1 and kinds[k].kind == "content")


def _next_nonblank(kinds: list[LineKind], i: int) -> int:
    """The index of the first non-blank line after line i (len(kinds) when there is none)."""
    j = i + 1
    while j < len(kinds) and kinds[j].kind == "blank":
        j += 1
    return j


def _text_below(kinds: list[LineKind], i: int) -> bool:
    """True when the next non-blank line after i is text."""
    j = _next_nonblank(kinds, i)
    return j < len(kinds) and kinds[j].kind == "content"


def _header_below(kinds: list[LineKind], i: int, lines: list[str]) -> bool:
    """True when the handle on line i heads a post: the next non-blank line after it is chrome (a
    time, `·`) and text comes after that chrome. A handle followed by counts and then by another
    post's header (`Name @x · 2h`), or by nothing, heads no post: it signs the text above. So does
    one whose chrome below holds counts or an action bar: those close a post's text (the focused
    post of a page shows its time, client and counts under its text; a timeline, bare counts in a
    row), they never open one."""
    j = _next_nonblank(kinds, i)
    if j >= len(kinds) or kinds[j].kind not in ("chrome", "date", "handle", "name"):
        return False
    if kinds[j].kind != "chrome" or kinds[j].handle is not None:
        return kinds[j].kind != "chrome" or kinds[j].handle == kinds[i].handle
    numbers = 0  # bare numbers in a row: a timeline's counts (one alone may be the author's marker)
    while j < len(kinds) and kinds[j].kind in ("blank", "chrome", "date") and kinds[j].handle is None:
        numbers = numbers + 1 if lines[j].strip().isdigit() else 0
        if _closes_post(lines[j]) or numbers >= 2:
            return False
        j += 1
    return j < len(kinds) and kinds[j].kind == "content"


def _closes_post(line: str) -> bool:
    """True for chrome that only ever follows a post's text: counts (`255 Retweets`) or an action bar."""
    s = line.strip()
    words = s.casefold().replace("·", " ").split()
    return bool(_COUNT.match(s)) or (2 <= len(words) <= 8 and all(w in _ACTIONS for w in words))
