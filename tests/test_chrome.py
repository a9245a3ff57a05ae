"""Paper pages filled into their chrome (`generator.chrome`) are byte-equal to pages rendered
one by one through the theme: whole sites are built both ways and compared, for the seeds
with the hostile corpus (both search engines), the golden records and generated titles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.pipeline import Project
from tests import hostile
from tests.conftest import copy_project
from tests.golden import INPUT
from tests.test_paper_html import TEXT, WORDS, fuzz_project

pytestmark = pytest.mark.slow


def site(project: Project, out: str, **options: object) -> tuple[dict[str, bytes], object]:
    """The site built into `out` with the catalogue plugin's `options`; and the plugin."""
    config = load_config(str(project.config_file), site_dir=str(project.root / out))
    plugin = config.plugins["catalogue"]
    plugin.config.update(options)
    mkdocs_build(config)
    root = project.root / out
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    return files, plugin


def assert_both_ways_equal(project: Project, **options: object) -> dict[str, bytes]:
    fast, plugin = site(project, "fast", **options)
    slow, _ = site(project, "slow", fast_pages=False, **options)
    assert plugin.chromes and all(plugin.chromes.values()), "the fast path was not used"
    assert sorted(fast) == sorted(slow)
    assert [name for name in fast if fast[name] != slow[name]] == []
    return fast


@pytest.mark.parametrize("pagefind_above", [2000, 10], ids=["material-search", "pagefind"])
def test_seed_and_hostile_paper_pages_fill_their_chrome_exactly(
    tmp_path: Path, pagefind_above: int
) -> None:
    project = copy_project(tmp_path)
    hostile.write(project.listings_dir)
    pages = assert_both_ways_equal(project, pagefind_above=pagefind_above)
    papers = [name for name in pages if name.startswith("papers/") and name.endswith("index.html")]
    assert len(papers) > 250


def test_golden_records_fill_their_chrome_exactly(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    shutil.rmtree(project.listings_dir)
    shutil.copytree(INPUT, project.site_src, dirs_exist_ok=True)
    pages = assert_both_ways_equal(project)
    assert any(b"citation_author" in page for page in pages.values())


def test_offline_pages_fill_their_chrome_exactly(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project.config_file.read_text().replace(
        "enabled: !ENV [OFFLINE, false]", "enabled: true"
    )
    project.config_file.write_text(config)
    pages = assert_both_ways_equal(project)
    assert "papers/ecoformer-energy-saving-attention-with-linear-complexity.html" in pages


@settings(max_examples=8, deadline=None)  # each example is two whole builds
@given(titles=st.lists(TEXT, min_size=2, max_size=8, unique_by=lambda t: t.casefold()), words=WORDS)
def test_any_title_and_abstract_fill_their_chrome_exactly(tmp_path_factory, titles, words):
    assert_both_ways_equal(fuzz_project(tmp_path_factory.mktemp("fuzz"), titles, words))
