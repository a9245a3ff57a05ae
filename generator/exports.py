"""Machine-readable exports of the catalogue (strings; `writer` saves them)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.model import Catalogue, Paper


def paper_url(slug: str) -> str:
    """A paper page's URL relative to the site root (MkDocs directory URLs)."""
    return f"papers/{slug}/"


def papers_json(catalogue: Catalogue, papers: Iterable[Paper] | None = None) -> str:
    """`papers.json`: a list of every paper (or of `papers`), sorted by slug, with its
    tags and links. Per-tag exports use the same format."""
    records = []
    for paper in sorted(catalogue.papers if papers is None else papers, key=lambda p: p.slug):
        related = catalogue.related.get(paper.slug, ())
        records.append(
            {
                "slug": paper.slug,
                "title": paper.title,
                "abstract": paper.abstract,
                "raw_abstract": paper.raw_abstract,
                "url": paper_url(paper.slug),
                "tags": list(catalogue.paper_tags.get(paper.slug, ())),
                "tag_names": [
                    catalogue.tag(t).name for t in catalogue.paper_tags.get(paper.slug, ())
                ],
                "related": [item.slug for item in related],
                "related_reasons": [
                    {
                        "slug": item.slug,
                        "score": item.score,
                        "shared_terms": list(item.shared_terms),
                        "shared_tags": list(item.shared_tags),
                        "named": item.named,
                    }
                    for item in related
                ],
                "mentions": [m.slug for m in catalogue.mentions.get(paper.slug, ())],
                "listings": list(paper.listings),
                "links": [{"url": link.url, "kind": link.kind} for link in paper.links],
                "sources": [{"file": source, "line": line} for source, line in paper.sources],
                "authors": list(paper.authors),
                "arxiv_id": paper.arxiv_id,
                "published": paper.published,
                "venue": paper.venue,
            }
        )
    return json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
