"""Reader features in headless Chromium: citation metadata, BibTeX copy button."""

import pytest

pytestmark = pytest.mark.browser

PAPER = "papers/ecoformer-energy-saving-attention-with-linear-complexity/"


def test_paper_head_has_citation_meta_and_search_links(browser, seed_url):
    page = browser.new_page()
    page.goto(seed_url + PAPER)
    title = page.get_attribute('meta[name="citation_title"]', "content")
    assert title == "EcoFormer: Energy-Saving Attention with Linear Complexity"
    assert page.get_attribute('link[rel="canonical"]', "href").endswith("/" + PAPER)
    names = page.eval_on_selector_all('meta[name^="citation_"]', "ms => ms.map(m => m.name)")
    assert names == ["citation_title"]  # a listing gives no authors, dates or ids
    elsewhere = page.locator("#find-it-elsewhere + p a")
    hrefs = [elsewhere.nth(n).get_attribute("href") for n in range(elsewhere.count())]
    assert any(h.startswith("https://arxiv.org/search/?query=EcoFormer") for h in hrefs)
    assert any(h.startswith("https://www.semanticscholar.org/search?q=") for h in hrefs)
    assert any(h.startswith("https://huggingface.co/papers?q=") for h in hrefs)
    page.close()


def test_bibtex_copy_button_copies_the_entry(browser, seed_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(seed_url + PAPER)
    button = page.locator('#cite + .highlight button[data-md-type="copy"]')
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{ecoformer-energy-saving-attention-with-linear-complexity,")
    assert "title = {{EcoFormer: Energy-Saving Attention with Linear Complexity}}" in copied
    assert copied.rstrip().endswith("}")
    context.close()


def test_exports_and_feeds_load_and_parse_in_the_browser(browser, seed_url):
    page = browser.new_page()
    page.goto(seed_url + "tags/quantization/")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.reload()
    page.wait_for_load_state("networkidle")
    # feed readers find it by the "alternate" token; Material must not fetch the sitemap
    feed = page.get_attribute('link[rel~="alternate"][type="application/atom+xml"]', "href")
    assert not any("sitemap.xml" in url for url in fetched)
    checks = page.evaluate(
        """async (feed) => {
            const text = async (url) => (await fetch(url)).text();
            const xml = new DOMParser().parseFromString(await text(feed), "application/xml");
            const main = new DOMParser().parseFromString(
                await text("../../feed.xml"), "application/xml");
            return {
                feedOk: !xml.querySelector("parsererror"),
                entries: xml.getElementsByTagName("entry").length,
                mainOk: !main.querySelector("parsererror"),
                papers: JSON.parse(await text("../../papers.json")).length,
                tagged: JSON.parse(await text("../../papers.json"))
                    .filter((p) => p.tags.includes("quantization")).length,
                bib: (await text("../quantization.bib")).match(/^@misc\\{/gm).length,
            };
        }""",
        feed,
    )
    assert checks["feedOk"] and checks["mainOk"]
    assert checks["entries"] == checks["tagged"] == checks["bib"] > 0
    assert checks["papers"] == 250
    page.close()


def test_stats_page_shows_four_labelled_svg_charts(browser, seed_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(seed_url + "stats/")
    titles = ["Papers per tag", "Tags that appear together", "Papers per listing"]
    for title in [*titles, "Share of papers with code"]:
        # the accessible name comes from the SVG's <title> and <desc> (aria-labelledby)
        assert page.get_by_role("img", name=title).count() == 1
    assert page.locator("svg.chart").count() == 4
    for key in ("per-tag", "together", "per-listing", "with-code"):
        box = page.locator(f"svg[aria-labelledby^='{key}-']").bounding_box()
        assert box["width"] > 300 and box["height"] > 60
    bars = page.locator("svg[aria-labelledby^='per-tag-'] rect.chart__bar").count()
    rows = page.locator("details.chart-data").first.locator("tbody tr").count()
    assert bars == rows > 10
    # no chart needs a script or a remote resource: everything is inline SVG
    assert page.locator("svg.chart image, svg.chart script").count() == 0
    page.close()


def test_paper_page_without_sidebars_and_small_screens_keep_the_tabs(browser, seed_url):
    """Paper pages leave out the sidebars they hide; on a phone the tabs replace the
    drawer (overrides/main.html, catalogue.css); the code link's icon is a CSS mask."""
    for width in (1280, 400):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(seed_url + PAPER)
        assert page.locator(".md-sidebar").count() == 0
        tabs = page.locator(".md-tabs__link")
        assert tabs.count() == 8 and tabs.first.is_visible()  # the nav of mkdocs.yml
        assert not page.locator('label.md-header__button[for="__drawer"]').is_visible()
        article = page.locator("article.md-content__inner").bounding_box()
        assert article["width"] <= 38 * 20 + 1  # 38rem of 20px: a readable measure
        icon = page.locator("#links + ul .twemoji svg").first
        mask = icon.evaluate("e => getComputedStyle(e).webkitMaskImage")
        assert mask.startswith("url(") and icon.bounding_box()["width"] > 10
        assert page.locator("#links + ul .twemoji path").count() == 0  # no inline SVG
        page.close()
    page = browser.new_page(viewport={"width": 400, "height": 900})  # a page with a nav
    page.goto(seed_url + "about/")
    page.locator('.md-tabs__link:text-is("Tags")').click()
    page.wait_for_url("**/tags/")
    page.close()
