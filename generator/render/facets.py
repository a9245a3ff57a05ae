"""The compact index behind the Papers page's filters (tags, listing, has code, title text).

Shipped twice with the same content: `facets.json` for programs, and `facets.js`, which sets
`window.paperFacets` so the page can load it with a <script> tag, which works from file://
where fetch() does not. Tags and listings are stored once and papers refer to them by index.
On large sites (Pagefind mode, see paginate.Browse) the papers are left out: the page
filters through Pagefind's index, whose filter chunks it fetches only when used, so the
file stays a few KB whatever the catalogue's size.
"""

from __future__ import annotations

import json

from generator.model import Catalogue
from generator.render.pages import listing_title
from generator.render.stats import has_code
from generator.search.pagefind import EVERY_PAPER

FACETS_JSON = "facets.json"
FACETS_JS = "facets.js"


def facets_index(catalogue: Catalogue, pagefind: bool = False) -> dict:
    """{tags: [[slug, name, area]], listings: [[slug, title]], papers: [[slug, title,
    [tag indexes], [listing indexes], has_code]]}, papers A to Z as on the Papers page;
    with `pagefind`, {engine: "pagefind", every_paper: the word every Pagefind record
    holds, count: number of papers, tags, listings}."""
    tag_index = {tag.slug: n for n, tag in enumerate(catalogue.tags)}
    index: dict = {
        "tags": [[tag.slug, tag.name, tag.area] for tag in catalogue.tags],
        "listings": [
            [listing.slug, listing_title(listing, number)]
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
    return {FACETS_JSON: text + "\n", FACETS_JS: f"window.paperFacets = {text};\n"}
