"""What a reader sees, in headless Chromium: search from a shared `?q=` link."""

import pytest

from tests import test_publish

pytestmark = pytest.mark.browser
subpath_site = test_publish.subpath_site  # the seed site served under a sub-path


def test_query_in_url_shows_search_results(browser, seed_url):
    page = browser.new_page()
    page.goto(seed_url + "tags/quantization/?q=late+interaction+ColBERT")
    results = page.locator(".pagefind-ui__result")  # the hosted site searches with Pagefind
    results.first.wait_for(timeout=15000)
    assert "ColBERT" in results.first.inner_text()
    assert not page.locator(".md-search-result__item").count()
    page.close()


def test_paper_page_shows_title_tags_and_related(browser, seed_url):
    page = browser.new_page()
    page.goto(seed_url + "papers/teaching-arithmetic-to-small-transformers/")
    assert page.locator("h1").inner_text() == "Teaching Arithmetic to Small Transformers"
    assert page.locator("a.tag").count() >= 1
    related = page.locator("#related-papers + ol > li")
    assert related.count() >= 5
    related.first.locator("a").click()
    page.wait_for_load_state()
    assert "/papers/" in page.url and "teaching-arithmetic" not in page.url
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_result_marks_the_searched_words_on_its_page(browser, subpath_site, width, scheme):
    _, url = subpath_site
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(url + "?q=linear+attention")
    link = page.locator(".pagefind-ui__result-link", has_text="EcoFormer")
    link.wait_for(timeout=15000)
    assert link.get_attribute("href").endswith("?h=linear%20attention")
    link.click()
    page.wait_for_url("**/papers/ecoformer-*/?h=*")
    assert page.locator("h1 mark").all_inner_texts() == ["Attention", "Linear"]  # a title hit
    assert page.locator("#abstract + p mark").count() >= 3
    assert page.locator("h1").inner_text() == (
        "EcoFormer: Energy-Saving Attention with Linear Complexity"
    )  # marking changes no text
    page.close()
