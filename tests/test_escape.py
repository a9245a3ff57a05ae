"""Escaping, proven through the site's own Markdown: any text comes out as that text.

Each property renders escaped input with Python-Markdown and the extensions from
mkdocs.yml, then reads the HTML back: the only elements are the ones the template put
there, and their text is the input, whatever the input was.
"""

from __future__ import annotations

import markdown
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.render.escape import attr, md_inline, safe_url
from generator.render.frontmatter import front_matter
from tests.conftest import ROOT
from tests.hostile import MARKUP_TITLES, PATH_TITLES
from tests.html_text import parse


@pytest.fixture(scope="module")
def site_markdown() -> markdown.Markdown:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(
        extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]
    )


def shown(text: str) -> str:
    """What a reader should see for `text`: the same characters, white space collapsed."""
    text = " ".join(text.split())
    text = "".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in text)
    return " ".join(text.split())


def render(md: markdown.Markdown, source: str) -> str:
    md.reset()
    return md.convert(source)


HOSTILE = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from([*MARKUP_TITLES, *PATH_TITLES, "\\", "`", "<", "&#1;", "\x02", "\x03"]),
        max_size=8,
    ).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
@example("\x02wzxhzdk:0\x03")  # Python-Markdown's own placeholder syntax
@example("[a]: https://example.org")  # a link reference definition
def test_paragraph_shows_text_literally(site_markdown, text: str):
    page = parse(render(site_markdown, "Before " + md_inline(text) + " after"))
    assert page.tags <= {"p"}
    assert page.text == shown("Before " + text + " after")


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_heading_and_link_text_show_text_literally(site_markdown, text: str):
    escaped = md_inline(text)
    page = parse(render(site_markdown, f"# T {escaped}\n\n- [L {escaped}](other.md){{ .tag }}\n"))
    assert page.h1 == [shown("T " + text)]
    assert page.links == [("other.md", shown("L " + text))]
    assert page.tags == {"h1", "ul", "li", "a"}
    assert not page.event_attributes and not page.active_urls


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_front_matter_values_never_become_yaml_structure(text: str):
    dumped = front_matter({"title": text, "hide": ["navigation"]})
    assert dumped.startswith("---\n") and dumped.endswith("---\n")
    assert yaml.safe_load(dumped[4:-4]) == {"title": text, "hide": ["navigation"]}


@example("a\ud800b")  # a lone surrogate, which a JSON record can hold: libyaml refuses it
@example("x\u2028y\x85z")
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_front_matter_nested_values_load_back_exactly(text: str):
    data = {"paper": {"title": text, "names": [text, "b"]}, "hide": ["navigation"]}
    dumped = front_matter(data)
    assert not set(dumped) & set("\x85\u2028\u2029")
    assert yaml.safe_load(dumped[4:-4]) == data


_WORDS = st.sampled_from(["yes", "No", "on", "null", "~", "y", "true", "1e3", "0x1F", "a-b_c"])
_SCALAR = st.one_of(st.text(max_size=40), _WORDS, st.integers(), st.booleans(), st.none())
_DATA = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), _WORDS), inner, max_size=4),
    ),
    max_leaves=16,
)


@example({"paper": {"citation": [["citation_title", "A: b #c"]], "l": [{"a": [1, {}]}]}})
@example({"@context": "- x", "": [[], {}], "k": "\ufeff\x9f\x00\t\r\n"})
@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.one_of(st.text(max_size=10), _WORDS), _DATA, max_size=5))
def test_front_matter_loads_back_exactly_with_both_yaml_loaders(data: dict):
    dumped = front_matter(data)
    assert dumped.startswith("---\n") and dumped.endswith("---\n")
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        loaded = yaml.load(dumped[4:-4], Loader=loader)
        assert loaded == data
        assert list(loaded) == sorted(data)  # keys in sorted order, as MkDocs reads them


@given(st.text(max_size=100))
def test_attribute_text_cannot_close_the_attribute(text: str):
    value = attr(text)
    assert not set(value) & set("<>\"'")
    page = parse(f'<a href="x" title="{value}">y</a>')
    assert page.links == [("x", "y")]


def test_only_http_urls_become_links():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url(" JaVaScRiPt:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url('https://x.org/"><script>') == "https://x.org/&quot;&gt;&lt;script&gt;"
