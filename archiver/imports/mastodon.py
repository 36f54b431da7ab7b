"""Mastodon exports: the Create activities of an outbox.json (ActivityStreams) as Posts.

Boosts are left out, and direct messages unless asked for; a post's HTML becomes text
(`html.html_to_text`), a content warning and a poll's options kept with it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from ..errors import InputError
from ..models import Post

AS_PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}


def outbox_json(raw: bytes, name: str) -> dict:
    """An outbox.json's ActivityStreams OrderedCollection; InputError for anything else."""
    try:
        data = json.loads(raw)
    except ValueError as e:
        raise InputError(f"{name}: the outbox JSON does not parse ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("orderedItems"), list):
        raise InputError(f"{name}: not an ActivityStreams OrderedCollection with orderedItems")
    return data


def mastodon_author(actor: str | None, username: str | None = None) -> str | None:
    """`https://host/users/name` -> `@name@host`."""
    if not actor:
        return None
    m = re.match(r"https?://([^/]+)/(?:users/|@)([^/?#]+)", actor)
    if not m:
        return None
    return f"@{username or m.group(2)}@{m.group(1)}"


def visibility(obj: dict) -> str:
    """public, unlisted, private (followers only) or direct, from a Note's to/cc audiences."""
    to = obj.get("to") or []
    cc = obj.get("cc") or []
    to = [to] if isinstance(to, str) else to
    cc = [cc] if isinstance(cc, str) else cc
    if any(a in AS_PUBLIC for a in to):
        return "public"
    if any(a in AS_PUBLIC for a in cc):
        return "unlisted"
    if any(isinstance(a, str) and a.endswith("/followers") for a in to + cc):
        return "private"
    return "direct"


def mastodon_posts(outbox: dict, account: dict[str, str] | None = None,
                   include_direct: bool = False) -> tuple[list[Post], dict[str, Any]]:
    """Posts of an outbox's Create activities (Notes, polls); boosts and, by default, direct messages skipped."""
    from ..html import html_to_text  # BeautifulSoup is loaded for an outbox only: a Twitter import need not pay it

    account = account or {}
    skipped: dict[str, int] = defaultdict(int)
    posts = []
    author_default = mastodon_author(account.get("id"), account.get("username"))
    for item in outbox.get("orderedItems") or []:
        if not isinstance(item, dict):
            continue
        obj = item.get("object")
        if item.get("type") != "Create" or not isinstance(obj, dict):
            skipped["boosts" if item.get("type") == "Announce" else "other"] += 1
            continue
        if not obj.get("id") or obj.get("type") not in ("Note", "Question", "Article", "Page"):
            skipped["other"] += 1
            continue
        if not include_direct and visibility(obj) == "direct":
            skipped["direct"] += 1
            continue
        text = html_to_text(_content(obj))
        if obj.get("summary"):
            text = f"CW: {html_to_text(obj['summary'])}\n\n{text}".strip()
        options = obj.get("oneOf") or obj.get("anyOf") or []
        if options:
            text += "\n" + "\n".join(f"- {o.get('name')}" for o in options if isinstance(o, dict))
        author = mastodon_author(obj.get("attributedTo") or item.get("actor"), account.get("username")) \
            or author_default
        published = obj.get("published") or item.get("published")
        reply = obj.get("inReplyTo")
        if isinstance(reply, dict):
            reply = reply.get("id")
        posts.append(Post(id=obj["id"], parent=reply or None, text=text, posted_at=published, author=author,
                          url=obj.get("url") if isinstance(obj.get("url"), str) else obj["id"],
                          order=(published or "", _numeric_tail(obj["id"]), obj["id"])))
    authors = [p.author for p in posts if p.author]
    return posts, {"author": max(set(authors), key=authors.count) if authors else None, "skipped": dict(skipped)}


def _content(obj: dict) -> str:
    content = obj.get("content")
    if not content and isinstance(obj.get("contentMap"), dict) and obj["contentMap"]:
        content = next(iter(obj["contentMap"].values()))
    return content or ""


def _numeric_tail(uri: str) -> int:
    m = re.search(r"(\d+)/?$", uri)
    return int(m.group(1)) if m else 0
