"""Merges the records of every listing into distinct papers (identity: the title key)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from generator.model import Listing, Paper, Record
from generator.read.cache import TextMemo
from generator.read.slugs import RESERVED, short_hash, unique_slug
from generator.read.text import clean_abstract, clean_title, title_key
from generator.report import Report


def merge_papers(
    listings: list[Listing], report: Report, memo: TextMemo | None = None
) -> list[Paper]:
    """One Paper per distinct title, in first-seen order, remembering every listing. When two
    records share a title but not an abstract, the later listing wins (reported). Titles that
    differ only in their symbols ("... in C++", "... in C#") share a title key; with different
    abstracts they are different papers, each kept (reported). `memo` may hold the last
    build's clean-up of titles and abstracts."""
    memo = memo if memo is not None else TextMemo()
    latest: dict[str, Record] = {}  # in first-seen order
    seen_in: dict[str, dict[str, None]] = {}
    sources: dict[str, list[tuple[str, int]]] = {}
    for listing in listings:
        for record in listing.records:
            key = memo.title(record.title).key
            if not key:
                report.warn(record.source, record.line, "empty title; give the paper a title.")
                continue
            key = _identity(key, record, latest, report)
            if key in latest and _differs(latest[key].abstract, record.abstract):
                first = latest[key]
                report.warn(
                    record.source,
                    record.line,
                    f"same title as {first.source}:{first.line} but a different "
                    "abstract; this later one is used. Make the abstracts agree.",
                )
            latest[key] = record
            seen_in.setdefault(key, {})[listing.slug] = None
            sources.setdefault(key, []).append((record.source, record.line))
    named = {key: memo.title(record.title) for key, record in latest.items()}
    taken = set(RESERVED)  # the base slugs the memo kept, made unique as `assign_slugs` does
    slugs = {key: unique_slug(title.slug_base, key, taken) for key, title in named.items()}
    abstracts = {key: memo.abstract(record.abstract) for key, record in latest.items()}
    return [
        Paper(
            slug=slugs[key],
            key=key,
            title=named[key].title,
            abstract=abstracts[key].text,
            raw_abstract=record.abstract,
            links=abstracts[key].links,
            listings=tuple(seen_in[key]),
            sources=tuple(sources[key]),
        )
        for key, record in latest.items()
    ]


def _identity(key: str, record: Record, latest: dict[str, Record], report: Report) -> str:
    """The paper `record` belongs to: its title key, unless the paper known by that key
    has a title with other symbols and another abstract; then a paper of its own, keyed by
    its exact title (so a later listing repeating it finds it again)."""
    known = latest.get(key)
    if known is None or _exact(known.title) == _exact(record.title):
        return key
    own = f"{key}~{short_hash(_exact(record.title))}"
    if own in latest:
        return own
    if not _differs(known.abstract, record.abstract):
        return key
    report.warn(
        record.source,
        record.line,
        f"title differs from {known.source}:{known.line} only in its symbols, and so does "
        "its abstract: kept as a paper of its own.",
    )
    return own


def _exact(title: str) -> str:
    """A title with case, spacing and a closing full stop ignored, every other symbol kept."""
    return " ".join(title.casefold().split()).rstrip(".").rstrip()


def _differs(a: str, b: str) -> bool:
    return " ".join(a.split()) != " ".join(b.split())


def first_seen(listings: Sequence[Listing], papers: Sequence[Paper]) -> list[Paper]:
    """`papers` with the title and abstract each first appeared with in the listings.

    Statistics over the early papers (the IDF of related papers) then stay put when a
    later listing repeats one of them with a different abstract."""
    # Read backwards, so that each title key keeps its first record.
    first = {title_key(r.title): r for item in reversed(listings) for r in reversed(item.records)}

    def first_form(paper: Paper) -> Paper:
        seen = first.get(paper.key)
        if seen is None or seen.abstract == paper.raw_abstract:
            return paper
        title, abstract = clean_title(seen.title), clean_abstract(seen.abstract)
        return replace(paper, title=title, abstract=abstract, raw_abstract=seen.abstract)

    return [first_form(paper) for paper in papers]
