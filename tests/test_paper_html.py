"""The generated pages' ready HTML equals what MkDocs makes of their Markdown.

`paper_page` writes every paper, tag, Papers and listing page twice, as Markdown and as
HTML, and the plugin's `ReadyPage` uses the HTML instead of converting the Markdown. Here every
such page of three catalogues (the seeds; the seeds with the hostile corpus dropped in and
its lists in numbered pages; the golden records with authors, dates, venues and arXiv ids)
is rendered both ways through MkDocs' own Page objects, and the two results must be the
same document: the same elements, attributes and text (entities decoded), the same table
of contents, title and anchors.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from generator.pipeline import Project
from generator.site.pages import ReadyPage
from generator.site.plugin import nav_titles
from tests import hostile
from tests.conftest import copy_project
from tests.golden import INPUT

pytestmark = pytest.mark.slow
SLOW_LIMIT = 100_000  # bytes of Markdown
QUICK = {"stats.md"}  # large but raw HTML blocks, which Python-Markdown passes quickly


class Tree(HTMLParser):
    """An HTML fragment as nested (tag, sorted attributes, children) with text decoded and
    whitespace runs collapsed; whitespace-only text between elements is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = []
        self.stack: list[list] = [self.root]

    def handle_starttag(self, tag, attrs):
        node = [tag, sorted((k, v or "") for k, v in attrs), []]
        self.stack[-1].append(node)
        if tag not in ("br", "img", "hr", "input", "meta", "link"):
            self.stack.append(node[2])

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].append([tag, sorted((k, v or "") for k, v in attrs), []])

    def handle_endtag(self, tag):
        if len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            siblings = self.stack[-1]
            if siblings and isinstance(siblings[-1], str):
                siblings[-1] = " ".join((siblings[-1] + " " + text).split())
            else:
                siblings.append(text)


def tree(html: str) -> list:
    parser = Tree()
    parser.feed(html)
    parser.close()
    return parser.root


def toc(items) -> list:
    return [(item.level, item.id, tree(item.title), toc(item.children)) for item in items]


def both_ways(project: Project) -> list[tuple[str, dict, dict]]:
    """(page, slow, fast) for every ready page: MkDocs' Markdown rendering vs the plugin's."""
    config = load_config(str(project.config_file))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    ready = [file for file in files.documentation_pages() if isinstance(file.page, ReadyPage)]
    titles = dict(nav_titles(config.nav))  # MkDocs takes a page's title from the nav
    results = []
    for file in ready:
        fast = file.page
        if len(file.content_string) > SLOW_LIMIT and file.src_uri not in QUICK:
            continue  # Python-Markdown takes minutes on the megabyte abstracts (quadratic)
        slow = Page(titles.get(file.src_uri), file, config)
        rendered = {}
        for way, page in (("slow", slow), ("fast", fast)):
            page.read_source(config)
            page.render(config, files)
            if page is fast:  # made when written: its Markdown is its file's, which `slow` reads
                fast.render_late(config)
            rendered[way] = {
                "meta": page.meta,
                "content": tree(page.content),
                "toc": toc(page.toc),
                "title": tree(page.title or ""),
                "anchors": page.present_anchor_ids,
                "links_to_anchors": page.links_to_anchors or {},
            }
        results.append((file.src_uri, rendered["slow"], rendered["fast"]))
    return results


def assert_same(results) -> None:
    assert results
    kinds = {uri.split("/")[0] for uri, _, _ in results}
    assert {"papers", "tags", "listings"} <= kinds, kinds
    for uri, slow, fast in results:
        for key in slow:
            assert fast[key] == slow[key], f"{uri}: {key} differs"


def test_seed_and_hostile_paper_pages_render_the_same_both_ways(tmp_path: Path):
    (tmp_path / "hostile").mkdir()
    project = copy_project(tmp_path / "hostile")
    hostile.write(project.listings_dir)
    text = project.config_file.read_text()
    assert "per_page: 500" in text
    project.config_file.write_text(text.replace("per_page: 500", "per_page: 40"))
    results = both_ways(project)
    assert len(results) > 250
    numbered = [uri for uri, _, fast in results if "page-" in uri]
    assert "papers/page-2.md" in numbered and any(uri.startswith("tags/") for uri in numbered)
    assert any("az-jump" in str(fast["content"]) for _, _, fast in results)
    # pages named in the nav too, with their nav titles
    assert {"stats.md", "tags/index.md", "listings/index.md"} <= {uri for uri, _, _ in results}
    assert_same(results)


def test_golden_records_render_the_same_both_ways(tmp_path: Path):
    (tmp_path / "golden").mkdir()
    project = copy_project(tmp_path / "golden")
    shutil.rmtree(project.listings_dir)
    shutil.copytree(INPUT, project.site_src, dirs_exist_ok=True)
    results = both_ways(project)
    assert any("arxiv" in str(fast["content"]) for _, _, fast in results)
    assert_same(results)


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=60,
).filter(str.strip)


def fuzz_project(folder: Path, titles: list[str], words: str) -> Project:
    """The project with one listing of `titles` (and one fixed title, so that it has a
    paper whatever they are), each with an abstract holding `words`."""
    titles = [*titles, 'A title holding href="../tags/arithmetic.md" as text']
    project = copy_project(folder)
    shutil.rmtree(project.listings_dir)
    lines = ["Mar 19", ""]
    for n, title in enumerate(titles):
        lines += [" ".join(title.split()), "", f"Arithmetic {words} number {n}. " * 3, ""]
    project.listings_dir.mkdir()
    (project.listings_dir / "fuzz.txt").write_text("\n".join(lines), encoding="utf-8")
    # Control characters enough to make the listing look binary leave no paper: allowed.
    config = project.config_file.read_text()
    project.config_file.write_text(
        config.replace("per_page: 500", "per_page: 500\n      allow_empty: true")
    )
    return project


# An abstract's words, without control characters (see PLAIN).
WORDS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(
    str.strip
)


@settings(max_examples=10, deadline=None)  # each example is a whole catalogue
@given(
    titles=st.lists(TEXT, min_size=2, max_size=16, unique_by=lambda t: t.casefold()), words=WORDS
)
@example(titles=["0", "\x1b"], words="0")  # a blank heading with a fixed id
def test_any_title_and_abstract_render_the_same_both_ways(tmp_path_factory, titles, words):
    project = fuzz_project(tmp_path_factory.mktemp("fuzz"), titles, words)
    assert_same(both_ways(project))
