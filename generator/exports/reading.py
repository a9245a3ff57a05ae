"""The reading list's page, and what its script (`static/reading.js`) and the maps of
related work (`static/map.js`) load about a paper, only when they need it: its title,
BibTeX entry, related papers and the papers it names, in shards named by the first two
characters of the slug (`reading/ab.js`), so a list of a few papers loads a few small files
at any catalogue size. Each shard is a script calling `window.catalogueShard(name, papers)`:
a <script> tag loads it from file:// too, where fetch() does not.
"""

from __future__ import annotations

import json
from collections import defaultdict

from generator.exports import bibtex
from generator.model import Catalogue
from generator.site.address import Site

FOLDER = "reading"
PAGE = "reading-list.md"
RELATED = 8
PAGE_TEXT = """---
search:
  exclude: true
---

# Reading list

Papers you star (\u2606) on their pages, in lists and in search results are kept here, in
this browser only: nothing is sent anywhere. Export them as BibTeX for your references, or
as JSON to import them in another browser.

<div id="cat-reading-list"><noscript>The reading list needs JavaScript.</noscript></div>
"""


def shard(slug: str) -> str:
    """The shard a slug is in (slugs are made of a-z, 0-9 and "-")."""
    return slug[:2].ljust(2, "-")


def reading_files(catalogue: Catalogue, site: Site) -> dict[str, str]:
    """The reading list page, and `reading/<shard>.js` for every shard: {slug: [title,
    BibTeX entry, [related slugs, best first], [slugs its abstract names]]}."""
    shards: dict[str, dict[str, list]] = defaultdict(dict)
    for paper in catalogue.papers:
        shards[shard(paper.slug)][paper.slug] = [
            paper.title,
            bibtex.entry(paper, site, width=None, abstract=False),
            [item.slug for item in catalogue.related.get(paper.slug, ())[:RELATED]],
            list(dict.fromkeys(m.slug for m in catalogue.mentions.get(paper.slug, ()))),
        ]
    files = {PAGE: PAGE_TEXT}
    for name, papers in sorted(shards.items()):
        text = json.dumps(papers, separators=(",", ":"), sort_keys=True, ensure_ascii=True)
        files[f"{FOLDER}/{name}.js"] = f"catalogueShard({json.dumps(name)},{text});\n"
    return files
