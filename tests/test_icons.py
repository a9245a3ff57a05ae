"""The theme's icons come from catalogue.css and its palette script from static/palette.js
(both in the plugin's theme layer, generator/site/theme): each stand-in must carry Material's
own icon or script, exactly, so nothing changes but the bytes of every page."""

import re
from pathlib import Path

import material

from generator.site.plugin import THEME as LAYER

ROOT = Path(__file__).resolve().parent.parent
THEME = Path(material.__file__).parent / "templates"
STANDINS = LAYER / ".icons"
CSS = (LAYER / "static/catalogue.css").read_text()


def test_every_icon_stand_in_is_empty_and_its_mask_is_materials_icon():
    standins = sorted(STANDINS.rglob("*.svg"))
    assert len(standins) >= 5
    for path in standins:
        name = path.stem
        assert path.read_text() == (
            f'<svg class="cat-icon cat-icon--{name}" viewBox="0 0 24 24"></svg>\n'
        )
        original = (THEME / ".icons" / path.relative_to(STANDINS)).read_text().strip()
        rule = re.search(
            rf"\.cat-icon--{re.escape(name)} \{{ --cat-icon: "
            r"url\('data:image/svg\+xml;charset=utf-8,(.*?)'\); \}",
            CSS,
        )
        assert rule is not None, name
        assert rule.group(1) == original


def test_the_icons_the_site_shows_have_stand_ins():
    config = (ROOT / "mkdocs.yml").read_text()
    shown = {"material/menu", "material/arrow-up", "material/magnify", "material/close"}
    shown |= set(re.findall(r"(?:logo|icon): (material/[a-z-]+)", config))
    for source in (ROOT / "generator").rglob("*.py"):  # paper pages' link icons
        found = re.findall(r'"(material|simple)-([a-z-]+)"', source.read_text())
        shown |= {f"{family}/{name}" for family, name in found}
    assert {"material/github", "simple/arxiv"} <= shown
    assert {
        p.relative_to(STANDINS).with_suffix("").as_posix() for p in STANDINS.rglob("*.svg")
    } >= (shown)


def test_palette_script_is_materials_inline_script():
    partial = (THEME / "partials/javascripts/palette.html").read_text()
    inline = re.search(r"<script>(.*)</script>", partial, re.S).group(1)
    assert (LAYER / "static/palette.js").read_text() == inline + "\n"


def test_the_header_icons_show_and_no_page_carries_their_paths(browser, seed_build, seed_url):
    project, _ = seed_build
    page_html = next((project.site_dir / "papers").glob("ecoformer-*/index.html")).read_text()
    before, rest = page_html.split("<article", 1)
    chrome = before + rest.split("</article>", 1)[1]
    assert "<path" not in chrome  # every icon of the theme is a stand-in
    assert 'src="../../static/palette.js"' in page_html and '__md_get("__palette")' not in (
        page_html
    )
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(seed_url + "/papers/")
        icons = page.eval_on_selector_all(
            ".md-header svg.cat-icon",
            """els => els.filter(e => e.getClientRects().length).map(e => {
                const s = getComputedStyle(e), r = e.getBoundingClientRect();
                return [s.maskImage || s.webkitMaskImage, s.backgroundColor, r.width, r.height];
            })""",
        )
        assert len(icons) >= 2  # menu, palette toggle
        for mask, colour, width, height in icons:
            assert mask.startswith('url("data:image/svg+xml') and width > 10 and height > 10
            assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
        search = page.locator(".md-header .pf-search__open svg")  # Pagefind's search button
        box = search.bounding_box()
        assert search.is_visible() and box is not None and box["width"] > 10
    finally:
        page.close()


def test_code_links_show_their_hosts_icon():
    from generator.model import Link
    from generator.render.blocks import Icon
    from generator.render.pages import _link_item

    def icon(url: str) -> str:
        pieces = _link_item(Link(url, "code", "x"))
        return next(piece.name for piece in pieces if isinstance(piece, Icon))

    assert icon("https://github.com/a/b") == "material-github"
    assert icon("https://www.gitlab.com/a/b") == "material-gitlab"
    assert icon("https://gitee.com/mindspore/models") == "simple-gitee"
    assert icon("https://codeberg.org/a/b") == "simple-codeberg"
    assert icon("https://git.example.org/a/b") == "material-source-repository"
