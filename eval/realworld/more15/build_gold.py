#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE15 set (eval/realworld/more15:
news and blog pages that quote embedded tweets or Instagram posts, in English, German, French and Spanish, a feed
page of short news entries quoting tweets, and a Korean and a Russian (Kazakhstan) news page; see SOURCES.md) from
the compact specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import DRAFT_AND_PAGE_CONVENTIONS, art, check_and_write, doc, gaps, key, use  # noqa: E402

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS

# ================================================================ blog articles quoting tweets (saved HTML -> visible text)
N = "en_gaijinpot_chikan_tweets_blog_article"
SPECS[N] = [art(N, "A", [(11, 11), (13, 246)])]
NOTES[N] = ("English blog page (GaijinPot Blog, 'Tweet of the Week #67: Dealing With Chikan', February 2020, an htmldate "
            "test page) turned into visible text: site menus and the title (chrome/title), the one-sentence standfirst "
            "(an article line), the byline 'By NAME DATE 5 min read' (header), then the article (A, one part per line): "
            "its section headings, three quoted tweets of a Japanese self-thread by @keizi666 (each tweet's lines, its "
            "'つづく' and its '— NAME (@handle) DATE' attribution line), the same tweets again with furigana, the "
            "English translations, and the vocabulary and grammar tables (one cell per line) are all article lines, as "
            "quoted tweets inside an article are in the dev set; then the study-promotion list, topics, author box, "
            "related articles and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: site menus, section, title",
                                   12: "byline (author, date, reading time)",
                                   247: "chrome: study-promotion links, topics, author box, related articles, footer"})

N = "en_thepoke_waddingham_tweets_article"
SPECS[N] = [doc(N, "A", 17, 54)]
NOTES[N] = ("English humour-site page (The Poke, 'Hannah Waddingham is basically in every Christmas ad and people love it "
            "– 17 favourite responses', November 2023, an htmldate test page; page 1 of 2) turned into visible text: "
            "menus, slogan, category, title, byline and 'Share Tweet' (chrome/title), then the article (A, one part per "
            "line): two paragraphs of text around two embedded tweets, then nine embedded tweets numbered '1.'..'9.' "
            "(the numbers number the list of quoted tweets, not the parts: list items of the article), each with its "
            "'— NAME (@handle) DATE' attribution line, all article lines; then 'Article Pages: 1 2', follow counts, "
            "search, trending and latest lists and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, slogan, category, title, byline, share buttons",
                                   55: "chrome: article page numbers, follow counts, search, trending/latest lists, footer"})

# ================================================================ news pages quoting tweets / Instagram posts
N = "de_fr_nordkorea_tweets_news_page"
SPECS[N] = [art(N, "A", [(38, 60), (64, 83)])]
NOTES[N] = ("German news page (Frankfurter Rundschau, Kim Jong Un reappears and Donald Trump is 'glad', a story updated "
            "from 21 April to 4 May 2020, an htmldate test page) turned into visible text: cookie notice, menus, "
            "breadcrumb, title, '5 Kommentare', date, kicker and title (chrome/title), then the article (A, one part per "
            "line): standfirst, three summary bullet lines, the 'Update …' paragraphs with their subheadings, two "
            "embedded tweets (Trump's, and a tweet quoting three headlines, with their attribution lines) and the "
            "closing footnote '*fr.de ist Teil …' (article lines); a photo caption in the middle ('+', caption, "
            "'© picture alliance/dpa') is unlabelled; then picture credit, topics, comment link (the comments are not on "
            "the page) and footer menus (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: cookie notice, menus, breadcrumb, title, comment count, date, kicker, title",
                                   61: "inline photo caption with '+' and credit",
                                   84: "chrome: picture credit, topics, comments link, footer menus"})

N = "de_report24_drohne_tweets_news_page"
SPECS[N] = [doc(N, "A", 84, 105)]
NOTES[N] = ("German news page (Report24, 'So nah kam eine iranische Drohne einem US-Flugzeugträger', 6 November 2023, an "
            "htmldate test page) turned into visible text: menus repeated four times, category, title, date and the "
            "header image's caption 'Bild: …' (chrome/title, the caption an edge line), then the article (A, one part per "
            "line): German paragraphs around four embedded tweets in English (one signed in Hebrew), each with its "
            "'— NAME (@handle) DATE' line, all article lines; then tags, donation appeal, author, latest articles, ads, "
            "newsletter form and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, category, title, date, header image caption (edge)",
                                   106: "chrome: tags, donation appeal, author, latest articles, ads, newsletter, footer"})

N = "en_theweek_speedreads_tweets_news_page"
_e = [(53, 66), (71, 77), (82, 87), (93, 96), (102, 105), (110, 117), (123, 126), (132, 137)]
SPECS[N] = [art(N, key(i), [s]) for i, s in enumerate(_e)]
NOTES[N] = ("English news-feed page (The Week 'Speed Reads', 2 January 2020, an htmldate test page) turned into visible "
            "text: menus, subscription links, the list of the day's Speed Reads (headline links with times) and 'See More "
            "Speed Reads' (chrome), then eight short news items, each under a kicker line ('1 in Fore!', 'bling ring'…), "
            "'Edit', its title and its time (headers), some with a photo credit line first (edge): each item is an "
            "article of its own (A..H, one part per line; the writer's name closes its last paragraph); the tweets "
            "embedded in five of them (text and '— NAME (@handle) DATE' line) are article lines; then 'See More Speed "
            "Reads' and footer links (chrome).")
_r = {1: "chrome: menus, subscription links, Speed Reads headline list with times, first item's kicker/'Edit'/title/time"}
for _a, _b in _e[:-1]:
    _r[_b + 1] = "next item's kicker, 'Edit', title, time, photo credit (edge)"
_r[_e[-1][1] + 1] = "chrome: 'See More Speed Reads', footer links"
UNLABELLED[N] = gaps(N, SPECS[N], _r)

N = "es_elpais_ciencia_tweet_news_page"
SPECS[N] = [art(N, "A", [(154, 154), (168, 191)])]
NOTES[N] = ("Spanish news page (El País / Materia, '¿Ha llegado realmente la Antártida a los 20 grados?', 19 February "
            "2020, an htmldate test page) turned into visible text: long menus, section, kicker and title (chrome/title), "
            "the one-sentence standfirst (article line), share buttons, comments link, byline, date and the opening "
            "photo caption (chrome/edge), then the article (A, one part per line: two photo captions between paragraphs, "
            "an embedded tweet of SMN Argentina with its attribution line, and the closing 'Puede escribirnos a …' line "
            "with the section's work address are its lines), then the Trust Project line, share buttons, tags, related "
            "links, newsletter, ad, most-read lists and the comment login form (no comments) (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, section, kicker, title",
                                   155: "chrome: share buttons, comments link, byline, date, photo caption (edge)",
                                   192: "chrome: Trust Project line, share buttons, tags, related links, newsletter, ad, "
                                        "most-read lists, comment login form"})

N = "fr_sciencesetavenir_rumeur_tweets_news_page"
SPECS[N] = [art(N, "A", [(63, 63), (68, 82)])]
NOTES[N] = ("French news page (Sciences et Avenir, 'Covid-19 et infox : comment une rumeur devient réalité', 14 September "
            "2020, an htmldate test page) turned into visible text: menus, section, title and byline (chrome/title), the "
            "standfirst (article line), 'réagir', the opening photo caption and credit, 'Commenter' (chrome/edge), then "
            "the article (A, one part per line): paragraphs and subheadings around three embedded tweets (Elon Musk, "
            "Donald Trump, Olivier Véran, each with its attribution line: article lines); then tags, related articles, "
            "comment prompt (no comments), most-read lists, newsletter and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, section, title, byline",
                                   64: "chrome: 'réagir', photo caption and credit (edge), 'Commenter'",
                                   83: "chrome: tags, related articles, comment prompt, most-read lists, newsletter, footer"})

N = "de_horizont_instagram_news_page"
SPECS[N] = [art(N, "A", [(29, 29), (55, 56), (58, 60), (62, 66), (68, 71), (74, 75)])]
NOTES[N] = ("German trade-press page (HORIZONT, guest column on the Vreni Frost ruling about Instagram posts, 29 January "
            "2019, an htmldate test page) turned into visible text: menus, author, kicker, title, date (chrome/title), "
            "the standfirst (article line), topic tags, share links, '0 Kommentare' and two 'Mehr zum Thema' boxes of "
            "related articles (link cards, one with its teaser sentence) (chrome), then the column (A, one part per line): "
            "three embedded Instagram posts, each a 'Sieh dir diesen Beitrag auf Instagram an' link (embed chrome, "
            "unlabelled), the post's caption '[Werbung]' (two of them) and its 'Ein Beitrag geteilt von NAME (@handle) am "
            "DATE' attribution line (article lines, like a quoted tweet's), a pull quote (article line) whose "
            "attribution 'Martin Gerecke' and 'Teilen' button are unlabelled, and the closing invitation to discuss; "
            "then the 'Über den Autor' box, tags, newsletter, most-read and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, author, kicker, title, date",
                                   30: "chrome: tags, share links, comment count, 'Mehr zum Thema' related-article boxes",
                                   57: "Instagram embed link 'Sieh dir diesen Beitrag auf Instagram an' (embed chrome)",
                                   72: "pull-quote attribution and 'Teilen' button",
                                   76: "chrome: author box, tags, newsletter, most read, footer"})

# ================================================================ news pages in Korean and Russian
N = "ko_donga_news_page"
SPECS[N] = [doc(N, "A", 237, 253)]
NOTES[N] = ("Korean news page (동아일보, '[CEO&]창의적 열정과 소통, 초일류 시험인증 기업이 간다', a company profile, 24 October 2013, a "
            "goose3 test page) turned into visible text: very long portal menus and section lists, breadcrumb, title, "
            "date and share buttons (chrome/title), the company name as the opening image caption (edge), then the "
            "article (A, one part per line: its '▼ … ▼' subheading and the photo caption '박채규 대표' between paragraphs "
            "are its lines), then the reporter's byline with work e-mail, the comment count line (no comments on the "
            "page), teaser links, ranking lists and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: menus, section lists, breadcrumb, title, date, share buttons, image caption",
                                   254: "chrome: byline with e-mail, comment count, teasers, ranking lists, footer"})

N = "ru_kazinform_news_page"
SPECS[N] = [art(N, "A", [(170, 170), (174, 177)])]
NOTES[N] = ("Russian news page of Kazakhstan's state agency (Kazinform, 'Полностью обеспечить регион мясом птицы намерены в "
            "СКО', 1 December 2020, an htmldate test page) turned into visible text: language switch (қз/ru/en/…), the "
            "agency's phone line, weather and currency rates, menus, special-project list, the news feed ('HH:MM', "
            "headline link, rubric: links to other articles, chrome), title, date, 'Поделиться:' (chrome/title), then the "
            "article (A, one part per line: the 'ПЕТРОПАВЛОВСК. КАЗИНФОРМ –' lead and four paragraphs), interrupted by a "
            "'Новости по теме' box of related links (inline link cards, unlabelled), then channel prompt, tags, author, "
            "comment form (no comments), related lists, the editors on duty with the newsroom's phone and e-mail, "
            "archive calendar and footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "chrome: language switch, phone, weather, rates, menus, news feed, title, date, share",
                                   171: "inline 'Новости по теме' box (related-article links)",
                                   178: "chrome: channel prompt, tags, author, comment form, related lists, editors on "
                                        "duty, archive calendar, footer"})


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
