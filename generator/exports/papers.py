"""Machine-readable exports of the catalogue: `papers.json` and each tag's JSON list.

Both are JSON lists laid out one paper per line (compact, keys sorted): valid JSON, readable with
line tools, and deterministic. A tag's list holds its papers briefly, because a paper sits in
several tags and `papers.json` has the rest under the same `slug`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from generator.model import Catalogue, Paper


def paper_url(slug: str) -> str:
    """A paper page's URL relative to the site root (MkDocs directory URLs)."""
    return f"papers/{slug}/"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dumps(value: object) -> str:
    """One value as compact JSON with sorted keys and text as written (no \\u escapes)."""
    return _ENCODER.encode(value)  # json.dumps makes an encoder per call


def json_lines(
    catalogue: Catalogue,
    papers: Iterable[Paper],
    make: Callable[[Catalogue, Paper], dict],
    memo: dict[str, bytes] | None = None,
) -> bytes:
    """A JSON list of `make(catalogue, paper)` for each paper, sorted by slug, one per
    line. Encoded paper by paper, so a whole catalogue is never one `str` (one non-Latin
    character would make all of it two or four bytes a character). `memo` keeps each line
    (by slug) for the next list made with the same `make`."""
    chosen = sorted(papers, key=lambda p: p.slug)
    if not chosen:
        return b"[]\n"
    memo = {} if memo is None else memo
    for paper in chosen:
        if paper.slug not in memo:
            memo[paper.slug] = dumps(make(catalogue, paper)).encode("utf-8")
    return b"[\n" + b",\n".join(memo[paper.slug] for paper in chosen) + b"\n]\n"


def papers_json(catalogue: Catalogue, papers: Iterable[Paper] | None = None) -> bytes:
    """`papers.json`: every paper (or every paper of `papers`), whole, sorted by slug."""
    return json_lines(catalogue, catalogue.papers if papers is None else papers, record)


def tag_json(
    catalogue: Catalogue, papers: Iterable[Paper], memo: dict[str, bytes] | None = None
) -> bytes:
    """A tag's `tags/<slug>.json`: its papers, briefly (`brief`), sorted by slug."""
    return json_lines(catalogue, papers, brief, memo)


def brief(catalogue: Catalogue, paper: Paper) -> dict:
    """What a list of papers needs to show and cite each one: `record` without the
    abstract, related papers, mentions and sources (those are in `papers.json`)."""
    tags = catalogue.paper_tags.get(paper.slug, ())
    return {
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
    }


def record(catalogue: Catalogue, paper: Paper) -> dict:
    """One paper's entry in `papers.json`. `raw_abstract` (the text as read) is there only
    when cleaning changed it; `related_reasons[i]` gives `related[i]`'s score and shared
    terms (its shared tags and mentions are in the records already)."""
    related = catalogue.related.get(paper.slug, ())
    tags = catalogue.paper_tags.get(paper.slug, ())
    out = {
        **brief(catalogue, paper),
        "abstract": paper.abstract,
        "tag_names": [catalogue.tag(t).name for t in tags],
        "related": [item.slug for item in related],
        "related_reasons": [
            {"score": item.score, "shared_terms": list(item.shared_terms)} for item in related
        ],
        "mentions": [m.slug for m in catalogue.mentions.get(paper.slug, ())],
        "sources": [{"file": source, "line": line} for source, line in paper.sources],
    }
    if paper.raw_abstract != paper.abstract:
        out["raw_abstract"] = paper.raw_abstract
    return out
