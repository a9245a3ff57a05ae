"""Shared fixtures: a copy of the project to build in, and the built seed site."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from generator.pipeline import BuildResult, Project, build
from generator.render.pages import Described, ready_pages

# The theme's end-of-life notice, which the build commands show, would fill the output the
# tests read (tests/test_config_errors.py checks it is shown).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# Correctness, not speed, is what the property tests check: no per-example deadline, so a
# busy machine cannot turn a slow example into a failure.
settings.register_profile("catalogue", deadline=None)
settings.load_profile("catalogue")

ROOT = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(
    ".venv",
    "site",
    "site.*",
    "__pycache__",
    ".git",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    "*.egg-info",
    ".bench",
    ".cache",
    "output",
)


def as_markdown(described: Described) -> dict[str, str]:
    """Pages described block by block, as the Markdown written of them."""
    return {path: ready.markdown for path, ready in ready_pages(described).items()}


def copy_project(target: Path, listings: Path | None = None) -> Project:
    """A copy of this project at `target` (optionally with other listings) to build in."""
    for name in ("mkdocs.yml", "site_src", "docs"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=IGNORED)
        else:
            shutil.copy2(source, target / name)
    if listings is not None:
        shutil.rmtree(target / "site_src" / "listings")
        shutil.copytree(listings, target / "site_src" / "listings")
    return Project(target)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildResult]:
    """The real seed catalogue, built once per test run with MkDocs."""
    project = copy_project(tmp_path_factory.mktemp("seed"))
    return project, build(project)


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildResult]:
    """The seed catalogue with the hostile corpus (tests/hostile) dropped in, built once."""
    from tests import hostile

    project = copy_project(tmp_path_factory.mktemp("hostile"))
    hostile.write(project.listings_dir)
    return project, build(project)


@pytest.fixture(scope="session")
def hostile_url(hostile_build: tuple[Project, BuildResult]) -> Iterator[str]:
    """The built hostile site served over HTTP on localhost."""
    yield from serve(hostile_build[0].site_dir)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def seed_url(seed_build: tuple[Project, BuildResult]) -> Iterator[str]:
    """The built seed site served over HTTP on localhost."""
    yield from serve(seed_build[0].site_dir)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
