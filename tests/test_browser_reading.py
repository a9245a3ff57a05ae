"""The reading list and the maps of related work in headless Chromium: stars on a paper
page, a list and search results; the Reading list page's suggestions, BibTeX and JSON
exports and import; a paper's and a tag's map. Under a sub-path at phone and desktop
widths, light and dark, and from file:// in the offline site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import test_offline, test_publish
from tests.conftest import serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
offline = test_offline.offline  # the offline site, built once here
subpath_site = test_publish.subpath_site  # the seed site served under a sub-path


@pytest.fixture(scope="module")
def offline_url(offline):
    """The offline site, whose search is Material's, served over http."""
    yield from serve(offline[0])


PAPER = "ecoformer-energy-saving-attention-with-linear-complexity"
TITLE = "EcoFormer: Energy-Saving Attention with Linear Complexity"


def star_and_list(page, url: str, suffix: str = "/") -> None:
    """Star a paper on its page and one on the Papers page; the Reading list shows both."""
    page.goto(f"{url}papers/{PAPER}{suffix}")
    star = page.locator("h1 + .cat-star")
    assert star.get_attribute("aria-pressed") == "false"
    star.click()
    assert star.get_attribute("aria-pressed") == "true"
    assert star.get_attribute("aria-label") == f"Remove from reading list: {TITLE}"
    page.goto(url + ("papers/index.html" if suffix == ".html" else "papers/"))
    stars = page.locator(".md-content li .cat-star")
    assert stars.count() >= 250
    other = stars.nth(0)
    other.click()
    assert other.get_attribute("aria-pressed") == "true"
    page.goto(url + ("reading-list.html" if suffix == ".html" else "reading-list/"))
    starred = page.locator("#cat-reading-list ol").nth(0).locator("li a")
    starred.nth(1).wait_for()
    assert starred.nth(0).inner_text() == TITLE
    suggested = page.locator("#cat-reading-list ol").nth(1).locator("li")
    suggested.nth(9).wait_for()
    assert TITLE not in suggested.all_inner_texts()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_stars_exports_and_import_under_a_sub_path(browser, subpath_site, tmp_path, width, scheme):
    _, url = subpath_site
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    star_and_list(page, url)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export BibTeX").click()
    bib = Path(download.value.path()).read_text()
    assert bib.count("@") == 2 and f"@misc{{{PAPER}," in bib and "abstract" not in bib
    with page.expect_download() as download:
        page.get_by_role("button", name="Export JSON").click()
    exported = json.loads(Path(download.value.path()).read_text())
    assert exported[0]["slug"] == PAPER
    page.screenshot(path=str(tmp_path / "reading.png"))

    fresh = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    fresh.goto(url + "reading-list/")
    assert fresh.get_by_text("No papers yet").is_visible()
    saved = tmp_path / "list.json"
    saved.write_text(json.dumps([*exported, {"slug": "../../etc", "title": "x"}, 7]))
    fresh.set_input_files("#cat-import", str(saved))
    fresh.get_by_text("2 papers imported.").wait_for()
    titles = fresh.locator("#cat-reading-list ol").nth(0).locator("li a").all_inner_texts()
    assert titles[0] == TITLE and len(titles) == 2
    saved.write_text("{not json")
    fresh.set_input_files("#cat-import", str(saved))
    fresh.get_by_text("That file is not a reading list export").wait_for()
    assert errors == []
    context.close()


@pytest.mark.parametrize("site", ["hosted", "offline"])
def test_stars_in_search_results(browser, subpath_site, offline_url, site):
    """Pagefind's results on the hosted site, Material's on the offline one (over http)."""
    if site == "hosted":
        url, found = subpath_site[1], ".pagefind-ui__result .cat-star"
    else:
        url, found = offline_url, ".md-search-result__item .cat-star"
    page = browser.new_page()
    page.goto(f"{url}?q=ecoformer")
    result = page.locator(found).first
    result.wait_for()
    result.click()
    assert result.get_attribute("aria-pressed") == "true"
    page.goto(url + ("reading-list/" if site == "hosted" else "reading-list.html"))
    page.locator("#cat-reading-list ol li a").first.wait_for()
    assert TITLE in page.locator("#cat-reading-list ol").nth(0).all_inner_texts()[0]


def test_the_offline_site_keeps_a_reading_list_from_file_urls(browser, offline):
    folder, _ = offline
    page = browser.new_page()
    star_and_list(page, (folder.resolve().as_uri() + "/"), suffix=".html")
    assert page.url.startswith("file://")


@pytest.mark.parametrize(
    ("width", "scheme", "path", "button"),
    [
        (390, "dark", f"papers/{PAPER}/", "Show a map of related work"),
        (1280, "light", f"papers/{PAPER}/", "Show a map of related work"),
        (390, "light", "tags/linear-attention/", "Show a map of this tag's papers"),
        (1280, "dark", "tags/linear-attention/", "Show a map of this tag's papers"),
    ],
)
def test_maps_of_related_work(browser, subpath_site, width, scheme, path, button):
    site, url = subpath_site
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    fetched: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(url + path)
    assert not any(u.endswith("/static/map.js") or "/reading/" in u for u in fetched)
    page.get_by_role("button", name=button).click()
    nodes = page.locator(".cat-map svg a")
    nodes.first.wait_for()
    names = page.locator(".cat-map__list > li > a")
    assert nodes.count() == names.count() >= 9
    assert page.locator(".cat-map line").count() >= nodes.count() - 1
    for href in page.locator(".cat-map svg a").evaluate_all("ns => ns.map(n => n.href.baseVal)"):
        assert href.startswith(url + "papers/")
        assert (site / href[len(url) :] / "index.html").is_file()
    if path.startswith("papers/"):
        assert names.first.inner_text() == TITLE  # the paper itself is node 1
    box = page.locator(".cat-map svg").bounding_box()
    assert box is not None and box["width"] <= width
    assert errors == []


def test_search_share_copies_the_query_as_typed(browser, offline_url):
    """Material's Share button (the offline site's search)."""
    url = offline_url
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("linear attention", delay=30)
    page.locator(".md-search-result__item").first.wait_for()
    page.locator('[data-md-component="search-share"]').click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("?q=linear+attention"), copied
    context.close()
