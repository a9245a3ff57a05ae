"""Renders what structured records add: author pages, a paper's byline and date, and
its arXiv links. Returns Markdown strings, like `render`; input text is escaped.

`render` and this module use each other, so each refers to the other as a module.
"""

from __future__ import annotations

from generator import arxiv, render
from generator.authors import Author, author_slug, index_authors
from generator.escape import md_inline, safe_url
from generator.model import Catalogue, Paper

AUTHORS_INDEX = "authors/index.md"


def author_path(slug: str) -> str:
    return f"authors/{slug}.md"


def render_author_pages(catalogue: Catalogue) -> dict[str, str]:
    """The authors index and one page per author; none while no author is known, so the
    site has no page nothing links to."""
    authors = index_authors(catalogue.papers)
    if not authors:
        return {}
    pages = {AUTHORS_INDEX: render_authors_index(authors)}
    by_slug = {author.slug: author for author in authors}
    for author in authors:
        pages[author_path(author.slug)] = render_author(catalogue, author, by_slug)
    return pages


def _header(title: str) -> list[str]:
    matter = render.front_matter({"hide": ["navigation"], "search": {"exclude": True}})
    return [matter, f"# {md_inline(title)}\n"]


def render_author(catalogue: Catalogue, author: Author, by_slug: dict[str, Author]) -> str:
    source = author_path(author.slug)
    out = _header(author.name)
    count = len(author.papers)
    out.append(
        f"{count} paper{'s' if count != 1 else ''} in this catalogue · "
        f"[All authors]({render.rel(source, AUTHORS_INDEX)})\n"
    )
    out.append("## Papers\n")
    for slug in author.papers:
        paper = catalogue.by_slug[slug]
        line = f"- [{md_inline(paper.title)}]({render.rel(source, render.paper_path(slug))})"
        when = _date_text(catalogue, paper)
        out.append(line + (f'<br><span class="paper-date">{when}</span>' if when else ""))
    out.append("")
    if author.coauthors:
        out.append("## Co-authors\n")
        for slug, shared in author.coauthors:
            other = by_slug[slug]
            out.append(
                f"- [{md_inline(other.name)}]({render.rel(source, author_path(slug))}) "
                f"({shared} paper{'s' if shared != 1 else ''} together)"
            )
        out.append("")
    return "\n".join(out) + "\n"


def render_authors_index(authors: tuple[Author, ...]) -> str:
    out = _header("Authors")
    papers = {slug for author in authors for slug in author.papers}
    out.append(f"{len(authors)} authors of {len(papers)} papers, A to Z.\n")
    letter = None
    for author in authors:
        if render.initial(author.name) != letter:
            letter = render.initial(author.name)
            out.append(f"\n## {md_inline(letter)}\n")
        count = len(author.papers)
        out.append(
            f"- [{md_inline(author.name)}]({render.rel(AUTHORS_INDEX, author_path(author.slug))}) "
            f"({count} paper{'s' if count != 1 else ''})"
        )
    return "\n".join(out) + "\n"


def _date_text(catalogue: Catalogue, paper: Paper) -> str:
    """The publication date when known, else the first listing's capture date, saying which."""
    if paper.published:
        return f"Published {md_inline(paper.published)}"
    if paper.listings:
        date = catalogue.listing(paper.listings[0]).date
        if date:
            return f"Listed {md_inline(date)} (capture date)"
    return ""


def paper_facts(catalogue: Catalogue, paper: Paper, source: str) -> list[str]:
    """The lines under a paper's title: its authors, then its date, venue and arXiv id."""
    lines = []
    if paper.authors:
        names = ", ".join(
            f"[{md_inline(name)}]({render.rel(source, author_path(author_slug(name)))})"
            for name in paper.authors
        )
        lines.append(f"{names}\n{{: .paper-authors }}\n")
    facts = [_date_text(catalogue, paper)]
    if paper.venue:
        facts.append(f"*{md_inline(paper.venue)}*")
    if paper.arxiv_id:
        facts.append(f"arXiv&#58;{md_inline(paper.arxiv_id)}")
    facts = [fact for fact in facts if fact]
    if facts:
        lines.append(" · ".join(facts) + "\n{: .paper-facts }\n")
    return lines


def arxiv_link_items(paper: Paper) -> list[str]:
    """Link list items for the paper's arXiv abstract page, PDF and Hugging Face page."""
    if not paper.arxiv_id:
        return []
    targets = [
        (":simple-arxiv: arXiv", arxiv.abs_url(paper.arxiv_id)),
        (":material-file-pdf-box: PDF", arxiv.pdf_url(paper.arxiv_id)),
        (":simple-huggingface: Hugging Face", arxiv.hf_paper_url(paper.arxiv_id)),
    ]
    return [
        f'- {icon}: <a href="{safe_url(url)}" rel="nofollow noopener">'
        f"{md_inline(url.removeprefix('https://'))}</a>"
        for icon, url in targets
        if url
    ]
