"""The Papers page's filters in headless Chromium: the URL carries them, results are right."""

import json
from urllib.parse import parse_qs

import pytest

from tests import test_offline, test_publish

pytestmark = pytest.mark.browser
offline = test_offline.offline  # the offline site, built once here
subpath_site = test_publish.subpath_site  # the seed site served under a sub-path


@pytest.fixture(scope="module")
def papers(seed_build):
    return {p["slug"]: p for p in json.loads((seed_build[0].site_dir / "papers.json").read_text())}


def shown_slugs(page) -> set[str]:
    hrefs = page.eval_on_selector_all(
        "article li:not([hidden]) > a:first-child",
        "links => links.map(a => a.getAttribute('href'))",
    )
    return {href.rstrip("/").split("/")[-1].removesuffix(".html") for href in hrefs}


def has_code(paper) -> bool:
    return any(link["kind"] == "code" for link in paper["links"])


def test_filters_from_a_shared_url(browser, seed_url, papers):
    page = browser.new_page()
    page.goto(seed_url + "papers/?tag=quantization&tag=vision-transformers&code=1")
    expected = {
        slug
        for slug, p in papers.items()
        if {"quantization", "vision-transformers"} <= set(p["tags"]) and has_code(p)
    }
    assert expected and shown_slugs(page) == expected
    assert page.locator(".facets__status").inner_text() == (
        f"Showing {len(expected)} of {len(papers)} papers."
    )
    assert page.locator('input[name="code"]').is_checked()
    page.close()


def test_changing_filters_updates_the_url_and_the_list(browser, seed_url, papers):
    page = browser.new_page()
    page.goto(seed_url + "papers/")
    assert len(shown_slugs(page)) == len(papers)
    colbert = papers["colbert-efficient-and-effective-passage-search-via-contextualized-late"]
    listing, tag = colbert["listings"][-1], colbert["tags"][-1]
    page.select_option('select[name="listing"]', listing)
    page.locator(".facets__tags > summary").click()
    page.locator(f'input[name="tag"][value="{tag}"]').check()
    page.fill('input[name="text"]', "Late INTERACTION")
    query = parse_qs(page.evaluate("location.search").lstrip("?"))
    assert query == {"listing": [listing], "tag": [tag], "text": ["Late INTERACTION"]}
    expected = {
        slug
        for slug, p in papers.items()
        if listing in p["listings"]
        and tag in p["tags"]
        and all(w in p["title"].lower() for w in ("late", "interaction"))
    }
    assert expected and shown_slugs(page) == expected
    # the shared link reproduces the same list in a fresh page
    other = browser.new_page()
    other.goto(page.evaluate("location.href"))
    assert shown_slugs(other) == expected
    other.close()
    page.get_by_role("button", name="Clear filters").click()
    assert page.evaluate("location.search") == ""
    assert len(shown_slugs(page)) == len(papers)
    page.close()


def test_keyboard_reaches_the_tag_chips(browser, seed_url):
    page = browser.new_page()
    page.goto(seed_url + "papers/")
    page.locator(".facets__tags > summary").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.facets__tags').open")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.name, document.activeElement.value]")
    assert focused[0] == "tag"
    page.keyboard.press("Space")
    page.wait_for_function("location.search.includes('tag=')")
    assert f"tag={focused[1]}" in page.evaluate("location.search")
    page.close()


def test_without_javascript_the_plain_list_shows(browser, seed_url, papers):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(seed_url + "papers/?tag=quantization")
    assert page.locator(".facets__form").count() == 0
    assert len(shown_slugs(page)) == len(papers)
    context.close()


def test_the_contents_list_only_the_letters_shown(browser, seed_url, papers):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(seed_url + "papers/?tag=quantization&tag=vision-transformers&code=1")
    shown = page.eval_on_selector_all("article h2:not([hidden])", "hs => hs.map(h => '#' + h.id)")
    listed = page.eval_on_selector_all(
        ".md-nav--secondary li:not([hidden]) > a", "as => as.map(a => a.getAttribute('href'))"
    )
    letters = {slug[0].upper() for slug, p in papers.items()}
    assert 0 < len(shown) < len(letters) and listed == shown
    page.close()


def listed_slugs(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        ".facets__list > li > a:first-child", "links => links.map(a => a.getAttribute('href'))"
    )
    return [href.rstrip("/").split("/")[-1].removesuffix(".html") for href in hrefs]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_order_newest_first_or_most_listed(browser, subpath_site, papers, width, scheme):
    site, url = subpath_site
    order_papers(browser, url, "/", site, papers, width, scheme)


def test_the_offline_site_orders_papers_from_file_urls(browser, offline, papers):
    folder, _ = offline
    order_papers(browser, folder.resolve().as_uri() + "/", "/index.html", folder, papers)


def order_papers(browser, url, index, site, papers, width=1280, scheme="light") -> None:
    """Most listed, then newest first, then A to Z again, on the Papers page at `url`."""
    facets = json.loads((site / "facets.json").read_text())
    listings = facets["listings"]
    # The day a listing sorts by (`history.sort_day`), then its number.
    assert all(listing[2] for listing in listings)
    by_day = sorted(range(len(listings)), key=lambda n: (listings[n][2], n))
    number = {listings[n][0]: place for place, n in enumerate(by_day)}  # its date order
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(url + f"papers{index}?order=listed")
    page.locator(".facets__list > li").nth(49).wait_for()
    shown = listed_slugs(page)
    counts = [len(papers[slug]["listings"]) for slug in shown]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    assert page.locator('select[name="order"]').input_value() == "listed"
    page.select_option('select[name="order"]', "newest")
    page.wait_for_function("location.search.includes('order=newest')")
    shown = listed_slugs(page)
    latest = [max(number[slug] for slug in papers[p]["listings"]) for p in shown]
    assert latest == sorted(latest, reverse=True) and latest[0] == len(number) - 1
    newest = [p for p, n in zip(shown, latest, strict=True) if n == latest[0]]
    within = [papers[p]["title"].casefold() for p in newest]
    assert within == sorted(within)  # A to Z among papers of one listing
    page.select_option('select[name="order"]', "")
    page.wait_for_function("!location.search.includes('order')")
    assert shown_slugs(page) == set(papers)  # the page's own A-Z list again
    assert page.locator(".facets__results").is_hidden()
    page.close()
