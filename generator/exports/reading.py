"""The reading list's page, and what its script (`static/reading.js`) and the maps of related work
(`static/map.js`) load about a paper, only when they need it: its title, BibTeX entry, related
papers and the papers it names, in about PER_SHARD papers a shard, picked by a hash of the slug
(`reading/<n>.js`; `reading/meta.js` says how many), so a list of a few papers loads a few small
files at any catalogue size. Each file is a script calling `window.catalogueShard(name, data)`: a
<script> tag loads it from file:// too, where fetch() does not."""

from __future__ import annotations

import json
from collections import defaultdict

from generator.exports import bibtex
from generator.model import Catalogue
from generator.site.address import Site

FOLDER = "reading"
PAGE = "reading-list.md"
RELATED = 8
PER_SHARD = 16
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


def shard_of(text: str, count: int) -> int:
    """The shard `text` is in: FNV-1a over its code points, modulo `count` (the scripts'
    `shardOf` computes the same)."""
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % count


def _script(name: str, data: object) -> str:
    text = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=True)
    return f"catalogueShard({json.dumps(name)},{text});\n"


def reading_files(catalogue: Catalogue, site: Site) -> dict[str, str]:
    """The reading list page, `reading/meta.js` ({shards: how many}) and `reading/<n>.js`
    for every shard: {slug: [title, BibTeX entry, [related slugs, best first], [slugs its
    abstract names]]}."""
    count = max(1, -(-len(catalogue.papers) // PER_SHARD))
    shards: dict[int, dict[str, list]] = defaultdict(dict)
    for paper in catalogue.papers:
        shards[shard_of(paper.slug, count)][paper.slug] = [
            paper.title,
            bibtex.entry(paper, site, width=None, abstract=False),
            [item.slug for item in catalogue.related.get(paper.slug, ())[:RELATED]],
            list(dict.fromkeys(m.slug for m in catalogue.mentions.get(paper.slug, ()))),
        ]
    files = {PAGE: PAGE_TEXT, f"{FOLDER}/meta.js": _script("meta", {"shards": count})}
    for number in range(count):
        files[f"{FOLDER}/{number}.js"] = _script(str(number), shards.get(number, {}))
    return files
