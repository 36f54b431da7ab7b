#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE13 set (eval/realworld/more13:
Japanese and Korean X thread drafts, two English blog pages with their
comments, and a German and a French news page; see SOURCES.md) from the compact specs below and checks them against the
dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, check_and_write, doc, gaps, headed, numbered, post, use)  # noqa: E402

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS

# ================================================================ X thread drafts
N = "ja_releasenotex_x_thread"
SPECS[N] = [T("A", "thread", [(1, 3), (6, 10), (13, 19), (22, 26), (29, 33)])]
NOTES[N] = ("Japanese X thread draft shipped as the example input of a release-note poster (its docs: a file whose tweets "
            "are separated by '---' lines): five tweets without markers (A, n by order, inferred; numbering not scored), "
            "separated by '---' rules (unlabelled). The first two tweets end right above their rule with no blank line. "
            "Tweet 3 holds '# 単一投稿' and '# スレッド投稿' lines: shell comments above commands, text of the tweet, not "
            "headings.")
UNLABELLED[N] = gaps(N, SPECS[N], {4: "separator ('---')"})

for N, first_last, total, what in (
        ("ko_muin_unmanned_x_thread", (3, 113), 7, "an 'unmanned company' run by AI agents"),):
    _sp = headed(N, first_last[0], first_last[1], r"^\*\*Tweet \d+/\d+( \[[A-Z]+\])?\*\*$")
    assert len(_sp) == total, (N, _sp)
    SPECS[N] = [T("A", "thread", numbered(_sp), total=total)]
    NOTES[N] = ("Korean X thread draft about " + what + " from a startup's social folder: a '# Thread: …' title, then "
                f"{total} tweets, each opened by a bold marker '**Tweet n/{total}**' (the first with '[HOOK]', the last "
                "with '[CTA]'; markers belong to the tweet they number, total %d) and separated by '---' rules. Bold "
                "lead-in lines, lists, arrows and the hashtag lines are tweet text." % total)
    UNLABELLED[N] = gaps(N, SPECS[N], {1: "title", first_last[0] + 1: "separator ('---')"})

# ================================================================ blog pages with comments (saved HTML -> visible text)
N = "en_mozhacks_blog_comments"
SPECS[N] = [doc(N, "A", 17, 142), post("B", 147, 147), post("C", 150, 150)]
NOTES[N] = ("English blog page (Mozilla Hacks, 'This API is so Fetching!', a readability test page) turned into visible "
            "text: site menu, the title, byline, categories and comment count (chrome/title), then the article (A, one "
            "part per line: section headings, one-line code samples and the closing thanks lines are its text), the "
            "'Posted by …' footer, then two comments, each under a 'NAME wrote on DATE:' header and followed by 'Reply' "
            "(B: a reader's question; C: the author's answer, a reply to B but a comment of its own), then the comment "
            "form, author box and category sidebar (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: site menu, title, byline, categories, comment count",
                                   143: "chrome: posted-by footer, comment count, 'Post a comment', comment header",
                                   148: "chrome: 'Reply', comment header",
                                   151: "chrome: 'Reply', comment form, author box, category sidebar"})

N = "en_firefoxnightly_blog_comments"
SPECS[N] = [doc(N, "A", 16, 109), post("B", 154, 154), post("C", 157, 157)]
NOTES[N] = ("English blog page (Firefox Nightly News, 'These Weeks in Firefox: Issue 85', a readability test page) "
            "turned into visible text: site menu, category, title, author, date and '2 responses' (chrome/title), then "
            "the article (A, one part per line: its section headings, contributor names and bug lists are its text), then "
            "links to other articles, a newsletter form, '2 comments on …' and two comments, each under a 'NAME wrote on "
            "DATE:' header and followed by 'Reply' (B, C), then the comment form, recent posts, recent comments, archive "
            "months and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: site menu, category, title, author, date, response count",
                                   110: "chrome: download link, article links, newsletter form, comment count, "
                                        "comment header",
                                   155: "chrome: 'Reply', comment header",
                                   158: "chrome: 'Reply', comment form, recent posts and comments, archives, footer"})

# ================================================================ news pages (saved HTML -> visible text)
N = "de_heise_news_page"
SPECS[N] = [doc(N, "A", 52, 56)]
NOTES[N] = ("German news page (heise Mac & i, '1Password für Mac generiert Einmal-Passwörter', a readability test page) "
            "turned into visible text: long site menu, breadcrumb, date, the title (unlabelled), a photo caption and "
            "credit at the article's start (edge lines, unlabelled), then the article (A: lead and four paragraphs, one "
            "part per line), then forum, share and related-article links, ads, magazine boxes, most-read lists and teaser "
            "headlines with their teaser texts of other articles, and the footer (chrome: the teasers are other "
            "articles' links, not posts).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: site menu, breadcrumb, date, title, photo caption and credit",
                                   57: "chrome: navigation, comment/forum links, share counts, related links, ads, "
                                       "magazine boxes, most-read lists, teasers of other articles, footer"})

N = "fr_lemonde_news_page"
SPECS[N] = [doc(N, "A", 57, 92, sep=r"^(Revivez le direct .*|Lire aussi : .*|Lire : .*)$")]
NOTES[N] = ("French news page (Le Monde Pixels, on the intelligence bill voted at the Assemblée, a readability test page) "
            "turned into visible text: cookie notice, group and shop menus, section menus, the title and the byline/date "
            "line (unlabelled), then the article (A, one part per line, section headings included), in which three "
            "one-line link boxes ('Revivez le direct …', 'Lire aussi : …', 'Lire : …') are left unlabelled (inline "
            "link cards), then the author box, related links, subscription boxes and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: cookie notice, menus, title, byline and date",
                                   58: "inline link card ('Revivez le direct …')",
                                   74: "inline link card ('Lire aussi : …')",
                                   81: "inline link card ('Lire : …')",
                                   93: "chrome: author box, related links, subscription boxes, footer"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
