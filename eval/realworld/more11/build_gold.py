#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE11 set (eval/realworld/more11:
X thread drafts with Russian or English notes, reply templates, a Chinese/English post plan with two numbered threads,
and two blog articles in English and French; see SOURCES.md) from the compact specs below and checks them against the
dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, check_and_write, doc, dump_lines, fenced, gaps,  # noqa: E402
                      marker_runs, numbered, posts, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS


def text_fence(name, head_line):
    """The span of a '## Tweet n' block of a draft: from its heading through the closing fence of the first code fence
    after it (its '**Text:**' fence; the '**Image:**' fence that follows is a note)."""
    lines = dump_lines(name)
    i = head_line
    while not lines[i].startswith("```"):
        i += 1
    j = i + 1
    while not lines[j].startswith("```"):
        j += 1
    return (head_line, j + 1)


# ================================================================ thread drafts
N = "en_meetingforcer_x_thread"
_mf = marker_runs(N, 1, 104, r"^\*\*Tweet \d+ — ")
assert _mf == [(5, 15), (19, 27), (31, 41), (45, 53), (57, 65), (69, 76), (80, 88), (92, 101)], _mf
SPECS[N] = [T("A", "thread", numbered(_mf))]
NOTES[N] = ("English X thread draft for a macOS meeting-reminder app (Meeting Forcer): a title, then eight tweets opened by "
            "bold labels '**Tweet n — Label**' (markers: each belongs to the tweet it numbers, n 1-8, no total since no "
            "'n/N' is written), separated by '---' rules (separators). Tweet 7 holds a fenced three-line install command: "
            "lines of the tweet. The italic '*Tips for posting:*' list at the end is notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separator", 16: "separator", 102: "separator, posting tips"})

N = "en_sentinel_x_thread"
_sh = marker_runs(N, 20, 119, r"^### \d/7$")
assert _sh == [(22, 35), (37, 51), (53, 65), (67, 77), (79, 90), (92, 104), (106, 117)], _sh
_sr = fenced(N, 121, 182)
assert _sr == [(126, 133), (139, 144), (150, 155), (161, 167), (173, 181)], _sr
SPECS[N] = ([T("A", "thread", [(0, 6, 15, "inferred", {"alt_n": {str(i): 1 for i in range(6, 16)}})] + numbered(_sh),
               total=7)] + posts(_sr, start=1))
NOTES[N] = ("English X campaign file for an AI-security project (SENTINEL): a '## 📌 MAIN POST (Hook)' heading with the hook "
            "post in a code fence (the thread's head, ending 'Thread 🧵👇'; fence lines unlabelled), then '## 🧵 THREAD' and "
            "seven tweets opened by '### k/7' headings (markers: each part runs from its heading through the closing fence "
            "of its text; total 7 from 'k/7'). The hook carries no marker: n 0, inferred, with alt_n 1 (as more's Readwise "
            "thread whose hook precedes '1/'). '## 💬 PREPARED REPLIES' lists five answers to expected questions, each "
            "under a '### Q: \"…\"' heading (the question: a note) and in a fence: reply templates to post under the "
            "thread, so each is its own post (B-F), as more6/more9's reply templates. A table inside tweet 5's fence is "
            "text of the tweet.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, hook heading, fence", 16: "closing fence, separator, thread heading",
                                   118: "separator, replies heading, question heading, fence",
                                   134: "closing fence, question heading, fence"})

N = "ru_nodo_x_thread"
_nh = [i for i, s in enumerate(dump_lines(N), 1) if s.startswith("## 🧵 Tweet ")]
_nt = [text_fence(N, h) for h in _nh]
assert _nt == [(17, 28), (56, 72), (93, 107), (132, 152), (190, 208), (234, 249), (280, 301)], _nt
_nc = marker_runs(N, 332, 461, r"^### Tweet \d$")
assert _nc == [(336, 345), (349, 363), (367, 379), (383, 401), (405, 419), (423, 435), (439, 458)], _nc
SPECS[N] = [T("A", "thread", [(k + 1, a, b, {"also": [list(_nc[k])]}) for k, (a, b) in enumerate(_nt)])]
NOTES[N] = ("X thread draft (v2) announcing a prediction-market analyser (NODO) with an x402 payment integration: the "
            "notes, headings and labels are Russian, the tweets English. A title and a bold Russian note, a '## Что мы "
            "реально сделали:' list (notes), then seven blocks '## 🧵 Tweet n: Заголовок' with a '**Text:**' label and "
            "the tweet in a fence, followed by an '**Image:** …' label and a fenced ASCII diagram or code sample (the "
            "picture to attach: notes, unlabelled). Each part runs from its heading (the marker 'Tweet n') through the "
            "closing fence of its text; n 1-7, no total (no 'n/N'). Under '## 📋 READY TO COPY TWEETS' the same seven "
            "tweets are pasted again, each as '### Tweet n' and a fence: a re-paste of the same parts, labelled as their "
            "`also` spans (tweets 4-7 are slightly shortened in the copy: still the same tweets). The closing Russian "
            "sections (changes from v1, image list, the one link in a fence with an instruction, checklist) are notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, note, what-we-did list, separator",
                                   30: "image label and fenced picture, separator", 74: "image label and fenced "
                                   "picture, separator", 109: "image label and fenced picture, separator",
                                   154: "image label and fenced code picture, separator",
                                   210: "image label and fenced picture, separator",
                                   251: "image label and fenced code picture, separator",
                                   303: "image label and fenced tree picture, separators, copy-section heading",
                                   346: "separator", 364: "separator", 380: "separator", 402: "separator",
                                   420: "separator", 436: "separator",
                                   459: "separator, Russian notes: changes from v1, image list, fenced link, "
                                        "instruction, checklist"})

# ================================================================ post plan
N = "zh_socialpublisher_promo_posts"
_zf = fenced(N, 1, 339)
assert _zf == [(12, 25), (31, 63), (71, 133), (141, 169), (181, 191), (197, 260), (268, 318)], _zf
_zc = [(71, 81), (83, 91), (93, 100), (102, 109), (111, 116), (118, 124), (126, 133)]
_ze = [(197, 207), (209, 217), (219, 227), (229, 236), (238, 243), (245, 251), (253, 260)]
SPECS[N] = (posts([(12, 25), (31, 63)]) + [T("C", "thread", numbered(_zc))] + posts([(141, 169), (181, 191)], start=3)
            + [T("F", "thread", numbered(_ze))] + posts([(268, 318)], start=6))
NEARDUP[N] = [[["E", 1], ["F", 1]]]
NOTES[N] = ("Chinese/English promotional copy for an AI social-media tool (SocialPublisher), every text in a code fence "
            "(fence lines unlabelled) under platform headings (notes). Chinese version: two WeChat Moments posts "
            "('### 简洁版' short, A; '### 详细版' long, B), a Chinese Twitter thread in one fence whose tweets are opened by "
            "'1/ ' … '7/ ' (C, n 1-7, no total; each tweet ends at the blank line before the next marker), a Xiaohongshu "
            "post (D). English version: a '### Main Tweet' (E, a single post), the English thread '1/ ' … '7/ ' (F), and a "
            "LinkedIn/blog long post (G). E has the same text as F's first tweet (without '1/ '): an alternative single "
            "post, listed as a near-duplicate pair (E,1)-(F,1). C and F are translations of each other, not duplicates. "
            "The closing use-case table and the roadmap checklist are notes.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title, separator, version heading, platform heading, variant heading, fence",
                                   26: "closing fence, variant heading, fence",
                                   64: "closing fence, separator, thread heading, fence",
                                   134: "closing fence, separator, platform heading, fence",
                                   170: "closing fence, separator, version heading, platform heading, main-tweet "
                                        "heading, fence",
                                   192: "closing fence, thread heading, fence",
                                   261: "closing fence, separator, LinkedIn heading, fence",
                                   319: "closing fence, separator, use-case table, roadmap checklist"})

# ================================================================ articles (not threads)
N = "en_sentinel_devto_article"
SPECS[N] = [doc(N, "A", 10)]
NOTES[N] = ("English dev.to article draft (SENTINEL: replacing a Go gateway with C): YAML front matter (title, tags, "
            "metadata; unlabelled like a document title), then one article: '##'/'###' sections with fenced diagrams "
            "and C code, tables, lists, a quoted question and an italic signature with a Telegram and X handle after a "
            "last '---' (the signature closes the article and is its text; the '---' is a separator, unlabelled). Not a "
            "thread: the companion X thread is en_sentinel_x_thread.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "front matter", 269: "section separator ('---')"})

N = "fr_smarterlogic_linkedin_article"
SPECS[N] = [doc(N, "A", 18)]
NOTES[N] = ("French blog article of a web agency (a checklist before publishing a LinkedIn post): YAML front matter "
            "(slug, title, summary, tags; unlabelled like a document title), then one article in '##' sections "
            "('## Introduction', '## 1. …' … ) separated by '---' rules (separators, unlabelled), with lists, quoted "
            "example sentences and a closing list of site links. The numbered '## n.' headings number sections of one "
            "text, not posts; the quoted sentences are examples inside the article, not posts.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "front matter", 39: "section separator ('---')"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
