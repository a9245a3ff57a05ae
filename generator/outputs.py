"""Every download the site offers, rendered as strings keyed by docs-relative path:
JSON, BibTeX and Atom for the catalogue and for each tag."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial

from generator import bibtex
from generator.downloads import CATALOGUE_BIB, CATALOGUE_JSON, tag_export
from generator.exports import papers_json, records
from generator.feeds import feed_files
from generator.model import Catalogue, Paper
from generator.site import Site


class Exports(Mapping[str, str]):
    """The export files keyed by docs-relative path, each made when it is read (the
    writer reads each once): the catalogue's JSON and BibTeX and every tag's copy of
    them are never all in memory at once. A paper's JSON record and BibTeX entry are
    made once and joined into the catalogue's file and each of its tags'."""

    def __init__(self, catalogue: Catalogue, site: Site) -> None:
        self.catalogue, self.site = catalogue, site
        self._encoded: dict[str, str] | None = None
        self._entries: dict[str, str] | None = None
        self._made: dict[str, Callable[[], str]] = {
            CATALOGUE_JSON: lambda: papers_json(catalogue, made=self.encoded),
            CATALOGUE_BIB: lambda: bibtex.bibliography(catalogue.papers, site, self.entries),
        }
        for tag in catalogue.tags:
            papers = catalogue.tag_papers.get(tag.slug, ())
            self._made[tag_export(tag.slug, ".json")] = partial(self._json, papers)
            self._made[tag_export(tag.slug, ".bib")] = partial(self._bib, papers)
        self._small = feed_files(catalogue, site)

    @property
    def encoded(self) -> dict[str, str]:
        if self._encoded is None:
            self._encoded = records(self.catalogue)
        return self._encoded

    @property
    def entries(self) -> dict[str, str]:
        if self._entries is None:
            self._entries = bibtex.entries(self.catalogue.papers, self.site)
        return self._entries

    def _json(self, papers: tuple[Paper, ...]) -> str:
        return papers_json(self.catalogue, papers, self.encoded)

    def _bib(self, papers: tuple[Paper, ...]) -> str:
        return bibtex.bibliography(papers, self.site, self.entries)

    def __getitem__(self, path: str) -> str:
        if path in self._small:
            return self._small[path]
        return self._made[path]()

    def __iter__(self) -> Iterator[str]:
        return iter({**self._made, **self._small})

    def __len__(self) -> int:
        return len({**self._made, **self._small})
