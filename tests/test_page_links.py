"""The page_cache hook's shared link answers equal MkDocs' own, page by page."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st
from mkdocs import utils

from generator import page_cache


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


def test_sibling_pages_share_one_answer() -> None:
    memo: dict = {}
    tag = _File("tags/sparsity/")
    for slug in ("a", "b", "c"):
        assert (
            page_cache._relative_url(tag, _File(f"papers/{slug}/"), memo) == "../../tags/sparsity/"
        )
    assert len(memo) == 1
    # a target under the page's own URL is never answered from the shared entry
    assert page_cache._relative_url(_File("papers/a/"), _File("papers/a/"), memo) == "./"
