"""A paper page, and what every page uses: paths, links, front matter, `Ready` pages.

Page paths are relative to the MkDocs docs_dir. Links between pages are relative Markdown links, so
MkDocs checks them and the site works under any sub-path."""

from __future__ import annotations

import datetime
import hashlib
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from generator.exports import bibtex
from generator.model import Catalogue, Link, Listing, Paper, Related
from generator.render import authors as render_authors
from generator.render import blocks as page
from generator.render import scholar
from generator.render.escape import CONTROL, safe_url
from generator.render.frontmatter import front_matter
from generator.site.address import UNKNOWN, Site

LINK_ICONS = {
    "code": ("Code", "material-github"),
    "project": ("Project page", "material-web"),
    "dataset": ("Dataset", "material-database"),
    "model": ("Model", "material-cube-outline"),
    "other": ("Link", "material-link-variant"),
}
RELATED_SHOWN = 8
# Control characters but the line break: shown as spaces in code blocks (Python-Markdown
# uses \x02 and \x03 as placeholders of its own).
_CONTROL = {i: space for i, space in CONTROL.items() if i != 10}


def paper_path(slug: str) -> str:
    return f"papers/{slug}.md"


def tag_path(slug: str) -> str:
    return f"tags/{slug}.md"


def listing_path(slug: str) -> str:
    return f"listings/{slug}.md"


def rel(source: str, target: str) -> str:
    """The relative link from page `source` to page `target` (both docs-relative)."""
    return _relative(target, _folder(source))


@lru_cache(maxsize=1 << 12)
def _folder(source: str) -> str:
    # A list page makes hundreds of links: its folder is found once.
    return posixpath.dirname(source) or "."


def _relative(target: str, folder: str) -> str:
    """posixpath.relpath(target, folder) for plain docs paths (no "." or ".." parts),
    without its normalising, which was a tenth of rendering a large catalogue."""
    if folder == ".":
        return target
    head = target.partition("/")[0]
    if not folder.startswith(head) or folder[len(head) : len(head) + 1] not in ("", "/"):
        return "../" * (folder.count("/") + 1) + target  # no folder in common, the usual case
    up, down = folder.split("/"), target.split("/")
    same = len(posixpath.commonprefix([up, down[:-1]]))
    return "/".join([".."] * (len(up) - same) + down[same:])


def listing_title(listing: Listing, number: int) -> str:
    """What a listing is: its capture date and the tags most of its papers have ("Mar 19,
    2025 · Quantization, Pruning"); without a date, its number in arrival order."""
    name = full_date(listing) if listing.date else f"Listing {number}"
    return name + (f" · {', '.join(listing.topics)}" if listing.topics else "")


def full_date(listing: Listing) -> str:
    """The capture date with its year when known ("Mar 19, 2025"), else as written."""
    if not listing.day:
        return listing.date
    day = datetime.date.fromisoformat(listing.day)
    return f"{day:%b} {day.day}, {day.year}"


@dataclass(frozen=True)
class Ready:
    """A generated page written twice from one description (`blocks`): as the HTML body and
    table of contents tokens Python-Markdown makes of the page's Markdown (`to_html`, when the
    page is written; tests hold them equal), and as the Markdown itself, when it is first read.
    Links in the HTML are docs-relative `.md` paths, as in the Markdown; the plugin resolves
    them as MkDocs does. `meta` is the front matter's data, `title` the first heading's."""

    meta: dict
    title: str
    blocks: tuple

    @property
    def body(self) -> str:
        """The Markdown after the front matter, as MkDocs reads it."""
        return page.to_markdown(self.blocks)

    @property
    def markdown(self) -> str:
        return front_matter(self.meta) + "\n" + self.body

    def to_html(self) -> tuple[str, list]:
        return page.to_html(self.blocks)


LIST_MATTER = {"hide": ["navigation"], "search": {"exclude": True}}  # pages of lists
Described = dict[str, tuple[dict, list[page.Block]]]  # path: (front matter, body blocks)


def ready_pages(described: Described) -> dict[str, Ready]:
    return {path: Ready(m, page.title_of(b), tuple(b)) for path, (m, b) in described.items()}


def render_paper(catalogue: Catalogue, paper: Paper, site: Site = UNKNOWN) -> str:
    """The paper's Markdown page, as its `Ready` page writes it."""
    return paper_page_files(catalogue, paper, site).markdown


def paper_page_files(
    catalogue: Catalogue, paper: Paper, site: Site = UNKNOWN, meta: dict | None = None
) -> Ready:
    """The paper's page (`Ready`); `meta`, its front matter if made."""
    blocks = paper_blocks(catalogue, paper, site)
    return Ready(meta or paper_meta(paper, site), page.title_of(blocks), tuple(blocks))


def paper_meta(paper: Paper, site: Site) -> dict:
    """A paper page's front matter: `paper` holds its head, which main.html turns into
    <meta> tags, with the description that link previews show."""
    head = {
        "citation": scholar.citation_meta(paper),
        "description": scholar.summary(paper, site),
    }
    return {**paper_matter(), "paper": head}


def paper_matter() -> dict:
    """A paper page's front matter but its head: every paper page's."""
    return {"hide": ["navigation", "toc"], "search": {"boost": 2}}


def paper_key(catalogue: Catalogue, paper: Paper, site: Site) -> str:
    """The key of what a paper page is made of: `paper_blocks` and `paper_meta` read the
    paper, the site and these values of the catalogue, and nothing else (pages of equal
    keys are equal: `tests/test_kept.py`)."""
    related = catalogue.related.get(paper.slug, ())[:RELATED_SHOWN]
    names = catalogue.tag
    inputs = (
        paper,
        site,
        [(slug, names(slug).name) for slug in catalogue.paper_tags.get(paper.slug, ())],
        [(s, _listing_name(catalogue, s)) for s in paper.listings],
        catalogue.mentions.get(paper.slug, ()),
        [catalogue.by_slug[item.slug].title for item in related],
        [  # as shown: not their scores
            (item.slug, item.shared_terms, item.named, [names(t).name for t in item.shared_tags])
            for item in related
        ],
    )
    text = repr(inputs).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def paper_blocks(catalogue: Catalogue, paper: Paper, site: Site = UNKNOWN) -> list[page.Block]:
    """What a paper page shows, top to bottom."""
    source = paper_path(paper.slug)
    blocks: list[page.Block] = [page.Heading(1, paper.title, anchor="paper")]
    blocks += render_authors.paper_facts(catalogue, paper, source)
    tags = catalogue.paper_tags.get(paper.slug, ())
    if tags:
        blocks.append(page.Paragraph(_tag_pieces(catalogue, source, tags)))
    abstract = _abstract(catalogue, paper, source) or (_NO_ABSTRACT,)
    blocks += [page.Heading(2, "Abstract"), page.Paragraph(abstract)]
    items = render_authors.arxiv_link_items(paper) + [_link_item(link) for link in paper.links]
    if items:
        blocks += [_section("Links"), page.Items(tuple(items))]
    elsewhere = page.joined(page.DOT, (page.External(*site) for site in scholar.elsewhere(paper)))
    blocks += [_section("Find it elsewhere"), page.Paragraph(elsewhere)]
    related = catalogue.related.get(paper.slug, ())[:RELATED_SHOWN]
    if related:
        lines = tuple(_related(catalogue, paper, item, source) for item in related)
        blocks += [_section("Related papers"), page.Items(lines, ordered=True)]
    if paper.listings:
        links = [
            page.Link(_listing_name(catalogue, s), rel(source, listing_path(s)))
            for s in paper.listings
        ]
        blocks += [_section("Appeared in"), page.Items(tuple((link,) for link in links))]
    blocks += [_section("Cite"), page.Code(page_bibtex(paper, site), "text")]
    return blocks


_NO_ABSTRACT = page.Raw("*No abstract.*", "<em>No abstract.</em>")


def _section(name: str) -> page.Heading:
    """A heading of what search should not find (links, related papers, citation)."""
    return page.Heading(2, name, search_exclude=True)


def _listing_name(catalogue: Catalogue, slug: str) -> str:
    return listing_title(catalogue.listing(slug), catalogue.listing_number[slug])


def page_bibtex(paper: Paper, site: Site) -> str:
    """The Cite block's entry, as in the .bib exports without their abstracts (the page
    shows it above), one line a field, control characters as spaces."""
    return bibtex.entry(paper, site, width=None, abstract=False).translate(_CONTROL)


def _tag_pieces(catalogue: Catalogue, source: str, slugs: Iterable[str]) -> tuple:
    folder = _folder(source)
    return page.joined(_SPACE, (_tag_link(folder, catalogue.tag(s).name, s) for s in slugs))


_SPACE = page.fixed(" ")


@lru_cache(maxsize=1 << 14)
def _tag_link(folder: str, name: str, slug: str) -> page.Raw:
    # Tens of thousands of tag links in a large catalogue's lists, from a few folders.
    return page.rendered((page.Link(name, _relative(tag_path(slug), folder), "tag"),))


@lru_cache(maxsize=1 << 15)
def _title_link(title: str, target: str) -> page.Raw:
    # A paper is linked from the pages of the papers it relates to, about eight of them.
    return page.rendered((page.Link(title, target),))


# Code hosts by their icon (any other host: a generic repository icon).
CODE_HOSTS = {
    "github.com": "material-github",
    "gitlab.com": "material-gitlab",
    "gitee.com": "simple-gitee",
    "codeberg.org": "simple-codeberg",
    "bitbucket.org": "material-bitbucket",
}


def _link_item(link: Link) -> tuple:
    label, kind = LINK_ICONS[link.kind]
    if link.kind == "code":
        host = urlsplit(link.url).hostname or ""
        kind = CODE_HOSTS.get(host.removeprefix("www."), "material-source-repository")
    if safe_url(link.url) is None:
        return (page.Text(link.label),)
    return (page.Icon(kind), page.fixed(f" {label}: "), page.External(link.label, link.url))


def _related(catalogue: Catalogue, paper: Paper, item: Related, source: str) -> tuple:
    """A related paper's title linked, and under it the reasons: the tags and key terms
    both papers share, and whether one's abstract names the other."""
    other = catalogue.by_slug[item.slug]
    link = _title_link(other.title, rel(source, paper_path(other.slug)))
    tags = [catalogue.tag(t).name for t in item.shared_tags]
    reasons = []
    for label, names in (("shared tags: ", tags), ("shared terms: ", item.shared_terms)):
        if names:
            reasons.append((page.fixed(label), *page.joined(_COMMA, map(page.Text, names))))
    if item.named:
        mentioned = any(m.slug == other.slug for m in catalogue.mentions.get(paper.slug, ()))
        reasons.append((page.fixed("named in this abstract" if mentioned else "names this paper"),))
    why = sum(page.joined((page.DOT,), reasons), ())
    return (link, *page.below(*why)) if why else (link,)


_COMMA = page.fixed(", ")


def _abstract(catalogue: Catalogue, paper: Paper, source: str) -> tuple:
    """The abstract, with each name of another catalogued paper linked to it."""
    text, done = paper.abstract, 0
    pieces: list[page.Text | page.Link] = []
    for mention in catalogue.mentions.get(paper.slug, ()):
        pieces.append(page.Text(text[done : mention.start], keep_spaces=True))
        target = rel(source, paper_path(mention.slug))
        pieces.append(page.Link(text[mention.start : mention.end], target))
        done = mention.end
    pieces.append(page.Text(text[done:], keep_spaces=True))
    return tuple(pieces) if text.strip() else ()


def initial(text: str) -> str:
    """The A-Z heading a name is listed under; "#" for anything but an ASCII letter."""
    first = text[:1].upper()
    return first if first.isalpha() and first.isascii() else "#"
