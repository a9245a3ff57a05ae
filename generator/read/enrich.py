"""Applies structured records to the merged papers: enrich a known paper, or add a new one.

Identity is the title key, as for listings. Records about the same paper are combined in file order;
where two give different values for a field the later one is used and the conflict is reported. A
record's fields win over what was scraped (a maintainer knows better), links and tags are added to
the paper's, and the slug of a scraped paper never changes, so its page keeps its address."""

from __future__ import annotations

import difflib
from dataclasses import replace

from slugify import slugify

from generator.analyse.taxonomy import MAX_TAGS
from generator.model import Paper, PaperRecord, Tag
from generator.read.slugs import assign_slugs
from generator.read.text import clean_abstract, extract_links, title_key
from generator.report import Report

_SINGLE = ("title", "abstract", "authors", "arxiv_id", "published", "venue")
# Records about one paper combined, and the file and line of every record that went in.
_Combined = tuple[PaperRecord, tuple[tuple[str, int], ...]]


def enrich(
    papers: list[Paper], records: list[PaperRecord], tags: tuple[Tag, ...], report: Report
) -> list[Paper]:
    """The papers with every record applied; papers only records know come last."""
    combined = _combine(records, report)
    result = []
    for paper in papers:
        found = combined.pop(paper.key, None)
        result.append(paper if found is None else _apply(paper, found, tags, report))
    titles = {key: record.title for key, (record, _) in combined.items()}
    slugs = assign_slugs(list(combined), titles, taken={p.slug for p in papers})
    for key, found in combined.items():
        blank = Paper(slugs[key], key, found[0].title, "", "", links=(), listings=(), sources=())
        result.append(_apply(blank, found, tags, report))
    return result


def _combine(records: list[PaperRecord], report: Report) -> dict[str, _Combined]:
    """One record per title key; where two differ, the later one's field is used."""
    combined: dict[str, _Combined] = {}
    for record in records:
        key = title_key(record.title)
        if not key:
            report.warn(record.source, record.line, "empty title; give the paper a title.")
            continue
        first, sources = combined.get(key, (record, ()))
        changes: dict[str, object] = {}
        for name in _SINGLE:
            new, old = getattr(record, name), getattr(first, name)
            if new and new != old:
                if old and name != "title":
                    report.warn(
                        record.source,
                        record.line,
                        f"same paper as {first.source}:{first.line} but a different "
                        f"{name.replace('_', ' ')}; this later one is used. Make them agree.",
                    )
                changes[name] = new
        changes["links"] = tuple(dict.fromkeys(first.links + record.links))
        changes["tags"] = tuple(dict.fromkeys(first.tags + record.tags))
        where = (*sources, (record.source, record.line))
        combined[key] = (replace(first, **changes), where)  # type: ignore[arg-type]
    return combined


def _apply(paper: Paper, found: _Combined, tags: tuple[Tag, ...], report: Report) -> Paper:
    record, sources = found
    links = extract_links(record.abstract) + extract_links(" ".join(record.links))
    return replace(
        paper,
        title=record.title or paper.title,
        abstract=clean_abstract(record.abstract) if record.abstract else paper.abstract,
        raw_abstract=record.abstract or paper.raw_abstract,
        links=tuple({link.url: link for link in paper.links + links}.values()),
        sources=paper.sources + sources,
        authors=record.authors or paper.authors,
        arxiv_id=record.arxiv_id or paper.arxiv_id,
        published=record.published or paper.published,
        venue=record.venue or paper.venue,
        given_tags=tuple(dict.fromkeys(paper.given_tags + _tag_slugs(record, tags, report))),
    )


def _tag_slugs(record: PaperRecord, tags: tuple[Tag, ...], report: Report) -> tuple[str, ...]:
    """The taxonomy slugs for a record's tags (by slug or name); unknown ones reported."""
    known = {tag.slug: tag.slug for tag in tags} | {tag.name.casefold(): tag.slug for tag in tags}
    slugs = []
    for name in record.tags:
        slug = known.get(name.casefold()) or known.get(slugify(name))
        if slug:
            slugs.append(slug)
            continue
        close = difflib.get_close_matches(slugify(name), [tag.slug for tag in tags], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        report.warn(
            record.source,
            record.line,
            f"unknown tag {name!r:.40}; {hint}use a tag from site_src/taxonomy.yaml "
            "or add it there.",
        )
    return tuple(slugs)


def with_given_tags(
    papers: list[Paper],
    assigned: dict[str, tuple[str, ...]],
    tagging: Report,
    report: Report,
) -> dict[str, tuple[str, ...]]:
    """The tags records gave, then those the taxonomy `assigned`, up to MAX_TAGS in all.

    `tagging` holds the taxonomy's warnings; they are passed on to `report` except the ones about a
    paper a record tagged (it needs no taxonomy phrase to have tags)."""
    tagged_by_record = {paper.sources[0] for paper in papers if paper.given_tags and paper.sources}
    for problem in tagging.problems:
        if (problem.source, problem.line) not in tagged_by_record:
            report.warn(problem.source, problem.line, problem.message)
    return {
        paper.slug: tuple(dict.fromkeys(paper.given_tags + assigned.get(paper.slug, ())))[
            : max(MAX_TAGS, len(paper.given_tags))
        ]
        for paper in papers
    }
