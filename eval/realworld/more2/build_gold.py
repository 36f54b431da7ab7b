#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE2 set (eval/realworld/more2:
X thread drafts in English and Japanese (markers as headings, trailing markers, code blocks inside posts, notes
around them), twitter.com/x.com page copies, blog pages with reader comments; see SOURCES.md) from the compact
specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing
Same gold format and conventions as the "more" set (`also`, `alt_n`, `near_duplicates`,
`page_gaps`); added here: `page_gaps` takes extra chrome patterns of one page (the comment
headers, dates and 'Reply' links of a blog), and `comments` cuts a blog's comment list at its header lines."""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import DRAFT_AND_PAGE_CONVENTIONS, T, article, check_and_write, comments, key, page_gaps, post, use  # noqa: E402

use(HERE)


SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}

COMMON = DRAFT_AND_PAGE_CONVENTIONS

_SEP = "'---' separator"

# ================================================================ thread drafts (X), English
N = "en_overtype_thread"
SPECS[N] = [T("A", "thread", [(1, 3, 11), (2, 15, 19), (3, 23, 29), (4, 33, 39), (5, 43, 49), (6, 53, 67), (7, 71, 82),
                              (8, 86, 93), (9, 97, 104)], total=9)]
NOTES[N] = ("English X launch thread draft: nine tweets separated by '---', each CLOSED by a trailing '🧵 n/9' marker line "
            "(part of the tweet it ends; total 9). Tweet 6 holds a fenced javascript block, tweets 4, 7 and 8 bullet or "
            "check lists; '<textarea>' in the text is text.")
UNLABELLED[N] = [(1, 1, "document title")] + [(ln, ln, _SEP) for ln in (13, 21, 31, 41, 51, 69, 84, 95)]

N = "en_chameleon_thread"
SPECS[N] = [T("A", "thread", [(1, 3, 12), (2, 16, 23), (3, 27, 35), (4, 39, 49), (5, 53, 63), (6, 67, 78), (7, 82, 92),
                              (8, 96, 110), (9, 114, 124)])]
NOTES[N] = ("English X launch thread draft: nine tweets, each opened by a '## Tweet n (Label)' heading (marker, part of "
            "the tweet; no total), '---' between tweets; an '## Images to Attach' table closes the file (notes). Tweets "
            "4 and 6 start with a '**[ATTACH: assets/….png]**' instruction line right under the heading: it lies "
            "inside the tweet's span (between its marker and its text), so it is labelled with the tweet. Tweets 7 and 8 "
            "hold code fences (part of them); the aligned 'Overall:  +1.42pp' table in tweet 6 is text.")
UNLABELLED[N] = ([(1, 1, "document title")] + [(ln, ln, _SEP) for ln in (14, 25, 37, 51, 65, 80, 94, 112, 126)] +
                 [(128, 133, "'Images to Attach' notes table")])

N = "en_claudebridge_thread"
SPECS[N] = [T("A", "thread", [(1, 5, 18), (2, 24, 32), (3, 36, 44), (4, 48, 60), (5, 64, 77)])]
NOTES[N] = ("English X thread draft (a CLI tool's launch folder): five tweets, each a '## Tweet n (label)' heading (marker, "
            "part of the tweet; no total) followed by the tweet text inside a code fence (the fences belong to the "
            "tweet); '---' between tweets; the '1.'-'3.' list in tweet 3 is text. A '[attach demo GIF here …]' "
            "instruction after tweet 1's fence is a media placeholder at the end of the tweet (edge, unlabelled). A "
            "'## Posting plan' section (timing, hashtags, whom to tag; ends with a stray fence) closes the file (notes).")
UNLABELLED[N] = ([(1, 3, "document title, separator"), (20, 20, "media placeholder closing tweet 1 (edge)")] +
                 [(ln, ln, _SEP) for ln in (22, 34, 46, 62, 79)] +
                 [(81, 93, "'Posting plan' notes (timing, hashtags, whom to tag)")])

N = "en_nightfang_thread"
SPECS[N] = [T("A", "thread", [(1, 3, 12), (2, 14, 19), (3, 21, 28), (4, 30, 35), (5, 37, 45), (6, 47, 54), (7, 56, 65),
                              (8, 67, 72), (9, 74, 83), (10, 85, 92), (11, 94, 107)])]
NOTES[N] = ("English X launch thread draft: eleven tweets, each opened by a '## Tweet n (Label)' heading (marker, part of "
            "the tweet; no total), no separators, tweets separated by one blank line only. Lists inside tweets ('1. "
            "DISCOVER …'..'4. REPORT …' in tweet 5, '- scan → …' items) and shell commands are text.")
UNLABELLED[N] = [(1, 1, "document title")]

# ================================================================ thread drafts (X), Japanese
N = "ja_lemoncake_threads"
SPECS[N] = [T("A", "thread", [(1, 10, 21), (2, 23, 31), (3, 33, 43), (4, 45, 55), (5, 57, 69), (6, 71, 81)]),
            T("B", "thread", [(1, 87, 98), (2, 100, 109), (3, 111, 123), (4, 125, 135), (5, 137, 146), (6, 148, 159)])]
NOTES[N] = ("Japanese launch document with two versions of one six-tweet X thread: the Japanese version (A, headings "
            "'### ツイート n — 見出し') and the English version (B, '### Tweet n — Label'); the headings are markers "
            "(part of the tweet; no total), each tweet's text is in a code fence (fences belong to it). Media "
            "placeholders inside a fence ('[動画添付]', '[Kill Switch スクショ]', '[video attached]') lie inside the tweet's "
            "span and are labelled with it. The two versions are translations, different texts: two threads, no "
            "near-duplicate pair. Intro notes, section headings and the closing '⚡️ 投稿運用メモ' posting notes (timing, "
            "accounts to engage with @handles, quote-RT strategy, don'ts) are unlabelled.")
UNLABELLED[N] = [(1, 8, "title, notes on the two versions, separator, section heading"),
                 (83, 85, "separator, section heading"),
                 (161, 186, "separator, posting notes (timing, accounts to engage, quote-RT strategy, don'ts)")]

N = "ja_kokocall_threads"
SPECS[N] = [T("A", "thread", [(1, 11, 20), (2, 22, 30), (3, 32, 38)], total=3),
            T("B", "thread", [(1, 44, 55), (2, 57, 67), (3, 69, 75)], total=3),
            T("C", "thread", [(1, 81, 88), (2, 90, 98)], total=2)]
NOTES[N] = ("Japanese X posting document of a public-data MCP server: three short threads, A and B in Japanese (3 tweets "
            "each), C in English (2 tweets), under '## スレッド X: …' section headings with '---' between them. Each tweet is "
            "a bold marker line '**1/3**', '**2/3（1のリプライ）**', '**3/3（リプライ）**' (n/N with a reply note; part "
            "of the tweet) followed by its text in a code fence (fences belong to it); each thread restarts at 1. "
            "Blockquoted instructions at the top and the closing posting criteria are notes. The text says the code "
            "is published under BSL-1.1; the repository's LICENSE file at this commit is Apache-2.0.")
UNLABELLED[N] = [(1, 9, "title, blockquoted instructions, separator, section heading"),
                 (40, 42, "separator, section heading"), (77, 79, "separator, section heading"),
                 (100, 115, "separator, posting criteria, 'if you choose not to post' note")]

# ================================================================ twitter.com / x.com pages (visible text)
N = "en_twitter_trump_replies"
SPECS[N] = [post("A", 16, 18), post("B", 34, 34), post("C", 47, 47), post("D", 60, 60), post("E", 72, 72),
            post("F", 83, 83), post("G", 96, 96)]
NOTES[N] = ("Visible text of a saved twitter.com conversation page (logged-out 2022 UI; a public tweet of Jan 2020 by "
            "@realDonaldTrump), a link-preview library's test fixture: the tweet (A: a quoted headline, the "
            "'@foxandfriends' mention the page puts on its own line, and the comment; one post) and six replies, each "
            "its own post (C answers B; E answers D). Every reply header has 'Replying to' followed by mentions and "
            "'and' on separate lines: chrome. Date, counts, 'Show replies', the sign-up box, relevant-people box, trends "
            "and footer are chrome.")
UNLABELLED[N] = [(1, 15, "sign-up banner, cookie notice, nav, 'Tweet', 'Conversation', author name and handle"),
                 (19, 33, "date, retweet/quote/like counts, reply header, 'Replying to @… and @…'"),
                 (35, 46, "counts, reply header, 'Replying to …'"),
                 (48, 59, "counts, 'Show replies', reply header, 'Replying to …'"),
                 (61, 71, "counts, reply header, 'Replying to … and 2 others'"),
                 (73, 82, "counts, reply header, 'Replying to …'"),
                 (84, 95, "counts, 'Show replies', reply header, 'Replying to …'"),
                 (97, 132, "counts, sign-up box, relevant-people box, trends, footer")]

N = "en_twitter_kikobeats_replies"
SPECS[N] = [post("A", 16, 16), post("B", 31, 31), post("C", 44, 44), post("D", 53, 53)]
NOTES[N] = ("Visible text of a saved twitter.com conversation page (logged-out 2022 UI; tweets of June 2017), a "
            "link-preview library's test fixture: @Kikobeats's GIF tweet (A) and three replies, each its own post: Drew "
            "Wilson's question (B; the GitHub link card closing it is an edge), the author's answer to him (C: an "
            "answer to a commenter, a post, not part of A), and a one-word reply (D). 'GIF' badge, date, counts, "
            "'Replying to' lines with their mentions and 'and' on separate lines, 'Show replies', the sign-up box, "
            "relevant-people box with the author's bio, trends and footer are chrome.")
UNLABELLED[N] = [(1, 15, "sign-up banner, cookie notice, nav, 'Tweet', 'Conversation', author name and handle"),
                 (17, 30, "'GIF' badge, date, counts, reply header, 'Replying to @… and @…'"),
                 (32, 43, "link card closing the reply (edge), count, reply header, 'Replying to …'"),
                 (45, 52, "count, 'Show replies', reply header, 'Replying to …'"),
                 (54, 88, "sign-up box, relevant-people box with bio, trends, footer")]

N = "es_x_javilop_profile_posts"
SPECS[N] = [post("A", 38, 38), post("B", 48, 48), post("C", 58, 58), post("D", 67, 67)]
NOTES[N] = ("Visible text of a saved x.com profile page (@javilop, logged out, 2025 UI, Spanish), a link-preview "
            "library's test fixture: four posts of the profile timeline (the pinned one first), each its own post. The "
            "profile box (name, bio whose mentions '@Magnific_AI', '@freepik' and the '(acq. por' / ')' fragments "
            "stand on their own lines, counters), tabs, 'Pinned', headers, video times ('0:53', '0:00 / 1:20'), counts, "
            "sign-up box and footer are chrome. C announces a list ('10 aplicaciones de IA …') whose thread is not on "
            "the page: nothing numbered, nothing known missing.")
UNLABELLED[N] = [(1, 37, "sign-up banner, cookie notice, profile box (name, bio, counters), tabs, 'Pinned', header"),
                 (39, 47, "video time, counts, header"), (49, 57, "video time, counts, header"),
                 (59, 66, "counts, header"), (68, 88, "counts, sign-up box, footer")]

N = "es_x_smartua_post"
SPECS[N] = [post("A", 15, 21)]
NOTES[N] = ("Visible text of a saved x.com post page (logged out, 2025 UI; a Spanish post of Nov 2017 by @UaSmart), a "
            "link-preview library's test fixture: one post whose inline mentions the page splits onto their own lines "
            "('Y terminamos el dia con Cultura de empresa con' / '@patoroco' / ',' / '@flopezluis' / ', Katia, Angélica "
            "en' / '@codemotion_es' / '#codemotion2017'): all seven lines are the one post. Date, counts, sign-up box, "
            "trends and footer are chrome.")
UNLABELLED[N] = [(1, 14, "sign-up banner, cookie notice, 'Post', 'Conversation', author name and handle"),
                 (22, 56, "date, counts, sign-up box, trends, footer")]

# ================================================================ blog pages with reader comments (visible text)
N = "en_lemire_blog_comments"
_lc = comments(N, 266, 287, r".+ says:$", skip_after=1, stop=r"^Reply$")
assert _lc == [(268, 269), (273, 273), (277, 277), (281, 281), (285, 286)], _lc
SPECS[N] = [article(N, "A", 240, 260)] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_lc)]
NOTES[N] = ("Visible text of a saved WordPress blog post (Daniel Lemire's blog, Aug 2019) with its 5 comments: the "
            "article (A: its paragraphs and the lines of its benchmark table, one part per line) and each comment as "
            "its own post ('NAME says:' and the date line above a comment and 'Reply' under it are chrome). degski "
            "comments twice in a row (B, C: separate remarks, each its own post); the author's two answers (D, F) are "
            "posts. The long sidebar (recent comments, archive list), title, author box, comment form and footer are "
            "chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {
    1: "skip link, blog header, sidebar (about, where to find me, recent posts/comments, pages, archive list), post title",
    261: "author box, 'Posted on …' line, comment count, first commenter header",
    287: "'Reply', comment form, post navigation, footer"},
    extra=[r".+ says:$", r"^[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2} [ap]m$", r"^Reply$"])

N = "de_moritzmeyer_blog_comments"
_H = r".+ \d{1,2}\. [A-Za-zä]+ \d{4} um \d{1,2}:\d{2} Uhr - Antworten$"
_mc = comments(N, 80, 178, _H)
SPECS[N] = [article(N, "A", 16, 72)] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_mc)]
assert len(_mc) == 36 and _mc[29] == (164, 164) and _mc[35] == (178, 178), _mc
NEARDUP[N] = [[[key(30), 1], [key(36), 1]]]
NOTES[N] = ("Visible text of a saved German blog post (moritz-meyer.net, June 2018, on the 'Vreni Frost' court ruling) "
            "with its 36 comments: the article (A, one part per paragraph line; the embedded tweet and its '— RobBubble "
            "(@RobBubble) 14. Juni 2018' attribution inside it are article lines, as in the dev set) and each comment "
            "as its own post: the run of lines under a 'NAME DATE um HH:MM Uhr - Antworten' header line (chrome). The "
            "author's answers (MoritzMeyer) are posts; 16 pingbacks from other blogs ('[…] quoted excerpt […]' under "
            "the linking post's title) are items of the comment list and labelled as posts too. Two pingbacks from two "
            "versions of one linking post (lines 164 and 178, Z30 and Z36) carry byte-identical excerpts: two different "
            "items, annotated as a near_duplicates pair (not `also`). The follow box after "
            "the article ('Bleib auf dem Laufenden … Follow @mr_mo56'), share buttons, related posts, comment form, "
            "sidebar and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {
    1: "menu, post title, author/date/category/comment-count line",
    73: "follow box, share buttons, related posts, gallery, comment count, first commenter header",
    179: "comment form, sidebar (topics, recent posts, archive), footer"}, extra=[_H])

N = "de_franziska_blog_comments"
_fc = comments(N, 63, 156, r".+ sagt:$", skip_after=1, stop=r"^Antworten$")
SPECS[N] = [article(N, "A", 27, 47)] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_fc)]
NOTES[N] = ("Visible text of a saved German fashion-blog post (Feb 2019) with its 17 comments: the article (A, one part "
            "per line, the outfit credits 'Pullover: H&M' etc. and the sign-off 'x Franzi' included; the photo caption "
            "after it is an edge) and each comment as its own post ('NAME sagt:' and the date line above it and "
            "'Antworten' under it are chrome). The blogger's answers (Franziska Elea) are posts. Commenters' sign-offs "
            "('Liebe Grüße', their name, their blog URL or '(ig: @…)') are the last lines of their comment.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {
    1: "menus (twice), author/date/categories/comment-count line, post title",
    48: "photo caption (edge), tags, share, related posts, comment count, first commenter header",
    156: "'Antworten', comment form, footer"},
    extra=[r".+ sagt:$", r"^\d{1,2}\. [A-Za-zä]+ \d{4} um \d{1,2}:\d{2} Uhr$", r"^Antworten$"])


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
