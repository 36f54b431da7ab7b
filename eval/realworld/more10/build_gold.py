#!/usr/bin/env python3
"""Writes the hand-made gold files (gold/NAME.txt.gold.json) of the real-world MORE10 set (eval/realworld/more10:
output files of tools that export or save social-media posts: tweet-to-Markdown example notes, saved X tweet HTML
fixtures turned into visible text, and exporter READMEs that quote example outputs; see SOURCES.md) from the compact
specs below and checks them against the dumps in raw/ (the helpers and the checks: ../goldspec.py).

Usage:  python3 build_gold.py            check and write gold/
        python3 build_gold.py --review   also print each part's first/last line and every
                                         unlabelled span with its text, for human review
        python3 build_gold.py --check    check only, write nothing"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from goldspec import DRAFT_AND_PAGE_CONVENTIONS, check_and_write, doc, dump_lines, gaps, post, use  # noqa: E402

use(HERE)

SPECS, NOTES, UNLABELLED, NEARDUP = {}, {}, {}, {}
COMMON = DRAFT_AND_PAGE_CONVENTIONS

# Lines of a README that are markup, not text: '---' rules (also the YAML fence delimiters and the '---' lines inside
# quoted example outputs) and HTML comments such as '<!-- markdown-toc start ... -->'.
MARKUP = r"^(---|<!--.*-->)$"


def expect(name, ln, text):
    """Guard: line ln of the dump starts with text (so a changed dump fails loudly instead of mislabelling)."""
    got = dump_lines(name)[ln - 1]
    assert got.startswith(text), (name, ln, got[:60])


# ================================================================ tweet-to-md example notes (one post each)
N = "en_tweettomd_quote_post"
expect(N, 3, "The choice of which algorithm")
expect(N, 4, "> #### [Tweet by Elon Musk")
SPECS[N] = [post("A", 3, 3)]
NOTES[N] = ("Markdown note of one X post written by tweet-to-md (its examples/ folder): a '#### [Tweet by NAME @handle](url)' "
            "header line (author header, unlabelled), the post text (A, one line), then the quoted post it quotes as a "
            "'> ' block (its own '#### [Tweet by …]' header, text and date/likes line): a quoted post at the end of a post "
            "is a debatable edge, unlabelled as in the dev set's de_nitter_replies; last, the post's own '[time · date · "
            "likes · replies](url)' footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "author header line", 4: "quoted post at the end of A (edge); date/likes footer"})

N = "en_tweettomd_media_post"
expect(N, 3, "My boy finally")
SPECS[N] = [post("A", 3, 3)]
NOTES[N] = ("Markdown note of one X post written by tweet-to-md: author header line, one line of post text (A), four "
            "'[![pic.x.com/…](image)](status url)' image lines closing the post (media-only lines at the end of a post: "
            "edge, unlabelled as the dev set's Readwise media lines), and the date/likes/replies footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "author header line", 6: "media-only image lines at the end of A (edge); "
                                                               "date/likes footer"})

N = "en_tweettomd_paragraphs_post"
expect(N, 3, "Imagine an Atom Scattering")
expect(N, 5, "(detailed scientific visual")
SPECS[N] = [post("A", 3, 5)]
NOTES[N] = ("Markdown note of one X post written by tweet-to-md: author header line, the post's two paragraphs (A, lines 3-5 "
            "with the blank line between them; '(detailed scientific visual depiction below)' is post text, its image "
            "is not in the note), and the date/likes/replies footer (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "author header line", 7: "date/likes footer"})

# ================================================================ saved X tweet HTML fixtures (visible text)
N = "en_tweetyoink_x_post"
expect(N, 3, "Democrat Shutdown Jeopardizes")
expect(N, 5, "From whitehouse.gov")
SPECS[N] = [post("A", 3, 3)]
NOTES[N] = ("Visible text (visible_text.py) of a saved X tweet article element, an anonymized scraper test fixture: display "
            "name and @handle lines (header), the tweet text (A), then its link card (the card title repeating the text, "
            "'From whitehouse.gov': a link card at the end of a post is an edge line, unlabelled), the time line, '·', "
            "view count and 'Views', and the bare reply/repost/like/bookmark counts (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "display name and handle header", 4: "link card at the end of A (edge); time, "
                                                                           "view and engagement counts"})

N = "en_tweetyoink_quote_post"
expect(N, 5, "This is a quote tweet")
expect(N, 6, "Quote")
SPECS[N] = [post("A", 5, 5)]
NOTES[N] = ("Visible text of a saved X quote-tweet element (scraper test fixture with placeholder names): name, @handle, '·', "
            "relative time (header), the quoting post's text (A), then the visually hidden 'Quote' label and the quoted "
            "post (its own name/handle/time header and text): a quoted post at the end of a post, unlabelled (edge); bare "
            "counts last (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "name, handle, time header", 6: "'Quote' label and the quoted post at the end of "
                                                                      "A (edge); engagement counts"})

N = "en_tweetyoink_quotevideo_post"
expect(N, 5, "How to share Example.com links")
expect(N, 11, "How to share Example.com links?")
SPECS[N] = [post("A", 5, 5)]
NOTES[N] = ("Visible text of a saved X quote-tweet element with a quoted video post (scraper test fixture, placeholder "
            "names): header lines, the quoting post's one-line text (A), then 'Quote' and the quoted post (header and a "
            "longer text that begins with the same words: a quoted post, not a re-pasted part, so no near_duplicates), "
            "unlabelled as an edge; counts last (chrome).")
UNLABELLED[N] = gaps(N, SPECS[N], {1: "name, handle, time header", 6: "'Quote' label and the quoted post at the end of "
                                                                      "A (edge); engagement counts"})

# ================================================================ exporter READMEs quoting example outputs (one article each)
_README = ("The '# …' title line is unlabelled (document title); every other non-blank line is a part of the one article: "
           "prose, badges, headings, lists, tables and the fenced command blocks and example outputs it quotes (quoted "
           "posts inside an article belong to the article, as in the dev set's de_blog_nothread_article). '---' rules, "
           "including the '---' lines inside quoted YAML or example Markdown, and HTML comments are markup, unlabelled "
           "(not scored). Not a thread and not a set of posts.")
_RG = {1: "document title", 2: "'---' rule or HTML comment (markup)"}

N = "en_tg2md_readme_article"
SPECS[N] = [doc(N, "A", 3, sep=MARKUP)]
NOTES[N] = ("English README of tg2md (a CLI turning a Telegram channel export into Markdown articles): one article with "
            "quick-start commands, an example Astro front matter of a converted post (title/description of a Russian "
            "channel post), a formatting table, the output folder tree and CLI options. " + _README)
UNLABELLED[N] = gaps(N, SPECS[N], _RG)

N = "ru_tg2md_readme_article"
SPECS[N] = [doc(N, "A", 3, sep=MARKUP)]
NOTES[N] = ("Russian README of tg2md (same tool, Russian text): one article, the same sections as the English README "
            "with the example front matter of a converted channel post. " + _README)
UNLABELLED[N] = gaps(N, SPECS[N], _RG)

N = "en_tgchat2md_readme_article"
expect(N, 74, "```markdown")
SPECS[N] = [doc(N, "A", 3, sep=MARKUP)]
NOTES[N] = ("English README of a Telegram chat-JSON-to-Markdown converter: features, usage, export steps, the output "
            "format and an 'Example Output' fence holding a made-up converted chat (a details table, 'Alice' and 'Bob' "
            "messages with a reply quote); closing 'License' section. The example messages are quoted inside the "
            "document: parts of the article, not posts of their own. " + _README)
UNLABELLED[N] = gaps(N, SPECS[N], _RG)

N = "en_mastoarchive_readme_article"
expect(N, 33, "<!-- markdown-toc start")
SPECS[N] = [doc(N, "A", 3, sep=MARKUP)]
NOTES[N] = ("English README of mastodon-archive (a Mastodon archiver with text/HTML export): one long article whose "
            "sections are level-1 '# …' headings (section headings inside the document, parts like any other line), a "
            "table of contents between two HTML comments (markup, unlabelled), many command fences, and a text-export "
            "example quoting one toot by the author ('Alex Schroeder 🐉 @kensanata …', part of the article). " + _README)
UNLABELLED[N] = gaps(N, SPECS[N], _RG)

N = "en_masto2md_readme_article"
SPECS[N] = [doc(N, "A", 3, sep=MARKUP)]
NOTES[N] = ("English README of mastodon-to-markdown (a CLI exporting Mastodon posts to Markdown): one article with "
            "features, installation, configuration YAML, commands, option tables, an example output template (a Go "
            "text/template whose '---' line is markup) and usage examples. " + _README)
UNLABELLED[N] = gaps(N, SPECS[N], _RG)

N = "zh_xdownloader_readme_article"
expect(N, 96, "## 📋 输出 Markdown 示例")
SPECS[N] = [doc(N, "A", 3, sep=MARKUP)]
NOTES[N] = ("Chinese README of X Downloader (saves X posts and X Articles as Markdown): one article with a feature table, "
            "install and usage commands, the output folder tree, supported URL forms, and '## 📋 输出 Markdown 示例' "
            "with two fenced example outputs (a post note with a placeholder body '推文正文内容...' and an article note), "
            "then technical notes and agent-skill steps. The example outputs are quoted inside the document: parts of the "
            "article. " + _README)
UNLABELLED[N] = gaps(N, SPECS[N], _RG)


if __name__ == "__main__":
    ok = check_and_write(SPECS, NOTES, UNLABELLED, NEARDUP, COMMON, "--review" in sys.argv,
                         write="--check" not in sys.argv)
    sys.exit(0 if ok else 1)
