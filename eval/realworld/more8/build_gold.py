#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE8 set (eval/realworld/more8:
Bluesky, Mastodon, Threads, Jike, Weibo and WeChat Moments post drafts and X thread drafts; see SOURCES.md) from the
compact specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, check_and_write, fenced, gaps, headed, numbered, post,  # noqa: E402
                      posts, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS


# ================================================================ Bluesky and Mastodon thread drafts
N = "en_openaxis_bluesky_thread"
_ob = headed(N, 1, 51, r"^\*\*Post \d+:\*\*$")
assert _ob == [(5, 13), (17, 21), (25, 29), (33, 41), (45, 51)], _ob
SPECS[N] = [T("A", "thread", numbered(_ob))]
NOTES[N] = ("English Bluesky launch thread draft (OpenAxis): a title, then five posts separated by '---', each opened by a "
            "bold marker line '**Post n:**' (the marker belongs to the part it numbers; no total). 'Thread →' closing post "
            "1 and the bullet list of post 4 are text of their post.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separator"})

N = "en_ctok_bluesky_skeets"
_cb = headed(N, 1, 40, r"^\*\*Skeet \d+:\*\*$")
assert _cb == [(7, 17), (19, 25), (27, 39)], _cb
SPECS[N] = [T("A", "thread", numbered(_cb)), post("B", 43, 49)]
NOTES[N] = ("English Bluesky launch draft (ctok): a title and a note on the 300-character limit, a '## Thread (3 skeets)' "
            "heading (a note: '3 skeets' sets no total) and three posts opened by '**Skeet n:**' markers (the marker "
            "belongs to its part; command lines, link and hashtag lines are text); a '## Standalone skeet' heading (note) "
            "and one separate post (B); then a '## Reply template (when someone posts about Claude costs)' heading and a "
            "quoted one-line canned reply: a note, as the dev set treats prepared reply templates (en_arcade_thread).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, character-limit note, thread heading", 41: "standalone heading",
                                   51: "reply-template heading and the quoted canned reply (a note)"})

N = "en_onibi_mastodon_thread"
SPECS[N] = [T("A", "thread", numbered([(3, 11), (15, 21), (23, 34), (36, 42)]))]
NOTES[N] = ("English Mastodon launch thread draft (Onibi): a title, then four posts, each a bare marker line 'Post n:' "
            "followed by the post text in a ```text fence (the marker and the fence lines belong to the part, as in the "
            "dev set's en_arcade_thread; no total). An 'Attach: …gif' line after post 1 and the closing 'Timing:' list "
            "are notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title", 13: "attachment note", 44: "timing notes"})

# ================================================================ X thread drafts
N = "en_openaxis_x_thread"
_ox = headed(N, 1, 69, r"^\*\*Tweet \d+ \(")
assert _ox == [(7, 15), (19, 23), (27, 34), (38, 44), (48, 56), (60, 67)], _ox
SPECS[N] = [T("A", "thread", numbered(_ox))]
NOTES[N] = ("English X launch thread draft (OpenAxis): a title and a '**When:**' note, then six tweets separated by '---', "
            "each opened by '**Tweet n (label):**' (marker of its part; no total; '🧵 Here's what it does →' is text of "
            "tweet 1); a closing '**Tips:**' list (media, accounts to tag, posting time): notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, timing note, separator", 69: "separator, posting tips"})

N = "en_ctok_x_thread"
_cx = headed(N, 1, 73, r"^\*\*Tweet \d+( \(main\))?:\*\*$")
assert _cx == [(5, 13), (17, 24), (28, 37), (41, 49), (53, 59), (63, 71)], _cx
SPECS[N] = [T("A", "thread", numbered(_cx)), post("B", 77, 84)]
NOTES[N] = ("English X launch thread draft (ctok): a title, then six tweets separated by '---', each opened by '**Tweet n:**' "
            "('**Tweet 1 (main):**'; the marker belongs to its part; no total; '🧵 [thread]' and the bullet and arrow "
            "lines are text); after the last '---' a '**Standalone tweet (for non-thread days):**' label (a note) and "
            "one separate single post (B).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separator", 73: "separator, standalone-tweet label"})

N = "en_treliq_x_thread"
SPECS[N] = [T("A", "thread", numbered([(3, 6), (8, 14), (16, 19), (21, 24), (26, 28)]))]
NOTES[N] = ("English X thread draft (Treliq release): a title, then five tweets with inline 'n/ ' prefixes ('1/ Shipped "
            "…', '2/ What’s new:'; markers of their part, no total), separated only by blank lines; tweet 4 holds a "
            "```bash fence (its text).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title"})

N = "zh_dshradar_x_thread"
_dx = headed(N, 17, 90, r"^### \d+/7 ")
assert _dx == [(19, 27), (29, 37), (39, 48), (50, 58), (60, 68), (70, 76), (78, 90)], _dx
SPECS[N] = [post("A", 5, 13), T("B", "thread", numbered(_dx), total=7)]
NOTES[N] = ("Chinese X draft (DSH Radar): a title, a '## 🧵 主推（≤ 280 字）' heading (a note) over one single main post "
            "written as a blockquote (A; the '> ' lines, blank '>' lines and the hashtag line are its text); '---'; a '## "
            "🧵 Thread（≤ 7 条）' heading (note; '≤ 7' is not an n/N marker) and a seven-tweet thread whose tweets open "
            "with '### n/7 label' headings (markers of their parts, total 7), each tweet a blockquote.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, main-post heading", 15: "separator, thread heading"})

# ================================================================ post plans (X, Threads, Jike, Weibo, WeChat Moments)
N = "en_trajdrift_x_posts"
SPECS[N] = posts([(9, 21), (27, 33), (39, 43), (51, 55), (63, 73)])
NOTES[N] = ("English plan of five X launch posts (Trajectory Drift): a title and a visuals note, then '## Post n — Label' "
            "headings separated by '---'. Nothing presents them as a thread (no thread marker, the first post closes with "
            "hashtags like a standalone post): the headings number a plan of separate posts and are notes, each body a "
            "post. '[screenshot: …]' placeholders at the end of a post (45, 57) are media edge lines (unlabelled); the "
            "one in post 1 (19) sits before the hashtag line and is inside the post's span.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, visuals note, separator, post heading",
                                   23: "separator, post heading", 35: "separator, post heading",
                                   45: "screenshot placeholder closing the post (edge), separator, post heading",
                                   57: "screenshot placeholder closing the post (edge), separator, post heading"})

N = "ko_fieldkit_threads_post"
SPECS[N] = [post("A", 3, 31)]
NOTES[N] = ("Korean Threads (threads.net) launch post draft (Codex Agent Fieldkit): a title '# Threads Launch Draft' (a "
            "note), then one post whose numbered list, ```bash command fence and ```text link fence are its text.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title"})

N = "zh_aisurface_jike_post"
SPECS[N] = [post("A", 27, 43)]
NOTES[N] = ("Chinese Jike (即刻) post draft (aisurface): an HTML comment header and YAML-style task front matter, a title, "
            "'## 标题 (可选)' and a one-line optional headline in a fence, '## 正文 (复制即可，~290 字)' and the post "
            "body in a fence (A; fence lines unlabelled as in the other parts' fenced plans), then posting-time advice, "
            "comment-handling advice (with suggested answers quoted inside list items), don'ts and a checklist: notes. "
            "The optional headline is kept a note: it cannot join the body's span and is not a post of its own.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "comment header, front matter, title, optional-headline heading and fenced "
                                      "headline, body heading, fence",
                                   44: "closing fence, posting advice, comment handling, don'ts, checklist"})

N = "zh_bridgent_weibo_posts"
_bw = fenced(N, 1, 45)
assert _bw == [(12, 15), (21, 25), (31, 39)], _bw
SPECS[N] = posts(_bw)
NOTES[N] = ("Chinese Weibo short-post plan (Bridgent AI): a title and a quoted block of link / form / timing notes, then "
            "three alternative posts under '## Variant X — label' headings (notes), each in a code fence (fence lines "
            "unlabelled; the numbered options of variant C are its text); closing '## Notes'. The variants are "
            "differently worded texts: separate posts, no near_duplicates.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, channel / form / timing notes, separator, variant heading, fence",
                                   16: "closing fence, variant heading, fence", 26: "closing fence, variant heading, fence",
                                   40: "closing fence, notes"})

N = "zh_bridgent_wechat_posts"
_bc = fenced(N, 1, 63)
assert _bc == [(12, 21), (27, 35), (41, 51)], _bc
SPECS[N] = posts(_bc)
NOTES[N] = ("Chinese WeChat Moments (微信朋友圈) post plan (Bridgent AI): a title and quoted channel / form / timing notes, "
            "three alternative posts under '## Variant X — label' headings (notes), each in a code fence (fence lines "
            "unlabelled; the '- ' list of variant C is its text), then image suggestions and notes. Separate posts, no "
            "near_duplicates (the texts differ from each other and from the Weibo variants of the same project).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, channel / form / timing notes, separator, variant heading, fence",
                                   22: "closing fence, variant heading, fence", 36: "closing fence, variant heading, fence",
                                   52: "closing fence, image suggestions, notes"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
