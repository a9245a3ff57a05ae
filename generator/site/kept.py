"""Paper pages kept from the last build: a page whose paper key is the one the last build wrote it
with is a `KeptFile`, which MkDocs does not render; its last output, hard-linked in `.cache/pages/`,
is put in place once a page of its kind shows its chrome unchanged. Keys and proof: ARCHITECTURE.md,
"Pages kept"."""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from generator import __version__
from generator.cache import content_key
from generator.exports import bibtex
from generator.read import arxiv, authors
from generator.render import authors as render_authors
from generator.render import blocks, escape, pages, scholar
from generator.site import compact
from generator.site import pages as linking
from generator.site.writer import json_object, place

# The code that makes a paper page from its inputs, links it and compacts it.
_CODE = (bibtex, arxiv, authors, render_authors, blocks, escape, pages, scholar, compact, linking)

MANIFEST = "manifest.json"


def site_key(config_file: Path) -> str:
    """What shapes every page beyond its chrome and its own values."""
    versions = [version(name) for name in ("mkdocs", "mkdocs-material", "jinja2")]
    parts = [config_file.read_bytes().decode("utf-8", "replace"), __version__, *versions]
    return content_key(parts + [inspect.getsource(module) for module in _CODE])


class KeptFile(File):
    """A paper page the last build's output may stand for: not a documentation page, so
    MkDocs neither reads nor renders nor writes it; `Store.finish` puts that output in
    place, or has the page made again (`remake`) when its chrome changed."""

    def __init__(
        self, config: MkDocsConfig, path: str, dest: str, remake: Callable[[], None]
    ) -> None:
        super().__init__(path, None, config.site_dir, config.use_directory_urls, dest_uri=dest)
        self.remake = remake

    def is_documentation_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        """Nothing yet: `Store.finish` places it once the chrome is known."""


class Store:
    """The last build's paper pages: `manifest` holds the site key and each page's path
    in the site, page key and chrome key; its output is stored by the three and the path."""

    def __init__(self, folder: Path, site: str) -> None:
        self.folder, self.site = folder, site
        last = json_object(folder / MANIFEST)
        pages = last.get("pages") if last.get("site") == site else None
        self.last: dict[str, list[str]] = {  # entries as written here; a damaged one keeps nothing
            dest: keys
            for dest, keys in (pages.items() if isinstance(pages, dict) else ())
            if isinstance(keys, list) and len(keys) == 2 and all(isinstance(k, str) for k in keys)
        }
        self.now: dict[str, list[str]] = {}
        self.witnesses: set[tuple] = set()
        # Gone until this build ends: a failed build promises nothing about the store.
        (folder / MANIFEST).unlink(missing_ok=True)

    def keeps(self, dest: str, key: str, kind: tuple) -> bool:
        """Whether the last output of the page at `dest` may stand for it: its key is the
        same, and a page of its kind is rendered (a witness of the chrome) in this build."""
        if kind not in self.witnesses:
            self.witnesses.add(kind)
            return False
        last = self.last.get(dest)
        return last is not None and last[0] == key and self._output(dest, *last).is_file()

    def wrote(self, dest: str, key: str, chrome: str) -> None:
        """Record a page written in this build with its keys."""
        self.now[dest] = [key, chrome]

    def finish(self, site_dir: Path, kept: list[KeptFile], chromes: set[str]) -> None:
        """Put the kept pages' last output in place (those whose chrome changed are made
        again), store the pages written, drop what no page uses now, record this build."""
        self.folder.mkdir(parents=True, exist_ok=True)
        last, self.last = self.last, {}  # a page made again here is made, not kept
        for file in kept:
            key, chrome = last[file.dest_uri]
            if chrome in chromes:
                self.now[file.dest_uri] = [key, chrome]
                _link(self._output(file.dest_uri, key, chrome), site_dir / file.dest_uri)
            else:
                file.remake()
        used = set()
        for dest, keys in self.now.items():
            stored = self._output(dest, *keys)
            used.add(stored.name)
            if not stored.exists():
                _link(site_dir / dest, stored)
        for name in os.listdir(self.folder):
            if name.endswith(".html") and name not in used:
                (self.folder / name).unlink()
        manifest = {"site": self.site, "pages": self.now}
        (self.folder / MANIFEST).write_text(json.dumps(manifest, sort_keys=True))

    def _output(self, dest: str, key: str, chrome: str) -> Path:
        return self.folder / f"{content_key([self.site, chrome, key, dest])}.html"


def _link(source: Path, target: Path) -> None:
    """`target` as a hard link to `source` (a copy across file systems), replacing it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".kept")
    temporary.unlink(missing_ok=True)
    place(source, temporary)
    os.replace(temporary, target)
