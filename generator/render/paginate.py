"""Long A-Z lists (the Papers index, tag pages) split into numbered pages, and how the Papers page
filters: what the browse pages need from mkdocs.yml.

Page 1 keeps the list's address (papers/, tags/<slug>/); page n is `page-n/` inside that folder, a
name slugs.py never gives a paper, so no page takes another's address. Each page carries a pager and
an A-Z jump to the page and heading holding each initial."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.render import blocks as page
from generator.render.pages import rel

PER_PAGE = 500
WINDOW = 2  # page numbers shown either side of the current one
T = TypeVar("T")


@dataclass(frozen=True)
class Browse:
    """How the browse pages are laid out. `per_page` >= 1 entries per page; `pagefind`:
    the Papers page filters through Pagefind's index instead of facets.js (large sites)."""

    per_page: int = PER_PAGE
    pagefind: bool = False


SMALL = Browse()  # the defaults: facets.js filters, PER_PAGE papers a page


def split(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """`items` in pages of `per_page`; always at least one page (maybe empty)."""
    pages = [items[start : start + per_page] for start in range(0, len(items), per_page)]
    return pages or [items[:0]]


def page_paths(first: str, count: int) -> list[str]:
    """Docs-relative paths of `count` pages whose first is `first` (`papers/index.md`,
    `tags/x.md`): the later ones are `page-n.md` in the first page's folder."""
    folder = first[: -len("index.md")] if first.endswith("/index.md") else first[:-3] + "/"
    return [first] + [f"{folder}page-{number}.md" for number in range(2, count + 1)]


def _link(source: str, target: str, anchor: str = "") -> str:
    return (rel(source, target) if target != source else "") + (f"#{anchor}" if anchor else "")


def pager(paths: Sequence[str], number: int, counts: str) -> page.Paragraph | None:
    """The pager of page `number` (1-based) among `paths`: previous, a page list (the
    first, the last and WINDOW either side of this one) and next; None for a single page.
    `counts` (e.g. "Papers 501–1,000 of 9,876") opens it."""
    if len(paths) < 2:
        return None
    source = paths[number - 1]
    shown = sorted(
        {1, len(paths), *range(max(1, number - WINDOW), min(len(paths), number + WINDOW) + 1)}
    )
    items: list = []
    if number > 1:
        items.append(page.Link("← Previous", _link(source, paths[number - 2])))
    last = 0
    for shown_page in shown:
        if shown_page > last + 1:
            items.append(page.fixed('<span class="pager__gap">…</span>'))
        if shown_page == number:
            items.append(page.fixed(f'<strong aria-current="page">{shown_page}</strong>'))
        else:
            items.append(page.Link(str(shown_page), _link(source, paths[shown_page - 1])))
        last = shown_page
    if number < len(paths):
        items.append(page.Link("Next →", _link(source, paths[number])))
    pieces = (page.Text(f"{counts} · page {number} of {len(paths)}"), page.fixed("<br>"))
    return page.Paragraph(pieces + page.joined(page.fixed(" "), items), css="pager")


def anchor(letter: str) -> str:
    """The id of an A-Z heading: the letter in lower case, "other" for "#"."""
    return letter.lower() if letter.isalpha() else "other"


def heading(letter: str) -> page.Heading:
    """An A-Z heading with a fixed id, so jumps from other pages always find it."""
    return page.Heading(2, letter, anchor=anchor(letter))


def first_pages(initials: Sequence[Sequence[str]]) -> dict[str, int]:
    """Each initial's first page (1-based), in order; `initials[n]` are page n+1's."""
    first: dict[str, int] = {}
    for number, letters in enumerate(initials, start=1):
        for letter in letters:
            first.setdefault(letter, number)
    return first


def az_jump(paths: Sequence[str], first: dict[str, int], number: int) -> page.Paragraph | None:
    """Links from page `number` to each initial's first heading, on whichever page holds
    it (`first`, from `first_pages`); None when there are none."""
    source = paths[number - 1]
    links = [
        page.Link(letter, _link(source, paths[at - 1], anchor(letter)))
        for letter, at in first.items()
    ]
    return page.Paragraph(page.joined(page.fixed(" "), links), css="az-jump") if links else None
