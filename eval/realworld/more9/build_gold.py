#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE9 set (eval/realworld/more9:
thread drafts, post plans and single posts in Chinese, Japanese, Korean, Spanish, Russian, German and English, and two
documents that are not threads; see SOURCES.md) from the compact specs below and checks them against the dumps in
raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, bodies, check_and_write, doc, fenced, gaps,  # noqa: E402
                      headed, numbered, post, posts, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS


# ================================================================ thread drafts
N = "ja_airank_x_posts"
_jt = headed(N, 30, 145, r"^### \d/7 ")
assert _jt == [(32, 46), (48, 60), (62, 78), (80, 94), (96, 112), (114, 128), (130, 144)], _jt
_jp = fenced(N, 1, 184)
assert _jp[0] == (11, 25) and _jp[-1] == (151, 162) and len(_jp) == 9, _jp
SPECS[N] = [post("A", 11, 25), T("B", "thread", numbered(_jt), total=7), post("C", 151, 162)]
NOTES[N] = ("Japanese X copy for an AI-skill ranking site (THE AI RANK): a title with URL and repository lines, then three "
            "patterns under '## …パターンA/B/C…' headings (notes): A, a single post in a code fence; B, a 7-tweet thread "
            "whose parts are opened by '### k/7 — Label' headings (the marker belongs to its part, so each part runs "
            "from its heading through the closing fence of its text; total 7 from 'k/7'); C, another single post in a "
            "fence. The three are separate: A and C are alternatives to post before/after the thread. Then an image "
            "table ('1/7 ヒーロー' etc. inside table cells are references, not markers) and a posting order list: notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, URL and repository lines, separator, pattern heading, fence",
                                   26: "closing fence, separator, thread pattern heading",
                                   145: "separator, pattern heading, fence",
                                   163: "closing fence, separators, image table, posting order"})

N = "ko_infradash_bsky_thread"
SPECS[N] = [T("A", "thread", [(8, 14), (18, 23), (27, 34)])]
NOTES[N] = ("Korean Bluesky thread draft (Claude Code news for @pai-playbook.bsky.social): a title and a two-line note "
            "saying each '---'-separated block becomes one post of the thread (notes), then three unnumbered posts "
            "separated by '---' (inferred n 1-3, numbering not scored); '🧵 이어서 ↓' closes the first post, bullet lists "
            "and the closing sentence are text of their posts.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, usage note, separator", 15: "separator"})

N = "ko_infradash_x_thread"
SPECS[N] = [T("A", "thread", [(5, 6), (10, 12), (16, 18), (22, 24), (28, 30)])]
NOTES[N] = ("Korean X thread draft of a daily Physical-AI news digest (the X cut of a Bluesky draft): a title naming the "
            "date and the source draft, then five unnumbered posts separated by '---' (inferred n 1-5, numbering not "
            "scored). '(7/30)' in the first post is the date, and '(7.29)' etc. are news dates: text, not markers; each "
            "news post is an emoji headline, one summary line and a link.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separator", 7: "separator"})

# ================================================================ post plans
N = "zh_taiwan_social_posts"
SPECS[N] = posts([(7, 35), (41, 61), (69, 95), (101, 109), (115, 131)])
NOTES[N] = ("Traditional-Chinese (Taiwan) posts for a disaster-handbook generator: '## Facebook / Instagram' with a "
            "Chinese version (A) and an English version for expat groups (B) under '###' headings, '## PTT' with the "
            "post title in a heading ('### 標題：[分享] …', unlabelled like a title) and the post (C), '## Twitter / X' "
            "(D) and '## LINE 群組' (E). Headings and the '---' between sections are notes. Post A holds its own '---' "
            "line before a sharing request, a GitHub link and the hashtag line: that rule is inside the Facebook "
            "post's text (the section ends only at the next '---' before the English version), so it is labelled as "
            "part of A. Bodies are plain text, no fences.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, section heading, version heading", 36: "separator, version heading",
                                   62: "separator, section heading, PTT title heading",
                                   96: "separator, section heading", 110: "separator, section heading"})

N = "zh_anymark_social_posts"
_za = [s for s in fenced(N, 1, 275) if s != (232, 232)]
assert len(_za) == 11 and _za[0] == (9, 24) and _za[-1] == (255, 265), _za
SPECS[N] = posts(_za)
NOTES[N] = ("Chinese plan of launch copy for a bookmark AI agent (AnyMark), every text in a code fence (fence lines "
            "unlabelled): under '## Twitter/X', an English version with three tweets labelled '**推文 1 - 发布公告**', "
            "'**推文 2 - …**', '**推文 3 - …**' and a Chinese version with two: these are separate tweets (each has its "
            "own link and hashtags), not a thread, so the '推文 n' labels number the plan and are notes (A-C, D-E); "
            "four Reddit posts under '### r/NAME' with a '**Title:** …' line (unlabelled like a title) and a '**Post:**' "
            "label (F-I); Product Hunt copy: a one-line tagline in a fence (a title-like line, unlabelled), the "
            "description (J) and the maker's first comment (K, a text to be posted under the launch: its own post). "
            "The closing '## 使用说明' list is notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, headings, tweet label, fence",
                                   25: "closing fence, tweet label, fence",
                                   54: "closing fence, separator, version heading, tweet label, fence",
                                   88: "closing fence, separator, Reddit headings, title line, post label, fence",
                                   124: "closing fence, separator, subreddit heading, title line, post label, fence",
                                   224: "closing fence, separator, Product Hunt heading, tagline label and fenced "
                                        "tagline, description label, fence",
                                   251: "closing fence, first-comment label, fence",
                                   266: "closing fence, separator, usage notes"})

N = "en_ziwei_social_posts"
SPECS[N] = posts([(7, 20), (26, 39), (45, 52), (58, 58)])
NOTES[N] = ("English plan of hackathon posts for a Ziwei-astrology NFT site (headings in English): each post is a Markdown "
            "block quote under a '## 🇬🇧 English — X/Twitter' / '## 🇨🇳 中文 — 小红书 / 公众号 / 朋友圈' / '## 🔥 Short "
            "Version — X/Twitter (shorter)' heading (notes): A (English), B (Chinese) and C (short English); the '> ' "
            "quote prefix and the quote's empty '> ' lines are part of the pasted text. '## 📸 Suggested Image/Video "
            "Caption' holds one caption sentence to be posted with the media (D, a post) and a 'Tagline: \"…\"' line "
            "(a slogan note, unlabelled).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separator, heading", 21: "separator, heading",
                                   40: "separator, heading", 53: "separator, caption heading",
                                   60: "tagline note"})

N = "es_covid19mx_posts"
SPECS[N] = posts([(3, 4), (8, 10), (12, 15), (19, 22), (26, 29), (33, 36)])
NOTES[N] = ("Spanish log of the X posts announcing a COVID-19 Mexico dashboard, one '### YYYY-MM-DD' heading per day "
            "(notes): each day has one post (greeting, sentence, link, hashtags, a closing sentence), 2020-03-25 two "
            "differently worded versions (B, C) separated by a blank line; C ends with an unfinished sentence ('…con los "
            "datos de'), still a line of C. Six posts, no thread; the hashtag line sits between the link and the last "
            "sentence and is text.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "date heading", 5: "date heading", 16: "date heading"})

N = "ru_hhbot_linkedin_posts"
SPECS[N] = posts([(10, 48), (57, 91), (100, 137)])
NOTES[N] = ("Russian plan of three alternative LinkedIn posts for a job-search bot (hh.ru): a title, then '## ВАРИАНТ n: "
            "«…» (для …)' headings with a '**Хук:** …' line (the hook's name for the variant, a note: the post text "
            "starts after the following '---'), and the post. Each post holds its own '---' rules between its body and "
            "its closing paragraphs (lines 42, 82, 131) plus '###' sub-headings, a fenced Python snippet and a fenced "
            "command list: all text of the post, which ends with its hashtag line; the next '---' and heading start the "
            "next variant. Three separate posts (alternatives), not a thread.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separator, variant heading, hook note, separator",
                                   49: "separator, variant heading, hook note, separator"})

N = "zh_animepet_promo_posts"
_zp = bodies(N, 1, 158, r"^### 正文", r"^(---$|#{2,3} )")
assert _zp == [(14, 30), (41, 57), (67, 87), (94, 104), (107, 115), (125, 129), (139, 155)], _zp
SPECS[N] = posts(_zp)
NOTES[N] = ("Chinese launch copy for an anime desktop pet on six platforms (V2EX, 知乎, B站, Twitter/X, 即刻/小红书, 掘金): "
            "'## n. PLATFORM' headings, a '### 标题' heading with the post title (unlabelled like a title) and a '### 正文' "
            "heading (a label) before each body; seven posts (A-G). The Twitter/X section has two bodies, '### 正文 1 "
            "(英文)' (English) and '### 正文 2 (日文)' (Japanese): two separate single posts in two languages, not a "
            "thread. A quoted project address on top and the closing '## 发布顺序建议' list are notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, project address, separator, platform heading, title heading and "
                                      "title, body heading",
                                   31: "separator, platform heading, title heading and title, body heading",
                                   105: "second body heading",
                                   116: "separator, platform heading, title heading and title, body heading",
                                   156: "separator, posting-order notes"})

N = "de_producttoolkit_linkedin_posts"
_dk = fenced(N, 1, 306)
assert _dk == [(12, 79), (89, 103), (113, 180), (190, 224), (232, 262), (287, 287), (292, 293), (298, 299)], _dk
SPECS[N] = posts(_dk)
NOTES[N] = ("German LinkedIn launch kit for a Claude Code product-management toolkit: every text in a code fence (fence "
            "lines unlabelled) under an emoji heading and a bold instruction line (notes): the German launch post (A), "
            "the first comment with links to post right after it (B, its own post), the same launch post in English "
            "(C, a translation, not a duplicate), two more posts under '### Post #2 …' / '### Post #3 …' (D, E), a "
            "posting schedule (notes) and three one- or two-line reply templates under bold 'When someone …' labels "
            "(F-H, texts to be posted as replies: posts, as more6's reply templates). The '─────────────────' rule "
            "lines, '→' lists, the git command lines and hashtag lines inside a fence are text of the post.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, instruction, separator, heading, instruction, fence",
                                   80: "closing fence, separator, heading, instruction, fence",
                                   104: "closing fence, separator, heading, instruction, fence",
                                   181: "closing fence, separator, headings, fence",
                                   225: "closing fence, separator, heading, fence",
                                   263: "closing fence, posting schedule, reply-template heading and labels, fences",
                                   288: "closing fence, reply label, fence", 294: "closing fence, reply label, fence",
                                   300: "closing fence, separator, closing wishes and signature"})

N = "de_pmo_linkedin_posts"
_dm = fenced(N, 1, 96)
assert _dm == [(15, 53), (59, 94)], _dm
SPECS[N] = posts(_dm)
NOTES[N] = ("German LinkedIn launch strategy for a PMO dashboard: only two posts, 'Variante 1' and 'Variante 2' of the "
            "launch post, each in a ```markdown fence (A, B; fence lines unlabelled). Their bold headlines use Unicode "
            "mathematical bold letters (𝗪𝗮𝗿𝘂𝗺 …), and numbered keycap lists and hashtags are text. Everything else is "
            "notes, unlabelled even where fenced: an executive summary, a customer journey map with fenced ASCII "
            "screen mock-ups and quoted reactions, a value proposition canvas, a visual content plan, a 60-second video "
            "script in fences (scene directions and voice-over lines), success metrics, a launch timeline, carousel "
            "slide mock-ups in fences, design guidelines, call-to-action one-liners (variants for a post's last line, "
            "not posts), a pre-launch checklist and a closing question.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, executive summary, separator, template heading, variant heading, fence",
                                   54: "closing fence, variant heading, fence",
                                   95: "closing fence, separator, journey map with fenced mock-ups, canvas, visual "
                                       "plan, video script, metrics, timeline, carousel slides, design guidelines, "
                                       "call-to-action variants, checklist, closing question"})

# ================================================================ single posts (not threads)
N = "zh_lingjicut_forum_post"
SPECS[N] = [post("A", 1, 129)]
NOTES[N] = ("Chinese forum post (for linux.do: '佬友们') introducing a local-first AI video editor (灵机剪影), kept as the "
            "whole file: it opens with '## 项目链接' and is written in '##' sections (what it is, why, features, who it "
            "is for, tech stack, status, plans, screenshots, closing words) with lists and nine image links. One post: "
            "the section headings are headings inside the post, not markers of parts; the screenshot section's '这里"
            "放截图：' line and its image links are lines of the post.")
UNLABELLED[N] = []

N = "zh_nodepass_forum_post"
SPECS[N] = [post("A", 3, 95)]
NOTES[N] = ("Chinese community post (for NodeSeek) recommending a tunnel-management dashboard (NodePassDash v2.0): an "
            "'# 🚀 …' title (the post title, unlabelled like a title), then one post in '##'/'###' sections with "
            "lists, a fenced Docker command, a fenced CLI example, a '---' rule and two bold closing reminders (A: all "
            "lines 3-95, the '---' rule and the code fences included). After a last '---', an italic line describing "
            "the copy itself ('这篇推广文案突出了…') is a note, unlabelled.")
UNLABELLED[N] = [(1, 1, "post title"), (97, 99, "separator, italic note about the copy")]

N = "ru_hhbot_linkedin_post"
SPECS[N] = [post("A", 5, 114)]
NOTES[N] = ("Russian long LinkedIn post (variant 4 of the job-search bot launch): a '# ВАРИАНТ 4: «…» (…)' title and a "
            "'---' (notes), then one post of ten blocks separated by '---' rules, each block after the first opened by "
            "an '## 🎯 …' style sub-heading, with a fenced command list, a table and quoted lines, ending with a "
            "hashtag line. One post (A, lines 5-114, its '---' rules and sub-headings included): the rules separate "
            "sections of one text, not posts of a thread.")
UNLABELLED[N] = [(1, 3, "variant title, separator")]

# ================================================================ documents that are not threads
N = "ja_airank_readme_article"
SPECS[N] = [doc(N, "A", 3, 535)]
NOTES[N] = ("Japanese README of THE AI RANK (a 9-level AI-skill ranking): one article. Its '# THE AI RANK 🎖️' title is "
            "unlabelled (document title); parts are every other non-blank line: the lead quotes, OG image and badges, "
            "a table of contents, '### Lv.I …' to '### Lv.IX …' level sections with bold labels and lists, tables, a "
            "checklist, a fenced directory tree and command blocks, and a signed closing. The '---' rules between "
            "sections are separators (unlabelled, not scored); numbered lists and the Roman level numbers are text, "
            "not markers. Not a thread and not a set of posts.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "document title", 16: "section separator ('---')"})

N = "ko_cchighlights_article"
SPECS[N] = [doc(N, "A", 3, 91)]
NOTES[N] = ("Korean summary of Claude Code release highlights: one article. The '# … (한글 정리)' title is unlabelled; parts "
            "are the quoted lead, a model timeline table, '##' sections with '###' groups of bulleted features, and a "
            "quoted one-line summary. The '---' rules between sections are separators (unlabelled, not scored). Not a "
            "thread: its sections are not posts.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "document title", 6: "section separator ('---')"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
