"""The compact index behind the Papers page's filters (tags, listing, has code, title text).

Shipped as `facets.json` for programs and as `facets.js` (setting `window.paperFacets`), which a
<script> tag loads even from file://, where fetch() fails. Papers refer to tags and listings by
index. On large sites (Pagefind mode) the papers are left out: the page filters through Pagefind's
index, so the file stays a few KB."""

from __future__ import annotations

import json

from generator.model import Catalogue
from generator.read.history import sort_day
from generator.render.pages import listing_title
from generator.render.stats import has_code
from generator.search.pagefind import EVERY_PAPER


def facets_index(catalogue: Catalogue, pagefind: bool = False) -> dict:
    """{tags: [[slug, name, area]], listings: [[slug, title, `history.sort_day`]], papers: [[slug,
    title, [tag indexes], [listing indexes], has_code]]}, papers A to Z as on the Papers page; with
    `pagefind`, {engine: "pagefind", every_paper: the word every Pagefind record holds, count:
    number of papers, tags, listings}."""
    tag_index = {tag.slug: n for n, tag in enumerate(catalogue.tags)}
    index: dict = {
        "tags": [[tag.slug, tag.name, tag.area] for tag in catalogue.tags],
        "listings": [
            [listing.slug, listing_title(listing, number), sort_day(listing)]
            for number, listing in enumerate(catalogue.listings, start=1)
        ],
    }
    if pagefind:
        engine = {"engine": "pagefind", "every_paper": EVERY_PAPER}
        return {**engine, "count": len(catalogue.papers), **index}
    papers = sorted(catalogue.papers, key=lambda p: (p.title.casefold(), p.slug))
    return {
        **index,
        "papers": [
            [
                paper.slug,
                paper.title,
                [tag_index[t] for t in catalogue.paper_tags.get(paper.slug, ()) if t in tag_index],
                [catalogue.listing_number[s] - 1 for s in paper.listings],
                int(has_code(paper)),
            ]
            for paper in papers
        ],
    }


def facets_files(catalogue: Catalogue, pagefind: bool = False) -> dict[str, str]:
    """`facets.json` and `facets.js`, ASCII-only so no charset question arises."""
    text = json.dumps(facets_index(catalogue, pagefind), separators=(",", ":"), sort_keys=True)
    return {"facets.json": text + "\n", "facets.js": f"window.paperFacets = {text};\n"}
