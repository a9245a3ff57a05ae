"""MkDocs hook for `python -m generator serve`: regenerate docs/ before each rebuild.

Listed in mkdocs.yml; it does nothing unless PAPER_CATALOGUE_SERVE is set, so a plain
`mkdocs build` and the pipeline's own build are unaffected.
"""

from __future__ import annotations

import os
from pathlib import Path


def on_pre_build(config, **kwargs) -> None:
    if not os.environ.get("PAPER_CATALOGUE_SERVE"):
        return
    from generator.pipeline import Project, generate

    result = generate(Project(Path(config.config_file_path).parent))
    result.report.print()


def on_serve(server, config, builder, **kwargs):
    if os.environ.get("PAPER_CATALOGUE_SERVE"):
        server.watch(str(Path(config.config_file_path).parent / "site_src"))
    return server
