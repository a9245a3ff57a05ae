"""`make dist`: the site built for reading from disk (file://), and a zip of it.

Material's offline plugin switches off directory URLs and inlines the search index; the
vendored iframe-worker shim (mkdocs.yml `extra.polyfills`) lets search run on file://.
The normal site/ is untouched: this build goes to dist/paper-catalogue/.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from generator.pipeline import BuildResult, Project, generate, run_mkdocs
from generator.progress import Progress
from generator.writer import remove, swap_in, write_zip

NAME = "paper-catalogue"


def dist_dir(project: Project) -> Path:
    return project.root / "dist"


def build_dist(project: Project, out: TextIO = sys.stderr) -> tuple[BuildResult, Path]:
    """Build the offline site into dist/paper-catalogue/ and zip it; return the zip's path."""
    progress = Progress(out)
    result = generate(project, progress=progress)
    folder = dist_dir(project) / NAME
    partial = folder.with_name(NAME + ".partial")
    remove(partial)
    try:
        with progress.stage("mkdocs", len(result.catalogue.papers)):
            warnings = run_mkdocs(project, partial, offline=True)
    except BaseException:
        remove(partial)
        raise
    swap_in(partial, folder)
    archive = folder.with_suffix(".zip")
    write_zip(archive, folder, prefix=NAME)
    return BuildResult(result.catalogue, result.report, result.written, warnings), archive
