#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE14 set (eval/realworld/more14:
blog and Substack pages with their comments, two Reddit comment pages, a Japanese blog article quoting tweets, a
Discord message kept as Markdown, and news pages in German, Portuguese, Spanish, French and Japanese; see SOURCES.md)
from the compact specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import (DRAFT_AND_PAGE_CONVENTIONS, T, after_each, art, check_and_write, comments, doc, dump_lines,  # noqa: E402
                      gaps, key, post, posts, use)

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS

# A Reddit comment's time line ('· 3 yr. ago', '[deleted]' above it, 'Comment deleted by user · 4 yr. ago',
# '· 4 yr. ago · edited 4 yr. ago').
REDDIT_TIME = re.compile(r"^(.*)· \d+ (yr|mo|days?|hr)\.? ago( · edited .*)?$")


def reddit_comments(name, first, last):
    """Spans of the comments of a saved new-Reddit page between lines first..last: a comment's text runs from the line
    after its time line (after the award-count lines, bare integers, that may follow it) to the line above its vote
    count, which is the line above 'Share'. A time line with no 'Share' before the next comment is a deleted or
    removed comment with no text (no span)."""
    lines = dump_lines(name)
    out = []
    for t in range(first, last + 1):
        if not REDDIT_TIME.match(lines[t - 1].strip()):
            continue
        a = t + 1
        while re.match(r"^\d+$", lines[a - 1].strip()):
            a += 1
        j = a
        while j <= last and lines[j - 1].strip() != "Share" and not REDDIT_TIME.match(lines[j - 1].strip()) \
                and not lines[j - 1].strip().startswith("level "):
            j += 1
        if j <= last and lines[j - 1].strip() == "Share":
            assert re.match(r"^[\d.]+k?$", lines[j - 2].strip()), (name, j - 1)  # the vote count
            assert j - 2 >= a, (name, t)
            out.append((a, j - 2))
    return out


def pixnet_comments(name, first, last, own):
    """Spans of the comments of a PIXNET blog page between lines first..last, reader comment and author reply apart:
    each comment opens with a '#k NAME 於 DATE' header; its first own[k] lines are the reader's text, the lines after
    them up to the author's 'NAME 於 DATE 回覆' footer are the author's reply (own[k] was read off the page's HTML,
    where the two are separate elements: `post-text` and `reply-text`)."""
    lines = dump_lines(name)
    out = []
    for h in range(first, last + 1):
        m = re.match(r"^#(\d+) .* 於 \d{4}/\d\d/\d\d \d\d:\d\d$", lines[h - 1].strip())
        if not m:
            continue
        n = own[int(m.group(1))]
        out.append((h + 1, h + n))
        f = h + n + 1
        while not re.match(r"^史蒂文的家_藍天 於 .* 回覆$", lines[f - 1].strip()):
            if re.match(r"^#\d+ ", lines[f - 1].strip()) or f > last:
                f = None
                break
            f += 1
        if f and f > h + n + 1:
            out.append((h + n + 1, f - 1))
    return out


# ================================================================ blog pages with comments (saved HTML -> visible text)
N = "en_balloonjuice_blog_comments"
_c = comments(N, 148, 835, r"^\d+\.$", skip_after=2, stop=r"^Reply$")
assert len(_c) == 112, len(_c)
SPECS[N] = [doc(N, "A", 69, 81)] + posts(_c, 1)
NOTES[N] = ("English political blog page (Balloon Juice, 'Schadenfreude Open Thread: GOP / Trumpist Fire Drill', a "
            "mercury-parser test fixture) turned into visible text: slogan rotator, menus, breadcrumb, title, byline with "
            "the comment count, categories and share links (chrome/title), then the post (A, one part per line; the "
            "'/3'..'/11' lines are posts of someone's thread quoted in the blog post, kept inside the article as the dev "
            "set keeps quoted tweets inside an article), share links, previous/next links, the commenter filter with its "
            "list of commenter names, then 112 comments, each under 'N.' / name / 'Month D, YYYY at H:MM pm' header lines "
            "and followed by 'Reply' (B..: one post each; '@Name:' lines that open a reply are its text), then the "
            "comment form, sidebar (recent comments), footer and dialogs (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, slogan rotator, breadcrumb, title, byline, categories, share links",
                                   82: "chrome: share links, previous/next post, commenter filter and names, settings, "
                                       "comment count, first comment's header",
                                   _c[0][1] + 1: "chrome: 'Reply', next comment's number/name/date header",
                                   _c[-1][1] + 1: "chrome: 'Reply', comment form, sidebar, footer, dialogs"})

N = "en_substack_aicode_comments"
SPECS[N] = [doc(N, "A", 12, 16), post("B", 27, 32), post("C", 39, 39)]
NOTES[N] = ("English Substack post page (Marcus on AI, a mercury-parser test fixture) turned into visible text: "
            "publication name, subscribe/sign-in, the title (a quotation) and the one-line subtitle, author, date, "
            "like/comment/restack counts and 'Share' (chrome/title), then the post (A, a short newsletter post, one part "
            "per line), the counts again, 'Discussion about this post', two comments, each under name / '5h' / 'Liked by "
            "Gary Marcus' lines and followed by 'Reply' / 'Share' (B: six paragraphs, C: one line), '3 replies' and "
            "'28 more comments...' (replies not on the page), then footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: publication, subscribe, title, subtitle, author, date, counts, 'Share'",
                                   17: "chrome: counts, 'Share', discussion tabs, commenter name, time, 'Liked by'",
                                   33: "chrome: 'Reply', 'Share', reply count, commenter name, time, 'Liked by'",
                                   40: "chrome: 'Reply', 'Share', '28 more comments...', footer"})

N = "zh_pixnet_camping_blog_comments"
# Lines of each reader comment (the rest, up to the author's '… 回覆' footer, is the author's reply), from the
# page's HTML (`post-text` vs `reply-text`); #12, #18 and #22 are private comments ('悄悄話') with no text.
_own = {1: 1, 2: 5, 3: 3, 4: 5, 5: 5, 6: 8, 7: 1, 8: 1, 9: 1, 10: 3, 11: 1, 13: 8, 14: 2, 15: 1, 16: 2, 17: 1, 19: 6,
        20: 7, 21: 1, 23: 4, 24: 3, 25: 1, 26: 1, 27: 1, 28: 1, 29: 1, 30: 1, 31: 1, 32: 4, 33: 1, 34: 1, 35: 1,
        36: 1, 37: 1, 38: 1, 39: 2, 40: 1, 41: 1, 42: 1}
_c = pixnet_comments(N, 167, 441, _own)
assert len(_c) == 39 + 38, len(_c)
SPECS[N] = [doc(N, "A", 62, 146)] + posts(_c, 1)
NOTES[N] = ("Chinese (Traditional) travel-blog page (PIXNET, a camping trip to the Meishu campsite, a readability test "
            "page) turned into visible text: notification prompt, portal menus with teaser titles, blog header and "
            "menu, date, the title (chrome/title), then the post (A, one part per line: its photo-caption-like lines, "
            "the campsite information box and the closing invitation to the author's fan page are its text), tags, "
            "previous/next and related-post links, the post footer with counts and categories, then 39 visible comments "
            "('#k NAME 於 DATE' header; #12, #18, #22 are private, shown as '悄悄話'): the reader's text is one post, the "
            "blog author's reply under it (up to the 'NAME 於 DATE 回覆' footer) another post (the author's replies to "
            "readers are posts of their own, as in the other parts' comment pages; #40 has no reply), then sidebar lists "
            "and footer (chrome).")
_r = {1: "chrome: notification prompt, portal menus and teasers, blog header, menu, date, title",
      147: "chrome: tags, previous/next and related posts, post footer, categories, comment count, first header"}
_r.update(after_each(_c, "chrome: the author's '… 於 DATE 回覆' footer, '悄悄話' (private comment), next comment's header"))
_r[_c[-1][1] + 1] = "chrome: reply footer, sidebar lists (recent posts, popular posts, categories), footer"
UNLABELLED[N] = gaps(N, SPECS[N], _r)

# ================================================================ Reddit comment pages (saved HTML -> visible text)
N = "en_reddit_dachshund_comments"
_c = reddit_comments(N, 27, 166)
assert len(_c) == 18, len(_c)
SPECS[N] = [post("A", 11, 11)] + posts(_c, 1)
NOTES[N] = ("English Reddit post page (r/HumansBeingBros, a video post, new-Reddit layout saved in 2022, a mercury-parser "
            "test fixture; usernames are not in the page text) turned into visible text: browser notice, menus, "
            "subreddit, 'Posted by3 years ago', 'Archived', the video post's title (A: the post's only text), player "
            "controls, counts and buttons, then 18 visible comments and replies (B..S, one post each), each after 'level "
            "n' and '· 3 yr. ago' lines and before its vote count and 'Share/Report/Save' ('Comment removed by "
            "moderator' has no text), then the community sidebar (chrome).")
_r = {1: "chrome: browser notice, menus, subreddit, 'Posted by', 'Archived'",
      12: "chrome: video player, counts, buttons, sort, first comment's level/time"}
_r.update(after_each(_c, "chrome: vote count, Share/Report/Save, 'Continue this thread', next comment's level/time lines"))
_r[_c[-1][1] + 1] = "chrome: vote count, Share/Report/Save, community sidebar, footer"
UNLABELLED[N] = gaps(N, SPECS[N], _r)

N = "en_reddit_vanilla_comments"
_c = reddit_comments(N, 32, 1640)
assert len(_c) == 173, len(_c)
SPECS[N] = [post("A", 17, 18)] + posts(_c, 1)
NOTES[N] = ("English Reddit post page (r/Showerthoughts, 'Vanilla becoming the default flavour of ice cream…', "
            "new-Reddit layout saved in 2022, a mercury-parser test fixture) turned into visible text: menus, subreddit, "
            "'Posted by' / u/NAME / '4 years ago' / 'Archived' / award count, the post (A: its title and its one-line "
            "'Edit:' text), counts and buttons, a promoted ad, sort controls, then 173 visible comments and replies "
            "(B.., one post each), each after 'level n', the commenter's username, '· 4 yr. ago' and sometimes an award "
            "count (a bare number), and before its vote count and 'Share/Report/Save'; 'Comment deleted by user' / "
            "'[deleted]' entries with no text are chrome; then a promoted ad, the community sidebar, other posts of "
            "the subreddit and footer (chrome).")
_r = {1: "chrome: menus, subreddit, 'Posted by', username, age, 'Archived', award count",
      19: "chrome: counts, buttons, promoted ad, sort, first comment's level/username/time"}
_r.update(after_each(_c, ("chrome: vote count, Share/Report/Save, 'Continue this thread', 'N more replies', "
                          "deleted comments, next comment's level/username/time/award lines")))
_r[_c[-1][1] + 1] = "chrome: vote count, Share/Report/Save, promoted ad, community sidebar, other posts, footer"
UNLABELLED[N] = gaps(N, SPECS[N], _r)

# ================================================================ blog article quoting tweets (saved HTML -> visible text)
N = "ja_takagi_tweets_blog_article"
SPECS[N] = [doc(N, "A", 7, 182)]
NOTES[N] = ("Japanese blog (tDiary) page (高木浩光＠自宅の日記, 2019-02-11, on the amended NICT act; a mercury-parser test "
            "fixture) turned into visible text: diary navigation, blog title, contact and visitor counter, date and the "
            "'■' entry title (chrome/title), then the entry (A, one part per line): it quotes news headlines, a dozen "
            "tweets with their '— NAME (@handle) Month D, YYYY' attribution lines, statute text and book excerpts with "
            "their source lines, and ends with its footnotes *1..*15 (all article lines, as the dev set and the pages "
            "part keep quoted/embedded tweets inside an article), then the TrackBack URL, referrer list, recent titles "
            "and archive links (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: diary navigation, blog title, contact, visitor counter, date, entry title",
                                   183: "chrome: TrackBack URL, referrers, search keywords, navigation, recent titles, "
                                        "archive, footer"})

# ================================================================ a Discord message kept as Markdown
N = "en_extratone_discord_post"
SPECS[N] = [post("A", 4, 12)]
NOTES[N] = ("English Discord message kept as a Markdown note in a writer's drafts repository (David Blue's message in the "
            "MacStories Discord, 'Drafts vs. Obsidian'): a '#' title naming the message and a '- [Share URL](…)' link "
            "(title/header), then the message (A: five paragraphs and a '> ' quotation of a MacStories paragraph in "
            "the middle, which is its text). The file has no final newline.")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "title and share-URL header"})

# ================================================================ news pages (saved HTML -> visible text)
N = "de_tagesschau_news_page"
SPECS[N] = [art(N, "A", [(144, 148), (152, 155), (159, 162), (166, 169), (173, 175)])]
NOTES[N] = ("German news page (tagesschau.de, Ukraine summit in London, 2 March 2025, a mercury-parser test fixture) "
            "turned into visible text: long menus, breadcrumb, the title twice (kicker + title), 'Stand:' date "
            "(chrome/title), then the article (A, one part per line: the bold lead sentence, paragraphs and its section "
            "headings), interrupted by four inline teaser boxes of other articles (date or 'analyse'/'interview' + date, "
            "the teaser's title, its teaser text: unlabelled inline link cards, like the lemonde 'Lire aussi' boxes of "
            "more13), then tags, programme note, share links, 'Mehr zum Thema' teasers and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, breadcrumb, kicker and title, date",
                                   149: "inline teaser box of another article (date, title, teaser text)",
                                   156: "inline teaser box of another article ('analyse', title, teaser text)",
                                   163: "inline teaser box of another article ('interview', title, teaser text)",
                                   170: "inline teaser box of another article (date, title, teaser text)",
                                   176: "chrome: tags, programme note, share links, related teasers, footer"})

N = "pt_folha_news_page"
SPECS[N] = [art(N, "A", [(173, 173), (181, 184), (201, 204)])]
NOTES[N] = ("Portuguese (Brazil) news page (Folha de S.Paulo sport, Tite and the Libertadores cup taken to Lula, December "
            "2018, a readability test page) turned into visible text: long menus, the title (chrome/title), the "
            "one-sentence standfirst (an article line, as the sentence standfirsts of more3/more4), 'Copiar link', a "
            "photo caption with credit (edge line at the article's start), date, audio/font buttons and the 'São Paulo' "
            "dateline (chrome), then the article (A, one part per line), interrupted by an embedded gallery widget ('Os "
            "times de coração dos presidentes', 'Leia Mais', 'Voltar', share buttons: an inline link card, unlabelled), "
            "ending with the source sign-off 'UOL' (its last line), then topics, comments box (no comments), related "
            "links, most-read lists, footer and newsletter dialog (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, title",
                                   174: "chrome: 'Copiar link', photo caption and credit (edge), date, buttons, dateline",
                                   185: "inline gallery widget with share buttons",
                                   205: "chrome: topics, comments box, related links, most read, footer, dialog"})

N = "es_lanacion_news_page"
SPECS[N] = [art(N, "A", [(51, 51), (53, 64)])]
NOTES[N] = ("Spanish (Argentina) opinion page (La Nación, 'Una solución no violenta para la cuestión mapuche', December "
            "2017, a readability test page) turned into visible text: accessibility notice, menus, dollar-rate box, "
            "newsletter prompt, the title (chrome/title), the one-sentence standfirst (article line), the comment count "
            "'0' (chrome), then the column (A, one part per line: the 'Foto: LA NACION' credit between paragraphs and "
            "the authors' one-line biography at the end are its lines), then 'Más sobre …', the comment form notices (no "
            "comments), most-read list and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: notices, menus, dollar rates, newsletter prompt, title",
                                   52: "chrome: comment count",
                                   65: "chrome: related link, comment form notices, most read, footer"})

N = "es_infobae_news_page"
SPECS[N] = [art(N, "A", [(76, 76), (82, 88)])]
NOTES[N] = ("Spanish (Argentina) news page (Infobae, an attack on a gay rugby player, December 2017, a readability test "
            "page) turned into visible text: menus, share buttons, date, section links, the title (chrome/title), the "
            "one-sentence standfirst (article line), two bylines with the journalists' work e-mail lines and a photo "
            "caption at the article's start (chrome/edge), then the article (A, one part per line), then 'LEA MÁS:' with "
            "a link (link card), share buttons and the long lists of other articles' headlines and teasers (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, share buttons, date, sections, title",
                                   77: "chrome: bylines with e-mail lines, photo caption (edge)",
                                   89: "chrome: 'LEA MÁS:' link card, share buttons, headline lists, footer"})

N = "ja_getnews_news_page"
SPECS[N] = [doc(N, "A", 38, 43)]
NOTES[N] = ("Japanese news page (ガジェット通信, the CUTPEN newspaper-clipping pen, April 2019, a mercury-parser test "
            "fixture) turned into visible text: menus, the title, date/source/category line and '-' (chrome/title), "
            "then the article (A, six paragraphs, one part per line), then the date line again, tags, the source's "
            "profile box, share prompts, the disclaimer, series and partner-site lists and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, title, date/source/category line",
                                   44: "chrome: date line, tags, source profile, share prompts, disclaimer, lists, "
                                       "footer"})

N = "fr_liberation_news_page"
_live = [(87, 87), (89, 90), (94, 95), (99, 99), (106, 107), (112, 113), (117, 118), (123, 124), (126, 127),
         (132, 133), (136, 136), (141, 141), (143, 144)]
SPECS[N] = [art(N, "A", [(67, 67), (75, 79)])] + posts(_live, 1)
NOTES[N] = ("French news page (Libération, 'Un troisième Français mort dans le séisme au Népal', AFP, 30 April 2015, a "
            "readability test page) turned into visible text: login links, menus, section, the title, AFP byline and "
            "date, share buttons (chrome/title), a photo caption at the article's start (edge), the one-sentence "
            "standfirst (article line), a 'Sur le même sujet' box of two related articles (inline link cards), the "
            "article's four paragraphs and its 'AFP' sign-off (A, one part per line), newsletter prompt, then the "
            "'Direct' live feed: 'HH:MM headline' lines are links to articles (chrome); an entry with its own text "
            "('HH:MM' line, then a bold kicker such as 'Séisme.' and its text) is a post of the live blog (kicker and "
            "text; a '(photo …)' credit under it is an edge); an embedded tweet (name, @handle, then its text) is a post "
            "of its own (its text; name and handle are its header): B..N; the kicker 'Népal.' above an entry made only "
            "of an embedded tweet is unlabelled. Then most-shared lists, subscription ads, footer (chrome).")
_r = {1: "chrome: login, menus, section, title, byline, share buttons, photo caption (edge)",
      68: "inline 'Sur le même sujet' box (related-article link cards)",
      80: "chrome: newsletter prompt, 'Direct', live-feed headline links, time, embedded tweet's name/handle"}
for _a, _b in _live[:-1]:
    _r[_b + 1] = ("chrome: live-feed headline links ('HH:MM title'), times, '(photo …)' credits, embedded tweets' "
                  "name/handle lines, a lone kicker")
_r[145] = "chrome: live-feed headline links, most-shared lists, ads, footer"
UNLABELLED[N] = gaps(N, SPECS[N], _r)


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
