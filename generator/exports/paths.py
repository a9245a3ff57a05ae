"""Where the site's downloads live (docs-relative paths) and how pages label them.

Only names here, no rendering, so page renderers and export writers can both import it."""

from __future__ import annotations

CATALOGUE_JSON = "papers.json"
CATALOGUE_BIB = "catalogue.bib"
CATALOGUE_FEED = "feed.xml"


def tag_export(slug: str, suffix: str) -> str:
    """Where a tag's export with `suffix` (".bib", ".xml") lives, beside its page."""
    return f"tags/{slug}{suffix}"


def catalogue_exports() -> list[tuple[str, str]]:
    """(label, docs-relative path) of the whole-catalogue downloads, for page links."""
    return [("JSON", CATALOGUE_JSON), ("BibTeX", CATALOGUE_BIB), ("Atom feed", CATALOGUE_FEED)]


def tag_exports(slug: str) -> list[tuple[str, str]]:
    """(label, docs-relative path) of one tag's downloads, for its page."""
    kinds = [("BibTeX", ".bib"), ("Atom feed", ".xml")]
    return [(label, tag_export(slug, suffix)) for label, suffix in kinds]
