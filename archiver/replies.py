"""Reply trees: posts that name the post they answer, grouped into threads.

Used where a thread is known from structure, not guessed: the platform imports (archiver/imports/)
and the Mastodon and Bluesky APIs (archiver/fetch.py). A thread is a tree of the account's own
posts in which every reply points at another post of the same input; trees of two or more posts
are threads, the rest single posts. Parts follow the tree depth-first, siblings by time then id; a
tree that branches (the author answered one post twice) stays one thread, each part keeping its
parent's id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .models import Part, Post, Thread, thread_title
from .normalize import short_hash


def reply_trees(posts: Iterable[Post]) -> list[list[Post]]:
    """Posts grouped into reply trees, each in depth-first order (siblings by time, then id), roots by time."""
    by_id: dict[str, Post] = {}
    for p in posts:
        by_id.setdefault(p.id, p)
    children: dict[str, list[Post]] = defaultdict(list)
    roots: list[Post] = []
    for p in by_id.values():
        if p.parent is not None and p.self_reply and p.parent in by_id and p.parent != p.id:
            children[p.parent].append(p)
        else:
            roots.append(p)
    for kids in children.values():
        if len(kids) > 1:
            kids.sort(key=lambda p: p.order)
    roots.sort(key=lambda p: p.order)
    trees: list[list[Post]] = []
    for root in roots:
        if root.id not in children:
            trees.append([root])
            continue
        ordered: list[Post] = []
        stack = [root]
        while stack:  # depth-first, iterative: a 3,000-post chain must not hit the recursion limit
            p = stack.pop()
            ordered.append(p)
            kids = children.get(p.id)
            if kids:
                stack.extend(reversed(kids))
        trees.append(ordered)
    return trees


def build_threads(posts: Iterable[Post], namespace: str = "export") -> list[tuple[Thread, int]]:
    """Reply trees as Threads: (Thread, index of the file holding the root) in the order the roots were posted."""
    out: list[tuple[Thread, int]] = []
    for ordered in reply_trees(posts):
        root = ordered[0]
        parts = [Part(n=i, text=p.text, line_start=None, line_end=None, author=p.author,
                      posted_at=p.posted_at, external_id=p.id, parent_id=p.parent, url=p.url)
                 for i, p in enumerate(ordered, 1)]
        out.append((Thread(id=short_hash(namespace, root.id), kind="thread" if len(parts) > 1 else "post",
                           title=thread_title(root.text), author=root.author, url=root.url, total=None, missing=[],
                           parts=parts), root.origin))
    return out
