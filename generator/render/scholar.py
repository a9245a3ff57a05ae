"""What a paper page tells machines and other sites: citation meta tags, schema.org JSON-LD
and "find it elsewhere" search links.

The values go into the page's front matter (`paper:`), and `generator/site/theme/main.html`
writes them into <head>, escaped there. Nothing here is fetched: links are searches.
"""

from __future__ import annotations

from urllib.parse import urlencode

from generator.exports.papers import paper_url
from generator.model import Catalogue, Paper
from generator.read import arxiv
from generator.site.address import Site


def citation_meta(paper: Paper, site: Site) -> list[list[str]]:
    """Google Scholar's `citation_*` tags as [name, content] pairs, in a fixed order.

    No `citation_abstract`: the abstract is on the page itself, and the page carries it once
    (at 50,000 papers every repeat of it costs about 60 MB of GitHub Pages' 1 GB)."""
    meta = [["citation_title", paper.title]]
    meta += [["citation_author", name] for name in paper.authors]
    if paper.published:
        meta.append(["citation_publication_date", paper.published.replace("-", "/")])
    if paper.venue:
        meta.append(["citation_journal_title", paper.venue])
    if paper.arxiv_id:
        # arXiv's own pages give the id without a version; the PDF is the one cited.
        meta.append(["citation_arxiv_id", arxiv.base_id(paper.arxiv_id)])
        meta.append(["citation_pdf_url", arxiv.pdf_url(paper.arxiv_id)])
    url = site.absolute(paper_url(paper.slug))
    if url:
        meta.append(["citation_abstract_html_url", url])
    return meta


def json_ld(catalogue: Catalogue, paper: Paper, site: Site) -> dict:
    """A schema.org ScholarlyArticle. The template serialises it with `tojson`, which
    escapes <, > and & so no value can close the <script> element. The abstract is left to
    the page text and to papers.json, so a page carries it once."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title,
        "name": paper.title,
    }
    tags = catalogue.paper_tags.get(paper.slug, ())
    if tags:
        data["keywords"] = [catalogue.tag(slug).name for slug in tags]
    if paper.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in paper.authors]
    if paper.published:
        data["datePublished"] = paper.published
    if paper.venue:
        data["isPartOf"] = {"@type": "Periodical", "name": paper.venue}
    if paper.arxiv_id:
        data["identifier"] = f"arXiv:{arxiv.base_id(paper.arxiv_id)}"
        data["sameAs"] = arxiv.abs_url(arxiv.base_id(paper.arxiv_id))
    code = [link.url for link in paper.links if link.kind == "code"]
    if code:
        data["codeRepository"] = code[0]
    url = site.absolute(paper_url(paper.slug))
    if url:
        data["url"] = url
    return data


def head(catalogue: Catalogue, paper: Paper, site: Site) -> dict:
    """The front-matter block `paper:` that main.html turns into <meta> and JSON-LD."""
    return {"citation": citation_meta(paper, site), "jsonld": json_ld(catalogue, paper, site)}


def elsewhere(paper: Paper) -> list[tuple[str, str]]:
    """(label, URL) pairs that look the paper up on other sites by its title.

    With an arXiv id the Links section already links arXiv and Hugging Face exactly
    (`render_authors.arxiv_link_items`), so only the other searches are left here.
    """
    q = urlencode({"q": paper.title}, errors="replace")
    scholar = ("Semantic Scholar", "https://www.semanticscholar.org/search?" + q)
    google = ("Google Scholar", "https://scholar.google.com/scholar?" + q)
    if paper.arxiv_id:
        return [scholar, google]
    query = urlencode({"query": paper.title, "searchtype": "title"}, errors="replace")
    arxiv_search = ("arXiv search", "https://arxiv.org/search/?" + query)
    hugging = ("Hugging Face Papers", "https://huggingface.co/papers?" + q)
    return [arxiv_search, scholar, hugging, google]
