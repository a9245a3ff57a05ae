"""The list pages: Home, Papers (A to Z, numbered pages), Tags and each tag, Listings and
each listing. Each is described block by block (`blocks`), to be written as Markdown and as
HTML (`pages.Ready`)."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from generator.exports import paths as downloads
from generator.model import Catalogue, Listing, Paper, Tag
from generator.render import authors as render_authors
from generator.render import blocks as page
from generator.render import paginate
from generator.render.escape import md_inline
from generator.render.frontmatter import front_matter
from generator.render.pages import (
    LIST_MATTER,
    Described,
    Ready,
    _folder,
    _tag_pieces,
    full_date,
    initial,
    listing_path,
    listing_title,
    paper_path,
    ready_pages,
    rel,
    tag_path,
)
from generator.render.paginate import SMALL, Browse
from generator.render.scholar import SNIPPET, opening
from generator.render.stats import has_code, tag_counts

HOME_TAGS = 12
HOME_LISTINGS = 5
HOME_PAPERS = 8  # of the newest listing
# Front matter `feeds:`, which main.html turns into <link rel="alternate feed"> tags.
CATALOGUE_FEEDS = [{"title": "Newest papers", "href": downloads.CATALOGUE_FEED}]


def render_pages(catalogue: Catalogue, browse: Browse, ready: dict[str, Ready]) -> dict[str, str]:
    """Every generated page but the paper pages, keyed by docs-relative path: those
    described block by block into `ready`, the others returned as Markdown."""
    memo: dict = {}  # list items, written once per folder
    described = browse_pages(catalogue, browse, memo) | tags_index(catalogue)
    described |= listings_index(catalogue)
    for tag in catalogue.tags:
        described |= tag_pages(catalogue, tag, browse, memo)
    for number, listing in enumerate(catalogue.listings, start=1):
        described |= listing_page(catalogue, listing, number, memo)
    ready |= ready_pages(described | render_authors.author_pages(catalogue))
    return {"index.md": render_home(catalogue)}


def _paper_item(catalogue: Catalogue, source: str, paper: Paper, memo: dict) -> tuple:
    """A paper in a list: its title linked, the opening of its abstract, then its tags on
    the next line. Written once per folder (`memo`): its links are the same from every page
    there, and a paper is listed on the Papers page, its tags' pages and its listings'."""
    key = (_folder(source), paper.slug)
    if key not in memo:
        tags = _tag_pieces(catalogue, source, catalogue.paper_tags.get(paper.slug, ()))
        target = rel(source, paper_path(paper.slug))
        memo[key] = _list_item(paper.title, target, tags, opening(paper.abstract, SNIPPET))
    return memo[key]


def _list_item(title: str, target: str, tags: tuple, snippet: str) -> tuple:
    item: tuple = (page.Link(title, target),)
    if snippet:  # the abstract's opening, for skimming
        item += page.below(page.Text(snippet))
    if tags:  # on a line of their own: after the snippet (a block) or a line break
        item += (page.fixed("\n" if snippet else "<br>"), *tags)
    return (page.rendered(item),)


def tag_pages(
    catalogue: Catalogue, tag: Tag, browse: Browse = SMALL, memo: dict | None = None
) -> Described:
    """The tag's page, A to Z; above `browse.per_page` papers, numbered pages of them."""
    papers = catalogue.tag_papers.get(tag.slug, ())
    feed = {"title": f"Papers tagged {tag.name}", "href": downloads.tag_export(tag.slug, ".xml")}
    pages = _az_pages(catalogue, papers, tag_path(tag.slug), browse, [feed], False, memo)
    count = page.Text(f"{len(papers):,} paper{'s' if len(papers) != 1 else ''}")
    area = (page.fixed(" in "), *page.emphasis(tag.area)) if tag.area else ()
    for source, (matter, body) in pages.items():
        blocks: list[page.Block] = [page.Heading(1, tag.name)]
        if tag.description:
            blocks.append(page.Paragraph((page.Text(tag.description),)))
        tags = page.Link("All tags", rel(source, "tags/index.md"))
        filters = f"{rel(source, 'papers/index.md')}?tag={tag.slug}"
        combine = page.Link("Combine with other filters", filters)
        blocks.append(page.Paragraph((count, *area, page.fixed(". "), tags, page.DOT, combine)))
        blocks.append(_downloads(source, downloads.tag_exports(tag.slug)))
        pages[source] = (matter, blocks + body)
    return pages


def _az_pages(
    catalogue: Catalogue,
    papers: tuple[Paper, ...],
    first: str,
    browse: Browse,
    feeds: list[dict],
    headings: bool,
    memo: dict | None = None,
) -> Described:
    """`papers` A to Z as pages keyed by path, `first` the first, with `feeds` in their front
    matter: above `browse.per_page` papers, numbered pages with an A-Z jump (in place of the
    contents sidebar), pager and initials' headings (which a single page has when `headings`)."""
    memo = memo if memo is not None else {}
    az = sorted(papers, key=lambda p: (p.title.casefold(), p.slug))  # title ignoring case
    chunks = paginate.split(az, browse.per_page)
    paths = paginate.page_paths(first, len(chunks))
    hide = ["navigation"] if len(chunks) == 1 else ["navigation", "toc"]
    matter = {"hide": hide, "search": {"exclude": True}, "feeds": feeds}
    initials = [[initial(paper.title) for paper in chunk] for chunk in chunks]
    first_pages = paginate.first_pages(initials)
    by_letter = headings or len(chunks) > 1
    pages = {}
    for number, (source, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
        start = (number - 1) * browse.per_page
        span = f"Papers {start + 1:,}–{start + len(chunk):,} of {len(papers):,}"
        pager = paginate.pager(paths, number, span)  # None for a single page
        jump = [paginate.az_jump(paths, first_pages, number), pager] if pager else []
        out: list[page.Block] = list(filter(None, jump))
        rows = zip(chunk, initials[number - 1], strict=True)
        for letter, group in groupby(rows, key=lambda row: row[1] if by_letter else ""):
            out += [paginate.heading(letter)] if letter else []
            out.append(page.Items(tuple(_paper_item(catalogue, source, p, memo) for p, _ in group)))
        out += [pager] if pager else []
        pages[source] = (matter, out)
    return pages


def _downloads(source: str, items: list[tuple[str, str]]) -> page.Paragraph:
    links = page.joined(page.DOT, (page.Link(label, rel(source, path)) for label, path in items))
    return page.Paragraph((page.Icon("material-download"), page.fixed(" Download: "), *links))


def tags_index(catalogue: Catalogue) -> Described:
    """The Tags page: every tag by area, with its count and description."""
    source = "tags/index.md"
    counts = tag_counts(catalogue)
    intro = f"{len(catalogue.tags)} topics, grouped by area. Each paper has one to six."
    blocks: list[page.Block] = [page.Heading(1, "Tags"), page.Paragraph((page.fixed(intro),))]
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
    return {source: (LIST_MATTER, blocks)}


def listing_page(catalogue: Catalogue, listing: Listing, number: int, memo: dict) -> Described:
    """A listing's page: when and where it was captured, then its papers in its order."""
    source = listing_path(listing.slug)
    blocks: list[page.Block] = [page.Heading(1, listing_title(listing, number))]
    captured = f"Captured {full_date(listing)}" if listing.date else "Capture date unknown"
    source_file = (page.fixed(" · source file <code>"), page.Text(listing.source))
    count = (page.fixed("</code> · "), page.Text(f"{len(listing.records)} entries."))
    blocks.append(page.Paragraph((page.Text(captured), *source_file, *count)))
    top = _listing_tags(catalogue, listing)
    if top:
        mostly = page.fixed("Mostly about: ")
        blocks.append(page.Paragraph((mostly, *_tag_pieces(catalogue, source, top))))
    filters = f"{rel(source, 'papers/index.md')}?listing={listing.slug}"
    blocks.append(page.Paragraph((page.Link("Filter this listing's papers", filters),)))
    blocks.append(_prev_next(catalogue, source, number))
    # Each record is its paper's by place: papers whose titles differ only in symbols share
    # a title key, not a place.
    papers = catalogue.listing_papers.get(listing.slug, ())
    at = {place: paper for paper in papers for place in paper.sources}
    shown: dict[str, tuple] = {}
    for record in listing.records:
        paper = at.get((record.source, record.line))
        if paper and paper.slug not in shown:
            shown[paper.slug] = _paper_item(catalogue, source, paper, memo)
    if shown:
        blocks.append(page.Items(tuple(shown.values()), ordered=True))
    blocks.append(_prev_next(catalogue, source, number))
    return {source: (LIST_MATTER, blocks)}


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
    return page.Paragraph(page.joined(page.DOT, parts))


def listings_index(catalogue: Catalogue) -> Described:
    """The Listings page: every listing with its number of entries and its top tags."""
    source = "listings/index.md"
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
            item += (page.fixed("<br>"), *_tag_pieces(catalogue, source, top))
        items.append(item)
    if items:
        blocks.append(page.Items(tuple(items)))
    return {source: (LIST_MATTER, blocks)}


def browse_pages(
    catalogue: Catalogue, browse: Browse = SMALL, memo: dict | None = None
) -> Described:
    """The Papers page, A to Z with filters; above `browse.per_page` papers, numbered pages."""
    papers = catalogue.papers
    pages = _az_pages(catalogue, papers, "papers/index.md", browse, CATALOGUE_FEEDS, True, memo)
    # Filled by static/browse.js, which loads facets.js (and on large sites filters through
    # Pagefind's index); without JavaScript the A-Z list below is all.
    mode = ' data-engine="pagefind"' if browse.pagefind else ""
    facets = page.RawBlock(
        f'<div id="facets" class="facets" data-pages="{len(pages)}"{mode}></div>'
    )
    intro = f"{len(papers):,} papers, A to Z. Search (top right) finds words in any abstract."
    for source, (matter, body) in pages.items():
        blocks: list[page.Block] = [page.Heading(1, "All papers")]
        blocks += [page.Paragraph((page.Text(intro),))]
        blocks += [_downloads(source, downloads.catalogue_exports()), facets]
        pages[source] = (matter, blocks + body)
    return pages


def _by_date(catalogue: Catalogue) -> list[tuple[int, Listing]]:
    """The listings with their numbers, oldest first: by full date where known, then in
    the order they arrived."""
    numbered = list(enumerate(catalogue.listings, start=1))
    return sorted(numbered, key=lambda item: (item[1].day, item[0]))


def _latest_papers(catalogue: Catalogue) -> list[str]:
    """The newest listing's first papers, each with the opening of its abstract."""
    if not catalogue.listings:
        return []
    number, latest = _by_date(catalogue)[-1]
    papers = catalogue.listing_papers.get(latest.slug, ())
    if not papers:
        return []
    out = [f"\n## New in {md_inline(listing_title(latest, number))}\n"]
    for p in papers[:HOME_PAPERS]:
        item = _list_item(p.title, paper_path(p.slug), (), opening(p.abstract, SNIPPET))
        out.append("- " + page.inline(item))
    if len(papers) > HOME_PAPERS:
        out.append(f"\n[All {len(papers)} papers of this listing]({listing_path(latest.slug)})\n")
    return out


def render_home(catalogue: Catalogue) -> str:
    """The Home page as Markdown. It is at the docs root: links to pages are their paths."""
    counts = tag_counts(catalogue)
    with_code = sum(map(has_code, catalogue.papers))
    matter = {"hide": ["navigation"], "feeds": CATALOGUE_FEEDS}
    out = [front_matter(matter), "# Paper catalogue\n"]
    out.append(
        f"**{len(catalogue.papers)} papers** from **{len(catalogue.listings)} listings**, "
        f"sorted into **{len(catalogue.tags)} tags**; {with_code} link their code. "
        "Every paper page shows its abstract, its tags, the papers most related to it "
        "and why. Search from any page, or share a search as a link: "
        f"[`?q=linear attention`](index.md?q=linear+attention).\n"
    )
    buttons = [
        "[Browse all papers](papers/index.md){ .md-button .md-button--primary }",
        "[Tags](tags/index.md){ .md-button }",
        "[Listings](listings/index.md){ .md-button }",
    ]
    if any(paper.authors for paper in catalogue.papers):
        buttons.append(f"[Authors]({render_authors.AUTHORS_INDEX}){{ .md-button }}")
    out.append(" ".join(buttons) + "\n")
    download = _downloads("index.md", downloads.catalogue_exports())
    out.append(page.inline(download.pieces) + "\n")
    out.append("## Latest listings\n")
    for number, listing in reversed(_by_date(catalogue)[-HOME_LISTINGS:]):
        out.append(
            f"- [{md_inline(listing_title(listing, number))}]"
            f"({listing_path(listing.slug)}): {len(listing.records)} entries"
        )
    out += _latest_papers(catalogue)
    out.append("\n## Top tags\n")
    top = sorted(catalogue.tags, key=lambda t: (-counts[t.slug], t.name))[:HOME_TAGS]
    out.extend(f"- [{md_inline(t.name)}]({tag_path(t.slug)}): {counts[t.slug]} papers" for t in top)
    return "\n".join(out) + "\n"
