"""One MkDocs build of the project's configuration, its warnings collected.

Kept apart from the pipeline so that MkDocs worker processes (`shards`) import MkDocs and
nothing else: the pipeline's text analysis (scikit-learn, SciPy) took seconds to import
in each of them, on the build's critical path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _Hold(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Loaded:
    """A configuration loaded ahead of its build, and what loading it logged (held back,
    to be logged by the build that uses it, as if loaded then)."""

    config: object
    records: list[logging.LogRecord]


def load(
    config_file: Path, site_dir: Path, offline: bool = False, options: dict | None = None
) -> Loaded | None:
    """`run`'s configuration, loaded now: an MkDocs worker loads it while docs/ is still
    being written (`shards`). None when loading fails; the build then loads it again and
    reports why, so nothing is logged here."""
    logger = logging.getLogger("mkdocs")
    held = _Hold()
    handlers, propagate = logger.handlers[:], logger.propagate
    logger.handlers, logger.propagate = [held], False
    try:
        config = _load(config_file, site_dir, offline, options)
    except Exception:
        return None
    finally:
        logger.handlers, logger.propagate = handlers, propagate
    return Loaded(config, held.records)


def _load(config_file: Path, site_dir: Path, offline: bool, options: dict | None):
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), **(options or {}))
    if offline:
        _enable_offline(config)
    return config


def run(
    config_file: Path,
    site_dir: Path,
    offline: bool = False,
    options: dict | None = None,
    loaded: Loaded | None = None,
) -> list[str]:
    """Build the MkDocs site into `site_dir`; return MkDocs' warnings (it also logs them).

    `offline` turns on Material's offline plugin (listed in mkdocs.yml, off by default):
    no directory URLs and an inlined search index, so the site works from file://.
    `options` override mkdocs.yml (Pagefind mode leaves Material's search plugin out).
    `loaded`: the same configuration, loaded already (`load`), then not loaded again.
    """
    from mkdocs.commands.build import build as mkdocs_build

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        if loaded is not None:
            for record in loaded.records:
                logging.getLogger(record.name).handle(record)
            config = loaded.config
        else:
            config = _load(config_file, site_dir, offline, options)
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
