"""What a paper page tells machines and other sites: Google Scholar's citation meta tags (front
matter `paper:`, which main.html writes into <head>, escaped there) and "find it elsewhere"
search links. No schema.org JSON-LD: Scholar reads the citation tags, and repeating them
there cost 19 MB at 50,000 papers."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from generator.model import Paper
from generator.read import arxiv
from generator.site.address import Site


def citation_meta(paper: Paper) -> list[list[str]]:
    """Google Scholar's `citation_*` tags as [name, content] pairs, in a fixed order; no
    `citation_abstract` (the page carries the abstract once) and no
    `citation_abstract_html_url` (the canonical link gives it)."""
    meta = [["citation_title", paper.title]]
    meta += [["citation_author", name] for name in paper.authors]
    optional = [  # left out when empty
        ("citation_publication_date", paper.published.replace("-", "/")),
        ("citation_journal_title", paper.venue),
        # arXiv's own pages give the id without a version; the PDF is the one cited.
        ("citation_arxiv_id", arxiv.base_id(paper.arxiv_id)),
        ("citation_pdf_url", arxiv.pdf_url(paper.arxiv_id) if paper.arxiv_id else ""),
    ]
    return meta + [[name, value] for name, value in optional if value]


def elsewhere(paper: Paper) -> list[tuple[str, str]]:
    """(label, URL) pairs that look the paper up on other sites by its title; with an arXiv
    id, not arXiv or Hugging Face, which the Links section links exactly."""
    q = urlencode({"q": paper.title}, errors="replace")
    scholar = ("Semantic Scholar", "https://www.semanticscholar.org/search?" + q)
    google = ("Google Scholar", "https://scholar.google.com/scholar?" + q)
    if paper.arxiv_id:
        return [scholar, google]
    query = urlencode({"query": paper.title, "searchtype": "title"}, errors="replace")
    arxiv_search = ("arXiv search", "https://arxiv.org/search/?" + query)
    hugging = ("Hugging Face Papers", "https://huggingface.co/papers?" + q)
    return [arxiv_search, scholar, hugging, google]


DESCRIPTION = 160  # characters: what search results and link previews show
SNIPPET = 140  # characters of an abstract under a paper's title in lists


def summary(paper: Paper, site: Site) -> str:
    """The page's description: the abstract's opening (`opening`), else what the paper is."""
    return opening(paper.abstract, DESCRIPTION) or f"{paper.title}: a paper in {site.name}."


def opening(text: str, limit: int) -> str:
    """The first sentences of `text` that fit in `limit` characters; else its first words,
    cut at a word with an ellipsis; "" for no text."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE.split(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
