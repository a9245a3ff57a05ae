"""`make dist`: the offline build opens from file://, search and filters included."""

import zipfile

import pytest

from generator.site.publish import DIST_NAME as NAME
from generator.site.publish import build_dist
from generator.site.writer import write_zip
from tests.conftest import copy_project

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("offline"))
    result, archive = build_dist(project)
    assert result.mkdocs_warnings == []
    return project.root / "dist" / NAME, archive


def test_zip_holds_the_offline_site(offline):
    folder, archive = offline
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.namelist() == [f"{NAME}/{name}" for name in files]
        assert zipped.read(f"{NAME}/index.html") == (folder / "index.html").read_bytes()
    # file:// needs page files, not directory URLs, and nothing from a CDN
    assert (folder / "papers" / "index.html").is_file()
    assert (folder / "search" / "search_index.js").is_file()
    home = (folder / "index.html").read_text()
    assert 'href="papers/index.html"' in home and "unpkg.com" not in home


def test_zip_is_byte_stable(tmp_path):
    (tmp_path / "site" / "a").mkdir(parents=True)
    (tmp_path / "site" / "a" / "x.txt").write_text("x")
    (tmp_path / "site" / "b.txt").write_text("b")
    write_zip(tmp_path / "one.zip", tmp_path / "site", prefix="p")
    write_zip(tmp_path / "two.zip", tmp_path / "site", prefix="p")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


def test_search_and_filters_work_from_file_urls(browser, offline):
    folder, _ = offline
    page = browser.new_page()
    page.goto((folder / "index.html").as_uri())
    page.wait_for_function("typeof __index === 'object'")  # the inlined search index
    page.locator("input.md-search__input").click()
    page.keyboard.type("late interaction")
    # results refresh as each letter arrives; wait for the ones for the whole query
    page.wait_for_function(
        "(document.querySelector('.md-search-result__item') || {}).textContent"
        "?.includes('ColBERT')",
        timeout=15000,
    )
    first = page.locator(".md-search-result__item").first
    first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.split("?")[0].endswith(".html")
    assert "ColBERT" in page.locator("h1").inner_text()
    page.goto((folder / "papers" / "index.html").as_uri() + "?tag=quantization&code=1")
    status = page.locator(".facets__status").inner_text()
    assert status.startswith("Showing ") and "of 250 papers" in status
    shown = page.locator("article li:not([hidden]) > a:first-child").first
    shown.click()
    page.wait_for_load_state()
    assert page.url.endswith(".html") and page.locator("h1").count() == 1
    page.goto((folder / "stats.html").as_uri())
    assert page.locator("svg.chart").count() == 4
    page.close()
