"""What a paper page tells machines and other sites: citation meta tags, schema.org JSON-LD (front
matter `paper:`, which main.html writes into <head>, escaped there) and "find it elsewhere" search
links."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from generator.exports.papers import paper_url
from generator.model import Catalogue, Paper
from generator.read import arxiv
from generator.site.address import Site


def citation_meta(paper: Paper, site: Site) -> list[list[str]]:
    """Google Scholar's `citation_*` tags as [name, content] pairs, in a fixed order; no
    `citation_abstract`, as the page carries the abstract once (a repeat cost 60 MB at
    50,000 papers)."""
    meta = [["citation_title", paper.title]]
    meta += [["citation_author", name] for name in paper.authors]
    optional = [  # left out when empty
        ("citation_publication_date", paper.published.replace("-", "/")),
        ("citation_journal_title", paper.venue),
        # arXiv's own pages give the id without a version; the PDF is the one cited.
        ("citation_arxiv_id", arxiv.base_id(paper.arxiv_id)),
        ("citation_pdf_url", arxiv.pdf_url(paper.arxiv_id) if paper.arxiv_id else ""),
        ("citation_abstract_html_url", site.absolute(paper_url(paper.slug))),
    ]
    return meta + [[name, value] for name, value in optional if value]


def json_ld(catalogue: Catalogue, paper: Paper, site: Site) -> dict:
    """A schema.org ScholarlyArticle, without the abstract (see `citation_meta`). The
    template's `tojson` escapes <, > and &, so no value can close the <script> element."""
    arxiv_id = arxiv.base_id(paper.arxiv_id) if paper.arxiv_id else ""
    code = [link.url for link in paper.links if link.kind == "code"]
    tags = catalogue.paper_tags.get(paper.slug, ())
    data = {  # a value left empty is left out
        "keywords": [catalogue.tag(slug).name for slug in tags],
        "author": [{"@type": "Person", "name": name} for name in paper.authors],
        "datePublished": paper.published,
        "isPartOf": {"@type": "Periodical", "name": paper.venue} if paper.venue else None,
        "identifier": f"arXiv:{arxiv_id}" if arxiv_id else None,
        "sameAs": arxiv.abs_url(arxiv_id) if arxiv_id else None,
        "codeRepository": code[0] if code else None,
        "url": site.absolute(paper_url(paper.slug)),
    }
    return {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title,  # schema.org's title of an article; "name" would repeat it
        **{key: value for key, value in data.items() if value},
    }


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
