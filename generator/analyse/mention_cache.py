"""Mentions kept between builds (`cached_mentions`): a rebuild scans only the abstracts
whose result can have changed, and gives exactly what `mentions.find_mentions` gives.

A paper's mentions depend on its slug, its abstract and the names (`paper_names`). An
abstract's result changes only where a name that was added, dropped or moved to another
paper matches, and a match holds every word of the name. So an abstract is scanned again
when it or its paper's slug is new, or when it holds (as plain text) the longest word of
a changed name; every other paper keeps the mentions the last build found.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate

from generator.analyse.mentions import name_index, paper_names, scan
from generator.cache import Cache, code_of, content_key
from generator.model import Mention, Paper

STAGE = "mentions"


@dataclass(frozen=True)
class MentionState:
    """The names of one build and, by slug, each paper's abstract and its mentions."""

    names: dict[tuple[str, ...], str]
    found: dict[str, tuple[str, tuple[Mention, ...]]]


def cached_mentions(papers: Sequence[Paper], cache: Cache) -> dict[str, tuple[Mention, ...]]:
    """`mentions.find_mentions(papers)`, scanning again only what can have changed."""
    key = content_key([code_of("mentions", "mention_cache")])
    names = paper_names(papers)
    by_first = name_index(names)
    before = cache.load(STAGE, key, MentionState) or MentionState({}, {})
    changed = names.items() ^ before.names.items()  # names added, dropped or moved
    # Only abstracts the last build scanned can be kept, so only those are searched.
    old = [p for p in papers if p.slug in before.found and before.found[p.slug][0] == p.abstract]
    touched = _holding(old, {max(words, key=len) for words, _ in changed})
    kept = {p.slug for p in old} - touched
    found = {
        p.slug: before.found[p.slug] if p.slug in kept else (p.abstract, scan(p, names, by_first))
        for p in papers
    }
    if (state := MentionState(names, found)) != before:
        cache.save(STAGE, key, state)
    return {slug: mentioned for slug, (_, mentioned) in found.items() if mentioned}


def _holding(papers: Sequence[Paper], words: Collection[str]) -> set[str]:
    """The slugs of the papers whose abstract contains any of `words` as text. The
    abstracts are searched as one string: a word holds no white space, so it cannot
    match across the line break between two of them."""
    if not words or not papers:
        return set()
    joined = "\n".join(p.abstract for p in papers)
    starts = [0, *accumulate(len(p.abstract) + 1 for p in papers[:-1])]
    hit: set[str] = set()
    for word in words:
        pos = joined.find(word)
        while pos != -1:
            n = bisect_right(starts, pos) - 1
            hit.add(papers[n].slug)
            pos = joined.find(word, starts[n + 1]) if n + 1 < len(starts) else -1
    return hit
