"""The real seed catalogue through the real MkDocs build."""

import json
import logging
import os
import subprocess
import sys

import pytest

from generator.cli import main
from generator.pipeline import Project
from tests.conftest import ROOT, copy_project

pytestmark = pytest.mark.slow


def run_cli(project: Project, *args: str) -> subprocess.CompletedProcess:
    """`python -m generator` in a process of its own: what its user sees on stderr (in
    this process, pytest's log capture would take the warnings MkDocs logs)."""
    command = [sys.executable, "-m", "generator", "--root", str(project.root), *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def test_seed_build_has_every_paper_and_no_warnings(seed_build):
    project, result = seed_build
    assert result.report.problems == []
    assert result.mkdocs_warnings == []
    pages = [p for p in (project.site_dir / "papers").iterdir() if (p / "index.html").is_file()]
    assert len(pages) == 250
    assert len(result.catalogue.papers) == 250
    assert sum(len(listing.records) for listing in result.catalogue.listings) == 281


def test_papers_json_matches_the_interface(seed_build):
    project, _ = seed_build
    papers = json.loads((project.site_dir / "papers.json").read_text())
    assert len(papers) == 250
    slugs = {p["slug"] for p in papers}
    for paper in papers:
        assert {"slug", "title", "abstract", "url", "tags", "related", "listings"} <= set(paper)
        assert (project.site_dir / paper["url"] / "index.html").is_file()
        assert 1 <= len(paper["tags"]) <= 6
        assert len(paper["related"]) >= 5
        assert set(paper["related"]) <= slugs and paper["slug"] not in paper["related"]
        assert paper["listings"]
    multi = [p for p in papers if len(p["listings"]) > 1]
    assert len(multi) == 27


def test_paper_pages_stay_out_of_the_nav(seed_build):
    project, _ = seed_build
    home = (project.site_dir / "index.html").read_text()
    assert "papers/colbert" not in home.split('class="md-nav')[1][:20000]


def test_mkdocs_strict_build_passes(tmp_path, caplog):
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert main(["--root", str(project.root), "build", "--strict"]) == 0
    assert (project.site_dir / "index.html").is_file()


def test_strict_fails_and_keeps_previous_site_on_bad_input(tmp_path):
    project = copy_project(tmp_path)
    assert main(["--root", str(project.root), "build"]) == 0
    before = (project.site_dir / "papers.json").read_bytes()
    (project.listings_dir / "zz_bad.txt").write_text("Mar 1\n\nOnly a title\n")
    run = run_cli(project, "build", "--strict")
    assert run.returncode == 1
    err = run.stderr
    assert "WARNING  zz_bad.txt:3: title without abstract ('Only a title')" in err
    assert "WARNING  zz_bad.txt:1: no papers found" in err
    assert "2 warning(s) in 1 file(s): zz_bad.txt (2)." in err
    assert "Strict mode: 2 warning(s) above; site/ was not replaced." in err
    assert (project.site_dir / "papers.json").read_bytes() == before
    assert not (project.root / "site.partial").exists()


def test_ctrl_c_prints_one_line_and_leaves_the_site(tmp_path, monkeypatch, capsys):
    import generator.cli as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build", interrupted)
    (tmp_path / "mkdocs.yml").write_text("site_name: X\n")
    assert cli.main(["--root", str(tmp_path), "build"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "Interrupted; site/ is as it was before this build.\n"
    assert captured.out == ""


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path):
    project = copy_project(tmp_path)
    (project.root / ".cache").write_text("a file where the cache folder goes\n")  # even root
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), "build"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"ERROR    {project.root / '.cache'}: ")
    assert line.endswith(
        "check its permissions and the free space, then build again (site/ is as it was)."
    )
    assert not project.site_dir.exists()
