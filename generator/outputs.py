"""Every download the site offers, keyed by docs-relative path: JSON, BibTeX and Atom
for the catalogue and for each tag."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial

from generator import bibtex
from generator.downloads import CATALOGUE_BIB, CATALOGUE_JSON, tag_export
from generator.exports import papers_json, tag_json
from generator.feeds import feed_files
from generator.model import Catalogue
from generator.site import Site


class Exports(Mapping[str, str | bytes]):
    """The export files keyed by docs-relative path, each made when it is read (the
    writer reads each once and lets it go): the catalogue's JSON and BibTeX, tens of MB
    at 50,000 papers, and the tags' files are never all in memory at once. The
    catalogue's files hold each paper whole; a tag's hold its papers briefly (see
    `exports.tag_json`; BibTeX without abstracts)."""

    def __init__(self, catalogue: Catalogue, site: Site) -> None:
        self._made: dict[str, Callable[[], bytes]] = {
            CATALOGUE_JSON: partial(papers_json, catalogue),
            CATALOGUE_BIB: partial(bibtex.bibliography, catalogue.papers, site),
        }
        for tag in catalogue.tags:
            papers = catalogue.tag_papers.get(tag.slug, ())
            self._made[tag_export(tag.slug, ".json")] = partial(tag_json, catalogue, papers)
            self._made[tag_export(tag.slug, ".bib")] = partial(
                bibtex.bibliography, papers, site, False
            )
        self._small = feed_files(catalogue, site)

    def __getitem__(self, path: str) -> str | bytes:
        if path in self._small:
            return self._small[path]
        return self._made[path]()

    def __iter__(self) -> Iterator[str]:
        return iter({**self._made, **self._small})

    def __len__(self) -> int:
        return len({**self._made, **self._small})
