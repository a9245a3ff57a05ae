"""`make build` and `make dist`: MkDocs' build of the project into a folder beside the
site, which replaces it whole only when the build succeeded; one build at a time. The
catalogue's part is the plugin's: plain `mkdocs build` makes the same site, in place."""

from __future__ import annotations

import fcntl
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import BufferingHandler
from pathlib import Path

from generator.pipeline import PLUGIN_LOGGER, BuildResult, Project
from generator.progress import Progress
from generator.site.writer import recover, remove, swap_in, write_zip

DIST_NAME = "paper-catalogue"


@contextmanager
def lock(root: Path) -> Iterator[None]:
    """Hold the catalogue's build lock (.cache/build.lock); a second build waits for it,
    saying so once, so two builds never write one site (the plugin takes it too)."""
    folder = root / ".cache"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "build.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Another build of this catalogue is running; waiting for it.", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # closing the file releases the lock


def build_into(
    project: Project, target: Path, strict: bool, progress: Progress, offline: bool = False
) -> BuildResult:
    """Build the site into `target`.partial, then put it at `target` (in two renames),
    unless `strict` and something warned: then `target` is left as it was."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    recover(target)
    partial = target.with_name(target.name + ".partial")
    remove(partial)
    collected = BufferingHandler(sys.maxsize)  # MkDocs' warnings and errors, as logged
    collected.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collected)
    try:
        config = load_config(str(project.config_file), site_dir=str(partial))
        plugin = config.plugins.get("catalogue")
        if plugin is None:
            raise SystemExit(f"{project.config_file}: add `- catalogue` to its plugins, enabled.")
        plugin.progress, plugin.lock_held = progress, True
        if offline:
            found = config.plugins.get("material/offline") or config.plugins.get("offline")
            if found is None:
                raise SystemExit("mkdocs.yml lists no 'offline' plugin; add it to build offline.")
            found.config.enabled = True
        with progress.stage("site"):
            mkdocs_build(config)
    except BaseException:
        remove(partial)
        raise
    finally:
        logger.removeHandler(collected)
    # MkDocs' warnings, but the plugin's (its report holds those).
    warnings = [r.getMessage() for r in collected.buffer if not r.name.startswith(PLUGIN_LOGGER)]
    result = BuildResult(plugin.catalogue, plugin.report, warnings)
    if strict and result.warnings:
        remove(partial)
    else:
        swap_in(partial, target)
    return result


def build_dist(project: Project) -> tuple[BuildResult, Path]:
    """The site for reading from disk (file://, search included) in
    dist/paper-catalogue/, and its zip; returns the zip's path. site/ is untouched."""
    folder = project.root / "dist" / DIST_NAME
    with lock(project.root):
        result = build_into(project, folder, False, Progress(), offline=True)
    archive = folder.with_suffix(".zip")
    write_zip(archive, folder, prefix=DIST_NAME)
    return result, archive
