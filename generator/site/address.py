"""What the renderers need to know about where the site is published (from mkdocs.yml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """The published site. `url` is absolute and ends with "/", or is "" when unknown:
    then exports that need absolute links leave them out or link relative to the file."""

    url: str = ""
    name: str = "Paper Catalogue"
    capture_year: int = 2000  # nominal year for capture dates without one (see feeds.py)

    def absolute(self, path: str) -> str:
        """`path` (relative to the site root) as an absolute URL, or "" without a site URL."""
        return self.url + path if self.url else ""


UNKNOWN = Site()
