#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE4 set (eval/realworld/more4:
saved blog and news pages with reader comment sections (de, en, es, fr) in layouts the other parts lack: WordPress
threaded replies with pingbacks, a Blogger comment list, comment titles, bylines and dates after the text; and two
thread drafts and a plan of separate posts in Markdown; see SOURCES.md) from the compact specs below and checks them
against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing
`runs`, `art` and `after_each` come from ../goldspec.py (the more3 set's), `headed` (the tweets of a Markdown draft,
each opened by its heading line, ending before the next '---' or heading) and `gaps` too (moved there for more5)."""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import DRAFT_AND_PAGE_CONVENTIONS, T, after_each, art, check_and_write, dump_lines, gaps, headed, key, page_gaps, post, runs, use  # noqa: E402

use(HERE)


SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS
_PING = r"^Pingback: .+$"

# ================================================================ blog / news pages with reader comments
N = "de_gormulus_blog_comments"
_GH = r"^.+ ?\d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4} um \d\d:\d\d$"
_gm = runs(N, 47, 247, [_GH, r"^Antwort ↓$", _PING])
SPECS[N] = [art(N, "A", [(9, 33)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_gm)]
NOTES[N] = ("Visible text of a saved WordPress.com political blog post (Gormulus, December 2012, on antisemitic remarks "
            "on a party mailing list) with its threaded comments: the article (A, one part per line; its quoted "
            "mailing-list lines and the 'Update:' section are article lines) and each comment and each nested reply as "
            "its own post, whatever its depth (the replies are not indented in the text). Each comment is headed by one "
            "line 'NAME 11. Dezember 2012 um 11:07' (the blog author's as 'Mathias Autor15. Dezember …', name and date "
            "glued) and followed by 'Antwort ↓' when it can be answered (deeper replies have none): chrome. The "
            "'Pingback: TITLE | BLOG' lines between the comments are automatic link notices written by no commenter: "
            "chrome, not posts. Sign-offs ('Gruß,' / 'calushy.', 'jeuys') and quoted lines of other comments are lines "
            "of the comment. Blog title, menus, '45 Antworten', share and like buttons, related posts, post navigation, "
            "the comment form, sidebars (archive, categories, tweets) and the cookie notice are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "blog title, menus, post title, comment count",
                                       34: "share/like buttons, related posts, categories line, post navigation, comments heading, first header",
                                       _gm[-1][1] + 1: "pingbacks, comment form, sidebars, footer, cookie notice"},
                          extra=[_GH, r"^Antwort ↓$", _PING])

N = "en_californiaglobe_news_comments"
_EN_DATE = r"^[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2} [ap]m$"
_cg = runs(N, 52, 106, [r"^.+ says:$", _EN_DATE, r"^Reply$", _PING])
SPECS[N] = [art(N, "A", [(16, 30)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_cg)]
NOTES[N] = ("Visible text of a saved California news page (californiaglobe.com, August 2020, Amazon liability ruling) "
            "with its comments ('20 thoughts on …'): the article (A, one part per line; the pull quote line 23, "
            "repeated from the standfirst, is inside the body) and each comment and reply as its own post ('NAME says:' "
            "and the date line above it and 'Reply' under it are chrome). Eight 'Pingback: …' lines among the comments "
            "are automatic link notices (chrome, not posts). One comment (Ivar Ivarson) pastes three quote lines of the "
            "article under its own text: they are lines of that comment (a quotation, not a re-pasted part of the same "
            "post, so no `also`). Menus, title, standfirst, byline, photo caption and URL, author box, share, related "
            "articles, tags, post navigation, comment form and the staff/footer lines are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "date, menus, breadcrumb, photo caption, title, standfirst, byline, image URL",
                                       31: "author box, related articles, tags, post navigation, comments heading, first header",
                                       _cg[-1][1] + 1: "'Reply', pingbacks, comment form, staff contacts, footer"},
                          extra=[r"^.+ says:$", _EN_DATE, r"^Reply$", _PING])

N = "es_cubadebate_news_comments"
_ESD = r"^\d{1,2} [a-z]+ \d{4} a las \d\d:\d\d$"
_cu = runs(N, 206, 250, [r"^.+ dijo:$", _ESD, r"^/ Responder$"])
assert len(_cu) == 11, _cu
SPECS[N] = [art(N, "A", [(57, 125)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_cu)]
NOTES[N] = ("Visible text of a saved Cuban news page (cubadebate.cu, April 2022, the IV Plenum of the Party's Central "
            "Committee) with its 11 reader comments: the article (A, one part per line from the first paragraph to the "
            "last paragraph: its four section headings, the photo captions between paragraphs and "
            "the embedded tweet (text, '📌' lines and '— Presidencia Cuba … April 26, 2022') are article lines; the "
            "lead photo caption above it and the three captions after its last paragraph (126-128) are edges) and each comment as its own post. A "
            "comment is headed by 'NAME dijo:' and followed by its date ('26 abril 2022 a las 14:02', AFTER the text) "
            "and '/ Responder' (missing under some replies): all chrome. Replies (to Ramón) are not indented: each "
            "its own post. Menus, title, authors, tags, section links, related lists, the comment form (shown twice), "
            "author boxes, COVID figures and news lists are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, breadcrumb, title, authors, tags, date, section links, share, lead caption",
                                       126: "captions after the last paragraph (edge), share, related and 'Vea también' lists, comment count, form, first header",
                                       _cu[-1][1] + 1: "date, '/ Responder', comment form, author boxes, lists, footer"},
                          extra=[r"^.+ dijo:$", _ESD, r"^/ Responder$"])

N = "de_cicero_news_comments"
_CH = r"^.+ \| (Mo|Di|Mi|Do|Fr|Sa|So), \d{1,2}\. [A-ZÄ][a-zä]+ \d{4} - \d\d:\d\d$"
_cc = runs(N, 86, 125, [_CH, r"^Antworten$", r"^In reply to .+ by .+$"], after=r"^(%s|In reply to .+ by .+)$" % _CH[1:-1])
assert len(_cc) == 8, _cc
SPECS[N] = [art(N, "A", [(54, 54), (60, 81)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_cc)]
NOTES[N] = ("Visible text of a saved German news-magazine page (cicero.de, April 2020, an interview with a palliative "
            "physician on dying in the pandemic) with its 8 reader comments: the article (A: the standfirst and the "
            "interview, one part per line, questions, answers and the portrait caption inside it) and each comment as "
            "its own post. A comment is headed by 'NAME | Di, 21. April 2020 - 16:40', then its subject line "
            "('Wo und wie gestorben wird', 'Beatmung'), then its text, then 'Antworten'. The subject line is unlabelled "
            "like any title (not scored); header, 'In reply to … by Gast' and 'Antworten' are chrome. Menus (twice), "
            "footer menu, paywall note, title, byline, photo caption, author box, newsletter and event teasers, the "
            "comment form and the login overlay are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {**{1: "menus, footer menu, paywall note, share, title, byline", 55: "photo caption, author box",
                                            82: "newsletter and event teasers, first comment header and subject",
                                            _cc[-1][1] + 1: "'Antworten', comment form, footer menu, login overlay"},
                                           **after_each(_cc, "'Antworten', next comment header (name | date), 'In reply to', subject line")})

N = "de_oekonomenstimme_blog_comments"
_OB = r"^geschrieben von .+ am \d{1,2}\. [A-Z][a-zä]+\.? \d{4}, \d\d:\d\d \[ antworten \]$"
_ok = runs(N, 69, 272, [_OB], before=_OB)
SPECS[N] = [art(N, "A", [(21, 58)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_ok)]
NOTES[N] = ("Visible text of a saved Swiss economics-blog page (Ökonomenstimme, KOF ETH Zürich, January 2015, on the "
            "Keynes-Hicks multiplier) with its 32 comments: the article (A, one part per line, formula and symbol lines "
            "left by the page's images, subheadings and the 'Literatur' list included) and each comment as its own post. "
            "Each comment has a subject line FIRST ('Ein Argument', 'AW: Kurze Antworten'), then 'geschrieben von NAME "
            "am 21. Jan. 2015, 19:04 [ antworten ]', then its text: the subject line is unlabelled like any title, the "
            "byline is chrome. Signatures ('A. Felsberger', 'Wolfgang Waldner'), quoted lines of other comments "
            "('>…', 'W.: „…“' / 'Q.: …' dialogues) are lines of the comment. Menus, title, star ratings, "
            "copyright line, comment count, login note, author box, tags, related articles and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {**{1: "menus, title, read/comment counts, byline, rating widget",
                                            59: "copyright, title, rating widget, comment count, first subject and byline",
                                            _ok[-1][1] + 1: "login note, author, tags, related articles, footer"},
                                           **after_each(_ok, "subject line and byline of the next comment")})

N = "de_hpd_news_comments"
_HH = r"^.+ am \d{1,2}\. [A-Z][a-zä]+ \d{4} - \d\d:\d\d Permanenter Link$"
_hp = runs(N, 88, 152, [_HH, r"^Antworten$", r"^Aufklappen$"])
assert len(_hp) == 10, _hp
SPECS[N] = [art(N, "A", [(51, 72)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_hp)]
NOTES[N] = ("Visible text of a saved German humanist news page (hpd.de, October 2023, on identity politics and "
            "homophobia) with its 10 reader comments: the article (A, one part per line, subheadings, the closing "
            "'Dies ist Teil 2 …' note and the footnote included) and each comment and reply as its own post (replies "
            "are not indented). The comment form comes BEFORE the comments; each comment is headed by 'NAME am 18. "
            "Oktober 2023 - 13:11 Permanenter Link' and followed by 'Antworten' ('Aufklappen' under long ones): "
            "chrome. Menus, tag index, title, author, tags, photo and caption, comment count, netiquette, the form, "
            "author box, more-by-author list and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, tag index, title, author, date, tags, comment count, photo and caption",
                                       73: "comment count, netiquette, comment form, 'Kommentare', first header",
                                       _hp[-1][1] + 1: "'Aufklappen', 'Antworten', author box, more-by-author list, footer"},
                          extra=[_HH, r"^Antworten$", r"^Aufklappen$"])

N = "de_skispringen_news_comments"
_DE_DATE = r"^\d{1,2}\. [A-Za-zä]+ \d{4} um \d{1,2}:\d{2} Uhr$"
_sk = runs(N, 73, 98, [r"^.+ sagt:$", _DE_DATE, r"^Antworten$"])
assert len(_sk) == 6, _sk
SPECS[N] = [art(N, "A", [(53, 59)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_sk)]
NOTES[N] = ("Visible text of a saved German ski-jumping news page (skispringen.com, February 2022, Marita Kramer misses "
            "the Olympics) with its 6 reader comments, newest first: the article (A, one part per line, its subheading "
            "inside) and each comment as its own post ('NAME sagt:' and the date line above it and 'Antworten' under it "
            "are chrome; one comment addresses the athlete, 'Marita Kopf hoch …', a line of that comment). Menus, "
            "kicker, title, date/author/count line, photo credit, tags, newsletter box, author box, comment form and "
            "news lists are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, kicker, title, date/author/comment count, photo credit",
                                       60: "tags, newsletter box, author box, comment count, first header",
                                       _sk[-1][1] + 1: "'Antworten', comment form, event and news lists, footer"},
                          extra=[r"^.+ sagt:$", _DE_DATE, r"^Antworten$"])

N = "en_luxuryhaven_blogger_comments"
_LH = r"^.+[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d\d [AP]M$"
_lh = runs(N, 39, 174, [_LH, r"^ReplyDelete$", r"^Replies$", r"^Reply$"])
assert len(_lh) == 24, len(_lh)
SPECS[N] = [art(N, "A", [(19, 35)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_lh)]
NOTES[N] = ("Visible text of a saved Blogger lifestyle-blog post (Luxury Haven, Singapore, May 2019, a press release on "
            "a Hyatt resort in Vietnam) with its 24 comments: the article (A, one part per line: paragraphs, "
            "subheadings and the brand note; the two grey caption lines under the lead photo, 'Nam Nghi Phu Quoc' / "
            "'1-Bedroom Sunset Ocean Front Villa, …', are a photo caption at the start of the article: an edge, unlabelled) and each comment as its own "
            "post. Blogger glues name and date on one header line ('IwonaMay 30, 2019 at 1:06 PM', no space) and puts "
            "'ReplyDelete' / 'Replies' / 'Reply' under every comment: all chrome. A commenter's sign-off ('Amy x "
            "Wandering Everywhere') and a Spanish comment are comment lines. Menus, breadcrumb, author/date line, "
            "title, share buttons, labels, '24 comments:', 'Add comment' / 'Load more...', the blog's note to "
            "commenters, sidebars and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, breadcrumb, author/date line, title, lead photo caption (edge)",
                                       36: "share buttons, labels, comment count, first header",
                                       _lh[-1][1] + 1: "'ReplyDelete', 'Add comment', 'Load more...', note to commenters, sidebars, footer"},
                          extra=[_LH, r"^ReplyDelete$", r"^Replies$", r"^Reply$"])

N = "fr_madamefigaro_news_comment"
SPECS[N] = [art(N, "A", [(72, 72), (77, 99), (101, 101)]), post("B", 109, 109)]
NOTES[N] = ("Visible text of a saved French women's-magazine page (madame.lefigaro.fr, February 2020, caring for one's "
            "gut flora) with the one reader comment shown: the article (A: the standfirst and the body, one part per "
            "line: subheadings, the inline 'À lire aussi »' and 'En vidéo' lines, the 'Photo iStock' caption and the "
            "numbered footnote (1) are article lines; the update note '* Cet article, initialement publié en avril "
            "2017, …' is chrome) and the comment (B) under its header 'link78 Le 12/02 à 11:30', followed by "
            "'Alerter' / 'Répondre' / 'Tous les commentaires' (chrome). The page says '61 commentaires' but shows "
            "one. Menus, title, author/date, photo credit, share buttons, the 'En ce moment' box, recommended "
            "articles, tags and footer are chrome.")
UNLABELLED[N] = [(1, 71, "menus, breadcrumb, title, author, date, photo credit, comment count, share buttons"),
                 (73, 76, "'En ce moment' promotion box"), (100, 100, "update note"),
                 (102, 108, "recommended articles, tags, 'Commentaires', comment header"),
                 (110, len(dump_lines(N)), "'Alerter', 'Répondre', 'Tous les commentaires', next/previous articles, footer")]

N = "en_wptavern_blog_comments"
_WT = r"^.+ · [A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d\d [AP]M$"
_wt = runs(N, 63, 110, [_WT, r"^Reply$", r"^Report$"])
assert len(_wt) == 13, _wt
SPECS[N] = [art(N, "A", [(27, 35)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_wt)]
NOTES[N] = ("Visible text of a saved WordPress news-blog post (WP Tavern, March 2017, Stack Overflow jobs data) with its "
            "13 threaded comments: the article (A, one part per line; the quoted reader lines 32-34 inside the body "
            "are article lines) and each comment and nested reply as its own post (replies are not indented). Each "
            "comment is headed by 'NAME · March 10, 2017 at 12:20 AM' and followed by 'Reply' (and 'Report' on its "
            "own line): chrome. Twice the page glues 'Report' to the comment's last sentence ('…page builders?Report'): "
            "that line stays a comment line. Menus, title, byline with count, share buttons, related posts, category "
            "and tags, 'There are 13 comments', the comment form, post navigation, sidebar and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, breadcrumb, title, byline and comment count",
                                       36: "share buttons, related posts, category, tags, comment count, first header",
                                       _wt[-1][1] + 1: "'Cancel reply', comment form, post navigation, sidebar, footer, share overlay"},
                          extra=[_WT, r"^Reply$", r"^Report$"])

N = "en_aclu_blog_comments"
_AT = r"^\d{1,2}:\d\d [AP]M$"
_AD = r"^[A-Z][a-z]+ \d{1,2}, \d{4}$"
_ac = runs(N, 134, 192, [r"^reply$", _AD, _AT], after=_AT)
assert len(_ac) == 10, _ac
SPECS[N] = [art(N, "A", [(76, 115)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_ac)]
NOTES[N] = ("Visible text of a saved ACLU blog post (April 2018, 'Facebook Is Tracking Me Even Though I'm Not on "
            "Facebook') with the first page of its comments (10 of 27): the article (A, one part per line, "
            "subheadings included) and each comment and reply as its own post. A comment is its author's name line "
            "('Anonymous', 'Lars', 'Ed B. -Netherlands'), its text, 'reply' (not under replies) and then its date and "
            "time on two lines AFTER the text ('April 5, 2018' / '6:32 PM'): name, 'reply', date and time are chrome. "
            "Menus, title, byline, tags, share buttons, image name, 'View comments (27)', the comment form with its "
            "text-format help, the pager and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, title, byline, date, tags, share buttons, image name",
                                       116: "'View comments (27)', terms, comment form and format help, first name line",
                                       _ac[-1][1] + 1: "'reply', date, time, pager, donation box, footer"},
                          extra=[r"^reply$", _AD, _AT, r"^(Anonymous|Lars|Ed B\. -Netherlands)$"])

# ================================================================ Markdown drafts
N = "en_memdb_thread"
_md = headed(N, 1, 95, r"^## Tweet \d+ — .+$")
assert len(_md) == 5, _md
SPECS[N] = [T("A", "thread", [(i + 1, a, b) for i, (a, b) in enumerate(_md)])]
NOTES[N] = ("English X launch-thread draft (MemDB v0.23.0): a title and two '>' notes (schedule, tone) above five "
            "tweets, each opened by a '## Tweet n — Label' heading (marker, part of the tweet; no total), '---' "
            "between them. Tweets 2-4 hold code fences (a ranking table, a pip line, Python, a shell session): lines "
            "of the tweet. After the thread come notes (asset list, posting checklist, anti-patterns, tone): unlabelled.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "document title and notes above the thread", 14: "separator",
                                   _md[-1][1] + 1: "separator and notes after the thread (assets, checklist, anti-patterns, tone)"})

N = "en_thumbgate_thread"
_tg = headed(N, 1, 102, r"^## Tweet \d+ \(.+\)$")
assert len(_tg) == 7, _tg
SPECS[N] = [T("A", "thread", [(i + 1, a, b) for i, (a, b) in enumerate(_tg)])]
NOTES[N] = ("English X launch-thread draft (ThumbGate): a title and a '> Draft thread. Do not post without review.' note, "
            "then seven tweets, each opened by a '## Tweet n (Label)' heading (marker, part of the tweet; no total) "
            "and closed by its hashtag line, '---' between them. Tweets 2 and 6 hold code fences (npx / npm lines), "
            "tweet 3 a numbered list: lines of the tweet.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "document title, note, separator", 8: "separator"})

N = "en_thumbgate_launch_posts"
SPECS[N] = [post("A", 9, 42), post("B", 52, 90), post("C", 100, 143), post("D", 151, 168), post("E", 171, 173)]
NOTES[N] = ("English launch plan of four separate posts for four places (Reddit r/ClaudeAI, Reddit r/cursor, a Show HN, "
            "LinkedIn): each under a '## Post n: PLACE' heading (a note naming the place, not a thread marker) and a "
            "'**Title:** …' line (the title of the Reddit/HN submission: unlabelled like any title), '---' around the "
            "body. Each body is one post (its bold subheadings, lists, code fence and links included). The LinkedIn "
            "post is followed by 'Optional first comment:' (a note) and the comment it proposes: its own post (E). "
            "The closing 'Key Assets' and 'Notes for Launch' sections are notes. Not a thread.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "document title, post heading, submission title, separator",
                                   44: "separator, post heading, submission title, separator",
                                   170: "'Optional first comment:' note", 175: "separator, 'Key Assets' and 'Notes for Launch' sections"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
