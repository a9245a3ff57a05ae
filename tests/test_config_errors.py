"""A file that configures the catalogue (taxonomy, curation) and cannot be read fails the
build with its file, line and fix, and leaves site/ as it was; so does an empty catalogue
unless it is asked for. `check` gives the exit code a build would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from generator.pipeline import build
from tests.conftest import copy_project

pytestmark = pytest.mark.slow


def run(project, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), *args],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("taxonomy.yaml", "areas:\n  - name: Area\n    tags: [\n", 4),
        ("curation.yaml", "fixes:\n  - paper: EcoFormer: Energy-Saving\n", 2),
    ],
)
def test_a_configuration_file_that_cannot_be_read_fails_the_build_and_keeps_the_site(
    tmp_path, name, text, line
):
    project = copy_project(tmp_path)
    build(project)
    before = (project.site_dir / "papers.json").read_bytes()
    (project.site_src / name).write_text(text)
    done = run(project, "build")
    assert done.returncode == 1
    errors = [row for row in done.stderr.splitlines() if row.startswith("ERROR")]
    assert errors[0].startswith(f"ERROR    site_src/{name}:{line}: not valid YAML: ")
    assert "fix the file" in errors[0] and "Traceback" not in done.stderr
    assert (project.site_dir / "papers.json").read_bytes() == before
    assert not (project.root / "site.partial").exists()
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "plain"],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    assert plain.returncode != 0 and f"site_src/{name}:{line}" in plain.stderr
    checked = run(project, "check")
    assert checked.returncode == 1 and f"site_src/{name}:{line}" in checked.stderr


def test_an_empty_catalogue_is_an_error_unless_asked_for(tmp_path):
    project = copy_project(tmp_path)
    shutil.rmtree(project.listings_dir)
    project.listings_dir.mkdir()
    (project.site_src / "curation.yaml").write_text("fixes: []\n")
    done = run(project, "build")
    assert done.returncode == 1
    assert "no papers: site_src/listings/ holds no listing with papers" in done.stderr
    assert not project.site_dir.exists()
    config = project.config_file.read_text().replace(
        "pagefind_above: 0", "pagefind_above: 0\n      allow_empty: true"
    )
    project.config_file.write_text(config)
    assert run(project, "build").returncode == 0
    assert (project.site_dir / "index.html").is_file()


def test_check_exits_as_a_strict_build_would(tmp_path):
    project = copy_project(tmp_path)
    assert run(project, "check", "--strict").returncode == 0
    (project.listings_dir / "zz_bad.txt").write_text("Mar 19\n\nA Lone Title Without Abstract\n")
    done = run(project, "check", "--strict")
    assert done.returncode == 1 and "zz_bad.txt:3: title without abstract" in done.stderr
    assert run(project, "check").returncode == 0


def test_a_broken_mkdocs_yml_is_one_line_with_its_place(tmp_path):
    project = copy_project(tmp_path)
    text = project.config_file.read_text().replace("theme:\n", "theme:\n  - broken: [\n", 1)
    project.config_file.write_text(text)
    done = run(project, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("ERROR    MkDocs encountered an error parsing the configuration file")
    assert 'mkdocs.yml", line' in line
    assert not project.site_dir.exists() and not (project.root / "site.partial").exists()
    checked = run(project, "check")
    assert checked.returncode == 1 and checked.stderr == done.stderr


def test_a_misspelt_setting_is_named_with_the_one_it_may_mean(tmp_path):
    project = copy_project(tmp_path)
    text = project.config_file.read_text().replace("\ntheme:\n", "\ntheem:\n", 1)
    project.config_file.write_text(text)
    done = run(project, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "ERROR    mkdocs.yml: 'theem' is not a MkDocs setting (did you mean 'theme'?); "
        "the error above may follow from it."
    )
    assert not project.site_dir.exists()


def test_the_themes_end_of_life_notice_reaches_the_user(tmp_path):
    project = copy_project(tmp_path)
    env = {name: value for name, value in os.environ.items() if name != "NO_MKDOCS_2_WARNING"}
    shown = run(project, "build", env=env)
    assert shown.returncode == 0 and "Material for MkDocs reaches end of life" in shown.stderr
    quiet = run(project, "build", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert quiet.returncode == 0 and "end of life" not in quiet.stderr + quiet.stdout


@pytest.mark.parametrize("name", ["taxonomy.yaml", "curation.yaml"])
def test_a_configuration_file_the_system_will_not_give_fails_the_build(tmp_path, name):
    """A permission error (root reads any file, so the refusal is simulated) is one fatal
    problem naming the file and what to do, not a traceback."""
    from pathlib import Path

    from generator.pipeline import build_catalogue
    from generator.report import Report

    project = copy_project(tmp_path)
    target = project.site_src / name
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path == target:
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    report = Report()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_bytes", refuse)
        build_catalogue(project, report)
    assert [str(p) for p in report.fatal] == [
        f"site_src/{name}: cannot be read (Permission denied); check its permissions."
    ]


def test_a_search_index_that_cannot_be_written_is_one_line_and_keeps_the_site(tmp_path):
    project = copy_project(tmp_path)
    build(project)
    before = (project.site_dir / "papers.json").read_bytes()
    shutil.rmtree(project.cache_dir / "pagefind-bundles")
    (project.cache_dir / "pagefind-bundles").write_text("a file where the indexes go")
    (project.site_src / "listings" / "zz-new.txt").write_text(
        "Dec 1\n\nA Paper Indexed Anew\n\nIts abstract, so that Pagefind runs again.\n"
    )
    done = run(project, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [row for row in done.stderr.splitlines() if row.startswith("ERROR")]
    assert "pagefind" in errors[0].lower(), done.stderr
    assert (project.site_dir / "papers.json").read_bytes() == before


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("capture_year: 0", "catalogue: capture_year must be a year from 1 to 9998"),
        ("capture_year: 99999", "catalogue: capture_year must be a year from 1 to 9998"),
        (
            "source: .",
            "catalogue: site_dir is inside `source` (whose *.bib files are read: the site "
            "would be read back as input); move one.",
        ),
    ],
)
def test_a_plugin_setting_out_of_range_is_one_line_and_keeps_the_site(tmp_path, setting, message):
    project = copy_project(tmp_path)
    assert run(project, "build").returncode == 0
    before = (project.site_dir / "papers.json").read_bytes()
    text = project.config_file.read_text()
    project.config_file.write_text(text.replace("      source: site_src\n", f"      {setting}\n"))
    done = run(project, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == f"ERROR    {message}"
    assert (project.site_dir / "papers.json").read_bytes() == before
