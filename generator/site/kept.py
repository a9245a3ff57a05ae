"""Paper pages kept from the last build: a page whose paper key and output key are those
the last build wrote it with is neither made nor rendered; its last output, hard-linked
in `.cache/pages/`, is put in place. Keys and proof: ARCHITECTURE.md, "Pages kept".
"""

from __future__ import annotations

import inspect
import json
import os
from importlib.metadata import version
from pathlib import Path

from generator import __version__
from generator.cache import content_key
from generator.exports import bibtex
from generator.read import arxiv, authors
from generator.render import authors as render_authors
from generator.render import blocks, escape, pages, scholar
from generator.site import compact
from generator.site import pages as site_pages
from generator.site.writer import json_object, place

# The code that makes a paper page from its inputs, links it and compacts it.
_CODE = (
    *(bibtex, arxiv, authors, render_authors, blocks, escape, pages, scholar),
    *(compact, site_pages),
)

# What a kept page is written as until its last output replaces it (`Store.finish`):
# MkDocs skips an empty page with a log line each.
PLACEHOLDER = "<!-- kept from the last build -->"
MANIFEST = "manifest.json"


def site_key(config_file: Path) -> str:
    """What shapes every page beyond its chrome and its own values."""
    versions = [version(name) for name in ("mkdocs", "mkdocs-material", "jinja2")]
    parts = [config_file.read_bytes().decode("utf-8", "replace"), __version__, *versions]
    return content_key(parts + [inspect.getsource(module) for module in _CODE])


class Store:
    """The last build's paper pages by output key, and which keys each was written with
    (`manifest`: its path in the site to [page key, output key])."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.last: dict[str, list[str]] = json_object(folder / MANIFEST)
        self.now: dict[str, list[str]] = {}
        # Gone until this build ends: a build that fails half way leaves no promise about
        # the pages in the store.
        (folder / MANIFEST).unlink(missing_ok=True)

    def kept(self, path: str, key: str, output: str) -> bool:
        """Whether the last build's stored output of `path` is this one; recorded either way."""
        self.now[path] = [key, output]
        return self.last.get(path) == [key, output] and (self.folder / f"{output}.html").is_file()

    def finish(self, site_dir: Path, kept: set[str]) -> None:
        """Put the kept pages' last output in place, store the pages written, drop what no
        path uses now, and record this build."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for path, (_, output) in self.now.items():
            stored, target = self.folder / f"{output}.html", site_dir / path
            if path in kept:
                _link(stored, target)
            elif not stored.exists():
                _link(target, stored)
        used = {f"{output}.html" for _, output in self.now.values()}
        for name in os.listdir(self.folder):
            if name.endswith(".html") and name not in used:
                (self.folder / name).unlink()
        (self.folder / MANIFEST).write_text(json.dumps(self.now, sort_keys=True))


def _link(source: Path, target: Path) -> None:
    """`target` as a hard link to `source` (a copy across file systems), replacing it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".kept")
    temporary.unlink(missing_ok=True)
    place(source, temporary)
    os.replace(temporary, target)
