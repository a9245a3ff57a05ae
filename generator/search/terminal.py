"""Terminal search (`python -m generator search`) over the papers the site shows, with
lunr.py, ranked as the site's search ranks (a title match weighs as Material's does). The
index is cached by the papers' content, so repeated searches of an unchanged catalogue
skip building it."""

from __future__ import annotations

import re
import sys

from lunr import lunr
from lunr.exceptions import BaseLunrException
from mkdocs.config import load_config

from generator.cache import Cache, content_key
from generator.exports.papers import paper_url
from generator.pipeline import Project, read_catalogue
from generator.progress import Progress
from generator.report import Report, printable

TITLE_BOOST = 1000  # Material for MkDocs' own title boost
_SYNTAX = re.compile(r"[:*^~+\-]")  # lunr query operators; a stray one must not fail


def search(project: Project, query: str, limit: int) -> int:
    """Print title and full URL of the best `limit` matches among the papers the site shows
    (records, curation and hiding applied), best first, ties in score broken on slug; exit 1
    when nothing matched."""
    if not query.strip():
        print('Give words to search for, e.g. search "linear attention".', file=sys.stderr)
        return 2
    read = read_catalogue(project, Report(), Progress(show=False))
    papers = sorted(read.curated.papers, key=lambda p: p.slug)
    parts = [part for p in papers for part in (p.slug, p.title, p.abstract)]
    documents = [{"id": p.slug, "title": p.title, "text": p.abstract} for p in papers]
    fields = [{"field_name": "title", "boost": TITLE_BOOST}, "text"]
    index = Cache(project.cache_dir).get_or_compute(
        "lunr", content_key(parts), lambda: lunr("id", fields, documents)
    )
    try:
        results = index.search(query)
    except BaseLunrException:  # lunr syntax the user did not mean: search the words
        results = index.search(_SYNTAX.sub(" ", query))
    site_url = load_config(str(project.config_file)).site_url or ""  # MkDocs ends it with /
    titles = {p.slug: p.title for p in papers}
    ranked = sorted(results, key=lambda r: (-r["score"], r["ref"]))[:limit]
    for hit in ranked:
        print(f"{printable(titles[hit['ref']])}\n    {site_url}{paper_url(hit['ref'])}")
    if not ranked:
        print(f"No paper matches {printable(repr(query))}.", file=sys.stderr)
    return 0 if ranked else 1
