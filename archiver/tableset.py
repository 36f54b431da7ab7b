"""The two sets of thread tables the writer keeps: the archive itself, and its public projection.

The archive's tables (`threads`, `thread_parts`, `sightings`, `thread_aliases`) hold what every
source gave. While the archive holds a private source, the writer also keeps the public
projection (`pub_threads`, `pub_thread_parts`, `pub_sightings`, `pub_thread_aliases`, and
`pub_fragments` for the public facts about a shared fragment): the archive that the public
sources alone would give, written by the same store and merge code (archiver/store.py,
archiver/merge.py) with the other table names (archiver/projection.py). The projection's
near-duplicate index (`pub_fragment_bands`, `pub_near_duplicates`) is named the same way, by
`neardup.IndexTables`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSet:
    """The names of one set of thread tables."""

    threads: str
    parts: str
    sightings: str
    aliases: str
    public: bool  # the public projection (its fragments' first source, kind and date are in pub_fragments)


FULL = TableSet("threads", "thread_parts", "sightings", "thread_aliases", False)
PUBLIC = TableSet("pub_threads", "pub_thread_parts", "pub_sightings", "pub_thread_aliases", True)
