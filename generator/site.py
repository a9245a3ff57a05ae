"""What the renderers need to know about where the site is published (from mkdocs.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Site:
    """The published site. `url` is absolute and ends with "/", or is "" when unknown.

    With no URL, exports that need absolute links (BibTeX `url`, citation meta tags,
    Atom links) leave them out or fall back to links relative to the file.
    """

    url: str = ""
    name: str = "Paper Catalogue"
    capture_year: int = 2000  # nominal year for capture dates without one (see feeds.py)

    def absolute(self, path: str) -> str:
        """`path` (relative to the site root) as an absolute URL, or "" without a site URL."""
        return self.url + path if self.url else ""


UNKNOWN = Site()


def load_site(config_file: Path) -> Site:
    """`site_url` and `site_name` from mkdocs.yml ($SITE_URL wins, as MkDocs does)."""
    if not config_file.is_file():
        return UNKNOWN
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as handle:
        config = yaml_load(handle) or {}
    url = str(config.get("site_url") or "")
    if url and not url.endswith("/"):
        url += "/"
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    year = extra.get("capture_year")
    return Site(
        url=url,
        name=str(config.get("site_name") or Site.name),
        capture_year=year if isinstance(year, int) and 1 <= year <= 9999 else Site.capture_year,
    )
