"""The hostile corpus dropped into site_src/listings beside the seeds, through the real build.

Checked in the built HTML, as a browser receives it: every good paper is on its pages,
in papers.json and in the search index; every hostile title reads literally in the page
<title>, the header, the heading and every link to it; no page gains a script, an event
handler or a javascript: link; strict mode names every bad file; the build is
reproducible byte for byte.
"""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from generator.pipeline import build
from tests import hostile
from tests.conftest import ROOT, copy_project
from tests.html_text import Page, parse

pytestmark = pytest.mark.slow

CASES = hostile.cases()
CORPUS_TITLES = tuple(dict.fromkeys(title for case in CASES for title in case.papers))
SEED_PAPERS = 250


@cache
def page(path: Path) -> Page:
    return parse(path.read_text(encoding="utf-8"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def links(site: Path, path: Path) -> list[tuple[str, str]]:
    """(target, text) of every link on a page; targets site-relative, like `papers/x`."""
    folder = path.parent.relative_to(site).as_posix()
    return [
        (posixpath.normpath(posixpath.join(folder, href.split("#")[0])), text)
        for href, text in page(path).links
        if not href.startswith("#")  # a link within the page, like "Skip to content"
    ]


@pytest.fixture(scope="module")
def papers(hostile_build) -> dict[str, dict]:
    project, _ = hostile_build
    records = json.loads((project.site_dir / "papers.json").read_text(encoding="utf-8"))
    return {record["title"]: record for record in records}


def test_warnings_are_exactly_the_corpus_ones(hostile_build):
    _, result = hostile_build
    assert [str(p) for p in result.report.problems] == [w for c in CASES for w in c.warnings]
    assert result.mkdocs_warnings == []


def test_every_good_paper_has_its_page_export_and_search_entry(hostile_build, papers):
    project, result = hostile_build
    assert len(papers) == len(result.catalogue.papers) == SEED_PAPERS + len(CORPUS_TITLES)
    # Pagefind indexed one record per paper (the records are `search.pagefind.record`;
    # tests/test_hostile_browser.py finds the hostile titles through the site's search).
    entry = json.loads((project.site_dir / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(papers)
    for title, record in papers.items():
        assert (project.site_dir / record["url"] / "index.html").is_file(), title
    assert set(CORPUS_TITLES) <= set(papers)


def test_titles_read_literally_on_their_own_page(hostile_build, papers):
    project, _ = hostile_build
    for title in CORPUS_TITLES:
        shown = page(project.site_dir / papers[title]["url"] / "index.html")
        assert shown.title == f"{title} - Paper Catalogue"
        assert shown.h1 == [title]
        assert shown.header_topic[-1] == title


def test_titles_read_literally_wherever_they_are_linked(hostile_build, papers):
    project, _ = hostile_build
    site = project.site_dir
    for title in CORPUS_TITLES:
        record = papers[title]
        url = record["url"].rstrip("/")
        where = [site / "papers" / "index.html"]
        where += [site / "listings" / slug / "index.html" for slug in record["listings"]]
        where += [site / "tags" / slug / "index.html" for slug in record["tags"]]
        for path in where:
            texts = [text for target, text in links(site, path) if target == url]
            assert texts == [title], (title, path.relative_to(site))
    # Anywhere else a paper is linked (related papers, other listings), the same holds.
    titles = {papers[title]["url"].rstrip("/"): title for title in CORPUS_TITLES}
    linked = 0
    for path in html_pages(site):
        for target, text in links(site, path):
            if target in titles:
                assert text == titles[target], path.relative_to(site)
                linked += 1
    assert linked > 3 * len(titles)


def test_no_page_gains_anything_active(hostile_build, seed_build):
    hostile_site, seed_site = hostile_build[0].site_dir, seed_build[0].site_dir
    seed_scripts = {s for path in html_pages(seed_site) for s in page(path).inline_scripts}
    seed_srcs = {s for path in html_pages(seed_site) for s in page(path).script_srcs}
    seed_tags = set().union(*(page(path).tags for path in html_pages(seed_site)))
    for path in html_pages(hostile_site):
        shown = page(path)
        assert shown.event_attributes == [], path
        assert shown.active_urls == [], path  # no javascript: URL (Material's search is off)
        assert set(shown.inline_scripts) <= seed_scripts, path
        for data in shown.data_scripts:  # JSON-LD and config: data, and cannot end early
            json.loads(data)
            assert "<" not in data, path
        assert set(shown.script_srcs) <= seed_srcs, path
        assert shown.tags <= seed_tags, (path, shown.tags - seed_tags)


def test_hostile_file_name_is_shown_literally(hostile_build):
    project, result = hostile_build
    (listing,) = [item for item in result.catalogue.listings if item.source.startswith("h20_")]
    shown = page(project.site_dir / "listings" / listing.slug / "index.html")
    assert f"source file {listing.source} ·" in shown.text


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_nothing_is_written_outside_the_output_folders(hostile_build):
    project, _ = hostile_build
    assert sorted(p.name for p in project.root.iterdir()) == [
        ".cache",  # the pipeline's own cache (generator/cache.py)
        "docs",
        "mkdocs.yml",
        "site",
        "site_src",
    ]
    # docs/ holds the hand-written pages only: the generated ones never reach the disk.
    assert files(project.root / "docs") == files(ROOT / "docs")
    for path in project.site_dir.rglob("*"):
        assert not path.is_symlink() and path.resolve().is_relative_to(project.site_dir.resolve())


def test_strict_mode_names_every_bad_file_and_keeps_the_site(hostile_build):
    project, _ = hostile_build
    before = (project.site_dir / "papers.json").read_bytes()
    # In a process of its own: what its user sees on stderr (in this process, pytest's log
    # capture would take the warnings MkDocs logs).
    command = [sys.executable, "-m", "generator", "--root", str(project.root), "build"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [*command, "--strict"], env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 1
    err = run.stderr
    for case in CASES:
        for warning in case.warnings:
            assert f"WARNING  {warning}\n" in err
    bad = ", ".join(f"{case.name} ({len(case.warnings)})" for case in CASES if case.bad)
    total = sum(len(case.warnings) for case in CASES)
    assert f"{total} warning(s) in {sum(c.bad for c in CASES)} file(s): {bad}.\n" in err
    assert f"Strict mode: {total} warning(s) above; site/ was not replaced." in err
    assert (project.site_dir / "papers.json").read_bytes() == before
    assert not (project.root / "site.partial").exists()


def test_two_builds_of_the_same_input_are_byte_identical(hostile_build, tmp_path):
    first_project, _ = hostile_build
    second = copy_project(tmp_path)
    hostile.write(second.listings_dir)
    build(second)
    first, again = files(first_project.site_dir), files(second.site_dir)
    # The sitemap too: the build rewrites it without MkDocs' build dates (sitemap.py).
    assert sorted(first) == sorted(again)
    assert [name for name in first if first[name] != again[name]] == []
