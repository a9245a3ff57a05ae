"""Every built page: one h1, headings that never skip a level, images with alt text; and
axe-core's audit of the main pages, light and dark, at phone and desktop widths."""

import re
from itertools import pairwise

import pytest

from tests import test_publish

pytestmark = pytest.mark.slow
subpath_site = test_publish.subpath_site  # the seed site served under a sub-path

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
HEADING = re.compile(r"<h([1-6])\b")


def test_headings_in_order_and_images_described(seed_build):
    project, _ = seed_build
    pages = sorted(project.site_dir.rglob("*.html"))
    assert len(pages) > 250
    problems = []
    for path in pages:
        html = path.read_text()
        article = ARTICLE.search(html)
        if article is None:
            continue
        levels = [int(level) for level in HEADING.findall(article.group(1))]
        name = path.relative_to(project.site_dir).as_posix()
        if levels[:1] != [1] or levels.count(1) != 1:
            problems.append(f"{name}: headings {levels}")
        problems += [f"{name}: h{a} then h{b}" for a, b in pairwise(levels) if b > a + 1]
        problems += [
            f"{name}: {img[:80]}" for img in re.findall(r"<img\b[^>]*>", html) if " alt=" not in img
        ]
    assert problems == []


PAGES = [
    "",
    "papers/",
    "papers/ecoformer-energy-saving-attention-with-linear-complexity/",
    "tags/linear-attention/",
    "listings/",
    "listings/002-776473667a2cb07a/",  # a listing
    "stats/",
    "reading-list/",
    "similar/",
    "?q=linear+attention",  # the search dialog open, with results
]


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(browser, subpath_site, width, scheme):
    from axe_playwright_python.sync_playwright import Axe

    _, url = subpath_site
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    found = []
    for path in PAGES:
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.append(f"{path or 'home'}: {violation['id']} {targets}")
    context.close()
    assert found == []


@pytest.mark.browser
def test_the_filters_show_where_the_focus_is(browser, subpath_site):
    _, url = subpath_site
    page = browser.new_page()
    page.goto(url + "papers/")
    for selector in ('input[name="text"]', 'input[name="code"]'):
        page.locator(selector).focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focused from the keyboard: :focus-visible
        style = page.locator(selector).evaluate("e => getComputedStyle(e).outlineStyle")
        assert style == "solid", selector
    page.close()
