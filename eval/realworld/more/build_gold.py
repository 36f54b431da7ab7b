#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE set (eval/realworld/more:
Bluesky and X/Twitter page copies, a Mastodon Markdown export, Readwise exports of tweets and threads, thread
drafts for X and Bluesky; see SOURCES.md) from the compact specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing
Adapted from the pages/notes sets' build_gold.py (same gold format, helpers, checks and conventions); added here:
`also` spans (a part pasted again), `alt_n` (a second acceptable number for a part's lines), `near_duplicates`
pairs, and `page_gaps`, which lists the chrome between the labelled posts of a page copy and refuses any line it
does not recognise as chrome unless that stretch is given an explicit reason."""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import T, check_and_write, key, page_gaps, post, use  # noqa: E402

use(HERE)


SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}

COMMON = ("Hand reconstruction of a real-world dump (see ../SOURCES.md, 'Gold conventions'). Lines 1-based inclusive. "
          "Unlabelled (not scored): front matter and metadata blocks, document headings, author/date header lines, "
          "separators, page chrome (counts, buttons, menus, profile boxes), the drafts' surrounding notes, and debatable "
          "edge lines (media-only lines, link cards and quoted posts at the start or end of a post). A marker on its "
          "own line belongs to the part it numbers. score_n false: no marker numbers the parts (numbering not scored). "
          "A part pasted again is labelled once, with the later copies as its `also` spans. Same conventions as the "
          "dev set (realworld-dev) and the pages/notes sets.")

# ================================================================ Bluesky web (bsky.app pages as visible text)
N = "en_bsky_owl_replies"
_one = [18, 23, 28, 37, 55, 60, 65, 70, 74, 80, 84, 89, 94, 99, 104, 109, 123, 129, 134, 138, 144, 148, 152, 156,
        160, 164, 169, 173, 178, 183, 188, 193, 196, 200, 204, 208, 213, 217, 221, 225, 230, 234, 238, 243, 247, 251,
        255]
SPECS[N] = ([post("A", 5, 5)] + [post(key(i + 1), ln, ln) for i, ln in enumerate(_one[:4])] +
            [T(key(5), "thread", [(42, 42), (51, 51)])] +
            [post(key(i + 6), ln, ln) for i, ln in enumerate(_one[4:19])] +
            [T(key(21), "thread", [(113, 113), (119, 119)])] +
            [post(key(i + 22), ln, ln) for i, ln in enumerate(_one[19:])])
NOTES[N] = ("Visible text of a saved bsky.app post page (Jan 2026), a link-preview library's test fixture: Glen Dunlap's "
            "owl photo post (A) and 51 replies under it, each its own post (replies to replies too; the author's own "
            "answers to commenters are posts, not part of A). Two runs where one replier posts twice in a row are "
            "self-threads of 2 unnumbered parts: Tom Forsyth's second and third replies (lines 42, 51; the third "
            "continues the second) and Watchcat Wrecking Crew's two replies (113, 119). Display-name/@handle lines "
            "(wrapped in U+202A/U+202C), '· 9h' times, bare counts, 'ALT', the date/'Everybody can reply'/repost-like "
            "lines of the focused post, and the YouTube link cards closing two of Tom Forsyth's replies (edge lines) "
            "are unlabelled.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {
    1: "page heading 'Post', author header, 'Follow'",
    6: "ALT badge, date, 'Everybody can reply', repost/quote/like/save counts, counts, next header",
    29: "YouTube link card closing the reply (edge), counts, next header",
    43: "YouTube link card closing the reply (edge), counts, next header",
    256: "counts, 'Join the conversation', sign-in and trending sidebar, footer"})

N = "en_bsky_forbes_replies"
_fb = [19, 25, 30, 36, 45, 48, 54, 60, 66, 71, 75, (80, 82), 88, 92, 97, 101, 105, 110, 114, 117, 122, 126, 132, 136,
       142, 148, 154, 160, 165, 171, 177, 181, 185, 190, 196, 201, 206, 212, 215, 220, 226, 231, 235, 239, 244, 248,
       252, 256, 260, 268]
SPECS[N] = [post("A", 4, 4)] + [post(key(i + 1), *(x if isinstance(x, tuple) else (x, x))) for i, x in enumerate(_fb)]
NOTES[N] = ("Visible text of a saved bsky.app post page (Jan 2026), a link-preview library's test fixture: a Forbes link "
            "post (A: its one line of text; the link card under it, title repeated/description/domain, is an edge) "
            "and 50 replies, each its own post, back-and-forth exchanges (shiftyclown/Fermion, pepeyc7526/The "
            "Unconscious Pedant) included. A reply whose text is a mention split over three lines (KittenKoder, "
            "80-82) is one post. One reply has no text (image only, lines 38-42): no item. Johnny David Lafayette's "
            "reply is a link (260) followed by his own quoted older post (261-263, quoted post at the end: edge). "
            "Headers, times, counts, the link card in LostUruk's reply, sign-in and trending chrome are unlabelled.")
UNLABELLED[N] = page_gaps(N, SPECS[N], {
    1: "page heading 'Post', author header",
    5: "link card of the Forbes post (edge), date, 'Everybody can reply', counts, next header",
    166: "link card closing the reply (edge), counts, next header",
    261: "quoted post closing the reply (edge: header, time, text), counts, next header",
    269: "counts, sign-in and trending sidebar, footer"})

N = "en_bsky_king_profile_posts"
_kp = [13, 20, 27, 34, 45, 52, 62, 69, 76, 83, 93, 103, 114, 121, 130, 140, 147, 154, 161, 168, 175, 185, 192, 199,
       206, 215, 222, 229, 236, 252, 260, 267, 276, 283, 290, 302, 312, 324, 331, 338, 345, 352, 359, 366, 375, 382,
       392, 399, 406, 418, 425, 432, 444, 451, 459, 466]
SPECS[N] = [post(key(i), ln, ln) for i, ln in enumerate(_kp)]
NEARDUP[N] = [[[key(_kp.index(352)), 1], [key(_kp.index(418)), 1]]]
NOTES[N] = ("Visible text of a saved bsky.app profile page (@stephenking.bsky.social, Jan 2026), a link-preview "
            "library's test fixture: the profile timeline, 56 items, each its own post: Stephen King's posts "
            "(including quote posts, self-replies shown as separate timeline items, and one of his own posts reposted "
            "by himself, 444) and 9 posts by others that he reposted ('Reposted by Stephen King' and 'Replied to / "
            "Stephen King' lines are chrome). Quoted posts under a quote post (header, time, text) are edge lines, "
            "unlabelled. One post has no text (image only, lines 243-248): no item. Content labels ('Sign-in "
            "Required', 'Graphic Media', 'Labeled by ...'), 'ALT' badges and a YouTube card are chrome/edges. Near "
            "duplicate: his post at 352 and the @runningmanmovie.com post he reposted at 418 have the same text "
            "(two different posts, annotated as a near_duplicates pair, not as `also`).")
UNLABELLED[N] = page_gaps(N, SPECS[N], {
    1: "profile box (name, handle, counters, bio), tabs, first header",
    35: "quoted post (edge: Mark Hamill header, time, text), counts, next header",
    53: "quoted post (edge), counts, next header",
    84: "quoted post (edge), counts, next header",
    94: "quoted post (edge), counts, next header",
    104: "quoted post (edge), counts, next header",
    122: "counts, 'Reposted by Stephen King', reposter header, 'Replied to / Stephen King'",
    131: "ALT badge, counts, 'Reposted by', header, 'Replied to / Stephen King'",
    176: "quoted post (edge), counts, next header",
    237: "quoted post (edge), counts, an image-only post's header and counts (no text), next header",
    291: "quoted post (edge), counts, 'Reposted by', header, 'Replied to / Stephen King'",
    303: "YouTube link card closing the reposted reply (edge), counts, next header",
    313: "quoted post (edge), counts, 'Reposted by', header, 'Replied to / Stephen King'",
    383: "quoted post (edge), counts, next header",
    407: "quoted post (edge), counts, 'Reposted by', header",
    433: "quoted post (edge), counts, 'Reposted by', header",
    467: "counts, sign-in and trending sidebar, footer"})

# ================================================================ X / Twitter web (twitter.com / x.com pages)
N = "es_twitter_k4rliky_replies"
SPECS[N] = [T("A", "thread", [(16, 19), (35, 36)]), post("B", 47, 47), post("C", 58, 58), post("D", 69, 69),
            post("E", 79, 79)]
NOTES[N] = ("Visible text of a saved twitter.com conversation page (logged-out 2022 UI, tweets from Nov 2017, Spanish), "
            "a link-preview library's test fixture, titled 'Thread': @k4rliky's photo tweet (mentions on their own "
            "lines are part of it) and his own reply under it continue one self-thread of 2 unnumbered parts (A: "
            "16-19, 35-36); the replies by others and his answers to other people are posts (B-E). 'Translate Tweet', "
            "the tagged-people line, date, counts, 'Replying to ... and 4 others' lines, 'Show replies', the "
            "relevant-people box with the author's bio, trends and footer are chrome.")
UNLABELLED[N] = [(1, 15, "sign-up banner, cookie notice, nav, 'Thread', 'Conversation', author name and handle"),
                 (20, 34, "'Translate Tweet', tagged people, date, counts, reply header, 'Replying to ...'"),
                 (37, 46, "counts, reply header, 'Replying to ...'"), (48, 57, "counts, reply header, 'Replying to ...'"),
                 (59, 68, "counts, 'Show replies', reply header, 'Replying to ...'"),
                 (70, 78, "counts, reply header, 'Replying to ...'"),
                 (80, 112, "counts, sign-up box, relevant-people box with the author's bio, trends, footer")]

N = "es_x_kiko_profile_posts"
SPECS[N] = [post("A", 33, 35), post("B", 45, 45), post("C", 54, 54)]
NOTES[N] = ("Visible text of a saved x.com profile page (@Kikobeats, logged out, 2025 UI), a link-preview library's test "
            "fixture: three posts, each its own post: the pinned one (English, its mention on its own line is part "
            "of it; the 'microlink.io' card domain closing it is an edge), one in Spanish, one English post quoting "
            "@rauchg whose quoted text is not shown ('Quote', header, 'Replying to @rauchg': edge chrome). Profile "
            "box, 'Pinned', headers, counts and footer are chrome. Mixed Spanish/English.")
UNLABELLED[N] = [(1, 32, "sign-up banner, cookie notice, profile box (name, bio, counters), tabs, 'Pinned', header"),
                 (36, 44, "link-card domain closing A (edge), counts, header"), (46, 53, "counts, header"),
                 (55, 81, "quoted post header without text (edge), counts, sign-up box, footer")]

N = "zh_twitter2021_home_posts"
SPECS[N] = [post("A", 23, 23), post("B", 36, 36), post("C", 44, 44), post("D", 59, 59), post("E", 69, 69),
            post("F", 76, 76)]
NOTES[N] = ("Visible text of a saved twitter.com home timeline (logged-in 2021 React UI, June 2021), a parser's test "
            "fixture: six tweets, each its own post: two Chinese tweets (@wangzhian8848 quoting his own earlier "
            "tweet, @mranti), three English tweets retweeted by Michael Anti ('Michael Anti Retweeted' is chrome; "
            "Natalia Antonova's quotes another tweet) and a promoted tweet. Quoted tweets, the link card and the "
            "video card at the end of posts are edges; nav, composer, counts, 'Show this thread', trends, "
            "who-to-follow and topics boxes are chrome. Mixed Chinese/English.")
UNLABELLED[N] = [(1, 22, "nav, account switcher, composer, 'Your Home Timeline', header"),
                 (24, 35, "quoted tweet (edge), counts, 'Michael Anti Retweeted', header"),
                 (37, 43, "counts, 'Michael Anti Retweeted', header"),
                 (45, 58, "quoted tweet and 'Show this thread' (edge), counts, 'Retweeted', header"),
                 (60, 68, "link card (edge), counts, header"), (70, 75, "counts, header, 'Promoted'"),
                 (77, 120, "video time, card (edge), counts, trends, who-to-follow and topics boxes, footer")]

# ================================================================ Mastodon export (toot as a Hugo Markdown page)
N = "en_mastodon_blower_post"
SPECS[N] = [post("A", 9, 22)]
NOTES[N] = ("A Mastodon toot by @geton@theblower.au (an instance admin's public announcement) exported to a Hugo Markdown "
            "page by a toot-archiving tool, its test artefact: YAML front matter (date, title, description, toot_url), "
            "the toot (one post; its '1\\.'-'4\\.' list is text), and a closing '[Original post on the Fediverse](...)' "
            "source link (chrome).")
UNLABELLED[N] = [(1, 8, "YAML front matter"), (23, 23, "'Original post on the Fediverse' source link")]

# ================================================================ Readwise exports (Obsidian vault)
_RWH = "title, cover image, metadata block, '## Highlights'"

N = "en_readwise_isenberg_posts"
SPECS[N] = [post("A", 12, 12), post("B", 13, 16), post("C", 18, 18), post("D", 20, 20), post("E", 21, 21),
            post("F", 22, 22), post("G", 23, 24), post("H", 25, 28), post("I", 29, 35), post("J", 36, 36),
            post("K", 37, 39), post("L", 40, 42), post("M", 43, 45, also=[[47, 49], [51, 53]])]
NOTES[N] = ("Readwise export of a 'Tweets from GREG ISENBERG' document in an Obsidian vault: 13 separate tweets, one "
            "'- ' list item each (continuation lines indented), each its own post. A later sync appended two '## New "
            "highlights added June 15, 2026 at 6:59 PM' sections that paste the last tweet again, twice (47-49, "
            "51-53, byte-identical to 43-45): post M is labelled once, with the two re-pastes as its `also` spans. "
            "Media-only lines closing a tweet ('![](…) ([View Tweet](…))') are edges; numbered lines inside tweets are "
            "text.")
UNLABELLED[N] = [(1, 11, _RWH), (17, 17, "media-only line closing B"), (19, 19, "media-only line closing C"),
                 (46, 46, "'## New highlights added' heading"), (50, 50, "'## New highlights added' heading")]

N = "en_readwise_aakash_posts"
_ak = [(17, 17), (19, 20), (21, 23), (24, 24), (26, 26), (27, 31), (32, 34), (35, 38), (39, 40), (42, 48), (49, 54),
       (55, 57), (58, 59), (60, 62), (63, 64), (65, 66), (67, 68), (70, 71), (72, 73)]
SPECS[N] = ([T("A", "thread", [(1, 12, 16)], total=16, missing=range(2, 17))] +
            [post(key(i + 1), a, b) for i, (a, b) in enumerate(_ak)])
NOTES[N] = ("Readwise export of a 'Tweets from Aakash Gupta' document: 20 separate tweets, one '- ' item each, with two "
            "'## New highlights added' sections. The first item is the opening tweet of a thread ('... A THREAD / "
            "1/16 https://t.co/…'): only 1/16 was saved, so it is a thread with total 16 and parts 2-16 missing (the "
            "trailing '1/16' marker belongs to it). The other 19 are posts; their numbered lists and timestamps "
            "('3:25 - …') are text. Media-only lines closing a tweet are edges.")
UNLABELLED[N] = [(1, 11, _RWH), (18, 18, "media-only line closing B"), (25, 25, "media-only line closing E"),
                 (41, 41, "'## New highlights added' heading"), (69, 69, "'## New highlights added' heading")]

N = "en_readwise_scrum_thread"
SPECS[N] = [T("A", "thread", [(12, 14), (15, 17), (18, 23), (24, 28), (29, 31), (32, 34), (35, 37), (38, 40),
                              (41, 50), (51, 55), (56, 58), (59, 63), (65, 66), (67, 68), (69, 71), (72, 74), (75, 77),
                              (78, 80), (81, 83), (84, 86), (87, 89)])]
NOTES[N] = ("Readwise export of a saved thread ('Why I Don't Use Scrum In...', @SergioRocks): 21 tweets of one "
            "self-thread, one '- ' item each, no markers (unnumbered). The tweet that starts '1. Why -> …' (51-55) is a "
            "numbered list continuing the previous tweet, not a marker; '- 2h for grooming' style lines are list "
            "items inside tweets. The media-only line closing tweet 12 (64) is an edge.")
UNLABELLED[N] = [(1, 11, _RWH), (64, 64, "media-only line closing part 12")]

N = "en_readwise_cardiologist_thread"
SPECS[N] = [T("A", "thread", [(1, 16, 22, "inferred"), (2, 26, 32), (3, 36, 48), (4, 52, 60), (5, 64, 74)], total=5)]
NOTES[N] = ("Readwise Reader 'Full Document' export of a thread (@afshineemrani): title, cover, metadata whose Summary "
            "field repeats the first tweet (9-12, metadata: unlabelled), then the thread with '---' between tweets. "
            "Tweet 1 has no marker (n=1 inferred); tweets 2-5 start with a '2/5'..'5/5' marker line (part of the "
            "tweet; total 5). The closing Substack link card after the last separator (78) is an edge.")
UNLABELLED[N] = ([(1, 15, "title, cover image, metadata block (Summary repeats tweet 1), '## Full Document'")] +
                 [(ln, ln, "'---' separator") for ln in (24, 34, 50, 62, 76)] +
                 [(78, 78, "link card after the thread (edge)")])

N = "en_readwise_hiddenfeatures_thread"
_hf = [(1, 19, 23), (2, 29, 33), (3, 37, 43), (4, 47, 55), (5, 59, 63), (6, 67, 71), (7, 75, 79), (8, 83, 88),
       (9, 94, 96), (10, 102, 106), (11, 110, 114), (12, 118, 122), (13, 128, 130), (14, 134, 140), (15, 146, 150)]
SPECS[N] = [T("A", "thread", [(0, 13, 15, "inferred", {"alt_n": {str(i): 1 for i in range(13, 16)}})] + _hf +
              [(16, 154, 156, "inferred")])]
NOTES[N] = ("Readwise Reader 'Full Document' export of a 17-tweet thread (@bcherny, Claude Code features): metadata, then "
            "an unnumbered opening tweet, tweets '1/'..'15/' (inline prefix markers; no total), and an unnumbered "
            "closing tweet, '---' between tweets. n follows the markers: the opening tweet, which precedes '1/', is "
            "numbered 0 (inferred; 1 also accepted through alt_n, since a tool may number it 1), the closing one 16 "
            "(inferred). Image lines closing tweets are edges; Reader cut several tweets short (text ends mid-sentence), "
            "kept as is; the link text in tweet 14 ('[code.claude.com/docs/…](…)') is part of it.")
UNLABELLED[N] = ([(1, 12, "title, cover image, metadata block, '## Full Document'")] +
                 [(ln, ln, "'---' separator") for ln in (17, 27, 35, 45, 57, 65, 73, 81, 92, 100, 108, 116, 126, 132,
                                                          144, 152)] +
                 [(ln, ln, "image line closing a tweet (edge)") for ln in (25, 90, 98, 124, 142)])

# ================================================================ thread drafts (X and Bluesky)
N = "uk_chorus_bluesky_thread"
SPECS[N] = [T("A", "thread", [(1, 1, 2), (2, 6, 7), (3, 11, 12), (4, 16, 17)])]
NOTES[N] = ("Ukrainian Bluesky thread draft for an open-source launch (the project's announcement folder): four posts "
            "with 'Post n:' label lines (markers, part of the post they number; no total), '---' between posts. The "
            "same announcement's X version (uk_chorus_thread) numbers them n/6.")
UNLABELLED[N] = [(ln, ln, "'---' separator") for ln in (4, 9, 14)]

N = "uk_chorus_thread"
SPECS[N] = [T("A", "thread", [(1, 1, 6), (2, 10, 17), (3, 21, 40), (4, 44, 49), (5, 53, 58), (6, 62, 70)], total=6)]
NOTES[N] = ("Ukrainian X thread draft (same launch): six tweets, each opened by an 'n/6' marker on its own line (part "
            "of the tweet; total 6), '---' between tweets; tweet 3 holds two code fences (part of it).")
UNLABELLED[N] = [(ln, ln, "'---' separator") for ln in (8, 19, 42, 51, 60)]

N = "en_hermes_thread"
SPECS[N] = [T("A", "thread", [(1, 1, 5), (2, 7, 10), (3, 12, 17), (4, 19, 29), (5, 31, 38), (6, 40, 42), (7, 44, 47),
                              (8, 49, 53), (9, 55, 61)])]
NOTES[N] = ("English X thread draft (X_THREAD.md of a small open-source tool): nine tweets with Chirr-style inline "
            "prefixes '1/ '..'9/ ' (no total), no separators and no title; tweets hold blank lines, bullet lists, "
            "shell commands and a multi-line python -c snippet (all part of the tweet they sit in); the hashtag "
            "line closes tweet 9.")
UNLABELLED[N] = []

N = "en_scopesettle_thread_posts"
SPECS[N] = [T("A", "thread", [(1, 3, 5), (2, 7, 9), (3, 11, 13), (4, 15, 17), (5, 19, 22)]),
            post("B", 33, 35), post("C", 55, 65), post("D", 69, 78)]
NOTES[N] = ("English launch draft: a five-tweet thread with inline '1/ '..'5/ ' prefixes (no total; hard-wrapped lines), "
            "a note after it, then a 'publishing sequence' of six separate updates written as a numbered list: item 1 "
            "carries a post's exact text in quotes after its bold label (B, lines 33-35, label kept in the span since "
            "it cannot be split off a line), items 2-6 only describe what to post (notes, unlabelled); then two "
            "copy-ready single posts under '## Copy-ready …' headings (C, D). The '1.'-'6.' list numbers separate "
            "posts, they are not thread markers.")
UNLABELLED[N] = [(1, 1, "document title"), (24, 25, "posting note after the thread"),
                 (27, 31, "section heading and publishing instructions"),
                 (36, 51, "publishing-sequence items 2-6 (descriptions of posts, not their text) and asset notes"),
                 (53, 53, "section heading"), (67, 67, "section heading")]

N = "en_saferouter_thread"
SPECS[N] = [T("A", "thread", [(1, 3, 9), (2, 11, 20), (3, 22, 26), (4, 28, 37), (5, 39, 46), (6, 48, 52)])]
NOTES[N] = ("English X thread draft: six tweets, each opened by a bare 'n.' marker on its own line ('1.'..'6.'; part of "
            "the tweet; no total); bullet lists and a '>' quote line inside tweets are text.")
UNLABELLED[N] = [(1, 1, "document heading")]

N = "ko_muin_ready_thread"
SPECS[N] = [T("A", "thread", [(1, 11, 17, "inferred"), (2, 25, 34), (3, 36, 46), (4, 48, 60), (5, 62, 73),
                              (6, 75, 85), (7, 87, 98), (8, 100, 109), (9, 111, 124), (10, 126, 136)], total=10)]
NOTES[N] = ("Korean 'ready to post' X thread (an AI-startup's marketing folder): header notes, the first tweet under a "
            "'## 📝 FIRST TWEET (Hook)' section heading with no number (n=1 inferred), then '**Tweet 2/10**'.."
            "'**Tweet 10/10 (Final + CTA)**' marker lines (part of the tweet; total 10); every tweet is in a code fence "
            "(fences belong to it). The '1.'-'8.' bold list numbers inside tweets 2-9 are text ('10가지' tips, only 8 "
            "numbered: content, not a thread gap). Character-count note, hashtags, posting time, engagement "
            "strategy, metrics and follow-up ideas are notes.")
UNLABELLED[N] = [(1, 9, "title, schedule/goal lines, separator, 'FIRST TWEET' section heading"),
                 (19, 23, "character-count note, separator, 'FULL THREAD' section heading"),
                 (138, 270, "separator, hashtags, posting time, engagement strategy, metrics, follow-up ideas")]


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
