"""BibTeX entries for papers: one per paper page, and whole bibliographies (.bib files).

Every value is escaped so that any title or abstract stays one balanced, literal field:
LaTeX specials are backslash-escaped and braces and backslashes become brace-balanced
commands, because BibTeX counts braces even after a backslash.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from generator import arxiv
from generator.exports import paper_url
from generator.model import Paper
from generator.site import Site

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
WIDTH = 78


def escape(text: str) -> str:
    """`text` as a literal BibTeX/LaTeX value on one line."""
    return "".join(_SPECIAL.get(char, char) for char in " ".join(text.split()))


def key(paper: Paper) -> str:
    """The citation key: the paper's slug, which is unique and made of [a-z0-9-]."""
    return paper.slug


def fields(paper: Paper, site: Site) -> list[tuple[str, str]]:
    """The (name, escaped value) pairs of a paper's entry, in output order."""
    out = [("title", "{" + escape(paper.title) + "}")]  # inner braces keep its capitals
    if paper.authors:
        out.append(("author", " and ".join(escape(name) for name in paper.authors)))
    if paper.published[:4].isdigit():
        out.append(("year", paper.published[:4]))
    if paper.venue:
        out.append(("journal", escape(paper.venue)))
    if paper.arxiv_id:
        # The paper, not one revision of it, as arXiv's own BibTeX cites it.
        out += [("eprint", escape(arxiv.base_id(paper.arxiv_id))), ("archiveprefix", "arXiv")]
    if paper.abstract:
        out.append(("abstract", escape(paper.abstract)))
    url = site.absolute(paper_url(paper.slug))
    if url:
        out.append(("url", escape(url)))
    return out


def entry(paper: Paper, site: Site, width: int | None = WIDTH) -> str:
    """One entry: @article when the venue is known, else @misc; values longer than `width`
    wrapped (None: one line per field, for pages, where the browser wraps them)."""
    kind = "article" if paper.venue else "misc"
    lines = [f"@{kind}{{{key(paper)},"]
    for name, value in fields(paper, site):
        head = f"  {name} = {{"
        if width is None:
            lines.append(head + value + "},")
            continue
        wrapped = textwrap.wrap(
            value,
            width,
            initial_indent=head,
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines.append("\n".join(wrapped or [head]) + "},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def bibliography(papers: Iterable[Paper], site: Site) -> str:
    """A .bib file: the entries of `papers`, in the order given, separated by blank lines."""
    return "\n".join(entry(paper, site) for paper in papers)
