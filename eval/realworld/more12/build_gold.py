#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE12 set (eval/realworld/more12:
post plans, single-post drafts and two X thread drafts in English, Chinese, Japanese, Portuguese and French, a blog
article and a saved X page fixture; see SOURCES.md) from the compact specs below and checks them
against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, bodies, check_and_write, doc, dump_lines,  # noqa: E402
                      gaps, marker_runs, numbered, post, posts, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS


def under_headings(name, first, last, head):
    """Post bodies of a plan between lines first..last: the non-blank lines after each heading matching `head` up to the
    next heading of any level or '---' rule (the heading itself is a note; code fences belong to the body)."""
    lines = dump_lines(name)
    out, cur, fence = [], None, False
    for i in range(first, last + 1):
        s = lines[i - 1].strip()
        if s.startswith("```"):
            fence = not fence
        if not fence and not s.startswith("```") and (re.match(r"^#{1,6} ", s) or s == "---"):
            if cur:
                out.append(tuple(cur))
            cur = [] if re.match(head, s) else None
            continue
        if cur is not None and s:
            cur = [i, i] if not cur else [cur[0], i]
    if cur:
        out.append(tuple(cur))
    return out


# ================================================================ post plans (several posts, threads, replies)
N = "en_bookgenesis_social_posts"
_bt = marker_runs(N, 1, 104, r"^\*\*Tweet \d+ — ")
assert _bt == [(9, 17), (21, 31), (35, 43), (47, 57), (61, 73), (77, 90), (94, 102)], _bt
SPECS[N] = [T("A", "thread", numbered(_bt)), post("B", 111, 177), post("C", 188, 290), post("D", 299, 323)]
NOTES[N] = ("English social-media plan for an AI book-writing tool (Book Genesis V4): a title, then four sections under "
            "numbered headings ('## 1. Twitter/X Thread (7 tweets)', '## 2. LinkedIn Post', '## 3. Reddit Post "
            "(r/ClaudeAI)', '## 4. Threads Post (@…)'; the numbers count sections, not posts; headings are notes). "
            "A: the X thread, seven tweets opened by bold labels '**Tweet n — Label**' (markers, each belongs to the tweet "
            "it numbers; n 1-7; no total: the heading's '7 tweets' is not an n/N marker), separated by '---' rules; tweet 6 "
            "holds a fenced command (lines of the tweet). B: the LinkedIn post (bold lead-ins are its text). C: the "
            "Reddit post's body; its '**Title:** …' line is a label with the post's title (unlabelled like a heading). "
            "The body's fenced install commands and table are its text. D: the Threads post, closed by its hashtag line.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separators, section heading", 18: "separator", 103: "separators, "
                                   "section heading", 178: "separators, section heading, title label, separator",
                                   291: "separators, section heading, separator"})

N = "en_bookgenesis_reddit_posts"
_br = bodies(N, 7, 112, r"^\*\*Body:\*\*$", r"^(## .*|\*\*Title:\*\*.*)$")
assert _br == [(13, 34), (42, 62), (70, 89), (97, 111)], _br
SPECS[N] = posts(_br)
NOTES[N] = ("English plan of four Reddit launch posts for the same tool (Book Genesis), one per subreddit: each under a "
            "numbered heading '## n. r/…' (numbers count the posts of a plan, not a thread), with a '**Title:** …' line "
            "(the post's title, a label: unlabelled like a heading) and a '**Body:**' label; each body is its own post "
            "(A-D; lists, a bold rule line and 'Repo:' lines are its text). The intro note under the title and the "
            "'## Posting Hygiene' list are notes. The bodies share phrases and the repo link but are differently worded: "
            "separate posts, no duplicates.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, intro note, repo line, heading, title label, body label",
                                   35: "heading, title label, body label", 112: "posting-hygiene notes"})

N = "zh_suka_promo_posts"
SPECS[N] = (posts([(6, 23), (26, 35), (38, 47)]) + [doc(N, "D", 53, 79)]
            + posts([(85, 97), (101, 111), (115, 124)], start=4))
NOTES[N] = ("Chinese promotion plan for an on-chain payment page for AI services (SUKA.net): platform headings (notes) "
            "'## 一、Twitter/X (英文…)' with three English X posts under '### 帖子 n：…' headings (the numbers count "
            "separate posts: A-C, each closed by its link or hashtag line); '## 二、微信公众号 / 知乎' with an article "
            "outline under a '### 标题：…' heading (the title: unlabelled): lead, key points and ending, written as one "
            "Chinese article (D, one part per line; its bold labels '**导语**', '**正文要点：**', '**结尾**' are headings "
            "inside it); '## 三、小红书' with two Xiaohongshu notes under '### 笔记 n' headings (E, F, each closed by its "
            "hashtags); '## 四、Telegram / Discord' with one short announcement (G). The closing '## 五、推广策略建议' "
            "list is notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, platform heading, post heading", 24: "post heading",
                                   48: "platform heading, article title heading", 80: "platform heading, note heading",
                                   98: "note heading", 112: "platform heading", 125: "promotion-strategy notes"})

N = "zh_suka_community_posts"
SPECS[N] = [doc(N, "A", 227, 261)] + posts([(273, 294), (304, 322), (339, 339)], start=1)
NOTES[N] = ("Chinese plan for posts in Chinese developer communities about the same project (SUKA.net). Lines 1-218 are "
            "an analysis for the author (why the project can earn money, architecture, fenced diagrams, tables): notes. "
            "Under '## 三、各平台发布文案' three texts, each under a platform heading with a '**标题：** …' title line and a "
            "'**正文：**'/'**回答/文章：**' label (notes), the text quoted with '> ': A, a CSDN/Juejin technical article "
            "(one article, one part per line, '>' lines and a quoted fence and table included); B, a V2EX share post; C, "
            "a Zhihu answer (the '**问题适配：**' line names the questions it answers: a note). A tag suggestion under A, "
            "the publishing checklist table and the closing tables are notes; '## 五、一句话总结（发朋友圈/签名用）' holds "
            "a one-line WeChat Moments post (D).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, analysis notes for the author, headings, fenced diagrams, tables, title "
                                   "and body labels", 262: "tag suggestion, separator, heading, title and body labels",
                                   295: "separator, heading, question note, answer label",
                                   323: "separator, checklist table, heading",
                                   340: "separators, summary tables, expected-results notes"})

N = "pt_umcs_linkedin_posts"
SPECS[N] = posts([(7, 31), (39, 65), (73, 99)])
NOTES[N] = ("Portuguese LinkedIn plan for a multilingual text-analysis library (UMCS v2.0): three posts under "
            "'## POST n: …' headings (numbers count separate posts; headings and the '---' rules around each post are "
            "notes/separators), each from its bold first line to its hashtag line (A-C; bold lead-ins, lists and the "
            "quoted example phrases, some in English or with offensive words the library detects, are post text). The "
            "closing '## Hashtags adicionais' list is a note.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, post heading, separator", 32: "separator, post heading, separator",
                                   100: "separator, extra-hashtags heading and list"})

N = "en_pathfinder_x_posts"
_px = under_headings(N, 1, 126, r"^## Post \d+: ")
assert _px == [(4, 15), (18, 25), (28, 38), (41, 49), (52, 61), (64, 74), (77, 86), (89, 99), (102, 114),
               (117, 126)], _px
SPECS[N] = posts(_px)
NOTES[N] = ("English plan of ten X posts for a job-tracker app (Pathfinder), each under a '## Post n: Topic' heading "
            "(the numbers count separate posts, not a thread; headings are notes) and closed by its hashtag line "
            "(A-J). Post 9 holds a fenced three-line install command (lines of the post). Some posts begin with a space "
            "or a lone variation selector where an emoji was lost: still their first lines.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, post heading", 16: "post heading"})

N = "ja_dendro_social_posts"
_de = marker_runs(N, 177, 242, r"^\*\*\d/7 \[\d+\]\*\*$")
assert _de == [(179, 188), (190, 195), (197, 203), (205, 213), (215, 221), (223, 230), (232, 240)], _de
_dj = marker_runs(N, 244, 299, r"^\*\*\d/7 \[\d+\]\*\*$")
assert _dj == [(246, 252), (254, 258), (260, 264), (266, 273), (275, 281), (283, 289), (291, 297)], _dj
SPECS[N] = (posts([(13, 60), (66, 103), (109, 154), (166, 173)])
            + [T("E", "thread", numbered(_de), total=7), T("F", "thread", numbered(_dj), total=7)]
            + posts([(322, 334), (340, 353)], start=6))
NOTES[N] = ("English/Japanese social-media plan for a document-provenance tool (Dendro): an intro note, then a LinkedIn "
            "main post in English (A, to its hashtag line), a follow-up post (B; numbered bold headings '**1. …**' inside "
            "it are its text), the Japanese main post (C, a translation of A: its own post, not a duplicate), and under "
            "'## X / Bluesky' a note on character counts, a single standalone English post (D), an English thread (E) and "
            "a Japanese thread (F), each of seven posts opened by bold markers '**n/7 [count]**' (markers, each belongs "
            "to the post it numbers; total 7; the bracketed counts are part of the marker lines). The threads are "
            "translations of each other, not duplicates. Then X posting notes, and two comment replies to expected "
            "objections under '## Comment reply: \"…\"' headings (G, H: each its own post, as reply templates elsewhere), "
            "then posting notes. Named ja for the Japanese posts; half of the texts are English.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, intro notes, separator, heading", 61: "separator, heading",
                                   104: "separator, heading", 155: "separator, heading, character-count note, heading",
                                   174: "separator, heading", 241: "separator, heading",
                                   298: "separator, X posting notes, separator, reply heading",
                                   335: "separator, reply heading", 354: "separator, posting notes"})

N = "fr_boiteau_linkedin_series"
SPECS[N] = posts([(8, 38), (47, 66), (75, 95), (104, 124)])
NOTES[N] = ("French series of four LinkedIn posts ('Manager à l'ère de l'IA'), published on different days: each under "
            "a '## Post n : …' heading with '**Format** :' and '**Date suggérée** :' lines (notes), from its first line to "
            "its hashtag line (A-D). Post 4 refers back to 'Post 1' and closes the series, but the posts are separate "
            "LinkedIn posts, not a thread (the numbers count a series of posts, as a plan's numbers do).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, post heading, format and date notes",
                                   39: "separator, post heading, format and date notes"})

# ================================================================ thread drafts
N = "en_solanacity_x_thread"
SPECS[N] = [T("A", "thread", numbered([(3, 12), (16, 28), (32, 43), (47, 57), (61, 73), (77, 91)])), post("B", 98, 112)]
NOTES[N] = ("English X thread draft for a Web3 city-building game (Solana AI City): six tweets, each opened by a heading "
            "'## Tweet n (Label)' (the marker: it belongs to the tweet it numbers, n 1-6, no total) followed at once by a "
            "'---' rule and the tweet's text; tweets end at the blank line before the next '---'. Because a part is one "
            "contiguous span from its marker to its last line, the rule right under each marker lies inside the part "
            "(labelled with it); the rules between tweets are separators. Under '## Single Viral Tweet (Alternative)' an "
            "alternative single post (B): its own post, not part of the thread and not a copy of any tweet.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title", 13: "separator", 92: "separator, alternative-post heading, separator"})

N = "en_storybench_x_thread"
_sb = [(15, 30), (34, 46), (50, 66), (72, 87), (91, 107), (113, 126), (130, 147), (153, 169)]
SPECS[N] = [T("A", "thread", numbered(_sb))]
NOTES[N] = ("English X thread draft for an LLM story-theory benchmark: posting notes (format, timing, images; a fenced "
            "'CTA Flow' line) under the title, then eight posts, each under a heading '## Post n: Title' (the marker: the "
            "format note says post 1 starts the thread and posts 2-8 reply to it, so n 1-8; no total), a '**Character "
            "count: 247/280**' line (a count, not an n/N marker) and the post's text in a code fence. Each part runs from "
            "its heading through the closing fence of its text (the count line and fence lines lie inside it, as the "
            "'**Text:**' labels of more11's drafts); the '**[Include: image.png]**' lines after some fences and the "
            "closing posting checklist are notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, posting notes, fenced CTA-flow note, separator",
                                   31: "separator", 67: "image note, separator",
                                   170: "separator, posting checklist"})

# ================================================================ single posts
N = "en_pathfinder_hn_post"
SPECS[N] = [post("A", 3, 57)]
NOTES[N] = ("English 'Show HN' post draft for the job tracker (file named reddit-post.md): the '# Show HN: …' heading is "
            "the post's title (unlabelled like a document title); the body (bold lead-ins, lists, a fenced install "
            "command, the closing question) is one post.")
UNLABELLED[N] = [(1, 1, "title heading (the post's title)")]

N = "zh_actionanything_xhs_post"
SPECS[N] = [post("A", 20, 58), post("B", 66, 66)]
NOTES[N] = ("Chinese Xiaohongshu launch note for an open-source AI action-control layer (ActionAnything): headings "
            "'## 图片顺序' (image order), '## 推荐标题' and '## 备选标题' (title options) are notes; the note's body under "
            "'## 正文' is one post (A, numbered list and ✅ lines included, ending with its GitHub link); the topic "
            "hashtags under '## 话题标签' are a note (separated from the body by a heading, as other parts' hashtag "
            "sections); the suggested pinned comment under '## 置顶评论建议' is a reply template to post under the note, "
            "its own post (B).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, image order, title options, body heading",
                                   59: "hashtag heading and hashtags, pinned-comment heading"})

N = "en_panepilot_x_post"
SPECS[N] = [post("A", 3, 15)]
NOTES[N] = ("English X post draft for a tmux tool for coding agents (PanePilot): a '# X Post' heading (a title), then "
            "one post ending with 'Repo:' and the link.")
UNLABELLED[N] = [(1, 1, "title heading")]

N = "en_panepilot_reddit_post"
SPECS[N] = [post("A", 8, 30)]
NOTES[N] = ("English Reddit post draft for the same tool: a '# Reddit Post Draft' heading, a 'Title:' label with the "
            "post's title on the next line and a 'Body:' label (notes, unlabelled like a heading), then the body, one post.")
UNLABELLED[N] = [(1, 6, "title heading, 'Title:' label and the post's title, 'Body:' label")]

N = "en_mergeloop_x_post"
SPECS[N] = [post("A", 1, 12)]
NOTES[N] = ("English X post draft for a model-council tool (MergeLoop), with no heading: one post from 'MergeLoop launch:' "
            "to the repo link. The first line is read as the post's opening, not as a label.")
UNLABELLED[N] = []

# ================================================================ a saved page and an article
N = "zh_xspamcast_tweet_page"
SPECS[N] = [post("A", 3, 3), post("B", 7, 7)]
NOTES[N] = ("X timeline markup from a spam-filter extension's test fixture (two <article data-testid=\"tweet\"> blocks), "
            "converted to visible text: a Chinese spam tweet (A) and a reply by another account, 'Replying to "
            "@parentuser' (B, its own post). Display names and relative times ('2h', '1h') and the 'Replying to' line "
            "are chrome. The fixture is hand-made by the extension's author, modelled on X's markup.")
UNLABELLED[N] = [(1, 2, "chrome: display name, time"), (4, 6, "chrome: 'Replying to' line, display name, time")]

N = "en_pathfinder_blog_article"
SPECS[N] = [doc(N, "A", 3)]
NOTES[N] = ("English blog article about building the job tracker (Pathfinder): a '# …' title (unlabelled), then one "
            "article in '##'/'###' sections with lists, bold lead-ins and a fenced command, a '---' rule (separator) and "
            "a closing italic line with the GitHub link (the article's last line, labelled). Not a thread.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title", 278: "separator ('---')"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
