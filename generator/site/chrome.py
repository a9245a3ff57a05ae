"""Paper pages filled into the theme's page, rendered once per kind of paper page.

Rendering Material's template is most of the cost of a paper page. Every paper page of one kind
(template, folder depth, front matter but the paper's own values) renders the same page around a few
values: its title, its HTML, its canonical URL, the id of its first heading and its citation head
(`partials/catalogue-head.html`). So the template is rendered once per kind for a stand-in page
whose values are markers, cut at the markers, and each paper's values are put in their places,
escaped as the template escapes them (where the plugin's `main.html` escapes a value, it prints it
from `catalogue_slots`). `tests/test_chrome.py` holds a site built this way byte-equal to one built
page by page."""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

FILLED = "catalogue-filled.html"  # prints `page.catalogue_filled`
HEAD = "partials/catalogue-head.html"
SLOTS = ("title", "title_text", "content", "canonical", "toc_id", "head")
_PREFIX = "zzcatalogueslot"
_TOKENS = {
    name: f"<h1>{_PREFIX}-{name}</h1>" if name == "content" else f"{_PREFIX}-{name}-zz"
    for name in SLOTS
}
_SPLIT = re.compile("(" + "|".join(map(re.escape, _TOKENS.values())) + ")")
_SLOT_OF = {token: name for name, token in _TOKENS.items()}


@dataclass(frozen=True)
class Chrome:
    """A rendered page cut at its slots: `parts[0]`, a slot, `parts[1]`, a slot..."""

    parts: tuple[str, ...]
    slots: tuple[str, ...]

    def fill(self, values: dict[str, str]) -> str:
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out += (values[slot], part)
        return "".join(out)


def kind(url: str, meta: Mapping) -> tuple:
    """What pages filled into one chrome share: all but the slots' values. (Every paper
    page has headings; whether a page has a canonical URL is the site's.)"""
    rest = {key: value for key, value in meta.items() if key not in ("paper", "template")}
    folder = posixpath.dirname(url.rstrip("/"))
    return (meta.get("template", "main.html"), folder, url.endswith("/"), repr(rest))


def make(env, template: str, context: dict, page: Page) -> Chrome | None:
    """The chrome of `page`'s kind, rendered from its context with a stand-in page; None
    when a marker did not come through as written (a template printing a value through a
    filter of its own): such pages are rendered in full."""
    stand_in = copy.copy(page)
    stand_in.title = _TOKENS["title"]
    stand_in.content = _TOKENS["content"]
    stand_in.canonical_url = _TOKENS["canonical"] if page.canonical_url else page.canonical_url
    if page.toc:
        stand_in.toc = get_toc([{"level": 1, "id": _TOKENS["toc_id"], "name": "", "children": []}])
    stand_in.meta = {key: value for key, value in page.meta.items() if key != "paper"}
    slots = {"title_text": _TOKENS["title_text"], "head": _TOKENS["head"]}
    rendered = env.get_template(template).render(
        dict(context, page=stand_in, catalogue_slots=slots)
    )
    pieces = _SPLIT.split(rendered)
    parts, slots_found = tuple(pieces[0::2]), tuple(_SLOT_OF[t] for t in pieces[1::2])
    if any(_PREFIX in part for part in parts):
        return None
    return Chrome(parts, slots_found)


def values(page: Page, env) -> dict[str, str]:
    """`page`'s values for the slots, as the full template would print them."""
    first = next(iter(page.toc), None)
    return {
        "title": page.title,
        "title_text": str(escape(Markup(page.title).striptags())),
        "content": page.content,
        "canonical": page.canonical_url or "",
        "toc_id": first.id if first is not None else "",
        "head": env.get_template(HEAD).render(page=page),
    }
