"""Authors as the catalogue knows them: who wrote which papers, and with whom.

An author is identified by the slug of their name, so "José García" and "Jose Garcia" share a page;
the spelling shown is the first one met in slug order of the papers. Names are never guessed: a
paper without known authors has none."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from slugify import slugify

from generator.model import Paper
from generator.read.slugs import short_hash

TEAM = 100


@dataclass(frozen=True)
class Author:
    """One author: `papers` are paper slugs (newest first, then by title); `coauthors`
    are (author slug, papers together), most shared first, counted from papers of at most
    TEAM authors (a larger list names a collaboration's members: counting their pairs would
    grow with its square)."""

    slug: str
    name: str
    papers: tuple[str, ...]
    coauthors: tuple[tuple[str, int], ...]


def author_slug(name: str) -> str:
    """The page name for an author; a hash-based one when no letter survives, and never
    `index`, the authors index's own name."""
    slug = slugify(name, max_length=60, word_boundary=True) or "author-" + short_hash(name)
    return f"{slug}-{short_hash(name)}" if slug == "index" else slug


def index_authors(papers: Iterable[Paper]) -> tuple[Author, ...]:
    """Every author of the given papers, sorted by name."""
    names: dict[str, str] = {}
    written: dict[str, list[Paper]] = {}
    together: dict[str, Counter[str]] = {}
    for paper in sorted(papers, key=lambda p: p.slug):
        slugs = list(dict.fromkeys(author_slug(name) for name in paper.authors))
        for name in paper.authors:
            names.setdefault(author_slug(name), name)
        team = slugs if len(slugs) <= TEAM else []  # a collaboration's pairs are not counted
        for slug in slugs:
            written.setdefault(slug, []).append(paper)
            together.setdefault(slug, Counter()).update(s for s in team if s != slug)
    authors = []
    for slug, name in names.items():
        ordered = sorted(written[slug], key=lambda p: p.title.casefold())
        ordered.sort(key=lambda p: p.published, reverse=True)
        coauthors = sorted(together[slug].items(), key=lambda kv: (-kv[1], names[kv[0]].casefold()))
        authors.append(Author(slug, name, tuple(p.slug for p in ordered), tuple(coauthors)))
    return tuple(sorted(authors, key=lambda a: (a.name.casefold(), a.slug)))
