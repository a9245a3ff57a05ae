"""Terminal search over the catalogue with lunr.py, ranked as the site's search ranks
(a title match weighs as Material's does). The index is cached by the papers' content,
so repeated searches of an unchanged catalogue skip building it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lunr import lunr
from lunr.exceptions import BaseLunrException
from lunr.index import Index

from generator.cache import Cache, content_key
from generator.exports.papers import paper_url
from generator.model import Paper

TITLE_BOOST = 1000  # Material for MkDocs' own title boost
_SYNTAX = re.compile(r"[:*^~+\-]")  # lunr query operators; a stray one must not fail


@dataclass(frozen=True)
class Hit:
    title: str
    url: str


def cached_index(papers: Sequence[Paper], cache: Cache) -> Index:
    """lunr's index of the papers' titles and abstracts, cached by their content."""
    parts = [part for p in papers for part in (p.slug, p.title, p.abstract)]
    documents = [{"id": p.slug, "title": p.title, "text": p.abstract} for p in papers]
    fields = [{"field_name": "title", "boost": TITLE_BOOST}, "text"]
    return cache.get_or_compute("lunr", content_key(parts), lambda: lunr("id", fields, documents))


def search(index: Index, papers: Sequence[Paper], query: str, limit: int = 10) -> list[Hit]:
    """The best `limit` papers for `query`, best first; ties in score break on slug."""
    try:
        results = index.search(query)
    except BaseLunrException:  # lunr syntax the user did not mean: search the words
        results = index.search(_SYNTAX.sub(" ", query))
    by_slug = {p.slug: p for p in papers}
    ranked = sorted(results, key=lambda r: (-r["score"], r["ref"]))[:limit]
    return [Hit(title=by_slug[r["ref"]].title, url=paper_url(r["ref"])) for r in ranked]
