"""The catalogue's machine-readable export, `papers.json`: a JSON list laid out one paper per
line (compact, keys sorted): valid JSON, readable with line tools, and deterministic."""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.model import Catalogue, Paper


def paper_url(slug: str) -> str:
    """A paper page's URL relative to the site root (MkDocs directory URLs)."""
    return f"papers/{slug}/"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dumps(value: object) -> str:
    """One value as compact JSON with sorted keys and text as written (no \\u escapes)."""
    return _ENCODER.encode(value)  # json.dumps makes an encoder per call


def papers_json(catalogue: Catalogue, papers: Iterable[Paper] | None = None) -> bytes:
    """`papers.json`: every paper (or every paper of `papers`), sorted by slug, one per
    line. Encoded paper by paper, so a whole catalogue is never one `str` (one non-Latin
    character would make all of it two or four bytes a character)."""
    chosen = sorted(catalogue.papers if papers is None else papers, key=lambda p: p.slug)
    if not chosen:
        return b"[]\n"
    lines = (dumps(record(catalogue, paper)).encode("utf-8") for paper in chosen)
    return b"[\n" + b",\n".join(lines) + b"\n]\n"


def record(catalogue: Catalogue, paper: Paper) -> dict:
    """One paper's entry in `papers.json`. `raw_abstract` (the text as read) is there only
    when cleaning changed it. Why a paper is related is on its page, not here: at 50,000
    papers the reasons were 33 MB of the file."""
    tags = catalogue.paper_tags.get(paper.slug, ())
    out = {
        "slug": paper.slug,
        "title": paper.title,
        "url": paper_url(paper.slug),
        "tags": list(tags),
        "listings": list(paper.listings),
        "links": [{"url": link.url, "kind": link.kind} for link in paper.links],
        "authors": list(paper.authors),
        "arxiv_id": paper.arxiv_id,
        "published": paper.published,
        "venue": paper.venue,
        "abstract": paper.abstract,
        "tag_names": [catalogue.tag(t).name for t in tags],
        "related": [item.slug for item in catalogue.related.get(paper.slug, ())],
        "mentions": [m.slug for m in catalogue.mentions.get(paper.slug, ())],
        "sources": [{"file": source, "line": line} for source, line in paper.sources],
    }
    if paper.raw_abstract != paper.abstract:
        out["raw_abstract"] = paper.raw_abstract
    return out
