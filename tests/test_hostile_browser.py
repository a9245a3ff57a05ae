"""The hostile corpus as a reader meets it, in headless Chromium.

Every payload in the corpus calls alert(); a dialog listener fails the test if one
ever opens. The literal text of each hostile title must be what the reader sees: in
the tab title, the heading, the links on browse, listing and tag pages, and in the
search results of a shared `?q=` link.
"""

from __future__ import annotations

import json

import pytest

from tests import hostile

pytestmark = pytest.mark.browser

TITLES = hostile.MARKUP_TITLES + hostile.PATH_TITLES


@pytest.fixture(scope="module")
def papers(hostile_build) -> dict[str, dict]:
    project, _ = hostile_build
    records = json.loads((project.site_dir / "papers.json").read_text(encoding="utf-8"))
    return {record["title"]: record for record in records}


@pytest.fixture
def page(browser):
    """A browser tab that records every dialog (alert, confirm, prompt) and dismisses it."""
    tab = browser.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    assert tab.dialogs == [], f"a dialog opened: {tab.dialogs}"
    tab.close()


def settle(page) -> None:
    """Let deferred scripts, images and the search worker run before judging the page."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)


def test_paper_pages_show_hostile_titles_literally(page, hostile_url, papers):
    for title in TITLES:
        page.goto(hostile_url + papers[title]["url"])
        settle(page)
        assert page.title() == f"{title} - Paper Catalogue"
        heading = page.locator("article h1")
        assert heading.inner_text() == title
        assert heading.is_visible()
        assert page.locator("article img, article script").count() == 0
        assert page.dialogs == [], title


@pytest.mark.parametrize(
    ("path", "titles"),
    [
        ("papers/", TITLES),
        ("listings/h13-markup-titles/", hostile.MARKUP_TITLES),
        ("listings/h14-path-titles/", hostile.PATH_TITLES),
    ],
)
def test_index_pages_link_hostile_titles_literally(page, hostile_url, papers, path, titles):
    page.goto(hostile_url + path)
    settle(page)
    prefix = "" if path == "papers/" else "../../papers/"
    for title in titles:
        link = page.locator(f'article a[href="{prefix}{papers[title]["slug"]}/"]')
        assert link.inner_text() == title
        assert link.is_visible()


def test_tag_page_links_hostile_titles_literally(page, hostile_url, papers):
    page.goto(hostile_url + "tags/arithmetic/")
    settle(page)
    texts = page.locator("article li > a").all_inner_texts()
    for title in TITLES:
        assert "arithmetic" in papers[title]["tags"]
        assert texts.count(title) == 1, title


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("onerror", "<img src=x onerror=alert(1)>"),
        ("jinja", "{{ jinja }}"),
        ("heading", "# heading"),
        ("include", "{% include 'x' %}"),
        ("quotes", "\"double\" and 'single' quotes"),
        ("entities", "&amp; &lt;b&gt; entities"),
    ],
)
def test_search_results_show_hostile_titles_literally(page, hostile_url, query, title):
    page.goto(hostile_url + "?q=" + query)
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=15000)
    settle(page)
    assert title in results.all_inner_texts()


def test_hostile_abstract_reads_literally(page, hostile_url, papers):
    page.goto(hostile_url + papers["Arithmetic with a Hostile Abstract"]["url"])
    settle(page)
    text = page.locator("#abstract + p").inner_text()
    assert "<script>alert('abstract')</script> and </textarea><img src=x onerror=alert(2)>" in text
    assert "[x](javascript:alert(3))" in text and "| a | b | --- # not a heading" in text
    assert page.locator("article a[href^=javascript]").count() == 0


def test_the_dialog_detector_works(page):
    page.set_content("<p>x</p><img src=x onerror=\"alert('caught')\">")
    page.wait_for_timeout(300)
    assert page.dialogs == ["caught"]
    page.dialogs.clear()
