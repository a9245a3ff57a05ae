"""The page_cache hook's shortcuts give what MkDocs itself would: shared link answers,
and front matter read from the generator's JSON copy instead of its YAML."""

from __future__ import annotations

import json
from dataclasses import dataclass

from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs import utils
from mkdocs.utils.meta import get_data

from generator import page_cache
from generator.paper_page import META, meta_line
from generator.render import front_matter


@dataclass(frozen=True)
class _File:
    url: str

    def url_relative_to(self, other: _File) -> str:
        return utils.get_relative_url(self.url, other.url)


# Few parts, so pages and targets share folders and names as often as possible.
_PART = st.sampled_from(["papers", "tags", "x", "y", "page-2", "a.b"])
_URL = st.one_of(
    st.just(""),
    st.lists(_PART, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + "/"),
    st.lists(_PART, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + "/index.html"),
    st.lists(_PART, min_size=1, max_size=3).map("/".join),
)


@given(st.lists(st.tuples(_URL, _URL), min_size=1, max_size=30))
def test_shared_relative_urls_equal_mkdocs(pairs: list[tuple[str, str]]) -> None:
    memo: dict = {}  # shared by every pair, as by every page of one build
    for own, target in pairs:
        expected = utils.get_relative_url(target, own)
        assert page_cache._relative_url(_File(target), _File(own), memo) == expected


def test_answers_by_folder_count_a_name_the_page_shares() -> None:
    """Targets' answers come per folder, except where the target's last part continues
    what its folder shares with the page's (then it counts as in common)."""
    memo: dict = {}
    cases = [
        ("papers/a/", "papers/b/", "../b/"),
        ("papers/a/", "papers/", "../"),  # "papers" is in common, not a folder's child
        ("tags/t/page-2/", "tags/t/", "../"),
        ("tags/t/page-2/", "tags/u/", "../../u/"),
        ("tags/t/page-2/", "papers/b/", "../../../papers/b/"),
        ("papers/a/", "stats/", "../../stats/"),
        ("papers/a/", "papers/b/c/", "../b/c/"),
    ]
    for own, target, expected in cases * 2:  # the second time from the memo
        assert utils.get_relative_url(target, own) == expected
        assert page_cache._relative_url(_File(target), _File(own), memo) == expected


def test_sibling_pages_share_one_answer() -> None:
    memo: dict = {}
    tag = _File("tags/sparsity/")
    for slug in ("a", "b", "c"):
        assert (
            page_cache._relative_url(tag, _File(f"papers/{slug}/"), memo) == "../../tags/sparsity/"
        )
    assert len(memo) == 2  # the target's answer and its folder's
    # a target under the page's own URL is never answered from the shared entry
    assert page_cache._relative_url(_File("papers/a/"), _File("papers/a/"), memo) == "./"


_VALUE = st.recursive(
    st.one_of(st.text(max_size=60), st.integers(-5, 5), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@example({"title": "x\u2028y\x85z\r\nw", "list": ["\ufeffa", "\x00", "-->"]})
@example({"title": "a\ud800b"})  # libyaml refuses it: the page keeps MkDocs' reading
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=12), _VALUE, max_size=5))
def test_json_front_matter_is_what_mkdocs_reads_from_the_yaml(data: dict) -> None:
    markdown = front_matter(data) + "\n# Title\n"
    line = meta_line(data)
    if line is None:
        return
    assert line.startswith(META) and "\n" not in line
    doc, meta = get_data(markdown)
    assert json.loads(line[len(META) : -len(" -->")]) == meta
    assert list(meta) == list(json.loads(line[len(META) : -len(" -->")]))
    assert doc == "# Title\n"


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=40),
    st.sampled_from(["", "\ufeff"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_ready_source_reads_the_page_as_mkdocs_does(text: str, bom: str, newline: str) -> None:
    markdown = (bom + front_matter({"title": "T"}) + "\n# Heading\n\n" + text + "\n").replace(
        "\n", newline
    )
    source = markdown.encode("utf-8", "surrogatepass")
    by_mkdocs, by_hook = _Page(source), _Page(source)
    by_mkdocs.read_source(None)
    by_hook.read_source = by_hook.mkdocs_read
    page_cache._read_ready_source(by_hook, {"title": "T"}, source, None)
    assert (by_hook.markdown, by_hook.meta) == (by_mkdocs.markdown, by_mkdocs.meta)


class _Page:
    """What _read_ready_source touches of a page: MkDocs' own reading, from bytes."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.markdown: str | None = None
        self.meta: dict = {}

    def read_source(self, config) -> None:  # as mkdocs.structure.pages.Page.read_source
        text = self.source.decode("utf-8-sig", "surrogatepass").replace("\r\n", "\n")
        self.markdown, self.meta = get_data(text.replace("\r", "\n"))

    mkdocs_read = read_source


class _Url:
    """What Page._set_canonical_url touches of a page."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.canonical_url = self.abs_url = None


_BASE = st.sampled_from(
    [
        None,
        "",
        "https://user.github.io/repo/",
        "https://user.github.io/repo",
        "https://example.org",
        "https://example.org/a/./b/",
        "http://h:8000/x/../y/?q=1#f",
        "https://example.org/sub path/",
    ]
)
_URL_PART = st.sampled_from(
    ["papers", "a.b", "page-2", ".", "..", "", "x y", "q?", "#", "~u", ".h"]
)


@settings(max_examples=500, deadline=None)
@given(_BASE, st.lists(_URL_PART, max_size=4).map("/".join), st.booleans())
def test_canonical_urls_are_mkdocs_own(base: str | None, url: str, slash: bool) -> None:
    from mkdocs.structure.pages import Page

    url = url + "/" if slash and url else url
    ours, theirs = _Url(url), _Url(url)
    page_cache._install()
    page_cache._set_canonical_url(ours, base)
    page_cache._ORIGINAL["canonical"](theirs, base)
    assert (ours.canonical_url, ours.abs_url) == (theirs.canonical_url, theirs.abs_url)
    assert Page._set_canonical_url is page_cache._set_canonical_url


HTML_PIECES = [
    "<a",
    "<h2",
    "<span",
    "<b1",
    "</a>",
    "<!-- ",
    " -->",
    "<",
    ">",
    " ",
    "\n",
    "\t",
    "\x1f",
    'id="',
    ' id="',
    'aid="',
    '"',
    "x",
    "é",
    "=",
    "class=",
    "<pre><code>",
    "&quot;",
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=40))
@example(['<a title="<b" id="x">'])
@example(['<a id="x" id="y"><b id="z">'])
@example(['<span class="s">{x id="y"}</span>'])
def test_element_ids_are_the_id_pattern_s(pieces):
    content = "".join(pieces)
    assert page_cache.element_ids(content) == page_cache._ID.findall(content)


def test_a_pipeline_build_reads_its_date_once_a_plain_one_as_mkdocs_does(tmp_path, monkeypatch):
    import mkdocs.structure.pages as pages
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: X\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    page_cache._install()
    monkeypatch.setattr(pages, "get_build_date", pages.get_build_date)  # put back after
    calls: list[int] = []
    fake = lambda: calls.append(1) or f"day {len(calls)}"  # noqa: E731
    monkeypatch.setitem(page_cache._ORIGINAL, "date", fake)
    plan = {"previous": str(tmp_path / "old"), "shard": 0, "shards": 1, "bodies": ""}
    monkeypatch.setenv(page_cache.PLAN_ENV, json.dumps(plan))
    page_cache.on_config(config)
    assert [pages.get_build_date() for _ in range(3)] == ["day 1"] * 3
    monkeypatch.delenv(page_cache.PLAN_ENV)
    page_cache.on_config(config)
    assert [pages.get_build_date() for _ in range(2)] == ["day 2", "day 3"]
