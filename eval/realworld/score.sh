#!/usr/bin/env bash
# Score a reconstructor on this project's real-world set: pages/ (saved platform pages as visible
# text), notes/ (Markdown and text files people keep), more/ (Bluesky/X page copies, a Mastodon
# export, Readwise exports of tweets and threads, thread drafts), more2/ (thread drafts with code,
# twitter.com/x.com page copies, blog comments), more3/ (blog and forum comment pages), more4/ (comment
# pages with pingbacks, threaded replies and subject lines, thread drafts, a post plan), more5/ (thread
# drafts and post plans with Russian notes, German forum topics and comment pages), more6/ (CJK and
# English post plans and thread drafts, XenForo topics, recipe comments), more7/ (English LinkedIn
# post plans and an X launch thread draft), more8/ (Bluesky, Mastodon and X thread drafts, Threads, Jike,
# Weibo and WeChat Moments post drafts; English, Chinese, Korean), more9/ (post plans, thread drafts
# and single posts in Chinese, Japanese, Korean, Spanish, Russian and German, and two documents that are
# not threads) more10/ (output files of post exporters: tweet-to-Markdown example notes, saved X tweet HTML fixtures,
# and exporter READMEs quoting example outputs, which are one article each; English, Chinese, Russian) more11/ (X thread drafts with Russian or
# English notes and reply templates, a Chinese/English post plan with two numbered threads, and blog articles in English
# and French) and more12/ (post plans and single-post drafts in English, Chinese, Japanese, Portuguese and French, a blog
# article, a saved X page fixture, and a French LinkedIn post archive that pastes several posts twice) and more13/ (Japanese
# Mastodon posts exported to Markdown, Japanese and Korean X thread drafts, English blog pages with comments, and German
# and French news pages) and more14/ (blog, Substack and PIXNET pages with
# their comments, two Reddit comment pages, a Japanese blog article quoting tweets, a Discord message kept as Markdown, and
# news pages in German, Portuguese, Spanish, French and Japanese, one with a live feed of posts and embedded tweets), more15/
# (news and blog pages that embed tweets or an Instagram post, in English, German, Spanish, French, Korean and Russian) and more16/
# (X, Mastodon and bilingual thread drafts, launch post plans in Korean, Chinese and English, a GeekNews submission and a
# Xiaohongshu note), with hand-made line-level gold.
# Prints the scorer's summary line last.
# Usage: ./score.sh [COMMAND...]        (default: archiver parse --json; the dump path is appended)
#   HALF=tune ./score.sh ...             only the tuning half (manifest column 'half'); rules and
#   HALF=test ./score.sh ...             weights are chosen on 'tune', 'test' only confirms them
#   VERBOSE=1 ./score.sh ...             one JSON line per dump first (never with HALF=test while tuning)
#   PARTS="more" ./score.sh ...          only the named parts (default: every part: pages notes more more2 more3 more4 more5 more6 more7 more8 more9 more10 more11 more12 more13 more14 more15 more16)
# raw/ of each part is checked against its SHA256SUMS first; re-create it with its extract.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scorer=${SCORE_DIR_PY:-}
[ -n "$scorer" ] || { [ -f "$here/../../../shared/eval/score_dir.py" ] && scorer="$here/../../../shared/eval/score_dir.py"; } || true
[ -n "$scorer" ] || scorer=/work/shared/eval/score_dir.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for part in ${PARTS:-pages notes more more2 more3 more4 more5 more6 more7 more8 more9 more10 more11 more12 more13 more14 more15 more16}; do
  dir="$here/$part"
  if ! (cd "$dir/raw" 2>/dev/null && sha256sum -c --quiet "$dir/SHA256SUMS" >/dev/null 2>&1); then
    echo "$part dumps missing or changed: fetch the repositories in $part/manifest.tsv, then run $part/extract.sh" >&2
    exit 2
  fi
  while IFS=$'\t' read -r name repo commit path method licence format lang half; do
    case "$name" in \#*|'') continue;; esac
    [ -n "${HALF:-}" ] && [ "$half" != "$HALF" ] && continue
    cp "$dir/raw/$name.txt" "$work/$name.txt"
    cp "$dir/gold/$name.txt.gold.json" "$work/$name.gold.json"
  done < "$dir/manifest.tsv"
done
cmd=("$@"); [ ${#cmd[@]} -gt 0 ] || cmd=(archiver parse --json)
verbose=(); [ "${VERBOSE:-0}" = 1 ] && verbose=(--verbose)
python3 "$scorer" "$work" "${verbose[@]}" -- "${cmd[@]}"
