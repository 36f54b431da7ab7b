#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world NOTES set (eval/realworld/notes:
Markdown and text files people keep: thread drafts, post plans, Tweet-to-Markdown and web-clipper notes,
articles quoting tweets) from the
compact specs below and checks them against the dumps in raw/:

  * every span lies inside the file and starts and ends on a non-blank line;
  * spans never overlap (within a thread or across threads);
  * every non-blank line of the dump is either labelled (inside exactly one part span) or
    deliberately unlabelled (inside exactly one UNLABELLED span, each with a reason);
    a line that is both, or neither, is an error.

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing
Adapted from the real-world dev set's build_gold.py (same gold format, helpers, checks and conventions)."""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import T, article, check_and_write, post, use  # noqa: E402

use(HERE)


SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}

COMMON = ("Hand reconstruction of a real-world dump (see ../SOURCES.md, 'Gold conventions'). Lines 1-based inclusive. "
          "Unlabelled (not scored): front matter, document headings, author/date header lines, separators, page chrome "
          "(counts, buttons, menus, profile boxes), the drafts' surrounding notes, and debatable edge lines (media-only "
          "lines and quoted posts at the start or end of a post). A marker on its own line belongs to the part it numbers. "
          "score_n false: no marker numbers the parts (numbering not scored).")

# ---------------------------------------------------------------- thread drafts
N = "ko_muin_tools_thread"
SPECS[N] = [T("A", "thread", [(1, 7, 16), (2, 20, 31), (3, 35, 45), (4, 49, 57), (5, 61, 68), (6, 72, 79),
                              (7, 83, 89), (8, 93, 100), (9, 104, 111), (10, 115, 123), (11, 127, 136)])]
NOTES[N] = ("Korean 11-tweet X thread draft (20 developer tools) with '## 트윗 n' heading markers, some with a label "
            "after the number ('## 트윗 1 (훅)', '## 트윗 10 (야간 배치 스토리)'); no total. Code fences and bullet lists "
            "inside tweets belong to them. Title, account line, '---' separators and the closing '## 노트' notes are "
            "unlabelled.")
UNLABELLED[N] = ([(1, 5, "title, account header, separator")] +
                 [(ln, ln, "'---' separator") for ln in (18, 33, 47, 59, 70, 81, 91, 102, 113, 125)] +
                 [(138, 148, "separator + writer's notes ('## 노트')")])

N = "ko_muin_day8_threads"
SPECS[N] = [T("A", "thread", [(1, 14, 29), (2, 32, 45), (3, 48, 64), (4, 67, 82), (5, 85, 104), (6, 107, 130),
                              (7, 133, 150)], total=7),
            T("B", "thread", [(1, 160, 177), (2, 180, 195), (3, 198, 215), (4, 218, 235), (5, 238, 256),
                              (6, 259, 277), (7, 280, 301), (8, 304, 323)], total=8)]
NOTES[N] = ("Two Korean thread drafts back to back (7 and 8 tweets) under '## Thread k' headings with publish-time/total/"
            "blog-link header lines; markers '### Tweet n/N (Label)', several with a trailing ' - FIXED'; each tweet is in "
            "a code fence (fences belong to it) followed by a '**[258 chars] ✅**' count line (note, unlabelled). The "
            "closing 'Character Count Verification' list repeats 'Tweet n/N: ... chars' lines: notes, unlabelled. "
            "'**Total**: 7 tweets' sets no total by itself; the n/N markers do.")
UNLABELLED[N] = ([(1, 12, "title, status/date/account lines, separator, thread 1 heading and header lines")] +
                 [(ln, ln, "character-count note") for ln in (30, 46, 65, 83, 105, 131, 151, 178, 196, 216, 236,
                                                               257, 278, 302, 324)] +
                 [(153, 158, "separator, thread 2 heading and header lines"),
                  (326, 374, "separator, character-count verification list, change notes, closing remark")])

N = "ko_muin_deepseek_thread"
SPECS[N] = [T("A", "thread", [(1, 3, 14), (2, 18, 33), (3, 37, 50), (4, 54, 65), (5, 69, 81), (6, 85, 94),
                              (7, 98, 109), (8, 113, 128)], total=8)]
NOTES[N] = ("Korean 8-tweet thread draft (DeepSeek vs GPT-4 costs): bold marker lines '**Tweet n/8**', the first and last "
            "with a bracketed label after the marker ('**Tweet 1/8 [HOOK]**', '**Tweet 8/8 [CTA]**'); bold first lines "
            "inside tweets ('**비용 비교 ...**') are text. Numbered lists '1. 2. 3.' inside tweet 8 are text.")
UNLABELLED[N] = [(1, 1, "document title")] + [(ln, ln, "'---' separator") for ln in (16, 35, 52, 67, 83, 96, 111)]

N = "ja_kira_thread"
SPECS[N] = [T("A", "thread", [(1, 3, 12), (2, 14, 21), (3, 23, 31), (4, 33, 39), (5, 41, 48)])]
NOTES[N] = ("Japanese 5-tweet launch thread draft: '## ツイートn（label）' heading markers with full-width parentheses "
            "(tweet 1 labelled メイン告知, tweets 2-5 labelled スレッド — ...); no total. The numbered list '1.-4.' in "
            "tweet 3 is text.")
UNLABELLED[N] = [(1, 1, "document title")]

N = "zh_tcell_thread"
SPECS[N] = [T("A", "thread", [(1, 3, 14), (2, 16, 25), (3, 27, 35), (4, 37, 46), (5, 48, 60), (6, 62, 72)])]
NOTES[N] = ("Chinese 6-tweet launch thread draft: '## 推文 n（label）' heading markers with full-width parentheses (labels "
            "mention attached images: '附 tcell-hero.png'); no total. '5.5/10' in tweet 1 is a score, not a marker; the "
            "'1.-7.' list in tweet 5 is text.")
UNLABELLED[N] = [(1, 1, "document title")]

N = "en_deepmemory_thread"
SPECS[N] = [T("A", "thread", [(1, 6, 12), (2, 14, 20), (3, 22, 26), (4, 28, 35), (5, 37, 41), (6, 43, 49),
                              (7, 51, 55), (8, 57, 61), (9, 63, 67), (10, 71, 73), (11, 75, 80)])]
NOTES[N] = ("English 11-tweet thread draft with Chirr-style inline prefixes '1/ '..'11/ ' (no total) and NO separators: "
            "tweets contain blank lines and bullet lists, so a new part starts only at the next 'n/ ' prefix. An HTML "
            "comment with revision notes under the title and the '[attach demo.mp4]' line closing tweet 9 are "
            "unlabelled (note; media placeholder at the end of a post).")
UNLABELLED[N] = [(1, 4, "title + HTML comment with revision notes"), (69, 69, "media placeholder at end of tweet 9")]

N = "en_aegis_three_threads"
SPECS[N] = [T("A", "thread", [(1, 16, 25), (2, 29, 37), (3, 39, 45), (4, 47, 54), (5, 56, 63), (6, 65, 72),
                              (7, 74, 80), (8, 82, 91), (9, 93, 103), (10, 107, 114)]),
            T("B", "thread", [(1, 123, 131), (2, 133, 140), (3, 142, 147)]),
            T("C", "thread", [(1, 161, 170), (2, 172, 180)])]
NOTES[N] = ("Three alternative English thread drafts (A: 10 posts, B: 3, C: 2) under '## Thread X' headings, markers "
            "'### Post n — label' (no total), each post's text block-quoted with '>' (quote markers belong to the post). "
            "Threads B and C end with '[continue with posts 2–10 from Thread A]' / '[continue with posts 4–10 from "
            "Thread A]': the continuation is only referred to, not pasted, and no n/N total is declared, so nothing is "
            "'missing' (missing = []). '[attach ...]' lines after posts and the trailing '>' + '> [demo GIF attached]' "
            "lines of B3 are media placeholders at the end of a post: unlabelled. Intro notes, 'Best for' lines, asset "
            "table, hashtag/handle advice, timing and reply playbook are notes.")
UNLABELLED[N] = [(1, 14, "title, intro notes, separator, thread A heading + 'Best for'"),
                 (27, 27, "media placeholder after post A1"), (105, 105, "media placeholder after post A9"),
                 (116, 121, "separator, thread B heading + 'Best for'"),
                 (148, 159, "empty quote line + media placeholder at end of B3, attach line, continuation note, "
                            "separator, thread C heading + 'Best for'"),
                 (182, 271, "continuation note, separator, visual assets table, hashtags/handles, timing, don'ts, "
                            "reply playbook")]

# ---------------------------------------------------------------- post plans (separate posts, not one thread)
N = "ko_muin_day9_posts"
SPECS[N] = [T("A", "thread", [(24, 40), (117, 128), (135, 145)]),
            post("B", 48, 64),
            T("C", "thread", [(177, 192), (275, 285), (292, 306), (313, 326)]),
            post("D", 200, 215),
            T("E", "thread", [(372, 387), (487, 507), (514, 534), (541, 557)]),
            post("F", 395, 410)]
NOTES[N] = ("Korean day plan of three separate X posts (09:00, 12:30, 18:00), each written as a self-thread: the final "
            "Korean tweet ('트윗 최종본 (한글)') plus its follow-up self-replies ('후속 댓글 (자가 Thread)': '**댓글 n "
            "(5분 후):**'). Each slot also has an optional English version of the main tweet ('트윗 최종본 (영문 - "
            "Optional)'), an alternative post, labelled as its own post (B, D, F). All tweets are in code fences "
            "(fences belong to them). The '댓글 n' labels number the replies, not thread positions (reply 1 is the 2nd "
            "part), so they are treated as draft labels, unlabelled, and the threads are unnumbered (score_n false). "
            "Character counts, engagement tables, image-card texts in code fences, posting guides, checklists, the "
            "report template and the long reply-template section are notes, unlabelled.")
UNLABELLED[N] = [(1, 23, "title, date/theme/goal, table of contents, morning slot headings"),
                 (41, 47, "char count note, separator, English-version heading"),
                 (65, 116, "char count, engagement table, image-card suggestions, self-thread heading, '댓글 1' label"),
                 (129, 134, "char count, separator, '댓글 2' label"),
                 (146, 176, "char count, posting guide, cautions, lunch slot headings"),
                 (193, 199, "char count, separator, English-version heading"),
                 (216, 274, "char count, engagement table, image-card suggestions, self-thread heading, '댓글 1' label"),
                 (286, 291, "char count, separator, '댓글 2' label"), (307, 312, "char count, separator, '댓글 3' label"),
                 (327, 371, "char count, posting guide, cautions, link checklist, evening slot headings"),
                 (388, 394, "char count, separator, English-version heading"),
                 (411, 486, "char count, engagement table, infographic suggestions, self-thread heading, '댓글 1' label"),
                 (508, 513, "char count, separator, '댓글 2' label"), (535, 540, "char count, separator, '댓글 3' label"),
                 (558, 1499, "char count, posting guide, audience, visual-asset and posting checklists, monitoring "
                             "plan, report template, reply templates, git commands")]

N = "en_kira_discord_posts"
SPECS[N] = [post("A", 9, 36), post("B", 44, 72), post("C", 80, 108), post("D", 114, 138)]
NOTES[N] = ("Four separate Discord launch posts for different communities (Claude Code, Cursor, Cline, a Japanese "
            "server: post D is in Japanese), each under a '## Community' heading with a '**Channel**: ...' line saying "
            "where to post (both notes, unlabelled). Each post includes its JSON code block. Not a thread.")
UNLABELLED[N] = [(1, 7, "title, separator, community heading, channel note"),
                 (38, 42, "separator, community heading, channel note"),
                 (74, 78, "separator, community heading, channel note"),
                 (110, 112, "separator, community heading")]

N = "zh_deepmemory_post_article"
SPECS[N] = [post("A", 9, 73), article(N, "B", 83, 186)]
NOTES[N] = ("Chinese launch drafts for two platforms: a V2EX forum post (A, one post) and a Juejin (掘金) article (B, an "
            "article whose parts are its paragraphs, section headings, lists, tables and code blocks included). Platform "
            "headings and the '标题：' (title field) and '正文：' (body field) lines are draft labels, unlabelled.")
UNLABELLED[N] = [(1, 7, "document title, platform heading, title field, body label"),
                 (75, 81, "separator, platform heading, title field, body label")]

# ---------------------------------------------------------------- articles quoting tweets
N = "zh_fcc_writingtips_article"
SPECS[N] = [article(N, "A", 8, 126)]
NOTES[N] = ("Chinese translation of a freeCodeCamp article (writing tips for developers), one article: parts are its "
            "paragraphs; section headings ('## 1\\. ...' numbered sections are headings, not thread markers), interior "
            "images with captions, quoted interviews and two embedded tweets rendered as block quotes ending '— Name "
            "(@handle) [date](status URL)' all belong to it. The translation-credit block quote and the cover image at "
            "the top are unlabelled.")
UNLABELLED[N] = [(1, 6, "translation credits (original URL, author, translator) + cover image")]

N = "zh_fcc_learnjs_article"
SPECS[N] = [article(N, "A", 8, 288)]
NOTES[N] = ("Chinese translation of a freeCodeCamp article (how to learn JavaScript), one article including three of the "
            "author's own tweets rendered as block quotes with '— Tapas Adhikary (@tapasadhikary) [date](status URL)', "
            "lists, code blocks and images. Translation credits and cover image unlabelled.")
UNLABELLED[N] = [(1, 6, "translation credits + cover image")]

N = "en_fcc_review2021_article"
SPECS[N] = [article(N, "A", 8, 186)]
NOTES[N] = ("An English (not yet translated) freeCodeCamp year-review article kept in the Chinese translation repository, "
            "one article with headings, statistics lists, images with captions (the last line is a photo caption, so the "
            "photo above it is inside the article) and two quoted tweets by its author (block quotes ending '— Quincy "
            "Larson (@ossia) [date](status URL)'). Translation-credit block and cover image are unlabelled.")
UNLABELLED[N] = [(1, 6, "translation credits + cover image")]

# ---------------------------------------------------------------- Tweet to Markdown clips, web-clipper note
N = "en_ttm_thread"
SPECS[N] = [T("A", "thread", [(11, 13), (28, 30), (41, 43)])]
NOTES[N] = ("Tweet to Markdown note of a 3-tweet self-thread (@geoffreylitt): YAML front matter, then per tweet an avatar "
            "image line, a 'Name ([@handle](...)) - date' header, the text, media images and a '[Tweet link](...)' "
            "line; tweets joined by '---'. Only the tweet text lines are labelled ('Short thread: [pic.twitter.com/...]' "
            "and the link line of tweet 3 are text); avatar/header, trailing media images and '[Tweet link]' lines are "
            "chrome/media edge lines. Unnumbered. The real thread may continue beyond these 3 tweets, but no number "
            "says so: nothing is known to be missing.")
UNLABELLED[N] = [(1, 8, "front matter, avatar, header"), (15, 25, "media images, tweet link, separator, avatar, header"),
                 (33, 38, "tweet link, separator, avatar, header"), (45, 48, "media image, tweet link")]

N = "en_ttm_condensed_thread"
SPECS[N] = [T("A", "thread", [(11, 13), (19, 21), (23, 25)])]
NOTES[N] = ("Tweet to Markdown note of the same 3-tweet thread in 'condensed' mode: one header, no per-tweet headers or "
            "separators, tweets only separated by blank lines and the first tweet's two images, ending '[Thread link]'. "
            "Tweet boundaries follow the tweets (tweet 1: lines 11-13, tweet 2: 19-21, tweet 3: 23-25), as in the "
            "non-condensed capture of the same thread (en_ttm_thread). Media images at the end of a tweet and the "
            "header/front matter/thread link are unlabelled.")
UNLABELLED[N] = [(1, 8, "front matter, avatar, header"), (15, 17, "media images at end of tweet 1"),
                 (27, 31, "media image at end of tweet 3, thread link")]

N = "en_ttm_reply_post"
SPECS[N] = [post("A", 11, 11)]
NOTES[N] = ("Tweet to Markdown note of a single reply tweet (@rsms replying to @nevyn; the fixture is named 'partial "
            "thread'): one post. Front matter, avatar, header and tweet link unlabelled.")
UNLABELLED[N] = [(1, 8, "front matter, avatar, header"), (14, 14, "tweet link")]

N = "en_defuddle_xarticle_article"
SPECS[N] = [article(N, "A", 12, 240)]
NOTES[N] = ("Web-clipper (defuddle, the Obsidian Web Clipper's extractor) Markdown of a real X Article (long-form post) "
            "'obsidian + claude code 101', with the extractor's JSON metadata block on top instead of YAML front matter. "
            "One article: parts are its paragraphs, '## ' headings, numbered and bulleted lists and code blocks "
            "included (numbered lists '1. 2. 3.' are text). The metadata block and the lead image are unlabelled.")
UNLABELLED[N] = [(1, 10, "JSON metadata block + lead image")]


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
