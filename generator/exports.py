"""Machine-readable exports of the catalogue (strings; `writer` saves them)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring as _string

from generator.model import Catalogue, Paper


def paper_url(slug: str) -> str:
    """A paper page's URL relative to the site root (MkDocs directory URLs)."""
    return f"papers/{slug}/"


def papers_json(
    catalogue: Catalogue,
    papers: Iterable[Paper] | None = None,
    made: Mapping[str, str] | None = None,
) -> str:
    """`papers.json`: a list of every paper (or of `papers`), sorted by slug, with its
    tags and links. Per-tag exports use the same format. `made` holds the papers'
    records already encoded (from `records`), so a paper in many exports is encoded once."""
    chosen = sorted(catalogue.papers if papers is None else papers, key=lambda p: p.slug)
    if not chosen:
        return "[]\n"
    made = made if made is not None else records(catalogue, chosen)
    return "[\n" + ",\n".join(made[paper.slug] for paper in chosen) + "\n]\n"


def records(catalogue: Catalogue, papers: Iterable[Paper] | None = None) -> dict[str, str]:
    """Each paper's JSON record by slug, laid out as an item of the `papers.json` list:
    the bytes `json.dumps(list, indent=1)` gives it, without encoding it once per export."""
    return {
        paper.slug: " " + encode(record(catalogue, paper), " ")
        for paper in (catalogue.papers if papers is None else papers)
    }


def record(catalogue: Catalogue, paper: Paper) -> dict:
    """One paper's entry in `papers.json`."""
    related = catalogue.related.get(paper.slug, ())
    tags = catalogue.paper_tags.get(paper.slug, ())
    return {
        "slug": paper.slug,
        "title": paper.title,
        "abstract": paper.abstract,
        "raw_abstract": paper.raw_abstract,
        "url": paper_url(paper.slug),
        "tags": list(tags),
        "tag_names": [catalogue.tag(t).name for t in tags],
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


def encode(value: object, pad: str = "") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)` for a value nested
    at indentation `pad`. The standard encoder falls back to pure Python when indenting;
    this does the same layout with the C string encoder and plain joins."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + " "
        items = (_string(key) + ": " + encode(value[key], inner) for key in sorted(value))
        return "{\n" + inner + (",\n" + inner).join(items) + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = pad + " "
        return (
            "[\n" + inner + (",\n" + inner).join(encode(v, inner) for v in value) + "\n" + pad + "]"
        )
    return json.dumps(value)  # numbers, booleans, None
