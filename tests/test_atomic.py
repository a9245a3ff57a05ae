"""Output is replaced whole or not at all, and follows the input.

A build that fails, or is killed at any moment, leaves the previous site/ serving; the
next build cleans up after it. Papers that leave the input leave site/, the export and
the search index; the build writes nothing into docs/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import Project, build
from tests.conftest import ROOT, copy_project

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("atomic"))
    build(project)
    return project


@pytest.fixture
def built(built_once: Project, tmp_path: Path) -> tuple[Project, dict[str, bytes]]:
    """A copy of a built seed project (links in site/ are relative) and its site/ files."""
    project = Project(tmp_path / "project")
    shutil.copytree(built_once.root, project.root)
    return project, snapshot(project.site_dir)


def leftovers(project: Project) -> list[str]:
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith("site."))


def test_a_failing_mkdocs_build_keeps_the_previous_site(built, monkeypatch):
    project, before = built
    import mkdocs.commands.build

    def half_then_fail(config, **kwargs):
        site = Path(config["site_dir"])
        site.mkdir(parents=True, exist_ok=True)
        (site / "index.html").write_text("half-built")
        raise RuntimeError("theme exploded")

    monkeypatch.setattr(mkdocs.commands.build, "build", half_then_fail)
    (project.listings_dir / "000_ddb7239576cc7405.txt").unlink()
    with pytest.raises(RuntimeError, match="theme exploded"):
        build(project)
    assert snapshot(project.site_dir) == before
    assert leftovers(project) == []


def test_a_killed_build_keeps_the_previous_site_and_the_next_build_recovers(built):
    project, before = built
    (project.listings_dir / "000_ddb7239576cc7405.txt").unlink()
    command = [sys.executable, "-m", "generator", "--root", str(project.root), "build"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    partial = project.root / "site.partial" / "papers"
    deadline = time.monotonic() + 120
    while not partial.is_dir() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert child.poll() is None, "the build ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert snapshot(project.site_dir) == before
    assert leftovers(project) == ["site.partial"]
    build(project)
    assert leftovers(project) == []
    assert snapshot(project.site_dir) != before


def test_a_swap_killed_between_its_renames_is_undone(built, capsys):
    project, before = built
    # The state a kill between `site -> site.old` and `site.partial -> site` leaves.
    os.replace(project.site_dir, project.root / "site.old")
    (project.listings_dir / "zz_bad.txt").write_text("Mar 1\n\nOnly a title\n")
    assert main(["--root", str(project.root), "build", "--strict"]) == 1
    capsys.readouterr()
    assert snapshot(project.site_dir) == before
    assert leftovers(project) == []


def test_papers_that_leave_the_input_leave_every_output(built):
    project, _ = built
    first = json.loads((project.site_dir / "papers.json").read_text())
    gone_file = "000_ddb7239576cc7405.txt"
    only_there = {p["slug"] for p in first if {s["file"] for s in p["sources"]} == {gone_file}}
    shared = {p["slug"] for p in first if len({s["file"] for s in p["sources"]}) > 1}
    shared_with_gone = {
        p["slug"]
        for p in first
        if p["slug"] in shared and gone_file in {s["file"] for s in p["sources"]}
    }
    assert len(only_there) > 20 and shared_with_gone
    (project.listings_dir / gone_file).unlink()
    docs_before = snapshot(project.root / "docs")
    build(project)
    assert snapshot(project.root / "docs") == docs_before  # generated pages are not written there
    after = json.loads((project.site_dir / "papers.json").read_text())
    # Search answers after such a rebuild: test_pagefind_bundles.py, in the browser.
    entry = json.loads((project.site_dir / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(after)  # indexed again whole
    pages = {p.name for p in (project.site_dir / "papers").iterdir() if p.is_dir()}
    assert pages == {p["slug"] for p in after}  # no page of a paper that left stays behind
    for slug in only_there:
        assert not (project.site_dir / "papers" / slug).exists()
    assert {p["slug"] for p in after} == {p["slug"] for p in first} - only_there
    for slug in shared_with_gone:
        assert (project.site_dir / "papers" / slug / "index.html").is_file()
    assert not (project.site_dir / "listings" / "000-ddb7239576cc7405").exists()


def test_files_written_are_readable_by_a_web_server(tmp_path):
    """Written atomically (through mkstemp, which makes files only their owner may read),
    a file still ends up readable by everyone, as a served site's must be."""
    from generator.site.writer import write_atomic

    write_atomic(tmp_path / "site" / "pagefind" / "bundles.json", b"{}")
    assert (tmp_path / "site" / "pagefind" / "bundles.json").stat().st_mode & 0o777 == 0o644
