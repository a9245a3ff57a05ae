"""What structured records add: author pages (Markdown), a paper's byline and date, and its arXiv
links. `pages` and this module use each other, so each imports the other whole."""

from __future__ import annotations

from itertools import groupby

from generator.model import Catalogue, Paper
from generator.read import arxiv
from generator.read.authors import Author, author_slug, index_authors
from generator.render import blocks as page
from generator.render import pages as render
from generator.render.escape import md_inline
from generator.render.frontmatter import front_matter

AUTHORS_INDEX = "authors/index.md"


def author_path(slug: str) -> str:
    return f"authors/{slug}.md"


def render_author_pages(catalogue: Catalogue) -> dict[str, str]:
    """The authors index and one page per author; none while no author is known, so the
    site has no page nothing links to."""
    authors = index_authors(catalogue.papers)
    if not authors:
        return {}
    by_slug = {author.slug: author for author in authors}
    pages = {author_path(a.slug): render_author(catalogue, a, by_slug) for a in authors}
    return {AUTHORS_INDEX: render_authors_index(authors), **pages}


COAUTHORS_SHOWN = 50  # most papers together first


def _papers(count: int) -> str:
    return f"{count} paper{'s' if count != 1 else ''}"


def _header(title: str) -> list[str]:
    matter = front_matter(render.LIST_MATTER)
    return [matter, f"# {md_inline(title)}\n"]


def render_author(catalogue: Catalogue, author: Author, by_slug: dict[str, Author]) -> str:
    source = author_path(author.slug)
    out = _header(author.name)
    out.append(
        f"{_papers(len(author.papers))} in this catalogue · "
        f"[All authors]({render.rel(source, AUTHORS_INDEX)})\n"
    )
    out.append("## Papers\n")
    for slug in author.papers:
        paper = catalogue.by_slug[slug]
        line = f"- [{md_inline(paper.title)}]({render.rel(source, render.paper_path(slug))})"
        when = page.inline(_date_text(catalogue, paper))
        out.append(line + (f'<br><span class="paper-date">{when}</span>' if when else ""))
    out.append("")
    if author.coauthors:
        out.append("## Co-authors\n")
        # At most COAUTHORS_SHOWN: a paper of a thousand authors would otherwise list a
        # thousand co-authors on each of their thousand pages (a million lines).
        for slug, shared in author.coauthors[:COAUTHORS_SHOWN]:
            out.append(
                f"- [{md_inline(by_slug[slug].name)}]({render.rel(source, author_path(slug))}) "
                f"({_papers(shared)} together)"
            )
        more = len(author.coauthors) - COAUTHORS_SHOWN
        if more > 0:
            out.append(f"\nand {more} more, named on the papers above.")
        out.append("")
    return "\n".join(out) + "\n"


def render_authors_index(authors: tuple[Author, ...]) -> str:
    out = _header("Authors")
    papers = {slug for author in authors for slug in author.papers}
    out.append(f"{len(authors)} authors of {len(papers)} papers, A to Z.\n")
    for letter, group in groupby(authors, key=lambda author: render.initial(author.name)):
        out.append(f"\n## {md_inline(letter)}\n")
        out.extend(
            f"- [{md_inline(author.name)}]({render.rel(AUTHORS_INDEX, author_path(author.slug))}) "
            f"({_papers(len(author.papers))})"
            for author in group
        )
    return "\n".join(out) + "\n"


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
