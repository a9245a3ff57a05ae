"""Renders the catalogue as Markdown pages. Returns strings; `writer` puts them on disk.

Page paths are relative to the MkDocs docs_dir. Links between pages are relative
Markdown links, so MkDocs checks them and the site works under any sub-path.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import posixpath
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import yaml

from generator.exports import bibtex
from generator.exports import paths as downloads
from generator.model import Catalogue, Link, Listing, Paper, Tag
from generator.read.text import title_key
from generator.render import authors as render_authors
from generator.render import blocks as page
from generator.render import frontmatter, paginate, scholar
from generator.render.escape import CONTROL, md_inline, safe_url
from generator.render.paginate import SMALL, Browse
from generator.site.address import UNKNOWN, Site

LINK_ICONS = {
    "code": ("Code", "material-github"),
    "project": ("Project page", "material-web"),
    "dataset": ("Dataset", "material-database"),
    "model": ("Model", "material-cube-outline"),
    "other": ("Link", "material-link-variant"),
}
RELATED_SHOWN = 8
HOME_TAGS = 12
HOME_LISTINGS = 5
_YAML_BREAKS = "\x85\u2028\u2029"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
    same = 0
    for a, b in zip(up, down[:-1], strict=False):
        if a != b:
            break
        same += 1
    return "/".join([".."] * (len(up) - same) + down[same:])


def front_matter(data: dict) -> str:
    """YAML front matter; values are dumped, never spliced, so input cannot break it.

    Written by `frontmatter.dump`; values it does not write go through PyYAML (libyaml's
    emitter, CSafeDumper, when PyYAML has it)."""
    dumped = frontmatter.dump(data)
    if dumped is not None:
        return "---\n" + dumped + "---\n"
    dumped = _dump(data, allow_unicode=True)
    if any(char in dumped for char in _YAML_BREAKS):  # a reader would fold them to spaces
        dumped = _dump(data, allow_unicode=False)
    return "---\n" + dumped + "---\n"


def _dump(data: dict, allow_unicode: bool) -> str:
    try:
        return yaml.dump(data, Dumper=_DUMPER, sort_keys=True, allow_unicode=allow_unicode)
    except UnicodeEncodeError:  # a lone surrogate (from a JSON record): libyaml cannot
        return yaml.safe_dump(data, sort_keys=True, allow_unicode=allow_unicode)


def listing_title(listing: Listing, number: int) -> str:
    return f"Listing {number}" + (f" · {listing.date}" if listing.date else "")


@dataclass(frozen=True)
class Ready:
    """A generated page written twice from one description (`blocks`): the HTML body and
    table of contents tokens Python-Markdown makes of the page's Markdown (tests hold them
    equal), and the Markdown itself, written when it is first read. Links in `html` are
    docs-relative `.md` paths, as in the Markdown; the plugin resolves them as MkDocs
    does. `meta` is the front matter's data; `matter` the front matter as written, or
    None to write it from `meta`."""

    html: str
    toc: list
    meta: dict
    title: str
    blocks: tuple
    matter: str | None = None

    @cached_property
    def body(self) -> str:
        """The Markdown after the front matter, as MkDocs reads it."""
        return page.to_markdown(list(self.blocks))

    @property
    def markdown(self) -> str:
        matter = self.matter if self.matter is not None else front_matter(self.meta)
        return matter + "\n" + self.body


def render_pages(
    catalogue: Catalogue, browse: Browse = SMALL, ready: dict[str, Ready] | None = None
) -> dict[str, str]:
    """Every generated Markdown page but the paper pages (`paper_page_files`), keyed by its
    docs-relative path; the pages described block by block also go into `ready`."""
    pages: dict[str, str] = {"index.md": render_home(catalogue)}
    memo: dict = {}  # list items, written once per folder
    add_pages(pages, ready, browse_pages(catalogue, browse, memo))
    add_pages(pages, ready, tags_index(catalogue))
    add_pages(pages, ready, listings_index(catalogue))
    for tag in catalogue.tags:
        add_pages(pages, ready, tag_pages(catalogue, tag, browse, memo))
    for number, listing in enumerate(catalogue.listings, start=1):
        add_pages(pages, ready, listing_page(catalogue, listing, number, memo))
    pages.update(render_authors.render_author_pages(catalogue))
    return pages


Described = dict[str, tuple[str, list[page.Block]]]  # path: (front matter, body blocks)


def add_pages(pages: dict[str, str], ready: dict[str, Ready] | None, described: Described) -> None:
    """Described pages as Markdown into `pages` and, whole, into `ready`."""
    for path, (matter, blocks) in described.items():
        made = _ready(blocks, matter=matter)
        pages[path] = made.markdown
        if ready is not None:
            ready[path] = made


def ready_pages(described: Described) -> dict[str, Ready]:
    return {path: _ready(blocks, matter=matter) for path, (matter, blocks) in described.items()}


def _markdown(matter: str, blocks: list[page.Block]) -> str:
    return matter + "\n" + page.to_markdown(blocks)


def _ready(blocks: list[page.Block], meta: dict | None = None, matter: str | None = None) -> Ready:
    """A page from its blocks and its front matter's data or text."""
    body, toc = page.to_html(blocks, _slugify)
    if meta is None:
        meta = yaml.load(matter.split("---\n", 2)[1], Loader=_LOADER) or {}
    title = next((t["name"] for t in toc if t["level"] == 1), "")  # escaped, as MkDocs' is
    title = title if title.strip() else ""
    return Ready(body, toc, meta, title, tuple(blocks), matter)


def as_markdown(described: Described) -> dict[str, str]:
    return {path: _markdown(matter, blocks) for path, (matter, blocks) in described.items()}


def _tag_links(catalogue: Catalogue, source: str, slugs: Iterable[str]) -> str:
    return page.inline_markdown(_tag_pieces(catalogue, source, slugs))


def _paper_item(catalogue: Catalogue, source: str, paper: Paper, memo: dict) -> tuple:
    """A paper in a list: its title linked, then its tags on the next line. Written once
    per folder (`memo`): its links are the same from every page there, and a paper is
    listed on the Papers page, each of its tags' pages and its listings' pages."""
    folder = _folder(source)
    made = memo.get((folder, paper.slug))
    if made is None:
        tags = catalogue.paper_tags.get(paper.slug, ())
        pieces = memo.get((folder, tags))  # papers share their few tags' combinations
        if pieces is None:
            pieces = memo[folder, tags] = _tag_pieces(catalogue, source, tags)
        made = memo[folder, paper.slug] = _list_item(
            paper.title, rel(source, paper_path(paper.slug)), pieces
        )
    return made


@lru_cache(maxsize=1 << 15)
def _list_item(title: str, target: str, tags: tuple) -> tuple:
    # Folders at the same depth (tags/, listings/) link a paper and its tags alike.
    item: tuple = (page.Link(title, target),)
    if tags:
        item += (page.Raw("<br>", "<br>"), *tags)
    return (page.rendered(item),)


def render_paper(catalogue: Catalogue, paper: Paper, site: Site = UNKNOWN) -> str:
    """The paper's Markdown page (front matter, then the body of `paper_blocks`)."""
    return paper_page_files(catalogue, paper, site).markdown


def paper_page_files(catalogue: Catalogue, paper: Paper, site: Site = UNKNOWN) -> Ready:
    """The paper's page, as Markdown and as ready HTML."""
    head = scholar.head(catalogue, paper, site)
    data = {"hide": ["navigation", "toc"], "search": {"boost": 2}, "paper": head}
    return _ready(paper_blocks(catalogue, paper, site), meta=data)


def paper_key(catalogue: Catalogue, paper: Paper, site: Site = UNKNOWN) -> str:
    """A hash of everything `paper_page_files` reads for this paper, and of the code that
    renders it: equal keys mean byte-equal page and body, so a rebuild can skip it."""
    return paper_keys(catalogue, (paper,), site)[paper.slug]


def paper_keys(catalogue: Catalogue, papers: Iterable[Paper], site: Site = UNKNOWN) -> dict:
    """`paper_key` of each of `papers`, by slug, with the lookups they share made once
    (most of the time went to looking up the related papers' titles and tag names)."""
    names = {tag.slug: tag.name for tag in catalogue.tags}
    name = names.__getitem__
    by_slug, mentions, tags = catalogue.by_slug, catalogue.mentions, catalogue.paper_tags
    version = _code_version()
    listings = {
        slug: (slug, listing_title(catalogue.listing(slug), number))
        for slug, number in catalogue.listing_number.items()
    }
    keys = {}
    for paper in papers:
        related = catalogue.related.get(paper.slug, ())[:RELATED_SHOWN]
        inputs = (
            version,
            paper,
            site,
            list(map(name, tags.get(paper.slug, ()))),
            [
                (
                    item.slug,
                    by_slug[item.slug].title,
                    item.shared_terms,
                    list(map(name, item.shared_tags)),
                    _named(catalogue, paper, by_slug[item.slug]) if item.named else "",
                )
                for item in related
            ],
            mentions.get(paper.slug, ()),
            [listings[slug] for slug in paper.listings],
        )
        keys[paper.slug] = hashlib.sha256(_value_bytes(inputs)).hexdigest()
    return keys


def _value_bytes(value: object) -> bytes:
    """`value` (text, numbers, tuples, lists, frozen dataclasses) as bytes that depend on
    its values only: a pickle without its memo, which would otherwise record which equal
    strings happen to be one object. Several times faster than `repr` of a paper."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the same bytes for equal values, shared or not
    pickler.dump(value)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _code_version() -> str:
    import inspect

    from generator.read import arxiv, authors
    from generator.render import escape

    modules = (sys.modules[__name__], page, render_authors, scholar, bibtex, arxiv, authors, escape)
    source = "".join(inspect.getsource(module) for module in modules)
    return hashlib.sha256(source.encode()).hexdigest()


def _slugify(text: str, separator: str) -> str:
    from markdown.extensions.toc import slugify

    return slugify(text, separator)


def paper_blocks(catalogue: Catalogue, paper: Paper, site: Site = UNKNOWN) -> list[page.Block]:
    """What a paper page shows, top to bottom."""
    source = paper_path(paper.slug)
    blocks: list[page.Block] = [page.Heading(1, paper.title)]
    blocks += render_authors.paper_facts(catalogue, paper, source)
    tags = catalogue.paper_tags.get(paper.slug, ())
    if tags:
        blocks.append(page.Paragraph(_tag_pieces(catalogue, source, tags)))
    blocks.append(page.Heading(2, "Abstract"))
    abstract = _abstract(catalogue, paper, source)
    blocks.append(
        page.Paragraph(abstract or (page.Raw("*No abstract.*", "<em>No abstract.</em>"),))
    )
    items = render_authors.arxiv_link_items(paper) + [_link_item(link) for link in paper.links]
    if items:
        blocks.append(page.Heading(2, "Links", search_exclude=True))
        blocks.append(page.Items(tuple(items)))
    blocks.append(page.Heading(2, "Find it elsewhere", search_exclude=True))
    elsewhere: list = []
    for label, url in scholar.elsewhere(paper):
        elsewhere += [page.Raw(" · ", " · ")] if elsewhere else []
        elsewhere.append(page.External(label, url))
    blocks.append(page.Paragraph(tuple(elsewhere)))
    related = catalogue.related.get(paper.slug, ())[:RELATED_SHOWN]
    if related:
        blocks.append(page.Heading(2, "Related papers", search_exclude=True))
        lines = []
        for item in related:
            other = catalogue.by_slug[item.slug]
            line: tuple = (_title_link(other.title, rel(source, paper_path(other.slug))),)
            why = _why(catalogue, item.shared_terms, item.shared_tags)
            if item.named:
                why += [page.Raw(" · ", " · ")] if why else []
                named = _named(catalogue, paper, other)
                why.append(page.Raw(named, named))
            lines.append(line + ((page.Why(tuple(why)),) if why else ()))
        blocks.append(page.Items(tuple(lines), ordered=True))
    if paper.listings:
        blocks.append(page.Heading(2, "Appeared in", search_exclude=True))
        blocks.append(
            page.Items(
                tuple(
                    (
                        page.Link(
                            listing_title(catalogue.listing(slug), catalogue.listing_number[slug]),
                            rel(source, listing_path(slug)),
                        ),
                    )
                    for slug in paper.listings
                )
            )
        )
    blocks.append(page.Heading(2, "Cite", search_exclude=True))
    blocks.append(page.Code(page_bibtex(paper, site), "bibtex"))
    return blocks


def page_bibtex(paper: Paper, site: Site) -> str:
    """The Cite block's entry, as in the .bib exports without their abstracts (the page
    shows it above), one line a field, control characters as spaces."""
    return bibtex.entry(replace(paper, abstract=""), site, width=None).translate(_CONTROL)


def _tag_pieces(catalogue: Catalogue, source: str, slugs: Iterable[str]) -> tuple:
    pieces: list = []
    folder = _folder(source)
    for slug in slugs:
        pieces += [_SPACE] if pieces else []
        pieces.append(_tag_link_in(folder, catalogue.tag(slug).name, slug))
    return tuple(pieces)


_SPACE = page.Raw(" ", " ")


@lru_cache(maxsize=1 << 14)
def _tag_link_in(folder: str, name: str, slug: str) -> page.Rendered:
    # Tens of thousands of tag links in a large catalogue's lists, from a few folders.
    return _tag_link(name, _relative(tag_path(slug), folder))


@lru_cache(maxsize=1 << 15)
def _title_link(title: str, target: str) -> page.Rendered:
    # A paper is linked from the pages of the papers it relates to, about eight of them.
    return page.rendered((page.Link(title, target),))


@lru_cache(maxsize=1 << 14)
def _tag_link(name: str, target: str) -> page.Rendered:
    # The same few tag links recur on every paper page and in every list.
    return page.rendered((page.Link(name, target, "tag"),))


def _link_item(link: Link) -> tuple:
    label, kind = LINK_ICONS[link.kind]
    if safe_url(link.url) is None:
        return (page.Text(link.label),)
    return (
        page.Icon(kind),
        page.Raw(f" {label}: ", f" {label}: "),
        page.External(link.label, link.url),
    )


def _why(catalogue: Catalogue, terms: tuple[str, ...], tags: tuple[str, ...]) -> list:
    """The reasons shown under a related paper: the tags and key terms both papers share."""
    parts: list = []
    for label, names in (
        ("shared tags: ", [catalogue.tag(t).name for t in tags]),
        ("shared terms: ", list(terms)),
    ):
        if names:
            parts += [page.Raw(" · ", " · ")] if parts else []
            parts.append(page.Raw(label, label))
            for n, name in enumerate(names):
                parts += [page.Raw(", ", ", ")] if n else []
                parts.append(page.Text(name))
    return parts


def _named(catalogue: Catalogue, paper: Paper, other: Paper) -> str:
    if any(m.slug == other.slug for m in catalogue.mentions.get(paper.slug, ())):
        return "named in this abstract"
    return "names this paper"


def _abstract(catalogue: Catalogue, paper: Paper, source: str) -> tuple:
    """The abstract, with each name of another catalogued paper linked to it."""
    text, pieces, done = paper.abstract, [], 0
    for mention in catalogue.mentions.get(paper.slug, ()):
        pieces.append(page.Text(text[done : mention.start], keep_spaces=True))
        target = rel(source, paper_path(mention.slug))
        pieces.append(page.Link(text[mention.start : mention.end], target))
        done = mention.end
    pieces.append(page.Text(text[done:], keep_spaces=True))
    return tuple(pieces) if text.strip() else ()


def render_tag(catalogue: Catalogue, tag: Tag, browse: Browse = SMALL) -> dict[str, str]:
    """The tag's pages as Markdown (see `tag_pages`)."""
    return as_markdown(tag_pages(catalogue, tag, browse))


def tag_pages(
    catalogue: Catalogue, tag: Tag, browse: Browse = SMALL, memo: dict | None = None
) -> Described:
    """The tag's page, A to Z; above `browse.per_page` papers, numbered pages of them."""
    papers = sorted(catalogue.tag_papers.get(tag.slug, ()), key=_az)
    bodies = _az_bodies(catalogue, papers, tag_path(tag.slug), browse, False, memo)
    feed = {"title": f"Papers tagged {tag.name}", "href": downloads.tag_export(tag.slug, ".xml")}
    matter = front_matter(
        {"hide": _hidden(len(bodies)), "search": {"exclude": True}, "feeds": [feed]}
    )
    count = f"{len(papers):,} paper{'s' if len(papers) != 1 else ''}"
    area = (page.Raw(" in ", " in "), page.Emphasis(tag.area)) if tag.area else ()
    pages = {}
    for source, body in bodies.items():
        blocks: list[page.Block] = [page.Heading(1, tag.name)]
        if tag.description:
            blocks.append(page.Paragraph((page.Text(tag.description),)))
        filters = f"{rel(source, 'papers/index.md')}?tag={tag.slug}"
        blocks.append(
            page.Paragraph(
                (
                    page.Text(count),
                    *area,
                    page.Raw(". ", ". "),
                    page.Link("All tags", rel(source, "tags/index.md")),
                    _DOT,
                    page.Link("Combine with other filters", filters),
                )
            )
        )
        blocks.append(_downloads(source, downloads.tag_exports(tag.slug)))
        pages[source] = (matter, blocks + body)
    return pages


_DOT = page.Raw(" · ", " · ")


def _hidden(pages: int) -> list[str]:
    """Material's sidebars to hide: on numbered pages the A-Z jump replaces the contents."""
    return ["navigation"] if pages == 1 else ["navigation", "toc"]


def _az(paper: Paper) -> tuple[str, str]:
    """The A-Z order of every paper list: title ignoring case, then slug."""
    return _az_key(paper.title, paper.slug)


@lru_cache(maxsize=1 << 17)
def _az_key(title: str, slug: str) -> tuple[str, str]:
    # A paper is sorted on the Papers page and on each of its tags' pages.
    return title.casefold(), slug


def _az_bodies(
    catalogue: Catalogue,
    papers: list[Paper],
    first: str,
    browse: Browse,
    headings: bool,
    memo: dict | None = None,
) -> dict[str, list[page.Block]]:
    """The A-Z list of `papers` as page bodies keyed by page path, `first` the first.
    Above `browse.per_page` papers, numbered pages: the A-Z jump and pager, the papers under
    their initials' headings, the pager again. One page lists the papers, under their
    initials' headings when `headings`."""
    memo = memo if memo is not None else {}
    chunks = paginate.split(papers, browse.per_page)
    paths = paginate.page_paths(first, len(chunks))
    initials = [[initial(paper.title) for paper in chunk] for chunk in chunks]
    first_pages = paginate.first_pages(initials)
    bodies, done = {}, 0
    for number, (source, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
        out: list[page.Block] = []
        pager = None
        if len(chunks) > 1:
            span = paginate.span(done, len(chunk), len(papers), "Papers")
            pager = paginate.pager(paths, number, span)
            out += filter(None, [paginate.az_jump(paths, first_pages, number), pager])
        letter, items = None, []
        for paper, letter_now in zip(chunk, initials[number - 1], strict=True):
            if (headings or len(chunks) > 1) and letter_now != letter:
                out += [page.Items(tuple(items))] if items else []
                letter, items = letter_now, []
                out.append(paginate.heading(letter))
            items.append(_paper_item(catalogue, source, paper, memo))
        out += [page.Items(tuple(items))] if items else []
        out += [pager] if pager else []
        bodies[source] = out
        done += len(chunk)
    return bodies


def _downloads(source: str, items: list[tuple[str, str]]) -> page.Paragraph:
    pieces: list = [page.Icon("material-download"), page.Raw(" Download: ", " Download: ")]
    for n, (label, path) in enumerate(items):
        pieces += [_DOT] if n else []
        pieces.append(page.Link(label, rel(source, path)))
    return page.Paragraph(tuple(pieces))


def _catalogue_feed() -> list[dict[str, str]]:
    """Front matter `feeds:`, which main.html turns into <link rel="alternate feed"> tags."""
    return [{"title": "Newest papers", "href": downloads.CATALOGUE_FEED}]


def _tag_counts(catalogue: Catalogue) -> Counter[str]:
    return Counter(tag for tags in catalogue.paper_tags.values() for tag in tags)


TAGS_INTRO = "topics, grouped by area. Each paper has one to six."


def tags_index(catalogue: Catalogue) -> Described:
    """The Tags page: every tag by area, with its count and description."""
    source = "tags/index.md"
    counts = _tag_counts(catalogue)
    matter = front_matter({"hide": ["navigation"], "search": {"exclude": True}})
    blocks: list[page.Block] = [
        page.Heading(1, "Tags"),
        page.Paragraph((page.fixed(f"{len(catalogue.tags)} {TAGS_INTRO}"),)),
    ]
    areas: dict[str, list[Tag]] = {}
    for tag in catalogue.tags:
        areas.setdefault(tag.area, []).append(tag)
    for area, tags in areas.items():
        blocks.append(page.Heading(2, area or "Other"))
        items = tuple(
            (
                page.Link(tag.name, rel(source, tag_path(tag.slug))),
                page.fixed(f" ({counts[tag.slug]}): "),
                page.Text(tag.description),
            )
            for tag in tags
        )
        blocks.append(page.Items(items))
    return {source: (matter, blocks)}


def render_listing(catalogue: Catalogue, listing: Listing, number: int) -> str:
    """The listing's page as Markdown (see `listing_page`)."""
    return next(iter(as_markdown(listing_page(catalogue, listing, number)).values()))


def listing_page(
    catalogue: Catalogue, listing: Listing, number: int, memo: dict | None = None
) -> Described:
    """A listing's page: when and where it was captured, then its papers in its order."""
    source = listing_path(listing.slug)
    matter = front_matter({"hide": ["navigation"], "search": {"exclude": True}})
    blocks: list[page.Block] = [page.Heading(1, listing_title(listing, number))]
    captured = f"Captured {listing.date}" if listing.date else "Capture date unknown"
    blocks.append(
        page.Paragraph(
            (
                page.Text(captured),
                page.Raw(" · source file <code>", " · source file <code>"),
                page.Text(listing.source),
                page.Raw("</code> · ", "</code> · "),
                page.Text(f"{len(listing.records)} entries."),
            )
        )
    )
    top = _listing_tags(catalogue, listing)
    if top:
        mostly = page.Raw("Mostly about: ", "Mostly about: ")
        blocks.append(page.Paragraph((mostly, *_tag_pieces(catalogue, source, top))))
    filters = f"{rel(source, 'papers/index.md')}?listing={listing.slug}"
    blocks.append(page.Paragraph((page.Link("Filter this listing's papers", filters),)))
    blocks.append(_prev_next(catalogue, source, number))
    shown: dict[str, tuple] = {}
    for record in listing.records:
        paper = catalogue.by_key.get(title_key(record.title))
        if paper and paper.slug not in shown:
            shown[paper.slug] = _paper_item(
                catalogue, source, paper, memo if memo is not None else {}
            )
    if shown:
        blocks.append(page.Items(tuple(shown.values()), ordered=True))
    blocks.append(_prev_next(catalogue, source, number))
    return {source: (matter, blocks)}


def _listing_tags(catalogue: Catalogue, listing: Listing, limit: int = 5) -> list[str]:
    counts: Counter[str] = Counter()
    for paper in catalogue.listing_papers.get(listing.slug, ()):
        counts.update(catalogue.paper_tags.get(paper.slug, ()))
    return [tag for tag, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def _prev_next(catalogue: Catalogue, source: str, number: int) -> page.Paragraph:
    parts = []
    if number > 1:
        prev = catalogue.listings[number - 2]
        title = f"← {listing_title(prev, number - 1)}"
        parts.append(page.Link(title, rel(source, listing_path(prev.slug))))
    parts.append(page.Link("All listings", rel(source, "listings/index.md")))
    if number < len(catalogue.listings):
        nxt = catalogue.listings[number]
        title = f"{listing_title(nxt, number + 1)} →"
        parts.append(page.Link(title, rel(source, listing_path(nxt.slug))))
    pieces: list = []
    for part in parts:
        pieces += [_DOT] if pieces else []
        pieces.append(part)
    return page.Paragraph(tuple(pieces))


def listings_index(catalogue: Catalogue) -> Described:
    """The Listings page: every listing with its number of entries and its top tags."""
    source = "listings/index.md"
    matter = front_matter({"hide": ["navigation"], "search": {"exclude": True}})
    blocks: list[page.Block] = [
        page.Heading(1, "Listings"),
        page.Paragraph((page.fixed("Each listing is one captured page of papers, newest last."),)),
    ]
    items = []
    for number, listing in enumerate(catalogue.listings, start=1):
        top = _listing_tags(catalogue, listing, limit=3)
        item: tuple = (
            page.Link(listing_title(listing, number), rel(source, listing_path(listing.slug))),
            page.fixed(f": {len(listing.records)} entries"),
        )
        if top:
            item += (page.Raw("<br>", "<br>"), *_tag_pieces(catalogue, source, top))
        items.append(item)
    if items:
        blocks.append(page.Items(tuple(items)))
    return {source: (matter, blocks)}


def initial(text: str) -> str:
    """The A-Z heading a name is listed under; "#" for anything but an ASCII letter."""
    first = text[:1].upper()
    return first if first.isalpha() and first.isascii() else "#"


def render_browse(catalogue: Catalogue, browse: Browse = SMALL) -> dict[str, str]:
    """The Papers pages as Markdown (see `browse_pages`)."""
    return as_markdown(browse_pages(catalogue, browse))


def browse_pages(
    catalogue: Catalogue, browse: Browse = SMALL, memo: dict | None = None
) -> Described:
    """The Papers page, A to Z with filters; above `browse.per_page` papers, numbered pages."""
    papers = sorted(catalogue.papers, key=_az)
    bodies = _az_bodies(catalogue, papers, "papers/index.md", browse, True, memo)
    matter = front_matter(
        {"hide": _hidden(len(bodies)), "search": {"exclude": True}, "feeds": _catalogue_feed()}
    )
    # Filled by static/browse.js, which loads facets.js (and on large sites filters through
    # Pagefind's index); without JavaScript the A-Z list below is all.
    mode = ' data-engine="pagefind"' if browse.pagefind else ""
    facets = page.RawBlock(
        f'<div id="facets" class="facets" data-pages="{len(bodies)}"{mode}></div>'
    )
    intro = f"{len(papers):,} papers, A to Z. Search (top right) finds words in any abstract."
    pages = {}
    for source, body in bodies.items():
        blocks: list[page.Block] = [page.Heading(1, "All papers")]
        blocks += [page.Paragraph((page.Text(intro),))]
        blocks += [_downloads(source, downloads.catalogue_exports()), facets]
        pages[source] = (matter, blocks + body)
    return pages


def render_home(catalogue: Catalogue) -> str:
    source = "index.md"
    counts = _tag_counts(catalogue)
    with_code = sum(1 for p in catalogue.papers if any(k.kind == "code" for k in p.links))
    matter = {"hide": ["navigation"], "feeds": _catalogue_feed()}
    out = [front_matter(matter), "# Paper catalogue\n"]
    out.append(
        f"**{len(catalogue.papers)} papers** from **{len(catalogue.listings)} listings**, "
        f"sorted into **{len(catalogue.tags)} tags**; {with_code} link their code. "
        "Every paper page shows its abstract, its tags, the papers most related to it "
        "and why. Search from any page, or share a search as a link: "
        f"[`?q=linear attention`](index.md?q=linear+attention).\n"
    )
    out.append(
        f"[Browse all papers]({rel(source, 'papers/index.md')})"
        "{ .md-button .md-button--primary } "
        f"[Tags]({rel(source, 'tags/index.md')}){{ .md-button }} "
        f"[Listings]({rel(source, 'listings/index.md')}){{ .md-button }}"
        + (
            f" [Authors]({rel(source, render_authors.AUTHORS_INDEX)}){{ .md-button }}"
            if any(paper.authors for paper in catalogue.papers)
            else ""
        )
        + "\n"
    )
    download = _downloads(source, downloads.catalogue_exports())
    out.append(page.inline_markdown(download.pieces) + "\n")
    out.append("## Latest listings\n")
    numbered = list(enumerate(catalogue.listings, start=1))
    for number, listing in reversed(numbered[-HOME_LISTINGS:]):
        out.append(
            f"- [{md_inline(listing_title(listing, number))}]"
            f"({rel(source, listing_path(listing.slug))}): {len(listing.records)} entries"
        )
    out.append("\n## Top tags\n")
    top = sorted(catalogue.tags, key=lambda t: (-counts[t.slug], t.name))[:HOME_TAGS]
    out.extend(
        f"- [{md_inline(t.name)}]({rel(source, tag_path(t.slug))}): {counts[t.slug]} papers"
        for t in top
    )
    return "\n".join(out) + "\n"
