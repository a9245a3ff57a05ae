"""The value types every stage passes along. Nothing here touches the disk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.analyse.vectors import Vectors


@dataclass(frozen=True)
class Record:
    """One title/abstract block exactly as a reader found it. `source` is the input file's
    path relative to the listings folder and `line` the 1-based line of the title."""

    title: str
    abstract: str
    source: str
    line: int


@dataclass(frozen=True)
class Listing:
    """One input file: a capture of a listing page, its records in page order. `key` is the file's
    stem, `slug` its page's safe name, `date` the capture date as written ("Mar 19") or empty, `day`
    that date in full (ISO) when its year is known (`read.history`)."""

    key: str
    slug: str
    source: str
    date: str
    records: tuple[Record, ...]
    day: str = ""
    topics: tuple[str, ...] = ()  # the names of the tags most of its papers have


@dataclass(frozen=True)
class PaperRecord:
    """What a structured source (YAML, JSON or BibTeX) says about one paper, validated.
    Only `title` is required; empty fields are unknown. `published` is an ISO date,
    `links` http(s) URLs, `tags` tag names or slugs as written; `source` is the file's
    path relative to the project root and `line` the 1-based line where the record starts."""

    title: str
    source: str
    line: int
    abstract: str = ""
    authors: tuple[str, ...] = ()
    arxiv_id: str = ""
    published: str = ""
    venue: str = ""
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A URL found in an abstract; `kind` is "code", "project", "dataset", "model" or "other"."""

    url: str
    kind: str
    label: str


@dataclass(frozen=True)
class Paper:
    """One distinct paper, merged across every listing it appeared in. `slug` is
    non-empty, unique and made only of `[a-z0-9-]`; `listings` holds listing slugs in
    input order, without repeats; `abstract` is the cleaned text, `raw_abstract` the text
    as read. The fields after `sources` are known only from structured records (empty
    when unknown): a listing's capture date is never a publication date."""

    slug: str
    key: str
    title: str
    abstract: str
    raw_abstract: str
    links: tuple[Link, ...]
    listings: tuple[str, ...]
    sources: tuple[tuple[str, int], ...]
    authors: tuple[str, ...] = ()
    arxiv_id: str = ""
    published: str = ""  # ISO date (YYYY, YYYY-MM or YYYY-MM-DD) when known
    venue: str = ""
    given_tags: tuple[str, ...] = ()  # tag slugs a record names, kept besides the taxonomy's


@dataclass(frozen=True)
class Tag:
    """A topic from the taxonomy. `patterns` are lower-case phrases that signal it;
    `title_patterns` signal it only when they are in a paper's title."""

    slug: str
    name: str
    area: str
    description: str
    patterns: tuple[str, ...]
    title_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Related:
    """A link from one paper to another, with the reasons shown to readers."""

    slug: str
    score: float
    shared_terms: tuple[str, ...] = ()
    shared_tags: tuple[str, ...] = ()
    named: bool = False  # one of the two abstracts names the other paper


@dataclass(frozen=True)
class Mention:
    """Characters `start:end` of a paper's cleaned abstract name the paper `slug`."""

    start: int
    end: int
    slug: str


@dataclass(frozen=True)
class Catalogue:
    """Everything the renderers need: papers (sorted by slug) and what was computed on
    them. The lookup tables after `vectors` are derived from the fields before them;
    `vectors` are the papers' TF-IDF vectors the related papers were found with."""

    papers: tuple[Paper, ...]
    listings: tuple[Listing, ...]
    tags: tuple[Tag, ...]
    paper_tags: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[Related, ...]]
    mentions: Mapping[str, tuple[Mention, ...]] = field(default_factory=dict)
    vectors: Vectors | None = field(default=None, repr=False, compare=False)
    by_slug: Mapping[str, Paper] = field(init=False, repr=False, compare=False)
    by_key: Mapping[str, Paper] = field(init=False, repr=False, compare=False)
    listing_number: Mapping[str, int] = field(init=False, repr=False, compare=False)
    listing_papers: Mapping[str, tuple[Paper, ...]] = field(init=False, repr=False, compare=False)
    tag_papers: Mapping[str, tuple[Paper, ...]] = field(init=False, repr=False, compare=False)
    tag_by_slug: Mapping[str, Tag] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        derived = {
            "by_slug": {p.slug: p for p in self.papers},
            "by_key": {p.key: p for p in self.papers},
            "listing_number": {item.slug: n for n, item in enumerate(self.listings, start=1)},
            "tag_by_slug": {t.slug: t for t in self.tags},
        }
        listing_papers: dict[str, list[Paper]] = {item.slug: [] for item in self.listings}
        tag_papers: dict[str, list[Paper]] = {t.slug: [] for t in self.tags}
        for paper in self.papers:
            for slug in paper.listings:
                listing_papers.setdefault(slug, []).append(paper)
            for slug in self.paper_tags.get(paper.slug, ()):
                tag_papers.setdefault(slug, []).append(paper)
        derived["listing_papers"] = {k: tuple(v) for k, v in listing_papers.items()}
        derived["tag_papers"] = {k: tuple(v) for k, v in tag_papers.items()}
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def tag(self, slug: str) -> Tag:
        return self.tag_by_slug[slug]

    def listing(self, slug: str) -> Listing:
        return self.listings[self.listing_number[slug] - 1]
