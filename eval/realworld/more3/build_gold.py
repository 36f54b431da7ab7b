#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE3 set (eval/realworld/more3:
saved blog and news pages with reader comment sections (fr, pl, en, de), a Reddit thread and a StackExchange
question page; see SOURCES.md) from the compact
specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing
Copied from the "more2" set's build_gold.py, itself copied from the "more" set's (same gold format, helpers, checks and conventions: `also`, `alt_n`,
`near_duplicates`, `page_gaps`); added here: `page_gaps` takes extra chrome patterns of one page (the comment
headers, dates and 'Reply' links of a blog), and `comments` cuts a blog's comment list at its header lines; added in more3: `runs` (the runs of lines between
separator lines: bylines before or after a comment, dates, vote counts, buttons) and `art` (an article made of
several line ranges)."""
import os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import DRAFT_AND_PAGE_CONVENTIONS, T, after_each, art, blank, check_and_write, comments, dump_lines, key, page_gaps, post, runs, use  # noqa: E402

use(HERE)


SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}

COMMON = DRAFT_AND_PAGE_CONVENTIONS


_EN_DATE = r"^[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2} [ap]m$"
_DE_DATE = r"^\d{1,2}\. [A-Za-zä]+ \d{4} um \d{1,2}:\d{2} Uhr$"

# ================================================================ blog / news pages with reader comments
N = "fr_regards_blog_comments"
_BYL = r"^.+ Le \d{1,2}(er)? [a-zéû]+( \d{4})? à \d{1,2}:\d{2}$"
_rg = runs(N, 131, 162, [_BYL, r"^Répondre$"])
assert len(_rg) == 11 and _rg[0] == (131, 131) and _rg[4] == (141, 142), _rg
SPECS[N] = [art(N, "A", [(23, 23), (29, 103)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_rg)]
NOTES[N] = ("Visible text of a saved French news-magazine page (regards.fr, 2018, updated 2020) with its 11 reader "
            "comments ('Vos réactions'): the article (A: the standfirst under the title and the body, one part per line; "
            "its subheadings with the names of the people concerned and the inline 'LIRE AUSSI SUR REGARDS.FR' / '>> …' "
            "link inside the body are article lines) and each comment as its own post. The byline of each comment comes "
            "AFTER its text ('NAME Le 11 septembre 2018 à 12:57', like internet-law.de in the pages set), often followed "
            "by 'Répondre': a comment is the run of lines between two bylines. Replies are not indented in the text "
            "(e.g. rageul answering 'belle france'): each its own post. Menus, title, tags, 'Vos réactions (11)', the "
            "update note, 'via GIPHY' and the author line after the body, the 'most read' and 'same author' lists, "
            "the comment form and the quotes sidebar are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {
    1: "menus, kicker/author/date line, title", 24: "tags, 'Vos réactions (11)', mail/print links, update note",
    104: "'via GIPHY', author, tags, links, most-read and same-author lists, 'Vos réactions' heading",
    161: "last byline, 'Répondre', comment form, quotes sidebar ('Déclarama'), footer"},
    extra=[_BYL, r"^Répondre$"])

N = "pl_forsal_news_comments"
_PLD = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"
_fs = runs(N, 132, 164, [_PLD, r"^\d+$", r"^odpowiedz$", r"^pokażodpowiedzi \(\d+\)$"], before=_PLD)
assert len(_fs) == 5, _fs
SPECS[N] = [art(N, "A", [(109, 110)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_fs)]
NOTES[N] = ("Visible text of a saved Polish business-news page (forsal.pl, April 2021) with the 5 top-level reader "
            "comments shown (replies collapsed behind 'pokażodpowiedzi (1)'): the article (A, its two paragraphs; the "
            "chart's 'statista.com' / 'Źródło: Statista.com' lines after it are an edge) and each comment as its own "
            "post. Each comment is headed by the commenter's name line and a 'YYYY-MM-DD HH:MM:SS' line, and followed "
            "by two vote counts, 'odpowiedz' and sometimes 'pokażodpowiedzi (n)': all chrome. Menus, share buttons, "
            "related links, the comment box and the long lists of other articles are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {**{1: "menus, ads, title, date, reading time, share buttons, photo credit",
                                            111: "chart source (edge), tags, share, related links, comment box, first commenter name/date",
                                            161: "votes, 'odpowiedz', lists of other articles, footer"},
                                           **after_each(_fs, "votes, 'odpowiedz', 'pokażodpowiedzi', next commenter name/date")})

N = "pl_energetyka_news_comments"
_PLW = r"^(poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela), \d{1,2} [a-ząćęłńóśźż]+ \d{4}, \d\d:\d\d$"
_en = runs(N, 84, 107, [_PLW, r"^Odpowiedz$"], before=_PLW)
assert len(_en) == 6, _en
SPECS[N] = [art(N, "A", [(59, 59), (63, 67)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_en)]
NOTES[N] = ("Visible text of a saved Polish energy-news page (energetyka24.com, May 2021) with its 6 reader comments: the "
            "article (A: its lead paragraph and the five body paragraphs; the 'Zobacz także / Gaz / Reuters: …' teaser "
            "box between them is chrome) and each comment as its own post, headed by a name line ('Robs', 'Anonim') and "
            "a 'wtorek, 11 maja 2021, 23:13' date line and followed by 'Odpowiedz' (chrome). Menus, title, photo credit, "
            "author, tags, the two comment forms and the footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {**{1: "menus, title, date, photo credit, author, tags", 60: "'Zobacz także' teaser box",
                                            68: "author, comment count, two comment forms, first commenter name/date",
                                            107: "'Odpowiedz', category menu, footer"},
                                           **after_each(_en, "'Odpowiedz', next commenter name/date")})

N = "en_tomshardware_forum_comments"
_TH = r"^.+ \d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d$"
_th = runs(N, 97, 137, [_TH, r"^Reply$"])
assert len(_th) == 10, _th
SPECS[N] = [art(N, "A", [(46, 92)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_th)]
NOTES[N] = ("Visible text of a saved tech-news page (tomshardware.com, Nov 2020, where to buy RTX 30 cards) with the "
            "first 10 of its 32 comments, which come from the site's forum: the article (A, one part per line, its "
            "subheadings, 'at a glance' lines and '(Image credit: …)' lines inside the body included) and each comment "
            "as its own post under a 'NAME 17 September 2020 14:17' header line, followed by 'Reply' (chrome). Forum "
            "quotes ('michaelbrandi said:' and the quoted text) open several replies: they are lines of the reply that "
            "quotes them, not posts. Menus, title, byline, standfirst, share/comment counts, topics, 'View All 32 "
            "Comments', newsletter box and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, title, byline, standfirst, counts, image credit",
                                       93: "topics, comment counts, first commenter header",
                                       137: "'Reply', 'View All 32 Comments', newsletter box, footer"},
                          extra=[_TH, r"^Reply$"])

N = "de_spektrum_blog_comments"
_SD = r"^\d{1,2}\. [A-Z][a-zä]+ \d{4} @ \d\d:\d\d$"
_sp = runs(N, 168, 676, [_SD, r"^Antworten$"], before=_SD)
# demolog's comment opens by citing the comment it answers ('@ Dietmar Hilsebein' / '8. April 2019 @ 11:38', lines
# 373-374): text of that comment, not a header (its own header is 371-372)
_sp = [(373, b) if (a, b) == (375, 404) else (a, b) for a, b in _sp]
assert len(_sp) == 54 and (373, 404) in _sp, _sp
SPECS[N] = [art(N, "A", [(130, 150)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_sp)]
NOTES[N] = ("Visible text of a saved German science-blog post (SciLogs 'Die Engelbart-Galaxis', April 2019, on "
            "'Gendersprache') with its 54 comments: the article (A, one part per line, subheadings included; the "
            "'Beitragsbild: …' caption after it is an edge) and each comment as its own post, headed by a name line and "
            "an '8. April 2019 @ 11:38' date line and followed by 'Antworten' (chrome). The blog author's answers "
            "(Henning Lobin) are posts; commenters' sign-offs ('MFG + schöne Woche noch,' / 'Dr. Webbaer') and quoted "
            "lines of other comments inside a comment are lines of that comment (demolog's comment opens with "
            "'@ Dietmar Hilsebein' and that comment's date, 373-374: lines of his comment, not a header). Portal menus and blog list, title, "
            "share buttons, author box, comment form, sidebar and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {**{1: "portal menus, blog list, blog title, post title, date, author, comment count",
                                            151: "photo caption (edge), share buttons, tags, author box, 'Antworten', first commenter name/date",
                                            _sp[-1][1] + 1: "comment form, sidebar, footer"},
                                           **after_each(_sp, "'Antworten', next commenter name/date")})

N = "en_nervousbreakdown_blog_comments"
_nb = comments(N, 27, 78, r".+ says:$", skip_after=1, stop=r"^Reply$")
assert len(_nb) == 11, _nb
SPECS[N] = [art(N, "A", [(10, 22)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_nb)]
NOTES[N] = ("Visible text of a saved WordPress literary-magazine post (The Nervous Breakdown, July 2011, on Heart's "
            "'Alone') with its 11 responses: the article (A, one part per line; the '[Above: …]' video caption and the "
            "'Click here to watch …' line inside the body are article lines) and each response as its own post ('NAME "
            "says:' and the date line above it and 'Reply' under it are chrome). Menus, title, byline, date, the "
            "'Salute' kicker, 'Tweet', tags, author bio, the responses heading, comment form, 'MUST READ' list and footer "
            "are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, title, byline, date, kicker",
                                       23: "'Tweet', tags, author bio, responses heading, first commenter header",
                                       78: "'Reply', comment form, 'MUST READ' list, footer"},
                          extra=[r".+ says:$", _EN_DATE, r"^Reply$"])

N = "en_lemontree_blog_comments"
_lt = comments(N, 111, 216, r".+ says:$", skip_after=1, stop=r"^Reply$")
SPECS[N] = [art(N, "A", [(18, 21), (23, 105)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_lt)]
NOTES[N] = ("Visible text of a saved WordPress gardening-blog post (April 2019, growing a lemon tree from seed) with its "
            "comments: the article (A, one part per line: intro, headings, numbered step headings '1. Gather the "
            "seeds', photo captions 'Day 7', FAQ questions and answers; the stray 'April 3, 2019' date line inside it is "
            "chrome) and each comment as its own post ('NAME says:' and the date line above it and 'Reply' under it "
            "are chrome). The blog's answers ('Florina says:' / 'You Had Me At Gardening says:') are posts; a spam "
            "comment written with look-alike letters is a comment like the others. Menus, recent-posts box, author box, "
            "comment form, newsletter box, footer and the privacy-policy and cookie overlays are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, title, recent-posts box", 22: "date line inside the article",
                                       106: "author box, post navigation, comment count, first commenter header",
                                       216: "'Reply', comment form, newsletter box, footer, privacy policy and cookie overlays"},
                          extra=[r".+ says:$", _EN_DATE, r"^Reply$"])

N = "de_anchor_blog_comments"
_an = comments(N, 69, 123, r".+ sagt:$", skip_after=1, stop=r"^Antworten$")
assert len(_an) == 12, _an
SPECS[N] = [art(N, "A", [(9, 62)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_an)]
NOTES[N] = ("Visible text of a saved German WordPress travel blog post (anchor.ch, Dec 2019, a day in Sri Lanka) with its "
            "12 comments: the article (A, one part per line: paragraphs, subheadings and photo captions inside the "
            "body) and each comment as its own post ('NAME sagt:' and the date line above it and 'Antworten' under it "
            "are chrome). The author's answers (Peter Addor) are posts; a commenter's signature line ('Claudia', "
            "'Martin') is the last line of the comment. Menus, title, date/author line, categories, tags, post "
            "navigation, comment count, comment form and sidebar are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, title, date/author line",
                                       63: "categories, tags, post navigation, comment count, first commenter header",
                                       123: "'Antworten', comment form, sidebar, footer"},
                          extra=[r".+ sagt:$", _DE_DATE, r"^Antworten$"])

N = "de_exxpress_news_comments"
_ex = runs(N, 39, 170, [r".+ sagt:$", _DE_DATE, r"^\d+$", r"^Antworten$"])
SPECS[N] = [art(N, "A", [(18, 18), (20, 28)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_ex)]
NOTES[N] = ("Visible text of a saved Austrian news page (exxpress.at, Nov 2023, on the Federal President's festival "
            "trips) with its reader comments: the article (A: the standfirst and the body, one part per line, "
            "subheadings and a photo caption inside it included; the byline between them is chrome) and each comment as "
            "its own post ('NAME sagt:' and the date line above it, the up/down vote counts and 'Antworten' under it "
            "are chrome; a commenter named '@siegmund.berghammer' answers another: a post). Ticker, menus, the related "
            "teasers after the body, the donation box, comment form and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "stock ticker, menus, section, title", 19: "byline",
                                       29: "related teasers, donation box, 'Kommentare', first commenter header",
                                       169: "votes, 'Antworten', comment form, related articles, footer"},
                          extra=[r".+ sagt:$", _DE_DATE, r"^\d+$", r"^Antworten$"])

# ================================================================ forum threads
N = "en_reddit_init_comments"
_PTS = r"^(Original Poster)?[\d.]+k? points? · .*ago.*$"
_rd = runs(N, 40, 117, [r"^level \d+$", _PTS, r"^Continue this thread$"])
SPECS[N] = [post("A", 12, 29)] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_rd)]
NOTES[N] = ("Visible text of a saved Reddit thread (r/Python, about 2014, old redesign UI of 2020; usernames are not "
            "in the page text): the question post (A, its body with its EDIT and the links it lists; the title line "
            "above it is a document title) and each visible comment and reply as its own post, whatever its 'level n'. "
            "'level n', 'NN points · 6 years ago' (with 'Original Poster' or '· edited'), 'Continue this thread', vote "
            "counts, 'share/save/hide/report', sort bar, 'View entire discussion', community box and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "site chrome, title, counts, 'Posted by…', 'Archived', title line",
                                       30: "comment count, buttons, upvote ratio, archive notice, sort bar, first comment header",
                                       118: "'View entire discussion', community box, footer, cookie notice"},
                          extra=[r"^level \d+$", _PTS, r"^Continue this thread$"])

N = "en_stackexchange_wurde_answers"
_SED = r"^([A-Z][a-z]{2} \d{1,2}, \d{4} at \d{1,2}:\d{2}|\d+ hours ago)$"
_SESEP = [r"^-?\d+$", r"^– .+$", _SED, r"^Share$", r"^Improve this (answer|question)$", r"^Follow$",
          r"^(answered|asked|edited) .+$", r".*badges?$", r"^Add a comment \|$", r"^verb-choice$",
          r"^\d+ Answers? \d+$", r"^Sorted by:.*$", r"^Highest score \(default\)$", r"^Date (modified|created) .*$"]
_se = runs(N, 47, 199, _SESEP, after=r"^(answered|asked|edited) .+$")
SPECS[N] = [post(key(i), a, b) for i, (a, b) in enumerate(_se)]
NOTES[N] = ("Visible text of a saved German Language StackExchange question page (2014, asked in English; answers and "
            "comments in English and German): the question (A), each of the 6 answers and each comment under the "
            "question or an answer as its own post. A comment's author ('– Vogel612') and date come AFTER its text "
            "(trailing byline, chrome); an answer's vote count comes before it and its 'Share / Improve this answer / "
            "Follow / answered … / NAME / reputation and badges' card after it (chrome); comment vote counts, "
            "'Add a comment |', the tag, site menus, sign-up box, 'Your Answer' form, related and hot-network lists are "
            "chrome. Example sentences on their own lines inside a question or answer are lines of it.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {**{1: "network and site menus, sign-up box, title, 'Ask Question', asked/modified/viewed, votes",
                                            _se[-1][1] + 1: "comment byline, 'Add a comment', answer form, related and hot-network lists, footer"},
                                           69: "'Add a comment', answer count, sort options, votes",
                                            **after_each(_se, "votes, answer card (share, follow, answered/edited, name, badges) or comment byline")})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
