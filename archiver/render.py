"""Rendering a stored thread as text, Markdown or JSON, gaps and provenance visible."""

from __future__ import annotations

import json
from dataclasses import asdict

from .queries import StoredThread, ThreadPart


def _slots(thread: StoredThread) -> list[tuple[int | None, ThreadPart | None]]:
    """Parts in order with a None slot for each missing number."""
    slots: list[tuple[int | None, ThreadPart | None]] = [(p.n, p) for p in thread.parts]
    slots += [(n, None) for n in thread.missing]
    slots.sort(key=lambda s: (s[0] if s[0] is not None else 0, s[1] is not None))
    return slots


def _label(n: int | None, total: int | None) -> str:
    return f"{n}/{total}" if total else (str(n) if n is not None else "")


def part_slots(thread: StoredThread) -> list[tuple[int | None, ThreadPart | None]]:
    """Public form of the slot list: (n, part) in order, part None where that number is missing."""
    return _slots(thread)


def part_label(n: int | None, total: int | None) -> str:
    """`n/N` when the total is known, else `n` (empty for an unnumbered part)."""
    return _label(n, total)


def _provenance(part: ThreadPart) -> str:
    return "; ".join(f"{s.source_name} lines {s.line_start}-{s.line_end} (sha256 {s.sha256[:12]})"
                     for s in part.sightings)


def render_text(thread: StoredThread) -> str:
    """Plain text: a header, then each part with its n/N and where it was seen."""
    out = [thread.title, f"{thread.kind} {thread.id}" + (f" by {thread.author}" if thread.author else "")
           + (f", {len(thread.parts)}/{thread.total} parts" if thread.total else f", {len(thread.parts)} parts"), ""]
    for n, part in _slots(thread):
        if part is None:
            out += [f"[part {_label(n, thread.total)} missing]", ""]
            continue
        out.append(f"[{_label(n, thread.total)}]" + (" (number inferred)" if part.inferred and thread.kind != "article" else ""))
        out.append(part.text)
        out.append(f"  -- {_provenance(part)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_markdown(thread: StoredThread) -> str:
    """Markdown for pasting into an article: quoted parts, gaps and sources listed."""
    out = [f"# {thread.title}", ""]
    meta = [f"{thread.kind} `{thread.id}`"]
    if thread.author:
        meta.append(f"by {thread.author}")
    if thread.url:
        meta.append(f"<{thread.url}>")
    out += [", ".join(meta), ""]
    for n, part in _slots(thread):
        if part is None:
            out += [f"> *[part {_label(n, thread.total)} missing]*", ""]
            continue
        label = _label(n, thread.total)
        body = "\n".join("> " + line for line in part.text.split("\n"))
        out += [f"**{label}**" if label else "", body, "", f"<sub>{_provenance(part)}</sub>", ""]
    return "\n".join(out).rstrip() + "\n"


def render_json(thread: StoredThread) -> str:
    """The stored thread as JSON."""
    return json.dumps(asdict(thread), ensure_ascii=False, indent=1)
