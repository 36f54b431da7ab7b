#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE7 set (eval/realworld/more7:
English LinkedIn post plans, one with launch comments, and an X launch thread draft; see SOURCES.md) from the
compact specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, check_and_write, dump_lines, fenced, gaps, headed,  # noqa: E402
                      numbered, post, posts, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS


# ================================================================ X launch thread draft
N = "en_agentforge_x_thread"
_ax = headed(N, 1, 79, r"^## Tweet \d+ \(")
assert _ax == [(9, 15), (17, 23), (25, 34), (36, 45), (47, 57), (59, 67), (69, 77)], _ax
SPECS[N] = [T("A", "thread", numbered(_ax)), post("B", 83, 91)]
NOTES[N] = ("English X launch thread draft for a Python multi-LLM framework (AgentForge): a title and three bold note "
            "lines (target, best time, format: notes), then seven tweets, each opened by a heading marker '## Tweet k "
            "(Label)' (the marker belongs to the part it numbers; no total: `total` null although the format line says "
            "'7-tweet thread'); lists and the closing hashtag line are text of their tweet. After a '---' an alternative "
            "'## Alt: Single Tweet Version' (heading: a note) holds one separate single post (B).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, target / best time / format notes, separator",
                                   78: "separator, alternative-version heading"})

# ================================================================ LinkedIn post plans
N = "en_agentforge_linkedin_post"
SPECS[N] = posts([(9, 45), (51, 58), (62, 64)])
NOTES[N] = ("English LinkedIn launch post (AgentForge) with two follow-up comments: a title, bold target / best time / "
            "format notes and '---' (notes), the post (A: paragraphs, lists and hashtag line), '---', then '## Comment 1 "
            "(Post immediately after)' and '## Comment 2 (Post 30 min later)' headings (notes) each followed by the text "
            "of a comment the author is to post under the post (B, C): separate texts to be posted, labelled as posts "
            "like more6's reply templates.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, target / best time / format notes, separator",
                                   46: "separator, comment heading", 59: "comment heading"})

N = "en_devflow_linkedin_hooks"
_dh = fenced(N, 1, 217)
assert len(_dh) == 5, _dh
SPECS[N] = posts(_dh)
NOTES[N] = ("English plan of five alternative LinkedIn posts for one CLI launch (devflow): '## HOOK n: The … Version "
            "(…)' headings (the plan's numbering of alternatives: notes, unlabelled), each post in a code fence (fence "
            "lines unlabelled), separated by '---'. In-text numbered lists inside a post ('1. Copy an old branch name "
            "…') are text. Then a comparison table of the hooks and a recommendation: notes. The versions are "
            "differently worded texts: separate posts, no near_duplicates.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separators, hook headings, fences",
                                   216: "closing fence, comparison table, recommendation"})

N = "en_devflow_linkedin_final"
_df = fenced(N, 1, 84)
assert _df == [(8, 66), (74, 82)], _df
SPECS[N] = posts(_df)
NOTES[N] = ("English LinkedIn post draft (devflow, 'Final Version'): '## 🏆 THE POST' and the post in a code fence (A), "
            "then '## First Comment (Post Immediately After)' and the comment's text in a fence (B: links and a "
            "one-line invitation, a text to be posted as the first comment: a post). Then 'Why This Version Wins' "
            "(analysis quoting lines of the post), a posting checklist, 'Alternative Opening Lines' (four quoted one-"
            "line alternatives for the hook only, not whole posts) and a closing remark: notes, unlabelled.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separator, heading, fence",
                                   67: "closing fence, separator, heading, fence",
                                   83: "closing fence, analysis, checklist, alternative opening lines, closing remark"})

N = "en_devflow_linkedin_plan"
_dp = fenced(N, 1, 1100)
assert len(_dp) == 26, len(_dp)
SPECS[N] = posts(_dp)
NOTES[N] = ("English twelve-week LinkedIn plan for a CLI (devflow, first version of the strategy): schedule and rules "
            "(notes), then 'WEEK n' sections and '### Day n (Weekday) — Title' headings (notes), each with '**Goal:**', "
            "'**Media:**' and '**Post:**' lines (notes and labels) and the post in a code fence (26 posts A-Z; fence lines "
            "unlabelled; lists, command lines and hashtags inside a fence are text of the post), and after most posts a "
            "'**First comment:** \"Here's the repo: [link] …\"' line: a label and an instruction with a short comment "
            "text in the same line, kept unlabelled as a note (a span cannot leave out the label). Days 27-32 give only "
            "a theme or a carousel outline (no post text); a media production guide with a VHS tape example in a fence, "
            "a hashtag strategy and tracking notes follow: notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, schedule, rules, week heading, day heading, goal, media, post label, "
                                      "fence",
                                   _dp[0][1] + 1: "closing fence, first-comment note, separator, day heading, goal, "
                                                  "media, post label, fence",
                                   _dp[-1][1] + 1: "closing fence, separators, day themes without post text, media "
                                                   "guide with a fenced VHS example, hashtag strategy, tracking"})

N = "en_devflow_linkedin_complete"
_dc = fenced(N, 1, len(dump_lines(N)))
assert len(_dc) == 28, len(_dc)
assert dump_lines(N)[_dc[1][0] - 3].startswith("**First comment:**"), _dc[1]
SPECS[N] = posts(_dc)
NOTES[N] = ("English LinkedIn plan for a CLI (devflow, 'Complete … Opus 4.5 Edition'): a philosophy / schedule / tone "
            "header (notes), 'WEEK n — …' headings and '## Day n (Weekday…) — Title' headings (notes), each post in a "
            "code fence (27 day posts; fence lines unlabelled; in-text lists, command lines and hashtags are text). "
            "After Day 1 a '**First comment:**' label and the comment text in its own fence: a text to be posted as "
            "a comment, labelled as its own post (B). Day 25 is a carousel outline (slide texts under a bracketed instruction), not post text: a note. Then a posting schedule table, hashtag "
            "rotation and themes per week: notes. 28 posts (A-Z, Z26, Z27).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, philosophy, schedule, tone, separators, week heading, day heading, fence",
                                   _dc[0][1] + 1: "closing fence, first-comment label, fence, separators, week and day "
                                                  "headings, fences, day notes",
                                   _dc[-1][1] + 1: "closing fence, schedule table, hashtag rotation, themes per week"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
