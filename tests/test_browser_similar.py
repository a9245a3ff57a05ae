"""Papers like this text in headless Chromium: a pasted abstract lists the paper it came
from first, with the words they share and a star (which needs the script to split and hash
words as the build does). Under a sub-path at phone and desktop widths, light and dark, and from file://
in the offline site."""

from __future__ import annotations

import json
import re

import pytest

from tests import test_offline, test_publish

pytestmark = [pytest.mark.slow, pytest.mark.browser]
offline = test_offline.offline  # the offline site, built once here
subpath_site = test_publish.subpath_site  # the seed site served under a sub-path

PAPER = "ecoformer-energy-saving-attention-with-linear-complexity"
TITLE = "EcoFormer: Energy-Saving Attention with Linear Complexity"


def abstract_of(site) -> str:
    papers = json.loads((site / "papers.json").read_text())
    return next(paper["abstract"] for paper in papers if paper["slug"] == PAPER)


def find_similar(page, text: str) -> list[str]:
    page.get_by_label("Your text").fill(text)
    page.get_by_role("button", name="Find similar papers").click()
    page.get_by_text("papers like this text, from").wait_for()
    return page.locator(".cat-similar__results li > a").all_inner_texts()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_pasted_abstract_finds_its_paper_first(browser, subpath_site, tmp_path, width, scheme):
    site, url = subpath_site
    page = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    ).new_page()
    errors: list[str] = []
    fetched: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    assert page.evaluate("() => typeof window.catalogueSimilar") == "undefined"
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(url + "similar/")
    abstract = abstract_of(site)
    titles = find_similar(page, abstract)
    assert titles[0] == TITLE and 5 <= len(titles) <= 20
    first = page.locator(".cat-similar__results li").first
    shared = first.locator(".cat-similar__terms").inner_text().removeprefix("shares: ").split(", ")
    assert shared and all(word in abstract.lower() for term in shared for word in term.split())
    assert first.locator(".cat-star").count() == 1  # a result can go on the reading list
    # The index came in shards from under the sub-path, after the page asked for it.
    shards = re.compile(re.escape(url) + r"similar/\d+\.js$")
    assert any(shards.match(u) for u in fetched)
    page.screenshot(path=str(tmp_path / f"similar-{width}-{scheme}.png"), full_page=True)
    # A text of unknown words says so instead of listing nothing silently.
    page.get_by_label("Your text").fill("zzqx wvvut")
    page.get_by_role("button", name="Find similar papers").click()
    page.get_by_text("No paper shares a word").wait_for()
    assert errors == []


def test_offline_site_finds_similar_papers_from_file(browser, offline):
    site, _ = offline
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / "similar.html").as_uri())
    titles = find_similar(page, abstract_of(site))
    assert titles[0] == TITLE
    assert errors == []
