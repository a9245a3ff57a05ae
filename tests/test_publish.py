"""The seed site as GitHub Pages serves a project site: under a sub-path, with a 404 page.

The site is built with SITE_URL pointing at the sub-path it is served under (as the
Pages workflow does), then every page is crawled: every link, stylesheet, script, image
and anchor must resolve. sitemap.xml, robots.txt, canonical links and the favicon must
all name the same site_url.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode, urljoin

import pytest

from generator.pipeline import build
from tests.conftest import copy_project
from tests.linkcheck import Broken, bound_server, crawl, fetch, serve_under, site_pages

pytestmark = pytest.mark.slow

PREFIX = "/some-repo/"
MISSING = "no/such/page/"


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory):
    """The seed catalogue built for, and served at, http://127.0.0.1:PORT/some-repo/."""
    with bound_server() as server:
        site_url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
        project = copy_project(tmp_path_factory.mktemp("subpath"))
        with pytest.MonkeyPatch.context() as env:
            env.setenv("SITE_URL", site_url)
            result = build(project)
        assert result.warnings == 0
        with serve_under(server, project.site_dir, PREFIX) as url:
            assert url == site_url
            yield project.site_dir, url


@pytest.fixture(scope="module")
def crawled(subpath_site):
    site, url = subpath_site
    return crawl(url, [url, url + MISSING, *site_pages(site, url)])


def test_every_link_and_asset_resolves_under_a_sub_path(subpath_site, crawled):
    site, url = subpath_site
    assert [str(b) for b in crawled.broken] == []
    pages = site_pages(site, url)
    assert len(pages) > 250  # every paper, tag and listing page, and the index pages
    assert set(pages) <= set(crawled.pages)
    kinds = {got.content_type for got in crawled.fetched.values()}
    assert {"text/html", "text/css", "image/svg+xml"} <= kinds
    assert any(u.endswith(".js") for u, got in crawled.fetched.items() if got.status == 200)


def test_every_page_is_reachable_by_links_from_home(subpath_site):
    site, url = subpath_site
    from_home = crawl(url, [url])
    assert set(site_pages(site, url)) - set(from_home.pages) == set()


def test_a_missing_url_gets_the_sites_404_page_with_working_assets(subpath_site, crawled):
    _, url = subpath_site
    missing = crawled.fetched[url + MISSING]
    assert missing.status == 404
    page = crawled.pages[url + MISSING]
    assets = [raw for where, raw in page.refs if where in ("link href", "script src")]
    assert any(raw.endswith(".css") for raw in assets)
    assert all(raw.startswith(PREFIX) for raw in assets)  # root-absolute, but under PREFIX
    assert fetch(url.replace(PREFIX, "/other/")).status == 404  # outside the sub-path too


def test_sitemap_lists_every_page_with_the_site_url(subpath_site):
    site, url = subpath_site
    sitemap = fetch(url + "sitemap.xml")
    assert sitemap.status == 200
    space = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in ET.fromstring(sitemap.body).iterfind("s:url/s:loc", space)]
    assert sorted(locs) == sorted(site_pages(site, url))


def test_every_page_names_itself_as_canonical(subpath_site, crawled):
    site, url = subpath_site
    wrong = {p: crawled.pages[p].canonical for p in site_pages(site, url)}
    assert {page: canonical for page, canonical in wrong.items() if canonical != page} == {}


def test_robots_txt_points_at_the_sitemap(subpath_site):
    _, url = subpath_site
    robots = fetch(url + "robots.txt")
    assert robots.status == 200
    assert robots.body.decode() == f"User-agent: *\nAllow: /\nSitemap: {url}sitemap.xml\n"


def test_every_page_has_the_svg_favicon(subpath_site, crawled):
    site, url = subpath_site
    for page in [*site_pages(site, url), url + MISSING]:
        icons = crawled.pages[page].icons
        assert len(icons) == 1
        assert crawled.fetched[url + "static/favicon.svg"].content_type == "image/svg+xml"
        assert fetch(urljoin(page, icons[0])).body == (site / "static" / "favicon.svg").read_bytes()
    svg = ET.fromstring((site / "static" / "favicon.svg").read_bytes())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_the_crawler_reports_every_kind_of_broken_reference(tmp_path: Path):
    with bound_server() as server:
        url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
        (tmp_path / "page").mkdir()
        (tmp_path / "index.html").write_text(
            '<link rel="stylesheet" href="s.css"><a href="/elsewhere/">x</a>'
            '<img src="ok.png" srcset="ok.png 1x, missing.png 2x">'
            '<a href="page/#yes">ok</a><a href="page/#nope">x</a><a href="https://example.org/">'
            f'<meta name="citation_pdf_url" content="{url}paper.pdf">'
        )
        (tmp_path / "page" / "index.html").write_text('<h2 id="yes">Y</h2><a href="../#top">x</a>')
        (tmp_path / "s.css").write_text("b{background:url(ok.png)} i{background:url('gone.woff2')}")
        (tmp_path / "ok.png").write_bytes(b"\x89PNG")
        (tmp_path / "404.html").write_text("<p>Not here</p>")
        with serve_under(server, tmp_path, PREFIX):
            result = crawl(url, [url])
    assert sorted(result.broken, key=str) == sorted(
        [
            Broken(url, "a href", "/elsewhere/", "HTTP 404"),
            Broken(url, "img srcset", "missing.png", "HTTP 404"),
            Broken(url, "a href", "page/#nope", "no element with id 'nope'"),
            Broken(url, "meta content", f"{url}paper.pdf", "HTTP 404"),
            Broken(url + "page/", "a href", "../#top", "no element with id 'top'"),
            Broken(url + "s.css", "css url", "gone.woff2", "HTTP 404"),
        ],
        key=str,
    )
    assert result.fetched[url.replace(PREFIX, "/elsewhere/")].body == b"<p>Not here</p>"
    assert "https://example.org/" not in result.fetched  # other hosts are never contacted


def _record_failures(page) -> list[str]:
    """Every request of `page` that failed or answered 4xx/5xx, as 'STATUS URL'."""
    failures: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
    return failures


@pytest.mark.browser
def test_the_404_page_renders_styled_under_the_sub_path(browser, subpath_site):
    _, url = subpath_site
    page = browser.new_page()
    failures = _record_failures(page)
    response = page.goto(url + MISSING)
    assert response is not None and response.status == 404
    assert failures == [f"404 {url}{MISSING}"]  # the page itself, nothing it loads
    sheets = page.evaluate(
        "[...document.styleSheets].filter(s => s.href && s.cssRules.length).map(s => s.href)"
    )
    assert any(href.startswith(url + "assets/stylesheets/main.") for href in sheets)
    position, background = page.locator("header.md-header").evaluate(
        "e => [getComputedStyle(e).position, getComputedStyle(e).backgroundColor]"
    )
    assert position == "sticky"  # Material's header, not the browser's default static
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("h1").inner_text() == "404 - Not found"
    page.locator("header .md-logo").click()
    page.wait_for_load_state()
    assert page.url == url
    assert page.locator("h1").count() == 1
    page.close()


@pytest.mark.browser
def test_pages_and_search_fetch_nothing_missing_under_the_sub_path(browser, subpath_site):
    site, url = subpath_site
    paper = next(p for p in site_pages(site, url) if "/papers/" in p and p != url + "papers/")
    page = browser.new_page()
    failures = _record_failures(page)
    for address in (url, url + "papers/", paper):
        page.goto(address)
        page.wait_for_load_state("networkidle")
    word = max(page.locator("h1").inner_text().split(), key=len)
    page.goto(f"{url}?q={word}")
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for(timeout=15000)
    assert word.lower() in results.first.inner_text().lower()
    assert failures == []
    page.close()


@pytest.mark.browser
def test_a_mistyped_paper_address_offers_a_search_for_its_words(browser, subpath_site):
    site, url = subpath_site
    paper = next(p for p in site_pages(site, url) if "/papers/" in p and p != url + "papers/")
    page = browser.new_page()
    page.goto(paper)
    title = page.locator("h1").inner_text()
    response = page.goto(paper.rstrip("/") + "-v2/")  # an address that was never published
    assert response is not None and response.status == 404
    search = page.locator("#not-found-search")
    assert search.get_attribute("href").startswith(url + "?q=")
    search.click()
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for(timeout=15000)
    assert title in results.first.inner_text()
    # No paper holds "v2" with the other words: they are searched without it, and it is named.
    assert page.locator(".pf-search__status").inner_text().endswith("all with \u201cv2\u201d)")
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("missing", "words"),
    [
        ("papers/sparse-retrieval-v2/index.html", "sparse retrieval v2"),
        ("tags/linear-attention/page-9/", "linear attention"),
        ("old/Flash_Attention.html", "old Flash Attention"),
    ],
)
def test_the_404_search_uses_every_word_of_the_address(browser, subpath_site, missing, words):
    _, url = subpath_site
    page = browser.new_page()
    response = page.goto(url + missing)
    assert response is not None and response.status == 404
    search = page.locator("#not-found-search")
    assert search.inner_text() == f"Search for \u201c{words}\u201d"
    assert search.get_attribute("href") == url + "?" + urlencode({"q": words})
    page.close()
