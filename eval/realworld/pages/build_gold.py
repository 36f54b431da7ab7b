#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world PAGES set (copies of
platform web pages: Telegram web, nitter, x.com, Hacker News, Kinja, blogs with comments or embedded
tweets, Naver blog, Tumblr; see SOURCES.md) from the compact specs below and checks them against the dumps in raw/:

  * every span lies inside the file and starts and ends on a non-blank line;
  * spans never overlap (within a thread or across threads);
  * every non-blank line of the dump is either labelled (inside exactly one part span) or
    deliberately unlabelled (inside exactly one UNLABELLED span, each with a reason);
    a line that is both, or neither, is an error.

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing
Adapted from the dev set's build_gold.py (same gold format, conventions and checks)."""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import article, check_and_write, key, post, use  # noqa: E402

use(HERE)


SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}

COMMON = ("Hand reconstruction of a real-world dump (see ../SOURCES.md, 'Gold conventions'). Lines 1-based inclusive. "
          "Unlabelled (not scored): front matter, document headings, author/date header lines, separators, page chrome "
          "(counts, buttons, menus, profile boxes), the drafts' surrounding notes, and debatable edge lines (media-only "
          "lines and quoted posts at the start or end of a post). A marker on its own line belongs to the part it numbers. "
          "score_n false: no marker numbers the parts (numbering not scored). Same conventions as the dev set (realworld-dev).")

# ---------------------------------------------------------------- Telegram web (t.me/s channel page, t.me embeds)
N = "ru_telegram_channel_posts"
_tg = [(20, 21), (24, 24), (30, 30), (33, 33), (37, 40), (46, 47), (51, 54), (57, 57), (60, 60), (67, 67), (74, 77),
       (84, 84)]
SPECS[N] = [post(key(i), a, b) for i, (a, b) in enumerate(_tg)]
NOTES[N] = ("Visible text of a saved t.me/s/ channel page (Russian news channel 'Военное обозрение', Feb 2023), a scraper "
            "test fixture: 12 channel posts, each its own post (six of them forwarded from other channels: the "
            "'Forwarded from X' line is chrome). A channel signature line ('@yaremshooter') closing a post is part of "
            "it; the link-preview card under post E (lines 41-43: 'Telegram', channel name, quoted text) is a quoted "
            "post at the end of E, unlabelled. Channel name repeated above each post, '37.2K views07:47' lines, video "
            "durations, 'This media is not supported in your browser', 'VIEW IN TELEGRAM', 'Media is too big' and the "
            "channel info box are chrome.")
UNLABELLED[N] = ([(1, 19, "channel info box (title, handle, counters, description), footer links, header, first "
                  "post's channel name")] +
                 [(22, 23, "views/time; channel name"), (25, 29, "views/time; channel name; video duration and "
                  "media-not-supported chrome"), (31, 32, "views/time; channel name"), (34, 36, "views/time; channel "
                  "name; 'Forwarded from'"), (41, 45, "link-preview card quoting another channel (edge of E); "
                  "views/time; channel name"), (48, 50, "views/time; channel name; 'Forwarded from'"),
                  (55, 56, "views/time; channel name"), (58, 59, "views/time; channel name"),
                  (61, 66, "views/time; channel name; 'Forwarded from'; video chrome"),
                  (68, 73, "views/time; channel name; 'Forwarded from'; video chrome"),
                  (78, 83, "views/time; channel name; 'Forwarded from'; video chrome"), (85, 85, "views/time")])

N = "ru_telegram_voice_post"
SPECS[N] = [post("A", 4, 10)]
NOTES[N] = ("Visible text of a saved t.me single-post embed (Russian, 2018): a forwarded voice-message post; the text "
            "(a list of topics and two contact handles) is the post. Channel name, 'Forwarded from', the voice "
            "duration, views/time and date are chrome.")
UNLABELLED[N] = [(1, 3, "channel name, 'Forwarded from', voice duration"), (11, 12, "views/time, date")]

N = "ru_telegram_photo_post"
SPECS[N] = [post("A", 5, 9)]
NOTES[N] = ("Visible text of a saved t.me single-post embed (Russian news channel, 2023): video chrome, then the post "
            "(text, hashtag line and the channel's '@anna_news' signature line, all part of it), then views/time/date.")
UNLABELLED[N] = [(1, 4, "channel name, video duration, media-not-supported chrome"), (10, 11, "views/time, date")]

N = "ru_telegram_file_post"
SPECS[N] = [post("A", 5, 5)]
NOTES[N] = ("Visible text of a saved t.me single-post embed (Russian, 2022): a forwarded post with a PDF attachment. "
            "The file name and size lines (3-4) are a media edge at the start of the post, unlabelled; the caption "
            "(line 5) is the post.")
UNLABELLED[N] = [(1, 4, "channel name, 'Forwarded from', attached file name and size (media edge)"),
                 (6, 7, "views/time, date")]

N = "ru_telegram_poll_post"
SPECS[N] = [post("A", 2, 9)]
NOTES[N] = ("Visible text of a saved t.me single-post embed (Russian, 2023): a poll post. The question and the three "
            "answer options are the post; 'Anonymous Poll' and the percentages lie inside its span (the poll as "
            "displayed). Channel name and 'voters/views/time' and date lines are chrome.")
UNLABELLED[N] = [(1, 1, "channel name"), (10, 11, "voters/views/time, date")]

# ---------------------------------------------------------------- X / Twitter pages (nitter, x.com)
N = "en_nitter_profile_posts"
_nt = [20, 28, 38, 45, 55, 64, 74, 81, 90, 99, 110, 119, 131, 138, 148, 158, 169, 176, 184, 193]
SPECS[N] = [post(key(i), ln, ln) for i, ln in enumerate(_nt)]
NOTES[N] = ("Visible text of a saved nitter profile timeline (@DGNSREKT, 2020), a scraper test fixture: a pinned tweet, "
            "the account's own tweets and many retweets, each its own post (20). Quoted tweets under a post "
            "(k3tan, QTRResearch, zosegal, an unavailable one), link cards (title/description/domain) and video "
            "attributions below a tweet are edge lines, unlabelled. '<Name> retweeted', name/handle/date headers, "
            "count lines, 'Show this thread', 'Enable hls playback', 'Load more' and the profile box are chrome.")
UNLABELLED[N] = ([(1, 19, "profile box, tabs, 'Pinned Tweet', header"), (21, 27, "counts, 'Show this thread', "
                  "'retweeted', header"), (29, 37, "quoted tweet (edge of B), counts, header"),
                  (39, 44, "counts, header"), (46, 54, "video attribution, counts, header"),
                  (56, 63, "video attribution, counts, header"), (65, 73, "link card (edge of F), counts, header"),
                  (75, 80, "counts, header"), (82, 89, "quoted tweet (edge of H), counts, header"),
                  (91, 98, "link card (edge of I), counts, header"), (100, 109, "link card (edge of J), counts, header"),
                  (111, 118, "unavailable quoted tweet, counts, 'Show this thread', header"),
                  (120, 130, "quoted tweet (edge of L), 'Show this thread', counts, header"),
                  (132, 137, "counts, header"), (139, 147, "video chrome, counts, 'Show this thread', header"),
                  (149, 157, "link card (edge of O), counts, header"), (159, 168, "video chrome, counts, header"),
                  (170, 175, "counts, header"), (177, 183, "counts, header"), (185, 192, "video chrome, counts, header"),
                  (194, 198, "counts, 'Show this thread', 'Load more'")])

N = "en_xcom_article_page"
SPECS[N] = [article(N, "A", 16, 126)]
NOTES[N] = ("Visible text of a saved x.com page (Jan 2026 UI) showing an X Article (long-form post) by @arscontexta: one "
            "article whose parts are its lines (paragraphs, section headings, list items, code-block language labels "
            "'markdown'/'json' and the closing sign-off 'heinrich'). The article title (line 11) is a document title; "
            "the logged-in UI chrome, counts above and below, the date/views line, 'Post your reply', 'Relevant "
            "people', 'Trending' and the drag-and-drop hint are chrome.")
UNLABELLED[N] = [(1, 15, "x.com chrome, author name/handle, article title, counts"),
                 (127, 158, "date/views, counts, reply box, 'Relevant people', trending sidebar")]

# ---------------------------------------------------------------- forum pages with comments
N = "en_hn_ask_comments"
_hn = [(5, 6), (8, 14), (17, 20), (23, 23), (26, 27), (30, 31), (34, 39), (42, 42), (45, 46), (49, 50), (53, 55),
       (58, 58), (61, 62), (65, 65), (68, 68), (71, 71), (74, 75), (78, 79), (82, 84), (87, 89), (92, 92), (95, 97),
       (100, 101), (104, 105), (108, 109), (112, 112), (115, 116), (119, 121), (124, 129), (132, 133), (136, 136),
       (139, 139), (142, 142), (145, 146), (149, 149), (152, 153), (156, 156), (159, 159), (162, 163), (166, 167),
       (170, 170), (173, 176), (179, 179), (182, 183), (186, 186), (189, 190), (193, 194), (197, 199), (202, 205),
       (208, 208), (211, 212), (215, 216), (219, 222), (225, 225), (228, 230), (233, 233), (236, 240), (243, 247),
       (250, 255), (258, 260), (263, 263), (266, 269), (272, 272), (275, 275), (278, 279), (282, 285), (288, 289),
       (292, 294), (297, 298), (301, 303), (306, 307), (310, 310), (313, 313), (316, 316), (319, 319), (322, 323),
       (326, 328), (331, 333), (336, 337), (340, 341), (344, 345), (348, 350), (353, 355), (358, 360), (363, 365),
       (368, 369), (372, 372), (375, 375), (378, 379), (382, 383), (386, 388), (391, 392), (395, 395), (398, 400),
       (403, 403), (406, 406), (409, 409), (412, 412), (415, 416), (419, 419), (422, 422)]
SPECS[N] = [post(key(i), a, b) for i, (a, b) in enumerate(_hn)]
NOTES[N] = ("Visible text of a saved Hacker News 'Ask HN' page (2023): the question post (A, its body; the title line "
            "is a document title) and 100 comments and replies, each its own post (a reply to a comment is its own "
            "post too). Each comment is the run of lines between its header ('user 1 day ago | parent | next [–]') "
            "and its 'reply' link; footnote/URL lines inside a comment belong to it. Headers, 'reply' links and the "
            "footer are chrome.")
UNLABELLED[N] = ([(1, 4, "site menu, question title, points/author header")] +
                 [(b + 1, a2 - 1, "'reply' link and next comment header") for (_, b), (a2, _) in zip(_hn, _hn[1:])] +
                 [(423, 424, "'reply' link, footer")])

N = "en_lifehacker_kinja_comments"
_lh = [196, 220, (244, 245), 270, 294, 318, 342, (366, 367), (391, 392), 416, (440, 443), 467]
_lh = [x if isinstance(x, tuple) else (x, x) for x in _lh]
SPECS[N] = [article(N, "A", 105, 167)] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_lh)]
NOTES[N] = ("Visible text of a saved Lifehacker (Kinja platform, 2015) article page with its discussion: the article "
            "(A, parts are its lines: paragraphs, section headings, list items, and the inline 'related post' cards "
            "inside it, which are text of the page between paragraphs) and 12 comments/replies, each its own post. "
            "The related-post card closing the article (168-169) and the photo credit (170) are edge lines, "
            "unlabelled. Comment 'Make a List of Everything...' (line 269) quotes an article heading at the start of "
            "comment E: an edge quote, unlabelled. Kinja menus, author boxes, Edit/Delete/Share/Flag buttons, like "
            "counts with 'Reply', 'Flagged' and the footer are chrome.")
UNLABELLED[N] = ([(1, 104, "Kinja menus, trending list, author box, tags, date, share buttons"),
                  (168, 195, "closing related-post card, photo credit, counts, discussion header, comment header/buttons")] +
                 [(b + 1, a2 - 1, "counts/'Reply', 'Flagged', next comment header and buttons")
                  for (_, b), (a2, _) in zip(_lh, _lh[1:]) if a2 != 270] +
                 [(246, 269, "counts/'Reply', 'Flagged', next comment header and buttons; quoted article heading "
                   "at the start of comment E"), (468, 483, "counts/'Reply', 'Flagged', discussion links, footer")])

# ---------------------------------------------------------------- blog pages with comments / embedded tweets
N = "de_internetlaw_blog_comments"
_il = [(14, 14), (16, 16), (18, 19), (21, 24), (26, 26), (28, 28), (30, 31), (33, 34), (36, 36), (38, 38), (40, 48),
       (50, 51), (53, 53), (55, 57), (59, 60), (62, 62), (64, 64), (66, 66), (68, 73), (75, 80), (82, 82), (84, 85),
       (87, 89), (91, 94), (96, 98), (100, 104), (106, 107), (109, 112), (114, 115), (117, 121), (123, 131),
       (133, 133), (135, 135), (137, 142), (144, 144)]
SPECS[N] = [article(N, "A", 5, 10)] + [post(key(i + 1), a, b) for i, (a, b) in enumerate(_il)]
NOTES[N] = ("Visible text of a saved German law blog post (internet-law.de, 2011) with its 35 comments: the article (A, "
            "its six paragraphs) and each comment as its own post. The byline of each comment comes AFTER its text "
            "('Comment by NAME — 17.07, 2011 @ 13:04'): a trailing header, unlabelled; a comment is the run of lines "
            "between two bylines. Quoted lines ('>> ...') inside a comment belong to it. Blog header, title, date, "
            "'posted by', comment counts, the comment form, sidebar, archive list and imprint footer are chrome.")
UNLABELLED[N] = ([(1, 4, "blog name, tagline, date, title"), (11, 13, "'posted by', comment counts")] +
                 [(b + 1, a2 - 1, "comment byline (after the comment)") for (_, b), (a2, _) in zip(_il, _il[1:])] +
                 [(145, 472, "last byline, comment form, sidebar, archive list, imprint footer")])

N = "de_spreeblick_blog_comment"
SPECS[N] = [article(N, "A", 18, 26), post("B", 32, 33)]
NOTES[N] = ("Visible text of a saved German blog post (Spreeblick, 2006) with one comment: the article (A, its "
            "paragraphs) and the comment (B). Title, tags, author/date line, comment count and number, the "
            "commenter's name, the comment's date/'Antworten' line and the long sidebar are chrome.")
UNLABELLED[N] = [(1, 17, "menus, social links, comment count badge, title"),
                 (27, 31, "tags, author/date, comment count, comment number, commenter name"),
                 (34, 135, "comment date/'Antworten', sidebar lists, footer")]

N = "de_basicthinking_tweets_article"
SPECS[N] = [article(N, "A", 31, 117), post("B", 147, 147)]
NOTES[N] = ("Visible text of a saved German tech-blog article (BASIC thinking, Dec 2018) about twelve users' most "
            "successful tweets: it embeds their tweets (each tweet text followed by its '— Name (@handle) date' "
            "attribution). Following the dev set's convention (an article's parts are its paragraphs, quoted tweets "
            "inside it included), the embedded tweets are parts of the one article A, not separate posts; the "
            "numbered headings '1. Peter Wittkamp, ...'..'11. ...' number a list, not a thread. B: the one reader "
            "comment. Title, date, comment count, photo caption, byline, 'Auch interessant' links, author box, "
            "comment form, job ads and footer are chrome.")
UNLABELLED[N] = [(1, 30, "menus, category, title, date, comment count, photo caption, byline"),
                 (118, 146, "related links, job box, share, author box, comment count, commenter name/date"),
                 (148, 232, "'Antworten', comment form, job ads, newsletter, footer, cookie notice")]

# ---------------------------------------------------------------- blog platforms (Naver blog, Tumblr)
N = "ko_naver_blog_article"
SPECS[N] = [article(N, "A", 24, 53)]
NOTES[N] = ("Visible text of a saved Naver blog post (Korean, 2023): one article whose parts are its paragraphs "
            "(including the 'previous post' link line, the '참고' references heading and lines, and the closing "
            "hashtag line). Lines holding only U+200B are blank. The image credit and figure caption before the text "
            "(20, 22) are media edge lines; the blog menus, title, author/date, font and share buttons, tag chip, "
            "'like'/comment counts, blog owner box and the JSON blob are chrome.")
UNLABELLED[N] = [(1, 22, "blog menus, title, author/date, buttons, image credit and figure caption"),
                 (54, 75, "tag chip, like/comment counts, blog owner box, category list, JSON blob, footer")]

N = "en_tumblr_nib_post"
SPECS[N] = [post("A", 3, 3)]
NOTES[N] = ("Visible text of a saved Tumblr post page (thenib, 2020): a comic post whose only text is its caption "
            "'Niccolo Pizarro.' (A). Date, 'Via thenib.com' source line, tags, note count and the long notes list "
            "('X reblogged this from Y', 'X liked this') are chrome.")
UNLABELLED[N] = [(1, 2, "blog menu"), (4, 61, "date, source, tags, notes count, notes list, theme footer")]

N = "en_tumblr_minecraft_post"
SPECS[N] = [post("A", 4, 64)]
NOTES[N] = ("Visible text of a saved Tumblr text post (Minecraft News, 2014): the post title (line 3) is a document "
            "title, unlabelled; the post is the change list ('+ Added ...', '* ...', '- Removed Herobrine'). Blog "
            "name, 'Powered by Tumblr', pager and the link sidebar are chrome.")
UNLABELLED[N] = [(1, 3, "blog name, 'Powered by Tumblr', post title"), (65, 78, "pager, link sidebar")]

if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
