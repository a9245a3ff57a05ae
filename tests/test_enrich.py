"""Records enriching scraped papers or adding new ones; authors; the byline and date line.

Every paper, person and arXiv id here is FICTIONAL.
"""

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analyse.taxonomy import tag_papers
from generator.model import Catalogue, PaperRecord, Tag
from generator.pipeline import Project, record_files, relate, tag_catalogue
from generator.read.authors import author_slug, index_authors
from generator.read.enrich import enrich, with_given_tags
from generator.read.listing import read_listing
from generator.read.merge import merge_papers
from generator.render.authors import arxiv_link_items, author_pages, paper_facts
from generator.render.blocks import Items, icon, to_markdown
from generator.render.escape import md_inline
from generator.render.pages import render_paper
from generator.report import Report

LISTING = (
    "Mar 19\n\n"
    "A Fictional Study of Example Records\n\n"
    "We study records that do not exist. Code at https://github.com/example/fictional.\n\n"
    "Umlaut Study\n\n"
    "A second fictional paper about nothing at all.\n"
)
TAGS = (Tag("quantization", "Quantization", "Efficiency", "", ("quantiz*",)),)


def scraped() -> list:
    listing = read_listing("a.txt", LISTING.encode(), Report())
    return [listing], merge_papers([listing], Report())


def record(title: str, line: int = 1, **fields) -> PaperRecord:
    return PaperRecord(title=title, source="site_src/papers/f.yaml", line=line, **fields)


def test_a_record_enriches_the_scraped_paper_with_its_title():
    _, papers = scraped()
    report = Report()
    enriched = enrich(
        papers,
        [
            record(
                "a fictional study of example records.",
                authors=("Ada Example",),
                arxiv_id="2401.99999",
                published="2024-01-15",
                links=("https://example.org/project",),
                tags=("quantization",),
            )
        ],
        TAGS,
        report,
    )
    assert report.problems == []
    first = enriched[0]
    assert first.slug == papers[0].slug  # the page keeps its address
    assert first.abstract == papers[0].abstract  # the record gave no abstract
    assert (first.authors, first.arxiv_id, first.published) == (
        ("Ada Example",),
        "2401.99999",
        "2024-01-15",
    )
    assert [link.url for link in first.links] == [
        "https://github.com/example/fictional",
        "https://example.org/project",
    ]
    assert first.sources == (("a.txt", 3), ("site_src/papers/f.yaml", 1))
    assert first.given_tags == ("quantization",)
    assert enriched[1] == papers[1]


def test_a_record_about_an_unknown_paper_adds_it_with_a_unique_slug():
    _, papers = scraped()
    enriched = enrich(papers, [record("Ümlaut Study", authors=("Bob Sample",))], (), Report())
    assert len(enriched) == 3
    added = enriched[2]
    assert added.title == "Ümlaut Study" and added.listings == ()
    assert papers[1].slug == "umlaut-study"
    assert added.slug.startswith("umlaut-study-") and added.slug != papers[1].slug


def test_records_about_one_paper_combine_and_conflicts_are_reported():
    report = Report()
    enriched = enrich(
        [],
        [
            record("Fictional Paper", 1, venue="Workshop A", links=("https://example.org/a",)),
            record("FICTIONAL PAPER", 9, venue="Workshop B", arxiv_id="2401.99999"),
        ],
        (),
        report,
    )
    assert len(enriched) == 1
    paper = enriched[0]
    assert (paper.venue, paper.arxiv_id, paper.title) == (
        "Workshop B",
        "2401.99999",
        "FICTIONAL PAPER",
    )
    assert paper.sources == (("site_src/papers/f.yaml", 1), ("site_src/papers/f.yaml", 9))
    assert [str(p) for p in report.problems] == [
        "site_src/papers/f.yaml:9: same paper as site_src/papers/f.yaml:1 but a different "
        "venue; this later one is used. Make them agree."
    ]


def test_unknown_tags_are_reported_with_a_hint_and_given_tags_come_first():
    report = Report()
    papers = enrich(
        [], [record("Fictional Paper", tags=("Quantisation", "Quantization"))], TAGS, report
    )
    assert [str(p) for p in report.problems] == [
        "site_src/papers/f.yaml:1: unknown tag 'Quantisation'; did you mean 'quantization'? "
        "use a tag from site_src/taxonomy.yaml or add it there."
    ]
    other = Tag("fiction", "Fiction", "Other", "", ("fictional",))
    report = Report()
    tagging = Report()
    assigned = tag_papers(papers, (*TAGS, other), tagging)
    assert with_given_tags(papers, assigned, tagging, report) == {
        papers[0].slug: ("quantization", "fiction")
    }
    assert report.problems == []


def test_the_taxonomys_warning_is_dropped_for_a_paper_a_record_tagged():
    papers = enrich([], [record("Fictional Paper", tags=("quantization",))], TAGS, Report())
    tagging = Report()
    assigned = tag_papers(papers, TAGS, tagging)  # no phrase of TAGS is in the title
    assert [p.message[:15] for p in tagging.problems] == ["no tag matches "]
    report = Report()
    assert with_given_tags(papers, assigned, tagging, report) == {papers[0].slug: ("quantization",)}
    assert report.problems == []


def test_authors_pages_know_papers_and_coauthors():
    papers = enrich(
        [],
        [
            record("Fictional One", authors=("Ada Example", "Bob Sample"), published="2023"),
            record("Fictional Two", authors=("Ada Example", "Carla Sample", "Bob Sample")),
            record("Fictional Three", authors=("Ada  Example",), published="2024-02"),
        ],
        (),
        Report(),
    )
    authors = {a.slug: a for a in index_authors(papers)}
    assert sorted(authors) == ["ada-example", "bob-sample", "carla-sample"]
    ada = authors["ada-example"]
    assert ada.papers == ("fictional-three", "fictional-one", "fictional-two")  # newest first
    assert ada.coauthors == (("bob-sample", 2), ("carla-sample", 1))
    assert author_slug("José Example") == author_slug("Jose Example") == "jose-example"
    assert author_slug("🙂").startswith("author-")
    assert author_slug("Index").startswith("index-")  # authors/index.md is the index


def catalogue_with(papers, listings=()) -> Catalogue:
    return relate(tag_catalogue(list(listings), papers, (), Report()))


def test_dates_say_whether_published_or_captured():
    listings, papers = scraped()
    papers = enrich(papers, [record("Umlaut Study", published="2023-07-07")], (), Report())
    catalogue = catalogue_with(papers, listings)
    by_title = {p.title: p for p in catalogue.papers}
    listed = by_title["A Fictional Study of Example Records"]
    published = by_title["Umlaut Study"]
    assert to_markdown(paper_facts(catalogue, listed, "papers/x.md")) == (
        "Listed Mar 19 (capture date)\n{: .paper-facts }\n"
    )
    assert to_markdown(paper_facts(catalogue, published, "papers/x.md")) == (
        "Published 2023\\-07\\-07\n{: .paper-facts }\n"
    )


def test_paper_page_links_authors_and_arxiv():
    papers = enrich(
        [],
        [
            record(
                "Fictional [Paper]",
                authors=("Ada <Example>",),
                arxiv_id="hep-th/9901001v2",
                venue="*Venue*",
            )
        ],
        (),
        Report(),
    )
    catalogue = catalogue_with(papers)
    page = render_paper(catalogue, catalogue.papers[0])
    # The venue is in emphasis, its own stars escaped; the author's <> are entities.
    assert "*\\*Venue\\** · arXiv&#58;hep\\-th/9901001v2\n{: .paper-facts }" in page
    assert "[Ada &lt;Example&gt;](../authors/ada-example.md)\n{: .paper-authors }" in page
    assert to_markdown([Items(tuple(arxiv_link_items(catalogue.papers[0])))]) == (
        f"- {icon('simple-arxiv')} arXiv: "
        '<a href="https://arxiv.org/abs/hep-th/9901001v2" '
        'rel="nofollow">arxiv\\.org/abs/hep\\-th/9901001v2</a>\n'
        f"- {icon('material-file-pdf-box')} PDF: "
        '<a href="https://arxiv.org/pdf/hep-th/9901001v2" '
        'rel="nofollow">arxiv\\.org/pdf/hep\\-th/9901001v2</a>\n'
    )  # no Hugging Face page for old-scheme ids
    assert "## Appeared in" not in page


def test_record_files_are_papers_and_bib_files_outside_listings_and_pages(tmp_path: Path):
    site_src = tmp_path / "site_src"
    for name in (
        "papers/a.yaml",
        "papers/sub/b.json",
        "papers/notes.txt",
        "papers/.hidden.yaml",
        "refs.bib",
        "more/c.bib",
        "pages/download.bib",
        "listings/d.bib",
        "taxonomy.yaml",
    ):
        (site_src / name).parent.mkdir(parents=True, exist_ok=True)
        (site_src / name).write_text("")
    found = [p.relative_to(site_src).as_posix() for p in record_files(Project(tmp_path))]
    assert found == [
        "more/c.bib",
        "papers/a.yaml",
        "papers/notes.txt",
        "papers/sub/b.json",
        "refs.bib",
    ]


def test_no_author_pages_while_no_author_is_known():
    _, papers = scraped()
    assert author_pages(catalogue_with(papers)) == {}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40).filter(str.strip), min_size=1, max_size=4))
def test_any_author_name_gets_a_safe_page_name_and_escaped_link_text(names):
    for name in names:
        assert re.fullmatch(r"[a-z0-9-]+", author_slug(name))
    papers = enrich([], [record("Fictional Paper", authors=tuple(names))], (), Report())
    catalogue = catalogue_with(papers)
    byline, *_ = to_markdown(paper_facts(catalogue, catalogue.papers[0], "papers/x.md")).split(
        "\n\n"
    )
    for name in papers[0].authors:
        link = f"[{md_inline(name)}](../authors/{author_slug(name)}.md)"
        assert link in byline
    pages = author_pages(catalogue)
    assert all(re.fullmatch(r"authors/[a-z0-9-]+\.md", path) for path in pages)
