"""Slug invariants: unique, non-empty, safe, stable (property tests)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.read.slugs import SLUG_MAX, assign_slugs, base_slug

SAFE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@given(st.text(max_size=400))
def test_base_slug_is_never_empty_and_safe(title: str) -> None:
    slug = base_slug(title)
    assert SAFE.match(slug), slug
    assert len(slug) <= SLUG_MAX


@given(st.lists(st.text(max_size=60), max_size=40, unique=True))
def test_assigned_slugs_are_unique_safe_and_deterministic(keys: list[str]) -> None:
    titles = {key: key for key in keys}
    slugs = assign_slugs(keys, titles)
    assert len(set(slugs.values())) == len(keys)
    assert all(SAFE.match(s) and len(s) <= SLUG_MAX for s in slugs.values())
    assert assign_slugs(keys, titles) == slugs


def test_collision_suffix_depends_only_on_the_paper():
    first = assign_slugs(["a b", "a-b"], {"a b": "A B", "a-b": "A-B"})
    again = assign_slugs(["a b", "x", "a-b"], {"a b": "A B", "x": "X", "a-b": "A-B"})
    assert first["a b"] == "a-b"
    assert first["a-b"] == again["a-b"] != "a-b"


def test_hostile_titles_get_safe_slugs():
    for title in ("../../x", "???", "🙂🙂", "注意力机制", "CON", ""):
        assert SAFE.match(base_slug(title)), title
