"""Mentions kept between builds (`cached_mentions`): a rebuild scans only the abstracts
whose result can have changed, and gives exactly what `mentions.find_mentions` gives.

A paper's mentions depend on its slug, its abstract and the names (`paper_names`: each
name one paper alone has, and that paper). Scanning tries, at each word, the names that
start with it, and takes the first that matches; so an abstract's result changes only
where a name that was added, dropped (now shared by two papers) or moved to another
paper matches in it, and a match holds every word of the name. An abstract is therefore
scanned again when it is new or edited, when its paper's slug is new, or when it holds
(as plain text) the longest word of a changed name; every other paper keeps the
mentions the last build found. The entry, keyed by the code, holds the names and each
paper's abstract and mentions of the last build.
"""

from __future__ import annotations

import inspect
import sys
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from generator.analyse import mentions
from generator.analyse.mentions import name_index, paper_names, scan
from generator.cache import Cache, content_key
from generator.model import Mention, Paper

STAGE = "mentions"


@dataclass(frozen=True)
class MentionState:
    """The names of one build and, by slug, each paper's abstract and its mentions."""

    names: dict[tuple[str, ...], str]
    found: dict[str, tuple[str, tuple[Mention, ...]]]


def cached_mentions(papers: Sequence[Paper], cache: Cache) -> dict[str, tuple[Mention, ...]]:
    """`mentions.find_mentions(papers)`, scanning again only what can have changed."""
    key = content_key([inspect.getsource(mentions), inspect.getsource(sys.modules[__name__])])
    names = paper_names(papers)
    by_first = name_index(names)
    before = cache.load(STAGE, key)
    if not _valid(before):
        before = MentionState({}, {})
    assert isinstance(before, MentionState)
    changed = [
        words
        for words in names.keys() | before.names.keys()
        if names.get(words) != before.names.get(words)
    ]
    # Only abstracts the last build scanned can be kept, so only those are searched.
    old = [p for p in papers if p.slug in before.found and before.found[p.slug][0] == p.abstract]
    touched = _holding(old, {max(words, key=len) for words in changed})
    found: dict[str, tuple[str, tuple[Mention, ...]]] = {}
    result: dict[str, tuple[Mention, ...]] = {}
    kept = {p.slug for p in old} - touched
    for paper in papers:
        if paper.slug in kept:
            found[paper.slug] = before.found[paper.slug]
        else:
            found[paper.slug] = (paper.abstract, scan(paper, names, by_first))
        if found[paper.slug][1]:
            result[paper.slug] = found[paper.slug][1]
    if names != before.names or found.keys() != before.found.keys() or len(kept) < len(papers):
        cache.save(STAGE, key, MentionState(names, found))
    return result


def _holding(papers: Sequence[Paper], words: Collection[str]) -> set[str]:
    """The slugs of the papers whose abstract contains any of `words` as text. The
    abstracts are searched as one string: a word holds no white space, so it cannot
    match across the line break between two of them."""
    if not words or not papers:
        return set()
    joined = "\n".join(p.abstract for p in papers)
    starts, at = [], 0
    for paper in papers:
        starts.append(at)
        at += len(paper.abstract) + 1
    hit: set[str] = set()
    for word in words:
        pos = joined.find(word)
        while pos != -1:
            n = bisect_right(starts, pos) - 1
            hit.add(papers[n].slug)
            pos = joined.find(word, starts[n + 1]) if n + 1 < len(starts) else -1
    return hit


def _valid(state: object) -> bool:
    return (
        isinstance(state, MentionState)
        and isinstance(state.names, dict)
        and isinstance(state.found, dict)
    )
