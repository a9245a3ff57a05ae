"""BibTeX entries for papers: one per paper page, and whole bibliographies (.bib files).

Every value is escaped so that any title or abstract stays one balanced, literal field: LaTeX
specials are backslash-escaped and braces and backslashes become brace-balanced commands, because
BibTeX counts braces even after a backslash."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from generator.exports.papers import paper_url
from generator.model import Paper
from generator.read import arxiv
from generator.site.address import Site

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "^": r"\^{}",
    "~": r"\~{}",
    **{char: "\\" + char for char in "%&$#_"},
}
_TABLE = str.maketrans(_SPECIAL)
WIDTH = 78


def escape(text: str) -> str:
    """`text` as a literal BibTeX/LaTeX value on one line (words separated by one space)."""
    return " ".join(text.split()).translate(_TABLE)


def entry(paper: Paper, site: Site, width: int | None = WIDTH, abstract: bool = True) -> str:
    """One entry: @article when the venue is known, else @misc; values escaped, and wrapped
    when longer than `width` (None: one line per field, for pages, where the browser wraps
    them); without the abstract when `abstract` is false."""
    fields = [("title", "{" + escape(paper.title) + "}")]  # inner braces keep its capitals
    if paper.authors:
        fields.append(("author", " and ".join(escape(name) for name in paper.authors)))
    if paper.published[:4].isdigit():
        fields.append(("year", paper.published[:4]))
    if paper.venue:
        fields.append(("journal", escape(paper.venue)))
    if paper.arxiv_id:
        # The paper, not one revision of it, as arXiv's own BibTeX cites it.
        fields += [("eprint", escape(arxiv.base_id(paper.arxiv_id))), ("archiveprefix", "arXiv")]
    if abstract and paper.abstract:
        fields.append(("abstract", escape(paper.abstract)))
    if url := site.absolute(paper_url(paper.slug)):
        fields.append(("url", escape(url)))
    kind = "article" if paper.venue else "misc"
    lines = [f"@{kind}{{{paper.slug},"]  # the citation key: unique, made of [a-z0-9-]
    for name, value in fields:
        head = f"  {name} = {{"
        lines.append((head + value if width is None else wrap(value, width, head, "    ")) + "},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def wrap(value: str, width: int, head: str, indent: str) -> str:
    """`value` (words separated by single spaces) filled into lines of at most `width`
    characters, the first starting with `head` and the rest with `indent`: `textwrap.wrap`
    with break_long_words and break_on_hyphens off, without its cost."""
    if "  " in value:  # only from an empty author name: textwrap keeps such runs whole
        return "\n".join(
            textwrap.wrap(
                value,
                width,
                initial_indent=head,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [head]
        )
    # Greedy fill a line at a time: the last space that keeps the line within `width`
    # (str.rfind, in C) rather than a word at a time: 2.5 times as fast on an abstract.
    lines: list[str] = []
    start, line = 0, head
    while len(value) - start > (room := width - len(line)):
        cut = value.rfind(" ", start, start + max(room + 1, 0))  # a negative end counts back
        if cut <= start:  # the next word is longer than the line: it gets one of its own
            cut = value.find(" ", start)
            if cut < 0:
                break
        lines.append(line + value[start:cut])
        start, line = cut + 1, indent
    lines.append(line + value[start:])
    return "\n".join(lines)


def bibliography(
    papers: Iterable[Paper], site: Site, abstracts: bool = True, memo: dict | None = None
) -> bytes:
    """A .bib file: the entries of `papers` in the order given, separated by blank lines, with or
    without abstracts. Encoded entry by entry, so a whole catalogue's text is never one `str`;
    `memo` keeps each entry (by slug) for the next file: a paper is in all its tags' files."""
    memo = {} if memo is None else memo
    out = []
    for paper in papers:
        if paper.slug not in memo:
            memo[paper.slug] = entry(paper, site, abstract=abstracts).encode("utf-8")
        out.append(memo[paper.slug])
    return b"\n".join(out)
