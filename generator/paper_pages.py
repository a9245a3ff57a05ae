"""The paper pages written in shares: each share renders its papers' Markdown pages and
HTML bodies (`paper_page`) and writes them, a chunk at a time, so tens of thousands of
pages (about 5 KB each, and their bodies) are never all in memory at once. The pipeline
runs one share per core in forked processes (`forked`) and passes what they wrote to
`writer.write_tree`, which keeps docs/'s manifest and removes stale pages, and to
`writer.keep_bodies`, which does the same in the bodies database.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator import render
from generator.model import Catalogue
from generator.render import paper_path
from generator.site import Site
from generator.writer import Written, load_manifest, merge_written, write_bodies, write_files

CHUNK = 500  # papers rendered before their pages and bodies are written


def body_path(slug: str) -> str:
    """The key of a paper page's HTML body in the bodies database."""
    return f"papers/{slug}.html"


def write_share(
    catalogue: Catalogue, site: Site, docs: Path, bodies: Path, slugs: Sequence[str]
) -> tuple[Written, list[str]]:
    """Render the paper pages of `slugs`; write them into `docs` and their HTML bodies
    into the database `bodies`; return what was written in each."""
    known_docs = load_manifest(docs)
    pages, made = [], []
    for start in range(0, len(slugs), CHUNK):
        chunk = [catalogue.by_slug[slug] for slug in slugs[start : start + CHUNK]]
        markdown, html = [], []
        for paper in chunk:
            page, body = render.paper_page_files(catalogue, paper, site)
            markdown.append((paper_path(paper.slug), page))
            html.append((body_path(paper.slug), body))
        pages.append(write_files(docs, markdown, known_docs))
        made += write_bodies(bodies, html)
    return merge_written(pages), made
