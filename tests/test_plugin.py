"""The catalogue is a MkDocs plugin: plain `mkdocs build` makes the site `make build` makes,
an installed copy of the package builds a folder holding only a catalogue, and docs/ is
the user's."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from generator.pipeline import build
from tests.conftest import ROOT, copy_project

pytestmark = pytest.mark.slow
MKDOCS = [sys.executable, "-m", "mkdocs"]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_plain_mkdocs_build_makes_the_same_site_as_make_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = build(project)
    assert result.warnings == 0
    subprocess.run([*MKDOCS, "build", "-q", "-d", "plain"], cwd=project.root, check=True)
    ours, plain = tree(project.site_dir), tree(project.root / "plain")
    assert (
        len(ours) > 300
        and "papers/ecoformer-energy-saving-attention-with-linear-complexity/index.html" in ours
    )
    assert sorted(ours) == sorted(plain)
    assert [name for name in ours if ours[name] != plain[name]] == []


def test_a_file_in_docs_wins_over_the_generated_one_and_is_never_touched(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    mine = project.root / "docs" / "papers.json"
    mine.write_text('{"mine": true}\n')
    before = tree(project.root / "docs")
    build(project)
    assert tree(project.root / "docs") == before
    assert (project.site_dir / "papers.json").read_text() == '{"mine": true}\n'
    assert (project.site_dir / "catalogue.bib").is_file()  # the other downloads are made


def _source_only(folder: str, names: list[str]) -> set[str]:
    """What a source distribution leaves out: built output, caches, tests."""
    top = {".git", ".venv", ".cache", "site", "site.partial", "build", "dist", "tests"}
    return {n for n in names if (folder == str(ROOT) and n in top) or n == "__pycache__"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the project installed from its wheel (not editable);
    its dependencies are this environment's, reached through a .pth file."""
    where = tmp_path_factory.mktemp("installed")
    source, wheels = where / "source", where / "wheels"  # setuptools leaves build/ in its source
    shutil.copytree(ROOT, source, ignore=_source_only)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            str(source),
            "-w",
            str(wheels),
        ],
        check=True,
        capture_output=True,
    )
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            purelib,
            *map(str, wheels.glob("*.whl")),
        ],
        check=True,
        capture_output=True,
    )
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.mark.parametrize("pagefind_above", [2000, 10], ids=["material-search", "pagefind"])
def test_the_installed_package_builds_a_folder_holding_only_a_catalogue(
    installed: Path, tmp_path: Path, pagefind_above: int
) -> None:
    folder = tmp_path / "catalogue"
    folder.mkdir()
    shutil.copytree(ROOT / "site_src", folder / "site_src")
    shutil.copytree(ROOT / "docs", folder / "docs")  # the hand-written About page
    config = (
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace("pagefind_above: 0", f"pagefind_above: {pagefind_above}")
    )
    (folder / "mkdocs.yml").write_text(config)
    where = subprocess.run(
        [installed, "-c", "import generator; print(generator.__file__)"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(installed.parent.parent)), where  # not this checkout's copy
    done = subprocess.run(
        [installed, "-m", "mkdocs", "build", "--strict"], cwd=folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    site = folder / "site"
    assert (site / "static" / "catalogue.css").is_file()
    assert len(list((site / "papers").glob("*/index.html"))) >= 250
    page = next((site / "papers").glob("ecoformer-*/index.html")).read_text()
    assert 'name="citation_title"' in page  # the plugin's template layer is in use
    if pagefind_above == 10:
        assert (site / "pagefind" / "pagefind.js").is_file()
        assert not (site / "search" / "search_index.json").exists()
    else:
        assert (site / "search" / "search_index.json").is_file()
