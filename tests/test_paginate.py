"""Numbered pages of the Papers index and tag pages: boundaries, pager, A-Z jump, paths."""

import re

import pytest

from generator.model import Listing, Record, Tag
from generator.pipeline import relate, tag_catalogue
from generator.read.merge import merge_papers
from generator.read.slugs import assign_slugs
from generator.render import paginate
from generator.render.blocks import to_markdown
from generator.render.facets import facets_index
from generator.render.lists import browse_pages, render_pages, tag_pages
from generator.report import Report
from generator.search.pagefind import EVERY_PAPER, record
from tests.conftest import as_markdown

TAGS = (Tag("arithmetic", "Arithmetic", "Reasoning", "Numbers.", ("arithmetic",)),)
TITLES = [
    "Apple Arithmetic",
    "Apricot Arithmetic",
    "Banana Arithmetic",
    "Blueberry Arithmetic",
    "Cherry Arithmetic",
    "7 Ways to Arithmetic",
    "Page 2",
]
LINK = re.compile(r"\]\(([^)\s]*)\)")


def catalogue_of(titles):
    records = tuple(
        Record(t, f"{t} studies arithmetic. Code: https://github.com/a/b{n}.", "l1.txt", 1 + n)
        for n, t in enumerate(titles)
    )
    listing = Listing("l1", "l1", "l1.txt", "Mar 19", records)
    report = Report()
    return relate(tag_catalogue([listing], merge_papers([listing], report), TAGS, report))


def test_split_keeps_every_item_once_in_order():
    assert paginate.split([], 3) == [[]]
    assert paginate.split(list(range(3)), 3) == [[0, 1, 2]]
    assert paginate.split(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]


def test_later_pages_live_in_the_first_pages_folder():
    assert paginate.page_paths("papers/index.md", 3) == [
        "papers/index.md",
        "papers/page-2.md",
        "papers/page-3.md",
    ]
    assert paginate.page_paths("tags/x.md", 2) == ["tags/x.md", "tags/x/page-2.md"]
    assert paginate.page_paths("tags/x.md", 1) == ["tags/x.md"]


def markdown(block) -> str:
    return to_markdown([block])


def test_pager_links_previous_next_and_a_window_of_pages():
    paths = paginate.page_paths("papers/index.md", 10)
    assert paginate.pager(paths[:1], 1, "Papers 1–3 of 3") is None
    first = markdown(paginate.pager(paths, 1, "Papers 1–5 of 50"))
    assert "Previous" not in first and "[Next →](page-2.md)" in first
    assert '<strong aria-current="page">1</strong>' in first
    middle = markdown(paginate.pager(paths, 5, "Papers 21–25 of 50"))
    assert middle.startswith(
        "Papers 21–25 of 50 · page 5 of 10<br>[← Previous](page-4.md) [1](index.md)"
    )
    assert [int(n) for n in re.findall(r"\[(\d+)\]", middle)] == [1, 3, 4, 6, 7, 10]
    assert middle.count("…") == 2 and "[Next →](page-6.md)" in middle
    assert middle.endswith("\n{: .pager }\n")
    last = markdown(paginate.pager(paths, 10, ""))
    assert "Next" not in last and "[← Previous](page-9.md)" in last


def test_az_jump_points_at_the_page_holding_each_initial():
    paths = paginate.page_paths("tags/x.md", 3)
    initials = [["#", "A", "A"], ["A", "B"], ["C"]]
    assert paginate.first_pages(initials) == {"#": 1, "A": 1, "B": 2, "C": 3}
    jump = markdown(paginate.az_jump(paths, paginate.first_pages(initials), 2))
    assert LINK.findall(jump) == ["../x.md#other", "../x.md#a", "#b", "page-3.md#c"]
    assert paginate.az_jump(paths, {}, 2) is None
    assert markdown(paginate.heading("A")) == "## A { #a }\n"
    assert markdown(paginate.heading("#")) == "## \\# { #other }\n"


def test_small_catalogue_is_one_page_as_before():
    catalogue = catalogue_of(TITLES)
    pages = as_markdown(browse_pages(catalogue))
    assert list(pages) == ["papers/index.md"]
    page = pages["papers/index.md"]
    assert "pager" not in page and "az-jump" not in page and "toc" not in page
    assert page.count("\n- [") == len(TITLES)
    assert list(as_markdown(tag_pages(catalogue, catalogue.tags[0]))) == ["tags/arithmetic.md"]


def test_numbered_pages_hold_every_paper_once_and_their_links_resolve():
    catalogue = catalogue_of(TITLES)
    browse = paginate.Browse(per_page=3)
    pages = as_markdown(browse_pages(catalogue, browse))
    assert list(pages) == ["papers/index.md", "papers/page-2.md", "papers/page-3.md"]
    listed = [
        target
        for page in pages.values()
        for target in re.findall(r"^- \[[^]]*\]\(([^)]*)\)", page, flags=re.M)
    ]
    assert sorted(listed) == sorted(f"{p.slug}.md" for p in catalogue.papers)
    assert listed[0] == "7-ways-to-arithmetic.md"  # A to Z: "#" first
    headings = {
        path: set(re.findall(r"^## .* \{ #([a-z]+) \}$", page, flags=re.M))
        for path, page in pages.items()
    }
    for path, page in pages.items():
        assert "Papers " in page and " of 7 · page " in page
        for target in LINK.findall(page):
            name, _, anchor = target.partition("#")
            if name.startswith("page-") or name == "index.md":
                assert anchor == "" or anchor in headings["papers/" + name], (path, target)
            elif not name and anchor:
                assert anchor in headings[path], (path, target)
    assert "hide:\n- navigation\n- toc\n" in pages["papers/page-2.md"]


def test_tag_pages_paginate_inside_their_folder():
    catalogue = catalogue_of(TITLES)
    pages = as_markdown(tag_pages(catalogue, catalogue.tags[0], paginate.Browse(per_page=5)))
    assert list(pages) == ["tags/arithmetic.md", "tags/arithmetic/page-2.md"]
    second = pages["tags/arithmetic/page-2.md"]
    assert "[← Previous](../arithmetic.md)" in second
    assert "(../../papers/index.md?tag=arithmetic)" in second
    assert "(../../papers/page-2.md)" not in second  # paper links go to papers/<slug>.md


def test_no_page_takes_a_paper_or_tag_address():
    catalogue = catalogue_of(TITLES)
    paper = catalogue.by_key[next(k for k in catalogue.by_key if "page" in k)]
    assert paper.slug != "page-2" and paper.slug.startswith("page-2-")
    pages: dict = {}
    render_pages(catalogue, paginate.Browse(per_page=1), pages)
    assert "papers/page-2.md" in pages and "papers/page-7.md" in pages
    slugs = assign_slugs(["a", "b", "c"], {"a": "Page 12", "b": "page", "c": "Pages 2"})
    assert slugs["a"] != "page-12" and slugs["b"] == "page" and slugs["c"] == "pages-2"


@pytest.mark.parametrize(
    ("options", "pages"),
    [
        ("", ["papers/index.md"]),  # PER_PAGE (500) a page
        ("      per_page: 5\n", ["papers/index.md", "papers/page-2.md", "papers/page-3.md"]),
        ("      per_page: 12\n", ["papers/index.md"]),
    ],
)
def test_the_plugins_per_page_splits_the_papers_page(tmp_path, options, pages):
    from mkdocs.structure.files import get_files

    from tests.test_scale import plugin_config

    config = plugin_config(tmp_path, options, papers=12)
    plugin = config.plugins["catalogue"]
    per_page = int(options.split()[1]) if options else paginate.PER_PAGE
    assert plugin.config.per_page == per_page and len(plugin.catalogue.papers) == 12
    files = config.plugins.on_files(get_files(config), config=config)
    made = sorted(
        f.src_uri
        for f in files
        if f.src_uri.startswith("papers/") and f.src_uri.split("/")[1][:5] in ("index", "page-")
    )
    assert made == pages
    listed = [
        re.findall(r"^- \[[^]]*\]\(([^)]*)\)", files.get_file_from_path(p).content_string, re.M)
        for p in pages
    ]
    assert [len(items) for items in listed] == [len(s) for s in paginate.split(range(12), per_page)]
    assert sorted(t for items in listed for t in items) == sorted(
        f"{p.slug}.md" for p in plugin.catalogue.papers
    )


def test_pagefind_mode_facets_leave_papers_to_pagefind():
    catalogue = catalogue_of(TITLES)
    index = facets_index(catalogue, pagefind=True)
    assert index["engine"] == "pagefind" and index["count"] == len(TITLES)
    assert "papers" not in index and index["tags"] == [["arithmetic", "Arithmetic", "Reasoning"]]
    assert len(facets_index(catalogue)["papers"]) == len(TITLES)


def test_pagefind_records_carry_the_browse_filters():
    catalogue = catalogue_of(TITLES)
    paper = catalogue.by_slug["apple-arithmetic"]
    html = record(catalogue, paper)
    assert '<span data-pagefind-filter="tag">arithmetic</span>' in html
    assert '<span data-pagefind-filter="listing">l1</span>' in html
    assert '<span data-pagefind-filter="code">yes</span>' in html
    assert 'data-pagefind-sort="title:apple arithmetic"' in html
    assert 'data-pagefind-ignore="all"' not in html  # "all" would drop the filters
    assert f"<p>{EVERY_PAPER}</p>" in html and facets_index(catalogue, True)["every_paper"] == (
        EVERY_PAPER
    )
