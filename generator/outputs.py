"""Every download the site offers, by docs-relative path: JSON, BibTeX (and, per tag,
the same for the tag's papers). Pages link to these paths with `export_links`."""

from __future__ import annotations

from generator import bibtex
from generator.exports import papers_json
from generator.model import Catalogue
from generator.site import Site

CATALOGUE_JSON = "papers.json"
CATALOGUE_BIB = "catalogue.bib"


def tag_export(slug: str, suffix: str) -> str:
    """Where a tag's export with `suffix` (".json", ".bib", ".xml") lives, beside its page."""
    return f"tags/{slug}{suffix}"


def export_files(catalogue: Catalogue, site: Site) -> dict[str, str]:
    """The export files, keyed by docs-relative path."""
    files = {
        CATALOGUE_JSON: papers_json(catalogue),
        CATALOGUE_BIB: bibtex.bibliography(catalogue.papers, site),
    }
    for tag in catalogue.tags:
        papers = catalogue.tag_papers.get(tag.slug, ())
        files[tag_export(tag.slug, ".json")] = papers_json(catalogue, papers)
        files[tag_export(tag.slug, ".bib")] = bibtex.bibliography(papers, site)
    return files


def catalogue_exports() -> list[tuple[str, str]]:
    """(label, docs-relative path) of the whole-catalogue downloads, for page links."""
    return [("JSON", CATALOGUE_JSON), ("BibTeX", CATALOGUE_BIB)]


def tag_exports(slug: str) -> list[tuple[str, str]]:
    """(label, docs-relative path) of one tag's downloads, for its page."""
    return [("JSON", tag_export(slug, ".json")), ("BibTeX", tag_export(slug, ".bib"))]
