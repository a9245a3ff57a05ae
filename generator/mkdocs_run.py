"""One MkDocs build of the project's configuration, its warnings collected.

Kept apart from the pipeline so that MkDocs worker processes (`shards`) import MkDocs and
nothing else: the pipeline's text analysis (scikit-learn, SciPy) took seconds to import
in each of them, on the build's critical path.
"""

from __future__ import annotations

import logging
from pathlib import Path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run(
    config_file: Path, site_dir: Path, offline: bool = False, options: dict | None = None
) -> list[str]:
    """Build the MkDocs site into `site_dir`; return MkDocs' warnings (it also logs them).

    `offline` turns on Material's offline plugin (listed in mkdocs.yml, off by default):
    no directory URLs and an inlined search index, so the site works from file://.
    `options` override mkdocs.yml (Pagefind mode leaves Material's search plugin out).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), **(options or {}))
        if offline:
            _enable_offline(config)
        mkdocs_build(config)
    finally:
        logger.removeHandler(handler)
    return handler.messages


def _enable_offline(config) -> None:
    from material.plugins.offline.plugin import OfflinePlugin

    plugins = [p for p in config.plugins.values() if isinstance(p, OfflinePlugin)]
    if not plugins:
        raise RuntimeError("mkdocs.yml lists no 'offline' plugin; add it to build offline.")
    for plugin in plugins:
        plugin.config.enabled = True
