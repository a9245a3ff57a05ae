"""The plugin's shortcut for generated pages gives what MkDocs itself would: a `ReadyPage`
takes its Markdown and front matter from the generator (the paper pages' front matter from
the dict it was dumped from, not by parsing its YAML), and MkDocs' own `Page` reading the
same generated file must find the same.

(test_paper_html holds the rendered HTML, table of contents and anchors of real pages
equal; here any front matter and body text.)"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from generator.render.blocks import RawBlock
from generator.render.pages import Ready
from generator.site.pages import ReadyPage


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    root = tmp_path_factory.mktemp("shortcuts")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text("site_name: X\n")
    return load_config(str(root / "mkdocs.yml"))


def both_readings(config, body: str, meta: dict) -> tuple[tuple, tuple]:
    """(markdown, meta) as MkDocs' Page reads a generated page's file, and as the
    ReadyPage made of the same page does."""
    ready = Ready(meta, "", (RawBlock(body),))
    file = File("papers/x.md", src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
    file.content_string = ready.markdown  # what the plugin's file holds
    plain = Page(None, file, config)
    page = ReadyPage(file, config, ready)
    page.read_source(config)
    plain.read_source(config)
    return (plain.markdown, plain.meta), (ready.body, page.meta)  # its Markdown is its file's


_VALUE = st.recursive(
    st.one_of(st.text(max_size=60), st.integers(-5, 5), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@example({"title": "x\u2028y\x85z\r\nw", "list": ["\ufeffa", "\x00", "-->"]})
@example({"title": "a\n---\nb", "abstract": "---\n\n---"})
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=12), _VALUE, max_size=5))
def test_front_matter_is_what_mkdocs_reads_from_the_yaml(config, data: dict) -> None:
    plain, ready = both_readings(config, "# Title", data)
    assert ready == plain
    assert plain == ("# Title\n", data)


def test_a_lone_surrogate_from_a_json_record_reaches_the_page_as_a_replacement(tmp_path) -> None:
    """libyaml refuses a lone surrogate in front matter: the record reader replaces it
    (with a warning), so the page is read and rendered as any other."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from tests.conftest import copy_project

    project = copy_project(tmp_path)
    (project.site_src / "papers").mkdir()
    record = '{"title": "Lone \\ud800 surrogate", "abstract": "About arithmetic."}'
    (project.site_src / "papers" / "odd.json").write_text(record)
    config = load_config(str(project.config_file))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    pages = [f for f in files.documentation_pages() if f.src_uri.startswith("papers/lone")]
    assert len(pages) == 1 and isinstance(pages[0].page, ReadyPage)
    assert "Lone \ufffd surrogate" in pages[0].content_string


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_ready_source_reads_the_body_as_mkdocs_does(config, text: str) -> None:
    data = {"title": "T", "hide": ["navigation", "toc"], "search": {"boost": 2}}
    plain, ready = both_readings(config, "# Heading\n\n" + text, data)
    assert ready == plain
