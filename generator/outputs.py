"""Every download the site offers, rendered as strings keyed by docs-relative path:
JSON, BibTeX and Atom for the catalogue and for each tag, and the Papers page's facet index."""

from __future__ import annotations

from generator import bibtex
from generator.downloads import CATALOGUE_BIB, CATALOGUE_JSON, tag_export
from generator.exports import papers_json, records
from generator.facets import facets_files
from generator.feeds import feed_files
from generator.model import Catalogue
from generator.site import Site


def export_files(catalogue: Catalogue, site: Site) -> dict[str, str]:
    """The export files, keyed by docs-relative path. A paper's JSON record and BibTeX
    entry are made once and joined into the catalogue's file and each of its tags'."""
    encoded = records(catalogue)
    entries = bibtex.entries(catalogue.papers, site)
    files = {
        CATALOGUE_JSON: papers_json(catalogue, made=encoded),
        CATALOGUE_BIB: bibtex.bibliography(catalogue.papers, site, entries),
    }
    for tag in catalogue.tags:
        papers = catalogue.tag_papers.get(tag.slug, ())
        files[tag_export(tag.slug, ".json")] = papers_json(catalogue, papers, encoded)
        files[tag_export(tag.slug, ".bib")] = bibtex.bibliography(papers, site, entries)
    files.update(facets_files(catalogue))
    files.update(feed_files(catalogue, site))
    return files
