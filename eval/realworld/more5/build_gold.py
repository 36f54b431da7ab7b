#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE5 set (eval/realworld/more5:
thread drafts and post plans in Markdown (en, zh, with Russian notes) from repositories no other part uses, and
saved German forum and comment pages in layouts the other parts lack: phpBB, Forumotion, a recipe-comment list,
'NAME DD.MM.YYYY // HH:MM' comments, a German Blogger list; see SOURCES.md) from the compact specs below and checks
them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, art, check_and_write, dump_lines, fenced,  # noqa: E402
                      gaps, headed, key, numbered, page_gaps, post, runs, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS


# ================================================================ thread drafts
N = "en_agentwall_thread"
SPECS[N] = [T("A", "thread", numbered([(3, 3), (5, 6), (8, 8), (10, 10), (12, 12), (14, 15), (17, 18), (20, 20)]))]
NOTES[N] = ("English X thread draft (AgentWall): a title line, then eight tweets each opened by a bare 'n/' marker (no "
            "total, so `total` null), two of them with a command in backticks on a second line. The title is unlabelled.")
UNLABELLED[N] = [(1, 1, "document title")]

N = "en_conatus_thread"
_cn = headed(N, 1, 72, r"^\*\*\d+/\*\*")
assert len(_cn) == 6, _cn
SPECS[N] = [T("A", "thread", numbered(_cn))]
NOTES[N] = ("English X hackathon-submission thread draft (Conatus): title, two instruction lines, then six tweets "
            "separated by '---', each opened by a bold '**n/**' marker with an image file name or '(no image)' on the "
            "same line (the marker line belongs to the part it numbers; no total), then a submission checklist "
            "(unlabelled notes).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, instructions, separator", 19: "separator",
                                   _cn[-1][1] + 1: "separator and submission checklist"})

N = "en_crewswarm_thread"
_cw = headed(N, 1, 95, r"^\*\*Tweet \d+ \(.+\):\*\*$")
assert len(_cw) == 8, _cw
SPECS[N] = [T("A", "thread", numbered(_cw)), post("B", 100, 106)]
NOTES[N] = ("English X launch-thread draft (crewswarm): title and a note, then eight tweets separated by '---', each "
            "opened by a '**Tweet n (label):**' line (the marker; no total), then an 'Alt: Single tweet version' "
            "heading and that single tweet: a separate post (B), not a part of the thread.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, note, separator", 15: "separator",
                                   _cw[-1][1] + 1: "separator and 'Alt: Single tweet version' heading"})

N = "en_stellarshenson_threads"
_sa = headed(N, 10, 101, r"^\*\*Tweet \d+( - [^*]+)?\*\*")
_sb = headed(N, 105, 134, r"^\*\*Tweet \d+\*\*")
assert len(_sa) == 7 and len(_sb) == 3, (_sa, _sb)
_sa[0] = (11, 17)  # Tweet 1 ends in an '[ image: … ]' placeholder inside its fence: an edge line, unlabelled
_sa[2] = (38, 47)  # the '(Substitute → …)' note after Tweet 3's fence is the author's note, not tweet text
_sb[0] = (106, 112)  # Thread B's Tweet 1 ends in an '[image]' placeholder
_sa[3] = (51, 59)  # Tweet 4 ends in '[image: scorecard]'
_sa[4] = (64, 70)  # Tweet 5 ends in '[image: …]'
A = T("A", "thread", numbered(_sa))
for p in A["parts"][1:]:  # tweets 2-7 also carry an in-text 'k/' marker counting from the second tweet
    p["alt_n"] = {str(ln): p["n"] - 1 for ln in range(p["lines"][0], p["lines"][1] + 1)}
SPECS[N] = [A, T("B", "thread", numbered(_sb))]
NOTES[N] = ("English X thread drafts (stellarshenson/claude-code-plugins): a title, a note and a '>' warning, then two "
            "alternative threads under '## Thread A …' (7 tweets) and '## Thread B …' (3 tweets) headings. Each tweet is "
            "opened by a '**Tweet n** (note):' / '**Tweet n - label**:' line (its marker) and holds the text in a code "
            "fence (fence lines are lines of the tweet). In thread A, tweets 2-7 also begin with an in-text marker "
            "'1/' … '6/' (the hook is unnumbered): n follows the heading, the in-text number is accepted as alt_n. "
            "Media placeholders at the end of a tweet ('[ image: … ]', '[image]') and the fence line after them are "
            "edge lines, unlabelled; the '(Substitute → …)' note between two tweets is unlabelled. The two threads "
            "are alternatives on the same theme but not re-pasted text (no near_duplicates). Posting playbook and "
            "'A/B title alternatives' after them are notes (the alternatives are candidate first lines, not posts).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, note, warning, separator, thread heading",
                                   18: "media placeholder and closing fence at the end of a tweet",
                                   48: "author's note between tweets", 60: "media placeholder and closing fence",
                                   71: "media placeholder and closing fence",
                                   101: "separator and thread B heading", 113: "media placeholder and closing fence",
                                   135: "separator, posting playbook, A/B title alternatives"})

N = "en_tamagotchi_thread"
_ta = headed(N, 1, 111, r"^### \*\*Твит \d+/8:\*\*$")
_tb = headed(N, 130, 226, r"^### \*\*Твит \d+/8:\*\*$")
assert len(_ta) == 8 and len(_tb) == 8, (_ta, _tb)
SPECS[N] = [T("A", "thread", numbered(_ta), total=8), T("B", "thread", numbered(_tb), total=8)]
NEARDUP[N] = [[["A", i], ["B", i]] for i in range(1, 9)]
NOTES[N] = ("X thread draft with Russian notes and English tweets (Solana Tamagotchi): a Russian title and heading, then "
            "eight tweets each under a '### **Твит n/8:**' heading (the marker, total 8) with the text in a code fence "
            "(fence lines are lines of the tweet), separated by '---'; then Russian notes (how to post, why hashtags), "
            "then an 'alternative variant' with fewer hashtags: the same eight tweets again with shorter hashtag lines "
            "(thread B, total 8). Each tweet of B is a near-duplicate of the same-numbered tweet of A (only the hashtag "
            "line differs): listed in near_duplicates, not `also` (the text is not identical). Closing Russian notes "
            "are unlabelled.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title and heading", 16: "separator",
                                   _ta[-1][1] + 1: "separator, Russian notes, 'alternative variant' heading and note",
                                   141: "separator", _tb[-1][1] + 1: "separator and closing Russian notes"})

# ================================================================ post plans
N = "zh_opencodex_launch_posts"
SPECS[N] = [post("A", 6, 15), post("B", 18, 29), post("C", 36, 45), post("D", 48, 59)]
NOTES[N] = ("Bilingual launch-post templates (OpenCodex): a title, a '## 中文模板' section with two Chinese posts (A: a "
            "short post for X / WeChat Moments, B: a long post for V2EX / Juejin), then an '## English Templates' "
            "section with two English posts (C short for X, D long for Reddit / Hacker News). Each '### 模板 A（…）' / "
            "'### Template A (…)' heading names the post and its place: a note, unlabelled. The English posts say "
            "much the same as the Chinese ones in another language: separate posts (no near_duplicates, not re-pasted "
            "text).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, section heading, post heading", 16: "post heading",
                                   30: "separator, section heading, post heading", 46: "post heading"})

N = "en_tamagotchi_post_variants"
_tv = fenced(N, 1, 108)
assert len(_tv) == 5, _tv
SPECS[N] = [post(key(i), a, b) for i, (a, b) in enumerate(_tv)]
NOTES[N] = ("English plan of five alternative X posts for one update (Solana Tamagotchi): each under a heading that "
            "names it ('Main Tweet (English)', 'Russian Version', 'Alternative Tweet …', 'Stats Tweet …', 'Video "
            "Announcement Tweet'), its text in a code fence (fence lines unlabelled), separated by '---'; then tips and "
            "media suggestions (notes). B is a Russian version of A: a separate post in another language (no "
            "near_duplicates). Placeholders such as '[X]' and '[VIDEO LINK]' inside a post are its lines.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, headings, fences and separators between the posts",
                                   _tv[-1][1] + 1: "closing fence, separator, tips and media suggestions"})

N = "zh_tamagotchi_weibo_posts"
_tw = fenced(N, 1, 508)
assert len(_tw) == 28, len(_tw)
SPECS[N] = [post(key(i), a, b) for i, (a, b) in enumerate(_tw)]
NOTES[N] = ("Plan of 28 separate Chinese posts for Weibo / Xiaohongshu / Bilibili with Russian notes (Solana "
            "Tamagotchi): a Russian title and status lines, six '## ТИП n' sections, each post under a Russian "
            "'### Пост #n: label' or '### Описание #n: label' heading (the plan's numbering of separate posts, not a "
            "thread: notes, unlabelled) with its text in a code fence (fence lines unlabelled); then a monthly "
            "schedule and usage notes in Russian.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, status lines, section and post headings, fences, separators",
                                   _tw[-1][1] + 1: "closing fence, monthly schedule, usage notes"})

N = "en_crewswarm_reddit_posts"
SPECS[N] = [post("A", 13, 36), post("B", 46, 59), post("C", 69, 85), post("D", 95, 104)]
NOTES[N] = ("English plan of four separate Reddit launch posts (crewswarm), one per subreddit: a title and a note, then "
            "for each post a '## r/NAME' heading, a '**Title:** …' line (the submission title, unlabelled like a "
            "title), a '**Body:**' label (unlabelled) and the body (the post), separated by '---'. Bold lead-ins "
            "('**The problem:**') and link lists inside a body are its lines.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, note, separator, heading, title line, 'Body:' label",
                                   37: "separator, heading, title line, 'Body:' label"})

# ================================================================ forum threads
N = "de_myoos_forum_post"
SPECS[N] = [post("A", 32, 49)]
NOTES[N] = ("Visible text of a saved phpBB forum topic (MyOOS support forum, German, January 2009) with one post: the "
            "post (A) reproduces an essay (its title line and 'von Georg C. F. Greve' byline are lines of the post, "
            "inside its body) with its numbered link list. The poster box above it ('r23', post count, registration "
            "date, place, contact links), 'Zitat' and 'Beitragvon r23 » 21.01.2009, 05:42' are chrome; the forum "
            "signature after it (a Stallman quotation and two link teasers, the same under every post of that user) "
            "and an advertising line are chrome, not post text. Menus, breadcrumb, forum description, 'Antworten', "
            "'1 Beitrag • Seite 1 von 1', the forum list, 'Wer ist online?' and the footer are chrome.")
UNLABELLED[N] = [(1, 31, "menus, breadcrumb, topic title, forum description, buttons, poster box, post header"),
                 (50, len(dump_lines(N)), "signature, advertising line, buttons, forum list, footer")]

N = "de_wolfsrebellen_forum_posts"
SPECS[N] = [post("A", 59, 75), post("B", 87, 91), post("C", 104, 109)]
NOTES[N] = ("Visible text of a saved Forumotion forum topic (Wolfsrebellen network, German, 2013-2014: the forum rules) "
            "with three posts by the administrator and a sponsored slot: each post is preceded by a poster box (name, "
            "rank, counts, join date, mood, place), 'Beitrag #n', a subject line ('Forums-Regeln', 'Re: Forums-Regeln') "
            "and 'von lupa am 26/10/13, 03:48 pm' (all chrome; the subject unlabelled like a title). Post A's sign-off "
            "('gez. Admin lupa' / '(Forumsleitung)') and its '1. Nachtrag' section are its lines; the signature line "
            "under posts B and C ('ich bin nicht da, um so zu sein, wie ihr es wollt') is the forum signature: chrome. "
            "Post C begins with a stray edit stamp and BBCode ('30.05.2014 23:07:56 ]b]3. Nachtrag[/b]'): a line of the "
            "post as shown. Beitrag #4 ('Gesponserte Inhalte') shows no text. The posts are separate forum posts "
            "(kind post), not a thread, although the three are numbered 'Nachtrag' 1-3 in their text.")
UNLABELLED[N] = [(1, 58, "menus, breadcrumb, topic title, share, poster box, 'Beitrag #1', subject, byline"),
                 (76, 86, "poster box, 'Beitrag #2', subject, byline"),
                 (92, 103, "signature, poster box, 'Beitrag #3', subject, byline"),
                 (110, len(dump_lines(N)), "signature, sponsored slot, navigation, forum list, footer")]

# ================================================================ comment pages
N = "de_golfpost_news_comments"
_GH = r"^.+ \d\d\.\d\d\.\d{4} // \d\d:\d\d$"
_gp = runs(N, 123, 254, [_GH, r"^Antworten$"])
assert len(_gp) == 33, len(_gp)
SPECS[N] = [art(N, "A", [(81, 97)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_gp)]
NOTES[N] = ("Visible text of a saved German golf news page (golfpost.de, January 2022, TV times for the PGA and DP World "
            "Tours) behind a registration wall, with its reader comments going back to 2015: the visible article (A, "
            "one part per line: intro, a photo caption between the first two paragraphs, the broadcast schedule) and "
            "each comment and reply as its own post. A comment is headed by one line 'NAME DD.MM.YYYY // HH:MM' and "
            "followed by 'Antworten' (missing under some replies): chrome. Replies (by the editors, 'Tobias Hennig "
            "(Team Golf Post)') are not indented: each its own post; greetings and sign-offs are lines of the comment. "
            "The page announces 33 reader comments and shows 33 (comments and replies together). Menus, title, kicker, "
            "date, login wall, like/share, newsletter box, comment form, ads, related articles and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, title, kicker, title, date/place",
                                       98: "product teaser, login wall, like/share, newsletter, topic box, comment form, count, first header",
                                       _gp[-1][1] + 1: "'Antworten', ad, related articles, footer"},
                          extra=[_GH, r"^Antworten$"])

N = "de_chefkoch_recipe_comments"
_ck = [(441, 441), (457, 457), (473, 473), (489, 489), (505, 505)]
SPECS[N] = [art(N, "A", [(403, 409)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_ck)]
NOTES[N] = ("Visible text of a saved German recipe page (chefkoch.de, a mandarin-and-sour-cream cake, 2006) with the "
            "first five of its 953 comments: the preparation text (A, one part per line, 'Für eine 26er Springform.' to "
            "the glaze) is the article; the ingredient list (quantities and names on separate lines), nutrition table, "
            "rating widget, times and author box are recipe data and chrome. Each comment is 'NAME' / 'Kommentar "
            "löschen' / text / date AFTER the text ('12.04.2020 17:02') / 'Antworten' twice / a hidden reply form "
            "('Abbrechen', 'Senden', 'Dein Kommentar wird gespeichert...', …): all chrome but the text line. "
            "Menus, ads, 'Alle Kommentare anzeigen', related recipes and footer are chrome.")
UNLABELLED[N] = [(1, 402, "menus, title, rating widget, times, ingredients, nutrition, 'Zubereitung' heading and times"),
                 (410, 440, "author box, more recipes, 'Kommentare', comment form, first name line"),
                 *[(b + 1, a2 - 1, "date, 'Antworten', hidden reply form, next name line, 'Kommentar löschen'")
                   for (a, b), (a2, b2) in zip(_ck, _ck[1:])],
                 (506, len(dump_lines(N)), "date, buttons, 'Alle Kommentare anzeigen', tips, related recipes, footer")]

N = "de_papierplanet_blogger_comments"
_PH = r"^.+\d{1,2}\. [A-ZÄ][a-zä]+ \d{4} um \d\d:\d\d$"
_pp = runs(N, 90, 177, [_PH, r"^AntwortenLöschen$", r"^Löschen$", r"^Antworten$"])
assert len(_pp) == 13, len(_pp)
SPECS[N] = [art(N, "A", [(42, 86)])] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_pp)]
NOTES[N] = ("Visible text of a saved German Blogger book blog post (Papierplanet, June 2015, a reading-challenge "
            "announcement on Southern Gothic) with its 13 comments: the post (A, one part per line, its 'Quelle: …' "
            "image credits between paragraphs, the book details, the TV/film/book lists and the participants line "
            "are lines of the post) and each comment and reply as its own post. A comment is headed by "
            "'NAMEDate um HH:MM' (name and date glued, 'Sana6. Juni 2015 um 10:23') and followed by "
            "'AntwortenLöschen' (top level) or 'Löschen' (reply) and one to three 'Antworten' lines: chrome. Replies "
            "by the blogger (Sanne) are not indented: each its own post. Menus, date, title, labels, comment count, "
            "'Kommentar hinzufügen', the sidebar (author box, archive, top picks) and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, date, title", 87: "labels, comment count, first header",
                                       _pp[-1][1] + 1: "buttons, 'Kommentar hinzufügen', sidebar, archive, footer"},
                          extra=[_PH, r"^AntwortenLöschen$", r"^Löschen$", r"^Antworten$"])


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
