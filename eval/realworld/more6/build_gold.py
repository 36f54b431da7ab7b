#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE6 set (eval/realworld/more6:
post plans and thread drafts in Korean, Japanese and Chinese, English Reddit / Hacker News / Product Hunt launch copy,
German XenForo forum topics and a German WordPress comment list, English recipe pages with comments; see SOURCES.md)
from the compact specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, after_each, art, bodies, check_and_write, dump_lines,  # noqa: E402
                      fenced, gaps, headed, key, numbered, page_gaps, post, posts, runs, split_threads, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS


# ================================================================ CJK post plans and thread drafts
N = "ja_selfevolution_x_posts"
_js = fenced(N, 1, len(dump_lines(N)))
assert len(_js) == 6, _js
SPECS[N] = posts(_js)
NOTES[N] = ("Japanese plan of five separate X posts for an open-source launch (Self-Evolution System), each under a heading "
            "that numbers it with a keycap emoji and names its slot ('## 1️⃣ メイン告知（Qiita投稿後すぐ）', '## 2️⃣ 技術詳細"
            "（1時間後）' …): the plan's numbering of separate posts, a note, unlabelled; each post's text sits in a code "
            "fence (fence lines unlabelled). Then posting tips (timing, hashtags, images, engagement: notes) and an "
            "'英語版（グローバル展開用）' section with one English post in a fence (F): a separate post in another "
            "language, not a near-duplicate of A.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, numbered post headings, fences", 84: "closing fence, posting tips, "
                                   "separator, English-version heading, fence", 125: "closing fence"})

N = "zh_devlog_tweet_variants"
_dv = fenced(N, 1, 96)
assert len(_dv) == 5, _dv
SPECS[N] = posts(_dv)
NOTES[N] = ("Chinese X post draft with five alternative versions of one launch post (devlog, a Claude Code skill): "
            "'## 方案1（问题切入 + Vibe Coding）' … '## 方案5（对比图风格）' headings (the plan's numbering of alternatives: "
            "notes, unlabelled), each version in a code fence (fence lines unlabelled), separated by '---'. 方案4 is "
            "the English version. The versions share a link and hashtags but are differently worded: separate posts, "
            "no near_duplicates. Then '配图建议' (image suggestions: ASCII mock-ups of a terminal, a weekly report and a "
            "workflow, each in a fence), posting times, reply prompts and hashtag suggestions: notes, unlabelled.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separators, version headings, fences",
                                   95: "closing fence, image suggestions (ASCII mock-ups in fences), posting times, "
                                       "reply prompts, hashtags"})

N = "ko_saju_x_posts"
_ks = headed(N, 1, 131, r"^\d+\.$")
assert len(_ks) == 15, _ks
_kt = headed(N, 133, 276, r"^\(\d+/\d+\)$")
_kth = split_threads(N, _kt, r"^\(1/\d+\)$")
assert [len(t) for t in _kth] == [5, 5, 5, 5, 6], _kth
_kc = [(i, i) for i in range(280, 299, 2)]
assert all(dump_lines(N)[a - 1].split(".")[0].isdigit() for a, b in _kc)
SPECS[N] = (posts(_ks)
            + [T(key(15 + j), "thread", numbered(t), total=len(t)) for j, t in enumerate(_kth)]
            + posts(_kc, 20))
NOTES[N] = ("Korean plan of 30 X / Threads pieces for a free Saju (four-pillar astrology) site: a title and a note, then "
            "'## 단발 트윗 (15개)': fifteen separate single tweets, each opened by a bare 'n.' line (the plan's number of "
            "the tweet, kept with the post it opens) and separated by '---' (posts A-O); then '## 스레드 (5개, 각 4~6 "
            "트윗)': five threads under '### 스레드 #n — title' headings (notes, unlabelled), their parts opened by "
            "'(k/N)' marker lines (the marker belongs to the part; total N: 5, 5, 5, 5 and 6; threads P-T); then "
            "'## 콜 투 액션 (10개)': ten one-line call-to-action posts numbered '1.' … '10.' in their line, some with a "
            "parenthetical note on their purpose in the same line (posts U-Z, Z26-Z29). In-text numbering inside a part "
            "('1. 갑진(甲辰) …', '오해 1) …', '🥇 1위') is text, not a marker.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, note, separator, section heading", 17: "separator",
                                   131: "separator, section heading, thread heading", 161: "separator, thread heading",
                                   276: "separator, call-to-action section heading"})

N = "ko_saju_threads"
_kr = headed(N, 1, 251, r"^\*\*\d+/\*\*$")
_krh = split_threads(N, _kr, r"^\*\*1/\*\*$")
assert [len(t) for t in _krh] == [5, 4, 4, 5, 4, 5, 5, 4, 6, 3], [len(t) for t in _krh]
SPECS[N] = [T(key(j), "thread", numbered(t)) for j, t in enumerate(_krh)]
NOTES[N] = ("Korean plan of X threads for a free Saju site ('X (트위터) 스레드 20개 — 매일 1개 게시용'): ten written "
            "threads (A-J) under '## Thread n — title (k트윗)' headings (notes, unlabelled; three threads are in "
            "English, marked '영문'), each part opened by a bold '**k/**' marker line (the marker belongs to the part; "
            "no total, so `total` null although the heading names the tweet count), threads separated by '---'. In-text "
            "lists with keycap emoji ('1️⃣ 24절기 …') inside a part are text. Then 'Thread 11-20', which only describes "
            "ten more threads to write (a pattern and a list of day pillars, no tweet text), and tips for writing "
            "tweets: notes, unlabelled.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, thread heading", 26: "separator, thread heading",
                                   251: "separator, description of threads 11-20, tips"})

N = "ko_saju_ready_posts"
_kp = [(9, 11), (13, 15), (17, 19), (21, 23), (27, 29), (31, 33), (35, 37), (39, 41)]
SPECS[N] = posts(_kp)
NOTES[N] = ("Korean plan of eight ready-to-paste captions for Threads / Instagram / X (a tarot and Saju site): a Korean "
            "title and a '>' usage note, then '## 영문 (X / Threads / IG)' with four English posts and '## 한국어 (스레드 / "
            "X / 인스타)' with four Korean posts, each three lines (text opened by its number '1)' … '8)', a link, a "
            "hashtag line). The numbers count separate posts (not a thread); each post's number is in its first line. "
            "The English and Korean posts are different texts (no near_duplicates).")
UNLABELLED[N] = [(1, 7, "title, usage note, section heading"), (25, 25, "section heading")]

N = "zh_luckapi_promo_posts"
SPECS[N] = posts([(8, 23), (30, 39), (46, 56)])
NOTES[N] = ("Chinese plan of launch posts for three sites (LuckApi, a self-hosted AI proxy gateway): '## V2EX 帖子', '## Show "
            "HN 帖子', '## Reddit r/selfhosted 帖子' headings (notes), each with a '**标题**：…' line (the submission title, "
            "unlabelled like a title), a '**内容**：' label (unlabelled) and the body as a Markdown block quote: every body "
            "line, the bare '> ' lines between paragraphs included, is a line of the post. A: Chinese (V2EX), B and C: "
            "English (Show HN, Reddit). The last section ('知乎 / 掘金帖子') has a title and only a pointer to another file "
            "('（同 SEO_BLOG_POST.md）'): no post text, unlabelled.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, heading, title line, body label", 25: "heading, title line, body label",
                                   41: "heading, title line, body label", 58: "heading, title line, pointer note"})

N = "zh_luckapi_v2ex_post"
SPECS[N] = [post("A", 15, 73)]
NOTES[N] = ("Chinese draft of one V2EX post (LuckApi): a title, the submit address, '## 标题' with the post title (unlabelled "
            "like a title), '## 正文' and the body (A): greeting, paragraphs, its own '### 核心功能' / '### 技术栈' / '### 架构' "
            "/ '### 快速开始' / '### 项目地址' sub-headings, an ASCII architecture diagram and a shell snippet in code "
            "fences — all lines of the one post. Then '## 标签建议' (tag suggestions: a note).")
UNLABELLED[N] = [(1, 14, "title, submit address, separators, title heading and title, body heading"),
                 (75, 79, "separator, tag suggestions")]

# ================================================================ English launch copy (Reddit, Hacker News, PH, X)
N = "en_enablerdao_reddit_posts"
_er = bodies(N, 1, 426, r"^\*\*Body:\*\*$", r"^\*\*Posting time:\*\*")
assert len(_er) == 11, _er
_eq = [(i, i) for i, s in enumerate(dump_lines(N), 1) if 427 <= i <= 501 and s.startswith('"')]
assert len(_eq) == 17, _eq
SPECS[N] = posts(_er) + posts(_eq, 11)
NOTES[N] = ("English plan of eleven separate Reddit launch posts for four products (EnablerDAO: Elio, ChatWeb.ai, News.xyz, "
            "JiuFlow): '## n. PRODUCT' and '### r/NAME (members)' headings, a '**Title:** \"…\"' line (the submission "
            "title, unlabelled like a title), a '**Body:**' label (unlabelled) and the body (posts A-K; bold lead-ins such "
            "as '**What it does:**' and lists inside a body are its lines), then '**Posting time:**' and '**Notes:**' "
            "(notes). Then 'Common Q&A Response Templates': seventeen one-line reply templates in double quotes under "
            "question headings and '**For …:**' / '**If …:**' labels: each quoted reply is its own post (L-Z, Z26, Z27), the "
            "headings and labels are notes. Posting best practices, checklist, coupon codes and metrics: notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, note, headings, title line, body label",
                                   30: "posting time, notes, separator, headings, title line, body label",
                                   427: "Q&A section heading, question headings, reply labels, separators",
                                   503: "separator, best practices, checklist, coupon codes, success metrics"})

N = "en_enablerdao_hn_posts"
_eh = bodies(N, 1, 745, r"^### Post Body", r"^---$")
assert len(_eh) == 4, _eh
SPECS[N] = posts(_eh)
NOTES[N] = ("English plan of four Show HN posts (EnablerDAO: Elio, ChatWeb, News.xyz, JiuFlow): a title, then for each "
            "product a '## n. PRODUCT' heading, '### Title' with the bold submission title (unlabelled like a title), "
            "'### Post Body (1,800 words)' and the long body (posts A-D: 'Hi HN,' to the closing offer to answer "
            "questions; bold sub-headings, lists and Rust code fences inside a body are its lines). After each body a "
            "'---' separator and a bold product name with store / site / Twitter links (a link block of the plan, not "
            "text of the HN post: unlabelled), another '---'; a closing '**End of HackerNews Posts**'.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, headings, title line, body heading",
                                   151: "separator, product link block, separator, headings, title line, body heading",
                                   737: "separator, product link block, end line"})

N = "en_saju_launch_copy"
_sx = headed(N, 120, 173, r"^\*\*Tweet \d/5\*\*:$")
assert len(_sx) == 5, _sx
SPECS[N] = (posts([(12, 37), (51, 54), (59, 76), (100, 115)])
            + [T("E", "thread", numbered(_sx), total=5)])
NOTES[N] = ("Launch copy in English with Korean notes (a free Saju calculator): '## Show HN — Hacker News 게시용' with "
            "the title (in a fence, unlabelled like a title) and the body in a fence (A; its indented Python function "
            "is text of the post); '## Product Hunt 런치 카피' with a tagline (unlabelled, a title-like line), a short "
            "description (B) and a long description (C), each in a fence; '## dev.to 런치 글' with only a title, tags and "
            "a pointer ('본문: (이미 devto_bot.py …)'): no post text; a Reddit post in one fence whose 'Title: …' line "
            "and 'Body:' label are unlabelled and whose body is D; and an X launch thread (E) of five tweets, each "
            "opened by '**Tweet k/5**:' (the marker, total 5) with its text in a fence (fence lines are lines of the "
            "tweet, as in the other thread drafts). Fence lines around plan posts, headings and labels are unlabelled.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, heading, title label and fenced title, body label, fence",
                                   38: "fence, separator, heading, tagline, labels, fences",
                                   55: "fence, label, fence", 77: "fence, separator, dev.to title, tags, pointer, "
                                   "separator, heading, fence, title line, body label",
                                   116: "fence, separator, thread heading"})

N = "en_luckapi_reddit_posts"
SPECS[N] = [post("A", 15, 48)]
NOTES[N] = ("Reddit post draft with Chinese notes (LuckApi): submit addresses, '## 标题（r/selfhosted）' with the title "
            "(unlabelled like a title), '## 正文（r/selfhosted）' and the English body (A: paragraphs, its own '### "
            "Features' / '### Tech Stack' / '### Quick Start' sub-headings, lists and a shell snippet in a code fence — "
            "all lines of the post). Then an alternative title for r/opensource and a heading saying the body can be "
            "reused: notes, no second post.")
UNLABELLED[N] = [(1, 13, "title, submit addresses, separator, title heading and title, body heading"),
                 (50, 56, "separator, alternative-title heading and title, reuse note")]

# ================================================================ forum topics (XenForo)
N = "de_katzenforum_forum_thread"
_kf = [(41, 48), (61, 65), (75, 79), (90, 93), (104, 107), (118, 119), (131, 137), (146, 146), (157, 157), (166, 166),
       (177, 180), (192, 192), (203, 207), (218, 219), (230, 232), (241, 241), (252, 252), (263, 268)]
for _a, _b in _kf:
    assert dump_lines(N)[_a - 2].startswith("#"), _a
SPECS[N] = posts(_kf)
NOTES[N] = ("Visible text of a saved XenForo forum topic (katzen-forum.net, German, 2018-2019: a cat brings dirt in at "
            "night; fleas) with its 18 posts, each its own post (A-R): every post is preceded by a poster box (an "
            "avatar letter for some users, name, rank, 'Mitglied seit' + date, 'Beiträge' + count, 'Ort' + place), "
            "the post date and '#n' (all chrome). Forum quotes inside a reply ('Pepemaus hat gesagt.:', the quoted "
            "line, 'Zum Vergrößern anklicken....') are lines of the reply, as in more3's forum comments. 'Werbung:' "
            "(an ad label after posts 1 and 11) is chrome. The line after the last post ('Umzug / Wohnungskatze zum "
            "Freigänger …', a link to another topic) is the user's forum signature: chrome. Menus, breadcrumb, topic "
            "title, 'Themenstarter', 'Antwort erstellen', similar topics, share links and footer are chrome.")
UNLABELLED[N] = ([(1, 40, "menus, breadcrumb, browser warning, topic title, starter, start date, poster box, date, '#1'")]
                 + [(b + 1, a2 - 1, "ad label, poster box of the next post, date, '#n'")
                    for (a, b), (a2, b2) in zip(_kf, _kf[1:])]
                 + [(269, 300, "signature, reply box, similar topics, share, footer")])

N = "de_villagers_forum_thread"
_vf = [(56, 69), (78, 78), (87, 89), (98, 98), (106, 113), (125, 125), (134, 139), (150, 154), (160, 167)]
for _a, _b in _vf:
    assert dump_lines(N)[_a - 2].startswith("#"), _a
SPECS[N] = posts(_vf)
NOTES[N] = ("Visible text of a saved XenForo forum topic (Villagers & Heroes support forum, German section, September-"
            "October 2020: patch notes 4.47.4 and players' replies) with nine posts (A-I): the moderator's patch notes "
            "(A: version line, section headings 'Verbesserungen und Balance' / 'Bug Fixes' / 'Hinweis' and items, all "
            "lines of the post) and eight replies. Each post is preceded by a poster box (name, title, rank, 'Platform' "
            "/ 'PC', 'Characters' …), the date, for one post 'Last edited by a moderator …', and '#n' (chrome), and "
            "followed by 'Reactions: …' and a count 'x1' (chrome). Forum quotes ('Damon Otter said:' / 'Nixe said:', "
            "the quoted text, 'Click to expand...') are lines of the post that quotes them. Menus, breadcrumb, topic "
            "title, 'Thread starter', 'Start date' and footer are chrome.")
UNLABELLED[N] = ([(1, 55, "site and forum menus, breadcrumb, topic title, starter, start date, poster box, date, '#1'")]
                 + [(b + 1, a2 - 1, "reactions, count, poster box of the next post, date, '#n'")
                    for (a, b), (a2, b2) in zip(_vf, _vf[1:])]
                 + [(168, 178, "reactions, count, footer")])

# ================================================================ comment pages
N = "de_silkroad_blog_comments"
_SH, _SD = r"^.+ sagt:$", r"^\d{1,2}\. [A-ZÄ][a-zä]+ \d{4} um \d\d:\d\d$"
_sk = runs(N, 219, 425, [_SH, _SD, r"^Antworten$"])
assert len(_sk) == 34 and (408, 408) in _sk, len(_sk)
_sk.remove((408, 408))  # a pingback excerpt ('[...] Roc Mountain Quests (Lv 70 – 90) [...]'), written by no one
SPECS[N] = [art(N, "A", [(70, 72), (74, 205)])] + posts(_sk, 1)
NOTES[N] = ("Visible text of a WordPress gaming blog post kept by the Internet Archive (the-pain.net, May 2008: quests of "
            "the new Roc Mountain area in Silkroad Online, German) with its 34 comments (33 comments and one pingback): the post (A, one part per line: "
            "a copyright notice, the intro, 'NPC Map' (an image's caption) and the quest list with its 'Name: / Level: / "
            "NPC: / Vorraussetzung: / Beschreibung: / Belohnung:' lines) and each comment as its own post. A comment is "
            "'NAME sagt:' / '26. Mai 2008 um 21:07' / text / 'Antworten' (header and button chrome); greetings, "
            "signatures with a name or a link ('MfG: d4rk-sasuke', a blog URL) are lines of the comment. One 'comment' is a "
            "pingback ('PaiNs Blog : NEU: Komplette Silkroad Quest Datenbank sagt:' + date + '[...] Roc Mountain Quests "
            "(Lv 70 – 90) [...]'): an automatic link notice written by no one, unlabelled as more4's 'Pingback:' lines. "
            "The unexpanded ad shortcode '[ad#ad-2]' inside the post is chrome. Menus, categories, title and byline, related articles, "
            "categories/tags, author box, comment count, comment form, more entries, sidebar and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {1: "menus, categories, title, byline", 73: "ad shortcode",
                                       206: "related articles, categories, tags, author box, comment count, first header",
                                       405: "'Antworten', pingback header, date and excerpt, 'Antworten', next header",
                                       _sk[-1][1] + 1: "'Antworten', comment form, more entries, sidebar, footer"},
                          extra=[_SH, _SD, r"^Antworten$"])

N = "en_elavegan_recipe_comments"
_ED = r"^\d{1,2}\. [A-Z][a-z]+, \d{4} at \d\d:\d\d$"
_ev = runs(N, 173, 246, [_ED, r"^Reply$"], before=_ED)
assert len(_ev) == 18, len(_ev)
SPECS[N] = [art(N, "A", [(32, 72), (83, 83)])] + posts(_ev, 1)
NOTES[N] = ("Visible text of a saved English vegan recipe blog post (ElaVegan, peanut butter truffles, 2023) with its 18 "
            "comments (nine readers' comments, each answered by the blogger): the blog post (A, one part per line: "
            "intro, sub-headings, ingredient notes, the step-by-step text, storing and variation tips, the Halloween "
            "note, the closing request to comment) is the article; the list of ten related-recipe links inside it "
            "(after 'Once you’ve made your way…') is a link list, unlabelled; the recipe card after the post (title, "
            "author, times, ingredient quantities, instructions repeating the post's steps, notes, nutrition table, "
            "equipment) is recipe data: unlabelled, as chefkoch's ingredients and nutrition in more5. Each comment is "
            "NAME / '16. March, 2023 at 16:59' / text / 'Reply' (chrome); replies by 'Ela' are not indented: each its "
            "own post. Menus, breadcrumb, title, byline, votes, language switch, share buttons, comment form, sidebar "
            "and footer are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {**after_each(_ev, "'Reply', next commenter's name and date"),
                                       1: "menus, breadcrumb, title, byline, votes, language switch",
                                       73: "related-recipe links", 84: "recipe card, nutrition, equipment, cookbook ad, "
                                       "share, previous post, 'Comments', first name and date",
                                       _ev[-1][1] + 1: "'Reply', comment form, sidebar, footer"},
                          extra=[_ED, r"^Reply$"])

N = "en_flawlessfood_recipe_comments"
_FD = r"^\d\d/\d\d/\d{4} at \d{1,2}:\d\d [ap]m$"
_ff = runs(N, 135, 230, [_FD, r"^Reply$"], before=_FD)
assert len(_ff) == 24, len(_ff)
SPECS[N] = [art(N, "A", [(38, 66)])] + posts(_ff, 1)
NOTES[N] = ("Visible text of a saved English food blog recipe post (Flawless Food, olive and herb focaccia, April 2020) with "
            "its 24 comments and replies: the blog post (A, one part per line: standfirst, sub-headings, steps and a "
            "photo caption between paragraphs ('Perfect bread, see how …'), storing tips) is the article; the recipe "
            "card after it (title, votes, times, ingredients, instructions, nutrition, keywords) and the prompts and "
            "link teasers under it ('Tried this recipe?', 'HOMEMADE WHITE COB LOAF', 'Please spare some time to "
            "comment …') are recipe data and chrome. Each comment is NAME / '14/04/2020 at 3:00 pm' / text / 'Reply' "
            "(chrome); replies by the blogger ('Kay') are not indented: each its own post. Menus, breadcrumb, title, "
            "byline, share counts, previous/next post, comment form, sidebar, footer and cookie notice are chrome.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {**after_each(_ff, "'Reply', next commenter's name and date"),
                                       1: "menus, search, breadcrumb, title, byline, jump links",
                                       67: "recipe card, prompts, link teasers, share, categories, previous/next post, "
                                       "'Comments', first name and date",
                                       _ff[-1][1] + 1: "'Reply', comment form, sidebar, footer, cookie notice"},
                          extra=[_FD, r"^Reply$"])


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
