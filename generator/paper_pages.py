"""The paper pages as a mapping that renders each page when it is read.

The writer reads every file once, in path order, and lets it go, so the Markdown of
tens of thousands of paper pages (about 5 KB each) is never all in memory at once. Each
page's HTML body (`paper_page`) is made with it and kept in `bodies` for the writer's
next folder; `bodies` is a `Handed` mapping, which lets each body go once it is read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator import render
from generator.model import Catalogue, Paper
from generator.render import paper_path
from generator.site import UNKNOWN, Site


def body_path(slug: str) -> str:
    """Where a paper page's HTML body lives in the bodies folder."""
    return f"papers/{slug}.html"


class Handed(dict[str, str]):
    """A dict whose values are handed over once: reading one removes it, so a folder of
    page bodies is freed as the writer writes it (`write_tree` reads each file once)."""

    def __getitem__(self, key: str) -> str:
        return self.pop(key)


class PaperPages(Mapping[str, str]):
    """docs/papers/<slug>.md of every paper not in `unchanged`, rendered when read; the
    page's HTML body goes into `bodies` (when given) under `body_path(slug)`."""

    def __init__(
        self,
        catalogue: Catalogue,
        site: Site = UNKNOWN,
        bodies: dict[str, str] | None = None,
        unchanged: frozenset[str] = frozenset(),
    ) -> None:
        self.catalogue, self.site, self.bodies = catalogue, site, bodies
        self._papers: dict[str, Paper] = {
            paper_path(p.slug): p for p in catalogue.papers if p.slug not in unchanged
        }

    def __getitem__(self, path: str) -> str:
        paper = self._papers[path]
        markdown, body = render.paper_page_files(self.catalogue, paper, self.site)
        if self.bodies is not None:
            self.bodies[body_path(paper.slug)] = body
        return markdown

    def __iter__(self) -> Iterator[str]:
        return iter(self._papers)

    def __len__(self) -> int:
        return len(self._papers)
