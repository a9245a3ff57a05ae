"""The memory budget holds Pagefind back while MkDocs builds only when both at once would
not fit, and a build that holds it back still gets the whole search index."""

import json

import pytest

from generator import budget
from generator.pagefind_search import Indexing
from generator.pipeline import build
from tests.test_scale_build import pagefind_project


def test_budget_comes_from_mkdocs_yml_or_defaults():
    assert budget.memory_mb({"catalogue_build": {"memory_mb": 1500}}) == 1500
    assert budget.memory_mb({"catalogue_build": {"memory_mb": "lots"}}) == budget.DEFAULT_MB
    assert budget.memory_mb(None) == budget.DEFAULT_MB


def test_list_pages_and_downloads_are_written_at_once_only_when_both_fit(monkeypatch):
    monkeypatch.setattr(budget, "resident_mb", lambda: 250.0)  # after the catalogue, 10k
    assert budget.writers_together({}, 10_000, 2)
    assert not budget.writers_together({"catalogue_build": {"memory_mb": 600}}, 10_000, 2)
    monkeypatch.setattr(budget, "resident_mb", lambda: 509.0)  # at 50,000 (make bench)
    assert not budget.writers_together({}, 50_000, 2)


def test_list_pages_are_written_during_the_analysis_only_when_it_fits(monkeypatch):
    monkeypatch.setattr(budget, "resident_mb", lambda: 250.0)
    assert budget.pages_early({}, 10_000, 2, 6_000)  # 10k papers, a full index's bundle
    assert not budget.pages_early({"catalogue_build": {"memory_mb": 900}}, 10_000, 2, 400)
    monkeypatch.setattr(budget, "resident_mb", lambda: 509.0)
    assert not budget.pages_early({}, 50_000, 2, 400)  # the analysis alone is ~2 GB there


def test_search_waits_only_when_the_estimate_exceeds_the_budget(monkeypatch):
    roomy = {"catalogue_build": {"memory_mb": 10**6}}
    tight = {"catalogue_build": {"memory_mb": 1}}
    assert budget.resident_mb() > 10  # this process, read from /proc
    assert not budget.search_waits(roomy, 10_000, 2, 6_000)
    assert budget.search_waits(tight, 10, 1, 10)
    # the build process as measured after the catalogue at 10,000 and 50,000 papers
    monkeypatch.setattr(budget, "resident_mb", lambda: 250.0)
    assert not budget.search_waits({}, 10_000, 2, 6_000)
    monkeypatch.setattr(budget, "resident_mb", lambda: 470.0)
    assert budget.search_waits({}, 50_000, 2, 6_000)
    assert not budget.search_waits({}, 50_000, 2, 0)  # every bundle cached: nothing to run


@pytest.mark.slow
def test_a_held_back_index_is_still_complete(tmp_path, monkeypatch):
    released = []
    original = Indexing.release
    monkeypatch.setattr(Indexing, "release", lambda self: (released.append(True), original(self)))
    project = pagefind_project(tmp_path / "tight")
    text = project.config_file.read_text()
    project.config_file.write_text(
        text.replace(
            "  catalogue_search:\n", "  catalogue_build:\n    memory_mb: 1\n  catalogue_search:\n"
        )
    )
    assert build(project, strict=True).warnings == 0
    assert released == [True]  # once, after MkDocs (not at once)
    bundles = json.loads((project.site_dir / "pagefind" / "bundles.json").read_text())
    assert len(bundles["bundles"]) > 1
    for name in bundles["bundles"][1:]:
        assert (project.site_dir / "pagefind" / name / "pagefind-entry.json").is_file()
    assert (project.site_dir / "pagefind" / "pagefind-entry.json").is_file()
