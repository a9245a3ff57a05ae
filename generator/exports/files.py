"""Every download the site offers, keyed by docs-relative path: the catalogue's JSON,
BibTeX and Atom, and each tag's BibTeX and Atom."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache, partial

from generator.exports import bibtex
from generator.exports.feeds import feed_files, feed_paths
from generator.exports.papers import papers_json
from generator.exports.paths import CATALOGUE_BIB, CATALOGUE_JSON, tag_export
from generator.model import Catalogue
from generator.site.address import Site


class Exports(Mapping[str, str | bytes]):
    """The export files keyed by docs-relative path, each made when it is read. BibTeX
    leaves abstracts out, as Google Scholar's does (papers.json has them). A paper's entry
    is made once for all files holding it."""

    def __init__(self, catalogue: Catalogue, site: Site) -> None:
        entries: dict[str, bytes] = {}  # each paper's BibTeX entry, for every file it is in
        bib = partial(bibtex.bibliography, site=site, abstracts=False, memo=entries)
        self._made: dict[str, Callable[[], str | bytes]] = {
            CATALOGUE_JSON: partial(papers_json, catalogue),
            CATALOGUE_BIB: partial(bib, catalogue.papers),
        }
        for tag in catalogue.tags:
            papers = catalogue.tag_papers.get(tag.slug, ())
            self._made[tag_export(tag.slug, ".bib")] = partial(bib, papers)
        feeds = cache(partial(feed_files, catalogue, site))  # all made at once, when one is read
        for path in feed_paths(catalogue):
            self._made[path] = partial(lambda key: feeds()[key], path)

    def __getitem__(self, path: str) -> str | bytes:
        return self._made[path]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._made)

    def __len__(self) -> int:
        return len(self._made)
