"""What the renderers need to know about where the site is published (from mkdocs.yml)."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from functools import lru_cache
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


def read_config(config_file: Path) -> dict:
    """mkdocs.yml as MkDocs reads it (its `!ENV` tags resolved), or {} when it holds no
    mapping. A build reads it in several places: the same text, at the same place and
    with the same environment, is parsed once (50 ms), each caller getting its own copy."""
    key = (str(config_file), config_file.read_bytes(), tuple(sorted(os.environ.items())))
    if b"INHERIT" in key[1]:  # the parent file's text is not in the key
        return _parsed.__wrapped__(key)
    return copy.deepcopy(_parsed(key))


@lru_cache(maxsize=4)
def _parsed(key: tuple[str, bytes, tuple]) -> dict:
    import io

    from mkdocs.utils.yaml import yaml_load

    stream = io.BytesIO(key[1])
    stream.name = key[0]  # for `!relative` paths
    raw = yaml_load(stream)
    return raw if isinstance(raw, dict) else {}


def load_site(config_file: Path) -> Site:
    """`site_url` and `site_name` from mkdocs.yml ($SITE_URL wins, as MkDocs does)."""
    if not config_file.is_file():
        return UNKNOWN
    config = read_config(config_file)
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
