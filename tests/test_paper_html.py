"""The generated pages' ready HTML equals what MkDocs makes of their Markdown.

`paper_page` writes every paper, tag, Papers and listing page twice, as Markdown and as
HTML, and the page_cache hook uses the HTML instead of converting the Markdown. Here every
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
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from generator import page_cache
from generator.pipeline import Project, generate
from generator.writer import body_paths
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
    """(page, slow, fast) for every page with a body: MkDocs' Markdown rendering vs the body."""
    config = load_config(str(project.config_file))
    files = get_files(config)
    for file in files.documentation_pages():
        Page(None, file, config)
    results = []
    # One state for all pages, as in a build: pages share the hook's resolved links.
    state = page_cache._Build(
        previous=project.site_dir,
        config_key="",
        counter=page_cache._Count(),
        bodies=project.bodies_db,
        fast_markdown=page_cache._fast_markdown(config),
    )
    stored = body_paths(project.bodies_db)
    before, page_cache._STATE = page_cache._STATE, state
    try:
        for file in files.documentation_pages():
            _both_ways(project, config, files, state, file, results, stored)
    finally:
        page_cache._STATE = before
    shared = [answers for key, answers in state.links.items() if len(key) == 1]
    assert any(shared), "no link was resolved through the shared answers"
    return results


def _both_ways(
    project: Project, config, files, state, file, results: list, stored: set[str]
) -> None:
    body_path = file.src_uri.removesuffix(".md") + ".html"
    if body_path not in stored:
        return
    if Path(file.abs_src_path).stat().st_size > SLOW_LIMIT and file.src_uri not in QUICK:
        return  # Python-Markdown takes minutes on the megabyte abstracts (quadratic)
    rendered = {}
    for way in ("slow", "fast"):
        page = Page(None, file, config)
        if way == "slow":
            page.read_source(config)
            page.render(config, files)
        else:
            source = file.content_bytes
            body, meta = page_cache._body(state, page, source)
            assert body is not None, f"no usable body for {file.src_uri} at {body_path}"
            if meta is not None:  # front matter from the generator's JSON copy
                page_cache._read_ready_source(page, meta, source, config)
            else:
                page.read_source(config)
            page_cache._render_body(page, body, config, files)
            if "\npaper:\n" in file.content_string:  # a paper page
                assert meta is not None, f"{file.src_uri}: no JSON front matter"
        rendered[way] = {
            "meta": page.meta,
            "markdown": page.markdown,
            "content": tree(page.content),
            "toc": toc(page.toc),
            "title": tree(page.title or ""),
            "anchors": page.present_anchor_ids,
            "links_to_anchors": page.links_to_anchors or {},
        }
    results.append((file.src_uri, rendered["slow"], rendered["fast"]))


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
    generate(project)
    results = both_ways(project)
    assert len(results) > 250
    numbered = [uri for uri, _, fast in results if "page-" in uri]
    assert "papers/page-2.md" in numbered and any(uri.startswith("tags/") for uri in numbered)
    assert any("az-jump" in str(fast["content"]) for _, _, fast in results)
    # the index pages and the Statistics page (its charts raw HTML blocks) have bodies too
    assert {"stats.md", "tags/index.md", "listings/index.md"} <= {uri for uri, _, _ in results}
    assert_same(results)


def test_golden_records_render_the_same_both_ways(tmp_path: Path):
    (tmp_path / "golden").mkdir()
    project = copy_project(tmp_path / "golden")
    shutil.rmtree(project.listings_dir)
    shutil.copytree(INPUT, project.site_src, dirs_exist_ok=True)
    generate(project)
    results = both_ways(project)
    assert any("arxiv" in str(fast["content"]) for _, _, fast in results)
    assert_same(results)


def test_site_settings_the_bodies_were_not_written_for_turn_them_off(tmp_path: Path):
    (tmp_path / "settings").mkdir()
    project = copy_project(tmp_path / "settings")
    assert page_cache._fast_markdown(load_config(str(project.config_file)))
    text = project.config_file.read_text()
    project.config_file.write_text(text.replace("permalink: false", "permalink: true"))
    assert not page_cache._fast_markdown(load_config(str(project.config_file)))


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=60,
).filter(str.strip)


@settings(max_examples=20, deadline=None)  # each example is a whole generate()
@given(titles=st.lists(TEXT, min_size=2, max_size=16, unique_by=lambda t: t.casefold()), words=TEXT)
def test_any_title_and_abstract_render_the_same_both_ways(tmp_path_factory, titles, words):
    project = copy_project(tmp_path_factory.mktemp("fuzz"))
    shutil.rmtree(project.listings_dir)
    titles = [*titles, 'A title holding href="../tags/arithmetic.md" as text']
    lines = ["Mar 19", ""]
    for n, title in enumerate(titles):
        lines += [" ".join(title.split()), "", f"Arithmetic {words} number {n}. " * 3, ""]
    project.listings_dir.mkdir()
    (project.listings_dir / "fuzz.txt").write_text("\n".join(lines), encoding="utf-8")
    generate(project)
    assert_same(both_ways(project))
