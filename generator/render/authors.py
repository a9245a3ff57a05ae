"""What structured records add: author pages (Markdown), a paper's byline and date, and its arXiv
links. `pages` and this module use each other, so each imports the other whole."""

from __future__ import annotations

from itertools import groupby

from generator.model import Catalogue, Paper
from generator.read import arxiv
from generator.read.authors import Author, author_slug, index_authors
from generator.render import blocks as page
from generator.render import pages as render

AUTHORS_INDEX = "authors/index.md"
COAUTHORS_SHOWN = 50  # most papers together first


def author_path(slug: str) -> str:
    return f"authors/{slug}.md"


def author_pages(catalogue: Catalogue) -> render.Described:
    """The authors index and one page per author, described block by block; none while no
    author is known, so the site has no page nothing links to."""
    authors = index_authors(catalogue.papers)
    if not authors:
        return {}
    names = {author.slug: author.name for author in authors}
    pages = {author_path(a.slug): _author_page(catalogue, a, names) for a in authors}
    return {AUTHORS_INDEX: _authors_index(authors), **pages}


def _papers(count: int) -> str:
    return f"{count} paper{'s' if count != 1 else ''}"


def _author_page(
    catalogue: Catalogue, author: Author, names: dict[str, str]
) -> tuple[dict, list[page.Block]]:
    source = author_path(author.slug)
    index = page.Link("All authors", render.rel(source, AUTHORS_INDEX))
    blocks: list[page.Block] = [
        page.Heading(1, author.name),
        page.Paragraph((page.fixed(f"{_papers(len(author.papers))} in this catalogue · "), index)),
        page.Heading(2, "Papers"),
    ]
    items = []
    for slug in author.papers:
        paper = catalogue.by_slug[slug]
        item: tuple = (page.Link(paper.title, render.rel(source, render.paper_path(slug))),)
        if when := _date_text(catalogue, paper):
            item += (page.fixed('<br><span class="paper-date">'), *when, page.fixed("</span>"))
        items.append(item)
    blocks.append(page.Items(tuple(items)))
    if author.coauthors:
        # At most COAUTHORS_SHOWN: an author of many papers may have hundreds.
        shown = tuple(
            (
                page.Link(names[slug], render.rel(source, author_path(slug))),
                page.fixed(f" ({_papers(shared)} together)"),
            )
            for slug, shared in author.coauthors[:COAUTHORS_SHOWN]
        )
        blocks += [page.Heading(2, "Co-authors"), page.Items(shown)]
        if (more := len(author.coauthors) - len(shown)) > 0:
            more_text = page.fixed(f"and {more} more, named on the papers above.")
            blocks.append(page.Paragraph((more_text,)))
    return render.LIST_MATTER, blocks


def _authors_index(authors: tuple[Author, ...]) -> tuple[dict, list[page.Block]]:
    papers = {slug for author in authors for slug in author.papers}
    intro = f"{len(authors)} authors of {len(papers)} papers, A to Z."
    blocks: list[page.Block] = [page.Heading(1, "Authors"), page.Paragraph((page.fixed(intro),))]
    for letter, group in groupby(authors, key=lambda author: render.initial(author.name)):
        items = tuple(
            (
                page.Link(a.name, render.rel(AUTHORS_INDEX, author_path(a.slug))),
                page.fixed(f" ({_papers(len(a.papers))})"),
            )
            for a in group
        )
        blocks += [page.Heading(2, letter), page.Items(items)]
    return render.LIST_MATTER, blocks


def _date_text(catalogue: Catalogue, paper: Paper) -> tuple:
    """The publication date when known, else the first listing's capture date, saying which."""
    if paper.published:
        return (page.fixed("Published "), page.Text(paper.published))
    date = render.full_date(catalogue.listing(paper.listings[0])) if paper.listings else ""
    return (page.fixed("Listed "), page.Text(date), page.fixed(" (capture date)")) if date else ()


def paper_facts(catalogue: Catalogue, paper: Paper, source: str) -> list[page.Paragraph]:
    """The lines under a paper's title: its authors, then its date, venue and arXiv id."""
    lines = []
    if paper.authors:
        links = [
            page.Link(name, render.rel(source, author_path(author_slug(name))))
            for name in paper.authors
        ]
        lines.append(page.Paragraph(page.joined(page.fixed(", "), links), css="paper-authors"))
    facts = [_date_text(catalogue, paper)]
    if paper.venue:
        facts.append(page.emphasis(paper.venue))
    if paper.arxiv_id:
        facts.append((page.Raw("arXiv&#58;", "arXiv:"), page.Text(paper.arxiv_id)))
    facts = [fact for fact in facts if fact]
    if facts:
        pieces = sum(page.joined((page.DOT,), facts), ())
        lines.append(page.Paragraph(pieces, css="paper-facts"))
    return lines


def arxiv_link_items(paper: Paper) -> list[tuple]:
    """Link list items for the paper's arXiv abstract page, PDF and Hugging Face page."""
    if not paper.arxiv_id:
        return []
    targets = [
        ("simple-arxiv", "arXiv", arxiv.abs_url(paper.arxiv_id)),
        ("material-file-pdf-box", "PDF", arxiv.pdf_url(paper.arxiv_id)),
        ("simple-huggingface", "Hugging Face", arxiv.hf_paper_url(paper.arxiv_id)),
    ]
    return [
        (
            page.Icon(icon),
            page.fixed(f" {label}: "),
            page.External(url.removeprefix("https://"), url),
        )
        for icon, label, url in targets
        if url
    ]
