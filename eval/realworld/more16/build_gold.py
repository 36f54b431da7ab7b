#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE16 set (eval/realworld/more16:
thread drafts and launch posts kept as Markdown files: X / Bluesky / Mastodon thread drafts with inline 'n/N' and 'n/'
markers, bold '**n/**' marker lines and '### Post n' marker headings, an English thread with its Korean translation,
a long Mastodon launch plan with threads, single toots, Lemmy posts and reply templates, post plans in Korean, Chinese
and English, a Korean GeekNews submission and a Chinese Xiaohongshu note; see SOURCES.md) from the compact specs below
and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, check_and_write, dump_lines, fenced, gaps,  # noqa: E402
                      marker_runs, numbered, post, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS

# ================================================================ X / Bluesky / Mastodon thread drafts
N = "en_freshkeeper_x_thread"
SPECS[N] = [T("A", "thread", numbered([(1, 1), (3, 3), (5, 8), (10, 10), (12, 13), (15, 15), (17, 18)]), total=7)]
NOTES[N] = ("English X launch thread draft (Freshkeeper, an updater for AI coding tools) with nothing else in the file: "
            "no title, no notes, seven tweets separated by blank lines, each opened by an inline 'n/7' marker at the "
            "start of its first line (A, n 1-7, total 7). Tweet 3's '- ' list lines, tweet 5's command line and tweet 7's "
            "second link line ('Package: …') are text of their tweets. The @mentions at the end of tweet 1 are its text.")
UNLABELLED[N] = []

N = "en_harnessfoundry_x_thread"
_hf = marker_runs(N, 1, 78, r"^### Post \d+$")
assert _hf == [(5, 12), (14, 24), (26, 35), (37, 47), (49, 58), (60, 68), (70, 77)], _hf
SPECS[N] = [T("A", "thread", numbered(_hf)), post("B", 81, 101)]
NOTES[N] = ("English X thread draft (Codex Harness Foundry, a repo-native Codex workbench): '# X Thread' and '## Thread "
            "Draft' (title and section heading), then seven tweets, each under a '### Post n' heading (a marker on its own "
            "line: it belongs to the tweet it numbers; A, n 1-7, no total); lists, a bold product name and a ```text "
            "command fence (tweet 4) are text of their tweets. Then '## Short Thread Variant' (a heading, unlabelled) and "
            "an alternative short version written as one unsplit text with no markers or separators (B: a post; its list "
            "and command fence are its lines). Doubt: the author calls B a 'thread variant', but nothing in the file "
            "splits it into tweets, so it is one post.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title and section heading", 79: "variant heading"})

N = "en_wayofmarkdown_x_thread"
SPECS[N] = [T("A", "thread", numbered([(10, 10), (12, 12), (14, 14), (16, 16), (18, 18)]))]
NOTES[N] = ("English launch thread draft for X, to be trimmed for Bluesky and Mastodon (wayofmarkdown.com, a site about "
            "Markdown): YAML front matter ('title', 'publish: false'), '# Social drafts' and a '## Launch thread (X; trim "
            "for Bluesky/Mastodon)' heading (unlabelled), then five one-paragraph posts, each opened by an inline 'n/' "
            "marker (A, n 1-5, no total: the markers give no N), separated by blank lines. Then '## Evergreen singles (drip "
            "later)' with three '- ' ideas for later posts (descriptions of posts to write, not post text: notes).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "front matter, title, thread heading", 20: "ideas for later posts (notes)"})

N = "ko_groundwork_x_threads"
_gw = marker_runs(N, 1, 80, r"^\*\*\d+/\*\*$")
assert _gw == [(5, 11), (13, 18), (20, 25), (27, 33), (35, 46), (50, 55), (57, 62), (64, 68), (70, 73), (75, 80)], _gw
SPECS[N] = [T("A", "thread", numbered(_gw[:5])), T("B", "thread", numbered(_gw[5:]))]
NOTES[N] = ("X thread draft in English and Korean (groundwork's 'guardrails', a PreToolUse safety hook for Claude Code): a "
            "title '# X / Twitter thread (draft) — EN + KR', then '## EN' and '## KR' headings (unlabelled), each over a "
            "five-tweet thread whose tweets are opened by a bold marker line '**n/**' (a marker on its own line: it belongs "
            "to the tweet it numbers; n 1-5, no total). A: the English thread (bullet lines, emoji lines, a ``` fence with "
            "two install commands and the closing question are text of tweet 5). B: the Korean version, shorter and "
            "differently cut (its tweet 5 has one command in the fence): a separate thread in another language, not a "
            "re-pasted copy (no near_duplicates). Both threads use the same numbers 1-5.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, language heading", 47: "language heading"})

# ================================================================ a Mastodon launch plan (threads, toots, Lemmy posts)
N = "en_eiou_mastodon_posts"
_eo = fenced(N, 1, 957)
assert len(_eo) == 31, _eo
_bio, _p1, _p1a, _p1b, _p2, _p3a, _p3b, _p4a, _p4b = _eo[:9]
_toots = _eo[9:18]
_single = _eo[18:22]
_lemmy = _eo[22:24]
_objections = _eo[24:]
assert _bio == (84, 90) and _toots[0] == (300, 308) and _toots[-1] == (402, 411) and _lemmy[-1] == (715, 735)
_lines = dump_lines(N)
# each 'Thread Toot n' part runs from its '### Thread Toot n (…):' heading (two lines above the fence's text) through the
# closing fence line (one line below it)
_tt = [(a - 3, b + 1) for a, b in _toots]
for n, (a, b) in enumerate(_tt, 1):
    assert _lines[a - 1].startswith("### Thread Toot %d " % n) and _lines[b - 1] == "```", (n, a, b)
SPECS[N] = [post("A", *_p1), T("B", "thread", [_p1a, _p1b]), post("C", *_p2), T("D", "thread", [_p3a, _p3b]),
            T("E", "thread", [_p4a, _p4b]), T("F", "thread", numbered(_tt)),
            post("G", *_single[0]), post("H", *_single[1]), post("I", *_single[2]), post("J", *_single[3]),
            post("K", *_lemmy[0]), post("L", *_lemmy[1])]
NOTES[N] = ("English Mastodon/Fediverse launch plan for a peer-to-peer credit network (eIOU, 'Definitive Edition', March "
            "2026), 957 lines: a title block and long notes (why the Fediverse, instance character limits, cultural norms, "
            "account strategy, a profile bio in a fence: notes, unlabelled), then the planned posts, each text in a code "
            "fence (fence lines unlabelled unless inside a thread part): A 'Post 1: Introduction' (a ~650-character "
            "single toot); B the same introduction split for a 500-character instance into '### Fosstodon Version …, Post "
            "1a:' and '… Post 1b (reply to 1a):' (a two-toot self-thread; the headings carry the plan's post number with a "
            "letter and a version note: unlabelled, parts inferred, numbering not scored); C 'Post 2' (infosec.exchange "
            "single long post, its 'CW: …' first line is text); D 'Post 3a (main)' + '3b (reply, expanding)' and E 'Post "
            "4a (main)' + '4b (reply)': two-toot self-threads like B. F 'SECTION 3: THREAD VERSION': nine toots, each "
            "under a '### Thread Toot n (label):' heading (a marker on its own line: the heading, the fence lines and the "
            "text belong to the toot; n 1-9, no total). Then hashtag tables, an engagement plan with quoted one-line "
            "'conversation entry' replies, and 'SECTION 6: ADDITIONAL STANDALONE TOOTS': G, H, I (single toots) and J "
            "(a progress-update template with '[…]' placeholders, a post); 'SECTION 7: LEMMY …' with community lists and "
            "two Lemmy post templates (K, L: each body in a fence; the 'Title: …' line above it is the submission title, "
            "unlabelled); a content calendar; 'SECTION 9: RESPONDING TO FEDIVERSE OBJECTIONS' with seven canned replies "
            "in fences (reply templates: notes, unlabelled, as the conventions say); visual guidelines, technical notes, "
            "checklists and appendices (notes). The threads B, D, E and the single toots A, C share phrases ('No "
            "blockchain. No token.') but are differently worded versions for different instances: no near_duplicates; "
            "B's two toots say what A says in one, in other words: separate items, not a re-paste. Doubt: B, D, E could "
            "also be read as numbered by their 'a'/'b' letters; their headings mix plan numbers and version notes, so "
            "they are left out of the parts and the numbering is not scored.")
_r = {1: "title, notes (why the Fediverse, research summary, account strategy), bio fence, pin note, section and post "
         "heading, instance/tag notes, fence",
      _p1[1] + 1: "closing fence, character-count note, version heading (Post 1a), fence",
      _p1a[1] + 1: "closing fence, version heading (Post 1b), fence",
      _p1b[1] + 1: "closing fence, separator, section heading, post heading, CW note, fence",
      _p2[1] + 1: "closing fence, separator, post heading, note, heading (Post 3a), fence",
      _p3a[1] + 1: "closing fence, heading (Post 3b), fence",
      _p3b[1] + 1: "closing fence, separator, post heading, note, heading (Post 4a), fence",
      _p4a[1] + 1: "closing fence, heading (Post 4b), fence",
      _p4b[1] + 1: "closing fence, separators, thread section heading, posting notes",
      _tt[-1][1] + 1: "separator, hashtag strategy, engagement plan with quoted entry-point replies, section heading, "
                      "toot heading, fence",
      _single[0][1] + 1: "closing fence, toot heading, fence",
      _single[1][1] + 1: "closing fence, toot heading, fence",
      _single[2][1] + 1: "closing fence, template heading and note, fence",
      _single[3][1] + 1: "closing fence, separator, Lemmy strategy and community lists, template heading, submission "
                         "title, fence",
      _lemmy[0][1] + 1: "closing fence, template heading, submission title, fence",
      _lemmy[1][1] + 1: "closing fence, content calendar, objection headings with canned replies in fences (reply "
                        "templates), visual guidelines, technical notes, cross-instance notes, checklists, appendices, "
                        "closing notes"}
UNLABELLED[N] = gaps(N, SPECS[N], _r)

# ================================================================ post plans
N = "ko_neis_social_posts"
SPECS[N] = [post("A", 9, 23), post("B", 27, 43), post("C", 47, 58)]
NOTES[N] = ("Korean launch-post plan for a CLI that looks up Korean school meals and timetables (neis-school-cli): '# Social "
            "Posts', a '## One-Liner' section with a one-sentence pitch (a tagline, not a post written for a platform: a "
            "note, unlabelled; doubt: it could be posted as is), then one post per platform heading (headings unlabelled): "
            "A '## X / Threads' (list, sentence and two 'GitHub:' / 'ClawHub:' link pairs, which are its text), B '## "
            "LinkedIn / Facebook', C '## Community Post' (its command-name list is text). The three posts share the link "
            "lines and the feature list but are differently worded: separate posts, no near_duplicates. Then '## Demo "
            "Script' (three commands in a fence) and '## Tag Ideas' (a list of hashtags): notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, one-liner pitch (note), platform heading", 24: "platform heading",
                                   44: "platform heading", 59: "demo-script commands and tag ideas (notes)"})

N = "zh_harnessfoundry_launch_posts"
SPECS[N] = [post("A", 5, 63), post("B", 67, 89)]
NOTES[N] = ("Chinese launch post in two versions (Codex Harness Foundry, the same project as en_harnessfoundry_x_thread, a "
            "different file): '# 中文首发帖' (title), '## 长版' (long version) over post A (paragraphs, '- ' lists, a ```text "
            "fence with three commands, link labels '仓库：' / '模板入口：' with their links and a closing numbered list of "
            "questions: all its text) and '## 短版' (short version) over post B. Two alternative versions of one "
            "announcement, differently worded: separate posts, no near_duplicates; no markers (numbering not scored).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, version heading", 64: "version heading"})

N = "en_arcgentic_launch_copy"
SPECS[N] = [post("A", 17, 27),
            T("B", "thread", numbered([(31, 35), (37, 41), (43, 52), (54, 61), (63, 65), (67, 79)])),
            post("C", 89, 117), post("D", 131, 153)]
NOTES[N] = ("Launch copy for an AI-coding workflow plugin (Arcgentic), English with one Chinese post: '# Arcgentic launch "
            "copy', repository/PyPI lines and an asset list, '## One-line positioning' with a one-sentence pitch (notes), "
            "then A '## X post' (a single X post), B '## X thread': six tweets, each opened by an inline 'n/' marker at the "
            "start of its first paragraph and separated only by blank lines like the paragraphs inside a tweet (n 1-6, no "
            "total; tweet 3's bare role lines and tweet 4's ```bash fence are its text), C '## Xiaohongshu': 'Title:' / "
            "the note's title / 'Body:' (labels and title, unlabelled) and the Chinese note body (numbered list and "
            "'- ' lists are its text, ending with 'GitHub 搜索：…'); its 'Tags:' label and hashtag line are a note "
            "(separated from the body by a label, as more12 keeps a Xiaohongshu hashtag section apart), D '## Hacker "
            "News / Reddit': 'Title:' / title / 'Post:' (unlabelled) and the post body (list, install fence, 'Repo:' "
            "line and version sentence are its text). Then '## Marketplace listing' (name, short and long description, "
            "install commands in fences, tags: store-listing fields, not a social post: notes; doubt: the long "
            "description is prose that a reader could take for a post) and '## Submission status' (notes).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, repository/PyPI lines, asset list, positioning heading and pitch, "
                                      "X post heading",
                                   28: "thread heading", 80: "Xiaohongshu heading, title label, title, body label",
                                   118: "tags label and hashtags, HN/Reddit heading, title label, title, post label",
                                   154: "marketplace listing fields, submission status (notes)"})

# ================================================================ single posts (a GeekNews submission, a Xiaohongshu note)
N = "ko_groundwork_geeknews_post"
SPECS[N] = [post("A", 11, 34)]
NOTES[N] = ("Korean submission draft for GeekNews (news.hada.io, a Korean tech-news site) about the same hook as "
            "ko_groundwork_x_threads: '# GeekNews (news.hada.io) 제출 초안' (title), '## 제목' with the submission title, "
            "'## URL' with the link (form fields: unlabelled) and '## 요약 (본문)' (summary / body heading, unlabelled) over "
            "the body (A: paragraphs, a bold lead-in, '- ' lists with bold labels, '특징:' and a closing ``` fence with two "
            "install commands: all its text). The file has no final newline.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, title field, URL field, body heading"})

N = "zh_freshkeeper_xhs_post"
SPECS[N] = [post("A", 3, 36)]
NOTES[N] = ("Chinese Xiaohongshu note draft (Freshkeeper, the same tool as en_freshkeeper_x_thread): '# 我用一条命令同步 AI "
            "工具 🦞' (the note's title, unlabelled), then the body (A) from its first paragraph through the '## 链接' link "
            "list: paragraphs with hard line breaks, a '## 安装与使用截图区' (install-and-screenshot section) heading with "
            "two '[TODO: 插入截图]' screenshot placeholders around a ```bash command fence, and the '## 适合谁' (who it is "
            "for) and '## 链接' (links) sections (headings inside a post are its lines; a span cannot leave them out). The "
            "closing '## 标签' heading and its hashtag line are a note, as in more12's Xiaohongshu note. Doubt: the inner "
            "headings and the TODO placeholders are layout instructions more than text.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title", 37: "hashtag heading and hashtags (note)"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
