"""The seed catalogue split into numbered pages (60 papers a page), in headless Chromium:
the pager and the A-Z jump, and the Papers page filters across pages, both from facets.js
and, with Pagefind forced on (above 100 papers, in bundles of about 100 merged in the
browser), from Pagefind's index."""

import json
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest

from generator.pipeline import Project, build
from generator.search.pagefind import bundle_count, bundle_of
from tests.conftest import copy_project, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
PER_PAGE = 60


def paged_project(target: Path, pagefind: bool) -> Project:
    target.mkdir(parents=True, exist_ok=True)
    project = copy_project(target)
    text = project.config_file.read_text()
    assert "per_page: 500" in text and "pagefind_above: 0" in text
    text = text.replace("per_page: 500", f"per_page: {PER_PAGE}")
    if pagefind:
        text = text.replace(
            "pagefind_above: 0",
            "pagefind_above: 100\n      pagefind_filters_above: 100\n      bundle_papers: 100",
        )
    project.config_file.write_text(text)
    assert build(project, strict=True).warnings == 0
    if pagefind:
        layout = json.loads((project.site_dir / "pagefind/bundles.json").read_text())
        assert len(layout["bundles"]) > 1
    return project


@pytest.fixture(scope="module")
def facets_site(tmp_path_factory):
    project = paged_project(tmp_path_factory.mktemp("paged"), pagefind=False)
    yield from serve(project.site_dir)


@pytest.fixture(scope="module")
def pagefind_project(tmp_path_factory):
    return paged_project(tmp_path_factory.mktemp("paged-pagefind"), pagefind=True)


@pytest.fixture(scope="module")
def pagefind_site(pagefind_project):
    yield from serve(pagefind_project.site_dir)


@pytest.fixture(scope="module")
def papers(seed_build):
    return {p["slug"]: p for p in json.loads((seed_build[0].site_dir / "papers.json").read_text())}


def has_code(paper) -> bool:
    return any(link["kind"] == "code" for link in paper["links"])


def listed(page) -> list[str]:
    """Slugs of the papers shown: the filter's list when it is up, else the page's."""
    selector = (
        ".facets__list > li > a:first-child"
        if page.locator(".facets__results:not([hidden])").count()
        else "article > ul > li:not([hidden]) > a:first-child"
    )
    hrefs = page.eval_on_selector_all(selector, "as => as.map(a => a.getAttribute('href'))")
    return [href.rstrip("/").split("/")[-1] for href in hrefs]


def all_listed(page) -> list[str]:
    """Every match: "Show more" clicked until the list is complete."""
    more = page.locator(".facets__more")
    while more.is_visible():
        count = page.locator(".facets__list > li").count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('.facets__list > li').length > {count}")
    return listed(page)


def test_pages_split_the_list_and_the_jump_finds_each_letter(browser, facets_site, papers):
    page = browser.new_page()
    seen: list[str] = []
    page.goto(facets_site + "papers/")
    pages = -(-len(papers) // PER_PAGE)
    assert (
        page.locator(".pager")
        .first.inner_text()
        .startswith(f"Papers 1–{PER_PAGE} of {len(papers)} · page 1 of {pages}")
    )
    for number in range(1, pages + 1):
        if number > 1:
            page.locator(".pager").first.get_by_role("link", name="Next →").click()
            page.wait_for_url(f"**/papers/page-{number}/")
        assert page.locator(".pager strong").first.inner_text() == str(number)
        seen += listed(page)
    assert sorted(seen) == sorted(papers) and len(seen) == len(set(seen))
    # the jump on the last page leads back to the page and heading of "C"
    page.locator(".az-jump a", has_text="C").click()
    page.wait_for_url("**#c")
    heading = page.locator("h2#c")
    assert heading.is_visible() and heading.inner_text().startswith("C")
    page.close()


def test_facets_filter_across_pages_from_a_shared_url(browser, facets_site, papers):
    page = browser.new_page()
    page.goto(facets_site + "papers/page-3/?tag=quantization&code=1")
    expected = {s for s, p in papers.items() if "quantization" in p["tags"] and has_code(p)}
    assert expected and set(all_listed(page)) == expected
    assert page.locator(".pager").first.is_hidden()
    assert page.locator(".facets__status").inner_text() == (
        f"Showing {len(expected)} of {len(papers)} papers."
    )
    page.locator(".facets__list a:not(.tag)").first.click()
    page.wait_for_function("!location.pathname.includes('/page-')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == papers[page.url.rstrip("/").split("/")[-1]]["title"]
    page.go_back()
    page.get_by_role("button", name="Clear filters").click()
    assert page.locator(".pager").first.is_visible() and len(listed(page)) == PER_PAGE
    page.close()


def test_pagefind_filters_fetch_no_paper_list(browser, pagefind_project, pagefind_site, papers):
    site = pagefind_project.site_dir
    fetched: list[str] = []
    page = browser.new_page()
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(pagefind_site + "papers/?tag=quantization&code=1")
    expected = {s for s, p in papers.items() if "quantization" in p["tags"] and has_code(p)}
    status = page.locator(".facets__status")
    page.wait_for_function("document.querySelector('.facets__status').textContent.startsWith('S')")
    assert status.inner_text() == f"Showing {len(expected)} of {len(papers)} papers."
    page.wait_for_function(
        f"document.querySelectorAll('.facets__list > li').length === {min(len(expected), 50)}"
    )
    assert set(all_listed(page)) == expected
    # tags and listings only: no paper list, no Material search index
    facets = next(url for url in fetched if url.endswith("/facets.js"))
    assert "paperFacets" in page.evaluate(f"fetch('{facets}').then(r => r.text())")
    assert page.evaluate("window.paperFacets.papers") is None
    assert not any("search_index.json" in url for url in fetched)
    assert any("/pagefind/filter/" in url for url in fetched)
    # one index chunk a bundle (the word every record holds), not the whole index
    bundles = json.loads((site / "pagefind/bundles.json").read_text())["bundles"]
    folders = ["pagefind/"] + [f"pagefind/{name}/" for name in bundles[1:]]
    for folder in folders:
        chunks = {url for url in fetched if f"/{folder}index/" in url}
        assert len(chunks) == 1 < len(list((site / folder / "index").iterdir()))
    # the 50 shown, and at most the next one of each bundle to merge them A to Z
    fragments = [url for url in fetched if "/fragment/" in url]
    assert min(len(expected), 50) <= len(fragments) <= min(len(expected), 50 + 2 * len(bundles))
    count = page.locator(".facets__chip", has_text="Quantization").locator(".facets__count")
    assert count.text_content() == f"({len(expected)})"
    page.close()


def test_pagefind_filters_follow_the_form_and_the_url(browser, pagefind_site, papers):
    page = browser.new_page()
    page.goto(pagefind_site + "papers/page-2/")
    colbert = papers["colbert-efficient-and-effective-passage-search-via-contextualized-late"]
    listing, tag = colbert["listings"][-1], colbert["tags"][-1]
    page.select_option('select[name="listing"]', listing)
    page.locator(".facets__tags > summary").click()
    page.locator(f'input[name="tag"][value="{tag}"]').check()
    expected = {s for s, p in papers.items() if listing in p["listings"] and tag in p["tags"]}
    page.wait_for_function(
        f"document.querySelectorAll('.facets__list > li').length === {min(len(expected), 50)}"
    )
    assert set(all_listed(page)) == expected
    query = parse_qs(page.evaluate("location.search").lstrip("?"))
    assert query == {"listing": [listing], "tag": [tag]}
    titles = page.locator(".facets__list > li > a:first-child").all_inner_texts()
    assert titles == sorted(titles, key=str.casefold)  # A to Z, as the pages
    page.fill('input[name="text"]', "late interaction")
    page.wait_for_function("location.search.includes('text=')")
    page.wait_for_function("document.querySelectorAll('.facets__list > li').length === 1")
    assert listed(page) == [colbert["slug"]]
    page.get_by_role("button", name="Clear filters").click()
    assert page.evaluate("location.search") == ""
    assert page.locator(".facets__results").is_hidden() and len(listed(page)) == PER_PAGE
    page.close()


def test_without_javascript_the_page_is_the_plain_list(browser, pagefind_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(pagefind_site + "papers/page-2/?tag=quantization")
    assert page.locator(".facets__form").count() == 0
    assert len(listed(page)) == PER_PAGE
    context.close()


def test_pagefind_a_to_z_view_merges_the_bundles(browser, pagefind_project, pagefind_site, papers):
    count = bundle_count(len(papers), 100)
    where = {
        slug: bundle_of(SimpleNamespace(slug=slug, listings=paper["listings"]), count)
        for slug, paper in papers.items()
    }
    page = browser.new_page()
    page.goto(pagefind_site + "papers/?code=1")
    expected = {s for s, p in papers.items() if has_code(p)}
    page.wait_for_function(
        f"document.querySelectorAll('.facets__list > li').length === {min(len(expected), 50)}"
    )
    assert page.locator(".facets__status").inner_text() == (
        f"Showing {len(expected)} of {len(papers)} papers."
    )
    got = all_listed(page)
    assert sorted(got) == sorted(expected) and len({where[s] for s in got}) > 1
    titles = [papers[s]["title"] for s in got]
    assert titles == sorted(titles, key=str.casefold)
    page.close()


@pytest.mark.parametrize("order", ["newest", "listed"])
def test_pagefind_orders_merge_the_bundles(browser, pagefind_project, pagefind_site, papers, order):
    facets = json.loads((pagefind_project.site_dir / "facets.json").read_text())
    day = {listing[0]: listing[2] for listing in facets["listings"]}  # the day it sorts by

    def key(slug: str) -> tuple:  # what the order puts first: the largest
        listings = papers[slug]["listings"]
        return (len(listings),) if order == "listed" else (max(day[s] for s in listings),)

    page = browser.new_page()
    page.goto(pagefind_site + f"papers/?code=1&order={order}")
    expected = {s for s, p in papers.items() if has_code(p)}
    page.wait_for_function(
        f"document.querySelectorAll('.facets__list > li').length === {min(len(expected), 50)}"
    )
    got = all_listed(page)
    assert sorted(got) == sorted(expected)
    keys = [key(slug) for slug in got]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) > 1
    assert page.locator('select[name="order"]').input_value() == order
    page.close()
