"""BibTeX entries: exact output, and any title survives a real BibTeX parser literally."""

import html
import re
import textwrap

import bibtexparser
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.exports import bibtex
from generator.model import Paper
from generator.render import blocks as paper_page
from generator.render import pages as render
from generator.site.address import Site

SITE = Site(url="https://example.org/cat/")
UNESCAPE = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\^{}": "^",
    r"\~{}": "~",
}


def paper(title: str, abstract: str = "An abstract.", **known) -> Paper:
    return Paper("a-slug", title.lower(), title, abstract, abstract, (), ("l1",), (), **known)


def parse(text: str) -> list[dict]:
    """Entries as dicts (ENTRYTYPE, ID, lower-case field names); nothing may fail to parse.

    Only the enclosing braces are removed: no @string is resolved, nothing decoded."""
    library = bibtexparser.parse_string(text, parse_stack=[RemoveEnclosingMiddleware()])
    assert library.failed_blocks == []
    return [
        {"ENTRYTYPE": e.entry_type, "ID": e.key, **{f.key.lower(): f.value for f in e.fields}}
        for e in library.entries
    ]


def unescape(value: str) -> str:
    value = " ".join(value.split())
    value = re.sub(
        r"\\textbackslash\{\}|\\textbrace(?:left|right)\{\}|\\[\^~]\{\}",
        lambda m: UNESCAPE[m[0]],
        value,
    )
    return re.sub(r"\\([%&$#_])", r"\1", value)


def test_entry_exactly():
    assert bibtex.entry(paper("{Sparse} Attention: 50% & $x$"), SITE) == (
        "@misc{a-slug,\n"
        "  title = {{\\textbraceleft{}Sparse\\textbraceright{} Attention: 50\\% \\& \\$x\\$}},\n"
        "  abstract = {An abstract.},\n"
        "  url = {https://example.org/cat/papers/a-slug/},\n"
        "}\n"
    )


def test_known_metadata_makes_an_article_with_authors_year_and_eprint():
    known = paper(
        "Title",
        authors=("Ada Lovelace", "Alan Turing"),
        arxiv_id="2401.00001",
        published="2024-01-02",
        venue="Journal of Things",
    )
    [entry] = parse(bibtex.entry(known, SITE))
    assert entry["ENTRYTYPE"] == "article"
    assert entry["author"] == "Ada Lovelace and Alan Turing"
    assert entry["year"] == "2024"
    assert entry["eprint"] == "2401.00001"
    assert entry["archiveprefix"] == "arXiv"
    assert entry["journal"] == "Journal of Things"


def test_without_site_url_there_is_no_url_field():
    [entry] = parse(bibtex.entry(paper("T"), Site()))
    assert "url" not in entry


@settings(deadline=None)  # bibtexparser is slow on a busy machine; correctness is the point
@given(st.text(min_size=1, max_size=200).filter(lambda t: t.strip()))
def test_any_title_and_abstract_parse_back_literally(text):
    entries = parse(bibtex.entry(paper(text, abstract=text), SITE))
    assert len(entries) == 1
    title = entries[0]["title"]
    assert title.startswith("{") and title.endswith("}")
    assert unescape(title[1:-1]) == " ".join(text.split())
    assert unescape(entries[0]["abstract"]) == " ".join(text.split())


def test_bibliography_has_one_entry_per_paper():
    papers = [Paper(f"p-{n}", f"k{n}", f"Paper {n}", "A.", "A.", (), ("l1",), ()) for n in range(3)]
    entries = parse(bibtex.bibliography(papers, SITE).decode())
    assert [e["ID"] for e in entries] == ["p-0", "p-1", "p-2"]


@given(
    st.lists(st.sampled_from(["a", "word", "x" * 30, "y" * 90, "\\", "{}", "é"]), max_size=40),
    st.sampled_from([20, 40, bibtex.WIDTH]),
    st.sampled_from(["  title = {", "  a-very-long-field-name-for-a-field = {"]),
)
def test_wrap_fills_lines_as_textwrap_does(words, width, head):
    value = bibtex.escape(" ".join(words))
    expected = textwrap.wrap(
        value,
        width,
        initial_indent=head,
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    assert bibtex.wrap(value, width, head, "    ") == "\n".join(expected or [head])


def test_bibliography_keeps_abstracts_unless_asked_not_to():
    papers = [
        Paper(f"p-{n}", f"k{n}", f"Paper {n}", "Words é " * 30, "W.", (), ("l1",), ())
        for n in range(3)
    ]
    whole = bibtex.bibliography(papers, SITE)
    assert whole == "\n".join(bibtex.entry(p, SITE) for p in papers).encode()
    abstracts = [" ".join(e["abstract"].split()) for e in parse(whole.decode())]
    assert abstracts == [("Words é " * 30).strip()] * 3
    short = parse(bibtex.bibliography(papers, SITE, abstracts=False).decode())
    assert [e["ID"] for e in short] == ["p-0", "p-1", "p-2"]
    assert all("abstract" not in e and e["title"] and e["url"] for e in short)


def page_entry(paper: Paper, site: Site = SITE) -> str:
    """A paper page's Cite block text, as render.paper_blocks makes it."""
    return render.page_bibtex(paper, site)


PIECES = [
    "a",
    " ",
    "{",
    "}",
    "\\",
    '"',
    "'",
    "&",
    "<b>",
    "%",
    "@",
    "=",
    ",",
    "\n",
    "\x01",
    "é",
    "\u2028",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), min_size=1, max_size=12),
    st.lists(st.text(max_size=12), max_size=3),
    st.sampled_from(["", "NeurIPS & Co {x}", '"Q" <J>']),
    st.sampled_from(["", "2401.00001v2"]),
    st.sampled_from(["", "2024-05-01"]),
    st.sampled_from([SITE, Site(url=""), Site(url="https://example.org/it's/&<x>/")]),
)
def test_a_page_cite_block_shows_and_copies_its_entry_as_written(
    title, authors, venue, arxiv_id, date, site
):
    """The Cite block is the entry as plain text: escaped, no markup of a highlighter, so a
    reader sees and copies exactly what the .bib exports hold."""
    title = "".join(title)
    if not title.strip():
        title = "T"
    text = page_entry(
        paper(title, authors=tuple(authors), venue=venue, arxiv_id=arxiv_id, published=date), site
    )
    out, _ = paper_page.to_html([paper_page.Code(text, "text")])
    head = '<div class="language-text highlight"><pre><span></span><code>'
    assert out.startswith(head) and out.endswith("</code></pre></div>")
    code = out.removeprefix(head).removesuffix("</code></pre></div>")
    assert "<" not in code
    assert html.unescape(code) == text
