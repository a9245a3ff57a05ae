"""Paper pages kept from the last build (`generator.site.kept`): a rebuild that keeps the
pages whose keys are unchanged is byte-equal to a build from nothing, and equal paper keys
mean equal pages."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.bench import synth
from generator.pipeline import Project, build_catalogue
from generator.render.pages import paper_key, paper_page_files
from generator.report import Report
from generator.site.address import Site
from tests.conftest import ROOT, copy_project
from tests.test_chrome import site

pytestmark = pytest.mark.slow

PAGEFIND = {"pagefind_above": 10}  # paper pages are kept while Material's search is off


def change_catalogue(project: Project, rename_tag: bool = False) -> None:
    """A new listing, an abstract edited in an old one, and (`rename_tag`: which every
    page's search filters show) a tag renamed."""
    added = synth.one_listing(ROOT / "site_src/listings", 12, seed=7)
    (project.listings_dir / "zz-added.txt").write_text(added)
    listing = sorted(project.listings_dir.glob("*.txt"))[0]
    text = listing.read_text()
    listing.write_text(text.replace(" the ", " THE ", 1))
    if rename_tag:
        taxonomy = project.site_src / "taxonomy.yaml"
        renamed = taxonomy.read_text().replace("name: Arithmetic", "name: Arithmetic work")
        taxonomy.write_text(renamed)


def pages(files: dict[str, bytes]) -> list[str]:
    return [name for name in files if name.startswith("papers/") and name.endswith(".html")]


def test_a_rebuild_keeps_unchanged_paper_pages_and_equals_a_build_from_nothing(tmp_path: Path):
    project = copy_project(tmp_path)
    first, plugin = site(project, "site", **PAGEFIND)
    assert not plugin.kept  # nothing stored yet
    change_catalogue(project)
    rebuilt, plugin = site(project, "site", **PAGEFIND)
    written = set(pages(rebuilt)) - {file.dest_uri for file in plugin.kept}
    assert len(plugin.kept) > 20 and written  # some kept (IDF over every paper moves most)
    assert any(first.get(name) != rebuilt[name] for name in written)
    shutil.rmtree(project.cache_dir / "pages")
    fresh, plugin = site(project, "fresh", **PAGEFIND)
    assert not plugin.kept
    assert sorted(rebuilt) == sorted(fresh)
    assert [name for name in fresh if fresh[name] != rebuilt[name]] == []


def test_a_changed_template_makes_the_kept_pages_again(tmp_path: Path):
    """Kept pages are out of MkDocs' page loop: a rendered page of their kind shows their
    chrome changed (here a `custom_dir` template, which no key holds), and they are made
    again after the build."""
    project = copy_project(tmp_path)
    overrides = project.root / "overrides"
    overrides.mkdir()
    main = '{% extends "base.html" %}{% block footer %}<p>FOOTER-ONE</p>{% endblock %}'
    (overrides / "main.html").write_text(main)
    config = project.config_file.read_text().replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n", 1
    )
    project.config_file.write_text(config)
    site(project, "site", **PAGEFIND)
    (overrides / "main.html").write_text(main.replace("FOOTER-ONE", "FOOTER-TWO"))
    rebuilt, plugin = site(project, "site", **PAGEFIND)
    assert len(plugin.kept) > 200  # only the paper keys are compared up front
    assert all(b"FOOTER-TWO" in rebuilt[name] for name in pages(rebuilt))
    shutil.rmtree(project.cache_dir / "pages")
    fresh, _ = site(project, "fresh", **PAGEFIND)
    assert [name for name in fresh if fresh[name] != rebuilt.get(name)] == []
    again, plugin = site(project, "site", **PAGEFIND)  # the pages made again are stored
    assert len(plugin.kept) == len(pages(again)) - 2  # all but the witness and Papers
    assert [name for name in fresh if fresh[name] != again.get(name)] == []


def test_a_damaged_manifest_keeps_what_it_can_and_builds_the_same_site(tmp_path: Path):
    project = copy_project(tmp_path)
    first, _ = site(project, "site", **PAGEFIND)
    manifest = project.cache_dir / "pages" / "manifest.json"
    data = json.loads(manifest.read_text())
    damaged = sorted(data["pages"])[1:6]
    for dest, value in zip(damaged, ["x", ["a"], [1, 2], None, {"a": "b"}], strict=True):
        data["pages"][dest] = value
    manifest.write_text(json.dumps(data))
    rebuilt, plugin = site(project, "site", **PAGEFIND)
    kept = {file.dest_uri for file in plugin.kept}
    assert len(kept) > 200 and not kept & set(damaged)
    assert [name for name in first if first[name] != rebuilt.get(name)] == []
    data["pages"] = ["not", "a", "mapping"]
    manifest.write_text(json.dumps(data))
    rebuilt, plugin = site(project, "site", **PAGEFIND)
    assert not plugin.kept
    assert [name for name in first if first[name] != rebuilt.get(name)] == []


def test_a_changed_setting_makes_every_paper_page_again(tmp_path: Path):
    project = copy_project(tmp_path)
    site(project, "site", **PAGEFIND)
    config = project.config_file.read_text().replace(
        "site_name: Paper Catalogue", "site_name: Papers Read"
    )
    project.config_file.write_text(config)
    rebuilt, plugin = site(project, "site", **PAGEFIND)
    assert not plugin.kept
    assert all(b"Papers Read" in rebuilt[name] for name in pages(rebuilt))
    shutil.rmtree(project.cache_dir / "pages")
    fresh, _ = site(project, "fresh", **PAGEFIND)
    assert [name for name in fresh if fresh[name] != rebuilt.get(name)] == []


def test_equal_paper_keys_make_equal_paper_pages(tmp_path: Path):
    project = copy_project(tmp_path)
    before = build_catalogue(project, Report())
    change_catalogue(project, rename_tag=True)
    after = build_catalogue(project, Report())
    site_before = Site(url="https://example.org/a/")
    sites = {"same site": site_before, "another site": replace(site_before, url="https://b.org/")}
    for name, site_after in sites.items():
        same = changed = 0
        for paper in after.papers:
            old = before.by_slug.get(paper.slug)
            if old is None:
                continue
            page = paper_page_files(after, paper, site_after)
            if paper_key(before, old, site_before) == paper_key(after, paper, site_after):
                same += 1
                was = paper_page_files(before, old, site_before)
                made = (page.to_html(), page.meta, page.title)
                assert (was.to_html(), was.meta, was.title) == made
            else:
                changed += 1
        if name == "same site":
            assert same > 20 and changed > 0
        else:
            assert same == 0
